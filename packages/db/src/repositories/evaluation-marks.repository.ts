import { sql } from 'kysely';
import type { Executor } from '../connection.js';

export interface SalesEvaluationMark {
  productId: string;
  branchId: string;
  /** The earliest data date touched. */
  fromDate: string;
}

/**
 * Lowers the watermark of each (product, branch) to the earliest date given (creating it when the
 * pair has none), in one UNNEST upsert, keys sorted so concurrent batches lock them in one order.
 * Returns the pairs whose watermark it created: only those need an evaluation queued, as a pair that
 * already had one has its evaluation waiting (or running, and that run queues the next).
 */
export async function markSalesForEvaluation(
  db: Executor,
  marks: readonly SalesEvaluationMark[],
): Promise<{ productId: string; branchId: string }[]> {
  if (marks.length === 0) return [];
  const rows = [...marks].sort((a, b) =>
    a.productId === b.productId
      ? a.branchId < b.branchId
        ? -1
        : a.branchId > b.branchId
          ? 1
          : 0
      : a.productId < b.productId
        ? -1
        : 1,
  );
  // xmax is 0 on a row this statement inserted, and set on one it updated. Only the created come back:
  // a backfill's later batches update every pair, and reading those rows back costs the API its time.
  const { rows: created } = await sql<{ productId: string; branchId: string }>`
    with marked as (
      insert into sales_evaluation_marks (product_id, branch_id, from_date)
      select * from unnest(${rows.map((r) => r.productId)}::uuid[], ${rows.map((r) => r.branchId)}::uuid[],
        ${rows.map((r) => r.fromDate)}::date[])
      on conflict (product_id, branch_id) do update
        set from_date = least(sales_evaluation_marks.from_date, excluded.from_date),
          touched = sales_evaluation_marks.touched + 1
      returning product_id, branch_id, (xmax = 0) as created
    )
    select product_id, branch_id from marked where created
  `.execute(db);
  return created;
}

/**
 * Lowers the watermark of every branch of a product that has sales on or after `from` (every branch
 * with sales, when `from` is null) to its first such day, in one statement, branches in order:
 * what a fact that changes how those days are judged (a cost change) asks for. Returns how many pairs
 * it marked.
 */
export async function markProductSalesFrom(
  db: Executor,
  productId: string,
  from: string | null,
): Promise<number> {
  const { rows } = await sql<{ branchId: string }>`
    insert into sales_evaluation_marks (product_id, branch_id, from_date)
    select product_id, branch_id, min(date) from sales_daily
    where product_id = ${productId}::uuid and (${from}::date is null or date >= ${from}::date)
    group by product_id, branch_id
    order by branch_id
    on conflict (product_id, branch_id) do update
      set from_date = least(sales_evaluation_marks.from_date, excluded.from_date),
        touched = sales_evaluation_marks.touched + 1
    returning branch_id
  `.execute(db);
  return rows.length;
}

/** Every watermark of a product's branches as committed now (no lock), branches in order. */
export async function listSalesEvaluationMarks(
  db: Executor,
  productId: string,
): Promise<{ branchId: string; fromDate: string; touched: number }[]> {
  return db
    .selectFrom('salesEvaluationMarks')
    .select(['branchId', 'fromDate', 'touched'])
    .where('productId', '=', productId)
    .orderBy('branchId')
    .execute();
}

/** The advisory lock class of "a product's sales are being written" (the object is the product id's hash). */
const SALES_WRITE_LOCK = 727004;

/**
 * Held (shared) by a transaction that writes a product's daily sales, from its start to its commit, so
 * that the product's evaluation can wait for writes already under way. Products sorted, so concurrent
 * batches and evaluations never wait on each other in a circle.
 */
export async function holdSalesWriteLocks(db: Executor, productIds: readonly string[]): Promise<void> {
  const sorted = [...new Set(productIds)].sort();
  if (sorted.length === 0) return;
  await sql`
    select pg_advisory_xact_lock_shared(${SALES_WRITE_LOCK}, hashtext(p::text))
    from unnest(${sorted}::uuid[]) with ordinality as t(p, n) order by n
  `.execute(db);
}

/**
 * Waits until no transaction that began writing the product's daily sales is still open: an evaluation
 * then never sees a later batch of a backfill committed while an earlier one, already under way, is
 * not (its days would read as no sales). The lock is let go at once (writers are held up only while
 * one is waited for), in one statement, so it never outlives the call.
 */
export async function waitForSalesWrites(db: Executor, productId: string): Promise<void> {
  await sql`
    select pg_advisory_unlock(${SALES_WRITE_LOCK}, h)
    from (select h, pg_advisory_lock(${SALES_WRITE_LOCK}, h) from (select hashtext(${productId}::text) as h) k offset 0) l
  `.execute(db);
}

/** A pair's watermark as committed now (no lock: ingestion is never held up by an evaluation). */
export async function findSalesEvaluationMark(
  db: Executor,
  key: { productId: string; branchId: string },
): Promise<{ fromDate: string; touched: number } | undefined> {
  return db
    .selectFrom('salesEvaluationMarks')
    .select(['fromDate', 'touched'])
    .where('productId', '=', key.productId)
    .where('branchId', '=', key.branchId)
    .executeTakeFirst();
}

/**
 * Clears the watermarks of a product's pairs once their evaluation is done, in one statement, branches
 * in order (as ingestion locks them): each unless an ingestion touched it since it was read (then it
 * stays, and the evaluation queued with that ingestion runs again from it). Returns the branches whose
 * watermark was cleared.
 */
export async function clearSalesEvaluationMarks(
  db: Executor,
  productId: string,
  marks: readonly { branchId: string; touched: number }[],
): Promise<Set<string>> {
  if (marks.length === 0) return new Set();
  const sorted = [...marks].sort((a, b) => (a.branchId < b.branchId ? -1 : a.branchId > b.branchId ? 1 : 0));
  // Locked first, in branch order (a join's delete takes them in whatever order its plan reads).
  const { rows } = await sql<{ branchId: string }>`
    with locked as (
      select branch_id from sales_evaluation_marks
      where product_id = ${productId} and branch_id = any(${sorted.map((m) => m.branchId)}::uuid[])
      order by branch_id
      for update
    )
    delete from sales_evaluation_marks m
    using locked, unnest(${sorted.map((m) => m.branchId)}::uuid[], ${sorted.map((m) => m.touched)}::int8[])
      as k(branch_id, touched)
    where m.product_id = ${productId} and m.branch_id = locked.branch_id
      and k.branch_id = locked.branch_id and m.touched = k.touched
    returning m.branch_id
  `.execute(db);
  return new Set(rows.map((r) => r.branchId));
}

/** Takes (deletes and returns) a pair's watermark whatever touched it; for tests and tools. */
export async function takeSalesEvaluationMark(
  db: Executor,
  key: { productId: string; branchId: string },
): Promise<string | undefined> {
  const row = await db
    .deleteFrom('salesEvaluationMarks')
    .where('productId', '=', key.productId)
    .where('branchId', '=', key.branchId)
    .returning('fromDate')
    .executeTakeFirst();
  return row?.fromDate;
}

/** How many pairs wait for their evaluation (the backlog a benchmark or an operator watches). */
export async function countSalesEvaluationMarks(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('salesEvaluationMarks')
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  return row.n;
}
