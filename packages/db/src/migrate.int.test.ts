import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Migrator, sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from './testing/index.js';
import { migrateToLatest } from './migrate.js';
import { migrationProvider } from './migrations/index.js';
import {
  insertBranch,
  insertDepartment,
  insertPerson,
  insertProduct,
  upsertSalesDaily,
} from './repositories/index.js';

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

  it('move stored daily sales into monthly partitions and back, the rollups following later writes', async () => {
    const { db } = testDb;
    const department = await insertDepartment(db, { code: 'inj', name: 'Injection' });
    const branch = await insertBranch(db, { code: 'BJ01', name: 'Beijing 1' });
    const ownerId = await insertPerson(db, {
      at: new Date(),
      name: 'Owner',
      email: 'owner@migrate.test',
      passwordHash: 'none',
      roles: [{ role: 'product_manager', departmentId: null, branchId: null }],
      channels: [],
    });
    const product = await insertProduct(db, {
      at: new Date(),
      name: 'Filler',
      departmentId: department.id,
      tier: 'profit',
      ownerId,
      vendor: null,
      stage: 'launch',
      snapshot: { value: 'launch', context: { productId: null } },
    });
    const day = (date: string, units: number) => ({
      productId: product.id,
      branchId: branch.id,
      date,
      channel: '',
      units,
      revenueFen: units * 100,
      orders: units,
      returningOrders: 0,
    });
    await upsertSalesDaily(db, [day('2025-11-30', 2), day('2025-12-01', 3), day('2026-01-15', 4)]);
    const shape = async () => {
      const { rows } = await sql<{ kind: string; parts: number; days: number; units: number }>`
        select (select relkind::text from pg_class where oid = 'sales_daily'::regclass) as kind,
          (select count(*)::int from pg_inherits where inhparent = 'sales_daily'::regclass) as parts,
          count(*)::int as days, sum(units)::int as units
        from sales_daily`.execute(db);
      return rows[0];
    };
    expect(await shape()).toEqual({ kind: 'p', parts: 3, days: 3, units: 9 });

    const migrator = new Migrator({ db, provider: migrationProvider });
    const down = await migrator.migrateTo('0016-sales-evaluation-claims');
    expect(down.error).toBeUndefined();
    expect(await shape()).toEqual({ kind: 'r', parts: 0, days: 3, units: 9 });
    expect((await migrateToLatest(db)).applied).toEqual(['0017-sales-daily-by-month']);
    expect(await shape()).toEqual({ kind: 'p', parts: 3, days: 3, units: 9 });

    await upsertSalesDaily(db, [day('2025-12-01', 5)]);
    const december = await db
      .selectFrom('salesMonthly')
      .select('units')
      .where('productId', '=', product.id)
      .where('month', '=', '2025-12-01')
      .executeTakeFirstOrThrow();
    expect(december.units).toBe(5);
  });
});
