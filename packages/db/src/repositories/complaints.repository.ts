import { sql } from 'kysely';
import type { Executor } from '../connection.js';
import type { NewComplaint } from './facts.repository.js';

/** Complaints by id, in one statement (those that exist). */
export async function findComplaintsByIds(db: Executor, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('complaints')
    .selectAll()
    .where('id', 'in', [...new Set(ids)])
    .execute();
}

/** A (product, branch) pair and a span of days. */
export interface PairSpan {
  readonly productId: string;
  readonly branchId: string;
  readonly from: string;
  readonly to: string;
}

/**
 * The complaint days of each pair within its span, in one statement: one entry per complaint, for
 * `spans[i]` at index i.
 */
export async function listComplaintDaysOfPairs(
  db: Executor,
  spans: readonly PairSpan[],
): Promise<string[][]> {
  if (spans.length === 0) return [];
  const { rows } = await sql<{ i: number; days: string[] }>`
    select s.i::int as i, array_agg(c.occurred_on::text order by c.occurred_on) as days
    from unnest(${spans.map((s) => s.productId)}::uuid[], ${spans.map((s) => s.branchId)}::uuid[],
      ${spans.map((s) => s.from)}::date[], ${spans.map((s) => s.to)}::date[]) with ordinality
      as s(product_id, branch_id, lo, hi, i)
    join complaints c on c.product_id = s.product_id and c.branch_id = s.branch_id
      and c.occurred_on >= s.lo and c.occurred_on <= s.hi
    group by s.i
  `.execute(db);
  const days = spans.map((): string[] => []);
  for (const row of rows) days[row.i - 1] = row.days;
  return days;
}

/** The orders of each pair over its span, in one statement: `spans[i]`'s sum at index i. */
export async function sumOrdersOfPairs(db: Executor, spans: readonly PairSpan[]): Promise<number[]> {
  if (spans.length === 0) return [];
  const { rows } = await sql<{ i: number; n: number }>`
    select s.i::int as i, coalesce(sum(d.orders), 0)::int as n
    from unnest(${spans.map((s) => s.productId)}::uuid[], ${spans.map((s) => s.branchId)}::uuid[],
      ${spans.map((s) => s.from)}::date[], ${spans.map((s) => s.to)}::date[]) with ordinality
      as s(product_id, branch_id, lo, hi, i)
    left join sales_daily d on d.product_id = s.product_id and d.branch_id = s.branch_id
      and d.date >= s.lo and d.date <= s.hi
    group by s.i
  `.execute(db);
  const sums = spans.map(() => 0);
  for (const row of rows) sums[row.i - 1] = row.n;
  return sums;
}

/**
 * {@link insertComplaint} for many complaints in one statement (and one more to look up those seen
 * before): each once per external id, its id and whether it was new, in order. Of two with the same
 * external id the first is the new one.
 */
export async function insertComplaints(
  db: Executor,
  complaints: readonly NewComplaint[],
): Promise<{ id: string; created: boolean }[]> {
  if (complaints.length === 0) return [];
  const inserted = await db
    .insertInto('complaints')
    .values([...complaints])
    .onConflict((oc) => oc.column('externalId').doNothing())
    .returning(['id', 'externalId'])
    .execute();
  const made = new Map(inserted.map((r) => [r.externalId, r.id]));
  const seen = complaints.filter((c) => !made.has(c.externalId)).map((c) => c.externalId);
  const existing = new Map(
    seen.length === 0
      ? []
      : (
          await db
            .selectFrom('complaints')
            .select(['id', 'externalId'])
            .where('externalId', 'in', [...new Set(seen)])
            .execute()
        ).map((r) => [r.externalId, r.id]),
  );
  const claimed = new Set<string>();
  return complaints.map((c) => {
    const id = made.get(c.externalId);
    if (id !== undefined && !claimed.has(c.externalId)) {
      claimed.add(c.externalId);
      return { id, created: true };
    }
    return { id: id ?? existing.get(c.externalId)!, created: false };
  });
}

/**
 * Notes that complaints wait for evaluation, in the transaction that stores them: holds the one mark
 * row with a share lock until the commit (concurrent callers share it and never wait for each other),
 * or creates it. Returns whether it created it: only then is a run of the evaluation to be queued, as a
 * mark that existed has its run queued or running already, and that run clears it only after taking
 * it when nobody holds it and no complaint waits (see {@link lockComplaintEvaluationMark}).
 */
export async function markComplaintsPending(db: Executor, at: Date): Promise<boolean> {
  const held = await db.selectFrom('complaintEvaluationMarks').select('one').forShare().executeTakeFirst();
  if (held) return false;
  // Two creators at once: the second waits for the first, then locks the row it made (xmax is 0 on a
  // row this statement inserted, and set on one it updated).
  const { rows } = await sql<{ created: boolean }>`
    insert into complaint_evaluation_marks as m (one, created_at) values (true, ${at})
    on conflict (one) do update set one = m.one
    returning (xmax = 0) as created
  `.execute(db);
  return rows[0]!.created;
}

/**
 * Locks the mark for a run that has drained the pending complaints: `held` while transactions storing
 * complaints hold it (their complaints are on their way), `absent` when there is none.
 */
export async function lockComplaintEvaluationMark(db: Executor): Promise<'locked' | 'held' | 'absent'> {
  const mine = await db
    .selectFrom('complaintEvaluationMarks')
    .select('one')
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
  if (mine) return 'locked';
  const there = await db.selectFrom('complaintEvaluationMarks').select('one').executeTakeFirst();
  return there ? 'held' : 'absent';
}

/** Is any complaint pending evaluation (as committed now)? */
export async function hasPendingComplaints(db: Executor): Promise<boolean> {
  const row = await db
    .selectFrom('complaints')
    .select('id')
    .where('evaluatedAt', 'is', null)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Clears the mark (under {@link lockComplaintEvaluationMark}): the next complaint stored queues a run. */
export async function deleteComplaintEvaluationMark(db: Executor): Promise<void> {
  await db.deleteFrom('complaintEvaluationMarks').execute();
}

/** Up to `limit` pending complaints (id and pair), oldest first, as committed now (no lock). */
export async function listPendingComplaints(db: Executor, limit: number) {
  return db
    .selectFrom('complaints')
    .select(['id', 'productId', 'branchId'])
    .where('evaluatedAt', 'is', null)
    .orderBy('createdAt')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/**
 * Those of `ids` still pending, locked, oldest first; rows another transaction holds are skipped (a run
 * evaluating them already).
 */
export async function lockPendingComplaints(db: Executor, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('complaints')
    .selectAll()
    .where('id', 'in', [...ids])
    .where('evaluatedAt', 'is', null)
    .orderBy('createdAt')
    .orderBy('id')
    .forUpdate()
    .skipLocked()
    .execute();
}

/** Records that complaints were evaluated. */
export async function markComplaintsEvaluated(db: Executor, ids: readonly string[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('complaints')
    .set({ evaluatedAt: at })
    .where('id', 'in', [...new Set(ids)])
    .execute();
}

/**
 * Is a run of the complaint evaluation owed: the mark, or a pending complaint, made `olderThanMs`
 * before `now` or earlier?
 */
export async function isComplaintEvaluationOwed(
  db: Executor,
  options: { olderThanMs: number; now: Date },
): Promise<boolean> {
  const before = new Date(options.now.getTime() - options.olderThanMs);
  const { rows } = await sql<{ owed: boolean }>`
    select exists (select 1 from complaint_evaluation_marks where created_at <= ${before})
      or exists (select 1 from complaints where evaluated_at is null and created_at <= ${before}) as owed
  `.execute(db);
  return rows[0]!.owed;
}
