import { sql } from 'kysely';
import type { Executor } from '../connection.js';

function compareKeys(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i]! < b[i]!) return -1;
    if (a[i]! > b[i]!) return 1;
  }
  return 0;
}

export interface SalesRow {
  productId: string;
  branchId: string;
  date: string;
  channel: string;
  units: number;
  revenueFen: number;
  orders: number;
  returningOrders: number;
}

/**
 * Upserts daily sales in one statement (UNNEST of column arrays): a row for the same
 * (product, branch, date, channel) replaces the earlier figure. Follow with {@link refreshSalesMonthly}.
 */
export async function upsertSalesDaily(db: Executor, unsorted: readonly SalesRow[]): Promise<void> {
  if (unsorted.length === 0) return;
  // Concurrent batches touching the same keys must lock them in one order, or they deadlock.
  const rows = [...unsorted].sort((x, y) =>
    compareKeys([x.productId, x.branchId, x.date, x.channel], [y.productId, y.branchId, y.date, y.channel]),
  );
  await sql`
    insert into sales_daily (product_id, branch_id, date, channel, units, revenue_fen, orders, returning_orders)
    select * from unnest(
      ${rows.map((r) => r.productId)}::uuid[], ${rows.map((r) => r.branchId)}::uuid[],
      ${rows.map((r) => r.date)}::date[], ${rows.map((r) => r.channel)}::text[],
      ${rows.map((r) => r.units)}::int[], ${rows.map((r) => r.revenueFen)}::bigint[],
      ${rows.map((r) => r.orders)}::int[], ${rows.map((r) => r.returningOrders)}::int[])
    on conflict (product_id, branch_id, date, channel) do update set
      units = excluded.units, revenue_fen = excluded.revenue_fen, orders = excluded.orders,
      returning_orders = excluded.returning_orders, updated_at = now()
  `.execute(db);
}

/**
 * Stores daily sales with their monthly rollup in one statement where it can: the UNNEST upsert of
 * {@link upsertSalesDaily}, and for each (product, branch, month) whose rows were all new the rollup
 * raised by their figures; a month where a row replaced an earlier figure is recomputed from the days
 * (a second statement, only then). What a backfill sends is new, so it costs one statement.
 */
export async function storeSalesDaily(db: Executor, unsorted: readonly SalesRow[]): Promise<void> {
  if (unsorted.length === 0) return;
  const rows = [...unsorted].sort((x, y) =>
    compareKeys([x.productId, x.branchId, x.date, x.channel], [y.productId, y.branchId, y.date, y.channel]),
  );
  // xmax is 0 on a row the upsert inserted, and set on one it updated.
  const { rows: replaced } = await sql<{ productId: string; branchId: string; month: string }>`
    with up as (
      insert into sales_daily (product_id, branch_id, date, channel, units, revenue_fen, orders, returning_orders)
      select * from unnest(
        ${rows.map((r) => r.productId)}::uuid[], ${rows.map((r) => r.branchId)}::uuid[],
        ${rows.map((r) => r.date)}::date[], ${rows.map((r) => r.channel)}::text[],
        ${rows.map((r) => r.units)}::int[], ${rows.map((r) => r.revenueFen)}::bigint[],
        ${rows.map((r) => r.orders)}::int[], ${rows.map((r) => r.returningOrders)}::int[])
      on conflict (product_id, branch_id, date, channel) do update set
        units = excluded.units, revenue_fen = excluded.revenue_fen, orders = excluded.orders,
        returning_orders = excluded.returning_orders, updated_at = now()
      returning product_id, branch_id, date, units, revenue_fen, orders, returning_orders, (xmax = 0) as inserted
    ),
    months as (
      select product_id, branch_id, date_trunc('month', date)::date as month, bool_and(inserted) as new,
        sum(units) as units, sum(revenue_fen) as revenue_fen, sum(orders) as orders,
        sum(returning_orders) as returning_orders, min(date) filter (where units > 0) as first_sale_on
      from up group by 1, 2, 3
    ),
    raised as (
      insert into sales_monthly (product_id, branch_id, month, units, revenue_fen, orders, returning_orders, first_sale_on)
      select product_id, branch_id, month, units, revenue_fen, orders, returning_orders, first_sale_on
      from months where new order by product_id, branch_id, month
      on conflict (product_id, branch_id, month) do update set
        units = sales_monthly.units + excluded.units,
        revenue_fen = sales_monthly.revenue_fen + excluded.revenue_fen,
        orders = sales_monthly.orders + excluded.orders,
        returning_orders = sales_monthly.returning_orders + excluded.returning_orders,
        first_sale_on = least(sales_monthly.first_sale_on, excluded.first_sale_on)
    )
    select product_id, branch_id, month from months where not new
  `.execute(db);
  if (replaced.length > 0) await refreshSalesMonths(db, replaced);
}

/**
 * Recomputes the monthly rollup of every (product, branch, month) the rows touch from the daily
 * rows, set-based. Call it last in the ingesting transaction: it locks rollup rows other batches share.
 */
export async function refreshSalesMonthly(db: Executor, rows: readonly SalesRow[]): Promise<void> {
  if (rows.length === 0) return;
  const months = new Map<string, { productId: string; branchId: string; month: string }>();
  for (const r of rows) {
    const month = `${r.date.slice(0, 7)}-01`;
    months.set(`${r.productId}|${r.branchId}|${month}`, {
      productId: r.productId,
      branchId: r.branchId,
      month,
    });
  }
  await refreshSalesMonths(db, [...months.values()]);
}

/**
 * Recomputes the rollup of each (product, branch, month) from its days, keys locked in order. The rows
 * are locked (or made) by a statement of their own first: the recount then starts once every other
 * batch writing those months has committed, and reads their days too (a count read before the wait
 * would overwrite their figures with a stale sum).
 */
async function refreshSalesMonths(
  db: Executor,
  months: readonly { productId: string; branchId: string; month: string }[],
): Promise<void> {
  const keys = [...months].sort((x, y) =>
    compareKeys([x.productId, x.branchId, x.month], [y.productId, y.branchId, y.month]),
  );
  await sql`
    insert into sales_monthly (product_id, branch_id, month, units, revenue_fen, orders, returning_orders)
    select k.product_id, k.branch_id, k.month, 0, 0, 0, 0
    from unnest(${keys.map((k) => k.productId)}::uuid[], ${keys.map((k) => k.branchId)}::uuid[], ${keys.map((k) => k.month)}::date[])
      as k(product_id, branch_id, month)
    order by k.product_id, k.branch_id, k.month
    on conflict (product_id, branch_id, month) do update set units = sales_monthly.units
  `.execute(db);
  await sql`
    insert into sales_monthly (product_id, branch_id, month, units, revenue_fen, orders, returning_orders, first_sale_on)
    select k.product_id, k.branch_id, k.month,
      coalesce(sum(d.units), 0), coalesce(sum(d.revenue_fen), 0), coalesce(sum(d.orders), 0), coalesce(sum(d.returning_orders), 0),
      min(d.date) filter (where d.units > 0)
    from unnest(${keys.map((k) => k.productId)}::uuid[], ${keys.map((k) => k.branchId)}::uuid[], ${keys.map((k) => k.month)}::date[])
      as k(product_id, branch_id, month)
    left join sales_daily d on d.product_id = k.product_id and d.branch_id = k.branch_id
      and d.date >= k.month and d.date < k.month + interval '1 month'
    group by k.product_id, k.branch_id, k.month
    order by k.product_id, k.branch_id, k.month
    on conflict (product_id, branch_id, month) do update set
      units = excluded.units, revenue_fen = excluded.revenue_fen, orders = excluded.orders,
      returning_orders = excluded.returning_orders, first_sale_on = excluded.first_sale_on
  `.execute(db);
}
