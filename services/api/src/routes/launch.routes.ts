import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import {
  CompleteItemBody,
  completeItem,
  getLaunchChecklist,
  getMyLaunchItems,
  type EngineContext,
} from '@tower/engine';
import { actorOf } from '../plugins/auth.js';
import { paged } from '../pagination.js';
import { IdParams, PageQuery, replies } from '../schemas.js';
import { LaunchChecklistOut, LaunchItemOut, Page } from '../responses.js';

const tags = ['launch'];

export function launchRoutes(instance: FastifyInstance, ctx: EngineContext): void {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/products/:id/launch',
    {
      schema: {
        tags,
        summary: 'The cross-department launch checklist',
        params: IdParams,
        response: replies({ 200: LaunchChecklistOut }, [400, 404]),
      },
    },
    async (request) => getLaunchChecklist(ctx, actorOf(request), request.params.id),
  );
  app.post(
    '/api/launch-items/:id/complete',
    {
      schema: {
        tags,
        summary: "Complete a launch item (holders of the item's role and scope)",
        params: IdParams,
        body: Type.Optional(CompleteItemBody),
        response: replies({ 200: LaunchItemOut }, [400, 404, 409]),
      },
    },
    async (request) => completeItem(ctx, actorOf(request), request.params.id, request.body ?? {}),
  );
  app.get(
    '/api/launch-items',
    {
      schema: {
        tags,
        summary:
          'Launch items across products: yours (mine=true, the default) or all you may see (mine=false)',
        querystring: Type.Object(
          {
            mine: Type.Optional(Type.Boolean()),
            status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('done')])),
            overdue: Type.Optional(Type.Boolean()),
            ...PageQuery,
          },
          { additionalProperties: false },
        ),
        response: replies({ 200: Page(LaunchItemOut) }, [400]),
      },
    },
    async (request) => {
      const { mine, status, overdue, cursor, limit = 50 } = request.query;
      return paged({ ...(cursor ? { cursor } : {}), limit }, (window) =>
        getMyLaunchItems(ctx, actorOf(request), {
          ...(mine === false ? { mine: false } : {}),
          ...(status ? { status } : {}),
          ...(overdue ? { overdue: true } : {}),
          ...window,
        }),
      );
    },
  );
}
