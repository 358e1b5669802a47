import { sql } from 'kysely';
import type { Stage, Tier } from '@tower/domain';
import type { Executor } from '../connection.js';

// What a quarterly review's figures are computed from: the products it may list, the monthly rollup,
// the daily rows of a month a cost or price change splits, complaints, and the cost and list-price
// histories (what was in force when each sale was made).

export interface ReviewCandidate {
  id: string;
  name: string;
  departmentId: string;
  tier: Tier;
  stage: Stage;
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
            .selectFrom('salesProductMonthly')
            .select('salesProductMonthly.productId')
            .whereRef('salesProductMonthly.productId', '=', 'products.id')
            .where('salesProductMonthly.month', 'in', [...months]),
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

/** Monthly totals per product over all branches, from the chain-wide monthly rollup (a row a month). */
export async function sumRollupByProductMonth(
  db: Executor,
  months: readonly string[],
): Promise<ProductMonthTotals[]> {
  if (months.length === 0) return [];
  return db
    .selectFrom('salesProductMonthly')
    .select(['productId', 'month', 'units', 'revenueFen', 'orders', 'returningOrders', 'firstSaleOn'])
    .where('month', 'in', [...months])
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
    .selectFrom('salesProductMonthly')
    .select(['productId', sql<string>`min(first_sale_on)`.as('first')])
    .where('productId', '=', sql<string>`any(${[...productIds]}::uuid[])`)
    .where('month', '<=', until)
    .where('firstSaleOn', 'is not', null)
    .groupBy('productId')
    .execute();
  return new Map(rows.map((r) => [r.productId, r.first]));
}

/**
 * Units sold per product between two days inclusive, from the chain-wide daily rollup (a row per
 * product and day): only for the part of a month a cost or list-price change splits.
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
    left join sales_product_daily d on d.product_id = r.product_id and d.date between r.from_day and r.to_day
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

/** Records the list price in force from `effectiveFrom` (the history the review's discount reads). */
export async function insertListPriceRecord(
  db: Executor,
  record: { productId: string; effectiveFrom: string; amountFen: number; recordedAt?: Date },
): Promise<void> {
  await db.insertInto('listPriceHistory').values(record).execute();
}

/** Every recorded list price of the products, in the order recorded. */
export async function listListPriceHistory(db: Executor, productIds: readonly string[]) {
  if (productIds.length === 0) return [];
  return db
    .selectFrom('listPriceHistory')
    .select(['productId', 'effectiveFrom', 'amountFen'])
    .where('productId', '=', sql<string>`any(${[...productIds]}::uuid[])`)
    .orderBy('productId')
    .orderBy('id')
    .execute();
}
