import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Config, Logger } from '@tower/config';
import { listenForOutbox, type Db } from '@tower/db';
import { isAppError } from '@tower/domain';
import { createEngineContext, relayOutbox, type EngineContext } from '@tower/engine';
import {
  isJobName,
  JOB_NAMES,
  scheduledJobs,
  payloadProblems,
  QUEUES,
  QueueSet,
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
   * Register the job schedulers of the catalog's scheduled jobs (`schedule` in @tower/queue: the daily
   * stalled-stage sweep at 06:00 Asia/Shanghai, the hourly overdue launch-item sweep at :05). Off in most tests.
   */
  readonly schedulers?: boolean;
  /** Which queues this process works; all by default. */
  readonly queues?: readonly QueueName[];
}

export interface RunningWorker {
  readonly queues: QueueSet;
  readonly ctx: EngineContext;
  /** Moves pending outbox rows to BullMQ now; returns how many. */
  relayNow(): Promise<number>;
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

async function runJob(deps: ProcessorDeps, logger: Logger, job: Job): Promise<unknown> {
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
    return result;
  } catch (error) {
    if (isAppError(error) && !error.retryable) {
      log.warn({ code: error.code, err: error }, 'job refused');
      throw new UnrecoverableError(`${error.code}: ${error.message}`);
    }
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
  const processorDeps: ProcessorDeps = { ctx, publicUrl: config.publicUrl };
  const connection = redisOptions(config.redisUrl, 'worker');

  const workers = (deps.queues ?? QUEUES).map(
    (queue) =>
      new Worker(queue, (job) => runJob(processorDeps, logger, job), {
        connection,
        prefix: config.queuePrefix,
        concurrency: config.workerConcurrency,
        autorun: true,
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

  if (deps.schedulers) {
    // The schedules are data in the job catalog (`schedule`); each becomes one BullMQ job scheduler.
    for (const { name, queue, attempts, schedule } of scheduledJobs()) {
      await queues.byName[queue].upsertJobScheduler(
        schedule.id,
        { pattern: schedule.pattern, tz: schedule.tz },
        { name, data: {}, opts: { attempts } },
      );
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

  return {
    queues,
    ctx,
    relayNow,
    async close() {
      stopping = true;
      wakeup.wake();
      await relayLoop;
      await listener.close();
      await Promise.all(workers.map((w) => w.close()));
      await queues.close();
    },
  };
}
