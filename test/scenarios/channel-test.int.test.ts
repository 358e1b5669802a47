// "Send a test message" to a notification channel: the robot gets a signed message in its own format at once,
// the answer says whether it took it, and neither the answer nor the audit row carries the URL or the secret.
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelKind } from '@tower/domain';
import { call, makePerson, startApi, type ApiHarness, type TestPerson } from '../support/api.js';

interface Received {
  path: string;
  query: URLSearchParams;
  deliveryId: string | undefined;
  body: Record<string, unknown>;
}

const SECRET = 'SEC-robot-signing-secret-0042';

let h: ApiHarness;
let server: Server;
let base: string;
let received: Received[];
/** What the robot answers next: DingTalk's `errcode` (0 = taken). */
let robotAnswer: { status: number; body: unknown };
let admin: TestPerson;
let owner: TestPerson;
let colleague: TestPerson;
let dingtalkId: string;
let webhookId: string;
let deadId: string;

async function addChannel(person: TestPerson, kind: ChannelKind, path: string, secret: string | null) {
  const row = await h.db
    .insertInto('personChannels')
    .values({ personId: person.id, kind, url: `${base}${path}?access_token=tok-${person.id}`, secret })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const testUrl = (person: TestPerson, channelId: string) =>
  `/api/people/${person.id}/channels/${channelId}/test`;

beforeAll(async () => {
  h = await startApi({ PUBLIC_URL: 'https://tower.clinic.test' });
  server = createServer((req, res) => {
    let data = '';
    req.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const header = req.headers['x-tower-delivery-id'];
      received.push({
        path: url.pathname,
        query: url.searchParams,
        deliveryId: typeof header === 'string' ? header : undefined,
        body: JSON.parse(data || '{}') as Record<string, unknown>,
      });
      res.writeHead(robotAnswer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(robotAnswer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  admin = await makePerson(h.db, [{ role: 'admin' }], 'Admin');
  owner = await makePerson(h.db, [{ role: 'marketing_manager' }], '王营销');
  colleague = await makePerson(h.db, [{ role: 'product_manager' }], 'Colleague');
  dingtalkId = await addChannel(owner, 'dingtalk', '/dingtalk', SECRET);
  webhookId = await addChannel(owner, 'webhook', '/webhook', null);
  // A port nothing listens on: the robot cannot be reached.
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const deadPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  deadId = (
    await h.db
      .insertInto('personChannels')
      .values({ personId: owner.id, kind: 'wecom', url: `http://127.0.0.1:${deadPort}/wecom`, secret: null })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
});

beforeEach(() => {
  received = [];
  robotAnswer = { status: 200, body: { errcode: 0, errmsg: 'ok' } };
});

afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await h?.close();
});

describe('POST /api/people/:id/channels/:channelId/test', () => {
  it('posts a signed DingTalk test message to the owner’s own channel and says it was delivered', async () => {
    const { status, body } = await call(h.app, 'POST', testUrl(owner, dingtalkId), { token: owner.token });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ channelId: dingtalkId, kind: 'dingtalk', delivered: true, statusCode: 200 });
    expect(body.error).toBeNull();

    expect(received).toHaveLength(1);
    const [message] = received;
    expect(message!.path).toBe('/dingtalk');
    const timestamp = message!.query.get('timestamp') ?? '';
    const expected = createHmac('sha256', SECRET).update(`${timestamp}\n${SECRET}`).digest('base64');
    expect(message!.query.get('sign')).toBe(expected);
    expect(message!.deliveryId).toMatch(/^[0-9a-f-]{36}$/);
    const markdown = message!.body.markdown as { title: string; text: string };
    expect(message!.body.msgtype).toBe('markdown');
    expect(markdown.title).toContain('测试消息');
    expect(markdown.text).toContain('王营销');
    expect(markdown.text).toContain('https://tower.clinic.test/');
  });

  it('lets an admin test anyone’s channel, and answers nothing of its URL or secret', async () => {
    const { status, body, raw } = await call(h.app, 'POST', testUrl(owner, webhookId), {
      token: admin.token,
    });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ kind: 'webhook', delivered: true });
    expect(received[0]!.body).toMatchObject({ event: 'channel.test', requestedBy: 'Admin' });
    expect(raw.body).not.toContain('tok-');
    expect(raw.body).not.toContain(base);

    const audit = await h.db
      .selectFrom('auditLog')
      .selectAll()
      .where('action', '=', 'channel.tested')
      .execute();
    expect(audit.length).toBeGreaterThanOrEqual(1);
    const logged = JSON.stringify(audit);
    expect(logged).not.toContain(SECRET);
    expect(logged).not.toContain('tok-');
  });

  it('reports a robot that refuses the message, without leaking the secret', async () => {
    robotAnswer = { status: 200, body: { errcode: 310000, errmsg: 'sign not match' } };
    const { status, body, raw } = await call(h.app, 'POST', testUrl(owner, dingtalkId), {
      token: owner.token,
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ delivered: false, statusCode: 200 });
    expect(body.error).toContain('sign not match');
    expect(raw.body).not.toContain(SECRET);
  });

  it('reports a robot that cannot be reached', async () => {
    const { status, body } = await call(h.app, 'POST', testUrl(owner, deadId), { token: owner.token });
    expect(status).toBe(200);
    expect(body).toMatchObject({ kind: 'wecom', delivered: false, statusCode: null });
    expect(body.error).toEqual(expect.any(String));
  });

  it('answers 404 to someone else, as for a channel they cannot see, and sends nothing', async () => {
    const { status, body } = await call(h.app, 'POST', testUrl(owner, dingtalkId), {
      token: colleague.token,
    });
    expect(status).toBe(404);
    expect(body.error).toBe('person_not_found');
    expect(received).toHaveLength(0);
  });

  it('answers 404 for a channel that is not that person’s', async () => {
    const { status, body } = await call(h.app, 'POST', testUrl(admin, dingtalkId), { token: admin.token });
    expect(status).toBe(404);
    expect(body.error).toBe('channel_not_found');
    expect(received).toHaveLength(0);
  });

  it('answers 400 naming the malformed id', async () => {
    const { status, body } = await call(h.app, 'POST', `/api/people/${owner.id}/channels/nope/test`, {
      token: owner.token,
    });
    expect(status).toBe(400);
    expect(JSON.stringify(body)).toContain('channelId');
  });
});
