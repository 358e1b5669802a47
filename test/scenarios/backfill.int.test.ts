import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '@tower/domain';
import { call, makeBranch, makeDepartment, makePerson, type TestPerson } from '../support/api.js';
import { makeLiveProduct, settle, startStack, type StackHarness } from '../support/stack.js';

let s: StackHarness;
let owner: TestPerson;
let ingestKey: string;
let departmentId: string;
let branchId: string;

beforeAll(async () => {
  s = await startStack({ WORKER_CONCURRENCY: '8' });
  departmentId = (await makeDepartment(s.db, 'skin')).id;
  branchId = (await makeBranch(s.db, 'bj-1')).id;
  owner = await makePerson(s.db, [{ role: 'product_manager' }]);
  await makePerson(s.db, [{ role: 'marketing_manager' }]);
  const admin = await makePerson(s.db, [{ role: 'admin' }]);
  ingestKey = (
    await call(s.app, 'POST', '/api/api-keys', {
      token: admin.token,
      body: { name: 'backfill', scopes: ['ingest'] },
    })
  ).body.key;
});

afterAll(async () => {
  await s?.close();
});

describe('a backfill evaluated out of order', () => {
  it('keeps one sales_dip task when the recovery is evaluated before the last dip days', async () => {
    const start = '2026-03-02';
    const units = (day: number) => (day >= 56 && day < 63 ? 5 : 10); // eight steady weeks, a week at -50 %, recovery
    const rowsFor = (productId: string, days: number[]) =>
      days.map((day) => ({
        productId,
        branchId,
        date: addDays(start, day),
        units: units(day),
        revenueFen: units(day) * 300_000,
        orders: units(day),
      }));
    const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
    const products: string[] = [];
    for (let p = 0; p < 3; p++) {
      const productId = await makeLiveProduct(s.db, { departmentId, ownerId: owner.id, name: `Laser ${p}` });
      products.push(productId);
      // Up to the last dip day (the dip has held three days by then): the task opens.
      const first = await call(s.app, 'POST', '/api/ingest/sales', {
        token: ingestKey,
        body: { rows: rowsFor(productId, range(0, 63)) },
      });
      expect(first.status).toBe(202);
    }
    await settle(s, 60_000);
    for (const productId of products) {
      // The rest arrives newest first, so the clear days are evaluated before the last days whose window
      // still holds the dip.
      const rest = rowsFor(productId, range(63, 90).reverse());
      expect(
        (await call(s.app, 'POST', '/api/ingest/sales', { token: ingestKey, body: { rows: rest } })).status,
      ).toBe(202);
    }
    await settle(s, 60_000);

    for (const productId of products) {
      const tasks = await s.db
        .selectFrom('tasks')
        .select(['id', 'status', 'lastFiredOn', 'resolutionNote'])
        .where('productId', '=', productId)
        .where('signal', '=', 'sales_dip')
        .execute();
      expect(tasks).toHaveLength(1);
      expect(tasks[0]!.status).toBe('resolved');
      expect(tasks[0]!.resolutionNote).toMatch(/^Auto-resolved/);
      const fired = await s.db
        .selectFrom('signals')
        .select(['firedOn', 'taskId'])
        .where('productId', '=', productId)
        .where('signal', '=', 'sales_dip')
        .orderBy('firedOn')
        .execute();
      // Every fired day, whenever it was evaluated, is evidence of that one task.
      expect(fired.length).toBeGreaterThan(1);
      expect(fired.every((f) => f.taskId === tasks[0]!.id)).toBe(true);
      expect(tasks[0]!.lastFiredOn).toBe(fired.at(-1)!.firedOn);
    }
  });
});
