import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '@tower/config';
import { insertProduct, updateProductFields, upsertCosts, replacePrices, type Db } from '@tower/db';
import { startWorker, type RunningWorker } from '@tower/worker';
import { persistLifecycleSnapshot, lifecycleMachine } from '@tower/workflow-lifecycle';
import { startApi, type ApiHarness } from './api.js';
import type { Tier } from '@tower/domain';

export interface StackHarness extends ApiHarness {
  readonly worker: RunningWorker;
}

/** API and workers together on one test database and BullMQ prefix, as a deployment runs them. */
export async function startStack(env: Record<string, string> = {}): Promise<StackHarness> {
  const api = await startApi({ RELAY_INTERVAL_MS: '20', WORKER_CONCURRENCY: '4', ...env });
  const worker = await startWorker({
    config: api.config,
    db: api.db,
    logger: createLogger({ name: 'worker-test', level: api.config.logLevel }),
    now: api.clock.now,
  });
  return {
    ...api,
    worker,
    async close() {
      await worker.close();
      await api.close();
    },
  };
}

/** Polls `probe` until it returns something truthy, or fails after `timeoutMs` saying what it waited for. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** Waits until the outbox is empty and every queue of the stack is idle (no waiting, active or delayed-due jobs). */
export async function settle(stack: StackHarness, timeoutMs = 15_000): Promise<void> {
  await eventually(
    'the outbox and queues to drain',
    async () => {
      await stack.worker.relayNow();
      const pending = await stack.db
        .selectFrom('outbox')
        .select('id')
        .where('sentAt', 'is', null)
        .executeTakeFirst();
      if (pending) return false;
      // A sales evaluation that ran while ingestion touched its watermarks queues its next run a
      // moment later (a delayed job): the watermark says it is still owed.
      const owed = await stack.db.selectFrom('salesEvaluationMarks').select('productId').executeTakeFirst();
      if (owed) return false;
      for (const queue of Object.values(stack.worker.queues.byName)) {
        const counts = await queue.getJobCounts('waiting', 'active', 'prioritized', 'waiting-children');
        if (Object.values(counts).some((n) => n > 0)) return false;
      }
      return true;
    },
    timeoutMs,
  );
}

/** A product already on sale (stage monitoring), inserted through the repositories. */
export async function makeLiveProduct(
  db: Db,
  values: {
    name?: string;
    departmentId: string;
    ownerId: string;
    tier?: Tier;
    costs?: [number, number, number, number];
    listFen?: number;
  },
): Promise<string> {
  const snapshot = lifecycleMachine.resolveState({ value: 'monitoring', context: { productId: null } });
  const product = await insertProduct(db, {
    at: new Date(),
    name: values.name ?? 'Thermage FLX full face',
    departmentId: values.departmentId,
    tier: values.tier ?? 'profit',
    ownerId: values.ownerId,
    vendor: null,
    stage: 'monitoring',
    snapshot: persistLifecycleSnapshot(snapshot),
  });
  await updateProductFields(db, product.id, { targetCustomers: 'Women 30–50' }, new Date());
  const [consumablesFen, labourFen, overheadFen, marketingFen] = values.costs ?? [
    50_000, 20_000, 10_000, 20_000,
  ];
  await upsertCosts(
    db,
    product.id,
    { consumablesFen, labourFen, overheadFen, marketingFen },
    null,
    new Date(),
  );
  await replacePrices(
    db,
    product.id,
    [{ type: 'list', amountFen: values.listFen ?? 300_000, sessions: null }],
    new Date(),
  );
  return product.id;
}

export interface ReceivedPost {
  path: string;
  body: unknown;
}

/** A local HTTP endpoint standing in for WeCom/DingTalk/Feishu robots; `failPaths` answer 500. */
export async function startReceiver(failPaths: readonly string[] = []): Promise<{
  url: string;
  received: ReceivedPost[];
  close(): Promise<void>;
}> {
  const received: ReceivedPost[] = [];
  const server: Server = createServer((req, res) => {
    let data = '';
    req.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
    req.on('end', () => {
      const path = req.url ?? '/';
      if (failPaths.some((p) => path.startsWith(p))) {
        res.writeHead(500).end('down');
        return;
      }
      received.push({ path, body: JSON.parse(data || 'null') });
      const answer = path.includes('feishu') ? { code: 0, msg: 'success' } : { errcode: 0, errmsg: 'ok' };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
