import { ConfigError, createLogger, loadConfig, type Config } from '@tower/config';
import { createDb, ensureDatabase, migrateToLatest } from '@tower/db';
import { startWorker } from './worker.js';

let config: Config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
const logger = createLogger({ name: 'worker', level: config.logLevel });

try {
  await ensureDatabase(config.databaseUrl);
  const db = createDb(config.databaseUrl, { applicationName: 'tower-worker' });
  await migrateToLatest(db);
  const worker = await startWorker({ config, db, logger, schedulers: true });
  logger.info({ concurrency: config.workerConcurrency }, 'worker started');

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    // Running jobs finish (or are released back to the queue); then connections close.
    await worker.close();
    await db.destroy();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
} catch (error) {
  logger.fatal({ err: error }, 'start-up failed');
  process.exit(1);
}
