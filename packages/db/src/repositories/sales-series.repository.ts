import { sql } from 'kysely';
import type { Executor } from '../connection.js';

export interface SalesSeriesKey {
  productId: string;
  /** One branch, or every branch summed. */
  branchId?: string;
  from: string;
  to: string;
}

/** Daily totals over all channels (and over all branches unless one is named), `from`..`to` inclusive. */
export async function listProductDailySales(
  db: Executor,
  key: SalesSeriesKey,
): Promise<{ date: string; units: number; revenueFen: number }[]> {
  let query = db
    .selectFrom('salesDaily')
    .select([
      'date',
      sql<number>`sum(units)::int`.as('units'),
      sql<number>`sum(revenue_fen)::int8`.as('revenueFen'),
    ])
    .where('productId', '=', key.productId)
    .where('date', '>=', key.from)
    .where('date', '<=', key.to);
  if (key.branchId) query = query.where('branchId', '=', key.branchId);
  const rows = await query.groupBy('date').orderBy('date').execute();
  return rows.map((r) => ({ date: r.date, units: r.units, revenueFen: Number(r.revenueFen) }));
}

/** The last day the product sold (at the branch, or anywhere). */
export async function findProductLastSaleDate(
  db: Executor,
  productId: string,
  branchId?: string,
): Promise<string | undefined> {
  let query = db
    .selectFrom('salesDaily')
    .select(sql<string | null>`max(date)`.as('last'))
    .where('productId', '=', productId);
  if (branchId) query = query.where('branchId', '=', branchId);
  const row = await query.executeTakeFirst();
  return row?.last ?? undefined;
}

/** Calendar days (holidays, 调休 workdays, promotions) between two dates. */
export async function listCalendarDaysBetween(
  db: Executor,
  from: string,
  to: string,
): Promise<{ date: string; kind: string; name: string }[]> {
  return db
    .selectFrom('calendarDays')
    .select(['date', 'kind', 'name'])
    .where('date', '>=', from)
    .where('date', '<=', to)
    .orderBy('date')
    .execute();
}

/** Monthly sales targets of a product (at one branch, or summed over branches) for months `from`..`to`. */
export async function listProductSalesTargets(
  db: Executor,
  key: { productId: string; branchId?: string; fromMonth: string; toMonth: string },
): Promise<{ month: string; units: number | null; revenueFen: number | null }[]> {
  let query = db
    .selectFrom('salesTargets')
    .select([
      'month',
      sql<number | null>`sum(units)::int`.as('units'),
      sql<number | null>`sum(revenue_fen)::int8`.as('revenueFen'),
    ])
    .where('productId', '=', key.productId)
    .where('month', '>=', key.fromMonth)
    .where('month', '<=', key.toMonth);
  if (key.branchId) query = query.where('branchId', '=', key.branchId);
  const rows = await query.groupBy('month').orderBy('month').execute();
  return rows.map((r) => ({
    month: r.month,
    units: r.units,
    revenueFen: r.revenueFen === null ? null : Number(r.revenueFen),
  }));
}
