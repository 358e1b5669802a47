import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '@tower/api';
import { createLogger, loadConfig } from '@tower/config';
import { createTestDatabase, type TestDatabase } from '@tower/db/testing';
import { createRedis } from '@tower/queue';
import type { Redis } from 'ioredis';

// The API serves the built dashboard; a stand-in build (index.html + one hashed asset) is enough here.
let app: FastifyInstance;
let testDb: TestDatabase;
let redis: Redis;
let webRoot: string;

beforeAll(async () => {
  webRoot = await mkdtemp(join(tmpdir(), 'tower-web-'));
  await mkdir(join(webRoot, 'assets'));
  await writeFile(join(webRoot, 'index.html'), '<!doctype html><div id="root"></div>');
  await writeFile(join(webRoot, 'assets', 'index-abc123.js'), 'console.log(1)');
  testDb = await createTestDatabase();
  const config = loadConfig({ DATABASE_URL: testDb.url, LOG_LEVEL: 'silent' });
  redis = createRedis(config.redisUrl);
  await redis.connect();
  app = await buildApp({
    config,
    db: testDb.db,
    redis,
    logger: createLogger({ name: 'dashboard-test', level: 'silent' }),
    webRoot,
  });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await redis.quit();
  await testDb.drop();
  await rm(webRoot, { recursive: true, force: true });
});

describe('the dashboard served by the API', () => {
  it('answers / and every deep link with index.html, never cached', async () => {
    for (const url of ['/', '/tasks/3f0c', '/products/abc?tab=sheet', '/reviews/2026-Q3', '/inbox']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toContain('<div id="root">');
    }
  });

  it('serves hashed assets with a year-long immutable cache and keeps helmet’s CSP', async () => {
    const res = await app.inject({ url: '/assets/index-abc123.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const page = await app.inject({ url: '/' });
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('never shadows the API, docs, metrics or health: unknown paths there stay JSON 404s', async () => {
    for (const url of [
      '/api/nope',
      '/api',
      '/api/tasks/x/y/z',
      '/docs/nope',
      '/metrics/x',
      '/health/x',
      '/%61pi/nope',
    ]) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json()).toMatchObject({ error: 'route_not_found' });
    }
    expect((await app.inject({ url: '/docs/json' })).json()).toHaveProperty('openapi');
    expect((await app.inject({ url: '/metrics' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/health' })).json()).toMatchObject({ status: 'ok' });
    const list = await app.inject({ url: '/api/tasks' });
    expect(list.statusCode).toBe(401);
  });

  it('answers a missing file with a 404, not the page', async () => {
    for (const url of ['/assets/gone-123.js', '/favicon.ico', '/robots.txt']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(404);
    }
  });
});
