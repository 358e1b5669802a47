// `pnpm bench`: prints figures (it asserts nothing). Bulk ingest throughput through HTTP against a raw
// UNNEST insert of the same rows, and event → task latency at steady rates. The API and the worker run
// as their own processes (services/*/src/main.ts, with their default configuration unless the
// environment says otherwise), as a deployment runs them; this process generates the load, measures,
// and seeds its own throwaway databases.
//
//   BENCH_ONLY=ingest | latency | backfill | reviews | imports   run one part
//   BENCH_ONLY=chain                   figure 2 only (2,000 × 50 with history seeded; long, opt-in)
//   BENCH_ONLY=chain-year              figure 2's second part: the whole chain's year (36.5 M rows) through
//                                        HTTP until evaluated (very long, opt-in); BENCH_CHAIN_YEAR_DAYS=30
//                                        runs a shorter period and extrapolates; BENCH_CHAIN_PROGRESS_S=30
//   BENCH_REVIEW_SCALE=full              the review at 2,000 products × 50 branches × a year (36.5 M daily
//                                        rows, seeded with COPY in minutes); default 200 products × 50 branches
//   BENCH_KEEP_DB=1                      leave the review bench's seeded database (its name is printed)
//   BENCH_INGEST_ROUNDS=3               rounds of the four ingest passes (figure 3), medians shown
//   BENCH_IMPORT_DAYS=500 (1,000,000 rows), BENCH_IMPORTS_XLSX=0 skips the XLSX pass,
//   BENCH_IMPORTS_RUNTIME=tsx runs the services under tsx instead of compiled (as `pnpm start` runs them),
//   BENCH_IMPORTS_FRESH_API=0 uploads the files to the API process that took the JSON pass
//   RELAY_INTERVAL_MS=20, WORKER_CONCURRENCY=16 …   passed on to the services
//   WORKER_PROCESSES=2                 the worker in two processes (printed by the backfill and chain parts)
//   BENCH_SERVICE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof'   node flags for the service processes
//   BENCH_NAIVE=0                      the latency part without its naive-pipeline yardstick
import './env.js';
import { cpus, loadavg } from 'node:os';
import { prepareTemplateDatabase } from '@tower/db/testing';
import { loadConfig } from '@tower/config';
import { benchBackfill, type BackfillFigures } from './backfill.js';
import { benchChain, benchChainYear, type ChainFigures, type ChainYearFigures } from './chain.js';
import { benchImports, type ImportFigures } from './imports.js';
import { benchIngest, type IngestFigures } from './ingest.js';
import { benchLatency, type LatencyFigures, type LatencyPhase } from './latency.js';
import { benchReviews, type ReviewFigures } from './reviews.js';
import { describeDistribution, int, ms, note } from './stats.js';

const INGEST = {
  products: 200,
  branches: 10,
  days: 100,
  batchSize: 5_000,
  concurrency: 4,
  rounds: Number(process.env.BENCH_INGEST_ROUNDS ?? 3),
};
/** The worker's processes in the backfill and chain parts: the services' own setting (printed with them). */
const WORKER_PROCESSES = loadConfig(process.env).workerProcesses;
const BACKFILL = {
  products: 200,
  branches: 10,
  days: 365,
  batchSize: 5_000,
  concurrency: 4,
  workerProcesses: WORKER_PROCESSES,
};
const LATENCY_STEPS = [
  // A rate well under capacity first: the latency of the pipeline itself, without a queue.
  { rate: 50, count: 500 },
  { rate: 500, count: 5_000 },
  { rate: 1_000, count: 10_000 },
  // Above the target: what the pipeline opens per second when more is sent than it can take.
  { rate: 1_250, count: 12_500 },
];
const MIB = 1024 * 1024;
const CHAIN = {
  products: Number(process.env.BENCH_CHAIN_PRODUCTS ?? 2_000),
  branches: Number(process.env.BENCH_CHAIN_BRANCHES ?? 50),
  historyDays: 49,
  batchSize: 5_000,
  concurrency: 4,
  workerProcesses: WORKER_PROCESSES,
  maxWaitSeconds: Number(process.env.BENCH_CHAIN_WAIT_S ?? 900),
};

const CHAIN_YEAR = {
  products: CHAIN.products,
  branches: CHAIN.branches,
  days: Number(process.env.BENCH_CHAIN_YEAR_DAYS ?? 365),
  batchSize: 5_000,
  concurrency: 4,
  workerProcesses: WORKER_PROCESSES,
  maxWaitSeconds: Number(process.env.BENCH_CHAIN_WAIT_S ?? 3_600),
  progressSeconds: Number(process.env.BENCH_CHAIN_PROGRESS_S ?? 30),
};

/** The chain-year figures, and for a shorter period the year extrapolated from them (linearly). */
function chainYearLine(f: ChainYearFigures): string {
  const { options } = f;
  const scale = 365 / options.days;
  const rate = `${int(f.rows / f.ingestSeconds)} rows/s ingested`;
  const settled =
    f.settledSeconds !== undefined
      ? `ingested and evaluated in ${(f.settledSeconds / 60).toFixed(1)} min (${int(f.rows / f.settledSeconds)} rows/s)`
      : `not evaluated within ${options.maxWaitSeconds} s after the last request (${int(f.left)} pairs waiting)`;
  const extrapolated =
    options.days < 365 && f.settledSeconds !== undefined
      ? ` · extrapolated linearly to 365 days: ~${((f.settledSeconds * scale) / 60).toFixed(0)} min (target < 30 min)`
      : options.days >= 365
        ? ' (target < 30 min)'
        : '';
  return `${int(f.rows)} rows (${options.days} days): ${settled}; ingest ${(f.ingestSeconds / 60).toFixed(1)} min, ${rate}${extrapolated}`;
}

/** "worker in 2 processes". */
function workerIn(options: { readonly workerProcesses: number }): string {
  return `worker in ${options.workerProcesses} process${options.workerProcesses === 1 ? '' : 'es'}`;
}

function printChainYear(f: ChainYearFigures): void {
  const { options } = f;
  console.log(
    `\nchain backfill · ${options.products} products × ${options.branches} branches (${int(f.pairs)} pairs), ` +
      `${options.days} days of daily sales through HTTP, day by day, with the worker running (${workerIn(options)})`,
  );
  console.log(`  ${chainYearLine(f)}`);
  console.log(
    `  ${int(f.tasks)} tasks opened · ${int(f.evaluationPasses)} evaluation passes ` +
      `(${(f.evaluationPasses / f.options.products).toFixed(1)} per product) · load average ${f.load[0].toFixed(2)} at the start, ${f.load[1].toFixed(2)} at the end`,
  );
  console.log(`  ${f.cpu}`);
}

function printChain(f: ChainFigures): void {
  const { options } = f;
  console.log(
    `\nchain scale · ${options.products} products × ${options.branches} branches (${int(f.pairs)} pairs), ` +
      `${options.historyDays} days of history seeded directly (${int(f.seededRows)} rows, ${f.seedSeconds.toFixed(0)} s; ` +
      `what one day's evaluation reads), then one day's upload through HTTP with the worker running (${workerIn(options)})`,
  );
  console.log(`  one day's ${int(f.pairs)} rows ingested in ${f.ingestSeconds.toFixed(1)} s`);
  console.log(
    f.settledSeconds !== undefined
      ? `  ingested and evaluated in ${f.settledSeconds.toFixed(1)} s (target < 60 s)`
      : `  not evaluated within ${options.maxWaitSeconds} s: ${int(f.left)} of ${int(f.pairs)} pairs still waiting`,
  );
  console.log(`  ${f.cpu}`);
}

function printBackfill(f: BackfillFigures): void {
  const { options } = f;
  console.log(
    `\nbackfill · a year of daily sales for ${options.products} products × ${options.branches} branches ` +
      `(${int(f.rows)} rows) through HTTP in requests of ${int(options.batchSize)}, ${options.concurrency} at a time; ` +
      workerIn(options),
  );
  console.log(`  ingest alone (no worker)            ${f.ingestAloneSeconds.toFixed(1)} s`);
  console.log(`  ingest with the worker running      ${f.ingestSeconds.toFixed(1)} s`);
  console.log(
    `  settled (every evaluation done)     ${f.settledSeconds.toFixed(1)} s · ${int(f.tasks)} tasks opened`,
  );
  console.log(
    `  after the last 202                  ${f.tailSeconds.toFixed(1)} s · ${int(f.evaluationPasses)} evaluation passes ` +
      `(${(f.evaluationPasses / f.options.products).toFixed(1)} per product)`,
  );
  console.log(`  tasks: ${f.taskKinds}`);
  console.log(`  ${f.cpu}`);
  for (const line of f.sessions) console.log(`  ${line}`);
  console.log(
    `  peak Redis used_memory ${(f.redisPeakBytes / MIB).toFixed(1)} MiB (${((f.redisPeakBytes - f.redisStartBytes) / MIB).toFixed(1)} MiB over the start; Redis is shared) · ` +
      `peak RSS api ${(f.apiPeakRssBytes / MIB).toFixed(0)} MiB · worker ${(f.workerPeakRssBytes / MIB).toFixed(0)} MiB` +
      (f.options.workerProcesses > 1 ? ` (its ${f.options.workerProcesses} processes together)` : ''),
  );
}
// At the middle rate: the first burst after the services start stalls for a second or two (code paths
// compiled, caches filled); the warm-up line shows it, the steps measure warm services.
const WARM_UP = { rate: 500, count: 1_000 };
// 1,000,000 rows by default; BENCH_IMPORT_DAYS scales it (each day is products × branches rows).
const IMPORTS = {
  products: 200,
  branches: 10,
  days: Number(process.env.BENCH_IMPORT_DAYS ?? 500),
  jsonBatch: 10_000,
  jsonConcurrency: 4,
  compiled: process.env.BENCH_IMPORTS_RUNTIME !== 'tsx',
  freshApi: process.env.BENCH_IMPORTS_FRESH_API !== '0',
};

function printImports(figures: ImportFigures): void {
  console.log(
    `\nimports · ${int(figures.rows)} sales rows, from the first byte sent to every row stored, each pass into ` +
      `empty tables; the API and a worker run in their own processes (${figures.runtime}; evaluations follow in ` +
      `the background) · load average ${loadavg()[0]!.toFixed(2)} at the end`,
  );
  for (const pass of figures.passes) {
    console.log(
      `  ${pass.name.padEnd(6)} ${int(pass.rowsPerSecond).padStart(9)} rows/s  ${pass.seconds.toFixed(1).padStart(6)} s  ${pass.detail}`,
    );
    console.log(`  ${''.padEnd(6)} ${pass.cpu}`);
  }
}

function printIngest(figures: IngestFigures): void {
  const { options } = figures;
  console.log(
    `\nbulk ingest · ${int(figures.rows)} sales rows in ${Math.ceil(figures.rows / options.batchSize)} batches of ` +
      `${int(options.batchSize)}, ${options.concurrency} at a time, each pass into empty tables; no worker running; ` +
      `${options.rounds} rounds of every pass in turn, each pass's median round shown`,
  );
  for (const pass of figures.passes) {
    console.log(
      `  ${pass.name.padEnd(10)} ${int(pass.rowsPerSecond).padStart(9)} rows/s  ${pass.seconds.toFixed(2).padStart(6)} s` +
        `  batch p50 ${ms(pass.batchMs.p50)} · max ${ms(pass.batchMs.max)}  ${pass.what}`,
    );
    const retried =
      pass.retries > 0 ? ` · ${pass.retries} batches retried after a deadlock (503 over HTTP)` : '';
    console.log(`  ${''.padEnd(10)} ${pass.cpu}${retried}`);
    for (const line of pass.sessions) console.log(`  ${''.padEnd(10)} ${line}`);
  }
  console.log(`  evaluations queued by the HTTP pass: ${int(figures.evaluationsQueued)} outbox rows`);
}

function printPhase(phase: LatencyPhase, title = `@${phase.rate}/s`): void {
  console.log(
    `  ${title}  sent ${int(phase.count)} at ${int(phase.achievedRate)}/s (${phase.accepted} accepted, ${phase.failed} failed)` +
      ` · ${int(phase.opened)} tasks at ${int(phase.taskRate)}/s`,
  );
  if (phase.firstFailure) console.log(`    first failure: ${phase.firstFailure}`);
  console.log(`    due → task committed         ${describeDistribution(phase.latency)}`);
  console.log(`    due → 201 (API)              ${describeDistribution(phase.api)}`);
  console.log(`                                 ${phase.apiBySecond}`);
  console.log(
    `    201 → worker tx began        ${describeDistribution(phase.queued)}   (outbox relay, BullMQ, pick-up)`,
  );
  console.log(`    worker tx began → committed  ${describeDistribution(phase.worker)}`);
  console.log(`    load generator lag           ${describeDistribution(phase.sendLag)}`);
  console.log(`    ${phase.cpu}`);
  for (const line of phase.sessions) console.log(`    ${line}`);
}

function printLatency(figures: LatencyFigures): void {
  console.log(
    `\nevent → task · severe complaints (adverse_reaction), each opening a task for its own (product, branch), ` +
      `sent open-loop; latency from when each request was due to the commit of its task (LISTEN/NOTIFY); ` +
      `RELAY_INTERVAL_MS ${figures.relayIntervalMs}, WORKER_CONCURRENCY ${figures.workerConcurrency}`,
  );
  for (const phase of figures.phases) printPhase(phase);
  if (figures.naive) {
    console.log(
      `  naive pipeline, same machine, same run, after ours stopped (test/bench/naive-service.ts: one INSERT ` +
        `and one BullMQ job per event, a 7-round-trip worker transaction; no auth, validation or outbox):`,
    );
    printPhase(figures.naive, `naive @${figures.naive.rate}/s`);
  }
}

const REVIEW_SCALES = {
  default: { products: 200, branchesPerCity: 25, days: 365, end: '2026-09-30', quarter: '2026-Q3' },
  full: { products: 2_000, branchesPerCity: 25, days: 365, end: '2026-09-30', quarter: '2026-Q3' },
};

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function printReviews(f: ReviewFigures): void {
  const o = f.options;
  console.log(
    `\nquarterly review · ${int(o.products)} products × ${o.branchesPerCity * 2} branches × ${o.days} days, ` +
      `${o.quarter}; seeded with COPY in ${f.seedSeconds.toFixed(0)} s`,
  );
  console.log(
    `  rows: ${Object.entries(f.counts)
      .map(([t, n]) => `${t} ${int(n)}`)
      .join(' · ')}`,
  );
  console.log(
    `  review from the rollups (${int(f.products)} products, 3 runs): ${f.rollupMs.map((m) => ms(m)).join(' · ')}` +
      ` · median ${ms(median(f.rollupMs))}`,
  );
  console.log(
    `  baseline: the quarter's per-product GROUP BY over the daily rows: ${f.rawMs.map((m) => ms(m)).join(' · ')}` +
      ` · median ${ms(median(f.rawMs))} · ratio review/baseline ${(median(f.rollupMs) / median(f.rawMs)).toFixed(3)}`,
  );
  console.log(`  a whole run (compute, store the figures, open the department tasks): ${ms(f.runMs)}`);
}

function summaryLine(phase: LatencyPhase): string {
  const missing = phase.accepted - phase.opened;
  const shortfall = missing > 0 ? ` · ${int(missing)} tasks not seen within the wait` : '';
  return (
    `figure 4 · event→task @${phase.rate}/s: achieved ${int(phase.achievedRate)}/s · ${describeDistribution(phase.latency)}` +
    ` · tasks opened at ${int(phase.taskRate)}/s${shortfall}`
  );
}

async function main(): Promise<void> {
  const started = performance.now();
  console.log(
    `Product Tower bench · ${cpus().length} cores · load average ${loadavg()[0]!.toFixed(2)} at start · node ${process.version}`,
  );
  console.log(
    'cores busy = CPU time ÷ wall time of each process over a phase; postgres and redis count every ' +
      'database and client on this machine, so other work running at the same time shows there too',
  );
  note('preparing the template database');
  await prepareTemplateDatabase();
  const only = process.env.BENCH_ONLY; // 'ingest', 'latency', 'backfill', 'reviews', 'imports', 'chain' or 'chain-year' runs one part
  const chain = only === 'chain' ? await benchChain(CHAIN) : undefined;
  if (chain) printChain(chain);
  const chainYear = only === 'chain-year' ? await benchChainYear(CHAIN_YEAR) : undefined;
  if (chainYear) printChainYear(chainYear);
  const backfill = only === undefined || only === 'backfill' ? await benchBackfill(BACKFILL) : undefined;
  if (backfill) printBackfill(backfill);
  const ingest = only === undefined || only === 'ingest' ? await benchIngest(INGEST) : undefined;
  if (ingest) printIngest(ingest);
  const latency =
    only === undefined || only === 'latency'
      ? await benchLatency(LATENCY_STEPS, WARM_UP, process.env.BENCH_NAIVE !== '0')
      : undefined;
  if (latency) printLatency(latency);
  const imports = only === undefined || only === 'imports' ? await benchImports(IMPORTS) : undefined;
  if (imports) printImports(imports);
  const scale = process.env.BENCH_REVIEW_SCALE === 'full' ? REVIEW_SCALES.full : REVIEW_SCALES.default;
  const reviews = only === undefined || only === 'reviews' ? await benchReviews(scale) : undefined;
  if (reviews) printReviews(reviews);

  console.log('\nsummary (figures are ratios within this run; say what else ran on the machine beside it)');
  if (chain) {
    console.log(
      chain.settledSeconds !== undefined
        ? `figure 2 · chain scale: one day's ${int(chain.pairs)} rows ingested and evaluated in ${chain.settledSeconds.toFixed(1)} s (target < 60 s; ingest ${chain.ingestSeconds.toFixed(1)} s)`
        : `figure 2 · chain scale: not evaluated within ${chain.options.maxWaitSeconds} s (${int(chain.left)} pairs left)`,
    );
  }
  if (chainYear) console.log(`figure 2 · chain backfill: ${chainYearLine(chainYear)}`);
  if (backfill) {
    console.log(
      `figure 1 · backfill settled / ingest alone: ${(backfill.settledSeconds / backfill.ingestAloneSeconds).toFixed(2)} ` +
        `(${backfill.settledSeconds.toFixed(1)} s / ${backfill.ingestAloneSeconds.toFixed(1)} s; target ≤ 2)`,
    );
    console.log(
      `figure 5 · peak Redis used_memory ${(backfill.redisPeakBytes / MIB).toFixed(1)} MiB ` +
        `(+${((backfill.redisPeakBytes - backfill.redisStartBytes) / MIB).toFixed(1)} MiB) · peak RSS api ` +
        `${(backfill.apiPeakRssBytes / MIB).toFixed(0)} MiB, worker ${(backfill.workerPeakRssBytes / MIB).toFixed(0)} MiB (${workerIn(backfill.options)})`,
    );
  }
  if (ingest) {
    const http = ingest.passes.find((p) => p.name === 'http')!;
    const raw = ingest.passes.find((p) => p.name === 'raw')!;
    console.log(
      `figure 3 · bulk ingest: HTTP ${int(http.rowsPerSecond)} rows/s · raw UNNEST ${int(raw.rowsPerSecond)} rows/s · ` +
        `ratio ${(http.rowsPerSecond / raw.rowsPerSecond).toFixed(3)} (target ≥ 0.5; per round ${ingest.ratios.map((r) => r.toFixed(3)).join(' · ')})`,
    );
  }
  for (const phase of latency?.phases ?? []) console.log(summaryLine(phase));
  const naive = latency?.naive;
  const ours = latency?.phases.find((p) => p.rate === naive?.rate);
  if (naive && ours) {
    console.log(
      `figure 4 · naive pipeline @${naive.rate}/s: ${describeDistribution(naive.latency)} · tasks opened at ` +
        `${int(naive.taskRate)}/s · ours ÷ naive: ${(ours.taskRate / naive.taskRate).toFixed(2)} in tasks/s`,
    );
  }
  if (reviews) {
    console.log(
      `quarterly review: ${int(reviews.counts.sales_daily ?? 0)} daily rows · ${int(reviews.counts.sales_monthly ?? 0)} rollup rows · ` +
        `review ${ms(median(reviews.rollupMs))} vs raw GROUP BY ${ms(median(reviews.rawMs))} · ratio ${(median(reviews.rollupMs) / median(reviews.rawMs)).toFixed(3)}`,
    );
  }
  if (imports) {
    const [json, csv, xlsx] = ['json', 'csv', 'xlsx'].map((n) => imports.passes.find((p) => p.name === n));
    const rss = Object.entries(imports.peakRssMiB)
      .map(([name, mib]) => `${name} ${int(mib)} MiB`)
      .join(' · ');
    console.log(
      `imports · ${int(imports.rows)} rows: CSV ${int(csv!.rowsPerSecond)} rows/s vs JSON ingest ${int(json!.rowsPerSecond)} rows/s · ` +
        `CSV/JSON rate ${(csv!.rowsPerSecond / json!.rowsPerSecond).toFixed(2)} (target ≥ 0.5)` +
        (xlsx
          ? ` · XLSX time ${(xlsx.seconds / json!.seconds).toFixed(2)} × the JSON time (target ≤ 3; ` +
            `${(xlsx.seconds / csv!.seconds).toFixed(2)} × the CSV time)`
          : ''),
    );
    console.log(
      `imports · API peak RSS while parsing: ${rss} (target < 300 MiB; before each upload: ` +
        `${Object.entries(imports.rssBeforeMiB)
          .map(([name, mib]) => `${name} ${int(mib)} MiB`)
          .join(
            ' · ',
          )}, ${imports.freshApi ? 'a fresh API process each' : 'the API of the JSON pass'}; ${imports.runtime})`,
    );
  }
  console.log(
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} at the end`,
  );
  console.log(`(bench took ${((performance.now() - started) / 1000).toFixed(0)} s)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
