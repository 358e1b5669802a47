export * from './schema.js';
export { createDb, type Db, type Tx, type Executor, type DbOptions } from './connection.js';
export { ensureDatabase, migrateToLatest, prepareDatabase, type MigrationOutcome } from './migrate.js';
export { translateDbError, isRetryableDbError, isUniqueViolation } from './errors.js';
export * from './repositories/index.js';
export { listenForOutbox, OUTBOX_CHANNEL, type OutboxListener } from './outbox-listener.js';
