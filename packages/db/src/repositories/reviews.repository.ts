import { sql } from 'kysely';
import type { LifecycleEventType, ReviewDecision, Severity } from '@tower/domain';
import type { Executor } from '../connection.js';

export interface ReviewRecord {
  id: string;
  quarter: string;
  status: string;
  departments: unknown;
  productCount: number;
  requestedBy: string | null;
  computedAt: Date | null;
  computeMs: number | null;
  runs: number;
  createdAt: Date;
  updatedAt: Date;
}

/** The review of a quarter, made if it does not exist yet (one per quarter, whoever asks first). */
export async function upsertReview(
  db: Executor,
  quarter: string,
  requestedBy: string | null,
): Promise<{ id: string; created: boolean }> {
  const inserted = await db
    .insertInto('reviews')
    .values({ quarter, requestedBy, updatedAt: new Date() })
    .onConflict((oc) => oc.column('quarter').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  const existing = await db
    .selectFrom('reviews')
    .select('id')
    .where('quarter', '=', quarter)
    .executeTakeFirstOrThrow();
  return { id: existing.id, created: false };
}

export async function findReviewById(db: Executor, id: string): Promise<ReviewRecord | undefined> {
  return db.selectFrom('reviews').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Locks the review row: two runs of one quarter compute one after the other, never interleaved. */
export async function lockReviewById(db: Executor, id: string): Promise<ReviewRecord | undefined> {
  return db.selectFrom('reviews').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Reviews without their figures, newest quarter first within a page ordered by id (the cursor). */
export async function listReviews(db: Executor, page: { after?: string; limit: number }) {
  let query = db
    .selectFrom('reviews')
    .select([
      'id',
      'quarter',
      'status',
      'productCount',
      'computedAt',
      'computeMs',
      'runs',
      'createdAt',
      sql<number>`jsonb_array_length(departments)::int`.as('departmentCount'),
    ]);
  if (page.after) query = query.where('id', '>', page.after);
  return query.orderBy('id').limit(page.limit).execute();
}

export async function saveReviewFigures(
  db: Executor,
  id: string,
  figures: { departments: unknown; productCount: number; computedAt: Date; computeMs: number },
): Promise<void> {
  await db
    .updateTable('reviews')
    .set({
      status: 'ready',
      departments: JSON.stringify(figures.departments),
      productCount: figures.productCount,
      computedAt: figures.computedAt,
      computeMs: figures.computeMs,
      runs: sql`runs + 1`,
      updatedAt: figures.computedAt,
    })
    .where('id', '=', id)
    .execute();
}

export interface ReviewCandidate {
  id: string;
  name: string;
  departmentId: string;
  tier: string;
  stage: string;
  ownerId: string;
  /** Asia/Shanghai day of the first LAUNCH. */
  launchedOn: string | null;
  /** Asia/Shanghai day of the latest RETIRE. */
  retiredOn: string | null;
  /** Asia/Shanghai day retirement completed (COMPLETE_RETIREMENT). */
  retiredFinalOn: string | null;
  listPriceFen: number | null;
}

/**
 * Products a quarter's review may list: on sale or retiring now, retired (the engine drops those gone
 * before the quarter), or with rollup sales in `months`.
 */
export async function listReviewCandidates(
  db: Executor,
  months: readonly string[],
): Promise<ReviewCandidate[]> {
  const day = (event: string, fn: 'min' | 'max') =>
    sql<string | null>`(select (${sql.raw(fn)}(t.at) at time zone 'Asia/Shanghai')::date
      from lifecycle_transitions t where t.product_id = products.id and t.event = ${event})`;
  return db
    .selectFrom('products')
    .select([
      'id',
      'name',
      'departmentId',
      'tier',
      'stage',
      'ownerId',
      day('LAUNCH', 'min').as('launchedOn'),
      day('RETIRE', 'max').as('retiredOn'),
      day('COMPLETE_RETIREMENT', 'max').as('retiredFinalOn'),
      sql<number | null>`(select amount_fen from product_prices pp
        where pp.product_id = products.id and pp.type = 'list')`.as('listPriceFen'),
    ])
    .where((eb) =>
      eb.or([
        eb('stage', 'in', ['monitoring', 'retirement', 'retired']),
        eb.exists(
          eb
            .selectFrom('salesMonthly')
            .select('salesMonthly.productId')
            .whereRef('salesMonthly.productId', '=', 'products.id')
            .where('salesMonthly.month', 'in', [...months]),
        ),
      ]),
    )
    .orderBy('id')
    .execute();
}

export interface ProductMonthTotals {
  productId: string;
  month: string;
  units: number;
  revenueFen: number;
  orders: number;
  returningOrders: number;
  firstSaleOn: string | null;
}

/** Monthly totals per product over all branches, from the monthly rollup (never the daily rows). */
export async function sumRollupByProductMonth(
  db: Executor,
  months: readonly string[],
): Promise<ProductMonthTotals[]> {
  if (months.length === 0) return [];
  return db
    .selectFrom('salesMonthly')
    .select([
      'productId',
      'month',
      sql<number>`sum(units)::int8`.as('units'),
      sql<number>`sum(revenue_fen)::int8`.as('revenueFen'),
      sql<number>`sum(orders)::int8`.as('orders'),
      sql<number>`sum(returning_orders)::int8`.as('returningOrders'),
      sql<string | null>`min(first_sale_on)`.as('firstSaleOn'),
    ])
    .where('month', 'in', [...months])
    .groupBy(['productId', 'month'])
    .execute();
}

/** The first day each product sold anything, up to `until` (from the rollup's first-sale days). */
export async function listFirstSaleDays(
  db: Executor,
  productIds: readonly string[],
  until: string,
): Promise<Map<string, string>> {
  if (productIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('salesMonthly')
    .select(['productId', sql<string>`min(first_sale_on)`.as('first')])
    .where('productId', '=', sql<string>`any(${[...productIds]}::uuid[])`)
    .where('month', '<=', until)
    .where('firstSaleOn', 'is not', null)
    .groupBy('productId')
    .execute();
  return new Map(rows.map((r) => [r.productId, r.first]));
}

/**
 * Units sold per product between two days inclusive, from the daily rows: only for the part of a month
 * a cost change splits. Joined through the branches so that each (product, branch) is an index range
 * seek on the daily rows' primary key, not a walk over all of the product's rows.
 */
export async function sumUnitsInRanges(
  db: Executor,
  ranges: readonly { productId: string; from: string; to: string }[],
): Promise<number[]> {
  if (ranges.length === 0) return [];
  const rows = await sql<{ i: number; units: number }>`
    select r.i, coalesce(sum(d.units), 0)::int8 as units
    from unnest(${ranges.map((r) => r.productId)}::uuid[], ${ranges.map((r) => r.from)}::date[],
      ${ranges.map((r) => r.to)}::date[]) with ordinality as r(product_id, from_day, to_day, i)
    cross join branches b
    left join sales_daily d on d.product_id = r.product_id and d.branch_id = b.id
      and d.date between r.from_day and r.to_day
    group by r.i
    order by r.i
  `.execute(db);
  return rows.rows.map((r) => r.units);
}

/** Complaints per product received in `from`..`to`. */
export async function countComplaintsByProduct(
  db: Executor,
  from: string,
  to: string,
): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('complaints')
    .select(['productId', sql<number>`count(*)::int`.as('n')])
    .where('occurredOn', '>=', from)
    .where('occurredOn', '<=', to)
    .groupBy('productId')
    .execute();
  return new Map(rows.map((r) => [r.productId, r.n]));
}

/** Every recorded unit cost of the products, in the order recorded. */
export async function listCostHistory(db: Executor, productIds: readonly string[]) {
  if (productIds.length === 0) return [];
  return db
    .selectFrom('productCostHistory')
    .select(['productId', 'effectiveFrom', 'unitCostFen'])
    .where('productId', '=', sql<string>`any(${[...productIds]}::uuid[])`)
    .orderBy('productId')
    .orderBy('id')
    .execute();
}

export async function listReviewDecisions(db: Executor, reviewId: string) {
  return db
    .selectFrom('reviewDecisions')
    .selectAll()
    .where('reviewId', '=', reviewId)
    .orderBy('decidedAt')
    .execute();
}

/** Records a product's decision on a review once; undefined when one is already recorded. */
export async function insertReviewDecision(
  db: Executor,
  decision: {
    reviewId: string;
    productId: string;
    decision: ReviewDecision;
    note: string;
    decidedBy: string;
    lifecycleEvent: LifecycleEventType | null;
  },
) {
  return db
    .insertInto('reviewDecisions')
    .values(decision)
    .onConflict((oc) => oc.columns(['reviewId', 'productId']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** Opens the review task of a department once per review; a rerun finds the one it made. */
export async function insertReviewTask(
  db: Executor,
  task: {
    reviewId: string;
    departmentId: string;
    severity: Severity;
    snapshot: unknown;
    assignees: string[];
    dueAt: Date;
    lastFiredOn: string;
  },
): Promise<{ id: string; created: boolean }> {
  const inserted = await db
    .insertInto('tasks')
    .values({
      productId: null,
      branchId: null,
      reviewId: task.reviewId,
      departmentId: task.departmentId,
      signal: 'quarterly_review',
      severity: task.severity,
      status: 'open',
      snapshot: JSON.stringify(task.snapshot),
      assignees: task.assignees,
      dueAt: task.dueAt,
      lastFiredOn: task.lastFiredOn,
      updatedAt: new Date(),
    })
    .onConflict((oc) =>
      oc.columns(['reviewId', 'departmentId']).where('reviewId', 'is not', null).doNothing(),
    )
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  const existing = await db
    .selectFrom('tasks')
    .select('id')
    .where('reviewId', '=', task.reviewId)
    .where('departmentId', '=', task.departmentId)
    .executeTakeFirstOrThrow();
  return { id: existing.id, created: false };
}

/** The review tasks of a review, by department. */
export async function listReviewTasks(db: Executor, reviewId: string) {
  return db
    .selectFrom('tasks')
    .select(['id', 'departmentId', 'status', 'assignees'])
    .where('reviewId', '=', reviewId)
    .execute();
}

/** Active product managers with their department scopes (null = chain-wide). */
export async function listProductManagers(db: Executor) {
  return db
    .selectFrom('personRoles')
    .innerJoin('people', 'people.id', 'personRoles.personId')
    .select(['people.id', 'personRoles.departmentId'])
    .where('personRoles.role', '=', 'product_manager')
    .where('people.active', '=', true)
    .orderBy('people.id')
    .execute();
}
