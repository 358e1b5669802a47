import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import {
  call,
  makeDepartment,
  makePerson,
  startApi,
  type ApiHarness,
  type TestPerson,
} from '../support/api.js';
import { multipartBody } from '../support/multipart.js';
import { eventually, makeLiveProduct } from '../support/stack.js';
import { killAll, spawnWorkerMain } from '../support/worker-process.js';

const ROWS = 3_000;
const BATCH = 25;

let h: ApiHarness;
let manager: TestPerson;
let productId: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  h = await startApi({ IMPORT_BATCH_ROWS: String(BATCH) });
  const departmentId = (await makeDepartment(h.db, 'inject')).id;
  manager = await makePerson(h.db, [{ role: 'product_manager' }]);
  productId = await makeLiveProduct(h.db, { departmentId, ownerId: manager.id, name: '玻尿酸 1ml' });
});

afterAll(async () => {
  await killAll(children);
  await h?.close();
});

/** The real worker entry point in a process of its own, on this file's database and queue prefix. */
function startWorkerProcess(): ChildProcess {
  const child = spawnWorkerMain({
    DATABASE_URL: h.testDb.url,
    QUEUE_PREFIX: h.queuePrefix,
    LOG_LEVEL: 'silent',
    WORKER_CONCURRENCY: '2',
    RELAY_INTERVAL_MS: '50',
    // A dead worker's commit is taken over once its lock lapses: a second here, 30 s by default.
    IMPORT_JOB_LOCK_MS: '1000',
  });
  children.push(child);
  return child;
}

const batchesDone = async (importId: string) =>
  (
    await sql<{
      n: number;
    }>`select count(*)::int as n from import_batches where import_id = ${importId}`.execute(h.db)
  ).rows[0]!.n;

// Two worker processes start here (tsx compiles the sources each time): allow for a loaded machine.
it(
  'resumes a commit whose worker was killed mid-way and stores each row once',
  { timeout: 180_000 },
  async () => {
    const lines = Array.from(
      { length: ROWS },
      (_, i) => `玻尿酸 1ml,竞品机构${i},${(1_000 + i).toFixed(2)},2026-11-03,新氧`,
    );
    const { payload, headers } = multipartBody(
      { kind: 'competitor-prices' },
      { name: 'competitors.csv', content: `项目,竞品,价格,日期,平台\n${lines.join('\n')}\n` },
    );
    const uploaded = await h.app.inject({
      method: 'POST',
      url: '/api/imports',
      headers: { ...headers, authorization: `Bearer ${manager.token}` },
      payload,
    });
    expect(uploaded.statusCode).toBe(201);
    const id = uploaded.json().id as string;
    expect(uploaded.json()).toMatchObject({ rowsTotal: ROWS, problemCount: 0 });

    const first = startWorkerProcess();
    expect((await call(h.app, 'POST', `/api/imports/${id}/commit`, { token: manager.token })).status).toBe(
      202,
    );
    await eventually('a few batches to be committed', async () => (await batchesDone(id)) >= 3, 60_000);
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const atKill = await batchesDone(id);
    expect(atKill).toBeLessThan(ROWS / BATCH);
    expect((await call(h.app, 'GET', `/api/imports/${id}`, { token: manager.token })).body.status).toBe(
      'committing',
    );

    startWorkerProcess();
    const done = await eventually(
      'the commit to finish on the second worker',
      async () => {
        const got = await call(h.app, 'GET', `/api/imports/${id}`, { token: manager.token });
        return got.body.status === 'done' ? got.body : undefined;
      },
      60_000,
    );
    expect(done).toMatchObject({ rowsTotal: ROWS, rowsDone: ROWS, rowsRefused: 0 });
    const stored = await sql<{ n: number; distinct: number; fen: number }>`
    select count(*)::int as n, count(distinct competitor)::int as distinct, sum(price_fen)::int8 as fen
    from competitor_prices where product_id = ${productId}`.execute(h.db);
    // Plain inserts: a batch stored twice would show here as more rows than the file has.
    expect(stored.rows[0]).toEqual({
      n: ROWS,
      distinct: ROWS,
      fen: Array.from({ length: ROWS }, (_, i) => (1_000 + i) * 100).reduce((a, b) => a + b),
    });
    expect(await batchesDone(id)).toBe(ROWS / BATCH);
  },
);
