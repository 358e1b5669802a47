import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { loadConfig } from '@tower/config';
import { createTestDatabase } from '@tower/db/testing';
import { addDays } from '@tower/domain';
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
import { countOf, evaluationsOwed, postSales } from './settle.js';
import { int, note } from './stats.js';

export interface ChainOptions {
  readonly products: number;
  readonly branches: number;
  /** Days of history seeded directly before the upload (at least what one day's evaluation reads). */
  readonly historyDays: number;
  readonly batchSize: number;
  readonly concurrency: number;
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
    // History set-based in Postgres: every pair, every day, a steady level with busier weekends.
    let started = performance.now();
    await inParallel(catalogue.productIds, 4, async (productId, p) => {
      await sql`
        insert into sales_daily (product_id, branch_id, date, channel, units, revenue_fen, orders, returning_orders)
        select ${productId}::uuid, b.id, d::date, '', u, u * 298000, u, 0
        from unnest(${[...catalogue.branchIds]}::uuid[]) with ordinality as b(id, n)
        cross join generate_series(${first}::date, ${addDays(today, -1)}::date, interval '1 day') as d
        cross join lateral (select (8 + ((${p} * 7 + b.n::int * 3) % 13)) * (case when extract(isodow from d) >= 6 then 13 else 10 end) / 10 as u) as units
      `.execute(db);
    });
    await sql`analyze sales_daily`.execute(db);
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
    const worker = startService('worker', { DATABASE_URL: testDb.url, QUEUE_PREFIX: queuePrefix });
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
