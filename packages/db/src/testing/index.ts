import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { createDb, type Db } from '../connection.js';
import { ensureDatabase, migrateToLatest } from '../migrate.js';

/** Where tests find Postgres; each test file gets its own database on this server. */
export const TEST_SERVER_URL =
  process.env.TEST_DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEMPLATE_DATABASE = process.env.TEST_TEMPLATE_DATABASE ?? 'tower_test_template';

function urlFor(database: string): string {
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withServer<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_SERVER_URL });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

async function waitForNoSessions(client: pg.Client, database: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const { rows } = await client.query<{ n: string }>(
      'select count(*) as n from pg_stat_activity where datname = $1',
      [database],
    );
    if (rows[0]?.n === '0') return;
    await sleep(25);
  }
}

/** Recreates the template database and migrates it; run once per test run (vitest globalSetup). */
export async function prepareTemplateDatabase(): Promise<void> {
  await withServer(async (client) => {
    await client.query(`drop database if exists "${TEMPLATE_DATABASE}" with (force)`);
  });
  const url = urlFor(TEMPLATE_DATABASE);
  await ensureDatabase(url);
  const db = createDb(url, { max: 1 });
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
  await withServer((client) => waitForNoSessions(client, TEMPLATE_DATABASE));
}

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  readonly db: Db;
  /** Closes the pool, waits for its sessions to end, and drops the database. */
  drop(): Promise<void>;
}

/** A fresh, migrated database of this test file's own, copied from the template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `tower_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withServer(async (client) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(`create database "${name}" template "${TEMPLATE_DATABASE}"`);
        return;
      } catch (error) {
        // 55006: the template is briefly in use by another file's CREATE DATABASE.
        if ((error as { code?: string }).code !== '55006' || attempt > 50) throw error;
        await sleep(50 + Math.random() * 100);
      }
    }
  });
  const url = urlFor(name);
  const db = createDb(url, { max: 10, applicationName: 'tower-test' });
  return {
    name,
    url,
    db,
    async drop() {
      await db.destroy();
      await withServer(async (client) => {
        await waitForNoSessions(client, name);
        await client.query(`drop database if exists "${name}"`);
      });
    },
  };
}
