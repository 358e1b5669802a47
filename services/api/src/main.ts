import { fileURLToPath } from 'node:url';
import { runService } from '@tower/config';
import { prepareDatabase } from '@tower/db';
import { bootstrapAdmin, createEngineContext } from '@tower/engine';
import { createRedis } from '@tower/queue';
import { buildApp } from './app.js';

await runService('api', process.env, async (config, logger) => {
  const { db, created, applied } = await prepareDatabase(config.databaseUrl, 'tower-api');
  logger.info({ created, applied }, 'database ready');
  const admin = { email: config.adminEmail, password: config.adminPassword };
  if (await bootstrapAdmin(createEngineContext(db), admin)) {
    logger.info('first admin created');
  }
  const redis = createRedis(config.redisUrl);
  await redis.connect();
  // The dashboard's build sits beside this service in the workspace (pnpm start builds it when stale).
  const webRoot = fileURLToPath(new URL('../../web/dist', import.meta.url));
  const app = await buildApp({ config, db, redis, logger, webRoot });
  await app.listen({ port: config.port, host: config.host });
  return async () => {
    // Stop accepting, let in-flight requests finish, then close the pools.
    await app.close();
    await redis.quit();
    await db.destroy();
  };
});
