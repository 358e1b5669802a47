/**
 * Loads a demo chain into a running Product Tower through its public HTTP API only: organisation,
 * people, products walked through their life cycle to the stage the chain gives them, a year of daily
 * sales, complaints, a competitor's undercut and a cost rise; then waits until every evaluation has
 * settled and runs the last two quarters' reviews.
 */
import { addDays, previousQuarter, quarterJustEnded } from '@tower/domain';
import {
  DEMO_PASSWORD,
  productSales,
  sells,
  type DemoChain,
  type DemoProduct,
  type DemoSalesRow,
} from './generate.js';

export interface LoadOptions {
  readonly baseUrl: string;
  readonly adminEmail: string;
  readonly adminPassword: string;
  /** Load only these products (a small scenario); every product by default. */
  readonly only?: (product: DemoProduct) => boolean;
  /** Progress: a phase begins with its total, then `tick`s. */
  readonly progress?: { start(phase: string, total: number): void; tick(n?: number): void; stop(): void };
  /** How long to wait for evaluations to settle. */
  readonly settleTimeoutMs?: number;
  readonly salesBatchRows?: number;
}

export interface LoadResult {
  readonly ids: {
    readonly branches: Readonly<Record<string, string>>;
    readonly departments: Readonly<Record<string, string>>;
    readonly people: Readonly<Record<string, string>>;
    readonly products: Readonly<Record<string, string>>;
  };
  readonly salesRows: number;
  readonly reviews: readonly { quarter: string; id: string }[];
  readonly tasksBySignal: Readonly<Record<string, number>>;
}

class ApiError extends Error {}

interface Client {
  call<T = unknown>(method: string, path: string, token: string, body?: unknown): Promise<T>;
}

function client(baseUrl: string): Client {
  return {
    async call(method, path, token, body) {
      for (let attempt = 0; ; attempt++) {
        const response = await fetch(`${baseUrl}${path}`, {
          method,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
        const text = await response.text();
        // Rate limits and a busy machine: wait and try again.
        if ((response.status === 429 || response.status === 503) && attempt < 20) {
          await new Promise((resolve) => setTimeout(resolve, 500 * (attempt + 1)));
          continue;
        }
        if (!response.ok) throw new ApiError(`${method} ${path} → ${response.status}: ${text.slice(0, 500)}`);
        return (text ? JSON.parse(text) : undefined) as never;
      }
    },
  };
}

async function pool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next++]!;
        await work(item);
      }
    }),
  );
}

const SHEET = (p: DemoProduct) => ({
  spec: `${p.name}标准疗程`,
  certification: 'NMPA 国械注准 20243130001',
  ingredients: '按厂家说明书',
  efficacy: '改善肤质与轮廓，效果因人而异',
  targetCustomers: '25–45 岁关注面部年轻化的女性',
  sellingPoints: '资深医生操作，术前面诊评估，术后回访',
  comparison: '与同类项目相比恢复期较短，价格居中',
  precautions: '术后一周避免高温与剧烈运动',
  clinicalInfo: '院内近一年病例回访满意度较高',
  salesScripts: '先了解顾客诉求，讲清预期效果与恢复期',
  indications: ['面部老化', '肤质改善需求'],
  contraindications: ['孕期及哺乳期', '治疗部位感染'],
});

/** Walks one product from research to the demo stage it has (up to monitoring; retirement comes later). */
async function walk(
  api: Client,
  product: DemoProduct,
  ids: { id: string; branches: string[] },
  tokens: { owner: string; compliance: string; marketing: string; department: string },
  chain: DemoChain,
) {
  const { id } = ids;
  const event = (token: string, type: string, extra: object = {}) =>
    api.call('POST', `/api/products/${id}/events`, token, { type, ...extra });
  for (const [i, competitor] of ['新氧精选', '美莱', '艺星'].entries()) {
    await api.call('POST', `/api/products/${id}/competitor-prices`, tokens.owner, {
      competitor,
      priceFen: Math.round(product.listFen * (0.95 + i * 0.06)),
      observedAt: addDays(chain.from, -30 + i),
      platform: '新氧',
    });
  }
  await api.call('PUT', `/api/products/${id}/target-customers`, tokens.owner, {
    description: '25–45 岁、注重品质的城市白领',
  });
  if (product.stage === 'research') return;
  if (product.stage === 'rejected') {
    await event(tokens.owner, 'REJECT', { reason: '调研后发现合规风险高，不予上线' });
    return;
  }
  await event(tokens.owner, 'APPROVE_RESEARCH');
  await api.call('PUT', `/api/products/${id}/sheet`, tokens.owner, SHEET(product));
  if (product.stage === 'packaging') return;
  await event(tokens.compliance, 'APPROVE_PACKAGING');
  await api.call('PUT', `/api/products/${id}/costs`, tokens.owner, product.costs);
  await api.call('PUT', `/api/products/${id}/prices`, tokens.owner, {
    // The product sold under its cost has only a list price: an activity price would sit under the floor.
    prices: [
      { type: 'list', amountFen: product.listFen },
      ...(product.plants.includes('below_cost')
        ? []
        : [{ type: 'activity', amountFen: product.activityFen }]),
    ],
  });
  if (product.stage === 'pricing') return;
  await event(tokens.owner, 'APPROVE_PRICING');
  const targetLaunchDate = product.stage === 'launch' ? addDays(chain.to, 14) : product.salesFrom;
  await api.call('PUT', `/api/products/${id}/launch-branches`, tokens.owner, {
    branchIds: ids.branches,
    targetLaunchDate,
  });
  for (const branchId of ids.branches) {
    for (const [role, name] of [
      ['doctor', '李医生'],
      ['consultant', '张咨询'],
    ] as const) {
      const trainee = await api.call<{ id: string }>('POST', `/api/products/${id}/trainees`, tokens.owner, {
        branchId,
        name,
        role,
      });
      if (product.stage === 'training') continue;
      await api.call('POST', `/api/products/${id}/trainees/${trainee.id}/result`, tokens.owner, {
        passed: true,
        score: 90,
        at: `${addDays(product.salesFrom, -10)}T08:00:00Z`,
      });
    }
  }
  if (product.stage === 'training') return;
  await event(tokens.owner, 'COMPLETE_TRAINING');
  const checklist = await api.call<{ items: { id: string; status: string; ownerRole: string }[] }>(
    'GET',
    `/api/products/${id}/launch`,
    tokens.owner,
  );
  const items =
    product.stage === 'launch'
      ? checklist.items.slice(0, Math.ceil(checklist.items.length / 2))
      : checklist.items;
  for (const item of items) {
    const token =
      item.ownerRole === 'marketing_manager'
        ? tokens.marketing
        : item.ownerRole === 'department_manager'
          ? tokens.department
          : item.ownerRole === 'compliance_officer'
            ? tokens.compliance
            : tokens.owner;
    await api.call('POST', `/api/launch-items/${item.id}/complete`, token, { note: '已完成' });
  }
  if (product.stage === 'launch') return;
  await event(tokens.owner, 'LAUNCH');
}

export async function loadDemo(chain: DemoChain, options: LoadOptions): Promise<LoadResult> {
  const api = client(options.baseUrl.replace(/\/$/, ''));
  const progress = options.progress ?? { start() {}, tick() {}, stop() {} };
  const login = async (email: string, password: string) =>
    (await api.call<{ token: string }>('POST', '/api/auth/login', '', { email, password })).token;
  const admin = await login(options.adminEmail, options.adminPassword);

  const existing = await api.call<{ items: unknown[] }>('GET', '/api/products?limit=1', admin);
  if (existing.items.length > 0) {
    throw new ApiError('This Product Tower already has products: load the demo into a fresh database.');
  }

  progress.start('organisation', chain.branches.length + chain.departments.length + chain.people.length + 2);
  const branches: Record<string, string> = {};
  for (const b of chain.branches) {
    branches[b.code] = (
      await api.call<{ id: string }>('POST', '/api/branches', admin, { code: b.code, name: b.name })
    ).id;
    progress.tick();
  }
  const departments: Record<string, string> = {};
  for (const d of chain.departments) {
    departments[d.code] = (await api.call<{ id: string }>('POST', '/api/departments', admin, d)).id;
    progress.tick();
  }
  const people: Record<string, string> = {};
  // Each person's password is hashed (scrypt) by the API: a few at a time keep both cores busy.
  await pool(chain.people, 4, async (p) => {
    const created = await api.call<{ id: string }>('POST', '/api/people', admin, {
      name: p.name,
      email: p.email,
      password: DEMO_PASSWORD,
      roles: p.roles.map((r) => ({
        role: r.role,
        ...(r.department ? { departmentId: departments[r.department] } : {}),
        ...(r.branch ? { branchId: branches[r.branch] } : {}),
      })),
    });
    people[p.key] = created.id;
    progress.tick();
  });
  const emailOf = (key: string) => chain.people.find((p) => p.key === key)!.email;
  const tokenOf: Record<string, string> = {};
  // Eight logins besides the admin's: under the default login rate limit of ten a minute.
  const logins = [
    'pm_face',
    'pm_body',
    'compliance',
    'marketing',
    ...chain.departments.map((d) => `head_${d.code}`),
  ];
  await pool(logins, 4, async (key) => {
    tokenOf[key] = await login(emailOf(key), DEMO_PASSWORD);
  });
  await api.call('PUT', '/api/calendar/days', admin, { days: chain.calendar });
  progress.tick();
  const ingestKey = (
    await api.call<{ key: string }>('POST', '/api/api-keys', admin, {
      name: '演示数据导入',
      scopes: ['ingest'],
    })
  ).key;
  progress.tick();

  const chosen = chain.products.filter((p) => options.only?.(p) ?? true);
  progress.start('products', chosen.length);
  const products: Record<string, string> = {};
  await pool(chosen, 6, async (product) => {
    const owner = tokenOf[product.owner]!;
    const created = await api.call<{ id: string }>('POST', '/api/products', owner, {
      name: product.name,
      departmentId: departments[product.department],
      tier: product.tier,
      ownerId: people[product.owner],
      vendor: product.vendor,
    });
    products[product.key] = created.id;
    await walk(
      api,
      product,
      { id: created.id, branches: product.branches.map((code) => branches[code]!) },
      {
        owner,
        compliance: tokenOf.compliance!,
        marketing: tokenOf.marketing!,
        department: tokenOf[`head_${product.department}`]!,
      },
      chain,
    );
    progress.tick();
  });

  // Sales of every selling product at each of its branches, in batches.
  const pairs = chosen
    .filter(sells)
    .flatMap((product) =>
      product.branches.map((code) => ({ product, branch: chain.branches.find((b) => b.code === code)! })),
    );
  const rows: DemoSalesRow[] = pairs.flatMap(({ product, branch }) =>
    productSales(chain, product, branch, {
      productId: products[product.key]!,
      branchId: branches[branch.code]!,
    }),
  );
  // Grouped by (product, branch) and in date order within each: a pair's year arrives in one or two
  // batches, so its evaluation judges the whole backfill in a pass or two (one job per pair and batch).
  rows.sort((a, b) =>
    a.productId !== b.productId
      ? a.productId < b.productId
        ? -1
        : 1
      : a.branchId !== b.branchId
        ? a.branchId < b.branchId
          ? -1
          : 1
        : a.date < b.date
          ? -1
          : a.date > b.date
            ? 1
            : 0,
  );
  const batch = options.salesBatchRows ?? 4000;
  const batches: DemoSalesRow[][] = [];
  for (let i = 0; i < rows.length; i += batch) batches.push(rows.slice(i, i + batch));
  progress.start('sales rows', rows.length);
  await pool(batches, 2, async (part) => {
    await api.call('POST', '/api/ingest/sales', ingestKey, { rows: part });
    progress.tick(part.length);
  });

  const complaints = chain.complaints.filter((c) => products[c.product] !== undefined);
  progress.start('facts', complaints.length + chain.competitorUndercuts.length + chain.costChanges.length);
  for (const c of complaints) {
    await api.call('POST', '/api/ingest/complaints', ingestKey, {
      externalId: c.externalId,
      productId: products[c.product],
      branchId: branches[c.branch],
      occurredAt: c.occurredAt,
      category: c.category,
      severity: c.severity,
      text: c.text,
      customerPhone: c.customerPhone,
    });
    progress.tick();
  }
  for (const u of chain.competitorUndercuts.filter((x) => products[x.product] !== undefined)) {
    await api.call('POST', '/api/ingest/competitor-prices', ingestKey, {
      rows: [
        {
          productId: products[u.product],
          competitor: u.competitor,
          priceFen: u.priceFen,
          observedAt: u.observedAt,
          platform: u.platform,
        },
      ],
    });
    progress.tick();
  }
  for (const change of chain.costChanges.filter((x) => products[x.product] !== undefined)) {
    const product = chain.products.find((p) => p.key === change.product)!;
    await api.call('POST', '/api/ingest/cost-changes', tokenOf[product.owner]!, {
      productId: products[change.product],
      consumablesFen: change.consumablesFen,
      effectiveOn: change.effectiveOn,
    });
    progress.tick();
  }

  // Retirements come after the sales they stop.
  for (const product of chosen.filter((p) => p.stage === 'retirement' || p.stage === 'retired')) {
    const id = products[product.key]!;
    const owner = tokenOf[product.owner]!;
    if (product.stage === 'retirement') {
      await api.call('PUT', `/api/products/${id}/retirement`, owner, {
        outstandingPrepaidSessions: 38,
        endOn: addDays(chain.to, 90),
      });
      await api.call('POST', `/api/products/${id}/events`, owner, {
        type: 'RETIRE',
        reason: '次卡销量持续下滑，由新套餐替代；已售次卡继续履约',
        endOn: addDays(chain.to, 90),
      });
    } else {
      await api.call('POST', `/api/products/${id}/events`, owner, { type: 'RETIRE', reason: '年卡停售' });
      await api.call('PUT', `/api/products/${id}/retirement`, owner, { outstandingPrepaidSessions: 0 });
      await api.call('POST', `/api/products/${id}/events`, owner, {
        type: 'COMPLETE_RETIREMENT',
        reason: '次数已全部履约',
      });
    }
  }

  progress.start('evaluations settling', 1);
  const deadline = Date.now() + (options.settleTimeoutMs ?? 600_000);
  let calm = 0;
  while (calm < 2) {
    const backlog = await api.call<{ settled: boolean }>('GET', '/api/system/backlog', admin);
    calm = backlog.settled ? calm + 1 : 0;
    if (Date.now() > deadline) throw new ApiError('Evaluations did not settle in time.');
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  progress.tick();

  const last = quarterJustEnded(new Date(`${addDays(chain.to, 1)}T04:00:00Z`));
  const quarters = [previousQuarter(last), last];
  progress.start('quarterly reviews', quarters.length);
  const reviews: { quarter: string; id: string }[] = [];
  for (const q of quarters) {
    const { reviewId } = await api.call<{ reviewId: string }>(
      'POST',
      '/api/reviews/quarterly',
      tokenOf.pm_face!,
      {
        quarter: q.id,
      },
    );
    for (;;) {
      const review = await api.call<{ status: string }>('GET', `/api/reviews/${reviewId}`, admin);
      if (review.status === 'ready') break;
      if (Date.now() > deadline + 60_000) throw new ApiError(`Review ${q.id} was not computed in time.`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    reviews.push({ quarter: q.id, id: reviewId });
    progress.tick();
  }
  progress.stop();

  const tasksBySignal: Record<string, number> = {};
  let cursor: string | null = null;
  do {
    const page: { items: { signal: string }[]; nextCursor: string | null } = await api.call(
      'GET',
      `/api/tasks?status=open&limit=200${cursor ? `&cursor=${cursor}` : ''}`,
      admin,
    );
    for (const t of page.items) tasksBySignal[t.signal] = (tasksBySignal[t.signal] ?? 0) + 1;
    cursor = page.nextCursor;
  } while (cursor);

  return { ids: { branches, departments, people, products }, salesRows: rows.length, reviews, tasksBySignal };
}
