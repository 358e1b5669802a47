import { runService } from '@tower/config';
import { prepareDatabase } from '@tower/db';
import { startWorker } from './worker.js';

await runService('worker', process.env, async (config, logger) => {
  const { db } = await prepareDatabase(config.databaseUrl, 'tower-worker');
  const worker = await startWorker({ config, db, logger, schedulers: true });
  logger.info({ concurrency: config.workerConcurrency }, 'worker started');
  return async () => {
    // Running jobs finish (or go back to the queue); then connections close.
    await worker.close();
    await db.destroy();
  };
});
