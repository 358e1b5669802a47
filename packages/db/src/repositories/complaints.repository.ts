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
