// The fault suite (`pnpm test:faults`): real processes — a Redis of its own, the API, two workers —
// a bounded load of severe complaints, and faults in between: a worker SIGKILLed, both workers at
// once, Redis killed and restarted empty, a FLUSHALL, the API SIGKILLed. Afterwards every accepted
// complaint is stored once, every task exists once, every due escalation fired and every notification
// was delivered (receivers may see a repeat, with the same delivery id).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '@tower/db/testing';
import { makeBranch, makeDepartment, makePerson, type TestPerson } from '../support/api.js';
import { makeLiveProduct } from '../support/stack.js';
import { freePortFrom, startRedis, startService, waitForOk, type Proc } from './processes.js';

const PRODUCTS = 4;
const BRANCHES = 3;
const COMPLAINTS_PER_PHASE = [60, 40, 40, 40, 60] as const;
const SLA_SECONDS = 15;
const PREFIX = 'tower-faults';

let testDb: TestDatabase;
let redisPort: number;
let redis: Proc;
let apiPort: number;
let api: Proc;
const workers: Proc[] = [];
let admin: TestPerson;
let ingestKey: string;
let receiver: { url: string; deliveries: { id: string; event: string }[]; close(): Promise<void> };
const keys: { productId: string; branchId: string }[] = [];
const log: string[] = [];
const started = Date.now();
const note = (what: string) => log.push(`${((Date.now() - started) / 1000).toFixed(1)} s ${what}`);

function env(): Record<string, string> {
  return {
    DATABASE_URL: testDb.url,
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    QUEUE_PREFIX: PREFIX,
    PORT: String(apiPort),
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.FAULTS_VERBOSE ? 'warn' : 'silent',
    RELAY_INTERVAL_MS: '100',
    RECONCILE_INTERVAL_MS: '10000',
    WORKER_CONCURRENCY: '4',
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
    PUBLIC_URL: 'http://tower.test',
  };
}

const startApiProcess = () => startService('api', 'api', env());
const startWorkerProcess = (n: number) => startService('worker', `worker-${n}`, env());

async function startReceiver() {
  const deliveries: { id: string; event: string }[] = [];
  const server: Server = createServer((req, res) => {
    let data = '';
    req.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
    req.on('end', () => {
      const body = JSON.parse(data || '{}') as { event?: string };
      deliveries.push({ id: String(req.headers['x-tower-delivery-id']), event: body.event ?? '' });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    deliveries,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function apiCall(
  method: string,
  path: string,
  token: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`http://127.0.0.1:${apiPort}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const statuses = new Map<number, number>();
const accepted = new Set<string>();

/** Sends one complaint until it is accepted, as an integration that retries would (same key, same body). */
async function sendComplaint(i: number): Promise<void> {
  const key = keys[i % keys.length]!;
  const body = {
    externalId: `FAULT-${i}`,
    productId: key.productId,
    branchId: key.branchId,
    occurredAt: new Date(Date.UTC(2026, 10, 1, 3, 0, i % 60)).toISOString(),
    category: 'adverse_reaction',
    severity: 'high',
    text: `Swelling after session ${i}`,
  };
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      const answer = await apiCall('POST', '/api/ingest/complaints', ingestKey, body, {
        'idempotency-key': body.externalId,
      });
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      if (answer.status === 200 || answer.status === 201) {
        accepted.add(body.externalId);
        return;
      }
      if (answer.status < 500 && answer.status !== 409 && answer.status !== 429) {
        throw new Error(`complaint ${i} refused: ${answer.status} ${JSON.stringify(answer.body)}`);
      }
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('complaint')) throw error;
      // the API is down or restarting: retry
    }
    if (Date.now() > deadline) throw new Error(`complaint ${i} never accepted`);
    await sleep(200);
  }
}

/** Sends `count` complaints from `from`, 8 at a time; `during` runs once `count / 3` are in. */
async function phase(from: number, count: number, during: () => Promise<void>): Promise<number> {
  let next = from;
  let sent = 0;
  let fault: Promise<void> | undefined;
  const lane = async () => {
    while (next < from + count) {
      const i = next++;
      await sendComplaint(i);
      sent++;
      if (!fault && sent >= count / 3) fault = during();
    }
  };
  await Promise.all(Array.from({ length: 8 }, lane));
  await fault;
  return from + count;
}

async function eventually<T>(
  what: string,
  probe: () => Promise<T | false | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(500);
  }
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  redisPort = await freePortFrom(6391);
  redis = await startRedis(redisPort);
  apiPort = await freePortFrom(3108);
  receiver = await startReceiver();

  const db = testDb.db;
  const departmentId = (await makeDepartment(db, 'injection')).id;
  admin = await makePerson(db, [{ role: 'admin' }], 'Admin');
  const owner = await makePerson(db, [{ role: 'product_manager' }], 'Owner');
  const people = [
    await makePerson(db, [{ role: 'director' }], 'Director'),
    await makePerson(db, [{ role: 'compliance_officer' }], 'Compliance'),
  ];
  const branchIds: string[] = [];
  for (let b = 0; b < BRANCHES; b++) {
    const branchId = (await makeBranch(db, `f${b}`)).id;
    branchIds.push(branchId);
    people.push(
      await makePerson(db, [{ role: 'department_manager', departmentId, branchId }], `Manager ${b}`),
    );
  }
  await db
    .insertInto('personChannels')
    .values(people.map((p) => ({ personId: p.id, kind: 'webhook', url: `${receiver.url}/${p.id}` })))
    .execute();
  for (let p = 0; p < PRODUCTS; p++) {
    const productId = await makeLiveProduct(db, { departmentId, ownerId: owner.id, name: `Filler ${p}` });
    for (const branchId of branchIds) keys.push({ productId, branchId });
  }

  api = startApiProcess();
  workers.push(startWorkerProcess(1), startWorkerProcess(2));
  await waitForOk(`http://127.0.0.1:${apiPort}/health`);
  const key = await apiCall('POST', '/api/api-keys', admin.token, { name: 'faults', scopes: ['ingest'] });
  expect(key.status).toBe(201);
  ingestKey = String(key.body.key);
  const rules = await apiCall('PUT', '/api/rules', admin.token, {
    signals: { severe_complaint: { ackSlaSeconds: SLA_SECONDS } },
  });
  expect(rules.status, JSON.stringify(rules.body)).toBe(200);
  note('stack up');
}, 120_000);

afterAll(async () => {
  for (const proc of [api, ...workers]) await proc?.stop().catch(() => undefined);
  await redis?.kill();
  await receiver?.close();
  await testDb?.drop();
  console.log(`faults: ${log.join('; ')}`);
});

describe('faults under a bounded load', () => {
  it('stores every accepted complaint once, opens every task once, escalates and delivers everything', async () => {
    let next = 0;
    next = await phase(next, COMPLAINTS_PER_PHASE[0], async () => {
      await workers[0]!.kill();
      note('worker-1 SIGKILL');
      await sleep(1000);
      workers[0] = startWorkerProcess(1);
    });
    next = await phase(next, COMPLAINTS_PER_PHASE[1], async () => {
      await Promise.all([workers[0]!.kill(), workers[1]!.kill()]);
      note('both workers SIGKILL');
      await sleep(2000);
      workers[0] = startWorkerProcess(1);
      workers[1] = startWorkerProcess(2);
    });
    next = await phase(next, COMPLAINTS_PER_PHASE[2], async () => {
      await redis.kill();
      note('redis SIGKILL');
      await sleep(2000);
      redis = await startRedis(redisPort);
      note('redis back, empty');
    });
    next = await phase(next, COMPLAINTS_PER_PHASE[3], async () => {
      const client = new Redis({
        port: redisPort,
        host: '127.0.0.1',
        lazyConnect: true,
        maxRetriesPerRequest: 1,
      });
      await client.connect();
      await client.flushall();
      await client.quit();
      note('FLUSHALL');
    });
    next = await phase(next, COMPLAINTS_PER_PHASE[4], async () => {
      await api.kill();
      note('api SIGKILL');
      api = startApiProcess();
    });
    note(`load done: ${next} complaints accepted`);

    const db = testDb.db;
    // Every accepted fact stored once.
    expect(accepted.size).toBe(next);
    const stored = await db
      .selectFrom('complaints')
      .select([
        sql<number>`count(*)::int`.as('n'),
        sql<number>`count(distinct external_id)::int`.as('distinct'),
      ])
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ n: next, distinct: next });
    expect(statuses.get(500) ?? 0).toBe(0);

    // Every task once: one severe_complaint task per (product, branch), holding every complaint's evidence.
    await eventually(
      'every complaint evaluated into its task',
      async () => {
        const signals = await db
          .selectFrom('signals')
          .select(sql<number>`count(*)::int`.as('n'))
          .where('signal', '=', 'severe_complaint')
          .executeTakeFirstOrThrow();
        return signals.n === next;
      },
      120_000,
    );
    const tasks = await db
      .selectFrom('tasks')
      .select(['productId', 'branchId', sql<number>`count(*)::int`.as('n')])
      .where('signal', '=', 'severe_complaint')
      .groupBy(['productId', 'branchId'])
      .execute();
    expect(tasks).toHaveLength(keys.length);
    expect(tasks.every((t) => t.n === 1)).toBe(true);
    note('every task once');

    // Every due escalation fired (the SLA is SLA_SECONDS; nobody acknowledges).
    await eventually(
      'every task escalated',
      async () => {
        const rows = await db
          .selectFrom('tasks')
          .select('escalationLevel')
          .where('signal', '=', 'severe_complaint')
          .execute();
        return rows.every((r) => r.escalationLevel === 1);
      },
      120_000,
    );
    note('every escalation fired');

    // Every notification delivered, each delivery id seen by the receiver.
    await eventually(
      'every notification delivered',
      async () => {
        const pending = await db
          .selectFrom('notifications')
          .select('id')
          .where('status', '!=', 'sent')
          .execute();
        return pending.length === 0;
      },
      120_000,
    );
    const notifications = await db.selectFrom('notifications').select(['id', 'reason']).execute();
    const seen = new Set(receiver.deliveries.map((d) => d.id));
    expect(notifications.filter((n) => !seen.has(n.id))).toEqual([]);
    expect(notifications.some((n) => n.reason.startsWith('escalated'))).toBe(true);
    const repeats = receiver.deliveries.length - seen.size;
    note(
      `${notifications.length} notifications delivered (${repeats} repeats, same delivery id); statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
  });
});
