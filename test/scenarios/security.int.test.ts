// The security findings of issue 8, each as a probe that failed before its fix: branch scope on
// trainees, facts, targets and silences; deeply nested JSON; leap-second instants; huge invalid bodies;
// the login rate limit shared through Redis; deactivating a person; role changes on the next request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { buildApp } from '@tower/api';
import { createLogger } from '@tower/config';
import { insertTaskIfNoneOpen } from '@tower/db';
import { createRedis } from '@tower/queue';
import { persistReviewTaskSnapshot, initialReviewTaskSnapshot } from '@tower/workflow-review-task';
import { call, makeBranch, makePerson, startApi, type ApiHarness, type TestPerson } from '../support/api.js';
import { makeCast } from '../support/cast.js';
import { makeLiveProduct } from '../support/stack.js';
import { createIngestKey } from '../support/fixtures.js';

let h: ApiHarness;
let admin: TestPerson;
let owner: TestPerson;
let director: TestPerson;
let managerA: TestPerson;
let managerB: TestPerson;
let marketingB: TestPerson;
let injectionId: string;
let branchA: string;
let branchB: string;
let productId: string;

beforeAll(async () => {
  h = await startApi({ LOGIN_RATE_LIMIT_PER_MINUTE: '1000' });
  const cast = await makeCast(h.db, {
    departments: ['injection'],
    branches: ['sh-a', 'sh-b'],
    people: ({ departments: { injection }, branches: { 'sh-a': a, 'sh-b': b } }) => ({
      admin: { name: 'Admin', roles: [{ role: 'admin' }] },
      owner: { name: 'Owner', roles: [{ role: 'product_manager' }] },
      director: { name: 'Director', roles: [{ role: 'director' }] },
      managerA: [{ role: 'department_manager', departmentId: injection, branchId: a }],
      managerB: [{ role: 'department_manager', departmentId: injection, branchId: b }],
      marketingB: [{ role: 'marketing_manager', branchId: b }],
    }),
  });
  injectionId = cast.departments.injection;
  ({ 'sh-a': branchA, 'sh-b': branchB } = cast.branches);
  ({ admin, owner, director, managerA, managerB, marketingB } = cast.people);
  productId = await makeLiveProduct(h.db, { departmentId: injectionId, ownerId: owner.id });
});

afterAll(async () => {
  await h?.close();
});

async function count(table: 'trainees' | 'salesDaily' | 'silences' | 'salesTargets' | 'complaints') {
  const row = await h.db
    .selectFrom(table)
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  return row.n;
}

describe('branch scope on writes', () => {
  it("refuses a branch manager registering another branch's trainee, and their result", async () => {
    const before = await count('trainees');
    const foreign = await call(h.app, 'POST', `/api/products/${productId}/trainees`, {
      token: managerB.token,
      body: { branchId: branchA, name: 'Dr Wang', role: 'doctor' },
    });
    expect(foreign.status, JSON.stringify(foreign.body)).toBe(403);
    expect(await count('trainees')).toBe(before);

    const own = await call(h.app, 'POST', `/api/products/${productId}/trainees`, {
      token: managerA.token,
      body: { branchId: branchA, name: 'Dr Li', role: 'doctor' },
    });
    expect(own.status).toBe(201);
    const result = { passed: true, score: 90, at: '2026-11-01T08:00:00Z' };
    const refused = await call(h.app, 'POST', `/api/products/${productId}/trainees/${own.body.id}/result`, {
      token: managerB.token,
      body: result,
    });
    expect(refused.status).toBe(403);
    const trainee = await h.db
      .selectFrom('trainees')
      .selectAll()
      .where('id', '=', own.body.id)
      .executeTakeFirstOrThrow();
    expect(trainee.passed).toBeNull();
    const allowed = await call(h.app, 'POST', `/api/products/${productId}/trainees/${own.body.id}/result`, {
      token: managerA.token,
      body: result,
    });
    expect(allowed.status).toBe(200);
  });

  it("refuses a branch manager's sales rows for another branch, and takes their own", async () => {
    const before = await count('salesDaily');
    const row = { productId, date: '2026-10-30', units: 3, revenueFen: 900_000, orders: 3 };
    const foreign = await call(h.app, 'POST', '/api/ingest/sales', {
      token: managerB.token,
      body: { rows: [{ ...row, branchId: branchA }] },
    });
    expect(foreign.status).toBe(403);
    expect(await count('salesDaily')).toBe(before);
    const own = await call(h.app, 'POST', '/api/ingest/sales', {
      token: managerB.token,
      body: { rows: [{ ...row, branchId: branchB }] },
    });
    expect(own.status).toBe(202);
  });

  it("refuses a branch marketing manager's silence or target for another branch or the whole chain", async () => {
    const silences = await count('silences');
    const until = '2026-12-01T00:00:00Z';
    for (const branchId of [branchA, undefined]) {
      const refused = await call(h.app, 'POST', '/api/silences', {
        token: marketingB.token,
        body: {
          productId,
          signal: 'sales_dip',
          until,
          reason: 'promotion week',
          ...(branchId ? { branchId } : {}),
        },
      });
      expect(refused.status, JSON.stringify(refused.body)).toBe(403);
    }
    expect(await count('silences')).toBe(silences);
    const own = await call(h.app, 'POST', '/api/silences', {
      token: marketingB.token,
      body: { productId, signal: 'sales_dip', branchId: branchB, until, reason: 'promotion week' },
    });
    expect(own.status).toBe(201);

    const targets = await count('salesTargets');
    const target = await call(h.app, 'PUT', `/api/products/${productId}/targets`, {
      token: marketingB.token,
      body: { branchId: branchA, month: '2026-12', units: 40 },
    });
    expect(target.status, JSON.stringify(target.body)).toBe(403);
    expect(await count('salesTargets')).toBe(targets);
  });
});

describe('bodies that used to answer 500', () => {
  const deep = '['.repeat(5000) + ']'.repeat(5000);

  it('answers 400 to 5,000 levels of nesting on the routes without a body schema', async () => {
    const routes: [string, string][] = [
      ['POST', '/api/auth/logout'],
      ['POST', `/api/tasks/${crypto.randomUUID()}/acknowledge`],
      ['DELETE', `/api/api-keys/${crypto.randomUUID()}`],
      ['DELETE', `/api/silences/${crypto.randomUUID()}`],
    ];
    for (const [method, url] of routes) {
      const raw = await h.app.inject({
        method: method as 'POST',
        url,
        headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
        payload: deep,
      });
      expect(raw.statusCode, `${method} ${url}: ${raw.body}`).toBe(400);
      expect(raw.json()).toMatchObject({ error: 'body_too_deep' });
    }
    // The admin's session survived: logout did not run.
    expect((await call(h.app, 'GET', '/api/people/me', { token: admin.token })).status).toBe(200);
  });

  it('answers 400 to a leap second on every route that takes an instant, storing nothing', async () => {
    const key = await createIngestKey(h.app, admin);
    const complaints = await count('complaints');
    const complaint = await call(h.app, 'POST', '/api/ingest/complaints', {
      token: key,
      body: {
        externalId: 'leap-1',
        productId,
        branchId: branchA,
        occurredAt: '2026-06-30T23:59:60Z',
        category: 'service',
        severity: 'low',
        text: 'swelling',
      },
    });
    expect(complaint.status, JSON.stringify(complaint.body)).toBe(400);
    expect(complaint.body.fields).toEqual([
      { field: '/occurredAt', message: expect.any(String), code: 'FORMAT', params: { format: 'date-time' } },
    ]);
    expect(await count('complaints')).toBe(complaints);

    const silences = await count('silences');
    const silence = await call(h.app, 'POST', '/api/silences', {
      token: owner.token,
      body: { productId, signal: 'sales_dip', until: '2016-12-31T23:59:60Z', reason: 'leap' },
    });
    expect(silence.status).toBe(400);
    expect(silence.body.fields[0].field).toBe('/until');
    expect(await count('silences')).toBe(silences);

    // A leap second with an offset, and the same instant written as 23:59:59, each answer the same way.
    const offset = await call(h.app, 'POST', '/api/silences', {
      token: owner.token,
      body: { productId, signal: 'sales_dip', until: '2016-12-31T23:59:60+00:00', reason: 'leap' },
    });
    expect(offset.status).toBe(400);
  });

  it('names the first 100 problems of a huge invalid batch and counts the rest', async () => {
    const key = await createIngestKey(h.app, admin);
    const rows = Array.from({ length: 5000 }, () => ({
      productId: 'x',
      branchId: 'y',
      date: 'z',
      units: -1,
    }));
    const answer = await call(h.app, 'POST', '/api/ingest/sales', { token: key, body: { rows } });
    expect(answer.status).toBe(400);
    expect(answer.body.fields).toHaveLength(100);
    expect(answer.body.moreProblems).toBeGreaterThan(5000);
    expect(answer.body.message).toContain('more problems');
    expect(answer.raw.body.length).toBeLessThan(50_000);
  });

  it('answers 413 at once to a million rows in 2 MB, with a small body', async () => {
    const key = await createIngestKey(h.app, admin);
    const payload = `{"rows":[${Array.from({ length: 1_000_000 }, () => '0').join(',')}]}`;
    expect(payload.length).toBeLessThan(2.1 * 1024 * 1024);
    const raw = await h.app.inject({
      method: 'POST',
      url: '/api/ingest/sales',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      payload,
    });
    expect(raw.statusCode).toBe(413);
    expect(raw.json()).toMatchObject({ error: 'too_many_rows', rows: 1_000_000 });
    expect(raw.body.length).toBeLessThan(2000);
  });
});

describe('the login rate limit across API processes', () => {
  const password = 'correct horse battery staple';
  let second: ApiHarness;
  let email: string;

  beforeAll(async () => {
    // A second API process on the same Redis and prefix, as a deployment with two API replicas.
    second = await startApi({ LOGIN_RATE_LIMIT_PER_MINUTE: '3' });
    const created = await call(second.app, 'POST', '/api/people', {
      token: (await makePerson(second.db, [{ role: 'admin' }])).token,
      body: { name: 'Nurse', email: 'nurse@tower.test', password, roles: [{ role: 'director' }] },
    });
    expect(created.status).toBe(201);
    email = 'nurse@tower.test';
  });

  afterAll(async () => {
    await second?.close();
  });

  it('counts the attempts of one client in Redis, shared by every process', async () => {
    const other = await buildApp({
      config: second.config,
      db: second.db,
      redis: second.redis,
      logger: createLogger({ name: 'api-2', level: 'silent' }),
    });
    try {
      const attempt = (app: typeof other, i: number) =>
        app.inject({
          method: 'POST',
          url: '/api/auth/login',
          remoteAddress: '198.51.100.20',
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify({ email, password: `wrong-${i}` }),
        });
      const statuses = [
        (await attempt(second.app, 1)).statusCode,
        (await attempt(other, 2)).statusCode,
        (await attempt(second.app, 3)).statusCode,
        (await attempt(other, 4)).statusCode,
        (await attempt(second.app, 5)).statusCode,
      ];
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await other.close();
    }
  });

  it('refuses logins (503) rather than letting them through when Redis is away', async () => {
    // A client on a port where no Redis listens: every command fails at once.
    const redis = createRedis('redis://127.0.0.1:1');
    redis.on('error', () => {});
    const app = await buildApp({
      config: second.config,
      db: second.db,
      redis,
      logger: createLogger({ name: 'api-no-redis', level: 'silent' }),
    });
    try {
      const raw = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ email, password }),
      });
      expect(raw.statusCode).toBe(503);
      expect(raw.json()).toMatchObject({ error: 'login_unavailable' });
    } finally {
      await app.close();
      redis.disconnect();
    }
  });
});

describe('deactivating a person', () => {
  it('stops their sessions and keys at once, refuses their login, passes their tasks on, audited', async () => {
    const password = 'leaving the clinic 2026';
    const created = await call(h.app, 'POST', '/api/people', {
      token: admin.token,
      body: {
        name: 'Leaving manager',
        email: 'leaver@tower.test',
        password,
        roles: [
          { role: 'department_manager', departmentId: injectionId, branchId: branchB },
          { role: 'admin' },
        ],
      },
    });
    expect(created.status).toBe(201);
    const leaverId: string = created.body.id;
    const login = await call(h.app, 'POST', '/api/auth/login', {
      body: { email: 'leaver@tower.test', password },
    });
    expect(login.status).toBe(200);
    const token: string = login.body.token;
    const key = await call(h.app, 'POST', '/api/api-keys', {
      token,
      body: { name: 'their feed', scopes: ['ingest'] },
    });
    expect(key.status).toBe(201);

    // Two open tasks: one at branch B (managerB holds the same role and scope), one at a branch nobody else holds.
    const branchC = (await makeBranch(h.db)).id;
    const snapshot = persistReviewTaskSnapshot(initialReviewTaskSnapshot({ maxEscalationLevel: 1 }));
    const base = {
      productId,
      signal: 'complaint_spike' as const,
      severity: 'high' as const,
      snapshot,
      informed: [],
      dueAt: new Date('2026-11-03T00:00:00Z'),
      lastFiredOn: '2026-11-01',
      at: new Date(),
    };
    const atB = (await insertTaskIfNoneOpen(h.db, {
      ...base,
      branchId: branchB,
      assignees: [leaverId, owner.id],
    }))!;
    const atC = (await insertTaskIfNoneOpen(h.db, { ...base, branchId: branchC, assignees: [leaverId] }))!;

    const refused = await call(h.app, 'POST', `/api/people/${leaverId}/deactivate`, {
      token: managerA.token,
      body: { reason: 'left' },
    });
    expect(refused.status).toBe(403);

    const done = await call(h.app, 'POST', `/api/people/${leaverId}/deactivate`, {
      token: admin.token,
      body: { reason: 'Left the clinic on 2026-11-01' },
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ sessionsRevoked: 1, apiKeysRevoked: 1 });

    expect((await call(h.app, 'GET', '/api/people/me', { token })).status).toBe(401);
    const keyUse = await call(h.app, 'POST', '/api/ingest/sales', {
      token: key.body.key,
      body: {
        rows: [{ productId, branchId: branchB, date: '2026-10-29', units: 1, revenueFen: 1, orders: 1 }],
      },
    });
    expect(keyUse.status).toBe(401);
    const relogin = await call(h.app, 'POST', '/api/auth/login', {
      body: { email: 'leaver@tower.test', password },
    });
    expect(relogin.status).toBe(401);

    const tasks = await h.db
      .selectFrom('tasks')
      .select(['id', 'assignees'])
      .where('id', 'in', [atB.id, atC.id])
      .execute();
    const byId = new Map(tasks.map((t) => [t.id, t.assignees]));
    expect(byId.get(atB.id)).toEqual([owner.id, managerB.id]);
    expect(byId.get(atC.id)).toEqual([director.id]);

    const audit = await h.db
      .selectFrom('auditLog')
      .selectAll()
      .where('action', '=', 'person.deactivated')
      .where('entityId', '=', leaverId)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actorId).toBe(admin.id);

    const again = await call(h.app, 'POST', `/api/people/${leaverId}/deactivate`, {
      token: admin.token,
      body: { reason: 'twice' },
    });
    expect(again.status).toBe(409);
  });

  it('passes a leaving product manager’s products to another product manager', async () => {
    const leaver = await makePerson(h.db, [{ role: 'product_manager' }], 'Leaving PM');
    const successor = await makePerson(
      h.db,
      [{ role: 'product_manager', departmentId: injectionId }],
      'New PM',
    );
    const product = await makeLiveProduct(h.db, {
      departmentId: injectionId,
      ownerId: leaver.id,
      name: 'Profhilo',
    });
    const done = await call(h.app, 'POST', `/api/people/${leaver.id}/deactivate`, {
      token: admin.token,
      body: { reason: 'left' },
    });
    expect(done.status).toBe(200);
    const row = await h.db
      .selectFrom('products')
      .select('ownerId')
      .where('id', '=', product)
      .executeTakeFirstOrThrow();
    expect([successor.id, owner.id]).toContain(row.ownerId);
    expect(row.ownerId).not.toBe(leaver.id);
  });

  it('applies a change of roles on the next request', async () => {
    const person = await makePerson(h.db, [{ role: 'director' }]);
    expect((await call(h.app, 'GET', '/api/people', { token: person.token })).status).toBe(200);
    const changed = await call(h.app, 'PUT', `/api/people/${person.id}/roles`, {
      token: admin.token,
      body: { roles: [{ role: 'compliance_officer' }] },
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.roles).toEqual([{ role: 'compliance_officer', departmentId: null, branchId: null }]);
    const key = await call(h.app, 'POST', '/api/ingest/sales', {
      token: person.token,
      body: {
        rows: [{ productId, branchId: branchB, date: '2026-10-28', units: 1, revenueFen: 1, orders: 1 }],
      },
    });
    expect(key.status).toBe(403);
  });
});
