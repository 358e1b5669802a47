import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { call, startApi, type ApiHarness, type TestPerson } from '../support/api.js';
import { makeCast } from '../support/cast.js';
import { makeLiveProduct } from '../support/stack.js';
import { FACT_ROUTES_WITH_BODY, hitsRoute } from '../support/routes.js';

/** The routes of facts, tasks and silences: several problems at once, every one named, nothing stored. */
let h: ApiHarness;
let admin: TestPerson;
let productId: string;
let branchId: string;
let taskId: string;

const TABLES = [
  'salesDaily',
  'complaints',
  'competitorPrices',
  'costChanges',
  'salesTargets',
  'calendarDays',
  'taskComments',
  'silences',
  'outbox',
  'idempotencyKeys',
] as const;

async function counts(): Promise<Record<string, number>> {
  const entries = await Promise.all(
    TABLES.map(async (table) => {
      const row = await h.db
        .selectFrom(table)
        .select(sql<number>`count(*)::int`.as('n'))
        .executeTakeFirstOrThrow();
      return [table, row.n] as const;
    }),
  );
  return Object.fromEntries(entries);
}

beforeAll(async () => {
  h = await startApi();
  const cast = await makeCast(h.db, {
    departments: ['injection'],
    branches: ['sh-a'],
    people: () => ({ admin: [{ role: 'admin' }], owner: [{ role: 'product_manager' }] }),
  });
  branchId = cast.branches['sh-a'];
  admin = cast.people.admin;
  productId = await makeLiveProduct(h.db, {
    departmentId: cast.departments.injection,
    ownerId: cast.people.owner.id,
  });
  const task = await h.db
    .insertInto('tasks')
    .values({
      productId,
      branchId,
      signal: 'sales_dip',
      severity: 'medium',
      status: 'open',
      snapshot: JSON.stringify({ value: 'open', context: { escalationLevel: 0, maxEscalationLevel: 1 } }),
      assignees: [admin.id],
      dueAt: new Date(Date.now() + 3600_000),
      lastFiredOn: '2026-11-01',
      updatedAt: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  taskId = task.id;
});

afterAll(async () => {
  await h?.close();
});

const CASES: { name: string; method: 'POST' | 'PUT'; url: () => string; body: unknown; fields: string[] }[] =
  [
    {
      name: 'sales rows',
      method: 'POST',
      url: () => '/api/ingest/sales',
      body: {
        rows: [
          {
            productId: 'nope',
            branchId: null,
            date: '2026-13-01',
            units: -1,
            revenueFen: 1.5,
            orders: 'x',
            extra: 1,
          },
        ],
      },
      fields: [
        '/rows/0/productId',
        '/rows/0/branchId',
        '/rows/0/date',
        '/rows/0/units',
        '/rows/0/revenueFen',
        '/rows/0/orders',
        '/rows/0/extra',
      ],
    },
    {
      name: 'a complaint',
      method: 'POST',
      url: () => '/api/ingest/complaints',
      body: {
        externalId: '',
        productId: 'x',
        occurredAt: 'yesterday',
        category: 'rude',
        severity: 'extreme',
        text: 7,
      },
      fields: ['/externalId', '/productId', '/branchId', '/occurredAt', '/category', '/severity', '/text'],
    },
    {
      name: 'competitor prices',
      method: 'POST',
      url: () => '/api/ingest/competitor-prices',
      body: { rows: [{ productId: 'x', competitor: '', priceFen: 0, observedAt: 'now' }], more: true },
      fields: ['/rows/0/productId', '/rows/0/competitor', '/rows/0/priceFen', '/rows/0/observedAt', '/more'],
    },
    {
      name: 'a cost change',
      method: 'POST',
      url: () => '/api/ingest/cost-changes',
      body: { productId: 'x', labourFen: -5, effectiveOn: '2026-02-30x' },
      fields: ['/productId', '/labourFen', '/effectiveOn'],
    },
    {
      name: 'a monthly target',
      method: 'PUT',
      url: () => `/api/products/${productId}/targets`,
      body: { branchId: 'x', month: '2026-13', units: -3 },
      fields: ['/branchId', '/month', '/units'],
    },
    {
      name: 'calendar days',
      method: 'PUT',
      url: () => '/api/calendar/days',
      body: { days: [{ date: '01/10/2026', kind: 'party', name: '' }] },
      fields: ['/days/0/date', '/days/0/kind', '/days/0/name'],
    },
    {
      name: 'a task decision',
      method: 'POST',
      url: () => `/api/tasks/${taskId}/resolve`,
      body: { decision: 'shrug', note: '', why: 'no' },
      fields: ['/decision', '/note', '/why'],
    },
    {
      name: 'a task comment',
      method: 'POST',
      url: () => `/api/tasks/${taskId}/comments`,
      body: { text: '' },
      fields: ['/text'],
    },
    {
      name: 'task feedback',
      method: 'POST',
      url: () => `/api/tasks/${taskId}/feedback`,
      body: { useful: 'very', stars: 5 },
      fields: ['/useful', '/stars'],
    },
    {
      name: 'a silence',
      method: 'POST',
      url: () => '/api/silences',
      body: { productId: 'x', signal: 'everything', until: 'soon', reason: '' },
      fields: ['/productId', '/signal', '/until', '/reason'],
    },
  ];

describe('bad facts, decisions and silences', () => {
  it('has a case for each route it is named as covering', () => {
    for (const route of FACT_ROUTES_WITH_BODY) {
      expect(
        CASES.some((c) => hitsRoute(route, c.method, c.url())),
        route,
      ).toBe(true);
    }
  });

  for (const testCase of CASES) {
    it(`answers 400 naming every problem in ${testCase.name}, and stores nothing`, async () => {
      const before = await counts();
      const { status, body } = await call(h.app, testCase.method, testCase.url(), {
        token: admin.token,
        body: testCase.body,
      });
      expect(status).toBe(400);
      expect(body.error).toBe('invalid_input');
      expect(body.fields.map((f: { field: string }) => f.field).sort()).toEqual([...testCase.fields].sort());
      expect(await counts()).toEqual(before);
    });
  }

  it('refuses a silence that has already ended, naming the field', async () => {
    const { status, body } = await call(h.app, 'POST', '/api/silences', {
      token: admin.token,
      body: { productId, signal: 'sales_dip', until: '2020-01-01T00:00:00Z', reason: 'old' },
    });
    expect(status).toBe(400);
    expect(body.fields).toEqual([{ field: '/until', message: 'must be in the future', code: 'IN_THE_PAST' }]);
  });
});
