import { CamelCasePlugin, Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';
import { translatingDialect } from './translating-driver.js';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Anything queries can run on: the pool or an open transaction. Repositories take it first. */
export type Executor = Kysely<Database>;

const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;

/**
 * int8 as a JS number (fen sums stay far below 2^53), `date` as the `YYYY-MM-DD` string it is
 * (a calendar day in Asia/Shanghai, never shifted through a JS Date).
 */
const types: pg.CustomTypesConfig = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8) return (value: string) => Number(value);
    if (oid === NUMERIC) return (value: string) => value;
    if (oid === DATE) return (value: string) => value;
    return pg.types.getTypeParser(oid, format) as (value: string) => unknown;
  },
};

export interface DbOptions {
  readonly max?: number;
  readonly applicationName?: string;
}

/**
 * A Kysely instance on its own pool; call `db.destroy()` to close it. Postgres errors leave it as
 * AppErrors (`translateDbError`).
 */
export function createDb(databaseUrl: string, options: DbOptions = {}): Db {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.max ?? 10,
    // Connections stay open once made: with pg's default (closed after 10 s idle) the first burst
    // after a quiet spell waits for new backends to start and warm their caches (about a second of
    // stalled answers at 500 complaints/s in `pnpm bench`). At most `max` per process.
    idleTimeoutMillis: 0,
    types,
    application_name: options.applicationName ?? 'product-tower',
  });
  // An idle client losing its connection (Postgres restart) must not crash the process.
  pool.on('error', () => {});
  return new Kysely<Database>({
    // Postgres errors become AppErrors here, once, for every caller (API and workers alike).
    dialect: translatingDialect(new PostgresDialect({ pool })),
    plugins: [new CamelCasePlugin({ maintainNestedObjectKeys: true })],
  });
}
