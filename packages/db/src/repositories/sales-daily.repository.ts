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
 * Upserts daily sales (UNNEST of column arrays, keys sorted so concurrent batches lock shared rows in
 * one order): a row for the same (product, branch, date, channel) replaces the earlier figure. The
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
