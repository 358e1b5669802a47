import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { claimIdempotencyKeyInTransaction, completeIdempotencyKey } from '@tower/db';
import { createEngineContext, idempotencyHash, relayOutbox } from '@tower/engine';
import { QueueSet } from '@tower/queue';
import {
  call,
  makeBranch,
  makeDepartment,
  makePerson,
  startApi,
  type ApiHarness,
  type TestPerson,
} from '../support/api.js';
import { makeLiveProduct } from '../support/stack.js';

let h: ApiHarness;
let queues: QueueSet;
let admin: TestPerson;
let ingestKey: string;
let apiKeyId: string;
let productId: string;
let branchId: string;

beforeAll(async () => {
  // No worker runs here: what the relay puts in Redis stays there to be counted.
  h = await startApi({ MAX_INGEST_ROWS: '20000' });
  queues = new QueueSet({ redisUrl: h.config.redisUrl, prefix: h.queuePrefix });
  const departmentId = (await makeDepartment(h.db, 'tcm')).id;
  branchId = (await makeBranch(h.db, 'gz-1')).id;
  const owner = await makePerson(h.db, [{ role: 'product_manager' }]);
  admin = await makePerson(h.db, [{ role: 'admin' }]);
  productId = await makeLiveProduct(h.db, { departmentId, ownerId: owner.id, name: 'Acupuncture course' });
  const key = await call(h.app, 'POST', '/api/api-keys', {
    token: admin.token,
    body: { name: 'POS', scopes: ['ingest'] },
  });
  ingestKey = key.body.key;
  apiKeyId = key.body.id;
});

afterAll(async () => {
  await queues?.close();
  await h?.close();
});

function row(date: string, channel: string, units = 3) {
  return { productId, branchId, date, channel, units, revenueFen: units * 18_000, orders: units };
}

async function relayAll() {
  const ctx = createEngineContext(h.db, h.clock.now);
  while ((await relayOutbox(ctx, queues)).sent > 0);
}

describe('bulk sales ingestion', () => {
  it('causes one evaluation for 10,000 rows of one product, branch and day, however many requests bring them', async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => row('2026-11-01', `channel-${i}`));
    const first = await call(h.app, 'POST', '/api/ingest/sales', { token: ingestKey, body: { rows } });
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ accepted: 10_000, evaluations: 1 });
    const second = await call(h.app, 'POST', '/api/ingest/sales', {
      token: ingestKey,
      body: { rows: rows.slice(0, 50) },
    });
    expect(second.body).toEqual({ accepted: 50, evaluations: 1 });
    await relayAll();
    const waiting = await queues.byName.signals.getJobs(['waiting', 'prioritized', 'delayed']);
    expect(waiting.filter((j) => j.name === 'evaluate-sales')).toHaveLength(1);
    // The job names the product; the day to judge each pair from is the pair's watermark in Postgres.
    expect(waiting[0]!.data).toEqual({ productId });
    const mark = await h.db
      .selectFrom('salesEvaluationMarks')
      .select('fromDate')
      .where('productId', '=', productId)
      .where('branchId', '=', branchId)
      .executeTakeFirst();
    expect(mark?.fromDate).toBe('2026-11-01');
  });

  it('replaces the figure of a (product, branch, date, channel) and keeps the monthly rollup equal to the days', async () => {
    await call(h.app, 'POST', '/api/ingest/sales', {
      token: ingestKey,
      body: { rows: [row('2026-10-05', 'meituan', 4)] },
    });
    await call(h.app, 'POST', '/api/ingest/sales', {
      token: ingestKey,
      body: { rows: [row('2026-10-05', 'meituan', 7)] },
    });
    const day = await h.db
      .selectFrom('salesDaily')
      .select(['units'])
      .where('productId', '=', productId)
      .where('date', '=', '2026-10-05')
      .where('channel', '=', 'meituan')
      .execute();
    expect(day).toEqual([{ units: 7 }]);
    const month = await h.db
      .selectFrom('salesMonthly')
      .select(['units', 'revenueFen'])
      .where('productId', '=', productId)
      .where('month', '=', '2026-10-01')
      .executeTakeFirstOrThrow();
    expect(month).toEqual({ units: 7, revenueFen: 7 * 18_000 });
  });

  it('stores a batch of new days holding one stored day in its middle as an upsert would, rollups included', async () => {
    await call(h.app, 'POST', '/api/ingest/sales', {
      token: ingestKey,
      body: { rows: [row('2025-02-10', 'clinic', 5)] },
    });
    // In key order the first nine days are new: the plain insert writes them before it meets the
    // stored tenth, and rolls back; the upsert then writes all twenty.
    const rows = Array.from({ length: 20 }, (_, i) => row(addDaysTo('2025-02-01', i), 'clinic', 2 + (i % 4)));
    const answer = await call(h.app, 'POST', '/api/ingest/sales', { token: ingestKey, body: { rows } });
    expect(answer.status).toBe(202);
    const { rows: figures } = await sql<{ days: number; units: number; rollup: number; chainWide: number }>`
      select (select count(*)::int from sales_daily d where d.product_id = ${productId} and d.branch_id = ${branchId}
          and d.date between '2025-02-01' and '2025-02-28') as days,
        (select sum(units)::int from sales_daily d where d.product_id = ${productId} and d.branch_id = ${branchId}
          and d.date between '2025-02-01' and '2025-02-28') as units,
        (select units::int from sales_monthly where product_id = ${productId} and branch_id = ${branchId}
          and month = '2025-02-01') as rollup,
        (select sum(units)::int from sales_product_daily where product_id = ${productId}
          and date between '2025-02-01' and '2025-02-28') as "chainWide"`.execute(h.db);
    const sent = rows.reduce((sum, r) => sum + r.units, 0);
    expect(figures).toEqual([{ days: 20, units: sent, rollup: sent, chainWide: sent }]);
  });

  it('takes concurrent batches over the same products and months without deadlocking', async () => {
    const products = [productId];
    const departmentId = (await makeDepartment(h.db, 'derm')).id;
    const owner = await makePerson(h.db, [{ role: 'product_manager' }]);
    for (let i = 0; i < 3; i++)
      products.push(await makeLiveProduct(h.db, { departmentId, ownerId: owner.id, name: `P${i}` }));
    // Every batch holds the same keys in its own shuffled order.
    const keys = products.flatMap((p) =>
      Array.from({ length: 600 }, (_, i) => ({
        ...row(addDaysTo('2026-05-01', i % 60), `store-${Math.floor(i / 60)}`, 2),
        productId: p,
      })),
    );
    const batches = Array.from({ length: 8 }, (_, b) =>
      [...keys].sort(
        (x, y) => (hash(`${b}${x.productId}${x.date}`) - hash(`${b}${y.productId}${y.date}`)) | 0,
      ),
    );
    const answers = await Promise.all(
      batches.map((rows) => call(h.app, 'POST', '/api/ingest/sales', { token: ingestKey, body: { rows } })),
    );
    expect(answers.map((a) => a.status)).toEqual(batches.map(() => 202));
    const month = await h.db
      .selectFrom('salesMonthly')
      .select(sql<number>`sum(units)::int`.as('units'))
      .where('month', '=', '2026-05-01')
      .executeTakeFirstOrThrow();
    expect(month.units).toBe(products.length * 31 * 2 * 10);
  });

  it('keeps the monthly rollup equal to the days while concurrent batches bring new and replaced days of the same months', async () => {
    const rollupAgainstDays = async () => {
      const { rows } = await sql<{ month: string; days: number; rollup: number }>`
        select m.month::text as month, m.units as rollup,
          (select coalesce(sum(d.units), 0)::int from sales_daily d where d.product_id = m.product_id
            and d.branch_id = m.branch_id and d.date >= m.month and d.date < m.month + interval '1 month') as days
        from sales_monthly m where m.product_id = ${productId} and m.month in ('2024-03-01', '2024-04-01')
        order by m.month`.execute(h.db);
      return rows;
    };
    // Eight batches, each its own days of March and April across 30 channels, sent at once; then again
    // with other figures (every row replaces one), and the two rounds overlapping.
    const round = (units: number) =>
      Array.from({ length: 8 }, (_, b) =>
        Array.from({ length: 240 }, (_, i) =>
          row(addDaysTo('2024-03-01', b * 7 + (i % 7)), `ch-${Math.floor(i / 7)}`, units + (i % 3)),
        ),
      );
    const send = (batches: ReturnType<typeof row>[][]) =>
      Promise.all(
        batches.map((rows) => call(h.app, 'POST', '/api/ingest/sales', { token: ingestKey, body: { rows } })),
      );
    expect((await send(round(2))).map((a) => a.status)).toEqual(Array(8).fill(202));
    const first = await rollupAgainstDays();
    expect(first.map((m) => m.rollup)).toEqual(first.map((m) => m.days));
    expect(first.map((m) => m.month)).toEqual(['2024-03-01', '2024-04-01']);
    await Promise.all([send(round(5)), send(round(9).reverse())]);
    const second = await rollupAgainstDays();
    expect(second.map((m) => m.rollup)).toEqual(second.map((m) => m.days));
  });

  it('keeps the chain-wide monthly rollup equal to the daily rows while branches report at once', async () => {
    // Six branches' uploads of the same product and month arrive together, each in two requests.
    const branches = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => (await makeBranch(h.db, `hz-${i}`)).id),
    );
    const uploads = branches.flatMap((branch, b) =>
      [0, 1].map((half) =>
        Array.from({ length: 15 }, (_, d) => ({
          ...row(addDaysTo('2026-03-01', half * 15 + d), '', 1 + ((b + d) % 4)),
          branchId: branch,
        })),
      ),
    );
    const answers = await Promise.all(
      uploads.map((rows) => call(h.app, 'POST', '/api/ingest/sales', { token: ingestKey, body: { rows } })),
    );
    expect(answers.map((a) => a.status)).toEqual(uploads.map(() => 202));
    const daily = await h.db
      .selectFrom('salesDaily')
      .select([
        sql<number>`sum(units)::int`.as('units'),
        sql<number>`sum(revenue_fen)::int8`.as('revenueFen'),
      ])
      .where('productId', '=', productId)
      .where('date', '>=', '2026-03-01')
      .where('date', '<=', '2026-03-31')
      .executeTakeFirstOrThrow();
    const chainWide = await h.db
      .selectFrom('salesProductMonthly')
      .select(['units', 'revenueFen', 'firstSaleOn'])
      .where('productId', '=', productId)
      .where('month', '=', '2026-03-01')
      .executeTakeFirstOrThrow();
    expect(daily.units).toBe(uploads.flat().reduce((sum, r) => sum + r.units, 0));
    expect(chainWide).toEqual({
      units: daily.units,
      revenueFen: daily.revenueFen,
      firstSaleOn: '2026-03-01',
    });

    // A branch corrects its figures: the chain-wide day moves by the difference, never double-counts.
    const corrected = uploads[0]!.map((r) => ({
      ...r,
      units: r.units + 5,
      revenueFen: (r.units + 5) * 18_000,
    }));
    const again = await call(h.app, 'POST', '/api/ingest/sales', {
      token: ingestKey,
      body: { rows: corrected },
    });
    expect(again.status).toBe(202);
    const perDay = await h.db
      .selectFrom('salesDaily')
      .select(['date', sql<number>`sum(units)::int`.as('units')])
      .where('productId', '=', productId)
      .where('date', '>=', '2026-03-01')
      .where('date', '<=', '2026-03-31')
      .groupBy('date')
      .orderBy('date')
      .execute();
    const chainWideDays = await h.db
      .selectFrom('salesProductDaily')
      .select(['date', 'units'])
      .where('productId', '=', productId)
      .where('date', '>=', '2026-03-01')
      .where('date', '<=', '2026-03-31')
      .orderBy('date')
      .execute();
    expect(chainWideDays).toEqual(perDay);
    // 1 March: every branch's first-half upload, the first one corrected by 5.
    expect(perDay[0]!.units).toBe(
      uploads.filter((_, i) => i % 2 === 0).reduce((sum, u) => sum + u[0]!.units, 0) + 5,
    );
  });

  it('answers 413 for more rows than a request may carry, and stores none of them', async () => {
    const rows = Array.from({ length: 20_001 }, (_, i) => row('2026-09-01', `c${i}`));
    const before = await h.db
      .selectFrom('salesDaily')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    const response = await call(h.app, 'POST', '/api/ingest/sales', { token: ingestKey, body: { rows } });
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ error: 'too_many_rows', maxRows: 20_000 });
    const after = await h.db
      .selectFrom('salesDaily')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('names every unknown product and branch of a batch and stores nothing', async () => {
    const ghost = '00000000-0000-4000-8000-000000000001';
    const response = await call(h.app, 'POST', '/api/ingest/sales', {
      token: ingestKey,
      body: {
        rows: [
          row('2026-08-01', 'a'),
          { ...row('2026-08-01', 'b'), productId: ghost },
          { ...row('2026-08-01', 'c'), branchId: ghost },
        ],
      },
    });
    expect(response.status).toBe(400);
    expect(response.body.fields).toEqual([
      { field: '/rows/1/productId', message: 'no such product', code: 'NO_SUCH_PRODUCT' },
      { field: '/rows/2/branchId', message: 'no such branch', code: 'NO_SUCH_BRANCH' },
    ]);
    const stored = await h.db
      .selectFrom('salesDaily')
      .select('date')
      .where('date', '=', '2026-08-01')
      .execute();
    expect(stored).toEqual([]);
  });
});

describe('large and awkward batches answer as they should, never 500', () => {
  it('takes more sales keys in one batch than Postgres binds parameters for in one statement', async () => {
    // 17,000 distinct (product, branch, day) keys, one pair → one evaluation row in the outbox.
    const start = Date.parse('1950-01-01T00:00:00Z'); // far from the other tests' days
    const rows = Array.from({ length: 17_000 }, (_, i) => ({
      ...row(new Date(start + i * 86_400_000).toISOString().slice(0, 10), 'pos', 1),
    }));
    const response = await call(h.app, 'POST', '/api/ingest/sales', { token: ingestKey, body: { rows } });
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ accepted: 17_000, evaluations: 1 });
  });

  it('takes 9,500 competitor prices in one request', async () => {
    const rows = Array.from({ length: 9_500 }, (_, i) => ({
      productId,
      competitor: `Clinic ${i}`,
      priceFen: 100_000 + i,
      observedAt: '2026-10-01',
      platform: 'dianping',
    }));
    const response = await call(h.app, 'POST', '/api/ingest/competitor-prices', {
      token: ingestKey,
      body: { rows },
    });
    expect(response.status).toBe(202);
    const stored = await h.db
      .selectFrom('competitorPrices')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('productId', '=', productId)
      .executeTakeFirstOrThrow();
    expect(stored.n).toBeGreaterThanOrEqual(9_500);
  });

  it('keeps the last of two entries for the same calendar day', async () => {
    const response = await call(h.app, 'PUT', '/api/calendar/days', {
      token: admin.token,
      body: {
        days: [
          { date: '2026-10-01', kind: 'holiday', name: '国庆' },
          { date: '2026-10-01', kind: 'promotion', name: 'Golden week sale' },
        ],
      },
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ saved: 1 });
    const calendar = await call(h.app, 'GET', '/api/calendar?year=2026', { token: admin.token });
    expect(calendar.body.items).toEqual([
      { date: '2026-10-01', kind: 'promotion', name: 'Golden week sale' },
    ]);
  });
});

describe('who may bring facts', () => {
  it("refuses a person's facts about products outside their scope, and cost changes from anyone but the owner", async () => {
    const skin = (await makeDepartment(h.db, 'skin2')).id;
    const skinManager = await makePerson(h.db, [{ role: 'department_manager', departmentId: skin }]);
    const sales = await call(h.app, 'POST', '/api/ingest/sales', {
      token: skinManager.token,
      body: { rows: [row('2025-12-31', 'x')] },
    });
    expect(sales.status).toBe(400);
    expect(sales.body.fields).toEqual([
      { field: '/rows/0/productId', message: 'no such product', code: 'NO_SUCH_PRODUCT' },
    ]);

    const marketing = await makePerson(h.db, [{ role: 'marketing_manager' }]);
    const cost = await call(h.app, 'POST', '/api/ingest/cost-changes', {
      token: marketing.token,
      body: { productId, labourFen: 1, effectiveOn: '2026-11-01' },
    });
    expect(cost.status).toBe(403);
    const prices = await call(h.app, 'POST', '/api/ingest/competitor-prices', {
      token: marketing.token,
      body: { rows: [{ productId, competitor: 'Clinic M', priceFen: 90_000, observedAt: '2026-11-01' }] },
    });
    expect(prices.status).toBe(202);
    expect(
      await h.db.selectFrom('salesDaily').select('date').where('date', '=', '2025-12-31').execute(),
    ).toEqual([]);
  });

  it('keeps a late cost change as history without overwriting newer costs', async () => {
    const newer = await call(h.app, 'POST', '/api/ingest/cost-changes', {
      token: ingestKey,
      body: { productId, labourFen: 30_000, effectiveOn: '2026-11-10' },
    });
    expect(newer.body).toMatchObject({ applied: true });
    const late = await call(h.app, 'POST', '/api/ingest/cost-changes', {
      token: ingestKey,
      body: { productId, labourFen: 5_000, effectiveOn: '2026-10-01' },
    });
    expect(late.status).toBe(202);
    expect(late.body).toMatchObject({ applied: false, unitCostFen: newer.body.unitCostFen });
    const costs = await h.db
      .selectFrom('productCosts')
      .select(['labourFen', 'effectiveOn'])
      .where('productId', '=', productId)
      .executeTakeFirstOrThrow();
    expect(costs).toEqual({ labourFen: 30_000, effectiveOn: '2026-11-10' });
  });
});

describe('Idempotency-Key', () => {
  /** Holds the key as an API process would mid-request: claimed in an open transaction until `release`. */
  async function holdKey(key: string, body: unknown) {
    const scope = `api_key-${apiKeyId}-ingest-sales`;
    let release!: (commit: boolean) => void;
    const decided = new Promise<boolean>((resolve) => (release = resolve));
    let claimed!: () => void;
    const isClaimed = new Promise<void>((resolve) => (claimed = resolve));
    const done = h.db
      .transaction()
      .execute(async (tx) => {
        const claim = await claimIdempotencyKeyInTransaction(tx, {
          scope,
          key,
          requestHash: idempotencyHash(body),
          waitMs: 1000,
          at: new Date(),
        });
        expect(claim.outcome).toBe('claimed');
        claimed();
        if (!(await decided)) throw new Error('the first request died');
        await completeIdempotencyKey(tx, {
          scope,
          key,
          outcome: 'accepted',
          response: { accepted: 1, evaluations: 1, first: true },
          at: new Date(),
        });
      })
      .catch((error: Error) => error.message);
    await isClaimed;
    return { release, done };
  }

  it('makes a concurrent duplicate wait for the first answer and return it, storing nothing', async () => {
    const body = { rows: [row('2026-07-01', 'x')] };
    const first = await holdKey('batch-77', body.rows);
    const duplicate = call(h.app, 'POST', '/api/ingest/sales', {
      token: ingestKey,
      body,
      headers: { 'idempotency-key': 'batch-77' },
    });
    // The duplicate is blocked on the first one's claim: let the first one finish.
    await new Promise((resolve) => setTimeout(resolve, 200));
    first.release(true);
    await first.done;
    const response = await duplicate;
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ accepted: 1, evaluations: 1, first: true });
    expect(response.raw.headers['idempotent-replayed']).toBe('true');
    expect(
      await h.db.selectFrom('salesDaily').select('date').where('date', '=', '2026-07-01').execute(),
    ).toEqual([]);
  });

  it('frees a key at once when the request holding it dies, so a retry does the work', async () => {
    const body = { rows: [row('2026-07-02', 'x')] };
    const first = await holdKey('batch-78', body.rows);
    const retry = call(h.app, 'POST', '/api/ingest/sales', {
      token: ingestKey,
      body,
      headers: { 'idempotency-key': 'batch-78' },
    });
    first.release(false);
    expect(await first.done).toBe('the first request died');
    const response = await retry;
    expect(response.status).toBe(202);
    expect(response.raw.headers['idempotent-replayed']).toBeUndefined();
    expect(
      await h.db.selectFrom('salesDaily').select('date').where('date', '=', '2026-07-02').execute(),
    ).toHaveLength(1);
  });

  it('frees the key when the work fails, so the client can fix the body and retry with it', async () => {
    const owner = await makePerson(h.db, [{ role: 'product_manager' }]);
    const departmentId = (await makeDepartment(h.db, 'surgery')).id;
    const fresh = await call(h.app, 'POST', '/api/products', {
      token: owner.token,
      body: { name: 'Thread lift', departmentId, tier: 'custom', ownerId: owner.id },
    });
    // A product without costs cannot take a partial change: refused inside the claimed work.
    const partial = await call(h.app, 'POST', '/api/ingest/cost-changes', {
      token: ingestKey,
      body: { productId: fresh.body.id, labourFen: 25_000, effectiveOn: '2026-11-01' },
      headers: { 'idempotency-key': 'cost-1' },
    });
    expect(partial.status).toBe(400);
    expect(partial.body.fields.map((f: { field: string }) => f.field)).toEqual([
      '/consumablesFen',
      '/overheadFen',
      '/marketingFen',
    ]);
    const whole = await call(h.app, 'POST', '/api/ingest/cost-changes', {
      token: ingestKey,
      body: {
        productId: fresh.body.id,
        consumablesFen: 90_000,
        labourFen: 25_000,
        overheadFen: 5_000,
        marketingFen: 10_000,
        effectiveOn: '2026-11-01',
      },
      headers: { 'idempotency-key': 'cost-2' },
    });
    expect(whole.status).toBe(202);
    const retried = await call(h.app, 'POST', '/api/ingest/cost-changes', {
      token: ingestKey,
      body: { productId: fresh.body.id, labourFen: 25_000, effectiveOn: '2026-11-01' },
      headers: { 'idempotency-key': 'cost-1' },
    });
    expect(retried.status).toBe(202);
    expect(retried.raw.headers['idempotent-replayed']).toBeUndefined();
    expect(retried.body.unitCostFen).toBe(90_000 + 25_000 + 5_000 + 10_000);
  });
});

function addDaysTo(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function hash(text: string): number {
  let h = 0;
  for (const ch of text) h = (h * 31 + ch.charCodeAt(0)) | 0;
  return h;
}
