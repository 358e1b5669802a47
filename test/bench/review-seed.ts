// Seeds the review bench's chain: the demo generator's products, branches and a year of daily sales
// (a row for every product, branch and day, zero-sale days included, as a POS export lists them),
// written with COPY (about two orders of magnitude faster than row-by-row inserts, so the full
// 36.5 M-row chain seeds in minutes). The daily rows stream in primary-key order into a table truncated
// in the same transaction (COPY … FREEZE: rows land frozen, as a long-lived table's are), and the
// rollups (monthly per branch, monthly and daily chain-wide per product) are summed from the same
// generated rows, as the ingestion path leaves them.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import {
  insertListPriceRecord,
  insertProduct,
  insertTransition,
  replacePrices,
  upsertCosts,
  type Db,
} from '@tower/db';
import { generateDemoChain, productSales, sells, type DemoChain } from '@tower/demo';
import { addDays, parseQuarter } from '@tower/domain';
import { persistLifecycleSnapshot, lifecycleMachine } from '@tower/workflow-lifecycle';
import { makeBranch, makeDepartment, makePerson } from '../support/api.js';
import { inParallel } from './seed.js';
import { int, note } from './stats.js';

export interface ReviewChainOptions {
  readonly products: number;
  readonly branchesPerCity: number;
  readonly days: number;
  readonly end: string;
  readonly quarter: string;
}

/** The day in the middle of the quarter's second month where the planted cost and price changes fall. */
function midQuarter(quarter: string): string {
  return `${parseQuarter(quarter).months[1].slice(0, 8)}15`;
}

async function seedCatalogue(db: Db, chain: DemoChain, options: ReviewChainOptions) {
  const departments = new Map<string, string>();
  for (const d of chain.departments) departments.set(d.code, (await makeDepartment(db, `r-${d.code}`)).id);
  const branches = new Map<string, string>();
  for (const b of chain.branches) branches.set(b.code, (await makeBranch(db, `r-${b.code}`)).id);
  const owner = await makePerson(db, [{ role: 'product_manager' }], 'Bench PM');
  const snapshot = persistLifecycleSnapshot(
    lifecycleMachine.resolveState({ value: 'monitoring', context: { productId: null } }),
  );
  const change = midQuarter(options.quarter);
  const ids = await inParallel(chain.products, 8, async (p) => {
    const row = await insertProduct(db, {
      at: new Date(),
      name: p.name,
      departmentId: departments.get(p.department)!,
      tier: p.tier,
      ownerId: owner.id,
      vendor: p.vendor,
      stage: 'monitoring',
      snapshot,
    });
    await upsertCosts(db, row.id, p.costs, chain.from, new Date());
    // Recorded in the list-price history from today: the first record stands for the days before it.
    await replacePrices(db, row.id, [{ type: 'list', amountFen: p.listFen, sessions: null }], new Date());
    // Every tenth product's cost rose in the middle of the quarter, and another tenth's list price did:
    // the review reads the daily rows of the month each change splits.
    if (p.index % 10 === 0) {
      const costs = { ...p.costs, consumablesFen: Math.round(p.costs.consumablesFen * 1.2) };
      await upsertCosts(db, row.id, costs, change, new Date());
    }
    if (p.index % 10 === 5) {
      await insertListPriceRecord(db, {
        productId: row.id,
        effectiveFrom: change,
        amountFen: Math.round(p.listFen * 1.1),
      });
    }
    await insertTransition(db, {
      productId: row.id,
      event: 'LAUNCH',
      fromStage: 'launch',
      toStage: 'monitoring',
      version: 6,
      actorId: owner.id,
      reason: null,
    });
    return row.id;
  });
  return { ids, branches };
}

/** Lines of COPY text, gathered into chunks of about `size` characters. */
async function* chunked(lines: Iterable<string>, size = 1 << 20): AsyncGenerator<string> {
  let chunk = '';
  for (const line of lines) {
    chunk += line;
    if (chunk.length >= size) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

async function copyInto(client: pg.Client, statement: string, lines: Iterable<string>): Promise<void> {
  await pipeline(Readable.from(chunked(lines)), client.query(copyFrom(statement)));
}

/**
 * The chain's products, branches and sales in the database at `url`: catalogue rows through the
 * repositories, daily rows and their monthly rollup through COPY. Answers how many daily rows it wrote.
 */
export async function seedReviewChain(
  db: Db,
  url: string,
  options: ReviewChainOptions,
): Promise<{ dailyRows: number; monthlyRows: number }> {
  const chain = generateDemoChain({
    end: options.end,
    days: options.days,
    products: options.products,
    branchesPerCity: options.branchesPerCity,
    everywhere: true,
  });
  const { ids, branches } = await seedCatalogue(db, chain, options);
  note(`  catalogue seeded (${int(chain.products.length)} products); streaming the daily rows`);

  // In primary-key order (product, branch, date): every row lands at the right edge of the index.
  const products = chain.products
    .filter(sells)
    .map((p) => ({ p, id: ids[p.index]! }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  const branchList = chain.branches
    .map((b) => ({ b, id: branches.get(b.code)! }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  const days: string[] = [];
  for (let day = chain.from; day <= chain.to; day = addDays(day, 1)) days.push(day);
  const monthly: string[] = [];
  let monthlyRows = 0;
  let dailyRows = 0;
  const chainWide: string[] = [];
  const chainWideDays: string[] = [];
  function* daily(): Generator<string> {
    for (const { p, id: productId } of products) {
      const productMonths = new Map<string, [number, number, number, number, string | null]>();
      const productDays = days.map(() => [0, 0, 0, 0]);
      for (const { b, id: branchId } of branchList) {
        // Per month: units, revenue, orders, returning orders, first day with units (as the refresh sums).
        const months = new Map<string, [number, number, number, number, string | null]>();
        const sold = productSales(chain, p, b, { productId, branchId });
        let next = 0;
        for (const [dayIndex, date] of days.entries()) {
          if (date < p.salesFrom) continue;
          dailyRows += 1;
          if (dailyRows % 5_000_000 === 0) note(`  ${int(dailyRows)} daily rows streamed`);
          const month = `${date.slice(0, 7)}-01`;
          let m = months.get(month);
          if (!m) months.set(month, (m = [0, 0, 0, 0, null]));
          const r = sold[next]?.date === date ? sold[next++]! : undefined;
          // A day without sales is a row of zeros, as a POS export lists it.
          if (!r) {
            yield `${productId}\t${branchId}\t${date}\t\t0\t0\t0\t0\n`;
            continue;
          }
          yield `${productId}\t${branchId}\t${date}\t\t${r.units}\t${r.revenueFen}\t${r.orders}\t${r.returningOrders}\n`;
          m[0] += r.units;
          m[1] += r.revenueFen;
          m[2] += r.orders;
          m[3] += r.returningOrders;
          if (r.units > 0) m[4] ??= date;
          const whole = productDays[dayIndex]!;
          whole[0]! += r.units;
          whole[1]! += r.revenueFen;
          whole[2]! += r.orders;
          whole[3]! += r.returningOrders;
        }
        let lines = '';
        for (const [month, [units, revenue, orders, returning, first]] of months) {
          lines += `${productId}\t${branchId}\t${month}\t${units}\t${revenue}\t${orders}\t${returning}\t${first ?? '\\N'}\n`;
          monthlyRows += 1;
          const whole = productMonths.get(month);
          if (!whole) productMonths.set(month, [units, revenue, orders, returning, first]);
          else {
            whole[0] += units;
            whole[1] += revenue;
            whole[2] += orders;
            whole[3] += returning;
            if (first !== null && (whole[4] === null || first < whole[4])) whole[4] = first;
          }
        }
        monthly.push(lines);
      }
      let lines = '';
      for (const [month, [units, revenue, orders, returning, first]] of productMonths)
        lines += `${month}\t${productId}\t${units}\t${revenue}\t${orders}\t${returning}\t${first ?? '\\N'}\n`;
      chainWide.push(lines);
      let dayLines = '';
      days.forEach((date, i) => {
        if (date < p.salesFrom) return;
        const [units, revenue, orders, returning] = productDays[i]!;
        dayLines += `${productId}\t${date}\t${units}\t${revenue}\t${orders}\t${returning}\n`;
      });
      chainWideDays.push(dayLines);
    }
  }

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // The daily rows' foreign keys hold by construction; checking 73 M of them would be the seeding.
    await client.query('set session_replication_role = replica');
    await client.query('select ensure_sales_daily_months($1::date[])', [days]);
    await client.query('begin');
    // FREEZE needs the table emptied in the same transaction; it has no rows yet anyway. A partitioned
    // table (sales_daily, by month) takes no FREEZE: it is vacuumed with FREEZE after the copy instead.
    await client.query('truncate sales_daily');
    await copyInto(
      client,
      `copy sales_daily (product_id, branch_id, date, channel, units, revenue_fen, orders, returning_orders)
       from stdin`,
      daily(),
    );
    await client.query('truncate sales_monthly');
    await copyInto(
      client,
      `copy sales_monthly (product_id, branch_id, month, units, revenue_fen, orders, returning_orders, first_sale_on)
       from stdin with (freeze)`,
      monthly,
    );
    await client.query('truncate sales_product_monthly');
    await copyInto(
      client,
      `copy sales_product_monthly (month, product_id, units, revenue_fen, orders, returning_orders, first_sale_on)
       from stdin with (freeze)`,
      chainWide,
    );
    await client.query('truncate sales_product_daily');
    await copyInto(
      client,
      `copy sales_product_daily (product_id, date, units, revenue_fen, orders, returning_orders)
       from stdin with (freeze)`,
      chainWideDays,
    );
    await client.query('commit');
  } finally {
    await client.end();
  }
  note(`  ${int(dailyRows)} daily rows and ${int(monthlyRows)} rollup rows copied; analysing`);
  await sql`vacuum (freeze) sales_daily`.execute(db);
  await sql`vacuum analyze sales_monthly, sales_product_monthly, sales_product_daily`.execute(db);
  await sql`analyze`.execute(db);
  return { dailyRows, monthlyRows };
}
