import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '@tower/domain';
import { call, makeBranch, makeDepartment, makePerson, type TestPerson } from '../support/api.js';
import { makeLiveProduct, settle, startStack, type StackHarness } from '../support/stack.js';
import {
  createIngestKey,
  ingestSales,
  LIST_FEN,
  salesRows,
  steadyThenDip,
  tasksOf,
  type SalesRow,
} from '../support/fixtures.js';

// Each signal of DOMAIN.md, from facts sent through the API to the task the worker opens.
// Every product is made for one test, so the tests do not see each other's tasks.

let s: StackHarness;
let admin: TestPerson;
let owner: TestPerson;
let marketing: TestPerson;
let injectionManagerA: TestPerson;
let injectionManagerB: TestPerson;
let injection: string;
let branchA: string;
let branchB: string;
let ingestKey: string;

/** makeLiveProduct's default costs sum to 100 000 fen; a profit product's floor is cost × 1.4. */
const FLOOR_FEN = 140_000;

/** Sales through this file's ingest key. */
const ingest = (rows: SalesRow[]) => ingestSales(s.app, ingestKey, rows);

async function evidenceOf(taskId: string) {
  return s.db
    .selectFrom('taskEvidence')
    .selectAll()
    .where('taskId', '=', taskId)
    .orderBy('firedOn')
    .orderBy('id')
    .execute();
}

async function product(name: string): Promise<string> {
  return makeLiveProduct(s.db, { departmentId: injection, ownerId: owner.id, name });
}

beforeAll(async () => {
  s = await startStack();
  injection = (await makeDepartment(s.db)).id;
  branchA = (await makeBranch(s.db)).id;
  branchB = (await makeBranch(s.db)).id;
  admin = await makePerson(s.db, [{ role: 'admin' }], 'Admin');
  owner = await makePerson(s.db, [{ role: 'product_manager' }], 'Owner');
  marketing = await makePerson(s.db, [{ role: 'marketing_manager' }], 'Marketing');
  await makePerson(s.db, [{ role: 'director' }], 'Director');
  await makePerson(s.db, [{ role: 'compliance_officer' }], 'Compliance');
  injectionManagerA = await makePerson(
    s.db,
    [{ role: 'department_manager', departmentId: injection, branchId: branchA }],
    'Injection A',
  );
  injectionManagerB = await makePerson(
    s.db,
    [{ role: 'department_manager', departmentId: injection, branchId: branchB }],
    'Injection B',
  );
  ingestKey = await createIngestKey(s.app, admin);
});

afterAll(async () => {
  await s?.close();
});

describe('target_miss', () => {
  it('opens a target_miss task for the marketing manager and the owner when month-to-date units are a fifth of the pro-rated target', async () => {
    const productId = await product('Hydrafacial signature');
    const target = await call(s.app, 'PUT', `/api/products/${productId}/targets`, {
      token: marketing.token,
      body: { branchId: branchA, month: '2026-10', units: 310 },
    });
    expect(target.status).toBe(200);
    // 2 units a day for 10 days = 20 units against a pro-rated 100 (310 × 10 / 31): 20 %.
    await ingest(salesRows(productId, branchA, '2026-10-01', 10, () => 2));
    await settle(s);

    const tasks = await tasksOf(s.db, productId);
    expect(tasks.map((t) => t.signal)).toEqual(['target_miss']);
    const [task] = tasks;
    expect(task!.branchId).toBe(branchA);
    expect(task!.assignees).toEqual([marketing.id, owner.id]);
    expect(task!.severity).toBe('medium');
    const evidence = await evidenceOf(task!.id);
    // The rule speaks from day 7 of the month: evidence for 7..10 October.
    expect(evidence.map((e) => e.firedOn)).toEqual(['2026-10-07', '2026-10-08', '2026-10-09', '2026-10-10']);
    expect(evidence.at(-1)!.data).toMatchObject({
      units: { actual: 20, target: 310, proRated: 100, missed: true },
    });
  });

  it('opens nothing for a product selling at its pro-rated target', async () => {
    const productId = await product('Hydrafacial on target');
    await call(s.app, 'PUT', `/api/products/${productId}/targets`, {
      token: owner.token,
      body: { branchId: branchA, month: '2026-10', units: 310 },
    });
    await ingest(salesRows(productId, branchA, '2026-10-01', 10, () => 10));
    await settle(s);
    expect(await tasksOf(s.db, productId)).toEqual([]);
  });
});

describe('target_miss over the month just ended (the monthly sweep)', () => {
  const sweep = async (jobId: string) => {
    await s.worker.queues.byName.signals.add('sweep-month-targets', { month: '2026-09' }, { jobId });
    await settle(s);
  };
  const withTarget = async (name: string) => {
    const productId = await product(name);
    const target = await call(s.app, 'PUT', `/api/products/${productId}/targets`, {
      token: marketing.token,
      body: { branchId: branchA, month: '2026-09', units: 300 },
    });
    expect(target.status).toBe(200);
    return productId;
  };

  it('opens target_miss for a branch that sold nothing and one that stopped sending, once; not for one on target', async () => {
    const silent = await withTarget('Sold nothing in September');
    const stopped = await withTarget('Stopped sending after five days');
    const onTarget = await withTarget('Sold its target in September');
    // Five days of 10 units: too early in the month for the pair's own evaluation to speak.
    await ingest(salesRows(stopped, branchA, '2026-09-01', 5, () => 10));
    await ingest(salesRows(onTarget, branchA, '2026-09-01', 30, () => 10));
    await settle(s);
    expect(await tasksOf(s.db, stopped)).toEqual([]);

    await sweep('month-sweep-a');
    const [silentTask, ...moreSilent] = await tasksOf(s.db, silent);
    const [stoppedTask, ...moreStopped] = await tasksOf(s.db, stopped);
    expect([...moreSilent, ...moreStopped]).toEqual([]);
    expect(await tasksOf(s.db, onTarget)).toEqual([]);
    expect(silentTask).toMatchObject({ signal: 'target_miss', branchId: branchA });
    expect(silentTask!.assignees).toEqual([marketing.id, owner.id]);
    const silentEvidence = await evidenceOf(silentTask!.id);
    expect(silentEvidence.map((e) => e.firedOn)).toEqual(['2026-09-30']);
    expect(silentEvidence[0]!.data).toMatchObject({
      daysElapsed: 30,
      units: { actual: 0, target: 300, missed: true },
    });
    expect((await evidenceOf(stoppedTask!.id))[0]!.data).toMatchObject({
      units: { actual: 50, target: 300 },
    });

    await sweep('month-sweep-b');
    expect(await tasksOf(s.db, silent)).toHaveLength(1);
    expect(await evidenceOf(silentTask!.id)).toHaveLength(1);
  });
});

describe('complaint_spike', () => {
  let productId: string;
  let complaintNo = 0;

  async function complain(branchId: string, occurredAt: string) {
    complaintNo += 1;
    const response = await call(s.app, 'POST', '/api/ingest/complaints', {
      token: ingestKey,
      body: {
        externalId: `CRM-SPIKE-${complaintNo}`,
        productId,
        branchId,
        occurredAt,
        category: 'service',
        severity: 'low',
        text: 'Waited 40 minutes past the appointment time',
      },
    });
    expect(response.status).toBe(201);
  }

  beforeAll(async () => {
    productId = await product('Botox 100U crow’s feet');
  });

  it('opens a complaint_spike task for the injection manager of branch B, with the owner informed, after 3 service complaints in 7 days', async () => {
    await complain(branchB, '2026-10-20T02:00:00Z');
    await complain(branchB, '2026-10-22T06:30:00Z');
    await complain(branchB, '2026-10-25T03:00:00Z');
    await settle(s);

    const tasks = await tasksOf(s.db, productId);
    expect(tasks.map((t) => t.signal)).toEqual(['complaint_spike']);
    const [task] = tasks;
    expect(task!.branchId).toBe(branchB);
    expect(task!.assignees).toEqual([injectionManagerB.id]);
    expect(task!.informed).toEqual([owner.id]);
    expect(task!.severity).toBe('high');
    const evidence = await evidenceOf(task!.id);
    expect(evidence.map((e) => e.firedOn)).toEqual(['2026-10-25']);
    expect(evidence[0]!.data).toMatchObject({ complaintsInCountWindow: 3, countThreshold: 3 });

    const ownersView = await call(s.app, 'GET', `/api/tasks?mine=true&productId=${productId}`, {
      token: owner.token,
    });
    expect(ownersView.body.items.map((t: { id: string }) => t.id)).toEqual([task!.id]);
  });

  it('opens nothing at branch A, where two complaints a week come in against plenty of orders', async () => {
    // 10 orders a day keeps the 30-day rate (at most 6 complaints in 300 orders) under 3 per 100.
    await ingest(salesRows(productId, branchA, '2026-09-01', 46, () => 10));
    for (const day of ['2026-10-01', '2026-10-02', '2026-10-08', '2026-10-09', '2026-10-15', '2026-10-16']) {
      await complain(branchA, `${day}T03:00:00Z`);
    }
    await settle(s);

    const spikes = await tasksOf(s.db, productId, 'complaint_spike');
    expect(spikes.map((t) => t.branchId)).toEqual([branchB]);
    expect((await tasksOf(s.db, productId)).every((t) => !t.assignees.includes(injectionManagerA.id))).toBe(
      true,
    );
    const recorded = await s.db
      .selectFrom('signals')
      .select('id')
      .where('productId', '=', productId)
      .where('branchId', '=', branchA)
      .execute();
    expect(recorded).toEqual([]);
  });
});

describe('margin_erosion', () => {
  /** New consumables cost for `productId`, effective 1 November. */
  const ingestCostChange = (productId: string, consumablesFen: number) =>
    call(s.app, 'POST', '/api/ingest/cost-changes', {
      token: ingestKey,
      body: { productId, consumablesFen, effectiveOn: '2026-11-01' },
    });

  it('opens a margin_erosion task for the owner when 14 days of sales realise an average price under the floor', async () => {
    const productId = await product('Fotona 4D discounted');
    // 120 000 fen a unit against a floor of 140 000.
    await ingest(salesRows(productId, branchA, '2026-10-01', 14, () => 5, 120_000));
    await settle(s);

    const tasks = await tasksOf(s.db, productId);
    expect(tasks.map((t) => t.signal)).toEqual(['margin_erosion']);
    const [task] = tasks;
    expect(task!.assignees).toEqual([owner.id]);
    expect(task!.branchId).toBe(branchA);
    const evidence = await evidenceOf(task!.id);
    expect(evidence.at(-1)!.data).toMatchObject({ averagePriceFen: 120_000, floorFen: FLOOR_FEN, units: 70 });
  });

  it('opens nothing when the realised average price holds above the floor', async () => {
    const productId = await product('Fotona 4D full price');
    await ingest(salesRows(productId, branchA, '2026-10-01', 14, () => 5, 150_000));
    await settle(s);
    expect(await tasksOf(s.db, productId)).toEqual([]);
  });

  it('opens a chain-wide margin_erosion task for the owner when a cost change puts the list price under the new floor', async () => {
    const productId = await product('Thread lift PDO');
    const change = await ingestCostChange(productId, 200_000);
    expect(change.status).toBe(202);
    expect(change.body.unitCostFen).toBe(250_000);
    await settle(s);

    const tasks = await tasksOf(s.db, productId);
    expect(tasks.map((t) => t.signal)).toEqual(['margin_erosion']);
    const [task] = tasks;
    expect(task!.branchId).toBeNull();
    expect(task!.assignees).toEqual([owner.id]);
    const [evidence] = await evidenceOf(task!.id);
    expect(evidence!.firedOn).toBe('2026-11-01');
    // New floor: 250 000 × 1.4 = 350 000; the list price is 50 000 short of it.
    expect(evidence!.data).toMatchObject({
      floorFen: 350_000,
      pricesUnderFloor: [{ type: 'list', amountFen: LIST_FEN, shortFen: 50_000 }],
    });
  });

  it('opens nothing for a cost change the list price still covers', async () => {
    const productId = await product('Thread lift small rise');
    const change = await ingestCostChange(productId, 60_000);
    expect(change.status).toBe(202);
    await settle(s);
    expect(await tasksOf(s.db, productId)).toEqual([]);
  });
});

describe('competitor_undercut', () => {
  const ingestCompetitorPrice = (row: Record<string, unknown>) =>
    call(s.app, 'POST', '/api/ingest/competitor-prices', { token: ingestKey, body: { rows: [row] } });

  it('ignores a competitor 10 % cheaper, then opens a task for the owner and marketing manager when one is 20 % cheaper', async () => {
    const productId = await product('Ultherapy full face');
    const tenPercent = await ingestCompetitorPrice({
      productId,
      competitor: 'Meilai Clinic',
      priceFen: 270_000,
      observedAt: '2026-10-30',
      platform: 'meituan',
    });
    expect(tenPercent.status).toBe(202);
    await settle(s);
    expect(await tasksOf(s.db, productId)).toEqual([]);

    const twentyPercent = await ingestCompetitorPrice({
      productId,
      competitor: 'Yestar',
      priceFen: 240_000,
      observedAt: '2026-10-31',
      platform: 'soyoung',
    });
    expect(twentyPercent.status).toBe(202);
    await settle(s);

    const tasks = await tasksOf(s.db, productId);
    expect(tasks.map((t) => t.signal)).toEqual(['competitor_undercut']);
    const [task] = tasks;
    expect(task!.branchId).toBeNull();
    expect(task!.assignees).toEqual([owner.id, marketing.id]);
    expect(task!.severity).toBe('low');
    const [evidence] = await evidenceOf(task!.id);
    expect(evidence!.data).toMatchObject({
      ourPriceFen: LIST_FEN,
      undercuts: [{ competitor: 'Yestar', priceFen: 240_000, belowPercent: 20 }],
      competitorsCompared: 2,
    });
  });
});

describe('stage_stalled', () => {
  let stalled: string;
  let fresh: string;
  let jobNo = 0;

  async function moveToPricingDaysAgo(productId: string, days: number) {
    const moved = await call(s.app, 'POST', `/api/products/${productId}/events`, {
      token: owner.token,
      body: { type: 'REPRICE', reason: 'cost review' },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.stage).toBe('pricing');
    await s.db
      .updateTable('products')
      .set({ stageEnteredAt: new Date(s.clock.now().getTime() - days * 86_400_000) })
      .where('id', '=', productId)
      .execute();
  }

  async function sweep(asOf: string) {
    jobNo += 1;
    await s.worker.queues.byName.signals.add(
      'sweep-stalled-stages',
      { asOf },
      { jobId: `sweep-test-${jobNo}` },
    );
    await settle(s);
  }

  beforeAll(async () => {
    stalled = await product('Picosecond laser toning');
    fresh = await product('Picosecond laser freckles');
    await moveToPricingDaysAgo(stalled, 20);
    await moveToPricingDaysAgo(fresh, 10);
    await settle(s);
  });

  it('opens one stage_stalled task for the owner of a product 20 days in pricing, and none for one 10 days in', async () => {
    await sweep('2026-11-02');
    const tasks = await tasksOf(s.db, stalled);
    expect(tasks.map((t) => t.signal)).toEqual(['stage_stalled']);
    expect(tasks[0]!.assignees).toEqual([owner.id]);
    expect(tasks[0]!.branchId).toBeNull();
    expect((await evidenceOf(tasks[0]!.id))[0]!.data).toMatchObject({
      stage: 'pricing',
      daysInStage: 20,
      maxDays: 14,
    });
    expect(await tasksOf(s.db, fresh)).toEqual([]);
  });

  it('keeps one task and one evidence row per day however often the sweep runs', async () => {
    await sweep('2026-11-02');
    await sweep('2026-11-03');
    await sweep('2026-11-03');
    const tasks = await tasksOf(s.db, stalled, 'stage_stalled');
    expect(tasks).toHaveLength(1);
    expect((await evidenceOf(tasks[0]!.id)).map((e) => e.firedOn)).toEqual(['2026-11-02', '2026-11-03']);
    const signals = await s.db
      .selectFrom('signals')
      .select('firedOn')
      .where('productId', '=', stalled)
      .orderBy('firedOn')
      .execute();
    expect(signals.map((r) => r.firedOn)).toEqual(['2026-11-02', '2026-11-03']);
  });

  it('auto-resolves the stage_stalled task when the product moves on to training', async () => {
    const moved = await call(s.app, 'POST', `/api/products/${stalled}/events`, {
      token: owner.token,
      body: { type: 'APPROVE_PRICING' },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.stage).toBe('training');
    await settle(s);
    const [task] = await tasksOf(s.db, stalled, 'stage_stalled');
    expect(task!.status).toBe('resolved');
    expect(task!.decision).toBe('keep');
    expect(task!.resolutionNote).toMatch(/Auto-resolved: the product moved from pricing to training/);
  });
});

describe('sales_dip and the holiday calendar', () => {
  it('opens a sales_dip task when units halve in an ordinary week (the control for the holiday case)', async () => {
    const productId = await product('Water-light injection ordinary');
    await ingest(steadyThenDip(productId, branchA, { from: '2026-06-01', dipUnits: 5 }));
    await settle(s);
    const tasks = await tasksOf(s.db, productId);
    expect(tasks.map((t) => t.signal)).toEqual(['sales_dip']);
    expect(tasks[0]!.assignees).toEqual([owner.id, marketing.id]);
  });

  it('opens no sales_dip task when the same halving falls in the National Day holiday week', async () => {
    const holiday = await call(s.app, 'PUT', '/api/calendar/days', {
      token: admin.token,
      body: {
        days: Array.from({ length: 7 }, (_, i) => ({
          date: addDays('2026-10-01', i),
          kind: 'holiday',
          name: '国庆节 National Day',
        })),
      },
    });
    expect(holiday.status).toBe(200);
    const productId = await product('Water-light injection golden week');
    // Eight steady weeks to 30 September, then 1–7 October at half the units.
    await ingest(steadyThenDip(productId, branchA, { from: '2026-08-06', dipUnits: 5 }));
    await settle(s);
    expect(await tasksOf(s.db, productId)).toEqual([]);
    const signals = await s.db
      .selectFrom('signals')
      .select('id')
      .where('productId', '=', productId)
      .execute();
    expect(signals).toEqual([]);
  });
});
