// `pnpm bench`: prints figures (it asserts nothing). Bulk ingest throughput through HTTP against a raw
// UNNEST insert of the same rows, and event → task latency at steady rates. The API and the worker run
// as their own processes (services/*/src/main.ts, with their default configuration unless the
// environment says otherwise), as a deployment runs them; this process generates the load, measures,
// and seeds its own throwaway databases.
//
//   BENCH_ONLY=ingest | latency | imports   run one part
//   BENCH_IMPORT_DAYS=500 (1,000,000 rows), BENCH_IMPORTS_XLSX=0 skips the XLSX pass
//   RELAY_INTERVAL_MS=20, WORKER_CONCURRENCY=16 …   passed on to the services
//   BENCH_SERVICE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof'   node flags for the service processes
import './env.js';
import { cpus, loadavg } from 'node:os';
import { prepareTemplateDatabase } from '@tower/db/testing';
import { benchImports, type ImportFigures } from './imports.js';
import { benchIngest, type IngestFigures } from './ingest.js';
import { benchLatency, type LatencyFigures, type LatencyPhase } from './latency.js';
import { describeDistribution, int, ms, note } from './stats.js';

const INGEST = { products: 200, branches: 10, days: 100, batchSize: 5_000, concurrency: 4 };
const LATENCY_STEPS = [
  // A rate well under capacity first: the latency of the pipeline itself, without a queue.
  { rate: 50, count: 500 },
  { rate: 200, count: 2_000 },
  { rate: 1_000, count: 10_000 },
];
const WARM_UP = { rate: 100, count: 200 };
// 1,000,000 rows by default; BENCH_IMPORT_DAYS scales it (each day is products × branches rows).
const IMPORTS = {
  products: 200,
  branches: 10,
  days: Number(process.env.BENCH_IMPORT_DAYS ?? 500),
  jsonBatch: 10_000,
  jsonConcurrency: 4,
};

function printImports(figures: ImportFigures): void {
  console.log(
    `\nimports · ${int(figures.rows)} sales rows, from the first byte sent to every row stored, each pass into ` +
      'empty tables; the API and a worker run in their own processes (evaluations follow in the background)',
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
      `${int(options.batchSize)}, ${options.concurrency} at a time, each pass into empty tables; no worker running`,
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

function printLatency(figures: LatencyFigures): void {
  console.log(
    `\nevent → task · severe complaints (adverse_reaction), each opening a task for its own (product, branch), ` +
      `sent open-loop; latency from when each request was due to the commit of its task (LISTEN/NOTIFY); ` +
      `RELAY_INTERVAL_MS ${figures.relayIntervalMs}, WORKER_CONCURRENCY ${figures.workerConcurrency}`,
  );
  for (const phase of figures.phases) {
    console.log(
      `  @${phase.rate}/s  sent ${int(phase.count)} at ${int(phase.achievedRate)}/s (${phase.accepted} accepted, ${phase.failed} failed)` +
        ` · ${int(phase.opened)} tasks at ${int(phase.taskRate)}/s`,
    );
    if (phase.firstFailure) console.log(`    first failure: ${phase.firstFailure}`);
    console.log(`    due → task committed         ${describeDistribution(phase.latency)}`);
    console.log(`    due → 201 (API)              ${describeDistribution(phase.api)}`);
    console.log(
      `    201 → worker tx began        ${describeDistribution(phase.queued)}   (outbox relay, BullMQ, pick-up)`,
    );
    console.log(`    worker tx began → committed  ${describeDistribution(phase.worker)}`);
    console.log(`    load generator lag           ${describeDistribution(phase.sendLag)}`);
    console.log(`    ${phase.cpu}`);
    for (const line of phase.sessions) console.log(`    ${line}`);
  }
}

function summaryLine(phase: LatencyPhase): string {
  const missing = phase.accepted - phase.opened;
  const shortfall = missing > 0 ? ` · ${int(missing)} tasks not seen within the wait` : '';
  return (
    `event→task @${phase.rate}/s: achieved ${int(phase.achievedRate)}/s · ${describeDistribution(phase.latency)}` +
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
  const only = process.env.BENCH_ONLY; // 'ingest' or 'latency' runs one half
  const imports = only === undefined || only === 'imports' ? await benchImports(IMPORTS) : undefined;
  if (imports) printImports(imports);
  const ingest = only === 'latency' || only === 'imports' ? undefined : await benchIngest(INGEST);
  if (ingest) printIngest(ingest);
  const latency =
    only === 'ingest' || only === 'imports' ? undefined : await benchLatency(LATENCY_STEPS, WARM_UP);
  if (latency) printLatency(latency);

  console.log('\nsummary');
  if (ingest) {
    const http = ingest.passes.find((p) => p.name === 'http')!;
    const raw = ingest.passes.find((p) => p.name === 'raw')!;
    console.log(
      `bulk ingest: HTTP ${int(http.rowsPerSecond)} rows/s · raw UNNEST ${int(raw.rowsPerSecond)} rows/s · ` +
        `ratio ${(http.rowsPerSecond / raw.rowsPerSecond).toFixed(3)}`,
    );
  }
  for (const phase of latency?.phases ?? []) console.log(summaryLine(phase));
  if (imports) {
    const [json, csv, xlsx] = ['json', 'csv', 'xlsx'].map((n) => imports.passes.find((p) => p.name === n));
    const rss = Object.entries(imports.peakRssMiB)
      .map(([name, mib]) => `${name} ${int(mib)} MiB`)
      .join(' · ');
    console.log(
      `imports: CSV ${int(csv!.rowsPerSecond)} rows/s vs JSON ingest ${int(json!.rowsPerSecond)} rows/s · ratio ` +
        `${(csv!.rowsPerSecond / json!.rowsPerSecond).toFixed(2)} (target ≥ 0.5)` +
        (xlsx ? ` · XLSX ${(xlsx.seconds / csv!.seconds).toFixed(2)} × the CSV time (target ≤ 3)` : '') +
        ` · API peak RSS while parsing: ${rss} (idle ${int(imports.idleRssMiB)} MiB; target < 300 MiB)`,
    );
  }
  console.log(`(bench took ${((performance.now() - started) / 1000).toFixed(0)} s)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
