import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '@tower/domain';
import { call, makeBranch, makeDepartment, makePerson, type TestPerson } from '../support/api.js';
import {
  eventually,
  makeLiveProduct,
  settle,
  startReceiver,
  startStack,
  type StackHarness,
} from '../support/stack.js';
import {
  createIngestKey,
  DIP_FIRE_DAYS,
  SALES_START,
  salesRows,
  steadyThenDip,
  tasksOf,
  withChannels,
} from '../support/fixtures.js';
import type { ChannelKind } from '@tower/domain';

let s: StackHarness;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let admin: TestPerson;
let owner: TestPerson;
let marketing: TestPerson;
let director: TestPerson;
let compliance: TestPerson;
let injectionManagerB: TestPerson;
let skinManagerB: TestPerson;
let injectionManagerA: TestPerson;
let injection: string;
let skin: string;
let branchA: string;
let branchB: string;
let productId: string;
let ingestKey: string;

const channels = (person: TestPerson, kinds: ChannelKind[]) =>
  withChannels(s.db, person, kinds, receiver.url);

/** The severe complaint this file ingests, and replays, about the complaint product at branch B. */
function severeComplaint(productId: string, extra: Record<string, unknown> = {}) {
  return {
    externalId: 'CRM-88121',
    productId,
    branchId: branchB,
    occurredAt: '2026-11-01T03:20:00Z',
    category: 'adverse_reaction',
    severity: 'high',
    text: 'Swelling and redness for three days; call back on 13812345678',
    ...extra,
  };
}

beforeAll(async () => {
  s = await startStack();
  receiver = await startReceiver();
  injection = (await makeDepartment(s.db, 'injection')).id;
  skin = (await makeDepartment(s.db, 'skin')).id;
  branchA = (await makeBranch(s.db, 'sh-a')).id;
  branchB = (await makeBranch(s.db, 'sh-b')).id;
  admin = await makePerson(s.db, [{ role: 'admin' }]);
  owner = await channels(await makePerson(s.db, [{ role: 'product_manager' }], 'Owner'), ['wecom']);
  marketing = await channels(await makePerson(s.db, [{ role: 'marketing_manager' }], 'Marketing'), [
    'dingtalk',
  ]);
  director = await channels(await makePerson(s.db, [{ role: 'director' }], 'Director'), ['feishu']);
  compliance = await channels(await makePerson(s.db, [{ role: 'compliance_officer' }], 'Compliance'), [
    'webhook',
  ]);
  injectionManagerB = await channels(
    await makePerson(
      s.db,
      [{ role: 'department_manager', departmentId: injection, branchId: branchB }],
      'Injection B',
    ),
    ['wecom'],
  );
  injectionManagerA = await makePerson(s.db, [
    { role: 'department_manager', departmentId: injection, branchId: branchA },
  ]);
  skinManagerB = await makePerson(s.db, [
    { role: 'department_manager', departmentId: skin, branchId: branchB },
  ]);
  productId = await makeLiveProduct(s.db, {
    departmentId: injection,
    ownerId: owner.id,
    name: 'Botox 50U forehead',
  });
  const rules = await call(s.app, 'PUT', '/api/rules', {
    token: admin.token,
    body: { signals: { sales_dip: { ackSlaSeconds: 2 } } },
  });
  expect(rules.status).toBe(200);
  ingestKey = await createIngestKey(s.app, admin);
});

afterAll(async () => {
  await s?.close();
  await receiver?.close();
});

describe('sales_dip end to end', () => {
  it('opens one sales_dip task for the owner and the marketing manager after eight steady weeks and a 40 % drop', async () => {
    const response = await call(s.app, 'POST', '/api/ingest/sales', {
      token: ingestKey,
      body: { rows: steadyThenDip(productId, branchA) },
      headers: { 'idempotency-key': 'feed-2026-11-02' },
    });
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ accepted: 63, evaluations: 1 });
    await settle(s);

    const tasks = await tasksOf(s.db, productId, 'sales_dip');
    expect(tasks).toHaveLength(1);
    const task = tasks[0]!;
    expect(task.branchId).toBe(branchA);
    expect(task.assignees).toEqual([owner.id, marketing.id]);
    expect(task.severity).toBe('medium');
    const evidence = await s.db
      .selectFrom('taskEvidence')
      .selectAll()
      .where('taskId', '=', task.id)
      .orderBy('firedOn')
      .execute();
    // A dip from the fourth dip day on, held three days by the sixth (DIP_FIRE_DAYS).
    expect(evidence.map((e) => e.firedOn)).toEqual(DIP_FIRE_DAYS);
    expect(evidence[1]!.data).toMatchObject({
      units: 21,
      expectedUnits: 70,
      test: 'poisson',
      persistedDays: 3,
    });

    const mine = await call(s.app, 'GET', '/api/tasks?mine=true', { token: marketing.token });
    expect(mine.body.items.map((t: { id: string }) => t.id)).toEqual([task.id]);
  });

  it('adds evidence to the same task when the dip goes on, never a second task', async () => {
    const more = salesRows(productId, branchA, addDays(SALES_START, 63), 2, () => 5);
    expect(
      (await call(s.app, 'POST', '/api/ingest/sales', { token: ingestKey, body: { rows: more } })).status,
    ).toBe(202);
    await settle(s);
    const tasks = await tasksOf(s.db, productId, 'sales_dip');
    expect(tasks).toHaveLength(1);
    const evidence = await s.db
      .selectFrom('taskEvidence')
      .select('firedOn')
      .where('taskId', '=', tasks[0]!.id)
      .execute();
    expect(evidence).toHaveLength(4);
  });

  it('replays an ingestion with the same key and body without storing anything new', async () => {
    const before = await s.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const rows = steadyThenDip(productId, branchA);
    const replay = await call(s.app, 'POST', '/api/ingest/sales', {
      token: ingestKey,
      body: { rows },
      headers: { 'idempotency-key': 'feed-2026-11-02' },
    });
    expect(replay.status).toBe(202);
    expect(replay.body).toEqual({ accepted: 63, evaluations: 1 });
    expect(replay.raw.headers['idempotent-replayed']).toBe('true');
    const after = await s.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));

    const otherBody = await call(s.app, 'POST', '/api/ingest/sales', {
      token: ingestKey,
      body: { rows: rows.slice(0, 1) },
      headers: { 'idempotency-key': 'feed-2026-11-02' },
    });
    expect(otherBody.status).toBe(422);
    expect(otherBody.body.error).toBe('idempotency_key_reused');
  });

  it('escalates the unacknowledged task to the director when its 2-second SLA passes', async () => {
    const [task] = await tasksOf(s.db, productId, 'sales_dip');
    const escalated = await eventually('the sales_dip task to escalate', async () => {
      const row = await s.db
        .selectFrom('tasks')
        .selectAll()
        .where('id', '=', task!.id)
        .executeTakeFirstOrThrow();
      return row.escalationLevel === 1 ? row : undefined;
    });
    expect(escalated.assignees).toContain(director.id);
    await settle(s);
    const toDirector = receiver.received.filter((r) => r.path === `/feishu/${director.id}`);
    expect(toDirector).toHaveLength(1);
    expect(JSON.stringify(toDirector[0]!.body)).toContain('Escalated L1');
  });

  it('notified the owner on WeCom and the marketing manager on DingTalk with the task link', async () => {
    const [task] = await tasksOf(s.db, productId, 'sales_dip');
    const wecom = receiver.received.find((r) => r.path === `/wecom/${owner.id}`);
    const dingtalk = receiver.received.find((r) => r.path === `/dingtalk/${marketing.id}`);
    expect(wecom?.body).toEqual({
      msgtype: 'markdown',
      markdown: {
        content: [
          '**销量下滑 Sales dip · Botox 50U forehead**',
          '> 严重程度 Severity: medium',
          '> 院区 Branch: Branch sh-a',
          `> 依据 Evidence: ${await openingEvidence(task!.id)}`,
          `> 请在 ${task!.dueAt.toISOString()} 前确认 Acknowledge by ${task!.dueAt.toISOString()}`,
          `[查看任务 Open task](http://localhost:3000/tasks/${task!.id})`,
        ].join('\n'),
      },
    });
    expect(dingtalk?.body).toMatchObject({
      msgtype: 'markdown',
      markdown: { title: '销量下滑 Sales dip · Botox 50U forehead' },
    });
    const attempts = await s.db.selectFrom('notificationAttempts').selectAll().execute();
    expect(attempts.every((a) => a.ok)).toBe(true);
  });

  it('moves the product into retirement when the task is resolved with retire', async () => {
    const [task] = await tasksOf(s.db, productId, 'sales_dip');
    const resolved = await call(s.app, 'POST', `/api/tasks/${task!.id}/resolve`, {
      token: owner.token,
      body: { decision: 'retire', note: 'three quarters of decline' },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({
      status: 'resolved',
      decision: 'retire',
      lifecycle: { stage: 'retirement' },
    });
    const product = await call(s.app, 'GET', `/api/products/${productId}`, { token: owner.token });
    expect(product.body.stage).toBe('retirement');
    const history = await call(s.app, 'GET', `/api/products/${productId}/history`, { token: owner.token });
    expect(history.body.items.at(-1)).toMatchObject({
      event: 'RETIRE',
      actor: owner.id,
      from: 'monitoring',
      to: 'retirement',
    });
  });
});

/** The evidence that opened a task (evaluations run in parallel, so not necessarily the earliest day). */
async function openingEvidence(taskId: string): Promise<string> {
  const first = await s.db
    .selectFrom('taskEvidence')
    .select(['data', 'firedOn'])
    .where('taskId', '=', taskId)
    .orderBy('id')
    .executeTakeFirstOrThrow();
  return `${(first.data as { summary: string }).summary} (${first.firedOn})`;
}

describe('severe_complaint end to end', () => {
  let complaintProduct: string;

  beforeAll(async () => {
    complaintProduct = await makeLiveProduct(s.db, {
      departmentId: injection,
      ownerId: owner.id,
      name: 'HA filler 1 ml',
    });
  });

  it('routes an adverse reaction at branch B to its injection manager, compliance and the director, with the phone masked', async () => {
    const response = await call(s.app, 'POST', '/api/ingest/complaints', {
      token: ingestKey,
      body: severeComplaint(complaintProduct, { customerPhone: '13812345678' }),
    });
    expect(response.status).toBe(201);
    await settle(s);
    const [task] = await s.db
      .selectFrom('tasks')
      .selectAll()
      .where('productId', '=', complaintProduct)
      .where('signal', '=', 'severe_complaint')
      .execute();
    expect(task).toBeDefined();
    expect(new Set(task!.assignees)).toEqual(new Set([injectionManagerB.id, compliance.id, director.id]));
    expect(task!.assignees).not.toContain(injectionManagerA.id);
    expect(task!.severity).toBe('critical');

    const stored = await s.db
      .selectFrom('complaints')
      .selectAll()
      .where('externalId', '=', 'CRM-88121')
      .executeTakeFirstOrThrow();
    expect(stored.customerPhoneMasked).toBe('138****5678');
    expect(stored.text).not.toContain('13812345678');
    const payloads = await s.db.selectFrom('outbox').select('payload').execute();
    // No part of the phone, ids aside (a random uuid holds '5678' about once in 2,000).
    const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
    expect(JSON.stringify(payloads).replace(uuid, '')).not.toContain('5678');

    await eventually('the three notifications', async () =>
      [`/wecom/${injectionManagerB.id}`, `/webhook/${compliance.id}`, `/feishu/${director.id}`].every(
        (path) =>
          receiver.received.some((r) => r.path === path && JSON.stringify(r.body).includes('HA filler 1 ml')),
      ),
    );
    const webhook = receiver.received.find((r) => r.path === `/webhook/${compliance.id}`)!;
    expect(webhook.body).toMatchObject({
      event: 'task.opened',
      task: { id: task!.id, signal: 'severe_complaint', severity: 'critical' },
      product: { name: 'HA filler 1 ml' },
      branch: { name: 'Branch sh-b' },
    });
    expect(JSON.stringify(receiver.received)).not.toContain('13812345678');
  });

  it('shows the task to the injection manager of B but not to a skin manager or the injection manager of A', async () => {
    const visible = async (token: string) =>
      (await call(s.app, 'GET', `/api/tasks?signal=severe_complaint`, { token })).body.items.map(
        (t: { productId: string }) => t.productId,
      );
    expect(await visible(injectionManagerB.token)).toContain(complaintProduct);
    expect(await visible(skinManagerB.token)).not.toContain(complaintProduct);
    expect(await visible(injectionManagerA.token)).not.toContain(complaintProduct);
    // Grants are (department, branch) pairs: injection at A plus skin at B is not injection at B.
    const twoHats = await makePerson(s.db, [
      { role: 'department_manager', departmentId: injection, branchId: branchA },
      { role: 'department_manager', departmentId: skin, branchId: branchB },
    ]);
    expect(await visible(twoHats.token)).not.toContain(complaintProduct);
    const [task] = await s.db
      .selectFrom('tasks')
      .select('id')
      .where('productId', '=', complaintProduct)
      .execute();
    expect((await call(s.app, 'GET', `/api/tasks/${task!.id}`, { token: twoHats.token })).status).toBe(404);
    expect(
      (await call(s.app, 'GET', `/api/tasks/${task!.id}`, { token: injectionManagerB.token })).status,
    ).toBe(200);
  });

  it('stores a complaint replayed under the same external id once', async () => {
    const again = await call(s.app, 'POST', '/api/ingest/complaints', {
      token: ingestKey,
      body: severeComplaint(complaintProduct),
    });
    expect(again.status).toBe(200);
    expect(again.body.created).toBe(false);
    const count = await s.db
      .selectFrom('complaints')
      .select('id')
      .where('externalId', '=', 'CRM-88121')
      .execute();
    expect(count).toHaveLength(1);
  });
});
