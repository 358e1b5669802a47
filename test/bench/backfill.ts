import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { loadConfig } from '@tower/config';
import { createTestDatabase } from '@tower/db/testing';
import { createRedis } from '@tower/queue';
import { ingestClient, type HttpClient } from './http.js';
import { chunks, salesRows } from './ingest.js';
import {
  describeCpu,
  dropQueueKeys,
  familyPids,
  freePort,
  sampleCpu,
  startService,
  waitForHealth,
  type ServiceProcess,
} from './processes.js';
import { seedCatalogue } from './seed.js';
import { countEvaluationPasses, countOf, evaluationsOwed, postSales } from './settle.js';
import { int, note } from './stats.js';
import { WaitSampler } from './waits.js';

export interface BackfillOptions {
  readonly products: number;
  readonly branches: number;
  readonly days: number;
  readonly batchSize: number;
  readonly concurrency: number;
  /** The worker's processes (`WORKER_PROCESSES`). */
  readonly workerProcesses: number;
}

export interface BackfillFigures {
  readonly rows: number;
  readonly options: BackfillOptions;
  /** HTTP ingest with no worker running: the time the ingest alone takes. */
  readonly ingestAloneSeconds: number;
  /** HTTP ingest with the worker running, until the last 202. */
  readonly ingestSeconds: number;
  /** From the first request until every evaluation is done (no watermark, outbox row or job left). */
  readonly settledSeconds: number;
  readonly tasks: number;
  /** Evaluation passes run (a product's `evaluate-sales` job each), and the product count. */
  readonly evaluationPasses: number;
  /** From the last 202 until every evaluation is done. */
  readonly tailSeconds: number;
  /** The tasks by signal (chain-wide or not) and status. */
  readonly taskKinds: string;
  readonly cpu: string;
  /** What the services' Postgres sessions were doing during the run with the worker, on average. */
  readonly sessions: readonly string[];
  /** Peak Redis `used_memory` during the run, and at its start (Redis is shared with other work). */
  readonly redisPeakBytes: number;
  readonly redisStartBytes: number;
  readonly apiPeakRssBytes: number;
  /** Summed over the worker's processes. */
  readonly workerPeakRssBytes: number;
}

/** Resident memory of `pid` and the processes it started (a worker's helpers), summed. */
function rssBytes(pid: number): number {
  return familyPids(pid).reduce((sum, member) => {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${member}/status`, 'utf8'));
      return sum + (match ? Number(match[1]) * 1024 : 0);
    } catch {
      return sum; // gone
    }
  }, 0);
}

/**
 * Figure 1 and 5 of issue 7: a year of daily sales for every (product, branch) through HTTP, first
 * with no worker (the ingest alone), then into fresh tables with the worker running, until every
 * evaluation is done; Redis memory and the services' RSS sampled all along.
 */
export async function benchBackfill(options: BackfillOptions): Promise<BackfillFigures> {
  const testDb = await createTestDatabase();
  const { db } = testDb;
  const queuePrefix = `bench-${randomBytes(4).toString('hex')}`;
  const services: ServiceProcess[] = [];
  const redis = createRedis(loadConfig(process.env).redisUrl);
  await redis.connect();
  let client: HttpClient | undefined;
  try {
    const catalogue = await seedCatalogue(db, {
      departments: 4,
      branches: options.branches,
      products: options.products,
    });
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
    client = await ingestClient(baseUrl, catalogue.admin.token, 'Bench backfill');
    const input = salesRows(catalogue.productIds, catalogue.branchIds, options.days, 'steady');
    const bodies = chunks(input, options.batchSize).map((rows) => Buffer.from(JSON.stringify({ rows })));
    note(
      `backfill: ${int(input.length)} rows (${options.products} × ${options.branches} × ${options.days} days) in ` +
        `${bodies.length} requests of ${int(options.batchSize)}, ${options.concurrency} at a time`,
    );
    const send = () => postSales(client!, bodies, options.concurrency);
    const reset = async () => {
      await sql`truncate sales_daily, sales_monthly, sales_product_monthly, sales_product_daily, sales_evaluation_marks, sales_evaluation_touches, outbox, idempotency_keys, signals, task_evidence, notifications, tasks cascade`.execute(
        db,
      );
      await sql`checkpoint`.execute(db);
    };

    // The ingest alone: no worker, the evaluations wait in Postgres.
    await reset();
    let started = performance.now();
    await send();
    const ingestAloneSeconds = (performance.now() - started) / 1000;
    note(`backfill: ingest alone ${ingestAloneSeconds.toFixed(1)} s`);
    await reset();
    await dropQueueKeys(queuePrefix);

    const worker = startService('worker', {
      DATABASE_URL: testDb.url,
      QUEUE_PREFIX: queuePrefix,
      WORKER_PROCESSES: String(options.workerProcesses),
    });
    services.push(worker);
    await sleep(2000); // the worker's connections up before the clock starts
    const redisStartBytes = await usedMemory(redis);
    let redisPeakBytes = redisStartBytes;
    let apiPeakRssBytes = 0;
    let workerPeakRssBytes = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        redisPeakBytes = Math.max(redisPeakBytes, await usedMemory(redis));
        apiPeakRssBytes = Math.max(apiPeakRssBytes, rssBytes(api.pid));
        workerPeakRssBytes = Math.max(workerPeakRssBytes, rssBytes(worker.pid));
        await sleep(250);
      }
    })();
    const waits = new WaitSampler(db, testDb.name);
    waits.start();
    const before = sampleCpu(services);
    started = performance.now();
    await send();
    const ingestSeconds = (performance.now() - started) / 1000;
    note(
      `backfill: ingest with the worker running ${ingestSeconds.toFixed(1)} s; waiting for the evaluations`,
    );
    for (;;) {
      const { marks, pending, jobs } = await evaluationsOwed(db, redis, queuePrefix);
      if (marks === 0 && pending === 0 && jobs === 0) break;
      if (performance.now() - started > 30 * 60_000) throw new Error('backfill did not settle in 30 minutes');
      await sleep(200);
    }
    const settledSeconds = (performance.now() - started) / 1000;
    const evaluationPasses = await countEvaluationPasses(db);
    const cpu = describeCpu(before, sampleCpu(services));
    await waits.stop();
    sampling = false;
    await sampler;
    const tasks = await countOf(db, 'select count(*)::int as n from tasks');
    const { rows: kinds } = await sql<{ kind: string; n: number }>`
      select signal || case when branch_id is null then ' (chain)' else '' end || ' ' || status as kind,
        count(*)::int as n
      from tasks group by 1 order by 1`.execute(db);
    const taskKinds = kinds.map((k) => `${k.kind} ${k.n}`).join(' · ');
    return {
      rows: input.length,
      options,
      ingestAloneSeconds,
      ingestSeconds,
      settledSeconds,
      tasks,
      evaluationPasses,
      tailSeconds: settledSeconds - ingestSeconds,
      taskKinds,
      cpu,
      sessions: waits.describe(),
      redisPeakBytes,
      redisStartBytes,
      apiPeakRssBytes,
      workerPeakRssBytes,
    };
  } finally {
    client?.close();
    for (const service of services) await service.stop();
    await dropQueueKeys(queuePrefix);
    await redis.quit();
    await testDb.drop();
  }
}

async function usedMemory(redis: ReturnType<typeof createRedis>): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}
