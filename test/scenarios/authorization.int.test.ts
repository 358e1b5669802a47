import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { call, startApi, type ApiHarness, type Method, type TestPerson } from '../support/api.js';
import { makeCast } from '../support/cast.js';
import { addCompetitorPrices, COMPLETE_SHEET, createProduct, sendEvent } from '../support/fixtures.js';

let h: ApiHarness;
let admin: TestPerson;
let owner: TestPerson;
let otherPm: TestPerson;
let director: TestPerson;
let compliance: TestPerson;
let skinCompliance: TestPerson;
let marketing: TestPerson;
let skinManager: TestPerson;
let injectionManager: TestPerson;
let injectionId: string;
let skinId: string;
let branchId: string;
let injectionProduct: string;
let skinProduct: string;

/** Everything a refused call could have changed: the product as the admin sees it, and its history. */
async function state(productId: string) {
  const product = await call(h.app, 'GET', `/api/products/${productId}`, { token: admin.token });
  expect(product.status).toBe(200);
  const history = await h.db
    .selectFrom('lifecycleTransitions')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('productId', '=', productId)
    .executeTakeFirstOrThrow();
  const trainees = await h.db
    .selectFrom('trainees')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('productId', '=', productId)
    .executeTakeFirstOrThrow();
  const approvals = await h.db
    .selectFrom('priceApprovals')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('productId', '=', productId)
    .executeTakeFirstOrThrow();
  return { product: product.body, transitions: history.n, trainees: trainees.n, approvals: approvals.n };
}

/** Calls, expects `status` and `error`, and checks the product did not change. */
async function expectRefused(
  productId: string,
  status: number,
  error: string,
  method: Method,
  url: string,
  token: string,
  body?: unknown,
) {
  const before = await state(productId);
  const result = await call(h.app, method, url, { token, ...(body !== undefined ? { body } : {}) });
  expect(result.status, `${method} ${url}: ${JSON.stringify(result.body)}`).toBe(status);
  expect(result.body.error).toBe(error);
  expect(await state(productId)).toEqual(before);
  return result;
}

/** `expectRefused` for a lifecycle event (`{ type, ...extra }`) sent to `productId`. */
async function expectEventRefused(
  productId: string,
  token: string,
  event: { type: string; [field: string]: unknown },
  status = 403,
  error = 'forbidden',
) {
  return expectRefused(productId, status, error, 'POST', `/api/products/${productId}/events`, token, event);
}

beforeAll(async () => {
  h = await startApi();
  const cast = await makeCast(h.db, {
    departments: ['injection', 'skin'],
    branches: ['sh-a'],
    people: ({ departments: { injection, skin }, branches: { 'sh-a': branch } }) => ({
      admin: { name: 'Admin', roles: [{ role: 'admin' }] },
      owner: { name: 'Owner PM', roles: [{ role: 'product_manager' }] },
      otherPm: { name: 'Other PM', roles: [{ role: 'product_manager' }] },
      director: { name: 'Director', roles: [{ role: 'director' }] },
      compliance: { name: 'Compliance', roles: [{ role: 'compliance_officer' }] },
      skinCompliance: {
        name: 'Skin compliance',
        roles: [{ role: 'compliance_officer', departmentId: skin }],
      },
      marketing: { name: 'Marketing', roles: [{ role: 'marketing_manager', branchId: branch }] },
      skinManager: {
        name: 'Skin manager',
        roles: [{ role: 'department_manager', departmentId: skin, branchId: branch }],
      },
      injectionManager: {
        name: 'Injection manager',
        roles: [{ role: 'department_manager', departmentId: injection, branchId: branch }],
      },
    }),
  });
  ({ injection: injectionId, skin: skinId } = cast.departments);
  branchId = cast.branches['sh-a'];
  ({ admin, owner, otherPm, director, compliance, skinCompliance, marketing, skinManager, injectionManager } =
    cast.people);
  injectionProduct = await createProduct(h.app, owner, { name: 'HA filler 1 ml', departmentId: injectionId });
  skinProduct = await createProduct(h.app, owner, { name: 'Fruit-acid peel', departmentId: skinId });
});

afterAll(async () => {
  await h?.close();
});

describe('a department manager sees only their departments’ products', () => {
  it('lists the skin product and not the injection product', async () => {
    const { status, body } = await call(h.app, 'GET', '/api/products', { token: skinManager.token });
    expect(status).toBe(200);
    expect(body.items.map((p: { id: string }) => p.id)).toEqual([skinProduct]);
    const filtered = await call(h.app, 'GET', `/api/products?departmentId=${injectionId}`, {
      token: skinManager.token,
    });
    expect(filtered.body.items).toEqual([]);
    const byStage = await call(h.app, 'GET', '/api/products?stage=research', { token: skinManager.token });
    expect(byStage.body.items.map((p: { id: string }) => p.id)).toEqual([skinProduct]);
  });

  it('gets 404, not 403, for everything about the injection product, as for an id nobody has', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const suffix of ['', '/history', '/launch', '/trainees', '/competitor-prices']) {
      const hidden = await call(h.app, 'GET', `/api/products/${injectionProduct}${suffix}`, {
        token: skinManager.token,
      });
      const missing = await call(h.app, 'GET', `/api/products/${unknown}${suffix}`, {
        token: skinManager.token,
      });
      expect(hidden.status, suffix).toBe(404);
      expect(hidden.body.error).toBe('product_not_found');
      expect(hidden.body.error).toBe(missing.body.error);
      expect(hidden.body.message.replace(injectionProduct, '<id>')).toBe(
        missing.body.message.replace(unknown, '<id>'),
      );
    }
    const own = await call(h.app, 'GET', `/api/products/${skinProduct}/history`, {
      token: skinManager.token,
    });
    expect(own.status).toBe(200);
  });

  it('gets 404 when sending events or writing to the injection product, and nothing changes', async () => {
    const writes: [Method, string, unknown][] = [
      ['POST', 'events', { type: 'REJECT' }],
      ['POST', 'events', { type: 'APPROVE_RESEARCH' }],
      ['POST', 'trainees', { branchId, name: 'Dr Hidden', role: 'doctor' }],
      ['PUT', 'sheet', { spec: 'x' }],
    ];
    for (const [method, path, body] of writes) {
      await expectRefused(
        injectionProduct,
        404,
        'product_not_found',
        method,
        `/api/products/${injectionProduct}/${path}`,
        skinManager.token,
        body,
      );
    }
  });

  it('lets the injection department manager register trainees but not edit the sheet', async () => {
    const trainee = await call(h.app, 'POST', `/api/products/${injectionProduct}/trainees`, {
      token: injectionManager.token,
      body: { branchId, name: 'Dr Wang', role: 'doctor' },
    });
    expect(trainee.status).toBe(201);
    await expectRefused(
      injectionProduct,
      403,
      'forbidden',
      'PUT',
      `/api/products/${injectionProduct}/sheet`,
      injectionManager.token,
      { spec: 'x' },
    );
  });
});

describe('only the owner product manager (or an admin) edits a product', () => {
  const edits: { what: string; method: Method; path: string; body: () => unknown }[] = [
    { what: 'the sheet', method: 'PUT', path: 'sheet', body: () => ({ spec: 'edited by someone else' }) },
    {
      what: 'the costs',
      method: 'PUT',
      path: 'costs',
      body: () => ({ consumablesFen: 1, labourFen: 1, overheadFen: 1, marketingFen: 1 }),
    },
    {
      what: 'the prices',
      method: 'PUT',
      path: 'prices',
      body: () => ({ prices: [{ type: 'list', amountFen: 1 }] }),
    },
    {
      what: 'the target customers',
      method: 'PUT',
      path: 'target-customers',
      body: () => ({ description: 'everyone' }),
    },
    {
      what: 'competitor prices',
      method: 'POST',
      path: 'competitor-prices',
      body: () => ({ competitor: 'X', priceFen: 1, observedAt: '2026-10-01' }),
    },
    {
      what: 'the launch branches',
      method: 'PUT',
      path: 'launch-branches',
      body: () => ({ branchIds: [branchId], targetLaunchDate: '2026-12-01' }),
    },
  ];
  for (const edit of edits) {
    it(`refuses ${edit.what} from another product manager, a director, compliance and marketing with 403`, async () => {
      const body = edit.body();
      for (const person of [otherPm, director, compliance, marketing]) {
        await expectRefused(
          injectionProduct,
          403,
          'forbidden',
          edit.method,
          `/api/products/${injectionProduct}/${edit.path}`,
          person.token,
          body,
        );
      }
    });
  }

  it('lets another product manager read the product', async () => {
    const { status, body } = await call(h.app, 'GET', `/api/products/${injectionProduct}`, {
      token: otherPm.token,
    });
    expect(status).toBe(200);
    expect(body.ownerId).toBe(owner.id);
  });

  it('lets an admin edit', async () => {
    const { status } = await call(h.app, 'PUT', `/api/products/${injectionProduct}/target-customers`, {
      token: admin.token,
      body: { description: 'Women 28–45, first filler' },
    });
    expect(status).toBe(200);
  });
});

describe('who may send which lifecycle event', () => {
  it('refuses owner events from another product manager, compliance and marketing, with 403 and no change', async () => {
    for (const type of ['APPROVE_RESEARCH', 'APPROVE_PRICING', 'COMPLETE_TRAINING', 'LAUNCH']) {
      for (const person of [otherPm, compliance, marketing, injectionManager]) {
        const refused = await expectEventRefused(injectionProduct, person.token, { type });
        expect(refused.body.event).toBe(type);
      }
    }
    // REJECT: owner, director, admin; not another product manager.
    await expectEventRefused(injectionProduct, otherPm.token, { type: 'REJECT' });
  });

  it('lets an admin send an owner event', async () => {
    await addCompetitorPrices(h.app, owner.token, injectionProduct);
    const passed = await sendEvent(h.app, admin.token, injectionProduct, 'APPROVE_RESEARCH', {
      reason: 'admin approves',
    });
    expect(passed.status).toBe(200);
    expect(passed.body).toMatchObject({ stage: 'packaging', version: 2 });
    const history = await call(h.app, 'GET', `/api/products/${injectionProduct}/history`, {
      token: owner.token,
    });
    expect(history.body.items).toEqual([
      expect.objectContaining({ event: 'APPROVE_RESEARCH', actor: admin.id, reason: 'admin approves' }),
    ]);
  });

  it('takes APPROVE_PACKAGING from a compliance officer only: not the owner, a director or an admin', async () => {
    expect(
      (
        await call(h.app, 'PUT', `/api/products/${injectionProduct}/sheet`, {
          token: owner.token,
          body: COMPLETE_SHEET,
        })
      ).status,
    ).toBe(200);
    for (const person of [owner, director, admin, otherPm, skinCompliance]) {
      await expectEventRefused(injectionProduct, person.token, { type: 'APPROVE_PACKAGING' });
    }
    const passed = await sendEvent(h.app, compliance.token, injectionProduct, 'APPROVE_PACKAGING');
    expect(passed.status).toBe(200);
    expect(passed.body.stage).toBe('pricing');
  });

  it('takes APPROVE_BELOW_FLOOR from a director only', async () => {
    // unit cost 100,000 fen; profit floor 140,000; first_order below it.
    expect(
      (
        await call(h.app, 'PUT', `/api/products/${injectionProduct}/costs`, {
          token: owner.token,
          body: { consumablesFen: 60_000, labourFen: 20_000, overheadFen: 10_000, marketingFen: 10_000 },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await call(h.app, 'PUT', `/api/products/${injectionProduct}/prices`, {
          token: owner.token,
          body: {
            prices: [
              { type: 'list', amountFen: 230_000 },
              { type: 'first_order', amountFen: 120_000 },
            ],
          },
        })
      ).status,
    ).toBe(200);
    for (const person of [owner, admin, compliance, otherPm]) {
      await expectEventRefused(injectionProduct, person.token, {
        type: 'APPROVE_BELOW_FLOOR',
        reason: 'launch offer',
      });
    }
    const approved = await sendEvent(h.app, director.token, injectionProduct, 'APPROVE_BELOW_FLOOR', {
      reason: 'launch offer',
    });
    expect(approved.status).toBe(200);
    expect(approved.body.stage).toBe('pricing');
    const product = await call(h.app, 'GET', `/api/products/${injectionProduct}`, { token: owner.token });
    expect(product.body.belowFloorApprovals).toEqual([
      expect.objectContaining({ type: 'first_order', amountFen: 120_000, approvedBy: director.id }),
    ]);
  });

  it('refuses APPROVE_PRICING from a director (owner and admin only), then takes it from the admin', async () => {
    await expectEventRefused(injectionProduct, director.token, { type: 'APPROVE_PRICING' });
    const passed = await sendEvent(h.app, admin.token, injectionProduct, 'APPROVE_PRICING');
    expect(passed.status).toBe(200);
    expect(passed.body).toMatchObject({ stage: 'training', version: 5 });
  });

  it('lets a director REJECT, and then nobody may edit the product', async () => {
    const rejected = await sendEvent(h.app, director.token, skinProduct, 'REJECT', { reason: 'no market' });
    expect(rejected.status).toBe(200);
    expect(rejected.body.stage).toBe('rejected');
    await expectRefused(
      skinProduct,
      409,
      'product_closed',
      'PUT',
      `/api/products/${skinProduct}/sheet`,
      owner.token,
      { spec: 'too late' },
    );
    await expectEventRefused(
      skinProduct,
      owner.token,
      { type: 'APPROVE_RESEARCH' },
      409,
      'event_not_allowed',
    );
  });

  it('checks who may send before what the stage accepts: a stranger learns nothing about the stage', async () => {
    // In training, LAUNCH is not accepted; another product manager still gets 403, not 409.
    const refused = await expectEventRefused(injectionProduct, otherPm.token, { type: 'LAUNCH' });
    expect(refused.body.allowed).toBeUndefined();
  });
});
