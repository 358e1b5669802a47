import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertLaunchItems, insertProduct, updateProductFields } from '@tower/db';
import { DEFAULT_LAUNCH_TEMPLATE } from '@tower/domain';
import { buildChecklist } from '@tower/workflow-launch';
import { lifecycleMachine, persistLifecycleSnapshot } from '@tower/workflow-lifecycle';
import { call, makeBranch, makeDepartment, makePerson, type TestPerson } from '../support/api.js';
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
  departmentId = (await makeDepartment(s.db, 'injection')).id;
  branchId = (await makeBranch(s.db, 'sz-1')).id;
  owner = await makePerson(s.db, [{ role: 'product_manager' }]);
  marketing = await makePerson(s.db, [{ role: 'marketing_manager' }]);
  compliance = await makePerson(s.db, [{ role: 'compliance_officer' }]);
  injectionManager = await makePerson(s.db, [{ role: 'department_manager', departmentId, branchId }]);
  await makePerson(s.db, [{ role: 'director' }]);
  // A product in launch whose target date is 2026-11-08: items due 7 or 14 days before are overdue on 2026-11-02.
  const product = await insertProduct(s.db, {
    name: 'Picosecond laser',
    departmentId,
    tier: 'flagship',
    ownerId: owner.id,
    vendor: null,
    stage: 'launch',
    snapshot: persistLifecycleSnapshot(
      lifecycleMachine.resolveState({ value: 'launch', context: { productId: null } }),
    ),
  });
  productId = product.id;
  await updateProductFields(s.db, productId, { targetLaunchDate: '2026-11-08' });
  const items = buildChecklist({
    template: DEFAULT_LAUNCH_TEMPLATE,
    branchIds: [branchId],
    departmentId,
    targetLaunchDate: '2026-11-08',
  });
  await insertLaunchItems(
    s.db,
    items.map((item) => ({ ...item, productId })),
  );
});

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
