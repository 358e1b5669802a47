import { Queue, type JobsOptions } from 'bullmq';
import { JOBS, QUEUES, type JobName, type QueueName } from './catalog.js';
import { redisOptions } from './connection.js';

export interface QueueSetOptions {
  readonly redisUrl: string;
  readonly prefix: string;
}

/** One BullMQ Queue per catalog queue, sharing options; `close()` closes them all. */
export class QueueSet {
  readonly byName: Readonly<Record<QueueName, Queue>>;

  constructor(readonly options: QueueSetOptions) {
    const connection = redisOptions(options.redisUrl, 'producer');
    this.byName = Object.fromEntries(
      QUEUES.map((name) => [name, new Queue(name, { connection, prefix: options.prefix })]),
    ) as Record<QueueName, Queue>;
  }

  queueFor(job: JobName): Queue {
    return this.byName[JOBS[job].queue];
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.byName).map((q) => q.close()));
  }
}

/**
 * BullMQ options for adding `name` with identity `id` (see the catalog's `identity`), to run after
 * `delayMs` or the job's `gatherMs`, whichever is longer.
 */
export function jobOptions(name: JobName, id: string, runInMs = 0): JobsOptions {
  const spec: { gatherMs?: number } & (typeof JOBS)[JobName] = JOBS[name];
  const delayMs = Math.max(runInMs, spec.gatherMs ?? 0);
  const base: JobsOptions = {
    attempts: spec.attempts,
    backoff: { type: 'exponential', delay: spec.backoffMs },
    removeOnComplete: { count: spec.keepCompleted },
    removeOnFail: { count: 5000 },
    ...(delayMs > 0 ? { delay: delayMs } : {}),
  };
  return spec.identity === 'job-id'
    ? { ...base, jobId: id }
    : { ...base, deduplication: { id, keepLastIfActive: true } };
}
