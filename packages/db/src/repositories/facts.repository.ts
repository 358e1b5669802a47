import { sql, type Insertable } from 'kysely';
import type { CalendarDayKind, Stage } from '@tower/domain';
import type { Executor } from '../connection.js';
import type { ComplaintTable } from '../schema.js';

export interface DailyTotals {
  date: string;
  units: number;
  revenueFen: number;
  orders: number;
}

/** Daily totals over all channels for one product at one branch, `from`..`to` inclusive. */
export async function listDailySales(
  db: Executor,
  /** `branchId` null: the product's sales summed over every branch (its chain-wide daily rollup). */
  key: { productId: string; branchId: string | null; from: string; to: string },
): Promise<DailyTotals[]> {
  if (key.branchId === null) {
    return db
      .selectFrom('salesProductDaily')
      .select([
        'date',
        sql<number>`units::int`.as('units'),
        'revenueFen',
        sql<number>`orders::int`.as('orders'),
      ])
      .where('productId', '=', key.productId)
      .where('date', '>=', key.from)
      .where('date', '<=', key.to)
      .orderBy('date')
      .execute();
  }
  return db
    .selectFrom('salesDaily')
    .select([
      'date',
      sql<number>`sum(units)::int`.as('units'),
      sql<number>`sum(revenue_fen)::int8`.as('revenueFen'),
      sql<number>`sum(orders)::int`.as('orders'),
    ])
    .where('productId', '=', key.productId)
    .where('branchId', '=', key.branchId)
    .where('date', '>=', key.from)
    .where('date', '<=', key.to)
    .groupBy('date')
    .orderBy('date')
    .execute();
}

/**
 * Daily totals over all channels for one product at each of `branchIds`, `from`..`to` inclusive (each
 * branch's rows ascending by date), and each branch's first day of sales ever: one statement each for
 * a product's whole evaluation.
 */
export async function listDailySalesOfBranches(
  db: Executor,
  key: { productId: string; branchIds: readonly string[]; from: string; to: string },
): Promise<Map<string, { daily: DailyTotals[]; firstSale: string | undefined }>> {
  const out = new Map<string, { daily: DailyTotals[]; firstSale: string | undefined }>(
    key.branchIds.map((id) => [id, { daily: [], firstSale: undefined }]),
  );
  if (key.branchIds.length === 0) return out;
  // One row per branch, its days as one JSON array (parsed natively): a product's evaluation reads
  // thousands of days, and a driver row per day costs more to take apart than the query to make.
  // The first sale is one index probe per branch (the first entry of its range), not its history.
  const { rows } = await sql<{
    branchId: string;
    first: string | null;
    days: [string, number, number, number][];
  }>`
    select b.branch_id as "branchId",
      (select min(d.date) from sales_daily d
        where d.product_id = ${key.productId} and d.branch_id = b.branch_id) as first,
      (select coalesce(json_agg(json_build_array(t.date, t.units, t.revenue_fen, t.orders) order by t.date), '[]')
        from (
          select d.date, sum(d.units)::int as units, sum(d.revenue_fen)::int8 as revenue_fen,
            sum(d.orders)::int as orders
          from sales_daily d
          where d.product_id = ${key.productId} and d.branch_id = b.branch_id
            and d.date >= ${key.from}::date and d.date <= ${key.to}::date
          group by d.date
        ) as t) as days
    from unnest(${[...key.branchIds]}::uuid[]) as b(branch_id)
  `.execute(db);
  for (const { branchId, first, days } of rows) {
    const entry = out.get(branchId);
    if (!entry) continue;
    entry.daily = days.map(([date, units, revenueFen, orders]) => ({ date, units, revenueFen, orders }));
    if (first !== null) entry.firstSale = first;
  }
  return out;
}

/** How many branches sold the product between `from` and `to`: a chain-wide judgement needs several. */
export async function countSellingBranches(
  db: Executor,
  key: { productId: string; from: string; to: string },
): Promise<number> {
  // Per branch, a probe of its (product, branch, date) range, not a scan of the product's whole history.
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from branches b
    where exists (
      select 1 from sales_daily d
      where d.product_id = ${key.productId} and d.branch_id = b.id
        and d.date >= ${key.from}::date and d.date <= ${key.to}::date and d.units > 0)
  `.execute(db);
  return rows[0]?.n ?? 0;
}

/** The first day the product sold at the branch, or anywhere when `branchId` is null. */
export async function findFirstSaleDate(
  db: Executor,
  productId: string,
  branchId: string | null,
): Promise<string | undefined> {
  // Anywhere: the first day of the chain-wide daily rollup (one index probe).
  const query =
    branchId === null
      ? db
          .selectFrom('salesProductDaily')
          .select(sql<string | null>`min(date)`.as('first'))
          .where('productId', '=', productId)
      : db
          .selectFrom('salesDaily')
          .select(sql<string | null>`min(date)`.as('first'))
          .where('productId', '=', productId)
          .where('branchId', '=', branchId);
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

/** The orders of one product at one branch over each of several named `from`..`to` spans, in one statement. */
export async function sumOrdersOver<K extends string>(
  db: Executor,
  key: { productId: string; branchId: string },
  spans: Readonly<Record<K, { from: string; to: string }>>,
): Promise<Record<K, number>> {
  const names = Object.keys(spans) as K[];
  const list = names.map((name) => spans[name]);
  const from = list.map((s) => s.from).sort()[0]!;
  const to = list
    .map((s) => s.to)
    .sort()
    .at(-1)!;
  const { rows } = await sql<{ n: number }>`
    select coalesce(sum(d.orders) filter (where d.date >= s.lo and d.date <= s.hi), 0)::int as n
    from unnest(${list.map((s) => s.from)}::date[], ${list.map((s) => s.to)}::date[]) with ordinality
      as s(lo, hi, i)
    left join sales_daily d on d.product_id = ${key.productId} and d.branch_id = ${key.branchId}
      and d.date >= ${from}::date and d.date <= ${to}::date
    group by s.i order by s.i
  `.execute(db);
  return Object.fromEntries(names.map((name, i) => [name, rows[i]?.n ?? 0])) as Record<K, number>;
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

/** The monthly targets of one product at each of `branchIds` for months `fromMonth`..`toMonth`, by branch. */
export async function listSalesTargetsOfBranches(
  db: Executor,
  key: { productId: string; branchIds: readonly string[]; fromMonth: string; toMonth: string },
) {
  const out = new Map<string, { month: string; units: number | null; revenueFen: number | null }[]>();
  if (key.branchIds.length === 0) return out;
  const rows = await db
    .selectFrom('salesTargets')
    .select(['branchId', 'month', 'units', 'revenueFen'])
    .where('productId', '=', key.productId)
    .where('branchId', 'in', [...key.branchIds])
    .where('month', '>=', key.fromMonth)
    .where('month', '<=', key.toMonth)
    .orderBy('branchId')
    .orderBy('month')
    .execute();
  for (const { branchId, ...target } of rows) {
    const list = out.get(branchId) ?? [];
    list.push(target);
    out.set(branchId, list);
  }
  return out;
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

/**
 * Every target of `month` (its first day) of a product in one of `stages`, at its branch, with what
 * the branch sold that month (0 without a sale), from the monthly rollup: one query for the chain.
 */
export async function listMonthTargetsWithSales(db: Executor, month: string, stages: readonly Stage[]) {
  if (stages.length === 0) return [];
  return db
    .selectFrom('salesTargets as t')
    .innerJoin('products as p', 'p.id', 't.productId')
    .leftJoin('salesMonthly as m', (join) =>
      join
        .onRef('m.productId', '=', 't.productId')
        .onRef('m.branchId', '=', 't.branchId')
        .onRef('m.month', '=', 't.month'),
    )
    .select([
      't.productId',
      't.branchId',
      't.units as targetUnits',
      't.revenueFen as targetRevenueFen',
      sql<number>`coalesce(m.units, 0)::int8`.as('units'),
      sql<number>`coalesce(m.revenue_fen, 0)::int8`.as('revenueFen'),
    ])
    .where('t.month', '=', month)
    .where('p.stage', 'in', [...stages])
    .orderBy('t.productId')
    .orderBy('t.branchId')
    .execute();
}
