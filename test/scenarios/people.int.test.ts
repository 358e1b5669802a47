import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startApi, type ApiHarness, type TestPerson } from '../support/api.js';
import { makeCast } from '../support/cast.js';

// Webhook URLs carry the robot's secret; each is unique to its person, so finding one in a body is a leak.
const WEBHOOK_BASE = 'https://robots.tower.test/send?key=secret';

let h: ApiHarness;
let admin: TestPerson;
let director: TestPerson;
let productManager: TestPerson;

const urlsOf = (person: TestPerson) => [
  `${WEBHOOK_BASE}/wecom/${person.id}`,
  `${WEBHOOK_BASE}/feishu/${person.id}`,
];

async function listEveryone(viewer: TestPerson): Promise<any[]> {
  const { status, body } = await call(h.app, 'GET', '/api/people?limit=100', { token: viewer.token });
  expect(status, JSON.stringify(body)).toBe(200);
  return body.items;
}

beforeAll(async () => {
  h = await startApi();
  const cast = await makeCast(h.db, {
    channelsAt: WEBHOOK_BASE,
    people: () => ({
      admin: { name: 'Admin', roles: [{ role: 'admin' }], channels: ['wecom'] },
      director: { name: 'Director', roles: [{ role: 'director' }], channels: ['wecom', 'feishu'] },
      productManager: { name: 'Product Manager', roles: [{ role: 'product_manager' }], channels: ['feishu'] },
    }),
  });
  ({ admin, director, productManager } = cast.people);
  // A password hash the tests can look for: the factory's placeholder is too short to search for.
  await h.db
    .updateTable('people')
    .set({ passwordHash: '$argon2id$v=19$m=65536,t=3,p=4$c2VjcmV0LXNhbHQ$c2VjcmV0LWhhc2g' })
    .execute();
});

afterAll(async () => {
  await h?.close();
});

describe('listing people', () => {
  it('shows a non-admin no one else’s channel URLs, only their own', async () => {
    const people = await listEveryone(director);
    expect(people.map((p) => p.id)).toEqual(
      expect.arrayContaining([admin.id, director.id, productManager.id]),
    );

    const others = people.filter((p) => p.id !== director.id);
    for (const person of others) expect(person).not.toHaveProperty('channels');
    const raw = JSON.stringify(people);
    for (const url of [...urlsOf(admin), ...urlsOf(productManager)]) expect(raw).not.toContain(url);

    const self = people.find((p) => p.id === director.id);
    expect(self.channels.map((c: { url: string }) => c.url).sort()).toEqual(urlsOf(director).sort());
  });

  it('shows an admin everyone’s channels', async () => {
    const people = await listEveryone(admin);
    const byId = new Map(people.map((p) => [p.id, p]));
    expect(byId.get(director.id).channels).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'wecom', url: `${WEBHOOK_BASE}/wecom/${director.id}` }),
        expect.objectContaining({ kind: 'feishu', url: `${WEBHOOK_BASE}/feishu/${director.id}` }),
      ]),
    );
    expect(byId.get(productManager.id).channels).toEqual([
      expect.objectContaining({ kind: 'feishu', url: `${WEBHOOK_BASE}/feishu/${productManager.id}` }),
    ]);
  });

  it('never returns a password hash', async () => {
    for (const viewer of [admin, director]) {
      const raw = JSON.stringify(await listEveryone(viewer));
      expect(raw).not.toContain('argon2');
      expect(raw).not.toMatch(/password/i);
    }
  });
});

describe('the signed-in person', () => {
  it('sees their own channels and no password hash', async () => {
    const { status, body, raw } = await call(h.app, 'GET', '/api/people/me', { token: productManager.token });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      id: productManager.id,
      channels: [
        expect.objectContaining({ kind: 'feishu', url: `${WEBHOOK_BASE}/feishu/${productManager.id}` }),
      ],
    });
    expect(raw.body).not.toContain('argon2');
    expect(raw.body).not.toMatch(/password/i);
  });
});
