import { runService } from '@tower/config';
import { createDb, prepareDatabase } from '@tower/db';
import { helperNumber, startHelpers } from './helpers.js';
import { startWorker } from './worker.js';

// One worker is WORKER_PROCESSES processes: this one (the primary) and the helpers it forks, which
// run this file again with `--helper n`.
const helper = helperNumber(process.argv);

await runService(
  'worker',
  process.env,
  async (config, logger) => {
    if (helper !== undefined) {
      // The primary has migrated the database and keeps the schedulers and the Redis watch.
      const helperLogger = logger.child({ helper });
      const db = createDb(config.databaseUrl, { applicationName: 'tower-worker' });
      const worker = await startWorker({
        config,
        db,
        logger: helperLogger,
        schedulers: false,
        housekeeping: false,
      });
      helperLogger.info({ concurrency: config.workerConcurrency }, 'worker helper started');
      return async () => {
        await worker.close();
        await db.destroy();
      };
    }
    const { db } = await prepareDatabase(config.databaseUrl, 'tower-worker');
    const worker = await startWorker({ config, db, logger, schedulers: true });
    const helpers =
      config.workerProcesses > 1
        ? startHelpers(config.workerProcesses - 1, process.argv[1]!, logger)
        : undefined;
    logger.info(
      { concurrency: config.workerConcurrency, processes: config.workerProcesses },
      'worker started',
    );
    return async () => {
      // Running jobs finish (or go back to the queue), here and in the helpers; then connections close.
      await Promise.all([helpers?.stop(), worker.close()]);
      await db.destroy();
    };
  },
  { stopWithParent: helper !== undefined },
);
