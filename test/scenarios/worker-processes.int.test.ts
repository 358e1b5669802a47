import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '@tower/config';
import { createTestDatabase, type TestDatabase } from '@tower/db/testing';
import { createRedis, QUEUES, QueueSet } from '@tower/queue';
import { eventually } from '../support/stack.js';
import { killAll, spawnWorkerMain } from '../support/worker-process.js';

const redisUrl = loadConfig(process.env).redisUrl;

let testDb: TestDatabase;
let queuePrefix: string;
let queues: QueueSet;
const children: ChildProcess[] = [];

beforeAll(async () => {
  testDb = await createTestDatabase();
  queuePrefix = `test-${randomBytes(4).toString('hex')}`;
  queues = new QueueSet({ redisUrl, prefix: queuePrefix });
});

afterAll(async () => {
  await killAll(children);
  await queues?.close();
  const redis = createRedis(redisUrl);
  await redis.connect();
  const keys = await redis.keys(`${queuePrefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
  await testDb?.drop();
});

interface LogLine {
  readonly pid: number;
  readonly msg: string;
  readonly helper?: number;
  readonly level: number;
}

/** The real worker entry point with WORKER_PROCESSES=2; its JSON log lines collected as they come. */
function startWorkerProcess(): { child: ChildProcess; lines: LogLine[] } {
  // The helpers inherit the primary's stdout: one stream holds every process's lines.
  const child = spawnWorkerMain(
    { DATABASE_URL: testDb.url, QUEUE_PREFIX: queuePrefix, LOG_LEVEL: 'info', WORKER_PROCESSES: '2' },
    'pipe',
  );
  children.push(child);
  const lines: LogLine[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line.startsWith('{')) lines.push(JSON.parse(line) as LogLine);
  });
  return { child, lines };
}

const helperStarts = (lines: readonly LogLine[]) => lines.filter((l) => l.msg === 'worker helper started');

/** Does BullMQ list two worker connections on every queue (each process runs one Worker per queue)? */
async function bothWorking(): Promise<boolean> {
  const counts = await Promise.all(
    QUEUES.map(async (name) => (await queues.byName[name].getWorkers()).length),
  );
  return counts.every((n) => n === 2);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// Each process compiles the sources with tsx as it starts: allow for a loaded machine.
it(
  'runs a helper beside the primary, restarts it when it dies, and stops it with the primary',
  { timeout: 120_000 },
  async () => {
    const { child: primary, lines } = startWorkerProcess();
    const helper = await eventually('the helper to start', async () => helperStarts(lines)[0], 60_000);
    expect(helper.helper).toBe(1);
    expect(helper.pid).not.toBe(primary.pid);
    // Both processes work every queue.
    await eventually('two workers on every queue', bothWorking, 30_000);

    // A helper that dies is started again, as a new process, and works every queue.
    process.kill(helper.pid, 'SIGKILL');
    const restarted = await eventually(
      'the helper to start again',
      async () => helperStarts(lines)[1],
      60_000,
    );
    expect(restarted.pid).not.toBe(helper.pid);
    expect(lines.some((l) => l.msg === 'worker helper exited; restarting it' && l.level === 50)).toBe(true);
    await eventually('two workers on every queue again', bothWorking, 30_000);

    // The primary killed without a goodbye: its helper sees the IPC channel close and stops on its own.
    const primaryExited = new Promise((resolve) => primary.once('exit', resolve));
    primary.kill('SIGKILL');
    await primaryExited;
    await eventually('the helper to exit', async () => !isAlive(restarted.pid), 30_000);
  },
);

it('stops every process gracefully on SIGTERM', { timeout: 120_000 }, async () => {
  const { child: primary, lines } = startWorkerProcess();
  const helper = await eventually('the helper to start', async () => helperStarts(lines)[0], 60_000);
  const exitCode = new Promise<number | null>((resolve) => primary.once('exit', (code) => resolve(code)));
  primary.kill('SIGTERM');
  expect(await exitCode).toBe(0);
  expect(isAlive(helper.pid)).toBe(false);
  // Both said so: the primary's stop waits for its helpers' exits.
  expect(
    lines
      .filter((l) => l.msg === 'stopped')
      .map((l) => l.pid)
      .sort(),
  ).toEqual([primary.pid, helper.pid].sort());
});
