import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertLaunchItems, insertProduct, updateProductFields } from '@tower/db';
import { DEFAULT_LAUNCH_TEMPLATE, type Tier } from '@tower/domain';
import { buildChecklist } from '@tower/workflow-launch';
import { lifecycleMachine, persistLifecycleSnapshot } from '@tower/workflow-lifecycle';
import { call, type TestPerson } from '../support/api.js';
import { makeCast } from '../support/cast.js';
import { settle, startStack, type StackHarness } from '../support/stack.js';

let s: StackHarness;
let owner: TestPerson;
let marketing: TestPerson;
let compliance: TestPerson;
let injectionManager: TestPerson;
let productId: string;
let branchId: string;
let departmentId: string;

async function overdueTasks() {
  return s.db
    .selectFrom('tasks')
    .select(['id', 'subjectKey', 'assignees', 'status', 'branchId'])
    .where('productId', '=', productId)
    .where('signal', '=', 'launch_item_overdue')
    .orderBy('subjectKey')
    .execute();
}

async function sweep(asOf: string, jobId: string) {
  await s.worker.queues.byName.signals.add('sweep-overdue-launch-items', { asOf }, { jobId });
  await settle(s);
}

beforeAll(async () => {
  s = await startStack();
  const cast = await makeCast(s.db, {
    departments: ['injection'],
    branches: ['sz-1'],
    people: ({ departments: { injection }, branches: { 'sz-1': branch } }) => ({
      owner: [{ role: 'product_manager' }],
      marketing: [{ role: 'marketing_manager' }],
      compliance: [{ role: 'compliance_officer' }],
      injectionManager: [{ role: 'department_manager', departmentId: injection, branchId: branch }],
      director: [{ role: 'director' }],
    }),
  });
  departmentId = cast.departments.injection;
  branchId = cast.branches['sz-1'];
  ({ owner, marketing, compliance, injectionManager } = cast.people);
  // A product in launch whose target date is 2026-11-08: items due 7 or 14 days before are overdue on 2026-11-02.
  productId = await productInLaunch('Picosecond laser', 'flagship');
});

/** A product in launch at the branch with its default checklist, targeting 2026-11-08 (through the repositories). */
async function productInLaunch(name: string, tier: Tier): Promise<string> {
  const product = await insertProduct(s.db, {
    at: new Date(),
    name,
    departmentId,
    tier,
    ownerId: owner.id,
    vendor: null,
    stage: 'launch',
    snapshot: persistLifecycleSnapshot(
      lifecycleMachine.resolveState({ value: 'launch', context: { productId: null } }),
    ),
  });
  await updateProductFields(s.db, product.id, { targetLaunchDate: '2026-11-08' }, new Date());
  const items = buildChecklist({
    template: DEFAULT_LAUNCH_TEMPLATE,
    branchIds: [branchId],
    departmentId,
    targetLaunchDate: '2026-11-08',
  });
  await insertLaunchItems(
    s.db,
    items.map((item) => ({ ...item, productId: product.id })),
  );
  return product.id;
}

afterAll(async () => {
  await s?.close();
});

describe('launch_item_overdue', () => {
  it("opens one task per owner role at the branch, for that role's holders, with one evidence entry per overdue item", async () => {
    await sweep('2026-11-02', 'sweep-a');
    const tasks = await overdueTasks();
    expect(tasks.map((t) => t.subjectKey)).toEqual([
      'compliance_officer',
      'department_manager',
      'marketing_manager',
      'product_manager',
    ]);
    const assigneesOf = Object.fromEntries(tasks.map((t) => [t.subjectKey, t.assignees]));
    expect(assigneesOf).toEqual({
      compliance_officer: [compliance.id],
      department_manager: [injectionManager.id],
      marketing_manager: [marketing.id],
      product_manager: [owner.id],
    });
    const overdue = await s.db
      .selectFrom('launchItems')
      .select(['id', 'ownerRole'])
      .where('productId', '=', productId)
      .where('dueOn', '<', '2026-11-02')
      .execute();
    const evidence = await s.db
      .selectFrom('taskEvidence')
      .select(['taskId', 'evidenceKey'])
      .where(
        'taskId',
        'in',
        tasks.map((t) => t.id),
      )
      .execute();
    expect(evidence.map((e) => e.evidenceKey).sort()).toEqual(overdue.map((i) => i.id).sort());
  });

  it('adds nothing when the sweep runs again the same day', async () => {
    const before = await s.db.selectFrom('taskEvidence').select('id').execute();
    await sweep('2026-11-02', 'sweep-b');
    expect(await overdueTasks()).toHaveLength(4);
    expect(await s.db.selectFrom('taskEvidence').select('id').execute()).toHaveLength(before.length);
  });

  it("resolves the marketing manager's task once their overdue items are done, leaving the others open", async () => {
    const items = await s.db
      .selectFrom('launchItems')
      .select(['id', 'dueOn'])
      .where('productId', '=', productId)
      .where('ownerRole', '=', 'marketing_manager')
      .execute();
    const overdue = items.filter((i) => i.dueOn < '2026-11-02');
    for (const [n, item] of overdue.entries()) {
      const done = await call(s.app, 'POST', `/api/launch-items/${item.id}/complete`, {
        token: marketing.token,
        body: {},
      });
      expect(done.status).toBe(200);
      const marketingTask = (await overdueTasks()).find((t) => t.subjectKey === 'marketing_manager')!;
      expect(marketingTask.status).toBe(n === overdue.length - 1 ? 'resolved' : 'open');
    }
    const still = (await overdueTasks()).filter((t) => t.status === 'open').map((t) => t.subjectKey);
    expect(still).toEqual(['compliance_officer', 'department_manager', 'product_manager']);
  });
});

describe('launch_item_overdue after an undo', () => {
  it("raises the owner's task again at once when an undo makes an item overdue, without waiting for the sweep", async () => {
    const marketingOpen = async () =>
      (await overdueTasks()).filter((t) => t.subjectKey === 'marketing_manager' && t.status === 'open');
    expect(await marketingOpen()).toEqual([]);
    const done = await s.db
      .selectFrom('launchItems')
      .select(['id', 'dueOn'])
      .where('productId', '=', productId)
      .where('ownerRole', '=', 'marketing_manager')
      .where('status', '=', 'done')
      .orderBy('dueOn')
      .executeTakeFirstOrThrow();
    const undone = await call(s.app, 'POST', `/api/launch-items/${done.id}/undo`, {
      token: marketing.token,
      body: { reason: 'the poster went to the wrong branch' },
    });
    expect(undone.status, JSON.stringify(undone.body)).toBe(200);
    const [reopened] = await marketingOpen();
    expect(reopened).toBeDefined();
    const evidence = await s.db
      .selectFrom('taskEvidence')
      .select(['evidenceKey'])
      .where('taskId', '=', reopened!.id)
      .execute();
    expect(evidence.map((e) => e.evidenceKey)).toEqual([done.id]);
  });
});

describe('launch_item_overdue after a re-plan', () => {
  let replanned: string;
  const tasksOf = () =>
    s.db
      .selectFrom('tasks')
      .select(['id', 'subjectKey', 'status'])
      .where('productId', '=', replanned)
      .where('signal', '=', 'launch_item_overdue')
      .orderBy('createdAt')
      .execute();
  const evidenceOf = async () => {
    const ids = (await tasksOf()).map((t) => t.id);
    if (ids.length === 0) return [];
    return s.db
      .selectFrom('taskEvidence')
      .select(['evidenceKey', 'firedOn', 'data'])
      .where('taskId', 'in', ids)
      .orderBy('id')
      .execute();
  };

  beforeAll(async () => {
    replanned = await productInLaunch('Thread lift', 'profit');
  });

  it('is overdue only against the new date: a later target date answers the open tasks', async () => {
    await sweep('2026-11-02', 'replan-a');
    expect((await tasksOf()).map((t) => t.status)).toEqual(['open', 'open', 'open', 'open']);
    const moved = await call(s.app, 'PUT', `/api/products/${replanned}/launch-branches`, {
      token: owner.token,
      body: { branchIds: [branchId], targetLaunchDate: '2026-11-30' },
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.checklist).toEqual({ created: 0, cancelled: 0, redated: 13 });
    // Every item is now due on 2026-11-16 or later: nothing is overdue on 2026-11-02.
    expect((await tasksOf()).map((t) => t.status)).toEqual(['resolved', 'resolved', 'resolved', 'resolved']);
    const evidence = (await evidenceOf()).length;
    await sweep('2026-11-02', 'replan-b');
    expect(await tasksOf()).toHaveLength(4);
    expect(await evidenceOf()).toHaveLength(evidence);
  });

  it('opens one task per owner role against the new due dates, and a second sweep opens nothing more', async () => {
    // 2026-11-20: the items 14 days before 2026-11-30 (due 2026-11-16) are overdue, the others not yet.
    await sweep('2026-11-20', 'replan-c');
    const open = (await tasksOf()).filter((t) => t.status === 'open');
    expect(open.map((t) => t.subjectKey).sort()).toEqual([
      'compliance_officer',
      'department_manager',
      'marketing_manager',
    ]);
    const fresh = (await evidenceOf()).filter((e) => e.firedOn === '2026-11-20');
    expect(fresh.map((e) => (e.data as { dueOn: string }).dueOn)).toEqual([
      '2026-11-16',
      '2026-11-16',
      '2026-11-16',
    ]);
    await sweep('2026-11-20', 'replan-d');
    expect((await tasksOf()).filter((t) => t.status === 'open')).toHaveLength(3);
    expect((await evidenceOf()).filter((e) => e.firedOn === '2026-11-20')).toHaveLength(3);
  });
});
