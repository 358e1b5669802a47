import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { Db } from '@tower/db';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { HealthOut } from '../responses.js';

async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export function systemRoutes(
  instance: FastifyInstance,
  deps: { db: Db; redis: Redis; registry: Registry },
): void {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/health',
    {
      config: { public: true },
      schema: {
        tags: ['system'],
        summary: '200 when Postgres and Redis answer',
        response: { 200: HealthOut, 503: HealthOut },
      },
    },
    async (_request, reply) => {
      const [postgres, redis] = await Promise.all([
        within(2000, sql`select 1`.execute(deps.db)).then(
          () => 'ok',
          () => 'down',
        ),
        within(2000, deps.redis.ping()).then(
          () => 'ok',
          () => 'down',
        ),
      ]);
      const ok = postgres === 'ok' && redis === 'ok';
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', postgres, redis });
    },
  );
  app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (_request, reply) =>
    reply.header('content-type', deps.registry.contentType).send(await deps.registry.metrics()),
  );
}
