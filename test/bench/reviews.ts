// The quarterly review at chain scale: products × branches × a year of daily sales from the demo
// generator, written through the ingestion path's repository functions (UNNEST upsert of the daily rows,
// then the set-based monthly rollup refresh), then the review computed from the rollups; the baseline
// is the same quarter's GROUP BY over the raw daily rows, measured in the same process.
import { sql } from 'kysely';
import {
  insertProduct,
  insertTransition,
  refreshSalesMonthly,
  replacePrices,
  upsertCosts,
  upsertSalesDaily,
  type Db,
  type SalesRow,
} from '@tower/db';
import { createTestDatabase } from '@tower/db/testing';
import { generateDemoChain, productSales } from '@tower/demo';
import { DEFAULT_RULES, parseQuarter } from '@tower/domain';
import { computeQuarterlyReview, createEngineContext, runQuarterlyReview } from '@tower/engine';
import { persistLifecycleSnapshot, lifecycleMachine } from '@tower/workflow-lifecycle';
import { makeBranch, makeDepartment, makePerson } from '../support/api.js';
import { inParallel } from './seed.js';
import { int, note } from './stats.js';

export interface ReviewBenchOptions {
  readonly products: number;
  readonly branchesPerCity: number;
  readonly days: number;
  readonly end: string;
  readonly quarter: string;
}

export interface ReviewFigures {
  readonly options: ReviewBenchOptions;
  readonly counts: Record<string, number>;
  readonly seedSeconds: number;
  readonly rollupMs: number[];
  readonly rawMs: number[];
  readonly runMs: number;
  readonly products: number;
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

async function seed(db: Db, options: ReviewBenchOptions): Promise<void> {
  const chain = generateDemoChain({
    end: options.end,
    days: options.days,
    products: options.products,
    branchesPerCity: options.branchesPerCity,
    everywhere: true,
  });
  const departments = new Map<string, string>();
  for (const d of chain.departments) departments.set(d.code, (await makeDepartment(db, `r-${d.code}`)).id);
  const branches = new Map<string, string>();
  for (const b of chain.branches) branches.set(b.code, (await makeBranch(db, `r-${b.code}`)).id);
  const owner = await makePerson(db, [{ role: 'product_manager' }], 'Bench PM');
  const snapshot = persistLifecycleSnapshot(
    lifecycleMachine.resolveState({ value: 'monitoring', context: { productId: null } }),
  );
  const ids = await inParallel(chain.products, 8, async (p) => {
    const row = await insertProduct(db, {
      at: new Date(),
      name: p.name,
      departmentId: departments.get(p.department)!,
      tier: p.tier,
      ownerId: owner.id,
      vendor: p.vendor,
      stage: 'monitoring',
      snapshot,
    });
    await upsertCosts(db, row.id, p.costs, chain.from, new Date());
    await replacePrices(db, row.id, [{ type: 'list', amountFen: p.listFen, sessions: null }], new Date());
    await insertTransition(db, {
      productId: row.id,
      event: 'LAUNCH',
      fromStage: 'launch',
      toStage: 'monitoring',
      version: 6,
      actorId: owner.id,
      reason: null,
    });
    return row.id;
  });
  // Every tenth product had a cost change in the middle of the reviewed quarter.
  const q = parseQuarter(options.quarter);
  await inParallel(
    chain.products.filter((_, i) => i % 10 === 0),
    8,
    async (p) => {
      const id = ids[p.index]!;
      await upsertCosts(
        db,
        id,
        { ...p.costs, consumablesFen: Math.round(p.costs.consumablesFen * 1.2) },
        `${q.months[1].slice(0, 8)}15`,
        new Date(),
      );
    },
  );

  const pairs = chain.products.flatMap((p) => chain.branches.map((b) => ({ p, b })));
  let batch: SalesRow[] = [];
  let written = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    await db.transaction().execute(async (tx) => {
      await upsertSalesDaily(tx, rows);
      await refreshSalesMonthly(tx, rows);
    });
    written += rows.length;
    if (written % 1_000_000 < rows.length) note(`  ${int(written)} daily rows written`);
  };
  for (const { p, b } of pairs) {
    for (const r of productSales(chain, p, b, { productId: ids[p.index]!, branchId: branches.get(b.code)! }))
      batch.push({ ...r, channel: '' });
    if (batch.length >= 50_000) await flush();
  }
  await flush();
  await sql`analyze`.execute(db);
}

export async function benchReviews(options: ReviewBenchOptions): Promise<ReviewFigures> {
  const testDb = await createTestDatabase();
  const db = testDb.db;
  try {
    note(
      `seeding ${int(options.products)} products × ${options.branchesPerCity * 2} branches × ${options.days} days`,
    );
    const [, seedMs] = await timed(() => seed(db, options));
    const counts: Record<string, number> = {};
    for (const table of ['products', 'branches', 'sales_daily', 'sales_monthly', 'product_cost_history']) {
      const { rows } = await sql<{ n: number }>`select count(*)::int8 as n from ${sql.table(table)}`.execute(
        db,
      );
      counts[table] = rows[0]!.n;
    }
    const q = parseQuarter(options.quarter);
    const rollupMs: number[] = [];
    const rawMs: number[] = [];
    let products = 0;
    for (let i = 0; i < 3; i++) {
      const [review, ms] = await timed(() =>
        db.transaction().execute((tx) => computeQuarterlyReview(tx, q, DEFAULT_RULES)),
      );
      products = review.productCount;
      rollupMs.push(ms);
      // The baseline: the quarter's per-product totals straight from the daily rows.
      const [, raw] = await timed(() =>
        sql`select product_id, sum(units), sum(revenue_fen), sum(orders), sum(returning_orders)
            from sales_daily where date between ${q.from} and ${q.to} group by product_id`.execute(db),
      );
      rawMs.push(raw);
    }
    const ctx = createEngineContext(db);
    const { id } = await db
      .insertInto('reviews')
      .values({ quarter: q.id, requestedBy: null, updatedAt: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const [, runMs] = await timed(() => runQuarterlyReview(ctx, { reviewId: id }));
    return { options, counts, seedSeconds: seedMs / 1000, rollupMs, rawMs, runMs, products };
  } finally {
    await testDb.drop();
  }
}
