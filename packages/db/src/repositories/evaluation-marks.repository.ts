import { sql } from 'kysely';
import { dictionaryColumn } from '../array-literals.js';
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
  const products = dictionaryColumn(rows.map((r) => r.productId));
  const branches = dictionaryColumn(rows.map((r) => r.branchId));
  const days = dictionaryColumn(rows.map((r) => r.fromDate));
  const { rows: created } = await sql<{ productId: string; branchId: string }>`
    with marked as (
      insert into sales_evaluation_marks (product_id, branch_id, from_date)
      select k.products[m.product], k.branches[m.branch], k.days[m.day]
      from (select ${products.distinct}::uuid[] as products, ${branches.distinct}::uuid[] as branches,
          ${days.distinct}::date[] as days) as k
        cross join unnest(${products.positions}::int[], ${branches.positions}::int[], ${days.positions}::int[])
          as m(product, branch, day)
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

/**
 * The advisory locks that say "a product's daily sales are being written from this day on": two keys,
 * the first SALES_WRITE_DAY + the earliest day written (days since 1970-01-01), the second the product
 * id's hash. Taken shared, and never exclusively, so they never wait and never make anyone wait; they
 * are read from `pg_locks`.
 */
const SALES_WRITE_DAY = 1_000_000_000;

/**
 * Held by a transaction that writes daily sales, from its start to its commit: for each product, the
 * earliest day the batch writes. An evaluation of the product reads them (`salesWriteHorizon`).
 */
export async function holdSalesWriteLocks(
  db: Executor,
  rows: readonly { productId: string; date: string }[],
): Promise<void> {
  const earliest = new Map<string, string>();
  for (const row of rows) {
    const seen = earliest.get(row.productId);
    if (seen === undefined || row.date < seen) earliest.set(row.productId, row.date);
  }
  if (earliest.size === 0) return;
  await sql`
    select count(pg_advisory_xact_lock_shared(${SALES_WRITE_DAY} + (d - date '1970-01-01'), hashtext(p::text)))
    from unnest(${[...earliest.keys()]}::uuid[], ${[...earliest.values()]}::date[]) as t(p, d)
  `.execute(db);
}

/**
 * The earliest day of the product's daily sales that another transaction is writing now (undefined
 * when none is). Data from that day on may be missing a batch under way while a later one has
 * committed (a backfill's batches commit in any order), so an evaluation judges only the days before
 * it and leaves the rest for its next run. Nobody waits: ingestion is never held up by an evaluation.
 */
export async function salesWriteHorizon(db: Executor, productId: string): Promise<string | undefined> {
  const { rows } = await sql<{ horizon: string | null }>`
    select to_char(date '1970-01-01' + (min(l.classid)::int8 - ${SALES_WRITE_DAY})::int4, 'YYYY-MM-DD') as horizon
    from pg_locks l
    where l.locktype = 'advisory' and l.objsubid = 2 and l.pid <> pg_backend_pid()
      and l.database = (select oid from pg_database where datname = current_database())
      and l.classid >= ${SALES_WRITE_DAY}::int8::oid and l.classid < ${SALES_WRITE_DAY + 1_000_000}::int8::oid
      and l.objid = hashtext(${productId}::text)::oid
  `.execute(db);
  return rows[0]?.horizon ?? undefined;
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
 * Settles the watermarks of a product's pairs once their evaluation is done, in one statement, branches
 * in order (as ingestion locks them): each is cleared, or with `keepFrom` (the evaluation judged only
 * the days before it) moved up to that day and kept; either only if no ingestion touched it since it
 * was read (then it stays as it is, and the evaluation runs again from it). Returns the branches whose
 * watermark was cleared.
 */
export async function clearSalesEvaluationMarks(
  db: Executor,
  productId: string,
  marks: readonly { branchId: string; touched: number; keepFrom?: string }[],
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
    ),
    k as (
      select * from unnest(${sorted.map((m) => m.branchId)}::uuid[], ${sorted.map((m) => m.touched)}::int8[],
        ${sorted.map((m) => m.keepFrom ?? null)}::date[]) as k(branch_id, touched, keep_from)
    ),
    kept as (
      update sales_evaluation_marks m set from_date = greatest(m.from_date, k.keep_from)
      from locked, k
      where m.product_id = ${productId} and m.branch_id = locked.branch_id
        and k.branch_id = locked.branch_id and m.touched = k.touched and k.keep_from is not null
      returning m.branch_id
    )
    delete from sales_evaluation_marks m
    using locked, k
    where m.product_id = ${productId} and m.branch_id = locked.branch_id
      and k.branch_id = locked.branch_id and m.touched = k.touched and k.keep_from is null
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
