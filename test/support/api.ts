import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '@tower/api';
import { createLogger, loadConfig, type Config } from '@tower/config';
import {
  insertPerson,
  insertSession,
  insertBranch,
  insertDepartment,
  type Db,
  type RoleGrant,
} from '@tower/db';
import { createTestDatabase, type TestDatabase } from '@tower/db/testing';
import { hashSecret } from '@tower/engine';
import { createRedis } from '@tower/queue';
import type { Redis } from 'ioredis';

export interface TestClock {
  now: () => Date;
  set(at: Date | string): void;
  advanceDays(days: number): void;
}

export function testClock(start = '2026-11-02T02:00:00Z'): TestClock {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set(at) {
      current = new Date(at);
    },
    advanceDays(days) {
      current = new Date(current.getTime() + days * 86_400_000);
    },
  };
}

export interface ApiHarness {
  readonly app: FastifyInstance;
  readonly db: Db;
  readonly testDb: TestDatabase;
  readonly redis: Redis;
  readonly config: Config;
  readonly clock: TestClock;
  readonly queuePrefix: string;
  close(): Promise<void>;
}

/** A real API on this test file's own database and BullMQ prefix (no listening socket: `inject`). */
export async function startApi(env: Record<string, string> = {}): Promise<ApiHarness> {
  const testDb = await createTestDatabase();
  const queuePrefix = `test-${randomBytes(4).toString('hex')}`;
  const config = loadConfig({
    DATABASE_URL: testDb.url,
    QUEUE_PREFIX: queuePrefix,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...env,
  });
  const redis = createRedis(config.redisUrl);
  await redis.connect();
  const clock = testClock();
  const app = await buildApp({
    config,
    db: testDb.db,
    redis,
    logger: createLogger({ name: 'api-test', level: config.logLevel }),
    now: clock.now,
  });
  await app.ready();
  return {
    app,
    db: testDb.db,
    testDb,
    redis,
    config,
    clock,
    queuePrefix,
    async close() {
      await app.close();
      const keys = await redis.keys(`${queuePrefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
      await testDb.drop();
    },
  };
}

export interface TestPerson {
  id: string;
  token: string;
  email: string;
}

/**
 * A person with a live session, inserted through the repositories. Their password hash is not a
 * valid one (nobody logs in as them by password), which keeps factories fast; login is tested apart.
 */
export async function makePerson(
  db: Db,
  roles: Partial<RoleGrant>[],
  name = 'Test Person',
): Promise<TestPerson> {
  const email = `${randomBytes(5).toString('hex')}@tower.test`;
  const id = await insertPerson(db, {
    at: new Date(),
    name,
    email,
    passwordHash: 'none',
    roles: roles.map((r) => ({
      role: r.role!,
      departmentId: r.departmentId ?? null,
      branchId: r.branchId ?? null,
    })),
    channels: [],
  });
  const token = randomBytes(24).toString('base64url');
  await insertSession(db, {
    personId: id,
    tokenHash: hashSecret(token),
    expiresAt: new Date(Date.now() + 86_400_000),
  });
  return { id, token, email };
}

export async function makeBranch(db: Db, code = `b${randomBytes(3).toString('hex')}`) {
  return insertBranch(db, { code, name: `Branch ${code}` });
}

export async function makeDepartment(db: Db, code = `d${randomBytes(3).toString('hex')}`) {
  return insertDepartment(db, { code, name: `Department ${code}` });
}

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** `inject` with a bearer token and a JSON body; returns status and parsed body. */
export async function call(
  app: FastifyInstance,
  method: Method,
  url: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: any; raw: LightMyRequestResponse }> {
  const raw = await app.inject({
    method,
    url,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { payload: JSON.stringify(options.body) } : {}),
  });
  const text = raw.body;
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON (metrics, docs)
  }
  return { status: raw.statusCode, body, raw };
}
