// The quarterly review at chain scale: products × branches × a year of daily sales from the demo
// generator, seeded with COPY (review-seed.ts), then the review computed from the rollups; the baseline
// is the same quarter's GROUP BY over the raw daily rows, measured in the same process.
import { sql } from 'kysely';
import { createTestDatabase } from '@tower/db/testing';
import { DEFAULT_RULES, parseQuarter } from '@tower/domain';
import { computeQuarterlyReview, createEngineContext, runQuarterlyReview } from '@tower/engine';
import { seedReviewChain, type ReviewChainOptions } from './review-seed.js';
import { int, note } from './stats.js';

export type ReviewBenchOptions = ReviewChainOptions;

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

export async function benchReviews(options: ReviewBenchOptions): Promise<ReviewFigures> {
  const testDb = await createTestDatabase();
  const db = testDb.db;
  try {
    note(
      `seeding ${int(options.products)} products × ${options.branchesPerCity * 2} branches × ${options.days} days`,
    );
    const [, seedMs] = await timed(() => seedReviewChain(db, testDb.url, options));
    const counts: Record<string, number> = {};
    for (const table of [
      'products',
      'branches',
      'sales_daily',
      'sales_monthly',
      'sales_product_monthly',
      'sales_product_daily',
      'product_cost_history',
      'list_price_history',
    ]) {
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
    // BENCH_KEEP_DB=1 leaves the seeded database for a closer look (its name is printed).
    if (process.env.BENCH_KEEP_DB === '1') {
      await testDb.db.destroy();
      note(`kept the seeded database ${testDb.name}`);
    } else await testDb.drop();
  }
}
