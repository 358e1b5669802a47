import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { addDays } from '@tower/domain';
import {
  ensureSalesDailyMonths,
  isRetryableDbError,
  upsertSalesDaily,
  type Db,
  type SalesRow,
} from '@tower/db';
import { createTestDatabase } from '@tower/db/testing';
import { createEngineContext, ingestSales, SYSTEM_ACTOR, type SalesInputRow } from '@tower/engine';
import { ingestClient, type HttpClient } from './http.js';
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
import { distribution, int, note, type Distribution } from './stats.js';
import { WaitSampler } from './waits.js';

export interface IngestOptions {
  readonly products: number;
  readonly branches: number;
  readonly days: number;
  readonly batchSize: number;
  readonly concurrency: number;
  /** Every pass this many times, in turn. */
  readonly rounds: number;
}

export interface IngestPass {
  readonly name: string;
  readonly what: string;
  readonly rowsPerSecond: number;
  readonly seconds: number;
  readonly cpu: string;
  /** Time per batch (a request, for HTTP), retries included. */
  readonly batchMs: Distribution;
  /** Batches tried again after a deadlock (in-process) or a 503 "try again" (HTTP). */
  readonly retries: number;
  /** What the Postgres sessions doing the work were doing, on average. */
  readonly sessions: readonly string[];
}

/** A batch the system refused for now (deadlock, serialization failure): the caller tries again. */
class TryAgain extends Error {}

const MAX_ATTEMPTS = 10;

export interface IngestFigures {
  readonly rows: number;
  readonly options: IngestOptions;
  /** Each pass's median round. */
  readonly passes: readonly IngestPass[];
  /** HTTP ÷ raw of each round. */
  readonly ratios: readonly number[];
  readonly evaluationsQueued: number;
}

/**
 * Daily sales in the order a daily feed (or a backfill day by day) sends them: date, then product,
 * then branch. Figures vary a little so nothing is uniform.
 */
/**
 * A pair's units on day `d` as a clinic's history looks: a steady level per pair, busier weekends,
 * ±15 % noise, and a week at −50 % for one pair in fifty (a dip that opens a task and clears).
 */
function steadyUnits(p: number, b: number, d: number): number {
  const level = 8 + ((p * 7 + b * 3) % 13);
  const weekend = d % 7 >= 5 ? 1.3 : 1;
  const noise = 0.85 + ((((p * 2_654_435_761 + b * 40_503 + d * 9_973) >>> 0) % 1000) / 1000) * 0.3;
  const dip = (p + b) % 50 === 0 && d >= 200 && d < 207 ? 0.5 : 1;
  return Math.max(1, Math.round(level * weekend * noise * dip));
}

export function salesRows(
  productIds: readonly string[],
  branchIds: readonly string[],
  days: number,
  pattern: 'sawtooth' | 'steady' = 'sawtooth',
): SalesInputRow[] {
  const first = addDays(new Date().toISOString().slice(0, 10), -(days + 1));
  const rows: SalesInputRow[] = [];
  for (let d = 0; d < days; d++) {
    const date = addDays(first, d);
    productIds.forEach((productId, p) => {
      branchIds.forEach((branchId, b) => {
        const units = pattern === 'sawtooth' ? ((p * 7 + b * 3 + d) % 20) + 1 : steadyUnits(p, b, d);
        rows.push({
          productId,
          branchId,
          date,
          units,
          revenueFen: units * 298_000,
          orders: units,
          returningOrders: units >> 2,
        });
      });
    });
  }
  return rows;
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
    items.slice(i * size, (i + 1) * size),
  );
}

const asSalesRow = (r: SalesInputRow): SalesRow => ({
  productId: r.productId,
  branchId: r.branchId,
  date: r.date,
  channel: r.channel ?? '',
  units: r.units,
  revenueFen: r.revenueFen,
  orders: r.orders,
  returningOrders: r.returningOrders ?? 0,
});

/** The baseline: one plain INSERT … SELECT FROM UNNEST per batch, nothing else. */
async function rawUnnestInsert(db: Db, rows: readonly SalesRow[]): Promise<void> {
  await sql`
    insert into sales_daily (product_id, branch_id, date, channel, units, revenue_fen, orders, returning_orders)
    select * from unnest(
      ${rows.map((r) => r.productId)}::uuid[], ${rows.map((r) => r.branchId)}::uuid[],
      ${rows.map((r) => r.date)}::date[], ${rows.map((r) => r.channel)}::text[],
      ${rows.map((r) => r.units)}::int[], ${rows.map((r) => r.revenueFen)}::bigint[],
      ${rows.map((r) => r.orders)}::int[], ${rows.map((r) => r.returningOrders)}::int[])
  `.execute(db);
}

/** Empty fact tables and a fresh checkpoint, so each pass starts from the same state. */
async function resetFacts(db: Db): Promise<void> {
  await sql`truncate sales_daily, sales_monthly, sales_product_monthly, sales_product_daily, sales_evaluation_marks, sales_evaluation_touches, outbox, idempotency_keys`.execute(
    db,
  );
  await sql`checkpoint`.execute(db);
}

async function countRows(db: Db, table: 'sales_daily' | 'sales_monthly' | 'outbox'): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db);
  return rows[0]?.n ?? 0;
}

/**
 * Bulk sales ingestion, four ways over the same rows, batches and concurrency, each into empty tables:
 * a raw UNNEST insert (the floor), the repository's upsert with its monthly rollup, the engine command
 * (reference checks, deduplication, outbox) and the HTTP API in its own process (202 received). No
 * worker runs: the figure is about ingestion, the evaluations wait in the outbox.
 */
export async function benchIngest(options: IngestOptions): Promise<IngestFigures> {
  const testDb = await createTestDatabase();
  const { db } = testDb;
  const queuePrefix = `bench-${randomBytes(4).toString('hex')}`;
  const services: ServiceProcess[] = [];
  let client: HttpClient | undefined;
  try {
    const catalogue = await seedCatalogue(db, {
      departments: 4,
      branches: options.branches,
      products: options.products,
    });
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
    client = await ingestClient(baseUrl, catalogue.admin.token, 'Bench feed');

    const input = salesRows(catalogue.productIds, catalogue.branchIds, options.days);
    const batches = chunks(input, options.batchSize);
    const rowBatches = batches.map((batch) => batch.map(asSalesRow));
    const bodies = batches.map((rows) => Buffer.from(JSON.stringify({ rows })));
    note(
      `ingest: ${int(input.length)} rows (${options.products} products × ${options.branches} branches × ${options.days} days), ` +
        `${batches.length} batches of ${int(options.batchSize)}, ${options.concurrency} at a time, ~${int(bodies[0]!.length / 1024)} KiB per request body`,
    );

    const ctx = createEngineContext(db);
    const passes: IngestPass[] = [];
    const ratios: number[] = [];
    let evaluationsQueued = 0;
    const run = async (name: string, what: string, work: (index: number) => Promise<void>) => {
      await resetFacts(db);
      const batchMs: number[] = [];
      let retries = 0;
      const sampler = new WaitSampler(db, testDb.name);
      sampler.start();
      const before = sampleCpu(services);
      const started = performance.now();
      await inParallel(batches, options.concurrency, async (_, index) => {
        const t0 = performance.now();
        for (let attempt = 1; ; attempt++) {
          try {
            await work(index);
            break;
          } catch (error) {
            if (!(error instanceof TryAgain || isRetryableDbError(error)) || attempt === MAX_ATTEMPTS)
              throw error;
            retries += 1;
            await sleep(Math.random() * 20 * attempt);
          }
        }
        batchMs.push(performance.now() - t0);
      });
      const seconds = (performance.now() - started) / 1000;
      const cpu = describeCpu(before, sampleCpu(services));
      await sampler.stop();
      const stored = await countRows(db, 'sales_daily');
      if (stored !== input.length)
        throw new Error(`${name}: ${stored} rows in sales_daily, expected ${input.length}`);
      const pass = {
        name,
        what,
        seconds,
        rowsPerSecond: input.length / seconds,
        cpu,
        batchMs: distribution(batchMs),
        retries,
        sessions: sampler.describe(),
      };
      passes.push(pass);
      note(
        `${name}: ${int(pass.rowsPerSecond)} rows/s (${seconds.toFixed(2)} s, ${retries} retried) · ${cpu}`,
      );
      if (name === 'http') evaluationsQueued = await countRows(db, 'outbox');
    };

    // The months' partitions of sales_daily are made before any pass (truncating keeps them): no pass
    // pays for making them, which happens once per month in a database's life.
    await ensureSalesDailyMonths(db, rowBatches.flat());
    // Rounds of every pass in turn: the load of a shared machine drifts, and each round's ratio is
    // taken between passes run a few seconds apart; the figures are each pass's median round.
    for (let round = 0; round < options.rounds; round++) {
      // The floor inserts into sales_daily as it was before any rollup: its foreign keys are checked,
      // its rollup triggers (which stash each statement's changes) are off.
      await sql`alter table sales_daily disable trigger user`.execute(db);
      try {
        await run(
          'raw',
          'raw UNNEST insert (plain INSERT … SELECT FROM unnest, no conflict handling, no rollup)',
          (i) => rawUnnestInsert(db, rowBatches[i]!),
        );
      } finally {
        await sql`alter table sales_daily enable trigger user`.execute(db);
      }
      await run(
        'repository',
        'upsertSalesDaily in a transaction (UNNEST insert, an upsert where a key is stored; rollups by deltas)',
        (i) => db.transaction().execute((tx) => upsertSalesDaily(tx, rowBatches[i]!)),
      );
      await run(
        'engine',
        'ingestSales command in-process (+ reference checks, dedupe, outbox rows)',
        async (i) => {
          await ingestSales(ctx, SYSTEM_ACTOR, { rows: batches[i]! });
        },
      );
      await run(
        'http',
        'POST /api/ingest/sales to the API process (+ HTTP, JSON, auth, validation)',
        async (i) => {
          const answer = await client!.post('/api/ingest/sales', bodies[i]!);
          if (answer.status === 503) throw new TryAgain(answer.body);
          if (answer.status !== 202)
            throw new Error(`POST /api/ingest/sales answered ${answer.status}: ${answer.body.slice(0, 500)}`);
        },
      );
      const [raw, http] = ['raw', 'http'].map((n) => passes.filter((p) => p.name === n).at(-1)!);
      ratios.push(http!.rowsPerSecond / raw!.rowsPerSecond);
    }
    const medianPasses = ['raw', 'repository', 'engine', 'http'].map((name) => {
      const of = passes.filter((p) => p.name === name).sort((a, b) => a.rowsPerSecond - b.rowsPerSecond);
      return of[Math.floor(of.length / 2)]!;
    });
    return { rows: input.length, options, passes: medianPasses, ratios, evaluationsQueued };
  } finally {
    client?.close();
    for (const service of services) await service.stop();
    await dropQueueKeys(queuePrefix);
    await testDb.drop();
  }
}
