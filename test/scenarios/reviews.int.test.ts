// The quarterly product-tower review end to end: a small fixed data set (a quarter with a holiday, a
// cost change mid-quarter, a list-price change mid-quarter and one after it, a product launched
// mid-quarter, one with no sales) against hand-computed figures; one review per quarter, tasks per
// department that notify and escalate like any other task and that a rerun never duplicates,
// decisions kept, applied and shown in the product's history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertListPriceRecord, replacePrices } from '@tower/db';
import { addDays } from '@tower/domain';
import { call, makeBranch, makePerson, type TestPerson } from '../support/api.js';
import {
  eventually,
  makeLiveProduct,
  settle,
  startReceiver,
  startStack,
  type StackHarness,
} from '../support/stack.js';
import { createIngestKey, withChannels } from '../support/fixtures.js';

let stack: StackHarness;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let admin: TestPerson;
let owner: TestPerson;
let director: TestPerson;
let surgeryManager: TestPerson;
let key: string;
const ids: Record<string, string> = {};
let skinId: string;
let surgeryId: string;

function days(from: string, n: number) {
  return Array.from({ length: n }, (_, i) => addDays(from, i));
}

async function ingest(rows: object[]) {
  const r = await call(stack.app, 'POST', '/api/ingest/sales', { token: key, body: { rows } });
  expect(r.status, JSON.stringify(r.body)).toBe(202);
}

async function runReview(quarter: string, token = owner.token): Promise<string> {
  const before = await stack.db
    .selectFrom('reviews')
    .select(['id', 'runs'])
    .where('quarter', '=', quarter)
    .executeTakeFirst();
  const r = await call(stack.app, 'POST', '/api/reviews/quarterly', { token, body: { quarter } });
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  const reviewId: string = r.body.reviewId;
  await eventually(`review ${quarter} computed`, async () => {
    await stack.worker.relayNow();
    const row = await stack.db
      .selectFrom('reviews')
      .select('runs')
      .where('id', '=', reviewId)
      .executeTakeFirst();
    return row && row.runs > (before?.runs ?? 0);
  });
  return reviewId;
}

beforeAll(async () => {
  // The test clock stands at 2 Nov 2026: 2026-Q3 is the quarter just ended.
  stack = await startStack();
  receiver = await startReceiver();
  admin = await makePerson(stack.db, [{ role: 'admin' }]);
  owner = await withChannels(
    stack.db,
    await makePerson(stack.db, [{ role: 'product_manager' }], 'Owner PM'),
    ['webhook'],
    receiver.url,
  );
  director = await withChannels(
    stack.db,
    await makePerson(stack.db, [{ role: 'director' }]),
    ['webhook'],
    receiver.url,
  );
  key = await createIngestKey(stack.app, admin);

  const skin = await call(stack.app, 'POST', '/api/departments', {
    token: admin.token,
    body: { code: 'skin', name: '皮肤科' },
  });
  const surgery = await call(stack.app, 'POST', '/api/departments', {
    token: admin.token,
    body: { code: 'surgery', name: '整形外科' },
  });
  skinId = skin.body.id;
  surgeryId = surgery.body.id;
  surgeryManager = await makePerson(stack.db, [{ role: 'department_manager', departmentId: surgeryId }]);
  const b1 = (await makeBranch(stack.db)).id;
  const b2 = (await makeBranch(stack.db)).id;

  // 中秋 (25–27 Sep) is a holiday: left out of signal baselines, but its sales count in the quarter.
  const calendar = await call(stack.app, 'PUT', '/api/calendar/days', {
    token: admin.token,
    body: { days: days('2026-09-25', 3).map((date) => ({ date, kind: 'holiday', name: '中秋节' })) },
  });
  expect(calendar.status, JSON.stringify(calendar.body)).toBeLessThan(300);

  ids.photo = await makeLiveProduct(stack.db, {
    name: '光子嫩肤',
    departmentId: skinId,
    ownerId: owner.id,
    tier: 'profit',
    costs: [3_000, 1_000, 500, 500],
    listFen: 12_500,
  });
  ids.hydra = await makeLiveProduct(stack.db, {
    name: '水光针',
    departmentId: skinId,
    ownerId: owner.id,
    tier: 'traffic',
    costs: [1_000, 500, 200, 200],
    listFen: 2_500,
  });
  ids.card = await makeLiveProduct(stack.db, {
    name: '焕肤套餐卡',
    departmentId: skinId,
    ownerId: owner.id,
    tier: 'package',
    costs: [10_000, 5_000, 2_000, 3_000],
    listFen: 99_000,
  });
  ids.eyelid = await makeLiveProduct(stack.db, {
    name: '双眼皮',
    departmentId: surgeryId,
    ownerId: owner.id,
    tier: 'profit',
    costs: [5_000, 5_000, 2_000, 3_000],
    listFen: 30_000,
  });

  // List prices in force: 水光针 went from ¥25 to ¥30 on 22 Aug, in the middle of its sales; 光子嫩肤
  // from ¥125 to ¥200 on 15 Oct, after the quarter (today's list price, which Q3's discount ignores).
  await insertListPriceRecord(stack.db, {
    productId: ids.hydra,
    effectiveFrom: '2026-08-22',
    amountFen: 3_000,
  });
  await replacePrices(
    stack.db,
    ids.photo,
    [{ type: 'list', amountFen: 20_000, sessions: null }],
    stack.clock.now(),
  );
  await insertListPriceRecord(stack.db, {
    productId: ids.photo,
    effectiveFrom: '2026-10-15',
    amountFen: 20_000,
  });

  const row = (
    productId: string,
    branchId: string,
    date: string,
    units: number,
    perUnit: number,
    orders = units,
    returningOrders = 0,
  ) => ({
    productId,
    branchId,
    date,
    units,
    revenueFen: units * perUnit,
    orders,
    returningOrders,
  });
  await ingest([
    // 光子嫩肤: 16–25 Aug at b2 (3 a day); the 中秋 week 21–27 Sep at b1 (10 a day, 8 orders of which 2 returning).
    ...days('2026-08-16', 10).map((d) => row(ids.photo!, b2, d, 3, 10_000)),
    ...days('2026-09-21', 7).map((d) => row(ids.photo!, b1, d, 10, 10_000, 8, 2)),
    // The quarter before (Q2) and the same quarter last year.
    ...days('2026-06-01', 10).map((d) => row(ids.photo!, b1, d, 8, 10_000)),
    ...days('2025-09-01', 5).map((d) => row(ids.photo!, b1, d, 10, 10_000)),
    // 水光针 first sells on 20 Aug: launched mid-quarter.
    ...days('2026-08-20', 5).map((d) => row(ids.hydra!, b1, d, 20, 2_000)),
    // 双眼皮 in surgery.
    row(ids.eyelid, b1, '2026-09-10', 4, 25_000),
  ]);
  // The cost of 光子嫩肤 rises from ¥50 to ¥60 a unit on 24 Sep, in the middle of the holiday week.
  const cost = await call(stack.app, 'POST', '/api/ingest/cost-changes', {
    token: owner.token,
    body: { productId: ids.photo, consumablesFen: 4_000, effectiveOn: '2026-09-24' },
  });
  expect(cost.status, JSON.stringify(cost.body)).toBe(202);
  for (const [i, day] of ['2026-08-20', '2026-09-22'].entries()) {
    const complaint = await call(stack.app, 'POST', '/api/ingest/complaints', {
      token: key,
      body: {
        externalId: `c-photo-${i}`,
        productId: ids.photo,
        branchId: b1,
        occurredAt: `${day}T03:00:00Z`,
        category: 'service',
        severity: 'low',
        text: '等候时间长',
      },
    });
    expect(complaint.status, JSON.stringify(complaint.body)).toBeLessThan(300);
  }
  await settle(stack);
}, 60_000);

afterAll(async () => {
  await stack?.close();
  await receiver?.close();
});

describe('quarterly review on a small fixed data set', () => {
  let reviewId: string;

  it('computes the hand-computed figures from the rollups and the costs in force', async () => {
    reviewId = await runReview('2026-Q3');
    const review = await call(stack.app, 'GET', `/api/reviews/${reviewId}`, { token: owner.token });
    expect(review.status, JSON.stringify(review.body)).toBe(200);
    expect(review.body).toMatchObject({
      quarter: '2026-Q3',
      from: '2026-07-01',
      to: '2026-09-30',
      status: 'ready',
    });
    const skin = review.body.departments.find((d: { departmentId: string }) => d.departmentId === skinId);
    const row = (id: string) => skin.rows.find((r: { productId: string }) => r.productId === id);
    // Revenue 1,000,000 (30 units in Aug + 70 in the holiday week); the cost rose on 24 Sep:
    // (30 + 30) × ¥50 + 40 × ¥60 = 540,000.
    expect(row(ids.photo!)).toMatchObject({
      units: 100,
      orders: 86,
      revenueFen: 1_000_000,
      costFen: 540_000,
      grossMarginFen: 460_000,
      grossMarginPercent: 46,
      growthPercent: 25,
      growthYearOnYearPercent: 100,
      complaints: 2,
      complaintsPer100Orders: 2.3,
      repurchaseRatePercent: 16.3,
      // Against Q3's list price of ¥125, not today's ¥200.
      averageDiscountPercent: 20,
      launchedInQuarter: false,
      sharePercent: 83.3,
      quadrant: 'star',
      abc: 'A',
      decision: null,
    });
    expect(row(ids.hydra!)).toMatchObject({
      units: 100,
      revenueFen: 200_000,
      costFen: 190_000,
      grossMarginPercent: 5,
      launchedOn: '2026-08-20',
      launchedInQuarter: true,
      growthPercent: null,
      sharePercent: 16.7,
      // Sold at ¥20: 40 units on 20–21 Aug under the ¥25 list price, 60 from 22 Aug under ¥30:
      // 1 − 200,000 / (40 × 2,500 + 60 × 3,000) = 28.6 % off.
      averageDiscountPercent: 28.6,
    });
    expect(row(ids.card!)).toMatchObject({
      units: 0,
      revenueFen: 0,
      orders: 0,
      sharePercent: 0,
      quadrant: 'dog',
    });
    expect(skin.totals).toMatchObject({ products: 3, revenueFen: 1_200_000 });
    expect(skin.shape.find((t: { tier: string }) => t.tier === 'flagship')).toMatchObject({
      products: 0,
      status: 'missing',
    });
    expect(skin.suggestions.map((s: { reason: string }) => s.reason)).toContain('皮肤科没有主推款');
  });

  it('opens one review task per department for its product managers, linked to the review', async () => {
    const tasks = await call(stack.app, 'GET', '/api/tasks?signal=quarterly_review', { token: owner.token });
    expect(tasks.status, JSON.stringify(tasks.body)).toBe(200);
    expect(tasks.body.items).toHaveLength(2);
    for (const task of tasks.body.items) {
      expect(task).toMatchObject({
        signal: 'quarterly_review',
        reviewId,
        productId: null,
        assignees: [owner.id],
      });
      expect(task.evidence[0].data).toMatchObject({ reviewId, link: `/reviews/${reviewId}` });
    }
    expect(new Set(tasks.body.items.map((t: { departmentId: string }) => t.departmentId))).toEqual(
      new Set([skinId, surgeryId]),
    );
  });

  it("shows a department manager only their departments' part, in JSON and CSV", async () => {
    const review = await call(stack.app, 'GET', `/api/reviews/${reviewId}`, { token: surgeryManager.token });
    expect(review.status).toBe(200);
    expect(review.body.departments.map((d: { departmentId: string }) => d.departmentId)).toEqual([surgeryId]);
    const csv = await call(stack.app, 'GET', `/api/reviews/${reviewId}/report.csv`, {
      token: surgeryManager.token,
    });
    expect(csv.status).toBe(200);
    expect(csv.raw.headers['content-type']).toContain('text/csv');
    const lines = csv.raw.body.trimEnd().split('\r\n');
    expect(lines[0]!.startsWith('\uFEFF季度,科室,产品')).toBe(true);
    expect(lines.slice(1).map((l) => l.split(',')[2])).toEqual(['双眼皮']);
    const tasks = await call(stack.app, 'GET', '/api/tasks?signal=quarterly_review', {
      token: surgeryManager.token,
    });
    expect(tasks.body.items.map((t: { departmentId: string }) => t.departmentId)).toEqual([surgeryId]);
  });

  it('writes every product of the review in the CSV with a BOM and Chinese labels', async () => {
    const csv = await call(stack.app, 'GET', `/api/reviews/${reviewId}/report.csv`, {
      token: director.token,
    });
    const body = csv.raw.rawPayload;
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.raw.body.trimEnd().split('\r\n');
    expect(lines).toHaveLength(1 + 4);
    expect(lines.find((l) => l.includes('水光针'))).toContain(
      '皮肤科,水光针,引流款,在售监控,是,,2000.00,1900.00,5',
    );
  });

  it('records a retire decision, moves the product into retirement and shows it in its history', async () => {
    const decided = await call(stack.app, 'POST', `/api/reviews/${reviewId}/decisions`, {
      token: owner.token,
      body: { productId: ids.card, decision: 'retire', note: '一季度无销售，退市' },
    });
    expect(decided.status, JSON.stringify(decided.body)).toBe(201);
    expect(decided.body).toMatchObject({
      decision: 'retire',
      lifecycle: { stage: 'retirement', from: 'monitoring' },
    });
    const product = await call(stack.app, 'GET', `/api/products/${ids.card}`, { token: owner.token });
    expect(product.body.stage).toBe('retirement');
    const history = await call(stack.app, 'GET', `/api/products/${ids.card}/history`, { token: owner.token });
    const last = (history.body.items ?? history.body).at(-1);
    expect(last).toMatchObject({ event: 'RETIRE', from: 'monitoring', to: 'retirement' });
    expect(last.reason).toContain('2026-Q3');
    const again = await call(stack.app, 'POST', `/api/reviews/${reviewId}/decisions`, {
      token: owner.token,
      body: { productId: ids.card, decision: 'keep', note: 'changed my mind' },
    });
    expect(again.status).toBe(409);
  });

  it("refuses a department manager's decision and records nothing", async () => {
    const keep = await call(stack.app, 'POST', `/api/reviews/${reviewId}/decisions`, {
      token: surgeryManager.token,
      body: { productId: ids.eyelid, decision: 'retire', note: 'no' },
    });
    expect(keep.status).toBe(403);
    const rows = await stack.db
      .selectFrom('reviewDecisions')
      .select('productId')
      .where('reviewId', '=', reviewId)
      .execute();
    expect(rows.map((r) => r.productId)).toEqual([ids.card]);
  });

  it('records keep and promote in the product history beside its transitions, moving nothing', async () => {
    const before = await call(stack.app, 'GET', `/api/products/${ids.photo}`, { token: owner.token });
    for (const [productId, decision] of [
      [ids.photo!, 'keep'],
      [ids.eyelid!, 'promote'],
    ] as const) {
      const decided = await call(stack.app, 'POST', `/api/reviews/${reviewId}/decisions`, {
        token: owner.token,
        body: { productId, decision, note: decision === 'keep' ? '利润款主力，保持' : '增长快，加推' },
      });
      expect(decided.status, JSON.stringify(decided.body)).toBe(201);
      expect(decided.body).toMatchObject({ decision, lifecycle: null });
    }
    const after = await call(stack.app, 'GET', `/api/products/${ids.photo}`, { token: owner.token });
    expect(after.body).toMatchObject({ stage: 'monitoring', version: before.body.version });
    const history = await call(stack.app, 'GET', `/api/products/${ids.photo}/history`, {
      token: owner.token,
    });
    expect(history.status).toBe(200);
    expect(history.body.items.at(-1)).toMatchObject({
      event: 'KEEP',
      from: 'monitoring',
      to: 'monitoring',
      actor: owner.id,
      version: before.body.version,
      reason: '季度产品塔复盘 2026-Q3: 利润款主力，保持',
    });
    const eyelid = await call(stack.app, 'GET', `/api/products/${ids.eyelid}/history`, {
      token: owner.token,
    });
    expect(eyelid.body.items.at(-1)).toMatchObject({ event: 'PROMOTE', to: 'monitoring' });
  });

  it('a rerun of the quarter is the same review: it refreshes figures, keeps decisions and adds no task', async () => {
    await ingest([
      {
        productId: ids.hydra,
        branchId: (await makeBranch(stack.db)).id,
        date: '2026-09-20',
        units: 10,
        revenueFen: 20_000,
        orders: 10,
      },
    ]);
    await settle(stack);
    const again = await runReview('2026-Q3', director.token);
    expect(again).toBe(reviewId);
    const review = await call(stack.app, 'GET', `/api/reviews/${reviewId}`, { token: owner.token });
    const skin = review.body.departments.find((d: { departmentId: string }) => d.departmentId === skinId);
    expect(skin.rows.find((r: { productId: string }) => r.productId === ids.hydra).units).toBe(110);
    expect(skin.rows.find((r: { productId: string }) => r.productId === ids.card).decision).toMatchObject({
      decision: 'retire',
      decidedBy: owner.id,
    });
    const tasks = await stack.db
      .selectFrom('tasks')
      .select('id')
      .where('signal', '=', 'quarterly_review')
      .execute();
    expect(tasks).toHaveLength(2);
    // Nobody is told twice: the rerun found its tasks and sent nothing.
    const notified = await stack.db
      .selectFrom('notifications')
      .select(['taskId', 'personId', 'reason'])
      .where(
        'taskId',
        'in',
        tasks.map((t) => t.id),
      )
      .execute();
    expect(notified.map((n) => [n.personId, n.reason])).toEqual([
      [owner.id, 'opened'],
      [owner.id, 'opened'],
    ]);
    const list = await call(stack.app, 'GET', '/api/reviews', { token: owner.token });
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ id: reviewId, quarter: '2026-Q3', runs: 2 });
  });

  it('refuses bad input and people who may not run a review', async () => {
    const bad = await call(stack.app, 'POST', '/api/reviews/quarterly', {
      token: owner.token,
      body: { quarter: '2026-Q5' },
    });
    expect(bad.status).toBe(400);
    const extra = await call(stack.app, 'POST', '/api/reviews/quarterly', {
      token: owner.token,
      body: { quarter: '2026-Q3', extra: 1 },
    });
    expect(extra.status).toBe(400);
    const future = await call(stack.app, 'POST', '/api/reviews/quarterly', {
      token: owner.token,
      body: { quarter: '2027-Q3' },
    });
    expect(future.status).toBe(422);
    const dm = await call(stack.app, 'POST', '/api/reviews/quarterly', {
      token: surgeryManager.token,
      body: { quarter: '2026-Q2' },
    });
    expect(dm.status).toBe(403);
    const unknown = await call(stack.app, 'GET', '/api/reviews/00000000-0000-4000-8000-000000000000', {
      token: owner.token,
    });
    expect(unknown.status).toBe(404);
    const reviews = await stack.db.selectFrom('reviews').select('quarter').execute();
    expect(reviews.map((r) => r.quarter)).toEqual(['2026-Q3']);
  });

  it('notifies the assignees of a review task and escalates it to the director after its SLA, as every task', async () => {
    // Review tasks opened from now on are due in 2 s.
    const rules = await call(stack.app, 'PUT', '/api/rules', {
      token: admin.token,
      body: { review: { task: { ackSlaSeconds: 2 } } },
    });
    expect(rules.status, JSON.stringify(rules.body)).toBe(200);
    const q2 = await runReview('2026-Q2');
    const tasks = await stack.db.selectFrom('tasks').selectAll().where('reviewId', '=', q2).execute();
    expect(tasks).toHaveLength(2);
    const skinTask = tasks.find((t) => t.departmentId === skinId)!;
    expect(skinTask.assignees).toEqual([owner.id]);
    const toOwner = await eventually('the owner to be told of the skin review task', async () =>
      receiver.received.find(
        (r) =>
          r.path === `/webhook/${owner.id}` && (r.body as { task: { id: string } }).task.id === skinTask.id,
      ),
    );
    expect(toOwner.body).toMatchObject({
      event: 'task.opened',
      task: { signal: 'quarterly_review', url: `http://localhost:3000/tasks/${skinTask.id}` },
      product: { name: '皮肤科 2026-Q2' },
    });
    const escalated = await eventually('the skin review task to escalate', async () => {
      const row = await stack.db
        .selectFrom('tasks')
        .selectAll()
        .where('id', '=', skinTask.id)
        .executeTakeFirstOrThrow();
      return row.escalationLevel === 1 ? row : undefined;
    });
    expect(escalated.assignees).toEqual(expect.arrayContaining([owner.id, director.id]));
    const toDirector = await eventually('the director to be told of the escalation', async () =>
      receiver.received.find(
        (r) =>
          r.path === `/webhook/${director.id}` &&
          (r.body as { task: { id: string } }).task.id === skinTask.id,
      ),
    );
    expect(toDirector.body).toMatchObject({ event: 'task.escalated', task: { escalationLevel: 1 } });
  });
});
