import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  ApiKeyBody,
  createApiKey,
  getApiKeys,
  getMe,
  login,
  LoginBody,
  logout,
  requireRole,
  revokeKey,
  type EngineContext,
} from '@tower/engine';
import type { Config } from '@tower/config';
import { ROLES_THAT_MAY } from '@tower/domain';
import type { Redis } from 'ioredis';
import { actorOf, bearerOf, personOf } from '../plugins/auth.js';
import { loginLimit } from '../plugins/login-limit.js';
import { IdParams, NoContent, replies } from '../schemas.js';
import { ApiKeyCreatedOut, ApiKeyOut, Items, LoginOut, PersonOut } from '../responses.js';

export function authRoutes(
  instance: FastifyInstance,
  ctx: EngineContext,
  config: Config,
  redis: Redis,
): void {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
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
        response: replies({ 200: LoginOut }, [400, 401, 429], { public: true }),
      },
    },
    async (request) => {
      const { token, person } = await login(ctx, { ...request.body, ttlSeconds: config.sessionTtlSeconds });
      return { token, person };
    },
  );

  app.post(
    '/api/auth/logout',
    {
      schema: { tags: ['auth'], summary: 'Revoke the current token', response: replies({ 204: NoContent }) },
    },
    async (request, reply) => {
      actorOf(request);
      await logout(ctx, bearerOf(request)!);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/people/me',
    {
      schema: {
        tags: ['people'],
        summary: 'The signed-in person',
        response: replies({ 200: PersonOut }, [404]),
      },
    },
    async (request) => getMe(ctx, personOf(request)),
  );

  app.post(
    '/api/api-keys',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create an API key for an integration (admin); the key is shown once',
        body: ApiKeyBody,
        response: replies({ 201: ApiKeyCreatedOut }, [400]),
      },
    },
    async (request, reply) => {
      const admin = requireRole(actorOf(request), ROLES_THAT_MAY.manageApiKeys, 'create API keys');
      return reply.status(201).send(await createApiKey(ctx, admin, request.body));
    },
  );

  app.get(
    '/api/api-keys',
    {
      schema: {
        tags: ['auth'],
        summary: 'Integration keys (admin), without secrets',
        response: replies({ 200: Items(ApiKeyOut) }),
      },
    },
    async (request) => ({
      items: await getApiKeys(ctx, actorOf(request)),
    }),
  );
  app.delete(
    '/api/api-keys/:id',
    {
      schema: {
        tags: ['auth'],
        summary: 'Revoke an integration key (admin)',
        params: IdParams,
        response: replies({ 204: NoContent }, [400, 404]),
      },
    },
    async (request, reply) => {
      await revokeKey(ctx, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
