import { loadConfig } from '@tower/config';
import { createDb } from '../connection.js';
import { ensureDatabase, migrateToLatest } from '../migrate.js';

const config = loadConfig(process.env);
const created = await ensureDatabase(config.databaseUrl);
const db = createDb(config.databaseUrl, { max: 1 });
try {
  const { applied } = await migrateToLatest(db);
  console.log(JSON.stringify({ msg: 'migrated', created, applied }));
} finally {
  await db.destroy();
}
