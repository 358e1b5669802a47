import { sql, type Insertable } from 'kysely';
import type { CalendarDayKind } from '@tower/domain';
import type { Executor } from '../connection.js';
import type { ComplaintTable } from '../schema.js';

function compareKeys(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i]! < b[i]!) return -1;
    if (a[i]! > b[i]!) return 1;
  }
  return 0;
}

export interface SalesRow {
  productId: string;
  branchId: string;
  date: string;
  channel: string;
  units: number;
  revenueFen: number;
  orders: number;
  returningOrders: number;
}

/** The (product, month) keys of `rows`, sorted: what {@link lockProductMonths} takes. */
function productMonthsOf(rows: readonly { productId: string; date: string }[]): string[] {
  return [...new Set(rows.map((r) => `${r.productId}|${r.date.slice(0, 7)}-01`))].sort();
}

/**
 * Takes the transaction lock of each product's month the rows fall in, in one order for everyone
 * (sorted, one statement), so two batches never wait on each other in a ring. Batches of the same
 * product and month (other days, other branches) then write its daily rows and rollups one after the
 * other: what one reads before writing is never changed underneath it by another.
 */
async function lockProductMonths(db: Executor, keys: readonly string[]): Promise<void> {
  await sql`
    select pg_advisory_xact_lock(hashtextextended(k, 20261201))
    from (select k from unnest(${[...keys]}::text[]) as u(k) order by k) as ordered
  `.execute(db);
}

interface DayTotals {
  productId: string;
  date: string;
  units: number;
  revenueFen: number;
  orders: number;
  returningOrders: number;
}

/**
 * Upserts daily sales (UNNEST of column arrays): a row for the same (product, branch, date, channel)
 * replaces the earlier figure. The chain-wide daily rollup per product moves by the difference between
 * the rows written and those they replace (read under the product-month lock, so nobody else changes
 * them meanwhile). Follow with {@link refreshSalesMonthly}.
 */
export async function upsertSalesDaily(db: Executor, unsorted: readonly SalesRow[]): Promise<void> {
  if (unsorted.length === 0) return;
  // Concurrent batches touching the same keys must lock them in one order, or they deadlock.
  const rows = [...unsorted].sort((x, y) =>
    compareKeys([x.productId, x.branchId, x.date, x.channel], [y.productId, y.branchId, y.date, y.channel]),
  );
  await lockProductMonths(db, productMonthsOf(rows));
  const keys = sql`unnest(
      ${rows.map((r) => r.productId)}::uuid[], ${rows.map((r) => r.branchId)}::uuid[],
      ${rows.map((r) => r.date)}::date[], ${rows.map((r) => r.channel)}::text[])`;
  const replaced = await sql<DayTotals>`
    select d.product_id as "productId", d.date, sum(d.units)::int8 as units,
      sum(d.revenue_fen)::int8 as "revenueFen", sum(d.orders)::int8 as orders,
      sum(d.returning_orders)::int8 as "returningOrders"
    from ${keys} as k(product_id, branch_id, date, channel)
    join sales_daily d on d.product_id = k.product_id and d.branch_id = k.branch_id
      and d.date = k.date and d.channel = k.channel
    group by d.product_id, d.date
  `.execute(db);
  await sql`
    insert into sales_daily (product_id, branch_id, date, channel, units, revenue_fen, orders, returning_orders)
    select * from unnest(
      ${rows.map((r) => r.productId)}::uuid[], ${rows.map((r) => r.branchId)}::uuid[],
      ${rows.map((r) => r.date)}::date[], ${rows.map((r) => r.channel)}::text[],
      ${rows.map((r) => r.units)}::int[], ${rows.map((r) => r.revenueFen)}::bigint[],
      ${rows.map((r) => r.orders)}::int[], ${rows.map((r) => r.returningOrders)}::int[])
    on conflict (product_id, branch_id, date, channel) do update set
      units = excluded.units, revenue_fen = excluded.revenue_fen, orders = excluded.orders,
      returning_orders = excluded.returning_orders, updated_at = now()
  `.execute(db);

  const change = new Map<string, DayTotals>();
  const add = (
    r: Omit<DayTotals, 'productId' | 'date'> & { productId: string; date: string },
    sign: 1 | -1,
  ) => {
    const key = `${r.productId}|${r.date}`;
    const day = change.get(key) ?? {
      productId: r.productId,
      date: r.date,
      units: 0,
      revenueFen: 0,
      orders: 0,
      returningOrders: 0,
    };
    day.units += sign * r.units;
    day.revenueFen += sign * r.revenueFen;
    day.orders += sign * r.orders;
    day.returningOrders += sign * r.returningOrders;
    change.set(key, day);
  };
  for (const r of rows) add(r, 1);
  for (const r of replaced.rows) add(r, -1);
  const days = [...change.values()].sort((x, y) => compareKeys([x.productId, x.date], [y.productId, y.date]));
  await sql`
    insert into sales_product_daily as t (product_id, date, units, revenue_fen, orders, returning_orders)
    select * from unnest(
      ${days.map((d) => d.productId)}::uuid[], ${days.map((d) => d.date)}::date[],
      ${days.map((d) => d.units)}::int8[], ${days.map((d) => d.revenueFen)}::int8[],
      ${days.map((d) => d.orders)}::int8[], ${days.map((d) => d.returningOrders)}::int8[])
    on conflict (product_id, date) do update set
      units = t.units + excluded.units, revenue_fen = t.revenue_fen + excluded.revenue_fen,
      orders = t.orders + excluded.orders, returning_orders = t.returning_orders + excluded.returning_orders
  `.execute(db);
}

/**
 * Recomputes the monthly rollups of every (product, branch, month) and every (product, month) the rows
 * touch, set-based: the per-branch rows from the daily rows, the chain-wide rows from the per-branch
 * ones. Call it last in the ingesting transaction: it locks rollup rows other batches share.
 *
 * Concurrent batches may touch the same product's month (other days, other branches). Each refresh
 * holds that product-month's transaction lock, so its sums are read after any other batch of the same
 * month has committed: a sum read before another batch's rows landed never overwrites theirs.
 */
export async function refreshSalesMonthly(db: Executor, rows: readonly SalesRow[]): Promise<void> {
  if (rows.length === 0) return;
  const months = new Map<string, { productId: string; branchId: string; month: string }>();
  for (const r of rows) {
    const month = `${r.date.slice(0, 7)}-01`;
    months.set(`${r.productId}|${r.branchId}|${month}`, {
      productId: r.productId,
      branchId: r.branchId,
      month,
    });
  }
  const keys = [...months.values()].sort((x, y) =>
    compareKeys([x.productId, x.branchId, x.month], [y.productId, y.branchId, y.month]),
  );
  const productMonths = productMonthsOf(rows);
  // Held already when the rows came through upsertSalesDaily in this transaction (taking it again is free).
  await lockProductMonths(db, productMonths);
  await sql`
    insert into sales_monthly (product_id, branch_id, month, units, revenue_fen, orders, returning_orders, first_sale_on)
    select k.product_id, k.branch_id, k.month,
      coalesce(sum(d.units), 0), coalesce(sum(d.revenue_fen), 0), coalesce(sum(d.orders), 0), coalesce(sum(d.returning_orders), 0),
      min(d.date) filter (where d.units > 0)
    from unnest(${keys.map((k) => k.productId)}::uuid[], ${keys.map((k) => k.branchId)}::uuid[], ${keys.map((k) => k.month)}::date[])
      as k(product_id, branch_id, month)
    left join sales_daily d on d.product_id = k.product_id and d.branch_id = k.branch_id
      and d.date >= k.month and d.date < k.month + interval '1 month'
    group by k.product_id, k.branch_id, k.month
    order by k.product_id, k.branch_id, k.month
    on conflict (product_id, branch_id, month) do update set
      units = excluded.units, revenue_fen = excluded.revenue_fen, orders = excluded.orders,
      returning_orders = excluded.returning_orders, first_sale_on = excluded.first_sale_on
  `.execute(db);
  const split = productMonths.map((k) => k.split('|') as [string, string]);
  await sql`
    insert into sales_product_monthly (month, product_id, units, revenue_fen, orders, returning_orders, first_sale_on)
    select k.month, k.product_id,
      coalesce(sum(m.units), 0), coalesce(sum(m.revenue_fen), 0), coalesce(sum(m.orders), 0),
      coalesce(sum(m.returning_orders), 0), min(m.first_sale_on)
    from unnest(${split.map((k) => k[0])}::uuid[], ${split.map((k) => k[1])}::date[]) as k(product_id, month)
    left join sales_monthly m on m.product_id = k.product_id and m.month = k.month
    group by k.month, k.product_id
    order by k.month, k.product_id
    on conflict (month, product_id) do update set
      units = excluded.units, revenue_fen = excluded.revenue_fen, orders = excluded.orders,
      returning_orders = excluded.returning_orders, first_sale_on = excluded.first_sale_on
  `.execute(db);
}

export interface DailyTotals {
  date: string;
  units: number;
  revenueFen: number;
  orders: number;
}

/** Daily totals over all channels for one product at one branch, `from`..`to` inclusive. */
export async function listDailySales(
  db: Executor,
  /** `branchId` null: the product's sales summed over every branch. */
  key: { productId: string; branchId: string | null; from: string; to: string },
): Promise<DailyTotals[]> {
  let query = db
    .selectFrom('salesDaily')
    .select([
      'date',
      sql<number>`sum(units)::int`.as('units'),
      sql<number>`sum(revenue_fen)::int8`.as('revenueFen'),
      sql<number>`sum(orders)::int`.as('orders'),
    ])
    .where('productId', '=', key.productId);
  if (key.branchId !== null) query = query.where('branchId', '=', key.branchId);
  return query
    .where('date', '>=', key.from)
    .where('date', '<=', key.to)
    .groupBy('date')
    .orderBy('date')
    .execute();
}

/** How many branches sold the product between `from` and `to`: a chain-wide judgement needs several. */
export async function countSellingBranches(
  db: Executor,
  key: { productId: string; from: string; to: string },
): Promise<number> {
  const row = await db
    .selectFrom('salesDaily')
    .select(sql<number>`count(distinct branch_id)::int`.as('n'))
    .where('productId', '=', key.productId)
    .where('date', '>=', key.from)
    .where('date', '<=', key.to)
    .where('units', '>', 0)
    .executeTakeFirstOrThrow();
  return row.n;
}

/** The first day the product sold at the branch, or anywhere when `branchId` is null. */
export async function findFirstSaleDate(
  db: Executor,
  productId: string,
  branchId: string | null,
): Promise<string | undefined> {
  let query = db
    .selectFrom('salesDaily')
    .select(sql<string | null>`min(date)`.as('first'))
    .where('productId', '=', productId);
  if (branchId !== null) query = query.where('branchId', '=', branchId);
  const row = await query.executeTakeFirst();
  return row?.first ?? undefined;
}

export async function sumOrders(
  db: Executor,
  key: { productId: string; branchId: string; from: string; to: string },
): Promise<number> {
  const row = await db
    .selectFrom('salesDaily')
    .select(sql<number>`coalesce(sum(orders), 0)::int`.as('n'))
    .where('productId', '=', key.productId)
    .where('branchId', '=', key.branchId)
    .where('date', '>=', key.from)
    .where('date', '<=', key.to)
    .executeTakeFirstOrThrow();
  return row.n;
}

/** Dates of holiday and promotion days between `from` and `to`: left out of baselines. */
export async function listExcludedDates(db: Executor, from: string, to: string): Promise<string[]> {
  const rows = await db
    .selectFrom('calendarDays')
    .select('date')
    .where('kind', 'in', ['holiday', 'promotion'])
    .where('date', '>=', from)
    .where('date', '<=', to)
    .orderBy('date')
    .execute();
  return rows.map((r) => r.date);
}

export async function upsertCalendarDays(
  db: Executor,
  days: readonly { date: string; kind: CalendarDayKind; name: string }[],
): Promise<void> {
  if (days.length === 0) return;
  await db
    .insertInto('calendarDays')
    .values([...days])
    .onConflict((oc) =>
      oc
        .column('date')
        .doUpdateSet((eb) => ({ kind: eb.ref('excluded.kind'), name: eb.ref('excluded.name') })),
    )
    .execute();
}

export async function listCalendarDays(db: Executor, year: number) {
  return db
    .selectFrom('calendarDays')
    .selectAll()
    .where('date', '>=', `${year}-01-01`)
    .where('date', '<=', `${year}-12-31`)
    .orderBy('date')
    .execute();
}

export async function upsertSalesTarget(
  db: Executor,
  target: {
    productId: string;
    branchId: string;
    month: string;
    units: number | null;
    revenueFen: number | null;
  },
  at: Date,
): Promise<void> {
  const values = { units: target.units, revenueFen: target.revenueFen, updatedAt: at };
  await db
    .insertInto('salesTargets')
    .values({ ...target, ...values })
    .onConflict((oc) => oc.columns(['productId', 'branchId', 'month']).doUpdateSet(values))
    .execute();
}

export async function findSalesTarget(db: Executor, productId: string, branchId: string, month: string) {
  return db
    .selectFrom('salesTargets')
    .select(['units', 'revenueFen'])
    .where('productId', '=', productId)
    .where('branchId', '=', branchId)
    .where('month', '=', month)
    .executeTakeFirst();
}

export type NewComplaint = Omit<Insertable<ComplaintTable>, 'id' | 'createdAt'>;

/** Inserts a complaint once per external id; returns its id and whether it was new. */
export async function insertComplaint(
  db: Executor,
  complaint: NewComplaint,
): Promise<{ id: string; created: boolean }> {
  const inserted = await db
    .insertInto('complaints')
    .values(complaint)
    .onConflict((oc) => oc.column('externalId').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  const existing = await db
    .selectFrom('complaints')
    .select('id')
    .where('externalId', '=', complaint.externalId)
    .executeTakeFirstOrThrow();
  return { id: existing.id, created: false };
}

export async function findComplaintById(db: Executor, id: string) {
  return db.selectFrom('complaints').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listComplaintDays(
  db: Executor,
  key: { productId: string; branchId: string; from: string; to: string },
): Promise<string[]> {
  const rows = await db
    .selectFrom('complaints')
    .select('occurredOn')
    .where('productId', '=', key.productId)
    .where('branchId', '=', key.branchId)
    .where('occurredOn', '>=', key.from)
    .where('occurredOn', '<=', key.to)
    .execute();
  return rows.map((r) => r.occurredOn);
}

export async function insertCostChange(
  db: Executor,
  change: {
    productId: string;
    consumablesFen: number | null;
    labourFen: number | null;
    overheadFen: number | null;
    marketingFen: number | null;
    effectiveOn: string;
  },
): Promise<string> {
  const row = await db.insertInto('costChanges').values(change).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Which products exist, and their department (ingestion checks every reference at once). */
export async function findProductRefs(
  db: Executor,
  ids: readonly string[],
): Promise<Map<string, { departmentId: string; ownerId: string; stage: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('products')
    .select(['id', 'departmentId', 'ownerId', 'stage'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/** The monthly targets of one product at one branch for months `fromMonth`..`toMonth` (first days). */
export async function listSalesTargets(
  db: Executor,
  key: { productId: string; branchId: string; fromMonth: string; toMonth: string },
) {
  return db
    .selectFrom('salesTargets')
    .select(['month', 'units', 'revenueFen'])
    .where('productId', '=', key.productId)
    .where('branchId', '=', key.branchId)
    .where('month', '>=', key.fromMonth)
    .where('month', '<=', key.toMonth)
    .orderBy('month')
    .execute();
}
