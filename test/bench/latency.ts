import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { loadConfig } from '@tower/config';
import { createTestDatabase } from '@tower/db/testing';
import { HttpClient, ingestClient } from './http.js';
import { NAIVE_TABLES } from './naive-service.js';
import {
  describeCpu,
  dropQueueKeys,
  freePort,
  sampleCpu,
  startScript,
  startService,
  waitForHealth,
  type ServiceProcess,
} from './processes.js';
import { seedCatalogue } from './seed.js';
import { describeDistribution, distribution, int, note, type Distribution } from './stats.js';
import { WaitSampler } from './waits.js';

// `pg` ships no types and @types/pg is not a dependency of test/: the few calls used here, typed.
interface PgNotification {
  readonly channel: string;
  readonly payload?: string;
}
interface PgClient {
  connect(): Promise<void>;
  query(text: string): Promise<unknown>;
  on(event: 'notification', listener: (message: PgNotification) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  end(): Promise<void>;
}
const pg = createRequire(import.meta.url)('pg') as {
  Client: new (config: { connectionString: string }) => PgClient;
};

/** Wall-clock milliseconds with sub-millisecond resolution (comparable with Postgres `now()`). */
const nowMs = () => performance.timeOrigin + performance.now();

const CHANNEL = 'bench_task_opened';

/** How long a step waits for its tasks after the last answer of the API (bounds the bench's run time). */
const WAIT_AFTER_LAST_ANSWER_MS = 60_000;

/**
 * Tells the bench the moment a task becomes visible: a NOTIFY is delivered when the inserting
 * transaction commits. Installed in the bench's own throwaway database only.
 */
const TRIGGER = `
  create function bench_task_opened() returns trigger language plpgsql as $$
  begin
    perform pg_notify('${CHANNEL}', new.product_id::text || ' ' || coalesce(new.branch_id::text, ''));
    return null;
  end $$;
  create trigger bench_task_opened after insert on tasks
    for each row when (new.signal = 'severe_complaint') execute function bench_task_opened();
  ${NAIVE_TABLES}
  create trigger bench_naive_task_opened after insert on naive_tasks
    for each row execute function bench_task_opened();
`;

export interface LatencyStep {
  readonly rate: number;
  readonly count: number;
}

export interface LatencyPhase {
  readonly rate: number;
  readonly count: number;
  /** Requests sent per second, first to last. */
  readonly achievedRate: number;
  readonly accepted: number;
  readonly failed: number;
  readonly firstFailure?: string;
  /** Tasks that appeared within the wait. */
  readonly opened: number;
  /** Tasks opened per second, from the first send to the last task. */
  readonly taskRate: number;
  /** Send time → task visible (committed), from the time each request was due. */
  readonly latency: Distribution;
  /** How late requests left against the schedule (the load generator's own lag). */
  readonly sendLag: Distribution;
  /** Due → 201 received. */
  readonly api: Distribution;
  /** The API's slowest answers by when they were due: the worst second of the step, and where it lies. */
  readonly apiBySecond: string;
  /** 201 received → the worker's transaction began (tasks.created_at): relay, BullMQ, pick-up. */
  readonly queued: Distribution;
  /** The worker's transaction began → committed (NOTIFY received). */
  readonly worker: Distribution;
  readonly cpu: string;
  /** What the services' Postgres sessions were doing, on average. */
  readonly sessions: readonly string[];
}

export interface LatencyFigures {
  readonly relayIntervalMs: string;
  readonly workerConcurrency: string;
  readonly phases: readonly LatencyPhase[];
  /**
   * The naive pipeline (test/bench/naive-service.ts: one INSERT and one job per event, a 7-round-trip
   * worker transaction) at the last step's rate, in its own API and worker processes, after ours stopped.
   */
  readonly naive?: LatencyPhase;
}

/** Where a step sends its events and where their tasks appear. */
interface Target {
  readonly client: HttpClient;
  readonly path: string;
  readonly tasks: 'tasks' | 'naive_tasks';
  readonly services: readonly ServiceProcess[];
}

interface Sent {
  readonly key: string;
  readonly due: number;
  sentAt: number;
  answeredAt: number;
  status: number;
  error?: string;
}

/** The slowest API answer (due → 201) of each second of a step, for the first seconds and the worst. */
function slowestSeconds(sent: readonly Sent[], start: number): string {
  const worst = new Map<number, number>();
  for (const s of sent) {
    const second = Math.floor((s.due - start) / 1000);
    worst.set(second, Math.max(worst.get(second) ?? 0, s.answeredAt - s.due));
  }
  const seconds = [...worst.keys()].sort((a, b) => a - b);
  const at = (second: number) => `${second}s ${Math.round(worst.get(second)!)} ms`;
  const [slowest] = [...seconds].sort((a, b) => worst.get(b)! - worst.get(a)!);
  return `max per second of sending: ${seconds.slice(0, 4).map(at).join(' · ')}${seconds.length > 4 ? ' …' : ''}; slowest ${slowest === undefined ? '—' : at(slowest)}`;
}

/**
 * Event → task latency: severe complaints (`adverse_reaction`), each for a (product, branch) with no
 * open task, so each one opens a task. Sent open-loop at a steady rate to the API process while the
 * worker process runs; a task counts from the commit that made it visible.
 */
export async function benchLatency(
  steps: readonly LatencyStep[],
  warmUp: LatencyStep,
  naive = true,
): Promise<LatencyFigures> {
  const needed = warmUp.count + steps.reduce((sum, s) => sum + s.count, 0);
  const products = 200;
  const branches = Math.ceil(needed / products);
  const testDb = await createTestDatabase();
  const { db } = testDb;
  const queuePrefix = `bench-${randomBytes(4).toString('hex')}`;
  let services: ServiceProcess[] = [];
  const listener = new pg.Client({ connectionString: testDb.url });
  let client: HttpClient | undefined;
  try {
    const catalogue = await seedCatalogue(db, { departments: 4, branches, products });
    await sql.raw(TRIGGER).execute(db);
    const visibleAt = new Map<string, number>();
    listener.on('error', (error) => console.error('bench: listener error', error));
    listener.on('notification', (message) => {
      if (message.channel === CHANNEL && message.payload && !visibleAt.has(message.payload))
        visibleAt.set(message.payload, nowMs());
    });
    await listener.connect();
    await listener.query(`listen ${CHANNEL}`);

    const port = await freePort();
    const env = {
      DATABASE_URL: testDb.url,
      QUEUE_PREFIX: queuePrefix,
      HOST: '127.0.0.1',
      PORT: String(port),
    };
    services.push(startService('api', env), startService('worker', env));
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForHealth(baseUrl);
    client = await ingestClient(baseUrl, catalogue.admin.token, 'Bench complaints feed');

    // (product, branch) pairs, products varying fastest: consecutive events touch different products.
    const pairs = Array.from({ length: needed }, (_, k) => ({
      productId: catalogue.productIds[k % products]!,
      branchId: catalogue.branchIds[Math.floor(k / products)]!,
    }));
    let nextPair = 0;
    const occurredAt = new Date(Date.now() - 3600_000).toISOString();
    const phases: LatencyPhase[] = [];

    const runStep = async (step: LatencyStep, label: string, target: Target): Promise<LatencyPhase> => {
      const mine = pairs.slice(nextPair, nextPair + step.count);
      nextPair += step.count;
      const sent: Sent[] = [];
      const sampler = new WaitSampler(db, testDb.name);
      sampler.start();
      const before = sampleCpu(target.services);
      const interval = 1000 / step.rate;
      const start = nowMs() + 20;
      const inFlight: Promise<void>[] = [];
      const send = (i: number) => {
        const pair = mine[i]!;
        const record: Sent = {
          key: `${pair.productId} ${pair.branchId}`,
          due: start + i * interval,
          sentAt: nowMs(),
          answeredAt: 0,
          status: 0,
        };
        sent.push(record);
        const body = JSON.stringify({
          externalId: `${label}-${i}`,
          ...pair,
          occurredAt,
          category: 'adverse_reaction',
          severity: 'high',
          text: 'Redness and swelling two days after the session; the customer called back from 13812345678.',
          customerPhone: '13812345678',
        });
        inFlight.push(
          target.client.post(target.path, body).then(
            (answer) => {
              record.answeredAt = nowMs();
              record.status = answer.status;
              if (answer.status !== 201) record.error = `${answer.status} ${answer.body.slice(0, 300)}`;
            },
            (error: Error) => {
              record.answeredAt = nowMs();
              record.error = error.message;
            },
          ),
        );
      };
      for (let i = 0; i < mine.length;) {
        const now = nowMs();
        while (i < mine.length && start + i * interval <= now) send(i++);
        if (i < mine.length) await sleep(Math.min(5, Math.max(0, start + i * interval - nowMs())));
      }
      await Promise.all(inFlight);
      const accepted = sent.filter((s) => s.status === 201);

      // Every accepted event opens one task; wait for them, up to WAIT_AFTER_LAST_ANSWER_MS after the
      // last answer, then read when each transaction began. A task not seen by then counts as
      // "later than the wait" in the percentiles.
      const waitUntil = nowMs() + WAIT_AFTER_LAST_ANSWER_MS;
      while (accepted.some((s) => !visibleAt.has(s.key)) && nowMs() < waitUntil) await sleep(50);
      const waitedFromLastDue = Math.min(nowMs(), waitUntil) - (sent.at(-1)?.due ?? start);
      const after = sampleCpu(target.services);
      await sampler.stop();
      const { rows } = await sql<{ key: string; createdMs: number }>`
        select product_id::text || ' ' || branch_id::text as key, extract(epoch from created_at)::float8 * 1000 as created_ms
        from ${sql.table(target.tasks)} ${target.tasks === 'tasks' ? sql`where signal = 'severe_complaint'` : sql``}
      `.execute(db);
      const createdAt = new Map(rows.map((r) => [r.key, r.createdMs]));

      const opened = accepted.filter((s) => visibleAt.has(s.key));
      const lastVisible = opened.reduce((last, s) => Math.max(last, visibleAt.get(s.key)!), start);
      const failures = sent.filter((s) => s.error !== undefined);
      const phase: LatencyPhase = {
        rate: step.rate,
        count: step.count,
        achievedRate:
          sent.length > 1 ? ((sent.length - 1) * 1000) / (sent.at(-1)!.sentAt - sent[0]!.sentAt) : Number.NaN,
        accepted: accepted.length,
        failed: failures.length,
        ...(failures[0]?.error ? { firstFailure: failures[0].error } : {}),
        opened: opened.length,
        taskRate: opened.length > 0 ? (opened.length * 1000) / (lastVisible - start) : 0,
        latency: distribution(
          accepted.map((s) => (visibleAt.has(s.key) ? visibleAt.get(s.key)! - s.due : Infinity)),
          waitedFromLastDue,
        ),
        sendLag: distribution(sent.map((s) => s.sentAt - s.due)),
        api: distribution(accepted.map((s) => s.answeredAt - s.due)),
        apiBySecond: slowestSeconds(accepted, start),
        queued: distribution(
          opened.flatMap((s) => (createdAt.has(s.key) ? [createdAt.get(s.key)! - s.answeredAt] : [])),
        ),
        worker: distribution(
          opened.flatMap((s) =>
            createdAt.has(s.key) ? [visibleAt.get(s.key)! - createdAt.get(s.key)!] : [],
          ),
        ),
        cpu: describeCpu(before, after),
        sessions: sampler.describe(),
      };
      note(
        `${label}: sent ${int(sent.length)} at ${int(phase.achievedRate)}/s · ${int(phase.opened)} tasks · ` +
          `${describeDistribution(phase.latency)} · ${phase.cpu}`,
      );
      return phase;
    };

    const ours: Target = { client, path: '/api/ingest/complaints', tasks: 'tasks', services };
    await runStep(warmUp, 'warm-up', ours);
    for (const step of steps) {
      await sleep(1000);
      phases.push(await runStep(step, `at-${step.rate}`, ours));
    }
    const config = loadConfig(process.env);
    const figures = {
      relayIntervalMs: `${config.relayIntervalMs}${process.env.RELAY_INTERVAL_MS ? '' : ' (default)'}`,
      workerConcurrency: `${config.workerConcurrency}${process.env.WORKER_CONCURRENCY ? '' : ' (default)'}`,
      phases,
    };
    const last = steps.at(-1);
    if (!naive || !last) return figures;

    // The naive pipeline on the same machine, the same pairs and the same rate, once ours has stopped.
    for (const service of services) await service.stop();
    client.close();
    const naivePort = await freePort();
    const naiveEnv = { ...env, PORT: String(naivePort), REDIS_URL: config.redisUrl };
    services = [
      startScript('naive-api', 'test/bench/naive-service.ts', ['api'], naiveEnv),
      startScript('naive-worker', 'test/bench/naive-service.ts', ['worker'], naiveEnv),
    ];
    await waitForHealth(`http://127.0.0.1:${naivePort}`);
    client = new HttpClient(`http://127.0.0.1:${naivePort}`);
    visibleAt.clear();
    nextPair = 0;
    const target: Target = { client, path: '/events', tasks: 'naive_tasks', services };
    await runStep(warmUp, 'naive warm-up', target);
    await sleep(1000);
    return { ...figures, naive: await runStep(last, `naive at-${last.rate}`, target) };
  } finally {
    client?.close();
    for (const service of services) await service.stop();
    await listener.end().catch(() => undefined);
    await dropQueueKeys(queuePrefix);
    await testDb.drop();
  }
}
