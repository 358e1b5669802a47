// The tower's branch filter: `GET /api/products?branchId=` lists that branch's tower, within what the caller
// may see: the products launching or launched there, those selling there, and those planned for no branch
// yet (the whole chain's).
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
  it('lists the products launching or selling there and the chain-wide ones, and answers 400 for a malformed id', async () => {
    const shanghai = await makeBranch(h.db, 'SH01');
    const beijing = await makeBranch(h.db, 'BJ-CY');
    const skin = await makeDepartment(h.db);
    const pm = await makePerson(h.db, [{ role: 'product_manager' }], 'PM');
    const both = await createProduct(h.app, pm, { name: '水光针', departmentId: skin.id });
    const onlyBeijing = await createProduct(h.app, pm, { name: '热玛吉', departmentId: skin.id });
    const nowhere = await createProduct(h.app, pm, { name: '新品调研', departmentId: skin.id });
    // Launched in Beijing only, yet selling in Shanghai too (a transfer, an export of older sales).
    const soldInShanghai = await createProduct(h.app, pm, { name: '超声炮', departmentId: skin.id });
    await h.db
      .insertInto('launchBranches')
      .values([
        { productId: both, branchId: shanghai.id },
        { productId: both, branchId: beijing.id },
        { productId: onlyBeijing, branchId: beijing.id },
        { productId: soldInShanghai, branchId: beijing.id },
      ])
      .execute();
    await h.db
      .insertInto('salesMonthly')
      .values({
        productId: soldInShanghai,
        branchId: shanghai.id,
        month: '2026-11-01',
        units: 3,
        revenueFen: 300_000,
        orders: 3,
        returningOrders: 0,
        firstSaleOn: '2026-11-02',
      })
      .execute();

    const ids = async (query: string) => {
      const { status, body } = await call(h.app, 'GET', `/api/products?limit=100${query}`, {
        token: pm.token,
      });
      expect(status, JSON.stringify(body)).toBe(200);
      return (body.items as { id: string }[]).map((p) => p.id).sort();
    };
    expect(await ids(`&branchId=${shanghai.id}`)).toEqual([both, nowhere, soldInShanghai].sort());
    expect(await ids(`&branchId=${beijing.id}`)).toEqual([both, onlyBeijing, nowhere, soldInShanghai].sort());
    expect(await ids('')).toEqual([both, onlyBeijing, nowhere, soldInShanghai].sort());

    const bad = await call(h.app, 'GET', '/api/products?branchId=SH01', { token: pm.token });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('branchId');
  });
});
