import { sql } from 'kysely';
import type { IngestOutcome } from '@tower/domain';
import type { Executor } from '../connection.js';

/** Keys completed before migration 0010 stored the HTTP status they answered with. */
function legacyOutcome(statusCode: number | null): IngestOutcome {
  if (statusCode === 201) return 'created';
  if (statusCode === 200) return 'existing';
  return 'accepted';
}

export type IdempotencyClaimInTransaction =
  | { outcome: 'claimed' }
  | { outcome: 'replay'; result: IngestOutcome; response: unknown }
  | { outcome: 'mismatch' }
  | { outcome: 'in_flight' };

/**
 * Claims `key` inside the transaction that does the work, so the claim commits with the work and its
 * recorded answer, and a crash (the connection drops, the transaction rolls back) releases it at once.
 * A concurrent request with the same key blocks on the first one's uncommitted row until that commits
 * (then it answers the first one's response) or rolls back (then it claims the key itself); after
 * `waitMs` it gives up with `in_flight`, and the transaction is then aborted: the caller must end it.
 */
export async function claimIdempotencyKeyInTransaction(
  tx: Executor,
  claim: { scope: string; key: string; requestHash: string; waitMs: number; at: Date },
): Promise<IdempotencyClaimInTransaction> {
  await sql`select set_config('lock_timeout', ${`${Math.max(1, Math.round(claim.waitMs))}ms`}, true)`.execute(
    tx,
  );
  let inserted: { key: string } | undefined;
  try {
    inserted = await tx
      .insertInto('idempotencyKeys')
      .values({ scope: claim.scope, key: claim.key, requestHash: claim.requestHash, createdAt: claim.at })
      .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();
  } catch (error) {
    if ((error as { code?: unknown }).code === '55P03') return { outcome: 'in_flight' };
    throw error;
  }
  await sql`set local lock_timeout to default`.execute(tx);
  if (inserted) return { outcome: 'claimed' };
  const row = await tx
    .selectFrom('idempotencyKeys')
    .select(['requestHash', 'outcome', 'statusCode', 'response', 'completedAt'])
    .where('scope', '=', claim.scope)
    .where('key', '=', claim.key)
    .forUpdate()
    .executeTakeFirst();
  if (!row) return { outcome: 'in_flight' };
  if (row.requestHash !== claim.requestHash) return { outcome: 'mismatch' };
  if (row.completedAt && (row.outcome !== null || row.statusCode !== null)) {
    return {
      outcome: 'replay',
      result: row.outcome ?? legacyOutcome(row.statusCode),
      response: row.response,
    };
  }
  // A claim committed without an answer (left by an older release that claimed apart): ours now.
  return { outcome: 'claimed' };
}

/** Records the response of a claimed key (in the transaction that did the work). */
export async function completeIdempotencyKey(
  db: Executor,
  done: { scope: string; key: string; outcome: IngestOutcome; response: unknown; at: Date },
): Promise<void> {
  await db
    .updateTable('idempotencyKeys')
    .set({ outcome: done.outcome, response: JSON.stringify(done.response), completedAt: done.at })
    .where('scope', '=', done.scope)
    .where('key', '=', done.key)
    .execute();
}
