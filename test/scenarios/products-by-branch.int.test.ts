// The tower's branch filter: `GET /api/products?branchId=` lists the products launching or launched at that
// branch (one of their launch branches), within what the caller may see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, makeBranch, makeDepartment, makePerson, startApi, type ApiHarness } from '../support/api.js';
import { createProduct } from '../support/fixtures.js';

let h: ApiHarness;

beforeAll(async () => {
  h = await startApi();
});

afterAll(async () => {
  await h?.close();
});

describe('GET /api/products?branchId=', () => {
  it('lists only the products with that launch branch, and answers 400 for a malformed id', async () => {
    const shanghai = await makeBranch(h.db, 'SH01');
    const beijing = await makeBranch(h.db, 'BJ-CY');
    const skin = await makeDepartment(h.db);
    const pm = await makePerson(h.db, [{ role: 'product_manager' }], 'PM');
    const both = await createProduct(h.app, pm, { name: '水光针', departmentId: skin.id });
    const onlyBeijing = await createProduct(h.app, pm, { name: '热玛吉', departmentId: skin.id });
    const nowhere = await createProduct(h.app, pm, { name: '新品调研', departmentId: skin.id });
    await h.db
      .insertInto('launchBranches')
      .values([
        { productId: both, branchId: shanghai.id },
        { productId: both, branchId: beijing.id },
        { productId: onlyBeijing, branchId: beijing.id },
      ])
      .execute();

    const ids = async (query: string) => {
      const { status, body } = await call(h.app, 'GET', `/api/products?limit=100${query}`, {
        token: pm.token,
      });
      expect(status, JSON.stringify(body)).toBe(200);
      return (body.items as { id: string }[]).map((p) => p.id).sort();
    };
    expect(await ids(`&branchId=${shanghai.id}`)).toEqual([both]);
    expect(await ids(`&branchId=${beijing.id}`)).toEqual([both, onlyBeijing].sort());
    expect(await ids('')).toEqual([both, onlyBeijing, nowhere].sort());

    const bad = await call(h.app, 'GET', '/api/products?branchId=SH01', { token: pm.token });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('branchId');
  });
});
