import type { Executor } from '../connection.js';

export interface OutboxMessage {
  jobName: string;
  /** Deterministic BullMQ job id (or deduplication id): never contains `:`. */
  jobId: string;
  payload: Record<string, unknown>;
  /** Run no earlier than this (a delayed job, e.g. an SLA escalation). */
  runAt?: Date | null;
}

export interface PendingOutboxRow extends OutboxMessage {
  id: number;
}

/** Writes side effects to the outbox in the caller's transaction; the relay moves them to BullMQ. */
export async function insertOutbox(db: Executor, messages: readonly OutboxMessage[]): Promise<void> {
  // Postgres binds at most 65,535 parameters per statement: 5,000 rows × 4 stays well below.
  for (let start = 0; start < messages.length; start += 5000) {
    await insertOutboxChunk(db, messages.slice(start, start + 5000));
  }
}

async function insertOutboxChunk(db: Executor, messages: readonly OutboxMessage[]): Promise<void> {
  if (messages.length === 0) return;
  await db
    .insertInto('outbox')
    .values(
      messages.map((m) => ({
        jobName: m.jobName,
        jobId: m.jobId,
        payload: JSON.stringify(m.payload),
        runAt: m.runAt ?? null,
      })),
    )
    .execute();
}

/**
 * Claims up to `limit` unsent rows, skipping rows another relay holds, so two relays never send
 * the same row. Call inside a transaction that marks them sent once they are in Redis.
 */
export async function claimPendingOutbox(db: Executor, limit: number): Promise<PendingOutboxRow[]> {
  const rows = await db
    .selectFrom('outbox')
    .select(['id', 'jobName', 'jobId', 'payload', 'runAt'])
    .where('sentAt', 'is', null)
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  return rows.map((r) => ({ ...r, payload: r.payload as Record<string, unknown> }));
}

export async function markOutboxSent(db: Executor, ids: readonly number[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('outbox')
    .set({ sentAt: at })
    .where('id', 'in', [...ids])
    .execute();
}

/** Outbox rows not yet moved to the queue (work the system still owes). */
export async function countPendingOutbox(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('sentAt', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
