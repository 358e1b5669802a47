import { claimPendingOutbox, markOutboxSent } from '@tower/db';
import { AppError } from '@tower/domain';
import { isJobName, jobOptions, payloadProblems, type QueueSet } from '@tower/queue';
import type { EngineContext } from './context.js';

/**
 * How long the relay waits for Redis to take a batch. BullMQ waits for a connection that never came up
 * (Redis down at start) without end; the relay would hold its rows locked and never return.
 */
const REDIS_DEADLINE_MS = 5000;

async function withinDeadline(work: Promise<void>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new AppError(
            'QUEUE_UNAVAILABLE',
            `Redis did not take the outbox batch within ${ms} ms; the rows stay pending.`,
          ),
        ),
      ms,
    );
  });
  try {
    await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export interface RelayOutcome {
  /** Rows moved to BullMQ and marked sent. */
  readonly sent: number;
  /** Rows with an unknown job or a bad payload: marked sent so they never block the rest, and reported. */
  readonly rejected: readonly { id: number; jobName: string; problems: string[] }[];
}

/**
 * Moves up to `limit` outbox rows to BullMQ and marks them sent, in one transaction that holds the
 * rows (`FOR UPDATE SKIP LOCKED`): two relays never take the same row, and a row whose add failed
 * (Redis down) stays pending for the next run. Job ids are deterministic, so a crash between the add
 * and the commit re-adds the same job id, which BullMQ ignores.
 */
export async function relayOutbox(ctx: EngineContext, queues: QueueSet, limit = 500): Promise<RelayOutcome> {
  return ctx.db.transaction().execute(async (tx) => {
    const rows = await claimPendingOutbox(tx, limit);
    if (rows.length === 0) return { sent: 0, rejected: [] };
    const rejected: { id: number; jobName: string; problems: string[] }[] = [];
    const byQueue = new Map<
      QueueSet['byName'][keyof QueueSet['byName']],
      Parameters<QueueSet['byName']['signals']['addBulk']>[0]
    >();
    const now = ctx.now().getTime();
    for (const row of rows) {
      if (!isJobName(row.jobName)) {
        rejected.push({ id: row.id, jobName: row.jobName, problems: ['unknown job'] });
        continue;
      }
      const problems = payloadProblems(row.jobName, row.payload);
      if (problems.length > 0) {
        rejected.push({ id: row.id, jobName: row.jobName, problems });
        continue;
      }
      const queue = queues.queueFor(row.jobName);
      const delay = row.runAt ? Math.max(0, new Date(row.runAt).getTime() - now) : 0;
      const list = byQueue.get(queue) ?? [];
      list.push({ name: row.jobName, data: row.payload, opts: jobOptions(row.jobName, row.jobId, delay) });
      byQueue.set(queue, list);
    }
    // A late add after the deadline is harmless: the row stays pending and its deterministic id is re-added.
    const adding = (async () => {
      for (const [queue, jobs] of byQueue) await queue.addBulk(jobs);
    })();
    adding.catch(() => {});
    await withinDeadline(adding, REDIS_DEADLINE_MS);
    await markOutboxSent(
      tx,
      rows.map((r) => r.id),
      ctx.now(),
    );
    return { sent: rows.length - rejected.length, rejected };
  });
}
