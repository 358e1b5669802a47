import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, makeBranch, makeDepartment, makePerson, type TestPerson } from '../support/api.js';
import { eventually, makeLiveProduct, startStack, type StackHarness } from '../support/stack.js';

let s: StackHarness;
let admin: TestPerson;
let productId: string;
let branchId: string;

beforeAll(async () => {
  // Polling once a minute: only the commit notification can make the relay prompt.
  s = await startStack({ RELAY_INTERVAL_MS: '60000' });
  const departmentId = (await makeDepartment(s.db, 'injection')).id;
  branchId = (await makeBranch(s.db, 'cd-1')).id;
  const owner = await makePerson(s.db, [{ role: 'product_manager' }]);
  await makePerson(s.db, [{ role: 'director' }]);
  admin = await makePerson(s.db, [{ role: 'admin' }]);
  productId = await makeLiveProduct(s.db, { departmentId, ownerId: owner.id });
});

afterAll(async () => {
  await s?.close();
});

describe('the outbox relay', () => {
  it('is woken by the commit of new outbox rows instead of waiting for its next poll', async () => {
    const response = await call(s.app, 'POST', '/api/ingest/complaints', {
      token: admin.token,
      body: {
        externalId: 'wake-1',
        productId,
        branchId,
        occurredAt: '2026-11-01T02:00:00Z',
        category: 'medical_dispute',
        severity: 'critical',
        text: 'Customer disputes the outcome',
      },
    });
    expect(response.status).toBe(201);
    const task = await eventually(
      'the severe_complaint task',
      () => s.db.selectFrom('tasks').select('id').where('productId', '=', productId).executeTakeFirst(),
      10_000,
    );
    expect(task.id).toEqual(expect.any(String));
  });

  it('checks the margin when a product on sale gets new costs through the API', async () => {
    const raised = await call(s.app, 'PUT', `/api/products/${productId}/costs`, {
      token: admin.token,
      body: { consumablesFen: 200_000, labourFen: 20_000, overheadFen: 10_000, marketingFen: 20_000 },
    });
    expect(raised.status).toBe(200);
    // unit cost 250,000 fen → profit floor 350,000 fen, above the 300,000 list price
    const task = await eventually('the margin_erosion task', () =>
      s.db
        .selectFrom('tasks')
        .select(['id', 'branchId'])
        .where('productId', '=', productId)
        .where('signal', '=', 'margin_erosion')
        .executeTakeFirst(),
    );
    expect(task.branchId).toBeNull();
  });
});
