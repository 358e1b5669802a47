import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { insertSession } from '@tower/db';
import { hashSecret } from '@tower/engine';
import { call, makePerson, startApi, type ApiHarness, type Method, type TestPerson } from '../support/api.js';
import { makeCast } from '../support/cast.js';

let h: ApiHarness;
let admin: TestPerson;
let pm: TestPerson;
let director: TestPerson;
let compliance: TestPerson;
let departmentId: string;
let branchId: string;
let productId: string;
const PASSWORD = 'correct horse battery staple';
let createdEmail: string;
let createdId: string;
/** Every response body this file saw, to look for password hashes in. */
const seen: string[] = [];

async function api(method: Method, url: string, options: Parameters<typeof call>[3] = {}) {
  const result = await call(h.app, method, url, options);
  seen.push(result.raw.body);
  return result;
}

async function count(
  table: 'apiKeys' | 'branches' | 'departments' | 'people' | 'personRoles' | 'products' | 'sessions',
): Promise<number> {
  const row = await h.db
    .selectFrom(table)
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  return row.n;
}

beforeAll(async () => {
  // This file signs in more often than the default limit; the limit has its own harness below.
  h = await startApi({ LOGIN_RATE_LIMIT_PER_MINUTE: '1000' });
  // Sessions are checked against the wall clock as well; keep the engine clock on it.
  h.clock.set(new Date());
  const cast = await makeCast(h.db, {
    departments: ['skin'],
    branches: ['bj-a'],
    people: () => ({
      admin: { name: 'Admin', roles: [{ role: 'admin' }] },
      pm: { name: 'PM', roles: [{ role: 'product_manager' }] },
      director: { name: 'Director', roles: [{ role: 'director' }] },
      compliance: { name: 'Compliance', roles: [{ role: 'compliance_officer' }] },
    }),
  });
  departmentId = cast.departments.skin;
  branchId = cast.branches['bj-a'];
  ({ admin, pm, director, compliance } = cast.people);
  const product = await api('POST', '/api/products', {
    token: pm.token,
    body: { name: 'Peel', departmentId, tier: 'traffic', ownerId: pm.id },
  });
  expect(product.status).toBe(201);
  productId = product.body.id;

  createdEmail = `Li.Na.${Date.now()}@tower.test`;
  const created = await api('POST', '/api/people', {
    token: admin.token,
    body: {
      name: 'Li Na',
      email: createdEmail,
      password: PASSWORD,
      roles: [{ role: 'department_manager', departmentId, branchId }],
      channels: [{ kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc' }],
    },
  });
  expect(created.status).toBe(201);
  createdId = created.body.id;
});

afterAll(async () => {
  await h?.close();
});

describe('signing in', () => {
  it('creates a person through the API who can then sign in with their password', async () => {
    const { status, body } = await api('POST', '/api/auth/login', {
      body: { email: createdEmail, password: PASSWORD },
    });
    expect(status).toBe(200);
    expect(body.token).toEqual(expect.any(String));
    expect(body.person).toMatchObject({
      id: createdId,
      email: createdEmail,
      roles: [{ role: 'department_manager', departmentId, branchId }],
    });
    const me = await api('GET', '/api/people/me', { token: body.token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: createdId, name: 'Li Na' });
  });

  it('matches the email without regard to case', async () => {
    const { status } = await api('POST', '/api/auth/login', {
      body: { email: createdEmail.toUpperCase(), password: PASSWORD },
    });
    expect(status).toBe(200);
  });

  it('answers a wrong password exactly as it answers an unknown email, and opens no session', async () => {
    const sessionsBefore = await count('sessions');
    const wrongPassword = await api('POST', '/api/auth/login', {
      body: { email: createdEmail, password: 'not the password' },
    });
    const unknownEmail = await api('POST', '/api/auth/login', {
      body: { email: 'nobody@tower.test', password: PASSWORD },
    });
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(wrongPassword.body).toEqual(unknownEmail.body);
    expect(wrongPassword.body).toEqual({ error: 'invalid_credentials', message: expect.any(String) });
    expect(await count('sessions')).toBe(sessionsBefore);
  });

  it('refuses a person whose password hash is not a real one (factory people)', async () => {
    const { status } = await api('POST', '/api/auth/login', { body: { email: pm.email, password: 'none' } });
    expect(status).toBe(401);
  });

  it('refuses a deactivated person, and their live sessions stop working', async () => {
    const login = await api('POST', '/api/auth/login', { body: { email: createdEmail, password: PASSWORD } });
    expect(login.status).toBe(200);
    await h.db.updateTable('people').set({ active: false }).where('id', '=', createdId).execute();
    try {
      expect(
        (await api('POST', '/api/auth/login', { body: { email: createdEmail, password: PASSWORD } })).status,
      ).toBe(401);
      expect((await api('GET', '/api/people/me', { token: login.body.token })).status).toBe(401);
    } finally {
      await h.db.updateTable('people').set({ active: true }).where('id', '=', createdId).execute();
    }
  });
});

describe('signing out', () => {
  it('revokes the token: the next call with it answers 401', async () => {
    const login = await api('POST', '/api/auth/login', { body: { email: createdEmail, password: PASSWORD } });
    const token = login.body.token as string;
    expect((await api('GET', '/api/people/me', { token })).status).toBe(200);
    const out = await api('POST', '/api/auth/logout', { token });
    expect(out.status).toBe(204);
    const after = await api('GET', '/api/people/me', { token });
    expect(after.status).toBe(401);
    expect(after.body.error).toBe('unauthorized');
    expect((await api('POST', '/api/auth/logout', { token })).status).toBe(401);
  });

  it('revokes only that token, not the person’s other sessions', async () => {
    const first = await api('POST', '/api/auth/login', { body: { email: createdEmail, password: PASSWORD } });
    const second = await api('POST', '/api/auth/login', {
      body: { email: createdEmail, password: PASSWORD },
    });
    expect((await api('POST', '/api/auth/logout', { token: first.body.token })).status).toBe(204);
    expect((await api('GET', '/api/people/me', { token: second.body.token })).status).toBe(200);
  });
});

describe('sessions expire', () => {
  it('refuses a session past its expiry', async () => {
    const token = 'expired-session-token-000000000000';
    await insertSession(h.db, {
      personId: pm.id,
      tokenHash: hashSecret(token),
      expiresAt: new Date(h.clock.now().getTime() - 1000),
    });
    const { status, body } = await api('GET', '/api/people/me', { token });
    expect(status).toBe(401);
    expect(body.error).toBe('unauthorized');
  });

  it('expires a signed-in session by the engine clock that set its expiry', async () => {
    const login = await api('POST', '/api/auth/login', { body: { email: createdEmail, password: PASSWORD } });
    expect((await api('GET', '/api/people/me', { token: login.body.token })).status).toBe(200);
    const saved = h.clock.now();
    h.clock.advanceDays(1); // past SESSION_TTL_SECONDS (12 h by default)
    try {
      expect((await api('GET', '/api/people/me', { token: login.body.token })).status).toBe(401);
    } finally {
      h.clock.set(saved);
    }
  });
});

describe('every /api route needs credentials', () => {
  it('whatever way the path is spelled: percent-encoded /api routes still need a token', async () => {
    for (const url of [
      '/%61pi/rules',
      '/%61pi/branches',
      '/%61pi/departments',
      '/ap%69/people/me',
      '/%2Fapi/rules',
    ]) {
      const { status } = await call(h.app, 'GET', url);
      expect([401, 404], url).toContain(status);
      expect(status, url).not.toBe(200);
    }
    expect((await call(h.app, 'GET', '/%61pi/rules')).status).toBe(401);
  });

  const routes: { method: Method; url: () => string; body?: () => unknown }[] = [
    { method: 'GET', url: () => '/api/people/me' },
    { method: 'GET', url: () => '/api/people' },
    {
      method: 'POST',
      url: () => '/api/people',
      body: () => ({ name: 'X', email: 'x@tower.test', password: PASSWORD, roles: [{ role: 'admin' }] }),
    },
    { method: 'POST', url: () => '/api/auth/logout' },
    { method: 'POST', url: () => '/api/api-keys', body: () => ({ name: 'erp', scopes: ['ingest'] }) },
    { method: 'GET', url: () => '/api/branches' },
    { method: 'POST', url: () => '/api/branches', body: () => ({ code: 'x1', name: 'X' }) },
    { method: 'GET', url: () => '/api/departments' },
    { method: 'POST', url: () => '/api/departments', body: () => ({ code: 'x1', name: 'X' }) },
    { method: 'GET', url: () => '/api/products' },
    {
      method: 'POST',
      url: () => '/api/products',
      body: () => ({ name: 'X', departmentId, tier: 'traffic', ownerId: pm.id }),
    },
    { method: 'GET', url: () => `/api/products/${productId}` },
    { method: 'GET', url: () => `/api/products/${productId}/history` },
    { method: 'PUT', url: () => `/api/products/${productId}/sheet`, body: () => ({ spec: 'changed' }) },
    {
      method: 'PUT',
      url: () => `/api/products/${productId}/costs`,
      body: () => ({ consumablesFen: 1, labourFen: 1, overheadFen: 1, marketingFen: 1 }),
    },
    {
      method: 'PUT',
      url: () => `/api/products/${productId}/prices`,
      body: () => ({ prices: [{ type: 'list', amountFen: 100 }] }),
    },
    { method: 'POST', url: () => `/api/products/${productId}/events`, body: () => ({ type: 'REJECT' }) },
    { method: 'GET', url: () => `/api/products/${productId}/launch` },
    { method: 'GET', url: () => '/api/launch-items?mine=true' },
    { method: 'GET', url: () => '/api/rules' },
    { method: 'PUT', url: () => '/api/rules', body: () => ({ autoResolveDays: 3 }) },
    // Unknown /api routes are not a way to probe without credentials either.
    { method: 'GET', url: () => '/api/nothing-here' },
  ];
  const badHeaders: [string, Record<string, string>][] = [
    ['no Authorization header', {}],
    ['a garbage bearer token', { authorization: 'Bearer garbage' }],
    ['an empty bearer token', { authorization: 'Bearer ' }],
    ['a Basic scheme', { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` }],
    ['an unknown API key', { authorization: 'Bearer ptk_unknownkey' }],
    ['a token without the scheme', { authorization: 'sometoken' }],
  ];
  for (const route of routes) {
    it(`${route.method} ${route.url
      .toString()
      .replace(/^\(\) => |[`']/g, '')
      .replace(
        '${productId}',
        ':id',
      )} answers 401 without valid credentials and changes nothing`, async () => {
      const before = await h.db
        .selectFrom('products')
        .selectAll()
        .where('id', '=', productId)
        .executeTakeFirstOrThrow();
      const counts = await Promise.all([
        count('people'),
        count('branches'),
        count('departments'),
        count('products'),
        count('apiKeys'),
      ]);
      for (const [what, headers] of badHeaders) {
        const { status, body } = await api(route.method, route.url(), {
          headers,
          ...(route.body ? { body: route.body() } : {}),
        });
        expect(status, what).toBe(401);
        expect(body, what).toMatchObject({ error: 'unauthorized', message: expect.any(String) });
      }
      expect(
        await h.db.selectFrom('products').selectAll().where('id', '=', productId).executeTakeFirstOrThrow(),
      ).toEqual(before);
      expect(
        await Promise.all([
          count('people'),
          count('branches'),
          count('departments'),
          count('products'),
          count('apiKeys'),
        ]),
      ).toEqual(counts);
    });
  }

  it('leaves /health and /docs/json public', async () => {
    expect((await api('GET', '/health')).status).toBe(200);
    expect((await api('GET', '/docs/json')).status).toBe(200);
  });
});

describe('API keys', () => {
  it('are listed without secrets and, once revoked, open nothing', async () => {
    const created = await api('POST', '/api/api-keys', {
      token: admin.token,
      body: { name: 'his', scopes: ['ingest'] },
    });
    const listed = await api('GET', '/api/api-keys', { token: admin.token });
    expect(listed.status).toBe(200);
    const mine = listed.body.items.find((k: { id: string }) => k.id === created.body.id);
    expect(mine).toMatchObject({ name: 'his', scopes: ['ingest'], revokedAt: null });
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key);
    expect((await api('GET', '/api/api-keys', { token: pm.token })).status).toBe(403);

    const ingest = () =>
      api('POST', '/api/ingest/competitor-prices', {
        token: created.body.key,
        body: { rows: [{ productId, competitor: 'Clinic Z', priceFen: 100_000, observedAt: '2026-11-01' }] },
      });
    expect((await ingest()).status).toBe(202);
    expect((await api('DELETE', `/api/api-keys/${created.body.id}`, { token: pm.token })).status).toBe(403);
    expect((await api('DELETE', `/api/api-keys/${created.body.id}`, { token: admin.token })).status).toBe(
      204,
    );
    expect((await ingest()).status).toBe(401);
    expect((await api('DELETE', `/api/api-keys/${created.body.id}`, { token: admin.token })).status).toBe(
      404,
    );
  });

  it('are created by an admin only and shown once', async () => {
    for (const person of [pm, director, compliance]) {
      const before = await count('apiKeys');
      const refused = await api('POST', '/api/api-keys', {
        token: person.token,
        body: { name: 'erp', scopes: ['ingest'] },
      });
      expect(refused.status).toBe(403);
      expect(refused.body.error).toBe('forbidden');
      expect(await count('apiKeys')).toBe(before);
    }
    const created = await api('POST', '/api/api-keys', {
      token: admin.token,
      body: { name: 'erp', scopes: ['ingest'] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.any(String),
      name: 'erp',
      scopes: ['ingest'],
      key: expect.stringMatching(/^ptk_/),
    });
    const stored = await h.db
      .selectFrom('apiKeys')
      .selectAll()
      .where('id', '=', created.body.id)
      .executeTakeFirstOrThrow();
    expect(stored.keyHash).not.toContain(created.body.key);
    expect(stored.keyHash).toBe(hashSecret(created.body.key));
  });

  // An ingest key must be refused everywhere but /api/ingest/*.
  it('get 403 on every route that is not an ingest route', async () => {
    const created = await api('POST', '/api/api-keys', {
      token: admin.token,
      body: { name: 'pos', scopes: ['ingest'] },
    });
    const key = created.body.key as string;
    const before = await Promise.all([count('products'), count('people'), count('apiKeys')]);
    const calls: [Method, string, unknown?][] = [
      ['GET', '/api/products'],
      ['GET', `/api/products/${productId}`],
      ['POST', '/api/products', { name: 'X', departmentId, tier: 'traffic', ownerId: pm.id }],
      ['PUT', `/api/products/${productId}/sheet`, { spec: 'by key' }],
      ['POST', `/api/products/${productId}/events`, { type: 'REJECT' }],
      ['GET', '/api/people/me'],
      ['GET', '/api/people'],
      [
        'POST',
        '/api/people',
        { name: 'X', email: 'key@tower.test', password: PASSWORD, roles: [{ role: 'admin' }] },
      ],
      ['POST', '/api/api-keys', { name: 'again', scopes: ['ingest'] }],
      ['GET', '/api/branches'],
      ['GET', '/api/rules'],
      ['PUT', '/api/rules', { autoResolveDays: 3 }],
      ['POST', '/api/auth/logout'],
    ];
    for (const [method, url, body] of calls) {
      const result = await api(method, url, { token: key, ...(body !== undefined ? { body } : {}) });
      expect(result.status, `${method} ${url}`).toBe(403);
      expect(result.body.error).toBe('forbidden');
    }
    expect(await Promise.all([count('products'), count('people'), count('apiKeys')])).toEqual(before);
    // An ingest route lets the key through authentication: the (invalid) body is what it answers to.
    const ingest = await api('POST', '/api/ingest/sales', { token: key, body: { rows: 'not rows' } });
    expect(ingest.status).toBe(400);
    expect(ingest.body.error).toBe('invalid_input');
    // The key still works afterwards (logout did not revoke it).
    expect((await api('GET', '/api/products', { token: key })).status).toBe(403);
    expect(
      (
        await h.db
          .selectFrom('apiKeys')
          .select('revokedAt')
          .where('id', '=', created.body.id)
          .executeTakeFirstOrThrow()
      ).revokedAt,
    ).toBeNull();
  });
});

describe('only an admin manages the organisation', () => {
  const attempts: {
    what: string;
    url: string;
    body: () => unknown;
    tables: ('people' | 'personRoles' | 'branches' | 'departments')[];
  }[] = [
    {
      what: 'people',
      url: '/api/people',
      body: () => ({
        name: 'Sneaky',
        email: `sneaky${Date.now()}@tower.test`,
        password: PASSWORD,
        roles: [{ role: 'admin' }],
      }),
      tables: ['people', 'personRoles'],
    },
    {
      what: 'branches',
      url: '/api/branches',
      body: () => ({ code: 'gz-z', name: 'Guangzhou Z' }),
      tables: ['branches'],
    },
    {
      what: 'departments',
      url: '/api/departments',
      body: () => ({ code: 'dental', name: 'Dental' }),
      tables: ['departments'],
    },
  ];
  for (const attempt of attempts) {
    it(`refuses non-admins creating ${attempt.what} with 403 and stores nothing`, async () => {
      const before = await Promise.all(attempt.tables.map(count));
      for (const person of [pm, director, compliance]) {
        const { status, body } = await api('POST', attempt.url, {
          token: person.token,
          body: attempt.body(),
        });
        expect(status).toBe(403);
        expect(body.error).toBe('forbidden');
      }
      expect(await Promise.all(attempt.tables.map(count))).toEqual(before);
      const byAdmin = await api('POST', attempt.url, { token: admin.token, body: attempt.body() });
      expect(byAdmin.status).toBe(201);
    });
  }

  it('answers 409 for a second person with the same email, in any case', async () => {
    const { status, body } = await api('POST', '/api/people', {
      token: admin.token,
      body: { name: 'Li Na again', email: createdEmail, password: PASSWORD, roles: [{ role: 'director' }] },
    });
    expect(status).toBe(409);
    expect(body.error).toBe('email_taken');
    const upper = await api('POST', '/api/people', {
      token: admin.token,
      body: {
        name: 'Li Na again',
        email: createdEmail.toUpperCase(),
        password: PASSWORD,
        roles: [{ role: 'director' }],
      },
    });
    expect(upper.status).toBe(409);
  });
});

describe('password hashes', () => {
  it('never appear in any response', async () => {
    const listed = await api('GET', '/api/people?limit=200', { token: admin.token });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((p: { id: string }) => p.id)).toContain(createdId);
    const stored = await h.db
      .selectFrom('people')
      .select('passwordHash')
      .where('id', '=', createdId)
      .executeTakeFirstOrThrow();
    expect(stored.passwordHash).toMatch(/^scrypt\$/);
    expect(seen.length).toBeGreaterThan(50);
    for (const body of seen) {
      expect(body).not.toContain(stored.passwordHash);
      expect(body).not.toMatch(/scrypt\$/);
      expect(body).not.toMatch(/passwordHash|password_hash/i);
      expect(body).not.toContain(PASSWORD);
    }
  });
});

describe('the login rate limit', () => {
  let limited: ApiHarness;

  beforeAll(async () => {
    limited = await startApi({ LOGIN_RATE_LIMIT_PER_MINUTE: '3' });
  });

  afterAll(async () => {
    await limited?.close();
  });

  it('answers 429 after LOGIN_RATE_LIMIT_PER_MINUTE attempts, even with good input', async () => {
    for (let i = 0; i < 3; i++) {
      const attempt = await call(limited.app, 'POST', '/api/auth/login', {
        body: { email: 'guess@tower.test', password: `guess-${i}` },
      });
      expect(attempt.status).toBe(401);
    }
    const blocked = await call(limited.app, 'POST', '/api/auth/login', {
      body: { email: 'guess@tower.test', password: 'guess-4' },
    });
    expect(blocked.status).toBe(429);
    expect(blocked.body).toMatchObject({ error: 'rate_limited', message: expect.any(String) });
    expect(blocked.raw.headers['retry-after']).toBeDefined();
  });

  it('cannot be dodged by a client making up a new X-Forwarded-For for each attempt', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const raw = await limited.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: '198.51.100.7', // a client on the internet, not a proxy of ours
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${i + 1}` },
        payload: JSON.stringify({ email: 'guess@tower.test', password: `spoofed-${i}` }),
      });
      statuses.push(raw.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });

  it('does not limit other routes', async () => {
    const person = await makePerson(limited.db, [{ role: 'director' }]);
    for (let i = 0; i < 5; i++)
      expect((await call(limited.app, 'GET', '/api/products', { token: person.token })).status).toBe(200);
  });
});
