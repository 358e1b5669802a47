import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Config, Logger } from '@tower/config';
import { listenForOutbox, markOutboxCompletedMany, type Db } from '@tower/db';
import { isAppError } from '@tower/domain';
import {
  createEngineContext,
  GroupCommit,
  reconcileQueues,
  relayOutbox,
  type EngineContext,
  type ReconcileOutcome,
} from '@tower/engine';
import {
  isJobName,
  JOBS,
  JOB_NAMES,
  scheduledJobs,
  payloadProblems,
  QUEUES,
  QueueSet,
  createRedis,
  redisOptions,
  type JobName,
  type QueueName,
} from '@tower/queue';
import { PROCESSORS, type ProcessorDeps } from './processors.js';

export interface WorkerDeps {
  readonly config: Config;
  readonly db: Db;
  readonly logger: Logger;
  readonly now?: () => Date;
  /**
   * Register the job schedulers: those of the catalog's scheduled jobs (`schedule` in @tower/queue: the
   * daily stalled-stage sweep at 06:00 Asia/Shanghai, the hourly overdue launch-item sweep at :05, the
   * monthly target sweep at 06:30 on the 3rd, the
   * quarterly review at 09:00 Asia/Shanghai on 1 Jan/Apr/Jul/Oct) and the reconciler's. Off in most tests.
   */
  readonly schedulers?: boolean;
  /**
   * Reconcile once at start and watch Redis for lost data (then restore the schedulers and reconcile).
   * On by default; a worker's helper processes leave it to their primary.
   */
  readonly housekeeping?: boolean;
  /** Which queues this process works; all by default. */
  readonly queues?: readonly QueueName[];
}

export interface RunningWorker {
  readonly queues: QueueSet;
  readonly ctx: EngineContext;
  /** Moves pending outbox rows to BullMQ now; returns how many. */
  relayNow(): Promise<number>;
  /** Re-enqueues from Postgres what Redis should hold and does not (see `reconcileQueues`). */
  reconcileNow(): Promise<ReconcileOutcome>;
  close(): Promise<void>;
}

/** Lets a loop sleep until woken or a timeout, without losing a wake that comes while it works. */
class Wakeup {
  private pending = false;
  private resolve: (() => void) | undefined;

  wake(): void {
    if (this.resolve) {
      this.resolve();
      this.resolve = undefined;
    } else {
      this.pending = true;
    }
  }

  async wait(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      this.resolve = resolve;
      timer = setTimeout(resolve, ms);
    });
    clearTimeout(timer);
    this.resolve = undefined;
  }
}

/** The quarterly review's job scheduler id (its schedule is catalog data): one per deployment. */
export const QUARTERLY_REVIEW_SCHEDULER: string = JOBS['quarterly-review'].schedule!.id;

/** Refuses to start when a catalog job has no processor (or a processor names no job). */
export function checkRegistry(processors: Record<string, unknown>): void {
  const missing = JOB_NAMES.filter((name) => typeof processors[name] !== 'function');
  const unknown = Object.keys(processors).filter((name) => !isJobName(name));
  if (missing.length > 0 || unknown.length > 0) {
    throw new Error(
      `job registry does not match the catalog: ${[...missing.map((n) => `no processor for ${n}`), ...unknown.map((n) => `processor for unknown job ${n}`)].join('; ')}`,
    );
  }
}

/**
 * Lock and stall settings: a worker renews its jobs' locks every LOCK_MS / 2; a worker that dies
 * (SIGKILL, a lost machine) stops renewing, and another worker's stall check, every STALL_CHECK_MS,
 * moves its jobs back to waiting once the lock has lapsed: a killed worker's jobs resume within
 * LOCK_MS + STALL_CHECK_MS (≤ 9 s). A job may stall this many times before it fails (crashes are not
 * the job's fault); every handler is idempotent, so a job that ran on when its lock lapsed is harmless.
 */
export const LOCK_MS = 6000;
export const STALL_CHECK_MS = 3000;
export const MAX_STALLED_COUNT = 10;

/** How often a worker checks that Redis still holds its marker (it is gone after a FLUSHALL or a wiped failover). */
const REDIS_WATCH_MS = 5000;

/** Marks the outbox rows of finished jobs done, the jobs that finish together in one statement. */
type Completions = GroupCommit<{ jobId: string; startedAt: Date; finishedAt: Date }, undefined>;

/** The outbox rows a job came from are done: it succeeded, or failed for good. */
async function markDone(
  deps: ProcessorDeps,
  completions: Completions,
  job: Job,
  logger: Logger,
): Promise<void> {
  const id = job.opts.deduplication?.id ?? job.id;
  if (!id) return;
  try {
    await completions.add({
      jobId: id,
      startedAt: new Date(job.processedOn ?? Date.now()),
      finishedAt: deps.ctx.now(),
    });
  } catch (error) {
    // Not fatal: the reconciler sees the row unfinished and re-adds the job, which is idempotent.
    logger.warn({ err: error, jobId: job.id }, 'could not mark outbox rows done');
  }
}

async function runJob(
  deps: ProcessorDeps,
  completions: Completions,
  logger: Logger,
  job: Job,
): Promise<unknown> {
  if (!isJobName(job.name)) throw new UnrecoverableError(`unknown job ${job.name}`);
  const name: JobName = job.name;
  const problems = payloadProblems(name, job.data);
  if (problems.length > 0)
    throw new UnrecoverableError(`invalid payload for ${name}: ${problems.join('; ')}`);
  const log = logger.child({ jobId: job.id, job: name, attempt: job.attemptsMade + 1 });
  const started = performance.now();
  try {
    const processor = PROCESSORS[name] as (d: ProcessorDeps, p: unknown, j: Job) => Promise<unknown>;
    const result = await processor(deps, job.data, job);
    log.debug({ durationMs: Math.round(performance.now() - started), result }, 'job done');
    await markDone(deps, completions, job, log);
    return result;
  } catch (error) {
    if (isAppError(error) && !error.retryable) {
      log.warn({ code: error.code, err: error }, 'job refused');
      await markDone(deps, completions, job, log);
      throw new UnrecoverableError(`${error.code}: ${error.message}`);
    }
    if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) await markDone(deps, completions, job, log);
    log.warn({ err: error }, 'job failed; will retry');
    throw error;
  }
}

/**
 * Starts the workers of every queue, the outbox relay loop and, when `deps.schedulers` is set, the job
 * schedulers of the catalog's scheduled jobs (`JOBS[name].schedule`).
 * `close()` stops taking jobs, lets running ones finish and closes every connection.
 */
export async function startWorker(deps: WorkerDeps): Promise<RunningWorker> {
  checkRegistry(PROCESSORS);
  const { config, logger } = deps;
  const ctx = createEngineContext(deps.db, deps.now, logger);
  const queues = new QueueSet({ redisUrl: config.redisUrl, prefix: config.queuePrefix });
  const processorDeps: ProcessorDeps = {
    ctx,
    publicUrl: config.publicUrl,
    queues,
    complaintBatchMax: config.complaintBatchMax,
  };
  const completions: Completions = new GroupCommit<
    { jobId: string; startedAt: Date; finishedAt: Date },
    undefined
  >(async (jobs) => {
    await markOutboxCompletedMany(ctx.db, jobs);
    return jobs.map(() => undefined);
  }, 1000);
  const connection = redisOptions(config.redisUrl, 'worker');

  const workers = (deps.queues ?? QUEUES).map(
    (queue) =>
      new Worker(queue, (job) => runJob(processorDeps, completions, logger, job), {
        connection,
        prefix: config.queuePrefix,
        concurrency: config.workerConcurrency,
        autorun: true,
        lockDuration: LOCK_MS,
        stalledInterval: STALL_CHECK_MS,
        maxStalledCount: MAX_STALLED_COUNT,
        // An import commit runs for minutes; a dead worker's job is taken over after its lock lapses.
        ...(queue === 'imports'
          ? { lockDuration: config.importJobLockMs, stalledInterval: config.importJobLockMs }
          : {}),
      }),
  );
  for (const worker of workers) {
    worker.on('error', (error) => logger.error({ err: error, queue: worker.name }, 'worker error'));
    worker.on('failed', (job, error) => {
      if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
        logger.error({ jobId: job.id, job: job.name, err: error }, 'job failed for good');
      }
    });
  }

  const upsertSchedulers = async (): Promise<void> => {
    if (!deps.schedulers) return;
    // The schedules are data in the job catalog (`schedule`); each becomes one BullMQ job scheduler.
    for (const { name, queue, attempts, schedule } of scheduledJobs()) {
      await queues.byName[queue].upsertJobScheduler(
        schedule.id,
        { pattern: schedule.pattern, tz: schedule.tz },
        { name, data: {}, opts: { attempts } },
      );
    }
    // The reconciler's interval is configuration (RECONCILE_INTERVAL_MS), not catalog data.
    await queues.byName[JOBS.reconcile.queue].upsertJobScheduler(
      'reconcile',
      { every: config.reconcileIntervalMs },
      {
        name: 'reconcile',
        data: {},
        opts: {
          attempts: JOBS.reconcile.attempts,
          removeOnComplete: { count: JOBS.reconcile.keepCompleted },
        },
      },
    );
  };
  await upsertSchedulers();

  const reconcileNow = () => reconcileQueues(ctx, queues);
  const housekeeping = deps.housekeeping ?? true;
  // Once at start: whatever a Redis that lost its data, or a crash, left undone is owed now.
  if (housekeeping) {
    try {
      await reconcileNow();
    } catch (error) {
      logger.warn({ err: error }, 'reconcile at start failed; the scheduler and the watch retry');
    }
  }

  let stopping = false;
  const relayNow = async (): Promise<number> => {
    let total = 0;
    for (;;) {
      const outcome = await relayOutbox(ctx, queues, 500);
      total += outcome.sent;
      for (const bad of outcome.rejected)
        logger.error({ outboxId: bad.id, job: bad.jobName, problems: bad.problems }, 'outbox row rejected');
      if (outcome.sent + outcome.rejected.length < 500) return total;
    }
  };
  // Woken at once when outbox rows commit (LISTEN/NOTIFY); polling every relayIntervalMs covers
  // anything a notification misses.
  const wakeup = new Wakeup();
  const listener = await listenForOutbox(
    config.databaseUrl,
    () => wakeup.wake(),
    (error) => logger.warn({ err: error }, 'outbox listener lost its connection; reconnecting'),
  );
  const relayLoop = (async () => {
    let backoffMs = config.relayIntervalMs;
    while (!stopping) {
      try {
        await relayNow();
        backoffMs = config.relayIntervalMs;
      } catch (error) {
        // Redis or Postgres is away: the rows wait in Postgres; try again a little later.
        logger.warn({ err: error }, 'outbox relay failed; retrying');
        backoffMs = Math.min(backoffMs * 2, 10_000);
      }
      await wakeup.wait(backoffMs);
    }
  })();

  const watch = housekeeping
    ? await watchRedis(config, logger, async () => {
        await upsertSchedulers();
        await reconcileNow();
      })
    : undefined;

  return {
    queues,
    ctx,
    relayNow,
    reconcileNow,
    async close() {
      stopping = true;
      wakeup.wake();
      await relayLoop;
      await watch?.close();
      await listener.close();
      await Promise.all(workers.map((w) => w.close()));
      await queues.close();
    },
  };
}

/**
 * A marker key in Redis: when it is gone, Redis lost its data (FLUSHALL, a failover to an empty
 * replica, a wiped instance): `restore` (put the schedulers back and reconcile) runs at once, not at
 * the next reconciler tick. Checked every REDIS_WATCH_MS.
 */
async function watchRedis(
  config: Config,
  logger: Logger,
  restore: () => Promise<void>,
): Promise<{ close(): Promise<void> }> {
  const markerKey = `${config.queuePrefix}:worker-marker`;
  const redisClient = createRedis(config.redisUrl);
  redisClient.on('error', () => {}); // reported by the loop below
  await redisClient.connect().catch(() => undefined);
  await redisClient.set(markerKey, '1').catch(() => undefined);
  const wakeup = new Wakeup();
  let stopping = false;
  const loop = (async () => {
    while (!stopping) {
      await wakeup.wait(REDIS_WATCH_MS);
      if (stopping) break;
      try {
        if ((await redisClient.exists(markerKey)) === 0) {
          logger.warn('Redis lost its data; restoring schedulers and reconciling');
          await redisClient.set(markerKey, '1');
          await restore();
        }
      } catch (error) {
        logger.warn({ err: error }, 'Redis watch failed; retrying');
      }
    }
  })();
  return {
    async close() {
      stopping = true;
      wakeup.wake();
      await loop;
      redisClient.disconnect();
    },
  };
}
