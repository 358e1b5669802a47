// Redis loses its data; Postgres still knows what is owed. The reconciler puts it back: evaluations
// whose job vanished, due escalations, undelivered notifications, with the same job ids. Deliveries
// carry a stable id; DingTalk and Feishu robots get the signatures their vendors check.
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@tower/config';
import {
  formatNotification,
  reconcileQueues,
  signRequest,
  truncateUtf8,
  WECOM_MARKDOWN_MAX_BYTES,
  type TaskMessage,
} from '@tower/engine';
import { startWorker, type RunningWorker } from '@tower/worker';
import {
  call,
  makeBranch,
  makeDepartment,
  makePerson,
  startApi,
  type ApiHarness,
  type TestPerson,
} from '../support/api.js';
import { eventually, makeLiveProduct } from '../support/stack.js';
import { createIngestKey } from '../support/fixtures.js';

/** A robot endpoint that checks signatures the way DingTalk and Feishu document them. */
interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
  signatureOk: boolean | null;
}

async function startVerifyingReceiver(secrets: Record<string, string>) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let data = '';
    req.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const kind = url.pathname.split('/')[1] ?? '';
      const body = JSON.parse(data || '{}') as Record<string, unknown>;
      const secret = secrets[url.pathname];
      let signatureOk: boolean | null = null;
      if (secret && kind === 'dingtalk') {
        // DingTalk: timestamp (ms) within an hour; sign = base64(HMAC-SHA256(secret, timestamp + "\n" + secret)).
        const timestamp = url.searchParams.get('timestamp') ?? '';
        const expected = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
        signatureOk =
          url.searchParams.get('sign') === expected && Math.abs(Date.now() - Number(timestamp)) < 3_600_000;
      } else if (secret && kind === 'feishu') {
        // Feishu: timestamp (s) within an hour; sign = base64(HMAC-SHA256(key = timestamp + "\n" + secret, "")).
        const timestamp = typeof body.timestamp === 'string' ? body.timestamp : '';
        const expected = createHmac('sha256', `${timestamp}\n${secret}`).update('').digest('base64');
        signatureOk = body.sign === expected && Math.abs(Date.now() / 1000 - Number(timestamp)) < 3600;
      }
      received.push({ path: url.pathname, headers: req.headers, body, signatureOk });
      const refused = signatureOk === false;
      const answer =
        kind === 'feishu'
          ? refused
            ? { code: 19021, msg: 'sign match fail or timestamp is not within one hour from current time' }
            : { code: 0, msg: 'success' }
          : refused
            ? { errcode: 310000, errmsg: 'sign not match' }
            : { errcode: 0, errmsg: 'ok' };
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

let h: ApiHarness;
let receiver: Awaited<ReturnType<typeof startVerifyingReceiver>>;
let relayOnly: RunningWorker | undefined;
let worker: RunningWorker | undefined;
let admin: TestPerson;
let manager: TestPerson;
let director: TestPerson;
let productId: string;
let branchId: string;
const DING_SECRET = 'SECa1b2c3d4e5f6';
const FEISHU_SECRET = 'feishu-secret-xyz';

/** Deletes every key of this test's prefix: what a FLUSHALL does to us, without touching others' keys. */
async function wipeRedis(): Promise<void> {
  const keys = await h.redis.keys(`${h.queuePrefix}:*`);
  if (keys.length > 0) await h.redis.del(...keys);
}

beforeAll(async () => {
  h = await startApi({ RELAY_INTERVAL_MS: '20', WORKER_CONCURRENCY: '4' });
  const departmentId = (await makeDepartment(h.db)).id;
  branchId = (await makeBranch(h.db)).id;
  admin = await makePerson(h.db, [{ role: 'admin' }]);
  const owner = await makePerson(h.db, [{ role: 'product_manager' }]);
  manager = await makePerson(h.db, [{ role: 'department_manager', departmentId, branchId }], 'Manager');
  director = await makePerson(h.db, [{ role: 'director' }], 'Director');
  await makePerson(h.db, [{ role: 'compliance_officer' }], 'Compliance');
  productId = await makeLiveProduct(h.db, { departmentId, ownerId: owner.id });
  receiver = await startVerifyingReceiver({
    [`/dingtalk/${manager.id}`]: DING_SECRET,
    [`/feishu/${director.id}`]: FEISHU_SECRET,
  });
  await h.db
    .insertInto('personChannels')
    .values([
      {
        personId: manager.id,
        kind: 'dingtalk',
        url: `${receiver.url}/dingtalk/${manager.id}?access_token=t`,
        secret: DING_SECRET,
      },
      { personId: manager.id, kind: 'webhook', url: `${receiver.url}/webhook/${manager.id}` },
      {
        personId: director.id,
        kind: 'feishu',
        url: `${receiver.url}/feishu/${director.id}`,
        secret: FEISHU_SECRET,
      },
    ])
    .execute();
});

afterAll(async () => {
  await relayOnly?.close();
  await worker?.close();
  await receiver?.close();
  await h?.close();
});

describe('after Redis loses its data', () => {
  it('re-enqueues the lost evaluation, then every notification goes out and the due escalation fires', async () => {
    // A worker that relays the outbox but works no queue: jobs reach Redis and wait there.
    relayOnly = await startWorker({
      config: h.config,
      db: h.db,
      logger: createLogger({ name: 'relay-only', level: 'silent' }),
      now: h.clock.now,
      queues: [],
    });
    const key = await createIngestKey(h.app, admin);
    const complaint = await call(h.app, 'POST', '/api/ingest/complaints', {
      token: key,
      body: {
        externalId: 'CRM-1',
        productId,
        branchId,
        occurredAt: '2026-11-01T03:20:00Z',
        category: 'adverse_reaction',
        severity: 'high',
        text: 'Swelling after the session',
      },
    });
    expect(complaint.status).toBe(201);
    await eventually('the evaluation to reach Redis', async () => {
      await relayOnly!.relayNow();
      const row = await h.db
        .selectFrom('outbox')
        .select('sentAt')
        .where('jobName', '=', 'evaluate-complaints')
        .executeTakeFirst();
      return row?.sentAt;
    });
    await relayOnly.close();
    relayOnly = undefined;

    await wipeRedis(); // FLUSHALL: the evaluation job is gone; Postgres still says it never finished.

    worker = await startWorker({
      config: h.config,
      db: h.db,
      logger: createLogger({ name: 'worker', level: 'silent' }),
      now: h.clock.now,
    });
    const first = await reconcileQueues(worker.ctx, worker.queues, { graceMs: 0 });
    expect(first.outbox + first.notifications + first.escalations).toBeGreaterThan(0);

    const task = await eventually('the severe_complaint task', () =>
      h.db.selectFrom('tasks').selectAll().where('signal', '=', 'severe_complaint').executeTakeFirst(),
    );
    expect(task.assignees).toContain(manager.id);
    await eventually('the opening notifications to be delivered', async () => {
      const pending = await h.db
        .selectFrom('notifications')
        .select('id')
        .where('status', '!=', 'sent')
        .execute();
      const all = await h.db.selectFrom('notifications').select('id').execute();
      return all.length >= 2 && pending.length === 0;
    });

    // Redis loses its data again, now holding the delayed escalation; the SLA passes meanwhile.
    await wipeRedis();
    // And say the outbox has no record of it (work from before the outbox tracked completion): the
    // escalation is found from the task itself, its due time and level.
    await h.db
      .updateTable('outbox')
      .set({ completedAt: new Date() })
      .where('completedAt', 'is', null)
      .execute();
    h.clock.set(new Date(task.dueAt.getTime() + 60_000));
    const second = await reconcileQueues(worker.ctx, worker.queues, { graceMs: 0 });
    expect(second.escalations).toBe(1);
    const escalated = await eventually('the escalation to fire', async () => {
      const row = await h.db
        .selectFrom('tasks')
        .selectAll()
        .where('id', '=', task.id)
        .executeTakeFirstOrThrow();
      return row.escalationLevel === 1 ? row : undefined;
    });
    expect(escalated.assignees).toContain(director.id);
    await eventually('the escalation notice to the director', async () =>
      receiver.received.find(
        (r) => r.path === `/feishu/${director.id}` && JSON.stringify(r.body).includes('Escalated'),
      ),
    );

    // Nothing is owed any more: a third pass re-enqueues nothing, and no notification went out twice.
    await eventually('every notification delivered', async () => {
      const pending = await h.db
        .selectFrom('notifications')
        .select('id')
        .where('status', '!=', 'sent')
        .execute();
      return pending.length === 0;
    });
    const third = await reconcileQueues(worker.ctx, worker.queues, { graceMs: 0 });
    expect(third).toMatchObject({ outbox: 0, escalations: 0, notifications: 0, evaluations: 0 });
    const ids = receiver.received.map((r) => r.headers['x-tower-delivery-id']);
    expect(new Set(ids).size).toBe(ids.length);
    const tasks = await h.db
      .selectFrom('tasks')
      .select('id')
      .where('signal', '=', 'severe_complaint')
      .execute();
    expect(tasks).toHaveLength(1);
  });

  it('re-enqueues the evaluation of a pair whose sales are newer than its last evaluation', async () => {
    // The watermark row says the pair has unjudged sales; Redis has no job for it.
    await h.db
      .insertInto('salesEvaluationMarks')
      .values({ productId, branchId, fromDate: '2026-10-30' })
      .execute();
    const outcome = await reconcileQueues(worker!.ctx, worker!.queues, { graceMs: 0 });
    expect(outcome.evaluations).toBe(1);
    await eventually('the pair to be evaluated (its watermark taken)', async () => {
      const mark = await h.db.selectFrom('salesEvaluationMarks').select('productId').executeTakeFirst();
      return mark === undefined;
    });
  });

  it('signs DingTalk and Feishu deliveries as the vendors check them, with a stable delivery id', () => {
    const dingtalk = receiver.received.filter((r) => r.path.startsWith('/dingtalk/'));
    const feishu = receiver.received.filter((r) => r.path.startsWith('/feishu/'));
    expect(dingtalk.length).toBeGreaterThan(0);
    expect(feishu.length).toBeGreaterThan(0);
    for (const r of [...dingtalk, ...feishu]) expect(r.signatureOk, r.path).toBe(true);
    const webhook = receiver.received.find((r) => r.path.startsWith('/webhook/'))!;
    expect(webhook.body.deliveryId).toBe(webhook.headers['x-tower-delivery-id']);
    expect(webhook.body.deliveryId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('robot formats', () => {
  const message: TaskMessage = {
    reason: 'opened',
    taskId: '00000000-0000-4000-8000-000000000001',
    signal: 'severe_complaint',
    severity: 'critical',
    productName: '嗨体 '.repeat(400),
    branchName: '静安院',
    summary: '术后红肿三天'.repeat(300),
    firedOn: '2026-11-01',
    dueAt: '2026-11-01T08:00:00.000Z',
    escalationLevel: 0,
    url: 'https://tower.example/tasks/00000000-0000-4000-8000-000000000001',
    deliveryId: '00000000-0000-4000-8000-0000000000aa',
  };

  it('keeps WeCom markdown within 4,096 bytes, with the task link intact', () => {
    const body = formatNotification('wecom', message) as { markdown: { content: string } };
    expect(Buffer.byteLength(body.markdown.content, 'utf8')).toBeLessThanOrEqual(WECOM_MARKDOWN_MAX_BYTES);
    expect(body.markdown.content.endsWith(`(${message.url})`)).toBe(true);
    expect(truncateUtf8('静安院', 7)).toBe('静…');
  });

  it('leaves requests unsigned without a secret, and never puts the secret itself in them', () => {
    const plain = { url: 'https://oapi.dingtalk.com/robot/send?access_token=t', body: { a: 1 } };
    expect(signRequest('dingtalk', plain, null, new Date())).toEqual(plain);
    const signed = signRequest('dingtalk', plain, DING_SECRET, new Date());
    expect(signed.url).toContain('timestamp=');
    expect(signed.url).not.toContain(DING_SECRET);
    const lark = signRequest('feishu', plain, FEISHU_SECRET, new Date());
    expect(JSON.stringify(lark)).not.toContain(FEISHU_SECRET);
  });
});
