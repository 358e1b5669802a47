import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import {
  CompleteItemBody,
  completeItem,
  getLaunchChecklist,
  getLaunchItem,
  getLaunchTemplates,
  getMyLaunchItems,
  saveLaunchTemplate,
  undoItem,
  UndoItemBody,
  LaunchTemplateBody,
  type EngineContext,
} from '@tower/engine';
import { actorOf } from '../plugins/auth.js';
import { paged } from '../pagination.js';
import { IdParams, PageQuery, replies } from '../schemas.js';
import {
  Checklist,
  Item,
  ItemDetail,
  ItemStatus,
  ListedItem,
  Template,
  TierParams,
} from './launch.schemas.js';

const tags = ['launch'];

export function launchRoutes(base: FastifyInstance, ctx: EngineContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/products/:id/launch',
    {
      schema: {
        tags,
        summary: 'The cross-department launch checklist: items, progress per branch and role, blockers',
        params: IdParams,
        response: replies({ 200: Checklist }, [400, 404]),
      },
    },
    async (request) => getLaunchChecklist(ctx, actorOf(request), request.params.id),
  );

  app.get(
    '/api/launch-items/:id',
    {
      schema: {
        tags,
        summary: 'One launch item with its history',
        params: IdParams,
        response: replies({ 200: ItemDetail }, [400, 404]),
      },
    },
    async (request) => getLaunchItem(ctx, actorOf(request), request.params.id),
  );

  app.post(
    '/api/launch-items/:id/complete',
    {
      schema: {
        tags,
        summary: "Complete a launch item (holders of the item's role and scope)",
        params: IdParams,
        body: Type.Optional(CompleteItemBody),
        response: replies({ 200: Item }, [400, 404, 409]),
      },
    },
    async (request) => completeItem(ctx, actorOf(request), request.params.id, request.body ?? {}),
  );

  app.post(
    '/api/launch-items/:id/undo',
    {
      schema: {
        tags,
        summary: 'Undo a completion (the person who completed it, or an admin), with a reason',
        params: IdParams,
        body: UndoItemBody,
        response: replies({ 200: Item }, [400, 404, 409]),
      },
    },
    async (request) => undoItem(ctx, actorOf(request), request.params.id, request.body),
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
            status: Type.Optional(ItemStatus),
            overdue: Type.Optional(Type.Boolean()),
            ...PageQuery,
          },
          { additionalProperties: false },
        ),
        response: replies(
          {
            200: Type.Object({
              items: Type.Array(ListedItem),
              nextCursor: Type.Union([Type.String(), Type.Null()]),
            }),
          },
          [400],
        ),
      },
    },
    async (request) => {
      const { mine, status, overdue, cursor, limit = 50 } = request.query;
      return paged({ ...(cursor !== undefined ? { cursor } : {}), limit }, (window) =>
        getMyLaunchItems(ctx, actorOf(request), {
          ...(mine === false ? { mine: false } : {}),
          ...(status ? { status } : {}),
          ...(overdue ? { overdue: true } : {}),
          ...window,
        }),
      );
    },
  );

  app.get(
    '/api/launch-templates',
    {
      schema: {
        tags,
        summary: 'The launch checklist template of every tier (the current version)',
        response: replies({ 200: Type.Object({ templates: Type.Array(Template) }) }),
      },
    },
    async (request) => getLaunchTemplates(ctx, actorOf(request)),
  );

  app.put(
    '/api/launch-templates/:tier',
    {
      schema: {
        tags,
        summary: "Replace a tier's launch template (admin); the next checklist made for the tier uses it",
        params: TierParams,
        body: LaunchTemplateBody,
        response: replies({ 200: Template }, [400, 409]),
      },
    },
    async (request) => saveLaunchTemplate(ctx, actorOf(request), request.params.tier, request.body),
  );
}
