import { sql } from 'kysely';
import type { Executor } from '../connection.js';

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

const keyOf = (row: SalesRow) => `${row.productId}|${row.branchId}|${row.date}|${row.channel}`;

/**
 * `rows` in key order (product, branch, date, channel), where two name the same key the later only (as
 * two calls would leave it): the order in which {@link upsertSalesDaily} writes them, returned as they
 * are when they already are in it. Ids and days have one length each, so the joined key sorts as its
 * parts do.
 */
export function salesRowsInKeyOrder(rows: readonly SalesRow[]): readonly SalesRow[] {
  const keys = rows.map(keyOf);
  let ordered = true;
  for (let i = 1; i < keys.length && ordered; i++) ordered = keys[i - 1]! < keys[i]!;
  if (ordered) return rows;
  // Array#sort is stable: of rows with one key, the last given stays last.
  const order = keys
    .map((_, i) => i)
    .sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : a - b));
  const sorted: SalesRow[] = [];
  order.forEach((index, at) => {
    if (at + 1 < order.length && keys[order[at + 1]!] === keys[index]) return;
    sorted.push(rows[index]!);
  });
  return sorted;
}

/**
 * Upserts daily sales (UNNEST of column arrays, keys sorted so concurrent batches lock shared rows in
 * one order): a row for the same (product, branch, date, channel) replaces the earlier figure, in the
 * database and in `rows` alike. The
 * rollups (per branch and month, chain-wide per day and month) then move by the difference between the
 * rows written and the versions they replaced, which the statement's triggers stash (migration 0012):
 * additions commute, so batches of the same product and month never wait on each other for the daily
 * rows, only for the rollup rows they share, from {@link applySalesRollupChanges} to their commit.
 * Call it late in the ingesting transaction for that reason.
 */
export async function upsertSalesDaily(db: Executor, unsorted: readonly SalesRow[]): Promise<void> {
  if (unsorted.length === 0) return;
  // The stash is the session's: the upsert and the apply must run on one connection.
  if (!db.isTransaction) return db.transaction().execute((tx) => upsertSalesDaily(tx, unsorted));
  const rows = salesRowsInKeyOrder(unsorted);
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
  await applySalesRollupChanges(db);
}

/**
 * Adds the changes to sales_daily stashed in this transaction so far to the rollups, each rollup table
 * in its key order, and empties the stash. {@link upsertSalesDaily} does it; any other statement that
 * writes sales_daily must be followed by it in the same transaction, or the rollups miss its change.
 */
export async function applySalesRollupChanges(db: Executor): Promise<void> {
  if (!db.isTransaction)
    throw new Error('applySalesRollupChanges runs in the transaction that wrote the rows');
  await sql`select apply_sales_rollup_changes()`.execute(db);
}
