import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { CHANNEL_KINDS, ROLES } from '@tower/domain';
import {
  createBranch,
  createDepartment,
  createPerson,
  getBranches,
  getDepartments,
  getPeople,
  type EngineContext,
  type NewPersonInput,
} from '@tower/engine';
import { actorOf } from '../plugins/auth.js';
import { paged } from '../pagination.js';
import { Body, PageQuery, StringEnum, Text, Uuid } from '../schemas.js';

const OrgUnitBody = Body({
  code: Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,39}$', description: 'lower-case, e.g. skin' }),
  name: Text(100),
});

const PersonBody = Body({
  name: Text(100),
  email: Type.String({ format: 'email', maxLength: 320 }),
  password: Type.String({ minLength: 12, maxLength: 1024 }),
  roles: Type.Array(
    Type.Object(
      { role: StringEnum(ROLES), departmentId: Type.Optional(Uuid), branchId: Type.Optional(Uuid) },
      { additionalProperties: false },
    ),
    { minItems: 1, maxItems: 20 },
  ),
  channels: Type.Optional(
    Type.Array(
      Type.Object(
        {
          kind: StringEnum(CHANNEL_KINDS),
          url: Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2000 }),
          secret: Type.Optional(
            Type.String({
              minLength: 1,
              maxLength: 200,
              description: 'the robot signing secret (DingTalk 加签 SEC…, Feishu 签名校验); never logged',
            }),
          ),
        },
        { additionalProperties: false },
      ),
      { maxItems: 10 },
    ),
  ),
});

export function orgRoutes(app: FastifyInstance, ctx: EngineContext): void {
  app.post(
    '/api/branches',
    { schema: { tags: ['organisation'], summary: 'Create a branch (院区)', body: OrgUnitBody } },
    async (request, reply) =>
      reply
        .status(201)
        .send(await createBranch(ctx, actorOf(request), request.body as { code: string; name: string })),
  );
  app.get(
    '/api/branches',
    { schema: { tags: ['organisation'], summary: 'List branches' } },
    async (request) => ({
      items: await getBranches(ctx, actorOf(request)),
    }),
  );
  app.post(
    '/api/departments',
    { schema: { tags: ['organisation'], summary: 'Create a department (科室)', body: OrgUnitBody } },
    async (request, reply) =>
      reply
        .status(201)
        .send(await createDepartment(ctx, actorOf(request), request.body as { code: string; name: string })),
  );
  app.get(
    '/api/departments',
    { schema: { tags: ['organisation'], summary: 'List departments' } },
    async (request) => ({
      items: await getDepartments(ctx, actorOf(request)),
    }),
  );

  app.post(
    '/api/people',
    { schema: { tags: ['people'], summary: 'Create a person (admin)', body: PersonBody } },
    async (request, reply) =>
      reply.status(201).send(await createPerson(ctx, actorOf(request), request.body as NewPersonInput)),
  );
  app.get(
    '/api/people',
    { schema: { tags: ['people'], summary: 'List people', querystring: Type.Object(PageQuery) } },
    async (request) => {
      const query = request.query as { cursor?: string; limit: number };
      return paged(query, (window) => getPeople(ctx, actorOf(request), window));
    },
  );
}
