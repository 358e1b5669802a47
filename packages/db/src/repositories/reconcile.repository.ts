import { sql } from 'kysely';
import type { Executor } from '../connection.js';

/**
 * Marks the outbox rows of a finished job done (succeeded, or failed for good): those with its job id
 * sent before the job started. A row sent while it ran is left for the run it asked for.
 */
export async function markOutboxCompleted(
  db: Executor,
  jobId: string,
  job: { startedAt: Date; finishedAt: Date },
): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ completedAt: job.finishedAt })
    .where('jobId', '=', jobId)
    .where('completedAt', 'is', null)
    .where('sentAt', '<=', job.startedAt)
    .execute();
}

/**
 * Outbox rows handed to Redis `olderThanMs` or more before `now` whose job has not finished: work Redis
 * may have lost.
 */
export async function listUnfinishedOutbox(
  db: Executor,
  options: { olderThanMs: number; limit: number; now: Date },
) {
  const rows = await db
    .selectFrom('outbox')
    .select(['id', 'jobName', 'jobId', 'payload', 'runAt'])
    .where('sentAt', 'is not', null)
    .where('completedAt', 'is', null)
    .where('sentAt', '<=', new Date(options.now.getTime() - options.olderThanMs))
    .orderBy('sentAt')
    .limit(options.limit)
    .execute();
  return rows.map((r) => ({ ...r, payload: r.payload as Record<string, unknown> }));
}

/**
 * Open (unacknowledged) tasks still below their highest escalation level: each owes an escalation job
 * for the next level at its due time.
 */
export async function listOwedEscalations(db: Executor, limit: number) {
  return db
    .selectFrom('tasks')
    .select(['id', 'escalationLevel', 'dueAt'])
    .where('status', '=', 'open')
    .where(sql<boolean>`escalation_level < coalesce((snapshot->'context'->>'maxEscalationLevel')::int, 1)`)
    .orderBy('dueAt')
    .limit(limit)
    .execute();
}

/** Notifications still pending (not sent, not failed for good) at least `olderThanMs` old, with a channel. */
export async function listUndeliveredNotifications(
  db: Executor,
  options: { olderThanMs: number; limit: number; now: Date },
): Promise<string[]> {
  const rows = await db
    .selectFrom('notifications')
    .select('id')
    .where('status', '=', 'pending')
    .where('channelId', 'is not', null)
    .where('createdAt', '<=', new Date(options.now.getTime() - options.olderThanMs))
    .orderBy('createdAt')
    .limit(options.limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Products with a (product, branch) pair whose sales are newer than its last evaluation (a watermark). */
export async function listProductsAwaitingEvaluation(db: Executor, limit: number) {
  return db
    .selectFrom('salesEvaluationMarks')
    .select('productId')
    .distinct()
    .orderBy('productId')
    .limit(limit)
    .execute();
}

/** {@link markOutboxCompleted} for several finished jobs, in one statement. */
export async function markOutboxCompletedMany(
  db: Executor,
  jobs: readonly { jobId: string; startedAt: Date; finishedAt: Date }[],
): Promise<void> {
  if (jobs.length === 0) return;
  await sql`
    update outbox o set completed_at = j.finished_at
    from unnest(${jobs.map((j) => j.jobId)}::text[], ${jobs.map((j) => j.startedAt)}::timestamptz[],
      ${jobs.map((j) => j.finishedAt)}::timestamptz[]) as j(job_id, started_at, finished_at)
    where o.job_id = j.job_id and o.completed_at is null and o.sent_at <= j.started_at
  `.execute(db);
}
