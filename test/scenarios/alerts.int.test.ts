// Issue 9 through the API and the workers: sales_dip judged against the noise of the sales. A seeded
// noisy year opens nothing; a planted drop opens one task with its evidence; a product fading at every
// branch is one chain-wide task; "false alarm" feedback tightens the key, shows on /metrics, and an admin
// resets it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, DEFAULT_RULES, weekday } from '@tower/domain';
import { call, makeBranch, makeDepartment, makePerson, type TestPerson } from '../support/api.js';
import { makeLiveProduct, settle, startStack, type StackHarness } from '../support/stack.js';
import { createIngestKey, LIST_FEN, tasksOf, type SalesRow } from '../support/fixtures.js';
import { dayMean, generator, poisson } from '../support/simulate.js';

let s: StackHarness;
let admin: TestPerson;
let owner: TestPerson;
let marketing: TestPerson;
let branchMarketing: TestPerson;
let branches: string[];
let department: string;
let ingestKey: string;

const START = '2025-06-02';

/** Seeded Poisson sales with a weekend lift: `perDay(i)` is the mean of day i before the weekday lift. */
function noisySales(
  productId: string,
  branchId: string,
  seed: number,
  days: number,
  perDay: (i: number) => number,
): SalesRow[] {
  const random = generator(seed);
  return Array.from({ length: days }, (_, i) => {
    const date = addDays(START, i);
    const units = poisson(random, dayMean(perDay(i), weekday(date)));
    return { productId, branchId, date, units, revenueFen: units * LIST_FEN, orders: units };
  });
}

async function ingest(rows: readonly SalesRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    const response = await call(s.app, 'POST', '/api/ingest/sales', {
      token: ingestKey,
      body: { rows: rows.slice(i, i + 1000) },
    });
    expect(response.status).toBe(202);
  }
}

let noise: string;
let dropped: string;
let fading: string;
const DROP_FROM = 112;
const DROP_DAYS = 21;

beforeAll(async () => {
  s = await startStack();
  department = (await makeDepartment(s.db, 'laser')).id;
  branches = [
    (await makeBranch(s.db, 'al-a')).id,
    (await makeBranch(s.db, 'al-b')).id,
    (await makeBranch(s.db, 'al-c')).id,
  ];
  admin = await makePerson(s.db, [{ role: 'admin' }]);
  owner = await makePerson(s.db, [{ role: 'product_manager' }], 'Owner');
  marketing = await makePerson(s.db, [{ role: 'marketing_manager' }], 'Marketing');
  branchMarketing = await makePerson(
    s.db,
    [{ role: 'marketing_manager', branchId: branches[1]! }],
    'Marketing at B',
  );
  const make = (name: string) => makeLiveProduct(s.db, { departmentId: department, ownerId: owner.id, name });
  noise = await make('Picosecond laser, steady');
  dropped = await make('Picosecond laser, dropping');
  fading = await make('Photorejuvenation, fading everywhere');
  // One false alarm is enough to tighten a key here (DEFAULT_RULES wants two).
  const rules = await call(s.app, 'PUT', '/api/rules', {
    token: admin.token,
    body: { falseAlarms: { tightenAfter: 1 } },
  });
  expect(rules.status).toBe(200);
  ingestKey = await createIngestKey(s.app, admin);

  await ingest([
    // A year of pure noise at 5 a day: every task would be a false alarm.
    ...noisySales(noise, branches[0]!, 9001, 365, () => 5),
    // 16 weeks at 10 a day, then three weeks 40 % down.
    ...noisySales(dropped, branches[0]!, 9002, DROP_FROM + DROP_DAYS, (i) => (i >= DROP_FROM ? 6 : 10)),
    // 2 a day at each of three branches (too few to judge a week at one), then 60 % down everywhere.
    ...branches.flatMap((branchId, b) =>
      noisySales(fading, branchId, 9100 + b, DROP_FROM + DROP_DAYS, (i) => (i >= DROP_FROM ? 0.8 : 2)),
    ),
  ]);
  await settle(s, 120_000);
}, 180_000);

afterAll(async () => {
  await s?.close();
});

describe('sales_dip judged against the noise', () => {
  it('a noisy year at 5 a day opens no dip task', async () => {
    expect(await tasksOf(s.db, noise, 'sales_dip')).toEqual([]);
    // It was judged all year: clear days are recorded nowhere, but nothing fired either.
    const fired = await s.db.selectFrom('signals').select('firedOn').where('productId', '=', noise).execute();
    expect(fired).toEqual([]);
  });

  it('a planted 40 % drop opens one task, with expected vs observed units, the window and how unlikely', async () => {
    const tasks = await tasksOf(s.db, dropped, 'sales_dip');
    expect(tasks).toHaveLength(1);
    const [task] = tasks;
    expect(task!.branchId).toBe(branches[0]);
    const view = await call(s.app, 'GET', `/api/tasks/${task!.id}`, { token: owner.token });
    expect(view.status).toBe(200);
    const first = view.body.evidence[0].data;
    // The dip opened within the three weeks of the drop, after it had held persistenceDays days.
    expect(first.asOf >= addDays(START, DROP_FROM)).toBe(true);
    expect(first.asOf <= addDays(START, DROP_FROM + DROP_DAYS - 1)).toBe(true);
    expect(first).toMatchObject({
      scope: 'branch',
      windowDays: 7,
      window: { from: addDays(first.asOf, -6), to: first.asOf },
      test: expect.stringMatching(/^(poisson|negative_binomial)$/),
      persistedDays: DEFAULT_RULES.salesDip.persistenceDays,
      significance: DEFAULT_RULES.salesDip.significance,
    });
    expect(first.units).toBeLessThanOrEqual(first.expectedUnits * 0.7);
    expect(first.pValue).toBeLessThanOrEqual(first.significance);
    expect(first.summary).toMatch(
      /^\d+ units sold at this branch against [\d.]+ expected over the 7 days .* happens by chance about 1 time in [\d,]+ under the noise of the 12 weeks before/,
    );
  });

  it('a product fading at every branch is one chain-wide task for its owner and the chain-wide marketing manager', async () => {
    const tasks = await tasksOf(s.db, fading, 'sales_dip');
    const open = tasks.filter((t) => t.status === 'open' || t.status === 'acknowledged');
    expect(open).toHaveLength(1);
    const [chain] = open;
    expect(chain!.branchId).toBeNull();
    // The branch-scoped marketing manager is not asked about the whole chain.
    expect(chain!.assignees).toEqual([owner.id, marketing.id]);
    expect(chain!.assignees).not.toContain(branchMarketing.id);
    // A branch task opened before the chain spoke is answered by it.
    for (const task of tasks.filter((t) => t.branchId !== null)) {
      expect(task.status).toBe('resolved');
      expect(task.resolutionNote).toMatch(/dips across the chain/);
    }
    const view = await call(s.app, 'GET', `/api/tasks/${chain!.id}`, { token: owner.token });
    const own = view.body.evidence.find((e: { data: { scope: string } }) => e.data.scope === 'chain');
    expect(own.data.summary).toMatch(/units sold across all branches against/);
  });
});

describe('false-alarm feedback tunes the key', () => {
  let taskId: string;

  it('counts "false alarm" per signal and per (product, branch), and tightens the key', async () => {
    const [task] = await tasksOf(s.db, dropped, 'sales_dip');
    taskId = task!.id;
    const feedback = await call(s.app, 'POST', `/api/tasks/${taskId}/feedback`, {
      token: owner.token,
      body: { useful: false },
    });
    expect(feedback.status).toBe(200);
    // The same feedback again counts once.
    await call(s.app, 'POST', `/api/tasks/${taskId}/feedback`, {
      token: owner.token,
      body: { useful: false },
    });
    const tuning = await call(s.app, 'GET', `/api/signal-tuning?productId=${dropped}`, {
      token: owner.token,
    });
    expect(tuning.status).toBe(200);
    expect(tuning.body.items).toMatchObject([
      { productId: dropped, signal: 'sales_dip', branchId: branches[0], falseAlarms: 1, level: 1 },
    ]);

    const metrics = await call(s.app, 'GET', '/metrics');
    expect(metrics.raw.body).toContain('tower_review_task_feedback{signal="sales_dip",useful="false"} 1');
    expect(metrics.raw.body).toMatch(/tower_review_tasks\{signal="sales_dip",status="open"\} [1-9]/);
  });

  it("shows the stricter threshold in the next evidence of the key's task", async () => {
    // A week with no sales at all: a dip even at the stricter significance, from its fourth day held three.
    const last = DROP_FROM + DROP_DAYS;
    await ingest(
      Array.from({ length: 7 }, (_, i) => ({
        productId: dropped,
        branchId: branches[0]!,
        date: addDays(START, last + i),
        units: 0,
        revenueFen: 0,
        orders: 0,
      })),
    );
    await settle(s);
    const view = await call(s.app, 'GET', `/api/tasks/${taskId}`, { token: owner.token });
    const latest = view.body.evidence.find(
      (e: { data: { asOf: string } }) => e.data.asOf === addDays(START, last + 6),
    )?.data;
    expect(
      latest,
      JSON.stringify(view.body.evidence.map((e: { firedOn: string }) => e.firedOn)),
    ).toBeDefined();
    expect(latest.tightening).toEqual({
      level: 1,
      falseAlarms: 1,
      baseSignificance: DEFAULT_RULES.salesDip.significance,
    });
    expect(latest.significance).toBeCloseTo(
      DEFAULT_RULES.salesDip.significance * DEFAULT_RULES.falseAlarms.significanceFactor,
      12,
    );
    expect(latest.summary).toContain('tightened after 1 false alarms');
  });

  it('an admin resets the key; others may not, and a bad or unknown key is refused', async () => {
    const key = { productId: dropped, signal: 'sales_dip', branchId: branches[0] };
    const byOwner = await call(s.app, 'POST', '/api/signal-tuning/reset', { token: owner.token, body: key });
    expect(byOwner.status).toBe(403);
    const bad = await call(s.app, 'POST', '/api/signal-tuning/reset', {
      token: admin.token,
      body: { productId: 'nope', signal: 'loud', extra: 1 },
    });
    expect(bad.status).toBe(400);
    const fields = JSON.stringify(bad.body);
    for (const field of ['productId', 'signal', 'branchId']) expect(fields).toContain(field);
    const unknown = await call(s.app, 'POST', '/api/signal-tuning/reset', {
      token: admin.token,
      body: { ...key, productId: noise },
    });
    expect(unknown.status).toBe(404);

    const reset = await call(s.app, 'POST', '/api/signal-tuning/reset', { token: admin.token, body: key });
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({ falseAlarms: 0, level: 0, resetBy: admin.id });
    const audit = await s.db
      .selectFrom('auditLog')
      .select(['action', 'data'])
      .where('action', '=', 'signal_tuning.reset')
      .execute();
    expect(audit).toHaveLength(1);
    const listed = await call(s.app, 'GET', `/api/signal-tuning?productId=${dropped}`, {
      token: owner.token,
    });
    expect(listed.body.items).toEqual([]);
  });

  it('refuses rules that would break the significance test, naming every field, and stores nothing', async () => {
    const before = await call(s.app, 'GET', '/api/rules', { token: admin.token });
    const bad = await call(s.app, 'PUT', '/api/rules', {
      token: admin.token,
      body: {
        salesDip: { significance: 0, persistenceDays: 0, longWindowDays: [14, 14] },
        complaintSpike: { significance: 2 },
        falseAlarms: { significanceFactor: 0 },
      },
    });
    expect(bad.status).toBe(400);
    const text = JSON.stringify(bad.body);
    for (const field of [
      'salesDip/significance',
      'salesDip/persistenceDays',
      'salesDip/longWindowDays',
      'complaintSpike/significance',
      'falseAlarms/significanceFactor',
    ]) {
      expect(text).toContain(field);
    }
    expect((await call(s.app, 'GET', '/api/rules', { token: admin.token })).body).toEqual(before.body);
  });
});
