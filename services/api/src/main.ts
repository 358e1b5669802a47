import { ConfigError, createLogger, loadConfig } from '@tower/config';
import { createDb, ensureDatabase, migrateToLatest } from '@tower/db';
import { bootstrapAdmin, createEngineContext } from '@tower/engine';
import { createRedis } from '@tower/queue';
import { buildApp } from './app.js';

let config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
const logger = createLogger({ name: 'api', level: config.logLevel });

try {
  const created = await ensureDatabase(config.databaseUrl);
  const db = createDb(config.databaseUrl, { applicationName: 'tower-api' });
  const { applied } = await migrateToLatest(db);
  logger.info({ created, applied }, 'database ready');
  if (
    await bootstrapAdmin(createEngineContext(db), {
      email: config.adminEmail,
      password: config.adminPassword,
    })
  ) {
    logger.info({ email: config.adminEmail }, 'first admin created');
  }
  const redis = createRedis(config.redisUrl);
  await redis.connect();
  const app = await buildApp({ config, db, redis, logger });
  await app.listen({ port: config.port, host: config.host });

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    // Stop accepting, let in-flight requests finish, then close pools.
    await app.close();
    await redis.quit();
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
