import { sql } from 'kysely';
import { dictionaryColumn, textArray } from '../array-literals.js';
import type { Executor } from '../connection.js';

export interface SalesEvaluationMark {
  productId: string;
  branchId: string;
  /** The earliest data date touched. */
  fromDate: string;
}

/** The earliest `dayOf` of each product's rows. */
function earliestDayOfEachProduct<T extends { productId: string }>(
  rows: readonly T[],
  dayOf: (row: T) => string,
): Map<string, string> {
  const earliest = new Map<string, string>();
  for (const row of rows) {
    const day = dayOf(row);
    const seen = earliest.get(row.productId);
    if (seen === undefined || day < seen) earliest.set(row.productId, day);
  }
  return earliest;
}

/**
 * Counts one more touch of each product's sales, and lowers the earliest day touched since the
 * product's last claim ({@link claimSalesEvaluation}) to the day given, products in order (concurrent
 * batches take the rows in one order). Called before the watermarks are written, in the same
 * transaction: an evaluation that clears them locks the product's count first, so one of the two waits
 * for the other, and a batch that waited writes its watermarks after the evaluation's clear (a new
 * statement sees it).
 */
async function touchProducts(
  db: Executor,
  touches: readonly { productId: string; fromDate: string }[],
): Promise<void> {
  const earliest = earliestDayOfEachProduct(touches, (t) => t.fromDate);
  const products = [...earliest.keys()].sort();
  await sql`
    insert into sales_evaluation_touches as t (product_id, touched_from)
    select * from unnest(${textArray(products)}::uuid[], ${textArray(products.map((p) => earliest.get(p)!))}::date[])
    on conflict (product_id) do update
      set touched = t.touched + 1, touched_from = least(t.touched_from, excluded.touched_from)
  `.execute(db);
}

/**
 * Claims a product's touch count for the evaluation that is starting (`token`, its own): the earliest
 * day touched is forgotten, so that at its end it holds what the batches that touched the product
 * while it ran wrote ({@link clearSalesEvaluationMarks}). A count that a batch under way holds is not
 * waited for: the evaluation runs unclaimed, and a touch while it runs leaves the watermarks as they
 * were. Its own statement, committed at once.
 */
export async function claimSalesEvaluation(db: Executor, productId: string, token: string): Promise<void> {
  await sql`
    update sales_evaluation_touches set claim = ${token}::uuid, touched_from = null
    where product_id = (
      select product_id from sales_evaluation_touches where product_id = ${productId}::uuid
      for update skip locked)
  `.execute(db);
}

/**
 * Lowers the watermark of each (product, branch) to the earliest date given, creating it when the pair
 * has none, and counts a touch of each product ({@link touchProducts}). A pair whose watermark is
 * already at or before the date is not written: in a backfill nearly every pair is such, and only the
 * products' counts move. Keys sorted, so concurrent batches lock them in one order. Returns the pairs
 * whose watermark it created: only those need an evaluation queued, as a pair that already had one has
 * its evaluation waiting (or running, and that run queues the next).
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
  await touchProducts(db, rows);
  // xmax is 0 on a row this statement inserted, and set on one it updated. Only the created come back.
  const products = dictionaryColumn(rows.map((r) => r.productId));
  const branches = dictionaryColumn(rows.map((r) => r.branchId));
  const days = dictionaryColumn(rows.map((r) => r.fromDate));
  const { rows: created } = await sql<{ productId: string; branchId: string }>`
    with marked as (
      insert into sales_evaluation_marks as e (product_id, branch_id, from_date)
      select m.product_id, m.branch_id, m.from_date
      from (select ${products.distinct}::uuid[] as products, ${branches.distinct}::uuid[] as branches,
          ${days.distinct}::date[] as days) as k
        cross join unnest(${products.positions}::int[], ${branches.positions}::int[], ${days.positions}::int[])
          with ordinality as p(product, branch, day, n)
        cross join lateral (select k.products[p.product] as product_id, k.branches[p.branch] as branch_id,
          k.days[p.day] as from_date) as m
      where not exists (
        select from sales_evaluation_marks w
        where w.product_id = m.product_id and w.branch_id = m.branch_id and w.from_date <= m.from_date)
      -- In the order given (keys sorted): the anti-join's plan need not keep it, and the lock order must.
      order by p.n
      on conflict (product_id, branch_id) do update set from_date = excluded.from_date
        where excluded.from_date < e.from_date
      returning product_id, branch_id, (xmax = 0) as created
    )
    select product_id, branch_id from marked where created
  `.execute(db);
  return created;
}

/**
 * Lowers the watermark of every branch of a product that has sales on or after `from` (every branch
 * with sales, when `from` is null) to its first such day, in one statement, branches in order, and
 * counts a touch of the product: what a fact that changes how those days are judged (a cost change)
 * asks for. Returns how many pairs it marked.
 */
export async function markProductSalesFrom(
  db: Executor,
  productId: string,
  from: string | null,
): Promise<number> {
  // Every day from `from` on may change: as far back as the days it marks (all of them, without `from`).
  await touchProducts(db, [{ productId, fromDate: from ?? '-infinity' }]);
  const { rows } = await sql<{ branchId: string }>`
    insert into sales_evaluation_marks (product_id, branch_id, from_date)
    select product_id, branch_id, min(date) from sales_daily
    where product_id = ${productId}::uuid and (${from}::date is null or date >= ${from}::date)
    group by product_id, branch_id
    order by branch_id
    on conflict (product_id, branch_id) do update
      set from_date = least(sales_evaluation_marks.from_date, excluded.from_date)
    returning branch_id
  `.execute(db);
  return rows.length;
}

/** A product's watermarks as read by an evaluation, with the product's touch count they go with. */
export interface ProductSalesMarks {
  readonly touched: number;
  readonly marks: { branchId: string; fromDate: string }[];
}

/**
 * The product's touch count, and (in one snapshot with it) its watermarks, branches in order, as
 * committed now: nothing is locked, ingestion is never held up by an evaluation. A product with
 * watermarks and no count (they were written by hand) is given one first, held by this transaction.
 */
async function readProductSalesMarks(
  db: Executor,
  productId: string,
  branchId?: string,
): Promise<ProductSalesMarks> {
  const read = () =>
    sql<{ touched: string | null; branchId: string | null; fromDate: string | null }>`
    select t.touched, m.branch_id, to_char(m.from_date, 'YYYY-MM-DD') as from_date
    from (select) as one
      left join sales_evaluation_touches t on t.product_id = ${productId}::uuid
      left join sales_evaluation_marks m on m.product_id = ${productId}::uuid
        and (${branchId ?? null}::uuid is null or m.branch_id = ${branchId ?? null}::uuid)
    order by m.branch_id
  `.execute(db);
  let { rows } = await read();
  if (rows[0]?.touched === null && rows.some((r) => r.branchId !== null)) {
    await sql`
      insert into sales_evaluation_touches (product_id, touched) values (${productId}::uuid, 0)
      on conflict (product_id) do nothing
    `.execute(db);
    ({ rows } = await read());
  }
  return {
    touched: Number(rows[0]?.touched ?? 0),
    marks: rows.flatMap((r) =>
      r.branchId === null ? [] : [{ branchId: r.branchId, fromDate: r.fromDate! }],
    ),
  };
}

/** Every watermark of a product's branches, and the product's touch count ({@link readProductSalesMarks}). */
export async function listSalesEvaluationMarks(db: Executor, productId: string): Promise<ProductSalesMarks> {
  return readProductSalesMarks(db, productId);
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
  const earliest = earliestDayOfEachProduct(rows, (r) => r.date);
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

/** A pair's watermark, and its product's touch count, as committed now ({@link readProductSalesMarks}). */
export async function findSalesEvaluationMark(
  db: Executor,
  key: { productId: string; branchId: string },
): Promise<{ fromDate: string; touched: number } | undefined> {
  const { touched, marks } = await readProductSalesMarks(db, key.productId, key.branchId);
  return marks[0] && { fromDate: marks[0].fromDate, touched };
}

/**
 * Settles watermarks of a product once their evaluation is done, in one statement. If the product's
 * touch count is still `touched`, the count read with them, each is cleared, or with `keepFrom` (the
 * evaluation judged only the days before it) moved up to that day and kept. If a batch touched the
 * product since, and the evaluation holds its claim (`claim`, {@link claimSalesEvaluation}), each is
 * moved up to the earliest day those batches wrote, or `keepFrom` if earlier, and kept: the days before
 * were judged, and none of them was written since. A watermark a batch moved back below the day it was
 * read (`fromDate`) stays. Without the claim, they all stay as they are, and the evaluation runs again
 * from them. The count is locked first, as ingestion locks it before it writes watermarks. Returns the
 * branches whose watermark was settled as untouched.
 */
export async function clearSalesEvaluationMarks(
  db: Executor,
  productId: string,
  read: { touched: number; claim?: string },
  marks: readonly { branchId: string; fromDate: string; keepFrom?: string }[],
): Promise<Set<string>> {
  if (marks.length === 0) return new Set();
  const sorted = [...marks].sort((a, b) => (a.branchId < b.branchId ? -1 : a.branchId > b.branchId ? 1 : 0));
  // Where a batch bumped the count meanwhile, the lock waits for it, and the count read again no
  // longer matches.
  const { rows } = await sql<{ branchId: string }>`
    with locked as (
      select product_id, touched = ${read.touched} as untouched,
        case when claim = ${read.claim ?? null}::uuid then touched_from end as touched_from
      from sales_evaluation_touches
      where product_id = ${productId}::uuid
      for update
    ),
    k as (
      select * from unnest(${sorted.map((m) => m.branchId)}::uuid[], ${sorted.map((m) => m.fromDate)}::date[],
          ${sorted.map((m) => m.keepFrom ?? null)}::date[])
        as k(branch_id, read_from, keep_from)
    ),
    kept as (
      update sales_evaluation_marks m set from_date = greatest(m.from_date, k.keep_from)
      from locked, k
      where locked.untouched and m.product_id = locked.product_id and m.branch_id = k.branch_id
        and k.keep_from is not null
      returning m.branch_id
    ),
    moved as (
      update sales_evaluation_marks m
      set from_date = greatest(k.read_from, least(k.keep_from, locked.touched_from))
      from locked, k
      where not locked.untouched and locked.touched_from is not null
        and m.product_id = locked.product_id and m.branch_id = k.branch_id and m.from_date >= k.read_from
        and greatest(k.read_from, least(k.keep_from, locked.touched_from)) > m.from_date
      returning m.branch_id
    )
    delete from sales_evaluation_marks m
    using locked, k
    where locked.untouched and m.product_id = locked.product_id and m.branch_id = k.branch_id
      and k.keep_from is null
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
