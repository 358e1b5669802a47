import { sql, type RawBuilder } from 'kysely';
import { dictionaryColumn, integerArray } from '../array-literals.js';
import type { Executor } from '../connection.js';
import { isMissingPartition, isUniqueViolation } from '../errors.js';

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

/** Orders two rows by key: product, branch, date, channel (ids and days have one length each). */
function compareKeys(a: SalesRow, b: SalesRow): number {
  if (a.productId !== b.productId) return a.productId < b.productId ? -1 : 1;
  if (a.branchId !== b.branchId) return a.branchId < b.branchId ? -1 : 1;
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  return a.channel === b.channel ? 0 : a.channel < b.channel ? -1 : 1;
}

/**
 * `rows` in key order (product, branch, date, channel), where two name the same key the later only (as
 * two calls would leave it): the order in which {@link upsertSalesDaily} writes them, returned as they
 * are when they already are in it. A feed sends a day of every pair, then the next day: the rows are
 * gathered per pair first (the pairs are few, and each pair's rows come in date order already), so
 * only the pairs are sorted, not every row.
 */
export function salesRowsInKeyOrder(rows: readonly SalesRow[]): readonly SalesRow[] {
  let ordered = true;
  for (let i = 1; i < rows.length && ordered; i++) ordered = compareKeys(rows[i - 1]!, rows[i]!) < 0;
  if (ordered) return rows;
  const pairs = new Map<string, Map<string, SalesRow[]>>();
  for (const row of rows) {
    let branches = pairs.get(row.productId);
    if (!branches) pairs.set(row.productId, (branches = new Map<string, SalesRow[]>()));
    const ofPair = branches.get(row.branchId);
    if (ofPair) ofPair.push(row);
    else branches.set(row.branchId, [row]);
  }
  const sorted: SalesRow[] = [];
  for (const productId of [...pairs.keys()].sort()) {
    const branches = pairs.get(productId)!;
    for (const branchId of [...branches.keys()].sort()) {
      const ofPair = branches.get(branchId)!;
      // Array#sort is stable: of rows with one key, the last given stays last, and only it is kept.
      let inOrder = true;
      for (let i = 1; i < ofPair.length && inOrder; i++)
        inOrder = compareKeys(ofPair[i - 1]!, ofPair[i]!) < 0;
      if (!inOrder) ofPair.sort(compareKeys);
      ofPair.forEach((row, i) => {
        const next = ofPair[i + 1];
        if (inOrder || next === undefined || compareKeys(row, next) !== 0) sorted.push(row);
      });
    }
  }
  return sorted;
}

/**
 * Upserts daily sales (UNNEST of column arrays, keys sorted so concurrent batches lock shared rows in
 * one order): a row for the same (product, branch, date, channel) replaces the earlier figure, in the
 * database and in `rows` alike. The rollups (per branch and month, chain-wide per day and month) then
 * move by the difference between the rows written and the versions they replaced, which the
 * statement's triggers stash (migration 0012): additions commute, so batches of the same product and
 * month never wait on each other for the daily rows, only for the rollup rows they share, from
 * {@link applySalesRollupChanges} to their commit. Call it late in the ingesting transaction for that
 * reason.
 *
 * Most batches hold only days not stored yet (a backfill, the day's feed): they go in by a plain
 * INSERT, which spares each row the upsert's search for a conflict. A batch holding a stored key fails
 * that insert at the first one (in key order: a day sent again fails at once), is rolled back to a
 * savepoint, and is upserted. A batch bringing the first rows of a month makes its partition
 * ({@link ensureSalesDailyMonths}) when the insert finds none, and is inserted again.
 */
export async function upsertSalesDaily(db: Executor, rows: readonly SalesRow[]): Promise<void> {
  if (rows.length === 0) return;
  // The stash is the session's: the upsert and the apply must run on one connection.
  if (!db.isTransaction) return db.transaction().execute((tx) => upsertSalesDaily(tx, rows));
  const sorted = salesRowsInKeyOrder(rows);
  const written = salesRowsToWrite(sorted);
  let refused = await insertUnderSavepoint(db, written);
  // The first rows of a month make its partition (migration 0017), then go in as any others.
  if (refused === 'no partition') {
    await ensureSalesDailyMonths(db, sorted);
    refused = await insertUnderSavepoint(db, written);
  }
  if (refused !== undefined) {
    // A stored key can come before a row of a month not made yet.
    if (refused === 'stored key') await ensureSalesDailyMonths(db, sorted);
    await sql`
      ${written}
      on conflict (product_id, branch_id, date, channel) do update set
        units = excluded.units, revenue_fen = excluded.revenue_fen, orders = excluded.orders,
        returning_orders = excluded.returning_orders, updated_at = now()
    `.execute(db);
  }
  await applySalesRollupChanges(db);
}

/** The primary key of a month of sales_daily (its partition's, as Postgres names it on attaching). */
const SALES_DAILY_KEY = /^sales_daily_\d{4}_\d{2}_pkey$/;

/**
 * Runs the plain INSERT `statement` under a savepoint. Undefined when it went through; when it was
 * refused for a row of a month with no partition yet or for a stored key, which of the two, with the
 * transaction as it was before the statement (the savepoint rolled back and released).
 */
async function insertUnderSavepoint(
  db: Executor,
  statement: RawBuilder<unknown>,
): Promise<'no partition' | 'stored key' | undefined> {
  await sql`savepoint sales_daily_new_rows`.execute(db);
  try {
    await statement.execute(db);
    await sql`release savepoint sales_daily_new_rows`.execute(db);
    return undefined;
  } catch (error) {
    const refused = isMissingPartition(error, 'sales_daily')
      ? 'no partition'
      : isUniqueViolation(error, SALES_DAILY_KEY)
        ? 'stored key'
        : undefined;
    if (refused === undefined) throw error;
    await sql`rollback to savepoint sales_daily_new_rows`.execute(db);
    await sql`release savepoint sales_daily_new_rows`.execute(db);
    return refused;
  }
}

/**
 * Makes the partitions of sales_daily for the months of `rows`' dates that have none yet (migration
 * 0017): whoever writes sales_daily other than {@link upsertSalesDaily} (a seed, a COPY) calls it first.
 * Months that exist cost one catalog lookup each; a month made here is seen by other sessions once
 * this transaction commits, and a concurrent writer of it waits for that.
 */
export async function ensureSalesDailyMonths(
  db: Executor,
  rows: readonly { readonly date: string }[],
): Promise<void> {
  const months = [...new Set(rows.map((r) => `${r.date.slice(0, 7)}-01`))];
  await sql`select ensure_sales_daily_months(${months}::date[])`.execute(db);
}

/** The INSERT of `sorted` into sales_daily, rows written in the order given (unnest's): key order. */
function salesRowsToWrite(sorted: readonly SalesRow[]) {
  const products = dictionaryColumn(sorted.map((r) => r.productId));
  const branches = dictionaryColumn(sorted.map((r) => r.branchId));
  const dates = dictionaryColumn(sorted.map((r) => r.date));
  const channels = dictionaryColumn(sorted.map((r) => r.channel));
  return sql`
    insert into sales_daily (product_id, branch_id, date, channel, units, revenue_fen, orders, returning_orders)
    select k.products[r.product], k.branches[r.branch], k.dates[r.date], k.channels[r.channel],
      r.units, r.revenue_fen, r.orders, r.returning_orders
    from (select ${products.distinct}::uuid[] as products, ${branches.distinct}::uuid[] as branches,
        ${dates.distinct}::date[] as dates, ${channels.distinct}::text[] as channels) as k
      cross join unnest(${products.positions}::int[], ${branches.positions}::int[],
        ${dates.positions}::int[], ${channels.positions}::int[],
        ${integerArray(sorted.map((r) => r.units))}::int[], ${integerArray(sorted.map((r) => r.revenueFen))}::bigint[],
        ${integerArray(sorted.map((r) => r.orders))}::int[], ${integerArray(sorted.map((r) => r.returningOrders))}::int[])
        as r(product, branch, date, channel, units, revenue_fen, orders, returning_orders)`;
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
