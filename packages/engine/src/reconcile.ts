import {
  isComplaintEvaluationOwed,
  listOwedEscalations,
  listProductsAwaitingEvaluation,
  listUndeliveredNotifications,
  listUnfinishedOutbox,
} from '@tower/db';
import {
  isJobName,
  JOBS,
  jobIdFor,
  jobOptions,
  payloadProblems,
  type JobName,
  type QueueSet,
} from '@tower/queue';
import type { EngineContext } from './context.js';
import { complaintEvaluation, salesEvaluation } from './signals/evaluation-messages.js';

export interface ReconcileOptions {
  /** Work younger than this is left alone (it may be on its way to Redis). Default 5 s. */
  readonly graceMs?: number;
  /** Rows looked at per kind and pass. Default 5,000. */
  readonly limit?: number;
}

export interface ReconcileOutcome {
  /** Jobs looked for in Redis. */
  readonly checked: number;
  /** Jobs re-enqueued, by what Postgres said was owed. */
  readonly outbox: number;
  readonly escalations: number;
  readonly notifications: number;
  readonly evaluations: number;
}

interface Owed {
  readonly name: JobName;
  /** The deterministic job id (or deduplication id) the job was first enqueued with. */
  readonly id: string;
  readonly payload: Record<string, unknown>;
  readonly runAt: Date | null;
}

/** Is the job (by its deterministic id or deduplication id) anywhere in Redis? */
async function isInRedis(queues: QueueSet, job: Owed): Promise<boolean> {
  const queue = queues.queueFor(job.name);
  if (JOBS[job.name].identity === 'dedupe') return (await queue.getDeduplicationJobId(job.id)) !== null;
  return (await queue.getJobState(job.id)) !== 'unknown';
}

/**
 * Postgres is the source of truth; Redis only carries work. Re-enqueues, with the same deterministic
 * job ids (so nothing runs twice for it), whatever Postgres says should be in Redis and is not:
 * - outbox work handed to Redis whose job never finished (evaluations, stage reactions, escalations,
 *   deliveries: the worker marks a row done when its job succeeds or fails for good);
 * - the sales evaluation of every (product, branch) whose watermark says it has facts newer than its
 *   last evaluation;
 * - a run of the complaint evaluation while complaints wait for one;
 * - the next escalation of every open task below its last level, due at the task's due time;
 * - every pending notification, so it is delivered after all.
 * Idempotent and safe beside running workers and other reconcilers: adding a job id that exists is a
 * no-op, and every handler is idempotent. Run by a job scheduler, at worker start, and at once when a
 * worker sees that Redis lost its data.
 */
export async function reconcileQueues(
  ctx: EngineContext,
  queues: QueueSet,
  options: ReconcileOptions = {},
): Promise<ReconcileOutcome> {
  const now = ctx.now();
  const olderThanMs = options.graceMs ?? 5000;
  const limit = options.limit ?? 5000;
  const [outboxRows, escalations, notifications, pairs, complaintsOwed] = await Promise.all([
    listUnfinishedOutbox(ctx.db, { olderThanMs, limit, now }),
    listOwedEscalations(ctx.db, limit),
    listUndeliveredNotifications(ctx.db, { olderThanMs, limit, now }),
    listProductsAwaitingEvaluation(ctx.db, limit),
    isComplaintEvaluationOwed(ctx.db, { olderThanMs, now }),
  ]);
  type Kind = 'outbox' | 'escalations' | 'notifications' | 'evaluations';
  const owed: { kind: Kind; job: Owed }[] = [];
  const seen = new Set<string>();
  const push = (kind: Kind, job: Owed) => {
    const key = `${job.name}|${job.id}`;
    if (seen.has(key)) return;
    seen.add(key);
    owed.push({ kind, job });
  };
  for (const row of outboxRows) {
    if (!isJobName(row.jobName) || payloadProblems(row.jobName, row.payload).length > 0) continue;
    push('outbox', { name: row.jobName, id: row.jobId, payload: row.payload, runAt: row.runAt });
  }
  // Sales newer than the pair's last evaluation (its watermark row): the pair's evaluation is owed.
  for (const pair of pairs) {
    const message = salesEvaluation(pair.productId);
    push('evaluations', { name: 'evaluate-sales', id: message.jobId, payload: message.payload, runAt: null });
  }
  // Complaints waiting for evaluation (the mark, or a pending complaint past the grace): a run is owed.
  if (complaintsOwed) {
    const message = complaintEvaluation();
    push('evaluations', {
      name: 'evaluate-complaints',
      id: message.jobId,
      payload: message.payload,
      runAt: null,
    });
  }
  for (const task of escalations) {
    const level = task.escalationLevel + 1;
    push('escalations', {
      name: 'escalate-task',
      id: jobIdFor('escalate-task', task.id, level),
      payload: { taskId: task.id, level },
      runAt: task.dueAt,
    });
  }
  for (const notificationId of notifications) {
    push('notifications', {
      name: 'notify',
      id: jobIdFor('notify', notificationId),
      payload: { notificationId },
      runAt: null,
    });
  }

  const counts = { outbox: 0, escalations: 0, notifications: 0, evaluations: 0 };
  type Add = Parameters<ReturnType<QueueSet['queueFor']>['addBulk']>[0][number];
  const adds = new Map<ReturnType<QueueSet['queueFor']>, Add[]>();
  for (const { kind, job } of owed) {
    if (await isInRedis(queues, job)) continue;
    const delay = job.runAt ? Math.max(0, new Date(job.runAt).getTime() - now.getTime()) : 0;
    const queue = queues.queueFor(job.name);
    const list = adds.get(queue) ?? [];
    list.push({ name: job.name, data: job.payload, opts: jobOptions(job.name, job.id, delay) });
    adds.set(queue, list);
    counts[kind]++;
  }
  for (const [queue, jobs] of adds) await queue.addBulk(jobs);
  if (counts.outbox + counts.escalations + counts.notifications + counts.evaluations > 0) {
    ctx.log?.warn({ ...counts, checked: owed.length }, 'reconciler re-enqueued work Redis did not have');
  }
  return { checked: owed.length, ...counts };
}
