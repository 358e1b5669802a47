// The cross-department launch checklist over HTTP (issue 11): made per branch from the tier's
// template, completed by the people who hold each item's role and scope, undone with a reason,
// re-planned with the branches and the date, and what blocks launch shown on the way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import {
  insertProduct,
  insertTrainee,
  recordTraineeResult,
  replaceLaunchBranches,
  updateProductFields,
} from '@tower/db';
import { lifecycleMachine, persistLifecycleSnapshot } from '@tower/workflow-lifecycle';
import { call, startApi, type ApiHarness, type TestPerson } from '../support/api.js';
import { makeCast } from '../support/cast.js';
import { addCompetitorPrices, COMPLETE_SHEET, createProduct, sendEvent } from '../support/fixtures.js';
import type { Tier } from '@tower/domain';

interface Item {
  id: string;
  branchId: string;
  ownerRole: string;
  departmentId: string | null;
  title: string;
  dueOn: string;
  status: string;
  overdue: boolean;
  templateVersion: number;
  completedBy: string | null;
}

let h: ApiHarness;
let injection: string;
let branchA: string;
let branchB: string;
let branchC: string;
const people: Record<string, TestPerson> = {};

async function ok(result: Promise<{ status: number; body: any }>, status = 200) {
  const { status: got, body } = await result;
  expect(got, JSON.stringify(body)).toBe(status);
  return body;
}

const checklist = async (productId: string, token = people.owner!.token) =>
  ok(call(h.app, 'GET', `/api/products/${productId}/launch`, { token }));

const complete = (itemId: string, who: TestPerson, body: Record<string, unknown> = {}) =>
  call(h.app, 'POST', `/api/launch-items/${itemId}/complete`, { token: who.token, body });

const undo = (itemId: string, who: TestPerson, reason: string) =>
  call(h.app, 'POST', `/api/launch-items/${itemId}/undo`, { token: who.token, body: { reason } });

const replan = (productId: string, branchIds: string[], targetLaunchDate: string) =>
  ok(
    call(h.app, 'PUT', `/api/products/${productId}/launch-branches`, {
      token: people.owner!.token,
      body: { branchIds, targetLaunchDate },
    }),
  );

/** Who completes an item: the holder of its role at its branch (department items: that branch's injection manager). */
function holderOf(item: Item): TestPerson {
  const at = item.branchId === branchA ? 'A' : item.branchId === branchB ? 'B' : 'C';
  switch (item.ownerRole) {
    case 'product_manager':
      return people.owner!;
    case 'compliance_officer':
      return people.compliance!;
    case 'marketing_manager':
      return people[`marketing${at}`]!;
    default:
      return people[`injection${at}`]!;
  }
}

/** A product of `tier` in training with everything its gate reads, through the repositories. */
async function productInTraining(tier: Tier, branchIds: string[], targetLaunchDate = '2026-12-01') {
  const product = await insertProduct(h.db, {
    at: new Date(),
    name: `Thread lift ${tier}`,
    departmentId: injection,
    tier,
    ownerId: people.owner!.id,
    vendor: null,
    stage: 'training',
    snapshot: persistLifecycleSnapshot(
      lifecycleMachine.resolveState({ value: 'training', context: { productId: null } }),
    ),
  });
  await replaceLaunchBranches(h.db, product.id, branchIds);
  await updateProductFields(h.db, product.id, { targetLaunchDate }, new Date());
  for (const branchId of branchIds) {
    for (const role of ['doctor', 'consultant'] as const) {
      const trainee = await insertTrainee(h.db, { productId: product.id, branchId, name: role, role });
      await recordTraineeResult(h.db, product.id, trainee, {
        passed: true,
        score: 90,
        at: '2026-11-01T08:00:00Z',
      });
    }
  }
  return product.id;
}

async function enterLaunch(productId: string): Promise<Item[]> {
  await ok(sendEvent(h.app, people.owner!.token, productId, 'COMPLETE_TRAINING'));
  return (await checklist(productId)).items;
}

const itemRow = (id: string) =>
  h.db.selectFrom('launchItems').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const auditOf = (id: string) =>
  h.db
    .selectFrom('auditLog')
    .select(['action', 'actorId', 'data'])
    .where('entityId', '=', id)
    .orderBy('id')
    .execute();

beforeAll(async () => {
  h = await startApi();
  const cast = await makeCast(h.db, {
    departments: ['injection', 'skin'],
    branches: ['SH01', 'BJ-CY', 'SZ_3'],
    people: ({ departments: d, branches: { SH01: a, 'BJ-CY': b, SZ_3: c } }) => ({
      owner: [{ role: 'product_manager' }],
      otherPm: [{ role: 'product_manager' }],
      compliance: [{ role: 'compliance_officer' }],
      compliance2: [{ role: 'compliance_officer' }],
      admin: [{ role: 'admin' }],
      director: [{ role: 'director' }],
      marketingA: [{ role: 'marketing_manager', branchId: a }],
      injectionA: [{ role: 'department_manager', departmentId: d.injection, branchId: a }],
      marketingB: [{ role: 'marketing_manager', branchId: b }],
      injectionB: [{ role: 'department_manager', departmentId: d.injection, branchId: b }],
      marketingC: [{ role: 'marketing_manager', branchId: c }],
      injectionC: [{ role: 'department_manager', departmentId: d.injection, branchId: c }],
      skinA: [{ role: 'department_manager', departmentId: d.skin, branchId: a }],
    }),
  });
  injection = cast.departments.injection;
  ({ SH01: branchA, 'BJ-CY': branchB, SZ_3: branchC } = cast.branches);
  Object.assign(people, cast.people);
});

afterAll(async () => {
  await h?.close();
});

describe('the cross-department flow at two branches', () => {
  it('walks from research to monitoring with each department ticking off its items at each branch', async () => {
    const owner = people.owner!;
    const productId = await createProduct(h.app, owner, { name: 'HA filler 1 ml', departmentId: injection });
    await addCompetitorPrices(h.app, owner.token, productId);
    await ok(
      call(h.app, 'PUT', `/api/products/${productId}/target-customers`, {
        token: owner.token,
        body: { description: 'Women 28–45' },
      }),
    );
    await ok(sendEvent(h.app, owner.token, productId, 'APPROVE_RESEARCH'));
    await ok(
      call(h.app, 'PUT', `/api/products/${productId}/sheet`, { token: owner.token, body: COMPLETE_SHEET }),
    );
    await ok(sendEvent(h.app, people.compliance!.token, productId, 'APPROVE_PACKAGING'));
    await ok(
      call(h.app, 'PUT', `/api/products/${productId}/costs`, {
        token: owner.token,
        body: { consumablesFen: 60_000, labourFen: 20_000, overheadFen: 10_000, marketingFen: 10_000 },
      }),
    );
    await ok(
      call(h.app, 'PUT', `/api/products/${productId}/prices`, {
        token: owner.token,
        body: { prices: [{ type: 'list', amountFen: 230_000 }] },
      }),
    );
    await ok(sendEvent(h.app, owner.token, productId, 'APPROVE_PRICING'));
    await replan(productId, [branchA, branchB], '2026-12-01');
    for (const branchId of [branchA, branchB]) {
      for (const role of ['doctor', 'consultant'] as const) {
        const trainee = await ok(
          call(h.app, 'POST', `/api/products/${productId}/trainees`, {
            token: owner.token,
            body: { branchId, name: role, role },
          }),
          201,
        );
        await ok(
          call(h.app, 'POST', `/api/products/${productId}/trainees/${trainee.id}/result`, {
            token: owner.token,
            body: { passed: true, score: 90, at: '2026-11-01T08:00:00Z' },
          }),
        );
      }
    }
    const items = await enterLaunch(productId);

    const made = await checklist(productId);
    expect(made).toMatchObject({ templateVersion: 1, done: 0, total: 26, percentDone: 0 });
    expect(made.byBranch.map((b: { branchId: string; total: number }) => [b.branchId, b.total])).toEqual(
      [
        [branchA, 13],
        [branchB, 13],
      ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
    expect(
      made.byRole.map((r: { ownerRole: string; total: number }) => [r.ownerRole, r.total]).sort(),
    ).toEqual([
      ['compliance_officer', 6],
      ['department_manager', 8],
      ['marketing_manager', 6],
      ['product_manager', 6],
    ]);
    expect(made.blockers).toHaveLength(26);
    const departmentItems = items.filter((i) => i.ownerRole === 'department_manager');
    expect(departmentItems.every((i) => i.departmentId === injection)).toBe(true);
    // Due = target launch date − days before: "Treatment SOP written" is 14 days before 2026-12-01.
    expect(items.find((i) => i.title === 'Treatment SOP written')!.dueOn).toBe('2026-11-17');

    // The gate names each missing item with its branch and owner role.
    const refused = await sendEvent(h.app, owner.token, productId, 'LAUNCH');
    expect(refused.status).toBe(422);
    expect(refused.body.reasons).toHaveLength(26);
    expect(refused.body.reasons.map((r: { itemId: string }) => r.itemId).sort()).toEqual(
      items.map((i) => i.id).sort(),
    );
    expect(refused.body.reasons[0]).toEqual(
      expect.objectContaining({
        code: 'CHECKLIST_ITEM_OPEN',
        branchId: expect.any(String),
        ownerRole: expect.any(String),
        title: expect.any(String),
      }),
    );

    // Each department's inbox holds its own items at its own branch.
    const inboxB = await ok(
      call(h.app, 'GET', '/api/launch-items?mine=true', { token: people.injectionB!.token }),
    );
    expect(inboxB.items).toHaveLength(4);
    expect(
      inboxB.items.every((i: Item) => i.branchId === branchB && i.ownerRole === 'department_manager'),
    ).toBe(true);
    expect(inboxB.items[0].productName).toBe('HA filler 1 ml');

    // Branch A first: its progress reaches 100 % while B stays at 0.
    for (const item of items.filter((i) => i.branchId === branchA)) {
      const done = await complete(item.id, holderOf(item), {
        note: 'done',
        evidenceUrl: 'https://wiki.clinic.example/launch/1',
      });
      expect(done.status, `${item.ownerRole} at A: ${JSON.stringify(done.body)}`).toBe(200);
    }
    const half = await checklist(productId, people.marketingB!.token);
    expect(half).toMatchObject({ done: 13, total: 26, percentDone: 50 });
    const byBranch = Object.fromEntries(
      half.byBranch.map((b: { branchId: string; percentDone: number }) => [b.branchId, b.percentDone]),
    );
    expect(byBranch).toEqual({ [branchA]: 100, [branchB]: 0 });
    expect(half.blockers.every((b: { branchId: string }) => b.branchId === branchB)).toBe(true);

    for (const item of items.filter((i) => i.branchId === branchB)) {
      expect((await complete(item.id, holderOf(item))).status).toBe(200);
    }
    const all = await checklist(productId);
    expect(all).toMatchObject({ percentDone: 100, blockers: [] });
    const launched = await ok(sendEvent(h.app, owner.token, productId, 'LAUNCH'));
    expect(launched.stage).toBe('monitoring');
  });
});

describe('who may complete an item', () => {
  it('refuses another department, another branch, another product manager and an admin, changing nothing', async () => {
    const productId = await productInTraining('profit', [branchA]);
    const items = await enterLaunch(productId);
    const of = (role: string) => items.find((i) => i.ownerRole === role)!;
    const attempts: [Item, TestPerson, number][] = [
      [of('department_manager'), people.skinA!, 404],
      [of('department_manager'), people.injectionB!, 403],
      [of('marketing_manager'), people.marketingB!, 403],
      [of('marketing_manager'), people.compliance!, 403],
      [of('product_manager'), people.otherPm!, 403],
      [of('compliance_officer'), people.admin!, 403],
    ];
    for (const [item, who, status] of attempts) {
      const before = await itemRow(item.id);
      const answer = await complete(item.id, who, { note: 'not mine' });
      expect(answer.status, `${item.ownerRole} by ${JSON.stringify(answer.body)}`).toBe(status);
      expect(await itemRow(item.id)).toEqual(before);
      expect((await auditOf(item.id)).map((a) => a.action)).toEqual([]);
    }
    const history = await ok(
      call(h.app, 'GET', `/api/launch-items/${of('marketing_manager').id}`, { token: people.owner!.token }),
    );
    expect(history.history.map((e: { change: string }) => e.change)).toEqual(['created']);
    // The hidden product's items are hidden too.
    expect(
      (await call(h.app, 'GET', `/api/launch-items/${items[0]!.id}`, { token: people.skinA!.token })).status,
    ).toBe(404);
  });
});

describe('undo', () => {
  it('reopens the item, is audited and shown in its history; only the completer or an admin may', async () => {
    const productId = await productInTraining('profit', [branchA]);
    const item = (await enterLaunch(productId)).find((i) => i.ownerRole === 'compliance_officer')!;
    await ok(
      complete(item.id, people.compliance!, { note: 'reviewed v3', evidenceUrl: 'https://dms.example/ad/3' }),
    );

    const twice = await complete(item.id, people.compliance!);
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ error: 'event_not_allowed', allowed: ['UNDO', 'REPLAN'] });

    expect((await undo(item.id, people.compliance2!, 'wrong copy')).status).toBe(403);
    const undone = await ok(undo(item.id, people.compliance!, 'the copy changed after review'));
    expect(undone).toMatchObject({ status: 'pending', completedBy: null, note: null, evidenceUrl: null });

    const again = await undo(item.id, people.compliance!, 'twice');
    expect(again.status).toBe(409);
    expect(again.body.allowed).toEqual(['COMPLETE', 'CANCEL', 'REPLAN']);

    await ok(complete(item.id, people.compliance2!, { note: 'reviewed v4' }));
    await ok(undo(item.id, people.admin!, 'v4 was sent to the wrong channel'));

    const detail = await ok(
      call(h.app, 'GET', `/api/launch-items/${item.id}`, { token: people.marketingA!.token }),
    );
    expect(
      detail.history.map((e: { change: string; note: string | null; actorId: string | null }) => [
        e.change,
        e.note,
        e.actorId,
      ]),
    ).toEqual([
      ['created', null, people.owner!.id],
      ['completed', 'reviewed v3', people.compliance!.id],
      ['undone', 'the copy changed after review', people.compliance!.id],
      ['completed', 'reviewed v4', people.compliance2!.id],
      ['undone', 'v4 was sent to the wrong channel', people.admin!.id],
    ]);
    expect(detail.history[1].evidenceUrl).toBe('https://dms.example/ad/3');
    expect((await auditOf(item.id)).map((a) => [a.action, a.actorId])).toEqual([
      ['launch_item.completed', people.compliance!.id],
      ['launch_item.undone', people.compliance!.id],
      ['launch_item.completed', people.compliance2!.id],
      ['launch_item.undone', people.admin!.id],
    ]);
  });
});

describe('re-planning', () => {
  it('keeps done items, cancels a dropped branch open ones, plans a new branch and moves every date', async () => {
    const productId = await productInTraining('profit', [branchA, branchB], '2026-12-01');
    const items = await enterLaunch(productId);
    const doneAtB = items.filter((i) => i.branchId === branchB && i.ownerRole === 'marketing_manager');
    for (const item of doneAtB) await ok(complete(item.id, people.marketingB!));
    const doneAtA = items.find((i) => i.branchId === branchA && i.ownerRole === 'compliance_officer')!;
    await ok(complete(doneAtA.id, people.compliance!));

    const answer = await replan(productId, [branchA, branchC], '2026-12-08');
    expect(answer.checklist).toEqual({ created: 13, cancelled: 10, redated: 13 });

    const after = await checklist(productId);
    const now = new Map<string, Item>(after.items.map((i: Item) => [i.id, i]));
    for (const item of doneAtB) expect(now.get(item.id)).toMatchObject({ status: 'done', dueOn: item.dueOn });
    const openAtB = items.filter((i) => i.branchId === branchB && i.ownerRole !== 'marketing_manager');
    expect(openAtB.every((i) => now.get(i.id)!.status === 'cancelled')).toBe(true);
    for (const item of items.filter((i) => i.branchId === branchA)) {
      const moved = now.get(item.id)!;
      expect(moved.dueOn > item.dueOn).toBe(true);
      expect(moved.status).toBe(item.id === doneAtA.id ? 'done' : 'pending');
    }
    const atC = after.items.filter((i: Item) => i.branchId === branchC);
    expect(atC).toHaveLength(13);
    expect(atC.find((i: Item) => i.title === 'Treatment SOP written').dueOn).toBe('2026-11-24');
    // Cancelled items neither count nor block; B's done items still show.
    expect(after.total).toBe(13 + 13 + 3);
    expect(after.blockers.some((b: { branchId: string }) => b.branchId === branchB)).toBe(false);
    const refused = await sendEvent(h.app, people.owner!.token, productId, 'LAUNCH');
    expect(refused.body.reasons).toHaveLength(12 + 13);

    const moved = await ok(
      call(h.app, 'GET', `/api/launch-items/${doneAtA.id}`, { token: people.owner!.token }),
    );
    expect(moved.history.at(-1)).toMatchObject({
      change: 'replanned',
      dueOnBefore: doneAtA.dueOn,
      dueOnAfter: '2026-11-24',
    });
    const cancelled = await ok(
      call(h.app, 'GET', `/api/launch-items/${openAtB[0]!.id}`, { token: people.owner!.token }),
    );
    expect(cancelled.history.at(-1)).toMatchObject({ change: 'cancelled', actorId: people.owner!.id });
    expect((await complete(openAtB[0]!.id, holderOf(openAtB[0]!))).body).toMatchObject({
      error: 'event_not_allowed',
      allowed: [],
    });

    // Adding B back plans fresh items for what was cancelled and keeps what was done.
    const back = await replan(productId, [branchA, branchB, branchC], '2026-12-08');
    expect(back.checklist).toMatchObject({ created: 10, cancelled: 0 });
  });
});

describe('templates', () => {
  it('gives a package card its two extra items', async () => {
    const items = await enterLaunch(await productInTraining('package', [branchA, branchB]));
    expect(items).toHaveLength(30);
    const extra = items.filter((i) =>
      ['Card terms and expiry approved', 'Cashier card setup'].includes(i.title),
    );
    expect(extra.map((i) => [i.title, i.ownerRole]).sort()).toEqual([
      ['Card terms and expiry approved', 'compliance_officer'],
      ['Card terms and expiry approved', 'compliance_officer'],
      ['Cashier card setup', 'product_manager'],
      ['Cashier card setup', 'product_manager'],
    ]);
  });

  it('applies a template change to the next checklist, not to one already made', async () => {
    const first = await productInTraining('flagship', [branchA]);
    expect(await enterLaunch(first)).toHaveLength(13);

    const listed = await ok(call(h.app, 'GET', '/api/launch-templates', { token: people.marketingA!.token }));
    expect(
      listed.templates.map((t: { tier: string; version: number; builtIn: boolean }) => [
        t.tier,
        t.version,
        t.builtIn,
      ]),
    ).toEqual([
      ['traffic', 1, true],
      ['profit', 1, true],
      ['flagship', 1, true],
      ['custom', 1, true],
      ['package', 1, true],
    ]);
    const flagship = listed.templates.find((t: { tier: string }) => t.tier === 'flagship');
    const items = [
      ...flagship.items,
      {
        ownerRole: 'marketing_manager',
        title: 'Flagship launch event booked',
        titleZh: '主推款发布会已预订',
        daysBefore: 21,
        required: false,
      },
    ];
    const refused = await call(h.app, 'PUT', '/api/launch-templates/flagship', {
      token: people.owner!.token,
      body: { items },
    });
    expect(refused.status).toBe(403);
    const duplicate = await call(h.app, 'PUT', '/api/launch-templates/flagship', {
      token: people.admin!.token,
      body: { items: [...items, { ...items[0], title: ` ${String(items[0].title).toUpperCase()} ` }] },
    });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.fields).toEqual([
      {
        field: `/items/${items.length}/title`,
        message: expect.any(String),
        code: 'TEMPLATE_ITEM_REPEATED',
        params: { item: 0 },
      },
    ]);
    const saved = await ok(
      call(h.app, 'PUT', '/api/launch-templates/flagship', { token: people.admin!.token, body: { items } }),
    );
    expect(saved).toMatchObject({
      tier: 'flagship',
      version: 2,
      builtIn: false,
      createdBy: people.admin!.id,
    });
    expect(saved.items).toHaveLength(14);

    // The checklist already made keeps its version, even when a branch is added to it.
    await replan(first, [branchA, branchB], '2026-12-01');
    const kept = await checklist(first);
    expect(kept).toMatchObject({ templateVersion: 1, total: 26 });

    const second = await productInTraining('flagship', [branchA]);
    const next = await enterLaunch(second);
    expect(next).toHaveLength(14);
    expect(next.every((i) => i.templateVersion === 2)).toBe(true);
    expect(next.find((i) => i.title === 'Flagship launch event booked')).toMatchObject({
      dueOn: '2026-11-10',
    });
    const rows = await h.db
      .selectFrom('launchTemplates')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    expect(rows.n).toBe(1);
  });
});

describe('overdue in the inbox', () => {
  it("lists a person's own overdue items across products, by the same rule the gate and the sweep use", async () => {
    const productId = await productInTraining('traffic', [branchA], '2026-11-10');
    const items = await enterLaunch(productId);
    // On 2026-11-02 (Shanghai) items due before it are overdue: those 14 days before 2026-11-10.
    const overdue = await ok(
      call(h.app, 'GET', '/api/launch-items?mine=true&overdue=true', { token: people.injectionA!.token }),
    );
    const expected = items.filter((i) => i.ownerRole === 'department_manager' && i.dueOn < '2026-11-02');
    expect(overdue.items.map((i: Item) => i.id).sort()).toEqual(expected.map((i) => i.id).sort());
    expect(overdue.items.every((i: Item) => i.overdue)).toBe(true);
    // Re-planned to a later date, nothing is overdue any more.
    await replan(productId, [branchA], '2026-12-20');
    const none = await ok(
      call(h.app, 'GET', '/api/launch-items?mine=true&overdue=true', { token: people.injectionA!.token }),
    );
    expect(
      none.items.filter((i: Item) => i.branchId === branchA && expected.some((e) => e.id === i.id)),
    ).toEqual([]);
  });
});

describe('the OpenAPI document', () => {
  it('describes what each launch route answers, per status', async () => {
    const docs = await ok(call(h.app, 'GET', '/docs/json'));
    const responses = (path: string, method: string) =>
      Object.keys((docs.paths[path][method] as { responses: Record<string, unknown> }).responses).sort();
    // Every route also documents 500 and 503 (the service failed or is unavailable).
    const always = ['401', '403', '500', '503'];
    expect(responses('/api/products/{id}/launch', 'get')).toEqual(['200', '400', '404', ...always].sort());
    expect(responses('/api/launch-items/{id}/undo', 'post')).toEqual(
      ['200', '400', '404', '409', ...always].sort(),
    );
    expect(responses('/api/launch-templates/{tier}', 'put')).toEqual(['200', '400', '409', ...always].sort());
    const checklist =
      docs.paths['/api/products/{id}/launch'].get.responses['200'].content['application/json'].schema;
    expect(Object.keys(checklist.properties)).toEqual(
      expect.arrayContaining(['items', 'percentDone', 'byBranch', 'byRole', 'blockers', 'templateVersion']),
    );
  });
});
