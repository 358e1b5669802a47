import { Migrator, sql } from 'kysely';
import pg from 'pg';
import { createDb, type Db } from './connection.js';
import { migrationProvider } from './migrations/index.js';

/** Creates the database named in `databaseUrl` if it does not exist yet. */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new Error(`refusing to create database with name "${name}"`);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount) return false;
    try {
      await client.query(`create database "${name}"`);
    } catch (error) {
      // Another process created it between our check and our create (42P04, or 23505 when both raced
      // into the catalogue at once).
      const code = (error as { code?: string }).code;
      if (code !== '42P04' && code !== '23505') throw error;
      return false;
    }
    return true;
  } finally {
    await client.end();
  }
}

export interface MigrationOutcome {
  readonly applied: readonly string[];
}

/** Applies pending migrations under an advisory lock, so that processes starting together take turns. */
export async function migrateToLatest(db: Db): Promise<MigrationOutcome> {
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(727001)`.execute(conn);
    try {
      const migrator = new Migrator({ db: conn, provider: migrationProvider });
      const { error, results } = await migrator.migrateToLatest();
      if (error) throw error instanceof Error ? error : new Error(JSON.stringify(error));
      return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
    } finally {
      await sql`select pg_advisory_unlock(727001)`.execute(conn);
    }
  });
}

/** What a service does before it serves: create the database if missing, migrate, and open a pool on it. */
export async function prepareDatabase(
  databaseUrl: string,
  applicationName: string,
): Promise<{ db: Db; created: boolean; applied: readonly string[] }> {
  const created = await ensureDatabase(databaseUrl);
  const db = createDb(databaseUrl, { applicationName });
  try {
    const { applied } = await migrateToLatest(db);
    return { db, created, applied };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}
