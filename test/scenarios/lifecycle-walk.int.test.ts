import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startApi, type ApiHarness, type TestPerson } from '../support/api.js';
import { makeCast } from '../support/cast.js';
import { COMPLETE_SHEET, createProduct, launchItemTokens, sendEvent } from '../support/fixtures.js';

let h: ApiHarness;
let owner: TestPerson;
let otherPm: TestPerson;
let compliance: TestPerson;
let director: TestPerson;
let marketing: TestPerson;
let injectionManagerA: TestPerson;
let skinManagerA: TestPerson;
let departmentId: string;
let branchA: string;

async function send(productId: string, token: string, type: string, extra: Record<string, unknown> = {}) {
  return sendEvent(h.app, token, productId, type, extra);
}

/** Who completes each launch checklist item of this product (branch A, injection). */
function checklistTokens() {
  return launchItemTokens({ owner, marketing, departmentManager: injectionManagerA, compliance });
}

async function putPrices(productId: string, listFen: number) {
  await call(h.app, 'PUT', `/api/products/${productId}/prices`, {
    token: owner.token,
    body: {
      prices: [
        { type: 'list', amountFen: listFen },
        { type: 'activity', amountFen: 180_000 },
        { type: 'first_order', amountFen: 120_000 },
      ],
    },
  });
}

beforeAll(async () => {
  h = await startApi();
  const cast = await makeCast(h.db, {
    departments: ['injection', 'skin'],
    branches: ['sh-a'],
    people: ({ departments: { injection, skin }, branches: { 'sh-a': branch } }) => ({
      owner: { name: 'Owner PM', roles: [{ role: 'product_manager' }] },
      otherPm: { name: 'Other PM', roles: [{ role: 'product_manager' }] },
      compliance: [{ role: 'compliance_officer' }],
      director: [{ role: 'director' }],
      marketing: [{ role: 'marketing_manager', branchId: branch }],
      injectionManagerA: [{ role: 'department_manager', departmentId: injection, branchId: branch }],
      skinManagerA: [{ role: 'department_manager', departmentId: skin, branchId: branch }],
    }),
  });
  departmentId = cast.departments.injection;
  branchA = cast.branches['sh-a'];
  ({ owner, otherPm, compliance, director, marketing, injectionManagerA, skinManagerA } = cast.people);
});

async function expectOk(response: Promise<{ status: number; body: unknown }>): Promise<void> {
  const { status, body } = await response;
  expect(status, JSON.stringify(body)).toBeLessThan(300);
}

async function completeChecklist(productId: string): Promise<void> {
  const checklist = await call(h.app, 'GET', `/api/products/${productId}/launch`, { token: owner.token });
  const tokenFor = checklistTokens();
  for (const item of checklist.body.items.filter((i: { status: string }) => i.status === 'pending')) {
    await expectOk(
      call(h.app, 'POST', `/api/launch-items/${item.id}/complete`, {
        token: tokenFor[item.ownerRole]!,
        body: {},
      }),
    );
  }
}

/** The passing way out of each pre-launch stage, as the walk below takes it. */
const PASS: Record<string, (productId: string) => Promise<void>> = {
  async research(productId) {
    for (const [competitor, priceFen] of [
      ['SoYoung clinic A', 380_000],
      ['Clinic B', 420_000],
      ['Clinic C', 399_000],
    ] as const) {
      await expectOk(
        call(h.app, 'POST', `/api/products/${productId}/competitor-prices`, {
          token: owner.token,
          body: { competitor, priceFen, observedAt: '2026-10-20', platform: 'soyoung' },
        }),
      );
    }
    await expectOk(
      call(h.app, 'PUT', `/api/products/${productId}/target-customers`, {
        token: owner.token,
        body: { description: 'Women 28–45, white-collar, first filler' },
      }),
    );
    await expectOk(send(productId, owner.token, 'APPROVE_RESEARCH', { reason: 'market is there' }));
  },
  async packaging(productId) {
    await expectOk(
      call(h.app, 'PUT', `/api/products/${productId}/sheet`, { token: owner.token, body: COMPLETE_SHEET }),
    );
    await expectOk(send(productId, compliance.token, 'APPROVE_PACKAGING'));
  },
  async pricing(productId) {
    await expectOk(
      call(h.app, 'PUT', `/api/products/${productId}/costs`, {
        token: owner.token,
        body: { consumablesFen: 60_000, labourFen: 20_000, overheadFen: 10_000, marketingFen: 10_000 },
      }),
    );
    await putPrices(productId, 230_000);
    await expectOk(
      send(productId, director.token, 'APPROVE_BELOW_FLOOR', {
        reason: 'first-order offer for the launch month',
      }),
    );
    await expectOk(send(productId, owner.token, 'APPROVE_PRICING'));
  },
  async training(productId) {
    await expectOk(
      call(h.app, 'PUT', `/api/products/${productId}/launch-branches`, {
        token: owner.token,
        body: { branchIds: [branchA], targetLaunchDate: '2026-12-01' },
      }),
    );
    for (const [name, role] of [
      ['Dr Wang', 'doctor'],
      ['Li Na', 'consultant'],
    ] as const) {
      const trainee = await call(h.app, 'POST', `/api/products/${productId}/trainees`, {
        token: owner.token,
        body: { branchId: branchA, name, role },
      });
      expect(trainee.status).toBe(201);
      await expectOk(
        call(h.app, 'POST', `/api/products/${productId}/trainees/${trainee.body.id}/result`, {
          token: injectionManagerA.token,
          body: { passed: true, score: 92, at: '2026-11-10T08:00:00Z' },
        }),
      );
    }
    await expectOk(send(productId, owner.token, 'COMPLETE_TRAINING'));
  },
  async launch(productId) {
    await completeChecklist(productId);
    await expectOk(send(productId, owner.token, 'LAUNCH'));
  },
};
const WALK = ['research', 'packaging', 'pricing', 'training', 'launch', 'monitoring'] as const;

/** A product of its own for each test, brought to `stage` the passing way. */
async function productAt(stage: (typeof WALK)[number]): Promise<string> {
  const productId = await createProduct(h.app, owner, {
    name: 'HA filler 1 ml',
    departmentId,
    vendor: 'Vendor Co',
  });
  for (const step of WALK.slice(0, WALK.indexOf(stage))) await PASS[step]!(productId);
  return productId;
}

afterAll(async () => {
  await h?.close();
});

describe('walking a product through its life cycle over HTTP', () => {
  it('starts in research with the events research accepts', async () => {
    const productId = await productAt('research');
    const { status, body } = await call(h.app, 'GET', `/api/products/${productId}`, { token: owner.token });
    expect(status).toBe(200);
    expect(body.stage).toBe('research');
    expect(body.version).toBe(1);
    expect(body.allowedEvents).toEqual(['APPROVE_RESEARCH', 'REJECT']);
  });

  it('answers 409 naming the accepted events for an event research does not accept', async () => {
    const productId = await productAt('research');
    const { status, body } = await send(productId, owner.token, 'LAUNCH');
    expect(status).toBe(409);
    expect(body.error).toBe('event_not_allowed');
    expect(body.allowed).toEqual(['APPROVE_RESEARCH', 'REJECT']);
  });

  it('refuses research with every reason, then passes once the evidence is in', async () => {
    const productId = await productAt('research');
    const refused = await send(productId, owner.token, 'APPROVE_RESEARCH');
    expect(refused.status).toBe(422);
    expect(refused.body.error).toBe('guard_failed');
    expect(refused.body.reasons.map((r: { code: string }) => r.code).sort()).toEqual([
      'COMPETITOR_PRICES_TOO_FEW',
      'TARGET_CUSTOMERS_MISSING',
    ]);

    for (const [competitor, priceFen] of [
      ['SoYoung clinic A', 380_000],
      ['Clinic B', 420_000],
      ['Clinic C', 399_000],
    ] as const) {
      const added = await call(h.app, 'POST', `/api/products/${productId}/competitor-prices`, {
        token: owner.token,
        body: { competitor, priceFen, observedAt: '2026-10-20', platform: 'soyoung' },
      });
      expect(added.status).toBe(201);
    }
    const described = await call(h.app, 'PUT', `/api/products/${productId}/target-customers`, {
      token: owner.token,
      body: { description: 'Women 28–45, white-collar, first filler' },
    });
    expect(described.status).toBe(200);

    expect((await send(productId, otherPm.token, 'APPROVE_RESEARCH')).status).toBe(403);
    const passed = await send(productId, owner.token, 'APPROVE_RESEARCH', { reason: 'market is there' });
    expect(passed.status).toBe(200);
    expect(passed.body).toMatchObject({ stage: 'packaging', version: 2 });
  });

  it('refuses packaging for missing fields and over-promises, and only compliance may approve', async () => {
    const productId = await productAt('packaging');
    const draft = await call(h.app, 'PUT', `/api/products/${productId}/sheet`, {
      token: owner.token,
      body: { efficacy: '效果永久，零风险', sellingPoints: 'The best filler, guaranteed' },
    });
    expect(draft.status).toBe(200);
    const refused = await send(productId, compliance.token, 'APPROVE_PACKAGING');
    expect(refused.status).toBe(422);
    const codes = refused.body.reasons.map((r: { code: string }) => r.code);
    expect(codes).toContain('SHEET_FIELD_MISSING');
    expect(codes).toContain('SHEET_INDICATIONS_MISSING');
    expect(codes).toContain('SHEET_CONTRAINDICATIONS_MISSING');
    const terms = refused.body.reasons
      .filter((r: { code: string }) => r.code === 'OVER_PROMISE')
      .map((r: { term: string }) => r.term);
    expect(terms).toEqual(expect.arrayContaining(['永久', '零风险', 'best', 'guaranteed']));

    await call(h.app, 'PUT', `/api/products/${productId}/sheet`, {
      token: owner.token,
      body: COMPLETE_SHEET,
    });
    expect((await send(productId, owner.token, 'APPROVE_PACKAGING')).status).toBe(403);
    const passed = await send(productId, compliance.token, 'APPROVE_PACKAGING');
    expect(passed.status).toBe(200);
    expect(passed.body.stage).toBe('pricing');
  });

  it('refuses pricing below floor and without headroom until the director approves', async () => {
    const productId = await productAt('pricing');
    const noCosts = await send(productId, owner.token, 'APPROVE_PRICING');
    expect(noCosts.status).toBe(422);
    expect(noCosts.body.reasons.map((r: { code: string }) => r.code)).toEqual(
      expect.arrayContaining(['COSTS_MISSING', 'LIST_PRICE_MISSING']),
    );

    // unit cost 100,000 fen; profit floor = 140,000 fen
    await call(h.app, 'PUT', `/api/products/${productId}/costs`, {
      token: owner.token,
      body: { consumablesFen: 60_000, labourFen: 20_000, overheadFen: 10_000, marketingFen: 10_000 },
    });
    await putPrices(productId, 200_000);
    const refused = await send(productId, owner.token, 'APPROVE_PRICING');
    expect(refused.status).toBe(422);
    const codes = refused.body.reasons.map((r: { code: string }) => r.code).sort();
    expect(codes).toEqual(['HEADROOM_TOO_SMALL', 'PRICE_BELOW_FLOOR']);

    await putPrices(productId, 230_000);
    const stillBelow = await send(productId, owner.token, 'APPROVE_PRICING');
    expect(stillBelow.body.reasons.map((r: { code: string }) => r.code)).toEqual(['PRICE_BELOW_FLOOR']);

    expect((await send(productId, owner.token, 'APPROVE_BELOW_FLOOR', { reason: 'traffic' })).status).toBe(
      403,
    );
    const noReason = await send(productId, director.token, 'APPROVE_BELOW_FLOOR');
    expect(noReason.status).toBe(400);
    expect(noReason.body.fields).toEqual([{ field: '/reason', message: expect.any(String) }]);
    const approved = await send(productId, director.token, 'APPROVE_BELOW_FLOOR', {
      reason: 'first-order offer for the launch month',
    });
    expect(approved.status).toBe(200);
    expect(approved.body.stage).toBe('pricing');

    const passed = await send(productId, owner.token, 'APPROVE_PRICING');
    expect(passed.status).toBe(200);
    expect(passed.body.stage).toBe('training');
  });

  it('refuses training until every branch has a passed doctor and consultant', async () => {
    const productId = await productAt('training');
    const refused = await send(productId, owner.token, 'COMPLETE_TRAINING');
    expect(refused.body.reasons.map((r: { code: string }) => r.code)).toEqual(['LAUNCH_BRANCHES_MISSING']);

    await call(h.app, 'PUT', `/api/products/${productId}/launch-branches`, {
      token: owner.token,
      body: { branchIds: [branchA], targetLaunchDate: '2026-12-01' },
    });
    const doctor = await call(h.app, 'POST', `/api/products/${productId}/trainees`, {
      token: injectionManagerA.token,
      body: { branchId: branchA, name: 'Dr Wang', role: 'doctor' },
    });
    expect(doctor.status).toBe(201);
    const missing = await send(productId, owner.token, 'COMPLETE_TRAINING');
    expect(missing.body.reasons.map((r: { code: string }) => r.code).sort()).toEqual([
      'CONSULTANT_MISSING',
      'TRAINEE_NOT_PASSED',
    ]);

    const consultant = await call(h.app, 'POST', `/api/products/${productId}/trainees`, {
      token: owner.token,
      body: { branchId: branchA, name: 'Li Na', role: 'consultant' },
    });
    for (const id of [doctor.body.id, consultant.body.id]) {
      const result = await call(h.app, 'POST', `/api/products/${productId}/trainees/${id}/result`, {
        token: injectionManagerA.token,
        body: { passed: true, score: 92, at: '2026-11-10T08:00:00Z' },
      });
      expect(result.status).toBe(200);
    }
    const trainees = await call(h.app, 'GET', `/api/products/${productId}/trainees`, { token: owner.token });
    expect(trainees.status).toBe(200);
    expect(trainees.body.items.map((t: { score: number | null }) => t.score)).toEqual([92, 92]);
    const passed = await send(productId, owner.token, 'COMPLETE_TRAINING');
    expect(passed.status).toBe(200);
    expect(passed.body.stage).toBe('launch');
  });

  it('creates the launch checklist and refuses LAUNCH until every required item is done', async () => {
    const productId = await productAt('launch');
    const checklist = await call(h.app, 'GET', `/api/products/${productId}/launch`, { token: owner.token });
    expect(checklist.status).toBe(200);
    const items: {
      id: string;
      ownerRole: string;
      departmentId: string | null;
      branchId: string;
      status: string;
    }[] = checklist.body.items;
    expect(items).toHaveLength(13);
    expect(new Set(items.map((i) => i.ownerRole))).toEqual(
      new Set(['product_manager', 'marketing_manager', 'department_manager', 'compliance_officer']),
    );
    expect(
      items.filter((i) => i.ownerRole === 'department_manager').every((i) => i.departmentId === departmentId),
    ).toBe(true);

    const refused = await send(productId, owner.token, 'LAUNCH');
    expect(refused.status).toBe(422);
    expect(refused.body.reasons).toHaveLength(13);

    const departmentItem = items.find((i) => i.ownerRole === 'department_manager')!;
    const wrongDepartment = await call(h.app, 'POST', `/api/launch-items/${departmentItem.id}/complete`, {
      token: skinManagerA.token,
      body: {},
    });
    expect(wrongDepartment.status).toBe(404);
    const wrongRole = await call(h.app, 'POST', `/api/launch-items/${departmentItem.id}/complete`, {
      token: marketing.token,
      body: {},
    });
    expect(wrongRole.status).toBe(403);

    const tokenFor = checklistTokens();
    for (const item of items) {
      const done = await call(h.app, 'POST', `/api/launch-items/${item.id}/complete`, {
        token: tokenFor[item.ownerRole]!,
        body: { note: 'done' },
      });
      expect(done.status, `${item.ownerRole} completes ${item.id}`).toBe(200);
    }
    const again = await call(h.app, 'POST', `/api/launch-items/${departmentItem.id}/complete`, {
      token: injectionManagerA.token,
      body: {},
    });
    expect(again.status).toBe(409);

    const mine = await call(h.app, 'GET', '/api/launch-items?mine=true&status=done', {
      token: injectionManagerA.token,
    });
    expect(mine.body.items.map((i: { ownerRole: string }) => i.ownerRole)).toEqual([
      'department_manager',
      'department_manager',
      'department_manager',
      'department_manager',
    ]);
    const everything = await call(h.app, 'GET', '/api/launch-items?mine=false&status=done', {
      token: injectionManagerA.token,
    });
    expect(everything.body.items).toHaveLength(13);
    const skinSees = await call(h.app, 'GET', '/api/launch-items?mine=false', { token: skinManagerA.token });
    expect(skinSees.body.items).toEqual([]);

    const launched = await send(productId, owner.token, 'LAUNCH');
    expect(launched.status).toBe(200);
    expect(launched.body.stage).toBe('monitoring');
  });

  it('goes back to pricing on REPRICE and on through retirement to retired', async () => {
    const productId = await productAt('monitoring');
    expect((await send(productId, marketing.token, 'REPRICE')).status).toBe(403);
    expect(
      (await send(productId, director.token, 'REPRICE', { reason: 'competitors cut prices' })).body.stage,
    ).toBe('pricing');
    expect((await send(productId, owner.token, 'APPROVE_PRICING')).body.stage).toBe('training');
    expect((await send(productId, owner.token, 'COMPLETE_TRAINING')).body.stage).toBe('launch');
    // Launching again makes a fresh checklist: 13 new items to complete before LAUNCH.
    const checklist = await call(h.app, 'GET', `/api/products/${productId}/launch`, { token: owner.token });
    const pending = checklist.body.items.filter((i: { status: string }) => i.status === 'pending');
    expect(pending).toHaveLength(13);
    const tokenFor = checklistTokens();
    for (const item of pending) {
      expect(
        (
          await call(h.app, 'POST', `/api/launch-items/${item.id}/complete`, {
            token: tokenFor[item.ownerRole]!,
            body: {},
          })
        ).status,
      ).toBe(200);
    }
    expect((await send(productId, owner.token, 'LAUNCH')).body.stage).toBe('monitoring');

    const retiring = await send(productId, owner.token, 'RETIRE', {
      reason: 'replaced by the 2 ml filler',
      endOn: '2027-03-31',
    });
    expect(retiring.body).toMatchObject({ stage: 'retirement', subState: 'phasing_out' });
    await call(h.app, 'PUT', `/api/products/${productId}/retirement`, {
      token: owner.token,
      body: { outstandingPrepaidSessions: 12 },
    });
    const refused = await send(productId, owner.token, 'COMPLETE_RETIREMENT');
    expect(refused.status).toBe(422);
    expect(refused.body.reasons.map((r: { code: string }) => r.code)).toEqual([
      'PREPAID_SESSIONS_OUTSTANDING',
    ]);

    await call(h.app, 'PUT', `/api/products/${productId}/retirement`, {
      token: owner.token,
      body: { outstandingPrepaidSessions: 0 },
    });
    const retired = await send(productId, owner.token, 'COMPLETE_RETIREMENT');
    expect(retired.status).toBe(200);
    expect(retired.body.stage).toBe('retired');
    const closed = await call(h.app, 'PUT', `/api/products/${productId}/costs`, {
      token: owner.token,
      body: { consumablesFen: 1, labourFen: 1, overheadFen: 1, marketingFen: 1 },
    });
    expect(closed.status).toBe(409);
    const final = await call(h.app, 'GET', `/api/products/${productId}`, { token: owner.token });
    expect(final.body.allowedEvents).toEqual([]);
  });
});

describe('history', () => {
  it('lists every transition with actor and reason, in order', async () => {
    const productId = await productAt('monitoring');
    await expectOk(send(productId, director.token, 'REPRICE', { reason: 'competitors cut prices' }));
    await expectOk(send(productId, owner.token, 'APPROVE_PRICING'));
    await expectOk(send(productId, owner.token, 'COMPLETE_TRAINING'));
    await PASS.launch!(productId);
    await expectOk(
      send(productId, owner.token, 'RETIRE', { reason: 'replaced by the 2 ml filler', endOn: '2027-03-31' }),
    );
    await expectOk(send(productId, owner.token, 'COMPLETE_RETIREMENT'));
    const { body } = await call(h.app, 'GET', `/api/products/${productId}/history`, { token: owner.token });
    const steps = body.items.map(
      (t: { event: string; from: string; to: string }) => `${t.event}:${t.from}->${t.to}`,
    );
    expect(steps).toEqual([
      'APPROVE_RESEARCH:research->packaging',
      'APPROVE_PACKAGING:packaging->pricing',
      'APPROVE_BELOW_FLOOR:pricing->pricing',
      'APPROVE_PRICING:pricing->training',
      'COMPLETE_TRAINING:training->launch',
      'LAUNCH:launch->monitoring',
      'REPRICE:monitoring->pricing',
      'APPROVE_PRICING:pricing->training',
      'COMPLETE_TRAINING:training->launch',
      'LAUNCH:launch->monitoring',
      'RETIRE:monitoring->retirement',
      'COMPLETE_RETIREMENT:retirement->retired',
    ]);
    expect(body.items[0]).toMatchObject({ actor: owner.id, reason: 'market is there' });
    expect(body.items.map((t: { version: number }) => t.version)).toEqual([
      2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
    ]);
  });
});
