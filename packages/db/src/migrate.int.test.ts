import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from './testing/index.js';
import { migrateToLatest } from './migrate.js';

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb.drop();
});

describe('migrations', () => {
  it('leave a test database with every table, and re-running them applies nothing', async () => {
    const tables = await sql<{
      tablename: string;
    }>`select tablename from pg_tables where schemaname = 'public'`.execute(testDb.db);
    const names = tables.rows.map((r) => r.tablename);
    for (const table of ['products', 'lifecycle_transitions', 'outbox', 'tasks', 'sales_daily']) {
      expect(names).toContain(table);
    }
    expect((await migrateToLatest(testDb.db)).applied).toEqual([]);
  });

  it('returns int8 as numbers and dates as YYYY-MM-DD strings', async () => {
    const { rows } = await sql<{
      big: number;
      day: string;
    }>`select 9007199254740::int8 as big, '2026-11-22'::date as day`.execute(testDb.db);
    expect(rows[0]).toEqual({ big: 9007199254740, day: '2026-11-22' });
  });
});
