import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { addDays } from '@tower/domain';
import type { Db } from '../connection.js';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import {
  applySalesRollupChanges,
  insertBranch,
  insertDepartment,
  insertPerson,
  insertProduct,
  upsertSalesDaily,
  type SalesRow,
} from './index.js';

let testDb: TestDatabase;
let db: Db;
const productIds: string[] = [];
const branchIds: string[] = [];

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = testDb.db;
  const department = await insertDepartment(db, { code: 'skin', name: 'Skin' });
  for (let b = 0; b < 4; b++) {
    branchIds.push((await insertBranch(db, { code: `SH0${b}`, name: `Branch ${b}` })).id);
  }
  const ownerId = await insertPerson(db, {
    at: new Date(),
    name: 'Owner',
    email: 'owner@tower.test',
    passwordHash: 'none',
    roles: [{ role: 'product_manager', departmentId: null, branchId: null }],
    channels: [],
  });
  for (let p = 0; p < 3; p++) {
    const product = await insertProduct(db, {
      at: new Date(),
      name: `Product ${p}`,
      departmentId: department.id,
      tier: 'profit',
      ownerId,
      vendor: null,
      stage: 'launch',
      snapshot: { value: 'launch', context: { productId: null } },
    });
    productIds.push(product.id);
  }
});

afterAll(async () => {
  await testDb?.drop();
});

/** A small deterministic generator (mulberry32), so a failing mix can be run again. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * A batch over the same product-months as every other: the last days of March and the first of April
 * (so a batch spans two months), every branch, two channels; a third of the figures are zero, so
 * days that sold are brought to zero and the first day of sales moves.
 */
function batch(random: () => number, size: number): SalesRow[] {
  const rows = new Map<string, SalesRow>();
  while (rows.size < size) {
    const productId = productIds[Math.floor(random() * productIds.length)]!;
    const branchId = branchIds[Math.floor(random() * branchIds.length)]!;
    const date = addDays('2026-03-24', Math.floor(random() * 14));
    const channel = random() < 0.5 ? '' : 'meituan';
    const units = random() < 0.33 ? 0 : 1 + Math.floor(random() * 9);
    const orders = units === 0 ? 0 : 1 + Math.floor(random() * units);
    rows.set(`${productId}|${branchId}|${date}|${channel}`, {
      productId,
      branchId,
      date,
      channel,
      units,
      revenueFen: units * 19_800,
      orders,
      returningOrders: Math.floor(orders / 2),
    });
  }
  return [...rows.values()];
}

/** The rollup rows that differ from sums over sales_daily (either side), per rollup table. */
async function rollupsAgainstDays(): Promise<Record<string, number>> {
  const { rows } = await sql<{ table: string; n: number }>`
    with monthly_days as (
      select product_id, branch_id, date_trunc('month', date)::date as month, sum(units) as units,
        sum(revenue_fen) as revenue_fen, sum(orders) as orders, sum(returning_orders) as returning_orders,
        min(date) filter (where units > 0) as first_sale_on
      from sales_daily group by 1, 2, 3
    ), monthly as (
      select product_id, branch_id, month, units, revenue_fen, orders, returning_orders, first_sale_on
      from sales_monthly
    ), product_daily_days as (
      select product_id, date, sum(units) as units, sum(revenue_fen) as revenue_fen, sum(orders) as orders,
        sum(returning_orders) as returning_orders
      from sales_daily group by 1, 2
    ), product_daily as (
      select product_id, date, units, revenue_fen, orders, returning_orders from sales_product_daily
    ), product_monthly_days as (
      select date_trunc('month', date)::date as month, product_id, sum(units) as units,
        sum(revenue_fen) as revenue_fen, sum(orders) as orders, sum(returning_orders) as returning_orders,
        min(date) filter (where units > 0) as first_sale_on
      from sales_daily group by 1, 2
    ), product_monthly as (
      select month, product_id, units, revenue_fen, orders, returning_orders, first_sale_on
      from sales_product_monthly
    )
    select 'sales_monthly' as table, count(*)::int as n from (
      (select * from monthly_days except all select * from monthly)
      union all (select * from monthly except all select * from monthly_days)) d
    union all
    select 'sales_product_daily', count(*)::int from (
      (select * from product_daily_days except all select * from product_daily)
      union all (select * from product_daily except all select * from product_daily_days)) d
    union all
    select 'sales_product_monthly', count(*)::int from (
      (select * from product_monthly_days except all select * from product_monthly)
      union all (select * from product_monthly except all select * from product_monthly_days)) d
  `.execute(db);
  return Object.fromEntries(rows.map((r) => [r.table, r.n]));
}

const NO_DIFFERENCE = { sales_monthly: 0, sales_product_daily: 0, sales_product_monthly: 0 };

describe('sales rollups by deltas', () => {
  it('keep every rollup equal to sums over the daily rows while concurrent batches bring new and replaced rows of the same product-months', async () => {
    const random = generator(20261201);
    let inFlight = 0;
    let mostInFlight = 0;
    // Eight rounds of eight batches sent at once, every batch in its own transaction; later rounds
    // mostly replace rows earlier ones wrote, and batches of one round share keys with each other.
    for (let round = 0; round < 8; round++) {
      const batches = Array.from({ length: 8 }, () => batch(random, 150));
      await Promise.all(
        batches.map((rows) =>
          db.transaction().execute(async (tx) => {
            inFlight += 1;
            mostInFlight = Math.max(mostInFlight, inFlight);
            try {
              await upsertSalesDaily(tx, rows);
            } finally {
              inFlight -= 1;
            }
          }),
        ),
      );
    }
    expect(mostInFlight).toBeGreaterThan(1);
    const { rows } = await sql<{ days: number; zeroed: number }>`
      select count(*)::int as days, count(*) filter (where units = 0)::int as zeroed from sales_daily
    `.execute(db);
    // Every key of the ranges was written (3 products × 4 branches × 14 days × 2 channels), some to zero.
    expect(rows[0]!.days).toBe(3 * 4 * 14 * 2);
    expect(rows[0]!.zeroed).toBeGreaterThan(0);
    expect(await rollupsAgainstDays()).toEqual(NO_DIFFERENCE);
  });

  it('moves the first day of sales later when the day that sold first is brought to zero', async () => {
    const [productId] = productIds;
    const [branchId] = branchIds;
    const day = (date: string, units: number): SalesRow => ({
      productId: productId!,
      branchId: branchId!,
      date,
      channel: 'clinic',
      units,
      revenueFen: units * 100,
      orders: units,
      returningOrders: 0,
    });
    await db
      .transaction()
      .execute((tx) => upsertSalesDaily(tx, [day('2025-07-03', 2), day('2025-07-09', 1)]));
    await db.transaction().execute((tx) => upsertSalesDaily(tx, [day('2025-07-03', 0)]));
    const month = await db
      .selectFrom('salesMonthly')
      .select(['units', 'firstSaleOn'])
      .where('productId', '=', productId!)
      .where('branchId', '=', branchId!)
      .where('month', '=', '2025-07-01')
      .executeTakeFirstOrThrow();
    expect(month).toEqual({ units: 1, firstSaleOn: '2025-07-09' });
    const chainWide = await db
      .selectFrom('salesProductMonthly')
      .select(['units', 'firstSaleOn'])
      .where('productId', '=', productId!)
      .where('month', '=', '2025-07-01')
      .executeTakeFirstOrThrow();
    expect(chainWide).toEqual({ units: 1, firstSaleOn: '2025-07-09' });
  });

  it('takes deleted daily rows out of the rollups when the deleting transaction applies its changes', async () => {
    const deleted = await db.transaction().execute(async (tx) => {
      const result = await tx
        .deleteFrom('salesDaily')
        .where('date', '=', '2026-03-31')
        .where('channel', '=', 'meituan')
        .where('units', '>', 0)
        .executeTakeFirst();
      await applySalesRollupChanges(tx);
      return Number(result.numDeletedRows);
    });
    expect(deleted).toBeGreaterThan(0);
    expect(await rollupsAgainstDays()).toEqual(NO_DIFFERENCE);
  });
  it('keeps the later of two rows with the same key in one batch, in the daily row and its rollup', async () => {
    const row = (units: number): SalesRow => ({
      productId: productIds[2]!,
      branchId: branchIds[3]!,
      date: '2024-02-10',
      channel: '',
      units,
      revenueFen: units * 100,
      orders: units,
      returningOrders: 0,
    });
    await db.transaction().execute((tx) => upsertSalesDaily(tx, [row(5), row(2)]));
    const day = await db
      .selectFrom('salesDaily')
      .select('units')
      .where('productId', '=', productIds[2]!)
      .where('date', '=', '2024-02-10')
      .execute();
    expect(day).toEqual([{ units: 2 }]);
    expect(await rollupsAgainstDays()).toEqual(NO_DIFFERENCE);
  });
});

/** The months sales_daily has a partition for (migration 0017), as `YYYY_MM`. */
async function partitionMonths(): Promise<string[]> {
  const { rows } = await sql<{ month: string }>`
    select substr(c.relname, length('sales_daily_') + 1) as month
    from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'sales_daily'::regclass
    order by 1
  `.execute(db);
  return rows.map((r) => r.month);
}

describe('sales_daily by month', () => {
  const row = (productId: string, branchId: string, date: string, units: number): SalesRow => ({
    productId,
    branchId,
    date,
    channel: '',
    units,
    revenueFen: units * 100,
    orders: units,
    returningOrders: 0,
  });

  it('makes each new month once while concurrent batches bring its first rows, and stores them all', async () => {
    const months = ['2022_01', '2022_02', '2022_03'];
    expect(await partitionMonths()).not.toContain(months[0]);
    // Eight batches at once, each over all three months (a product and branch of its own).
    const batches = Array.from({ length: 8 }, (_, i) =>
      ['2022-01-31', '2022-02-14', '2022-03-01'].map((date) =>
        row(productIds[i % 3]!, branchIds[Math.floor(i / 3)]!, date, i + 1),
      ),
    );
    await Promise.all(batches.map((rows) => db.transaction().execute((tx) => upsertSalesDaily(tx, rows))));
    const made = await partitionMonths();
    expect(made.filter((m) => m.startsWith('2022_'))).toEqual(months);
    const { rows } = await sql<{ n: number; units: number }>`
      select count(*)::int as n, sum(units)::int as units from sales_daily where date < '2023-01-01'
    `.execute(db);
    expect(rows[0]).toEqual({ n: 24, units: 3 * (1 + 2 + 3 + 4 + 5 + 6 + 7 + 8) });
    expect(await rollupsAgainstDays()).toEqual(NO_DIFFERENCE);
  });

  it('upserts a batch whose stored key comes before the rows of a month not made yet', async () => {
    const [productId, branchId] = [productIds[1]!, branchIds[2]!];
    await db.transaction().execute((tx) => upsertSalesDaily(tx, [row(productId, branchId, '2021-05-05', 4)]));
    expect(await partitionMonths()).not.toContain('2021_09');
    await db
      .transaction()
      .execute((tx) =>
        upsertSalesDaily(tx, [
          row(productId, branchId, '2021-09-09', 7),
          row(productId, branchId, '2021-05-05', 1),
        ]),
      );
    const days = await db
      .selectFrom('salesDaily')
      .select(['date', 'units'])
      .where('productId', '=', productId)
      .where('date', '<', '2022-01-01')
      .orderBy('date')
      .execute();
    expect(days).toEqual([
      { date: '2021-05-05', units: 1 },
      { date: '2021-09-09', units: 7 },
    ]);
    expect(await partitionMonths()).toContain('2021_09');
    expect(await rollupsAgainstDays()).toEqual(NO_DIFFERENCE);
  });
});
