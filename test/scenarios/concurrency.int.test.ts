import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { call, makePerson, startApi, type ApiHarness, type TestPerson } from '../support/api.js';
import { makeCast } from '../support/cast.js';
import {
  addCompetitorPrices,
  COMPLETE_SHEET,
  createProduct,
  launchItemTokens,
  sendEvent,
} from '../support/fixtures.js';

let h: ApiHarness;
let admin: TestPerson;
let owner: TestPerson;
let director: TestPerson;
let compliance: TestPerson;
let marketing: TestPerson;
let departmentManager: TestPerson;
let departmentId: string;
let branchId: string;

async function ok(result: Promise<{ status: number; body: any }>, status = 200) {
  const { status: got, body } = await result;
  expect(got, JSON.stringify(body)).toBe(status);
  return body;
}

const newProduct = (name: string) => createProduct(h.app, owner, { name, departmentId });

const send = (token: string, productId: string, type: string, extra: Record<string, unknown> = {}) =>
  sendEvent(h.app, token, productId, type, extra);

async function addResearchEvidence(productId: string): Promise<void> {
  await addCompetitorPrices(h.app, owner.token, productId);
  await ok(
    call(h.app, 'PUT', `/api/products/${productId}/target-customers`, {
      token: owner.token,
      body: { description: 'Women 28–45' },
    }),
  );
}

/** Research → monitoring over HTTP, with every gate's evidence in place. */
async function walkToMonitoring(productId: string): Promise<void> {
  await addResearchEvidence(productId);
  await ok(send(owner.token, productId, 'APPROVE_RESEARCH'));
  await ok(
    call(h.app, 'PUT', `/api/products/${productId}/sheet`, { token: owner.token, body: COMPLETE_SHEET }),
  );
  await ok(send(compliance.token, productId, 'APPROVE_PACKAGING'));
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
  await ok(send(owner.token, productId, 'APPROVE_PRICING'));
  await ok(
    call(h.app, 'PUT', `/api/products/${productId}/launch-branches`, {
      token: owner.token,
      body: { branchIds: [branchId], targetLaunchDate: '2026-12-01' },
    }),
  );
  for (const [name, role] of [
    ['Dr Wang', 'doctor'],
    ['Li Na', 'consultant'],
  ] as const) {
    const trainee = await ok(
      call(h.app, 'POST', `/api/products/${productId}/trainees`, {
        token: owner.token,
        body: { branchId, name, role },
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
  await ok(send(owner.token, productId, 'COMPLETE_TRAINING'));
  const checklist = await ok(call(h.app, 'GET', `/api/products/${productId}/launch`, { token: owner.token }));
  const tokenFor = launchItemTokens({ owner, marketing, departmentManager, compliance });
  for (const item of checklist.items as { id: string; ownerRole: string }[]) {
    await ok(
      call(h.app, 'POST', `/api/launch-items/${item.id}/complete`, {
        token: tokenFor[item.ownerRole]!,
        body: {},
      }),
    );
  }
  const launched = await ok(send(owner.token, productId, 'LAUNCH'));
  expect(launched.stage).toBe('monitoring');
}

async function transitions(productId: string) {
  return h.db
    .selectFrom('lifecycleTransitions')
    .select(['event', 'fromStage', 'toStage', 'version', 'actorId'])
    .where('productId', '=', productId)
    .orderBy('id')
    .execute();
}

async function outboxCount(productId: string): Promise<number> {
  const row = await h.db
    .selectFrom('outbox')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('jobName', '=', 'stage-changed')
    .where(sql<string>`payload->>'productId'`, '=', productId)
    .executeTakeFirstOrThrow();
  return row.n;
}

/**
 * Fires `events` at once and checks that the product's history is exactly the accepted ones:
 * versions without gaps, each transition starting where the previous ended, the product's
 * version and stage agreeing with the last transition, one outbox row per transition.
 */
async function fireAtOnce(
  productId: string,
  events: { token: string; type: string; extra?: Record<string, unknown> }[],
) {
  const before = await transitions(productId);
  const startProduct = await ok(call(h.app, 'GET', `/api/products/${productId}`, { token: owner.token }));
  const outboxBefore = await outboxCount(productId);

  const results = await Promise.all(events.map((e) => send(e.token, productId, e.type, e.extra)));

  const statuses = results.map((r) => r.status);
  const accepted = results.filter((r) => r.status === 200);
  for (const r of results) {
    expect([200, 409, 422], JSON.stringify(r.body)).toContain(r.status);
    if (r.status === 409)
      expect(r.body).toMatchObject({ error: 'event_not_allowed', allowed: expect.any(Array) });
    if (r.status === 422) expect(r.body).toMatchObject({ error: 'guard_failed', reasons: expect.any(Array) });
  }

  const after = await transitions(productId);
  const added = after.slice(before.length);
  expect(added).toHaveLength(accepted.length);
  expect(await outboxCount(productId)).toBe(outboxBefore + accepted.length);

  const versions = after.map((t) => t.version);
  expect(versions).toEqual(versions.map((_, i) => i + 2));
  expect([...accepted.map((r) => r.body.version)].sort((a, b) => a - b)).toEqual(added.map((t) => t.version));
  let stage = startProduct.stage as string;
  for (const t of added) {
    expect(t.fromStage).toBe(stage);
    stage = t.toStage;
  }

  const final = await ok(call(h.app, 'GET', `/api/products/${productId}`, { token: owner.token }));
  expect(final.version).toBe(1 + after.length);
  expect(final.stage).toBe(after.at(-1)!.toStage);
  return { statuses, accepted, added, final };
}

beforeAll(async () => {
  h = await startApi();
  const cast = await makeCast(h.db, {
    departments: ['injection'],
    branches: ['sh-a'],
    people: ({ departments: { injection }, branches: { 'sh-a': branch } }) => ({
      admin: { name: 'Admin', roles: [{ role: 'admin' }] },
      owner: { name: 'Owner PM', roles: [{ role: 'product_manager' }] },
      director: { name: 'Director', roles: [{ role: 'director' }] },
      compliance: { name: 'Compliance', roles: [{ role: 'compliance_officer' }] },
      marketing: { name: 'Marketing', roles: [{ role: 'marketing_manager', branchId: branch }] },
      departmentManager: {
        name: 'Injection manager',
        roles: [{ role: 'department_manager', departmentId: injection, branchId: branch }],
      },
    }),
  });
  departmentId = cast.departments.injection;
  branchId = cast.branches['sh-a'];
  ({ admin, owner, director, compliance, marketing, departmentManager } = cast.people);
});

afterAll(async () => {
  await h?.close();
});

describe('50 lifecycle events at once on one product', () => {
  it('in research: applies only what each state accepts, with a gapless history', async () => {
    const productId = await newProduct('HA filler, research race');
    await addResearchEvidence(productId);
    const events = Array.from({ length: 50 }, (_, i) =>
      i % 5 === 4
        ? { token: compliance.token, type: 'APPROVE_PACKAGING' } // 409 in research/rejected, 422 in packaging (no sheet)
        : i % 2 === 0
          ? { token: owner.token, type: 'APPROVE_RESEARCH' }
          : {
              token: i % 3 === 0 ? director.token : owner.token,
              type: 'REJECT',
              extra: { reason: `reject ${i}` },
            },
    );
    const { accepted, added, final } = await fireAtOnce(productId, events);
    // research → packaging at most once, then → rejected, which is final.
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    expect(accepted.length).toBeLessThanOrEqual(2);
    expect(final.stage).toBe('rejected');
    expect(added.filter((t) => t.event === 'APPROVE_RESEARCH').length).toBeLessThanOrEqual(1);
    expect(added.filter((t) => t.event === 'REJECT')).toHaveLength(1);
  });

  it('in research: 50 identical APPROVE_RESEARCH apply exactly once', async () => {
    const productId = await newProduct('HA filler, identical race');
    await addResearchEvidence(productId);
    const { statuses, final } = await fireAtOnce(
      productId,
      Array.from({ length: 50 }, () => ({ token: owner.token, type: 'APPROVE_RESEARCH' })),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    expect(final).toMatchObject({ stage: 'packaging', version: 2 });
  });

  it('in monitoring: of 50 mixed REPRICE/REPACKAGE/RETRAIN/RETIRE exactly one wins', async () => {
    const productId = await newProduct('HA filler, monitoring race');
    await walkToMonitoring(productId);
    const kinds = ['REPRICE', 'REPACKAGE', 'RETRAIN', 'RETIRE'] as const;
    const senders = [owner, director, admin];
    const events = Array.from({ length: 50 }, (_, i) => ({
      token: senders[i % senders.length]!.token,
      type: kinds[i % kinds.length]!,
      extra:
        kinds[i % kinds.length] === 'RETIRE' ? { reason: 'race', endOn: '2027-06-30' } : { reason: 'race' },
    }));
    const { statuses, added, final } = await fireAtOnce(productId, events);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    expect(added).toHaveLength(1);
    expect(added[0]!.fromStage).toBe('monitoring');
    const expectedTo: Record<string, string> = {
      REPRICE: 'pricing',
      REPACKAGE: 'packaging',
      RETRAIN: 'training',
      RETIRE: 'retirement',
    };
    expect(final.stage).toBe(expectedTo[added[0]!.event]);
  });
});

describe('other writes at once', () => {
  it('keeps all 20 competitor prices added at once', async () => {
    const productId = await newProduct('HA filler, competitor race');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call(h.app, 'POST', `/api/products/${productId}/competitor-prices`, {
          token: owner.token,
          body: { competitor: `Clinic ${i}`, priceFen: 100_000 + i, observedAt: '2026-10-20' },
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    const listed = await ok(
      call(h.app, 'GET', `/api/products/${productId}/competitor-prices`, { token: owner.token }),
    );
    expect(listed.items).toHaveLength(20);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(20);
  });

  it('completes a launch item once when 10 people complete it at once', async () => {
    const productId = await newProduct('HA filler, checklist race');
    await walkToMonitoring(productId);
    // Back to launch with a fresh checklist: RETRAIN → training → launch.
    await ok(send(owner.token, productId, 'RETRAIN'));
    await ok(send(owner.token, productId, 'COMPLETE_TRAINING'));
    const checklist = await ok(
      call(h.app, 'GET', `/api/products/${productId}/launch`, { token: owner.token }),
    );
    const item = (checklist.items as { id: string; ownerRole: string; status: string }[]).find(
      (i) => i.ownerRole === 'compliance_officer' && i.status === 'pending',
    )!;
    // Two holders of the item's role race.
    const secondCompliance = await makePerson(h.db, [{ role: 'compliance_officer' }], 'Compliance 2');
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        call(h.app, 'POST', `/api/launch-items/${item.id}/complete`, {
          token: i % 2 ? compliance.token : secondCompliance.token,
          body: { note: `n${i}` },
        }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(9);
    // An admin holds no checklist role: completing is for the item's own role and scope.
    const byAdmin = await call(h.app, 'POST', `/api/launch-items/${item.id}/complete`, {
      token: admin.token,
      body: { note: 'admin' },
    });
    expect(byAdmin.status).toBe(403);
    const row = await h.db
      .selectFrom('launchItems')
      .selectAll()
      .where('id', '=', item.id)
      .executeTakeFirstOrThrow();
    const winner = results.find((r) => r.status === 200)!;
    expect(row).toMatchObject({
      status: 'done',
      note: winner.body.note,
      completedBy: winner.body.completedBy,
    });
    const audits = await h.db
      .selectFrom('auditLog')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('action', '=', 'launch_item.completed')
      .where('entityId', '=', item.id)
      .executeTakeFirstOrThrow();
    expect(audits.n).toBe(1);
  });
});
