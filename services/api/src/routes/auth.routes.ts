import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import {
  createApiKey,
  getApiKeys,
  getMe,
  login,
  logout,
  requireRole,
  revokeKey,
  type EngineContext,
} from '@tower/engine';
import type { Config } from '@tower/config';
import type { Redis } from 'ioredis';
import { actorOf, bearerOf, personOf } from '../plugins/auth.js';
import { loginLimit } from '../plugins/login-limit.js';
import { Body, ErrorBody, IdParams, Text } from '../schemas.js';

const LoginBody = Body({
  email: Type.String({ format: 'email', maxLength: 320 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
});

export function authRoutes(app: FastifyInstance, ctx: EngineContext, config: Config, redis: Redis): void {
  app.post(
    '/api/auth/login',
    {
      config: { public: true },
      onRequest: loginLimit({
        redis,
        prefix: config.queuePrefix,
        maxPerMinute: config.loginRateLimitPerMinute,
      }),
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password',
        body: LoginBody,
        response: { 401: ErrorBody },
      },
    },
    async (request) => {
      const body = request.body as { email: string; password: string };
      const { token, person } = await login(ctx, { ...body, ttlSeconds: config.sessionTtlSeconds });
      return { token, person };
    },
  );

  app.post(
    '/api/auth/logout',
    { schema: { tags: ['auth'], summary: 'Revoke the current token' } },
    async (request, reply) => {
      actorOf(request);
      await logout(ctx, bearerOf(request)!);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/people/me',
    { schema: { tags: ['people'], summary: 'The signed-in person' } },
    async (request) => getMe(ctx, personOf(request)),
  );

  app.post(
    '/api/api-keys',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create an API key for an integration (admin); the key is shown once',
        body: Body({
          name: Text(100),
          scopes: Type.Array(Type.Literal('ingest'), { minItems: 1, uniqueItems: true }),
        }),
      },
    },
    async (request, reply) => {
      const admin = requireRole(actorOf(request), ['admin'], 'create API keys');
      const body = request.body as { name: string; scopes: string[] };
      return reply.status(201).send(await createApiKey(ctx, admin, body));
    },
  );

  app.get(
    '/api/api-keys',
    { schema: { tags: ['auth'], summary: 'Integration keys (admin), without secrets' } },
    async (request) => ({
      items: await getApiKeys(ctx, actorOf(request)),
    }),
  );
  app.delete(
    '/api/api-keys/:id',
    { schema: { tags: ['auth'], summary: 'Revoke an integration key (admin)', params: IdParams } },
    async (request, reply) => {
      await revokeKey(ctx, actorOf(request), (request.params as { id: string }).id);
      return reply.status(204).send();
    },
  );
}
