// `pnpm bench`: prints figures (it asserts nothing). Ingest throughput through HTTP against a raw UNNEST
// insert of the same rows, and event → task latency at steady rates. The API and the worker run as
// their own processes (services/*/src/main.ts), as a deployment runs them; this process only loads
// them, measures, and seeds its own throwaway databases.
import './env.js';
import { cpus, loadavg } from 'node:os';
import { prepareTemplateDatabase } from '@tower/db/testing';
import { benchIngest, type IngestFigures } from './ingest.js';
import { benchLatency, type LatencyFigures, type LatencyPhase } from './latency.js';
import { describeDistribution, int, ms, note } from './stats.js';

const INGEST = { products: 200, branches: 10, days: 100, batchSize: 5_000, concurrency: 4 };
const LATENCY_STEPS = [
  { rate: 200, count: 2_000 },
  { rate: 1_000, count: 10_000 },
];
const WARM_UP = { rate: 100, count: 200 };

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
    console.log(`  ${''.padEnd(10)} ${pass.cpu}`);
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
    console.log(`    201 → worker tx began        ${describeDistribution(phase.queued)}   (outbox relay, BullMQ, pick-up)`);
    console.log(`    worker tx began → committed  ${describeDistribution(phase.worker)}`);
    console.log(`    load generator lag           ${describeDistribution(phase.sendLag)}`);
    console.log(`    ${phase.cpu}`);
  }
}

function summaryLine(phase: LatencyPhase): string {
  const shortfall = phase.opened < phase.accepted ? ` · ${phase.accepted - phase.opened} tasks still missing` : '';
  return (
    `event→task @${phase.rate}/s: achieved ${int(phase.achievedRate)}/s · p50 ${ms(phase.latency.p50)} · ` +
    `p95 ${ms(phase.latency.p95)} · p99 ${ms(phase.latency.p99)} · max ${ms(phase.latency.max)}${shortfall}`
  );
}

async function main(): Promise<void> {
  const started = performance.now();
  console.log(
    `Product Tower bench · ${cpus().length} cores · load average ${loadavg()[0]!.toFixed(2)} at start · node ${process.version}`,
  );
  note('preparing the template database');
  await prepareTemplateDatabase();
  const ingest = await benchIngest(INGEST);
  printIngest(ingest);
  const latency = await benchLatency(LATENCY_STEPS, WARM_UP);
  printLatency(latency);

  const http = ingest.passes.find((p) => p.name === 'http')!;
  const raw = ingest.passes.find((p) => p.name === 'raw')!;
  console.log('\nsummary');
  console.log(
    `bulk ingest: HTTP ${int(http.rowsPerSecond)} rows/s · raw UNNEST ${int(raw.rowsPerSecond)} rows/s · ` +
      `ratio ${(http.rowsPerSecond / raw.rowsPerSecond).toFixed(3)}`,
  );
  for (const phase of latency.phases) console.log(summaryLine(phase));
  console.log(`(bench took ${((performance.now() - started) / 1000).toFixed(0)} s)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
