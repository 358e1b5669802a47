import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import {
  createBranch,
  createDepartment,
  createPerson,
  getBranches,
  getDepartments,
  getPeople,
  OrgUnitBody,
  PersonBody,
  type EngineContext,
} from '@tower/engine';
import { actorOf } from '../plugins/auth.js';
import { paged } from '../pagination.js';
import { PageQuery, replies } from '../schemas.js';
import { Items, OrgUnitOut, Page, PersonOut } from '../responses.js';

export function orgRoutes(instance: FastifyInstance, ctx: EngineContext): void {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/api/branches',
    {
      schema: {
        tags: ['organisation'],
        summary: 'Create a branch (院区)',
        body: OrgUnitBody,
        response: replies({ 201: OrgUnitOut }, [400, 409]),
      },
    },
    async (request, reply) => reply.status(201).send(await createBranch(ctx, actorOf(request), request.body)),
  );
  app.get(
    '/api/branches',
    {
      schema: {
        tags: ['organisation'],
        summary: 'List branches',
        response: replies({ 200: Items(OrgUnitOut) }),
      },
    },
    async (request) => ({
      items: await getBranches(ctx, actorOf(request)),
    }),
  );
  app.post(
    '/api/departments',
    {
      schema: {
        tags: ['organisation'],
        summary: 'Create a department (科室)',
        body: OrgUnitBody,
        response: replies({ 201: OrgUnitOut }, [400, 409]),
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createDepartment(ctx, actorOf(request), request.body)),
  );
  app.get(
    '/api/departments',
    {
      schema: {
        tags: ['organisation'],
        summary: 'List departments',
        response: replies({ 200: Items(OrgUnitOut) }),
      },
    },
    async (request) => ({
      items: await getDepartments(ctx, actorOf(request)),
    }),
  );

  app.post(
    '/api/people',
    {
      schema: {
        tags: ['people'],
        summary: 'Create a person (admin)',
        body: PersonBody,
        response: replies({ 201: PersonOut }, [400, 409]),
      },
    },
    async (request, reply) => reply.status(201).send(await createPerson(ctx, actorOf(request), request.body)),
  );
  app.get(
    '/api/people',
    {
      schema: {
        tags: ['people'],
        summary: 'List people',
        querystring: Type.Object(PageQuery),
        response: replies({ 200: Page(PersonOut) }, [400]),
      },
    },
    async (request) => {
      const { cursor, limit = 50 } = request.query;
      return paged({ ...(cursor ? { cursor } : {}), limit }, (window) =>
        getPeople(ctx, actorOf(request), window),
      );
    },
  );
}
