import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { loadConfig } from '@tower/config';
import { ensureSalesDailyMonths, type Db } from '@tower/db';
import { createTestDatabase } from '@tower/db/testing';
import { addDays, eachDay } from '@tower/domain';
import { createRedis } from '@tower/queue';
import { ingestClient, type HttpClient } from './http.js';
import { chunks } from './ingest.js';
import {
  describeCpu,
  dropQueueKeys,
  freePort,
  sampleCpu,
  startService,
  waitForHealth,
  type ServiceProcess,
} from './processes.js';
import { inParallel, seedCatalogue } from './seed.js';
import { countEvaluationPasses, countOf, evaluationsOwed, postSales } from './settle.js';
import { int, note } from './stats.js';

export interface ChainOptions {
  readonly products: number;
  readonly branches: number;
  /** Days of history seeded directly before the upload (at least what one day's evaluation reads). */
  readonly historyDays: number;
  readonly batchSize: number;
  readonly concurrency: number;
  /** The worker's processes (`WORKER_PROCESSES`). */
  readonly workerProcesses: number;
  /** Give up waiting for the evaluations after this long (the figure then says so). */
  readonly maxWaitSeconds: number;
}

export interface ChainFigures {
  readonly options: ChainOptions;
  readonly pairs: number;
  readonly seededRows: number;
  readonly seedSeconds: number;
  readonly ingestSeconds: number;
  /** Until every evaluation is done, or undefined when it did not finish within the wait. */
  readonly settledSeconds: number | undefined;
  /** Pairs still waiting for their evaluation when the wait ended. */
  readonly left: number;
  readonly cpu: string;
}

/** The rollups of sales_daily as it stands, summed set-based (for history seeded past the triggers). */
async function seedRollups(db: Db): Promise<void> {
  await sql`
    insert into sales_monthly (product_id, branch_id, month, units, revenue_fen, orders, returning_orders, first_sale_on)
    select product_id, branch_id, date_trunc('month', date::timestamp)::date, sum(units), sum(revenue_fen),
      sum(orders), sum(returning_orders), min(date) filter (where units > 0)
    from sales_daily group by 1, 2, 3
  `.execute(db);
  await sql`
    insert into sales_product_daily (product_id, date, units, revenue_fen, orders, returning_orders)
    select product_id, date, sum(units), sum(revenue_fen), sum(orders), sum(returning_orders)
    from sales_daily group by 1, 2
  `.execute(db);
  await sql`
    insert into sales_product_monthly (month, product_id, units, revenue_fen, orders, returning_orders, first_sale_on)
    select month, product_id, sum(units), sum(revenue_fen), sum(orders), sum(returning_orders), min(first_sale_on)
    from sales_monthly group by 1, 2
  `.execute(db);
  await sql`analyze sales_daily, sales_monthly, sales_product_daily, sales_product_monthly`.execute(db);
}

/**
 * Figure 2 of issue 7: the whole chain (products × branches) with its history already in (seeded
 * directly, set-based), then one day's upload for every pair through HTTP with the worker running,
 * until every evaluation is done.
 */
export async function benchChain(options: ChainOptions): Promise<ChainFigures> {
  const testDb = await createTestDatabase();
  const { db } = testDb;
  const queuePrefix = `bench-${randomBytes(4).toString('hex')}`;
  const services: ServiceProcess[] = [];
  const redis = createRedis(loadConfig(process.env).redisUrl);
  await redis.connect();
  let client: HttpClient | undefined;
  try {
    note(`chain: seeding ${options.products} products × ${options.branches} branches`);
    const catalogue = await seedCatalogue(db, {
      departments: 8,
      branches: options.branches,
      products: options.products,
    });
    const pairs = options.products * options.branches;
    const today = addDays(new Date().toISOString().slice(0, 10), -1);
    const first = addDays(today, -options.historyDays);
    // History set-based in Postgres: every pair, every day, a steady level with busier weekends. The
    // rollup triggers are off while it goes in; the rollups are then summed from it in one pass each,
    // so the upload moves rollup rows that exist, as in a chain that has been running.
    let started = performance.now();
    await ensureSalesDailyMonths(
      db,
      eachDay(first, addDays(today, -1)).map((date) => ({ date })),
    );
    await sql`alter table sales_daily disable trigger user`.execute(db);
    try {
      await inParallel(catalogue.productIds, 4, async (productId, p) => {
        await sql`
          insert into sales_daily (product_id, branch_id, date, channel, units, revenue_fen, orders, returning_orders)
          select ${productId}::uuid, b.id, d::date, '', u, u * 298000, u, 0
          from unnest(${[...catalogue.branchIds]}::uuid[]) with ordinality as b(id, n)
          cross join generate_series(${first}::date, ${addDays(today, -1)}::date, interval '1 day') as d
          cross join lateral (select (8 + ((${p} * 7 + b.n::int * 3) % 13)) * (case when extract(isodow from d) >= 6 then 13 else 10 end) / 10 as u) as units
        `.execute(db);
      });
    } finally {
      await sql`alter table sales_daily enable trigger user`.execute(db);
    }
    await seedRollups(db);
    const seedSeconds = (performance.now() - started) / 1000;
    const seededRows = await countOf(db, 'select count(*)::int as n from sales_daily');
    note(`chain: ${int(seededRows)} history rows seeded in ${seedSeconds.toFixed(0)} s`);

    const port = await freePort();
    const env = {
      DATABASE_URL: testDb.url,
      QUEUE_PREFIX: queuePrefix,
      HOST: '127.0.0.1',
      PORT: String(port),
    };
    const api = startService('api', env);
    services.push(api);
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForHealth(baseUrl);
    client = await ingestClient(baseUrl, catalogue.admin.token, 'Bench chain');
    const worker = startService('worker', {
      DATABASE_URL: testDb.url,
      QUEUE_PREFIX: queuePrefix,
      WORKER_PROCESSES: String(options.workerProcesses),
    });
    services.push(worker);
    await sleep(2000);

    const rows = catalogue.productIds.flatMap((productId, p) =>
      catalogue.branchIds.map((branchId, b) => {
        const units = 8 + ((p * 7 + b * 3) % 13);
        return { productId, branchId, date: today, units, revenueFen: units * 298_000, orders: units };
      }),
    );
    const bodies = chunks(rows, options.batchSize).map((batch) =>
      Buffer.from(JSON.stringify({ rows: batch })),
    );
    const before = sampleCpu(services);
    started = performance.now();
    await postSales(client, bodies, options.concurrency);
    const ingestSeconds = (performance.now() - started) / 1000;
    note(`chain: one day's ${int(rows.length)} rows ingested in ${ingestSeconds.toFixed(1)} s; evaluating`);
    let settledSeconds: number | undefined;
    let left = 0;
    for (;;) {
      const { marks, pending, jobs } = await evaluationsOwed(db, redis, queuePrefix);
      left = marks;
      if (left === 0 && pending === 0 && jobs === 0) {
        settledSeconds = (performance.now() - started) / 1000;
        break;
      }
      if ((performance.now() - started) / 1000 > options.maxWaitSeconds) break;
      await sleep(500);
    }
    return {
      options,
      pairs,
      seededRows,
      seedSeconds,
      ingestSeconds,
      settledSeconds,
      left,
      cpu: describeCpu(before, sampleCpu(services)),
    };
  } finally {
    client?.close();
    for (const service of services) await service.stop();
    await dropQueueKeys(queuePrefix);
    await redis.quit();
    await testDb.drop();
  }
}

export interface ChainYearOptions {
  readonly products: number;
  readonly branches: number;
  /** Days of the backfill (365 for the whole year; fewer for a shorter run, then extrapolated). */
  readonly days: number;
  readonly batchSize: number;
  readonly concurrency: number;
  /** The worker's processes (`WORKER_PROCESSES`). */
  readonly workerProcesses: number;
  /** Give up waiting for the evaluations this long after the last request (the figure then says so). */
  readonly maxWaitSeconds: number;
  /** Seconds between progress lines. */
  readonly progressSeconds: number;
}

export interface ChainYearFigures {
  readonly options: ChainYearOptions;
  readonly pairs: number;
  readonly rows: number;
  readonly ingestSeconds: number;
  /** From the first request until every evaluation is done, or undefined when the wait ran out. */
  readonly settledSeconds: number | undefined;
  /** Pairs still waiting for their evaluation when the wait ended. */
  readonly left: number;
  readonly tasks: number;
  /** Evaluation passes run (a product's `evaluate-sales` job each) from the first request to the end. */
  readonly evaluationPasses: number;
  readonly cpu: string;
  /** The load average (1 min) at the start and at the end. */
  readonly load: readonly [number, number];
}

/**
 * The second part of figure 2: the whole chain's backfill (every pair, every day) through HTTP, day
 * by day as a CRM export is sent, with the worker running, until every evaluation is done. The rows
 * of a day are made when its turn comes (36.5 M rows do not fit in memory as request bodies), and a
 * progress line is printed as it goes.
 */
export async function benchChainYear(options: ChainYearOptions): Promise<ChainYearFigures> {
  const testDb = await createTestDatabase();
  const { db } = testDb;
  const queuePrefix = `bench-${randomBytes(4).toString('hex')}`;
  const services: ServiceProcess[] = [];
  const redis = createRedis(loadConfig(process.env).redisUrl);
  await redis.connect();
  let client: HttpClient | undefined;
  const loadAtStart = loadavg()[0]!;
  try {
    note(`chain-year: seeding ${options.products} products × ${options.branches} branches`);
    const catalogue = await seedCatalogue(db, {
      departments: 8,
      branches: options.branches,
      products: options.products,
    });
    const pairs = options.products * options.branches;
    const port = await freePort();
    const api = startService('api', {
      DATABASE_URL: testDb.url,
      QUEUE_PREFIX: queuePrefix,
      HOST: '127.0.0.1',
      PORT: String(port),
    });
    services.push(api);
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForHealth(baseUrl);
    client = await ingestClient(baseUrl, catalogue.admin.token, 'Bench chain year');
    const worker = startService('worker', {
      DATABASE_URL: testDb.url,
      QUEUE_PREFIX: queuePrefix,
      WORKER_PROCESSES: String(options.workerProcesses),
    });
    services.push(worker);
    await sleep(2000);

    const first = addDays(new Date().toISOString().slice(0, 10), -(options.days + 1));
    const perDay = Math.ceil(pairs / options.batchSize);
    const total = options.days * perDay;
    /** Request `i`'s body: day i ÷ perDay, its slice of the pairs (product-major, as a CRM exports). */
    const body = (i: number): Buffer => {
      const d = Math.floor(i / perDay);
      const date = addDays(first, d);
      const from = (i % perDay) * options.batchSize;
      const rows = [];
      for (let k = from; k < Math.min(pairs, from + options.batchSize); k++) {
        const p = Math.floor(k / options.branches);
        const b = k % options.branches;
        const units = chainUnits(p, b, d);
        rows.push({
          productId: catalogue.productIds[p]!,
          branchId: catalogue.branchIds[b]!,
          date,
          units,
          revenueFen: units * 298_000,
          orders: units,
        });
      }
      return Buffer.from(JSON.stringify({ rows }));
    };
    note(
      `chain-year: ${int(pairs * options.days)} rows (${int(pairs)} pairs × ${options.days} days) in ${int(total)} ` +
        `requests of up to ${int(options.batchSize)}, ${options.concurrency} at a time, the worker running`,
    );
    const before = sampleCpu(services);
    const started = performance.now();
    let sent = 0;
    const progress = async (phase: string) => {
      const seconds = (performance.now() - started) / 1000;
      const { marks, pending, jobs } = await evaluationsOwed(db, redis, queuePrefix);
      note(
        `chain-year ${phase}: ${(seconds / 60).toFixed(1)} min · day ${Math.min(options.days, Math.ceil(sent / perDay))}/${options.days} · ` +
          `${int(Math.min(sent * options.batchSize, pairs * options.days))} rows at ${int((Math.min(sent * options.batchSize, pairs * options.days) / seconds) | 0)} rows/s · ` +
          `${int(marks)} pairs waiting for their evaluation · ${int(pending)} outbox · ${int(jobs)} jobs · load ${loadavg()[0]!.toFixed(1)}`,
      );
    };
    let sending = true;
    const ticker = (async () => {
      while (sending) {
        await sleep(options.progressSeconds * 1000);
        if (sending) await progress('sending');
      }
    })();
    const indexes = Array.from({ length: total }, (_, i) => i);
    try {
      await inParallel(indexes, options.concurrency, async (i) => {
        await postSales(client!, [body(i)], 1);
        sent += 1;
      });
    } finally {
      sending = false;
      await ticker;
    }
    const ingestSeconds = (performance.now() - started) / 1000;
    note(`chain-year: ingested in ${(ingestSeconds / 60).toFixed(1)} min; evaluating`);
    let settledSeconds: number | undefined;
    let left = 0;
    let lastNote = performance.now();
    for (;;) {
      const { marks, pending, jobs } = await evaluationsOwed(db, redis, queuePrefix);
      left = marks;
      if (marks === 0 && pending === 0 && jobs === 0) {
        settledSeconds = (performance.now() - started) / 1000;
        break;
      }
      if ((performance.now() - started) / 1000 - ingestSeconds > options.maxWaitSeconds) break;
      if (performance.now() - lastNote > options.progressSeconds * 1000) {
        await progress('evaluating');
        lastNote = performance.now();
      }
      await sleep(500);
    }
    const cpu = describeCpu(before, sampleCpu(services));
    const tasks = await countOf(db, 'select count(*)::int as n from tasks');
    const evaluationPasses = await countEvaluationPasses(db);
    return {
      options,
      pairs,
      rows: pairs * options.days,
      ingestSeconds,
      settledSeconds,
      left,
      tasks,
      evaluationPasses,
      cpu,
      load: [loadAtStart, loadavg()[0]!],
    };
  } finally {
    client?.close();
    for (const service of services) await service.stop();
    await dropQueueKeys(queuePrefix);
    await redis.quit();
    await testDb.drop();
  }
}

/** A pair's units on day `d`: a steady level per pair, busier weekends, a little noise. */
function chainUnits(p: number, b: number, d: number): number {
  const level = 8 + ((p * 7 + b * 3) % 13);
  const weekend = d % 7 >= 5 ? 1.3 : 1;
  const noise = 0.9 + ((((p * 2_654_435_761 + b * 40_503 + d * 9_973) >>> 0) % 1000) / 1000) * 0.2;
  return Math.max(1, Math.round(level * weekend * noise));
}
