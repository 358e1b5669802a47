import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { ROLES } from '@tower/domain';
import {
  DeactivationBody,
  deactivatePerson,
  RoleGrantsBody,
  setPersonRoles,
  type EngineContext,
} from '@tower/engine';
import { actorOf } from '../plugins/auth.js';
import { IdParams, replies, Uuid } from '../schemas.js';

const Grant = Type.Object(
  {
    role: Type.Enum(ROLES),
    departmentId: Type.Union([Uuid, Type.Null()]),
    branchId: Type.Union([Uuid, Type.Null()]),
  },
  { additionalProperties: false },
);

const PersonAnswer = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    email: Type.String(),
    active: Type.Boolean(),
    createdAt: Type.String({ format: 'date-time' }),
    roles: Type.Array(Grant),
  },
  { additionalProperties: true },
);

const Deactivated = Type.Object({
  id: Uuid,
  deactivatedAt: Type.String({ format: 'date-time' }),
  sessionsRevoked: Type.Integer(),
  apiKeysRevoked: Type.Integer(),
  productsReassigned: Type.Array(Type.Object({ productId: Uuid, ownerId: Type.Union([Uuid, Type.Null()]) })),
  tasksReassigned: Type.Array(Type.Object({ taskId: Uuid, assignees: Type.Array(Uuid) })),
});

/** People administration beyond creation: role changes and deactivation (admin). */
export function peopleRoutes(root: FastifyInstance, ctx: EngineContext): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/api/people/:id/deactivate',
    {
      schema: {
        tags: ['people'],
        summary:
          'Deactivate a person who left (admin): sessions and keys stop at once, tasks and products pass on',
        params: IdParams,
        body: DeactivationBody,
        response: replies({ 200: Deactivated }, [400, 404, 409, 422]),
      },
    },
    async (request) => {
      const result = await deactivatePerson(ctx, actorOf(request), request.params.id, request.body);
      return {
        ...result,
        deactivatedAt: result.deactivatedAt.toISOString(),
        productsReassigned: [...result.productsReassigned],
        tasksReassigned: result.tasksReassigned.map((t) => ({ ...t, assignees: [...t.assignees] })),
      };
    },
  );

  app.put(
    '/api/people/:id/roles',
    {
      schema: {
        tags: ['people'],
        summary: "Replace a person's role grants (admin); effective on their next request",
        params: IdParams,
        body: RoleGrantsBody,
        response: replies({ 200: PersonAnswer }, [400, 404]),
      },
    },
    async (request) => {
      const person = await setPersonRoles(ctx, actorOf(request), request.params.id, request.body);
      return { ...person, createdAt: new Date(person.createdAt).toISOString() };
    },
  );
}
