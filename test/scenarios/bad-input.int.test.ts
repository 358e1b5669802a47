import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { insertLaunchItems } from '@tower/db';
import { fieldProblemText, type FieldProblem } from '@tower/domain';
import { call, startApi, type ApiHarness, type Method, type TestPerson } from '../support/api.js';
import { makeCast } from '../support/cast.js';
import { createProduct } from '../support/fixtures.js';
import { FACT_ROUTES_WITH_BODY, hitsRoute, routesWithBody } from '../support/routes.js';

type Table =
  | 'apiKeys'
  | 'auditLog'
  | 'branches'
  | 'competitorPrices'
  | 'departments'
  | 'launchBranches'
  | 'launchTemplates'
  | 'lifecycleTransitions'
  | 'outbox'
  | 'people'
  | 'personRoles'
  | 'reviews'
  | 'reviewDecisions'
  | 'signalTuning'
  | 'imports'
  | 'productCosts'
  | 'productPrices'
  | 'products'
  | 'sessions'
  | 'trainees';

let h: ApiHarness;
let admin: TestPerson;
let owner: TestPerson;
let departmentId: string;
let branchId: string;
let productId: string;
let traineeId: string;
let launchItemId: string;

async function count(table: Table): Promise<number> {
  const row = await h.db
    .selectFrom(table)
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  return row.n;
}

const productRow = () =>
  h.db.selectFrom('products').selectAll().where('id', '=', productId).executeTakeFirstOrThrow();
const costRows = () =>
  h.db.selectFrom('productCosts').selectAll().where('productId', '=', productId).execute();
const priceRows = () =>
  h.db.selectFrom('productPrices').selectAll().where('productId', '=', productId).orderBy('type').execute();
const traineeRow = () =>
  h.db.selectFrom('trainees').selectAll().where('id', '=', traineeId).executeTakeFirstOrThrow();
const launchItemRow = () =>
  h.db.selectFrom('launchItems').selectAll().where('id', '=', launchItemId).executeTakeFirstOrThrow();
const rulesRows = () => h.db.selectFrom('rules').selectAll().execute();

interface BadInputCase {
  route: string;
  method: Method;
  url: () => string;
  token: () => string | undefined;
  body: unknown;
  /** Every field the body gets wrong, as the 400 must name it. */
  fields: string[];
  /** What the route would store; must read the same before and after. */
  stored: () => Promise<unknown>;
}

/** An id of nothing: a refused body is answered before anything is looked up. */
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

const cases: BadInputCase[] = [
  {
    route: 'POST /api/auth/login',
    method: 'POST',
    url: () => '/api/auth/login',
    token: () => undefined,
    body: { email: 'not-an-email', rememberMe: true },
    fields: ['/email', '/password', '/rememberMe'],
    stored: () => count('sessions'),
  },
  {
    route: 'POST /api/api-keys',
    method: 'POST',
    url: () => '/api/api-keys',
    token: () => admin.token,
    body: { name: 5, scopes: ['admin'], expiresAt: 'never' },
    fields: ['/name', '/scopes/0', '/expiresAt'],
    stored: () => count('apiKeys'),
  },
  {
    route: 'POST /api/branches',
    method: 'POST',
    url: () => '/api/branches',
    token: () => admin.token,
    body: { code: 'Bad Code!', city: 'Shanghai' },
    fields: ['/code', '/name', '/city'],
    stored: () => count('branches'),
  },
  {
    route: 'POST /api/departments',
    method: 'POST',
    url: () => '/api/departments',
    token: () => admin.token,
    body: { code: 42, name: '', colour: 'red' },
    fields: ['/code', '/name', '/colour'],
    stored: () => count('departments'),
  },
  {
    route: 'POST /api/people',
    method: 'POST',
    url: () => '/api/people',
    token: () => admin.token,
    body: {
      name: '',
      email: 'nobody',
      password: 'short',
      roles: [{ role: 'king', departmentId: 'not-a-uuid', scope: 'all' }],
      channels: [{ kind: 'sms', url: 'ftp://files.example.com' }],
      nickname: 'x',
    },
    fields: [
      '/name',
      '/email',
      '/password',
      '/roles/0/role',
      '/roles/0/departmentId',
      '/roles/0/scope',
      '/channels/0/kind',
      '/channels/0/url',
      '/nickname',
    ],
    stored: async () => [await count('people'), await count('personRoles')],
  },
  {
    route: 'POST /api/products',
    method: 'POST',
    url: () => '/api/products',
    token: () => owner.token,
    body: { name: 42, departmentId: 'injection', tier: 'gold', vendor: '', listPriceFen: 100 },
    fields: ['/name', '/departmentId', '/tier', '/ownerId', '/vendor', '/listPriceFen'],
    stored: () => count('products'),
  },
  {
    route: 'PUT /api/products/:id/sheet',
    method: 'PUT',
    url: () => `/api/products/${productId}/sheet`,
    token: () => owner.token,
    body: {
      spec: 5,
      efficacy: ['lasts long'],
      indications: 'wrinkles',
      contraindications: ['', 7],
      colour: 'red',
    },
    fields: ['/spec', '/efficacy', '/indications', '/contraindications/0', '/contraindications/1', '/colour'],
    stored: productRow,
  },
  {
    route: 'POST /api/products/:id/competitor-prices',
    method: 'POST',
    url: () => `/api/products/${productId}/competitor-prices`,
    token: () => owner.token,
    body: { priceFen: -100, observedAt: '2026-13-45', platform: 7, note: 5, source: 'web' },
    fields: ['/competitor', '/priceFen', '/observedAt', '/platform', '/note', '/source'],
    stored: () => count('competitorPrices'),
  },
  {
    route: 'PUT /api/products/:id/target-customers',
    method: 'PUT',
    url: () => `/api/products/${productId}/target-customers`,
    token: () => owner.token,
    body: { description: '', audience: 'women 30+' },
    fields: ['/description', '/audience'],
    stored: productRow,
  },
  {
    route: 'PUT /api/products/:id/costs',
    method: 'PUT',
    url: () => `/api/products/${productId}/costs`,
    token: () => owner.token,
    body: { consumablesFen: -1, labourFen: 1.5, overheadFen: '100', currency: 'CNY' },
    fields: ['/consumablesFen', '/labourFen', '/overheadFen', '/marketingFen', '/currency'],
    stored: costRows,
  },
  {
    route: 'PUT /api/products/:id/retirement',
    method: 'PUT',
    url: () => `/api/products/${productId}/retirement`,
    token: () => owner.token,
    body: { outstandingPrepaidSessions: -3, endOn: 'spring', note: 'soon' },
    fields: ['/outstandingPrepaidSessions', '/endOn', '/note'],
    stored: productRow,
  },
  {
    route: 'PUT /api/products/:id/prices',
    method: 'PUT',
    url: () => `/api/products/${productId}/prices`,
    token: () => owner.token,
    body: {
      prices: [{ type: 'vip', amountFen: -5, sessions: 0, note: 'x' }, { amountFen: '100' }],
      currency: 'CNY',
    },
    fields: [
      '/prices/0/type',
      '/prices/0/amountFen',
      '/prices/0/sessions',
      '/prices/0/note',
      '/prices/1/type',
      '/prices/1/amountFen',
      '/currency',
    ],
    stored: priceRows,
  },
  {
    route: 'PUT /api/products/:id/launch-branches',
    method: 'PUT',
    url: () => `/api/products/${productId}/launch-branches`,
    token: () => owner.token,
    body: { branchIds: ['not-a-uuid', 5], targetLaunchDate: '2026/12/01', region: 'east' },
    fields: ['/branchIds/0', '/branchIds/1', '/targetLaunchDate', '/region'],
    stored: async () => [await count('launchBranches'), (await productRow()).targetLaunchDate],
  },
  {
    route: 'POST /api/products/:id/trainees',
    method: 'POST',
    url: () => `/api/products/${productId}/trainees`,
    token: () => owner.token,
    body: { branchId: 'sh-a', role: 'surgeon', age: 30 },
    fields: ['/branchId', '/name', '/role', '/age'],
    stored: () => count('trainees'),
  },
  {
    route: 'POST /api/products/:id/trainees/:traineeId/result',
    method: 'POST',
    url: () => `/api/products/${productId}/trainees/${traineeId}/result`,
    token: () => owner.token,
    body: { passed: 'yes', score: 101, at: '2026-11-10', grade: 'A' },
    fields: ['/passed', '/score', '/at', '/grade'],
    stored: traineeRow,
  },
  {
    route: 'POST /api/products/:id/events',
    method: 'POST',
    url: () => `/api/products/${productId}/events`,
    token: () => owner.token,
    body: { type: 'EXPLODE', reason: 5, endOn: 'tomorrow', force: true },
    fields: ['/type', '/reason', '/endOn', '/force'],
    stored: async () => [await count('lifecycleTransitions'), (await productRow()).version],
  },
  {
    route: 'POST /api/products/:id/events (type missing)',
    method: 'POST',
    url: () => `/api/products/${productId}/events`,
    token: () => owner.token,
    body: { reason: ['not', 'a', 'string'] },
    fields: ['/type', '/reason'],
    stored: async () => [await count('lifecycleTransitions'), (await productRow()).version],
  },
  {
    route: 'POST /api/launch-items/:id/complete',
    method: 'POST',
    url: () => `/api/launch-items/${launchItemId}/complete`,
    token: () => admin.token,
    body: { note: 5, done: true, evidenceUrl: 'javascript:alert(1)' },
    fields: ['/note', '/done', '/evidenceUrl'],
    stored: launchItemRow,
  },
  {
    route: 'POST /api/launch-items/:id/undo',
    method: 'POST',
    url: () => `/api/launch-items/${launchItemId}/undo`,
    token: () => admin.token,
    body: { reason: '', again: 1 },
    fields: ['/reason', '/again'],
    stored: launchItemRow,
  },
  {
    route: 'PUT /api/launch-templates/:tier',
    method: 'PUT',
    url: () => '/api/launch-templates/package',
    token: () => admin.token,
    body: {
      items: [
        { ownerRole: 'king', title: '', daysBefore: -1, required: 'yes' },
        {
          ownerRole: 'product_manager',
          title: 'Cashier card setup',
          daysBefore: 3,
          required: true,
          owner: 'me',
        },
      ],
      version: 3,
    },
    fields: [
      '/items/0/ownerRole',
      '/items/0/title',
      '/items/0/daysBefore',
      '/items/0/required',
      '/items/1/owner',
      '/version',
    ],
    stored: async () => [await count('launchTemplates')],
  },
  {
    route: 'PUT /api/rules',
    method: 'PUT',
    url: () => '/api/rules',
    token: () => admin.token,
    body: {
      pricing: { minMarginPercent: { gold: 5, profit: -1 }, headroomPercent: 'ten' },
      research: { minCompetitorPrices: 2.5 },
      signals: { sales_dip: { severity: 'apocalyptic', routes: [{ role: 'king', scope: 'all' }] } },
      autoResolveDays: 0,
      colour: 'red',
    },
    fields: [
      '/pricing/minMarginPercent/gold',
      '/pricing/minMarginPercent/profit',
      '/pricing/headroomPercent',
      '/research/minCompetitorPrices',
      '/signals/sales_dip/severity',
      '/signals/sales_dip/routes/0/role',
      '/signals/sales_dip/routes/0/scope',
      '/autoResolveDays',
      '/colour',
    ],
    stored: rulesRows,
  },
  {
    route: 'POST /api/people/:id/deactivate',
    method: 'POST',
    url: () => `/api/people/${owner.id}/deactivate`,
    token: () => admin.token,
    body: { reason: '', notify: true },
    fields: ['/reason', '/notify'],
    stored: () => h.db.selectFrom('people').select(['id', 'deactivatedAt']).orderBy('id').execute(),
  },
  {
    route: 'PUT /api/people/:id/roles',
    method: 'PUT',
    url: () => `/api/people/${owner.id}/roles`,
    token: () => admin.token,
    body: { roles: [{ role: 'king', departmentId: 'injection' }], admin: true },
    fields: ['/roles/0/role', '/roles/0/departmentId', '/admin'],
    stored: () => count('personRoles'),
  },
  {
    route: 'POST /api/reviews/quarterly',
    method: 'POST',
    url: () => '/api/reviews/quarterly',
    token: () => admin.token,
    body: { quarter: '2026-Q5', now: true },
    fields: ['/quarter', '/now'],
    stored: () => count('reviews'),
  },
  {
    route: 'POST /api/reviews/:id/decisions',
    method: 'POST',
    url: () => `/api/reviews/${UNKNOWN_ID}/decisions`,
    token: () => admin.token,
    body: { productId: 'HA filler', decision: 'burn', note: 5 },
    fields: ['/productId', '/decision', '/note'],
    stored: () => count('reviewDecisions'),
  },
  {
    route: 'POST /api/signal-tuning/reset',
    method: 'POST',
    url: () => '/api/signal-tuning/reset',
    token: () => admin.token,
    body: { productId: 'HA filler', signal: 'bad_vibes', everywhere: true },
    fields: ['/productId', '/signal', '/branchId', '/everywhere'],
    stored: () => count('signalTuning'),
  },
  {
    route: 'PUT /api/imports/:id/mapping',
    method: 'PUT',
    url: () => `/api/imports/${UNKNOWN_ID}/mapping`,
    token: () => admin.token,
    body: { mapping: { units: 'x'.repeat(300) }, commit: true },
    fields: ['/mapping/units', '/commit'],
    stored: () => count('imports'),
  },
];

beforeAll(async () => {
  // Login attempts here are many; the rate limit has its own test in auth.int.test.ts.
  h = await startApi({ LOGIN_RATE_LIMIT_PER_MINUTE: '1000' });
  const cast = await makeCast(h.db, {
    departments: ['injection'],
    branches: ['sh-a'],
    people: () => ({
      admin: { name: 'Admin', roles: [{ role: 'admin' }] },
      owner: { name: 'Owner PM', roles: [{ role: 'product_manager' }] },
    }),
  });
  departmentId = cast.departments.injection;
  branchId = cast.branches['sh-a'];
  ({ admin, owner } = cast.people);
  productId = await createProduct(h.app, owner, { name: 'HA filler 1 ml', departmentId });
  // Something in every table a refused edit could touch, so a change would show.
  for (const [path, method, body] of [
    [
      'costs',
      'PUT',
      { consumablesFen: 60_000, labourFen: 20_000, overheadFen: 10_000, marketingFen: 10_000 },
    ],
    ['prices', 'PUT', { prices: [{ type: 'list', amountFen: 230_000 }] }],
    ['sheet', 'PUT', { spec: '1 ml syringe', indications: ['volume loss'] }],
    ['target-customers', 'PUT', { description: 'Women 28–45' }],
  ] as const) {
    expect(
      (await call(h.app, method, `/api/products/${productId}/${path}`, { token: owner.token, body })).status,
    ).toBe(200);
  }
  const trainee = await call(h.app, 'POST', `/api/products/${productId}/trainees`, {
    token: owner.token,
    body: { branchId, name: 'Dr Wang', role: 'doctor' },
  });
  expect(trainee.status).toBe(201);
  traineeId = trainee.body.id;
  await insertLaunchItems(h.db, [
    {
      productId,
      branchId,
      ownerRole: 'product_manager',
      departmentId: null,
      title: 'Price list printed',
      dueOn: '2026-11-20',
      required: true,
    },
  ]);
  launchItemId = (
    await h.db
      .selectFrom('launchItems')
      .select('id')
      .where('productId', '=', productId)
      .executeTakeFirstOrThrow()
  ).id;
});

afterAll(async () => {
  await h?.close();
});

describe('a body with several problems at once', () => {
  it('covers every route the app registers that takes a body (here or in bad-facts)', () => {
    const routes = routesWithBody(h.app);
    expect(routes.length).toBeGreaterThan(0);
    const uncovered = routes.filter(
      (route) =>
        !FACT_ROUTES_WITH_BODY.includes(route) && !cases.some((c) => hitsRoute(route, c.method, c.url())),
    );
    expect(uncovered).toEqual([]);
  });

  for (const c of cases) {
    it(`${c.route}: answers 400 naming every problem and stores nothing`, async () => {
      const before = await Promise.all([c.stored(), count('auditLog'), count('outbox')]);
      const token = c.token();
      const { status, body } = await call(h.app, c.method, c.url(), {
        ...(token ? { token } : {}),
        body: c.body,
      });
      expect(status, JSON.stringify(body)).toBe(400);
      expect(body.error).toBe('invalid_input');
      expect(body.message).toEqual(expect.any(String));
      const named = body.fields.map((f: { field: string }) => f.field);
      expect([...named].sort()).toEqual([...c.fields].sort());
      for (const f of body.fields) expect(f.message).toEqual(expect.any(String));
      expect(await Promise.all([c.stored(), count('auditLog'), count('outbox')])).toEqual(before);
    });
  }

  it('gives every schema problem a code and the parameters its words need, in both languages', async () => {
    const { status, body } = await call(h.app, 'PUT', '/api/rules', {
      token: admin.token,
      body: { pricing: { minMarginPercent: { profit: -1 }, headroomPercent: 'ten' }, colour: 'red' },
    });
    expect(status).toBe(400);
    const byField = Object.fromEntries(
      (body.fields as FieldProblem[]).map((f) => [f.field, { ...f, zh: fieldProblemText(f, 'zh') }]),
    );
    expect(byField['/pricing/minMarginPercent/profit']).toMatchObject({
      code: 'MINIMUM',
      params: { limit: 0 },
      message: 'must be >= 0',
      zh: '不能小于 0',
    });
    expect(byField['/pricing/headroomPercent']).toMatchObject({
      code: 'WRONG_TYPE',
      params: { type: 'number' },
      zh: '必须是数字',
    });
    expect(byField['/colour']).toMatchObject({ code: 'NOT_A_KNOWN_FIELD', zh: '不是可识别的字段' });
  });
});

describe('query strings', () => {
  const queryCases = [
    {
      url: '/api/products?stage=bogus&tier=gold&departmentId=injection&limit=0&sort=name',
      fields: [
        'querystring:/stage',
        'querystring:/tier',
        'querystring:/departmentId',
        'querystring:/limit',
        'querystring:/sort',
      ],
    },
    {
      url: '/api/launch-items?status=later&overdue=maybe&limit=201',
      fields: ['querystring:/status', 'querystring:/overdue', 'querystring:/limit'],
    },
    {
      url: '/api/launch-items?mine=perhaps&colour=red',
      fields: ['querystring:/mine', 'querystring:/colour'],
    },
    { url: '/api/people?limit=abc', fields: ['querystring:/limit'] },
  ];
  for (const q of queryCases) {
    it(`GET ${q.url.split('?')[0]} answers 400 naming every bad parameter`, async () => {
      const { status, body } = await call(h.app, 'GET', q.url, { token: admin.token });
      expect(status).toBe(400);
      expect(body.error).toBe('invalid_input');
      expect(body.fields.map((f: { field: string }) => f.field).sort()).toEqual([...q.fields].sort());
    });
  }

  it('answers 400 for a cursor the API never gave out', async () => {
    const { status, body } = await call(h.app, 'GET', '/api/products?cursor=not-a-cursor', {
      token: admin.token,
    });
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_input');
  });
});

describe('ids in the path', () => {
  const validSheet = { spec: 'x' };
  const pathCases: {
    method: Method;
    url: (bad: string) => string;
    body?: () => unknown;
    fields?: string[];
  }[] = [
    { method: 'GET', url: (bad) => `/api/products/${bad}` },
    { method: 'GET', url: (bad) => `/api/products/${bad}/history` },
    { method: 'GET', url: (bad) => `/api/products/${bad}/launch` },
    { method: 'GET', url: (bad) => `/api/products/${bad}/trainees` },
    { method: 'GET', url: (bad) => `/api/products/${bad}/competitor-prices` },
    { method: 'PUT', url: (bad) => `/api/products/${bad}/sheet`, body: () => validSheet },
    {
      method: 'PUT',
      url: (bad) => `/api/products/${bad}/target-customers`,
      body: () => ({ description: 'x' }),
    },
    {
      method: 'PUT',
      url: (bad) => `/api/products/${bad}/costs`,
      body: () => ({ consumablesFen: 1, labourFen: 1, overheadFen: 1, marketingFen: 1 }),
    },
    { method: 'PUT', url: (bad) => `/api/products/${bad}/prices`, body: () => ({ prices: [] }) },
    {
      method: 'PUT',
      url: (bad) => `/api/products/${bad}/launch-branches`,
      body: () => ({ branchIds: [branchId], targetLaunchDate: '2026-12-01' }),
    },
    {
      method: 'POST',
      url: (bad) => `/api/products/${bad}/competitor-prices`,
      body: () => ({ competitor: 'A', priceFen: 1, observedAt: '2026-10-01' }),
    },
    {
      method: 'POST',
      url: (bad) => `/api/products/${bad}/trainees`,
      body: () => ({ branchId, name: 'A', role: 'doctor' }),
    },
    { method: 'POST', url: (bad) => `/api/products/${bad}/events`, body: () => ({ type: 'REJECT' }) },
    { method: 'POST', url: (bad) => `/api/launch-items/${bad}/complete`, body: () => ({}) },
    { method: 'POST', url: (bad) => `/api/launch-items/${bad}/undo`, body: () => ({ reason: 'x' }) },
    { method: 'GET', url: (bad) => `/api/launch-items/${bad}` },
    {
      method: 'POST',
      url: (bad) => `/api/products/${bad}/trainees/${bad}/result`,
      body: () => ({ passed: true, at: '2026-11-10T08:00:00Z' }),
      fields: ['params:/id', 'params:/traineeId'],
    },
  ];
  for (const p of pathCases) {
    it(`${p.method} ${p.url(':id')} answers 400 for an id that is not a uuid`, async () => {
      for (const bad of ['not-a-uuid', '123', `${'0'.repeat(36)}`, '%F0%9F%92%A9']) {
        const { status, body } = await call(h.app, p.method, p.url(bad), {
          token: admin.token,
          ...(p.body !== undefined ? { body: p.body() } : {}),
        });
        expect(status, `${bad}: ${JSON.stringify(body)}`).toBe(400);
        expect(body.error).toBe('invalid_input');
        expect(body.fields.map((f: { field: string }) => f.field).sort()).toEqual(p.fields ?? ['params:/id']);
      }
    });
  }

  it('answers 404 for a well-formed id nobody has', async () => {
    const { status, body } = await call(h.app, 'GET', '/api/products/00000000-0000-4000-8000-000000000000', {
      token: admin.token,
    });
    expect(status).toBe(404);
    expect(body.error).toBe('product_not_found');
  });
});

describe('bodies that are not JSON objects', () => {
  it('answers 400, not 500, for malformed JSON', async () => {
    for (const payload of ['{"name": ', '{name: "x"}', "{'a': 1}", '[1, 2', 'undefined', '{"a":1}}']) {
      const raw = await h.app.inject({
        method: 'POST',
        url: '/api/products',
        headers: { authorization: `Bearer ${owner.token}`, 'content-type': 'application/json' },
        payload,
      });
      expect(raw.statusCode, payload).toBe(400);
      expect(raw.json()).toMatchObject({ error: 'invalid_input', message: expect.any(String) });
    }
  });

  it('answers 400 for an empty JSON body where one is required', async () => {
    const raw = await h.app.inject({
      method: 'PUT',
      url: `/api/products/${productId}/costs`,
      headers: { authorization: `Bearer ${owner.token}`, 'content-type': 'application/json' },
      payload: '',
    });
    expect(raw.statusCode).toBe(400);
    expect(raw.json().error).toBe('invalid_input');
  });

  it('answers 400 for a JSON body that is not an object', async () => {
    for (const body of [null, [], 'a string', 42, true]) {
      const { status, body: answer } = await call(
        h.app,
        'PUT',
        `/api/products/${productId}/target-customers`,
        { token: owner.token, body },
      );
      expect(status, JSON.stringify(body)).toBe(400);
      expect(answer.error).toBe('invalid_input');
    }
  });

  it('answers 415 for a form body and 400 for a plain-text one, never 500', async () => {
    const inject = (contentType: string) =>
      h.app.inject({
        method: 'POST',
        url: '/api/products',
        headers: { authorization: `Bearer ${owner.token}`, 'content-type': contentType },
        payload: 'name=HA',
      });
    const form = await inject('application/x-www-form-urlencoded');
    expect(form.statusCode).toBe(415);
    expect(form.json().error).toBe('unsupported_media_type');
    const text = await inject('text/plain');
    expect(text.statusCode).toBe(400);
    expect(text.json().error).toBe('invalid_input');
  });

  it('answers 400 for JSON nested a hundred thousand deep', async () => {
    const depth = 100_000;
    const raw = await h.app.inject({
      method: 'PUT',
      url: `/api/products/${productId}/sheet`,
      headers: { authorization: `Bearer ${owner.token}`, 'content-type': 'application/json' },
      payload: `{"spec":${'['.repeat(depth)}${']'.repeat(depth)}}`,
    });
    expect(raw.statusCode).toBe(400);
    expect(raw.json().fields).toEqual([{ field: '/spec', message: expect.any(String) }]);
  });

  it('refuses a prototype-polluting body', async () => {
    const raw = await h.app.inject({
      method: 'PUT',
      url: `/api/products/${productId}/target-customers`,
      headers: { authorization: `Bearer ${owner.token}`, 'content-type': 'application/json' },
      payload: '{"description":"x","__proto__":{"isAdmin":true}}',
    });
    expect(raw.statusCode).toBe(400);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });
});

describe('unknown routes', () => {
  it('answers 404 JSON for an unknown /api route', async () => {
    const { status, body } = await call(h.app, 'GET', '/api/nothing-here', { token: admin.token });
    expect(status).toBe(404);
    expect(body).toMatchObject({ error: 'route_not_found', message: expect.any(String) });
  });

  it('answers 404 JSON for an unknown route outside /api and for a method a route does not take', async () => {
    const outside = await call(h.app, 'GET', '/nothing-here');
    expect(outside.status).toBe(404);
    expect(outside.body.error).toBe('route_not_found');
    const wrongMethod = await call(h.app, 'DELETE', `/api/products/${productId}`, { token: admin.token });
    expect(wrongMethod.status).toBe(404);
    expect(wrongMethod.body.error).toBe('route_not_found');
  });
});

describe('nasty inputs never cause a 500', () => {
  const nasty: {
    name: string;
    method: Method;
    url: () => string;
    body?: () => unknown;
    token?: () => string;
    expected?: number;
    fields?: string[];
  }[] = [
    {
      name: 'a price of 1e308',
      method: 'POST',
      url: () => `/api/products/${productId}/competitor-prices`,
      body: () => ({ competitor: 'A', priceFen: 1e308, observedAt: '2026-10-01' }),
      expected: 400,
    },
    {
      name: 'a price past 2^53',
      method: 'POST',
      url: () => `/api/products/${productId}/competitor-prices`,
      body: () => ({ competitor: 'A', priceFen: 2 ** 53 + 2, observedAt: '2026-10-01' }),
      expected: 400,
    },
    {
      name: 'the largest allowed costs',
      method: 'PUT',
      url: () => `/api/products/${productId}/costs`,
      body: () => ({
        consumablesFen: 100_000_000_000,
        labourFen: 100_000_000_000,
        overheadFen: 100_000_000_000,
        marketingFen: 100_000_000_000,
      }),
      expected: 200,
    },
    {
      name: 'a NUL character in a text field',
      method: 'PUT',
      url: () => `/api/products/${productId}/target-customers`,
      body: () => ({ description: 'women\u0000 30+' }),
      expected: 400,
      fields: ['/description'],
    },
    {
      name: 'a NUL character in a sheet (jsonb)',
      method: 'PUT',
      url: () => `/api/products/${productId}/sheet`,
      body: () => ({ spec: 'a\u0000b', indications: ['ok', 'x\u0000'] }),
      expected: 400,
      fields: ['/spec', '/indications/1'],
    },
    {
      name: 'a NUL character in a product name',
      method: 'POST',
      url: () => '/api/products',
      body: () => ({ name: 'HA\u0000', departmentId, tier: 'profit', ownerId: owner.id }),
      expected: 400,
      fields: ['/name'],
    },
    {
      name: 'year 0000 as a date',
      method: 'POST',
      url: () => `/api/products/${productId}/competitor-prices`,
      body: () => ({ competitor: 'A', priceFen: 1, observedAt: '0000-01-01' }),
      expected: 400,
      fields: ['/observedAt'],
    },
    {
      name: 'year 0000 as a launch date',
      method: 'PUT',
      url: () => `/api/products/${productId}/launch-branches`,
      body: () => ({ branchIds: [branchId], targetLaunchDate: '0000-12-01' }),
      expected: 400,
      fields: ['/targetLaunchDate'],
    },
    {
      name: 'the 30th of February',
      method: 'POST',
      url: () => `/api/products/${productId}/competitor-prices`,
      body: () => ({ competitor: 'A', priceFen: 1, observedAt: '2026-02-30' }),
      expected: 400,
    },
    {
      name: 'an instant in year 0000',
      method: 'POST',
      url: () => `/api/products/${productId}/trainees/${traineeId}/result`,
      body: () => ({ passed: true, at: '0000-01-01T00:00:00Z' }),
      expected: 400,
      fields: ['/at'],
    },
    {
      name: 'an instant far in the future',
      method: 'POST',
      url: () => `/api/products/${productId}/trainees/${traineeId}/result`,
      body: () => ({ passed: false, score: 0, at: '9999-12-31T23:59:59-23:59' }),
      expected: 400,
      fields: ['/at'],
    },
    {
      name: 'an instant at the edge of what Postgres stores',
      method: 'POST',
      url: () => `/api/products/${productId}/trainees/${traineeId}/result`,
      body: () => ({ passed: false, score: 0, at: '9999-12-31T23:59:59+15:59' }),
      expected: 200,
    },
    {
      name: 'an unpaired surrogate',
      method: 'POST',
      url: () => '/api/products',
      body: () => ({ name: 'ok', departmentId, tier: 'profit', ownerId: owner.id, vendor: 'x\ud83d' }),
      expected: 400,
      fields: ['/vendor'],
    },
    {
      name: 'nested junk in the rules',
      method: 'PUT',
      url: () => '/api/rules',
      token: () => admin.token,
      body: () => ({
        pricing: { minMarginPercent: [[[{}]]] },
        signals: { sales_dip: { routes: { 0: 'x' } } },
      }),
      expected: 400,
    },
    {
      name: 'empty strings everywhere',
      method: 'POST',
      url: () => '/api/products',
      body: () => ({ name: '', departmentId: '', tier: '', ownerId: '', vendor: '' }),
      expected: 400,
    },
    {
      name: 'unicode names',
      method: 'POST',
      url: () => '/api/products',
      body: () => ({
        name: '玻尿酸 💉 ﷽ Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ‮',
        departmentId,
        tier: 'profit',
        ownerId: owner.id,
        vendor: '🇨🇳 供应商',
      }),
      expected: 201,
    },
    {
      name: 'a uuid that is not a department',
      method: 'POST',
      url: () => '/api/products',
      body: () => ({
        name: 'x',
        departmentId: '00000000-0000-4000-8000-000000000000',
        tier: 'profit',
        ownerId: '00000000-0000-4000-8000-000000000000',
      }),
      expected: 400,
    },
    {
      name: 'a well-formed but unknown trainee',
      method: 'POST',
      url: () => `/api/products/${productId}/trainees/00000000-0000-4000-8000-000000000000/result`,
      body: () => ({ passed: true, at: '2026-11-10T08:00:00Z' }),
      expected: 404,
    },
    {
      name: 'a branch id nobody has',
      method: 'POST',
      url: () => `/api/products/${productId}/trainees`,
      body: () => ({ branchId: '00000000-0000-4000-8000-000000000000', name: 'A', role: 'nurse' }),
      expected: 400,
    },
    {
      name: 'the same price type twice',
      method: 'PUT',
      url: () => `/api/products/${productId}/prices`,
      body: () => ({
        prices: [
          { type: 'list', amountFen: 1 },
          { type: 'list', amountFen: 2 },
        ],
      }),
      expected: 400,
    },
    {
      name: 'a cursor of 36 dashes',
      method: 'GET',
      url: () => `/api/products?cursor=${Buffer.from('-'.repeat(36)).toString('base64url')}`,
      expected: 400,
    },
    {
      name: 'a cursor of 36 zeros',
      method: 'GET',
      url: () => `/api/people?cursor=${Buffer.from('0'.repeat(36)).toString('base64url')}`,
      token: () => admin.token,
      expected: 400,
    },
    {
      name: 'a huge limit',
      method: 'GET',
      url: () => '/api/products?limit=99999999999999999999',
      expected: 400,
    },
    {
      name: 'a repeated query parameter',
      method: 'GET',
      url: () => '/api/products?stage=research&stage=pricing',
    },
    {
      name: 'a login with a 1 KiB password',
      method: 'POST',
      url: () => '/api/auth/login',
      body: () => ({ email: 'a@b.cn', password: 'x'.repeat(1024) }),
      expected: 401,
    },
    {
      name: 'a login with an unicode email',
      method: 'POST',
      url: () => '/api/auth/login',
      body: () => ({ email: '用户@例子.广告', password: 'x' }),
      expected: 400,
    },
  ];
  for (const n of nasty) {
    it(`answers below 500 for ${n.name}`, async () => {
      const { status, body } = await call(h.app, n.method, n.url(), {
        token: (n.token ?? (() => owner.token))(),
        ...(n.body !== undefined ? { body: n.body() } : {}),
      });
      expect(status, JSON.stringify(body)).toBeLessThan(500);
      if (n.expected !== undefined) expect(status, JSON.stringify(body)).toBe(n.expected);
      expect(body).toMatchObject(
        status >= 400 ? { error: expect.any(String), message: expect.any(String) } : {},
      );
      if (n.fields)
        expect(body.fields.map((f: { field: string }) => f.field).sort()).toEqual([...n.fields].sort());
    });
  }
});

describe('a body over the limit', () => {
  let small: ApiHarness;
  let smallOwner: TestPerson;
  let smallProductId: string;

  beforeAll(async () => {
    small = await startApi({ BODY_LIMIT_BYTES: '2048' });
    const cast = await makeCast(small.db, {
      departments: ['skin'],
      people: () => ({ owner: [{ role: 'product_manager' }] }),
    });
    smallOwner = cast.people.owner;
    smallProductId = await createProduct(small.app, smallOwner, {
      name: 'Peel',
      departmentId: cast.departments.skin,
      tier: 'traffic',
    });
  });

  afterAll(async () => {
    await small?.close();
  });

  it('answers 413 and stores nothing', async () => {
    const before = await small.db
      .selectFrom('products')
      .select(['sheet', 'version'])
      .where('id', '=', smallProductId)
      .executeTakeFirstOrThrow();
    const { status, body } = await call(small.app, 'PUT', `/api/products/${smallProductId}/sheet`, {
      token: smallOwner.token,
      body: { spec: 'x'.repeat(3000) },
    });
    expect(status).toBe(413);
    expect(body).toMatchObject({ error: 'payload_too_large', message: expect.any(String) });
    const after = await small.db
      .selectFrom('products')
      .select(['sheet', 'version'])
      .where('id', '=', smallProductId)
      .executeTakeFirstOrThrow();
    expect(after).toEqual(before);
  });

  it('still takes a body under the limit', async () => {
    const { status } = await call(small.app, 'PUT', `/api/products/${smallProductId}/sheet`, {
      token: smallOwner.token,
      body: { spec: 'x'.repeat(1000) },
    });
    expect(status).toBe(200);
  });
});
