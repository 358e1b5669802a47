import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { completeItem, getLaunchChecklist, getMyLaunchItems, type EngineContext } from '@tower/engine';
import { actorOf } from '../plugins/auth.js';
import { paged } from '../pagination.js';
import { Body, IdParams, PageQuery } from '../schemas.js';

const tags = ['launch'];

export function launchRoutes(app: FastifyInstance, ctx: EngineContext): void {
  app.get(
    '/api/products/:id/launch',
    { schema: { tags, summary: 'The cross-department launch checklist', params: IdParams } },
    async (request) => getLaunchChecklist(ctx, actorOf(request), (request.params as { id: string }).id),
  );
  app.post(
    '/api/launch-items/:id/complete',
    {
      schema: {
        tags,
        summary: "Complete a launch item (holders of the item's role and scope)",
        params: IdParams,
        body: Type.Optional(Body({ note: Type.Optional(Type.String({ maxLength: 2000 })) })),
      },
    },
    async (request) =>
      completeItem(
        ctx,
        actorOf(request),
        (request.params as { id: string }).id,
        (request.body as { note?: string } | undefined) ?? {},
      ),
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
      },
    },
    async (request) => {
      const query = request.query as {
        mine?: boolean;
        status?: 'pending' | 'done';
        overdue?: boolean;
        cursor?: string;
        limit: number;
      };
      return paged(query, (window) =>
        getMyLaunchItems(ctx, actorOf(request), {
          ...(query.mine === false ? { mine: false } : {}),
          ...(query.status ? { status: query.status } : {}),
          ...(query.overdue ? { overdue: true } : {}),
          ...window,
        }),
      );
    },
  );
}
