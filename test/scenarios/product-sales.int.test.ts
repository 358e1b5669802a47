import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertCalendarDays, upsertSalesDaily, upsertSalesTarget } from '@tower/db';
import {
  call,
  makeBranch,
  makeDepartment,
  makePerson,
  startApi,
  type ApiHarness,
  type TestPerson,
} from '../support/api.js';
import { createProduct, SALES_START, steadyThenDip } from '../support/fixtures.js';
import { addDays } from '@tower/domain';

// GET /api/products/:id/sales: the series the dashboard's sales-vs-baseline chart draws.
let api: ApiHarness;
let owner: TestPerson;
let stranger: TestPerson;
let productId: string;
let branchA: string;
let branchB: string;

beforeAll(async () => {
  api = await startApi();
  const dept = await makeDepartment(api.db);
  const other = await makeDepartment(api.db);
  branchA = (await makeBranch(api.db)).id;
  branchB = (await makeBranch(api.db)).id;
  owner = await makePerson(api.db, [{ role: 'product_manager', departmentId: dept.id }]);
  stranger = await makePerson(api.db, [{ role: 'department_manager', departmentId: other.id }]);
  productId = await createProduct(api.app, owner, { name: '水光针', departmentId: dept.id });
  const rows = [
    ...steadyThenDip(productId, branchA, { dipUnits: 6 }),
    ...steadyThenDip(productId, branchB, { dipUnits: 10 }),
  ];
  await upsertSalesDaily(
    api.db,
    rows.map((r) => ({ ...r, channel: 'store', returningOrders: 0 })),
  );
  await upsertCalendarDays(api.db, [{ date: addDays(SALES_START, 60), kind: 'promotion', name: '双十一' }]);
  await upsertSalesTarget(
    api.db,
    {
      productId,
      branchId: branchA,
      month: '2026-10-01',
      units: 300,
      revenueFen: null,
    },
    new Date(),
  );
});

afterAll(async () => {
  await api.close();
});

describe('GET /api/products/:id/sales', () => {
  it('gives each day its units, the same-weekday baseline and the dip days, up to the last sale by default', async () => {
    const res = await call(api.app, 'GET', `/api/products/${productId}/sales?branchId=${branchA}`, {
      token: owner.token,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const last = addDays(SALES_START, 62);
    expect(res.body.to).toBe(last);
    expect(res.body.days).toHaveLength(56);
    const lastDay = res.body.days.at(-1);
    expect(lastDay).toMatchObject({ date: last, units: 6, baselineUnits: 10, dip: true });
    // The promotion day is shaded and never a dip.
    expect(res.body.calendar).toEqual([
      { date: addDays(SALES_START, 60), kind: 'promotion', name: '双十一' },
    ]);
    expect(res.body.days.find((d: any) => d.date === addDays(SALES_START, 60)).dip).toBe(false);
    expect(res.body.targets).toEqual([{ month: '2026-10', units: 300, revenueFen: null }]);
  });

  it('sums every branch when none is named', async () => {
    const res = await call(
      api.app,
      'GET',
      `/api/products/${productId}/sales?from=${SALES_START}&to=${addDays(SALES_START, 6)}`,
      {
        token: owner.token,
      },
    );
    expect(res.status).toBe(200);
    expect(res.body.days.map((d: any) => d.units)).toEqual([20, 20, 20, 20, 20, 20, 20]);
    expect(res.body.days[0].baselineUnits).toBeNull();
  });

  it('names the bad query fields, and hides the product from people who may not see it', async () => {
    const bad = await call(api.app, 'GET', `/api/products/${productId}/sales?from=2026-13-01&extra=1`, {
      token: owner.token,
    });
    expect(bad.status).toBe(400);
    const reversed = await call(
      api.app,
      'GET',
      `/api/products/${productId}/sales?from=2026-10-02&to=2026-10-01`,
      {
        token: owner.token,
      },
    );
    expect(reversed.status).toBe(400);
    expect(reversed.body.fields).toEqual([{ field: 'query:from', message: 'must not be after to' }]);
    const hidden = await call(api.app, 'GET', `/api/products/${productId}/sales`, { token: stranger.token });
    expect(hidden.status).toBe(404);
    const noBranch = await call(api.app, 'GET', `/api/products/${productId}/sales?branchId=${owner.id}`, {
      token: owner.token,
    });
    expect(noBranch.status).toBe(400);
    expect(noBranch.body.fields).toEqual([{ field: 'query:branchId', message: 'no such branch' }]);
  });
});
