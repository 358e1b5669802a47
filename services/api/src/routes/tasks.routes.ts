import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { DECISIONS, SIGNALS, TASK_SIGNALS, TASK_STATUSES, type Decision, type Signal } from '@tower/domain';
import {
  acknowledgeTask,
  commentOnTask,
  createSilence,
  getSilences,
  getTask,
  getTasks,
  giveTaskFeedback,
  removeSilence,
  resolveTask,
  type EngineContext,
} from '@tower/engine';
import { actorOf } from '../plugins/auth.js';
import { paged } from '../pagination.js';
import { Body, IdParams, Instant, PageQuery, StringEnum, Text, Uuid } from '../schemas.js';

const tags = ['tasks'];

export function taskRoutes(app: FastifyInstance, ctx: EngineContext): void {
  app.get(
    '/api/tasks',
    {
      schema: {
        tags,
        summary: 'Review tasks you may see (mine=true: yours to answer or be told of)',
        querystring: Type.Object(
          {
            mine: Type.Optional(Type.Boolean()),
            status: Type.Optional(StringEnum(TASK_STATUSES)),
            signal: Type.Optional(StringEnum(TASK_SIGNALS)),
            productId: Type.Optional(Uuid),
            branchId: Type.Optional(Uuid),
            ...PageQuery,
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const { cursor, limit, ...filter } = request.query as {
        cursor?: string;
        limit: number;
        mine?: boolean;
        status?: string;
        signal?: string;
        productId?: string;
        branchId?: string;
      };
      return paged({ ...(cursor ? { cursor } : {}), limit }, (window) =>
        getTasks(ctx, actorOf(request), { ...filter, ...window }),
      );
    },
  );
  app.get(
    '/api/tasks/:id',
    { schema: { tags, summary: 'A task with evidence, comments and notifications', params: IdParams } },
    async (request) => getTask(ctx, actorOf(request), (request.params as { id: string }).id),
  );
  app.post(
    '/api/tasks/:id/acknowledge',
    { schema: { tags, summary: 'Acknowledge (stops the escalation ladder)', params: IdParams } },
    async (request) => acknowledgeTask(ctx, actorOf(request), (request.params as { id: string }).id),
  );
  app.post(
    '/api/tasks/:id/comments',
    { schema: { tags, summary: 'Comment on a task', params: IdParams, body: Body({ text: Text(5000) }) } },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await commentOnTask(
            ctx,
            actorOf(request),
            (request.params as { id: string }).id,
            (request.body as { text: string }).text,
          ),
        ),
  );
  app.post(
    '/api/tasks/:id/resolve',
    {
      schema: {
        tags,
        summary: 'Resolve with a decision; reprice/repackage/retrain/retire move the product',
        params: IdParams,
        body: Body({ decision: StringEnum(DECISIONS), note: Text(5000) }),
      },
    },
    async (request) =>
      resolveTask(
        ctx,
        actorOf(request),
        (request.params as { id: string }).id,
        request.body as { decision: Decision; note: string },
      ),
  );
  app.post(
    '/api/tasks/:id/feedback',
    {
      schema: {
        tags,
        summary: 'Was the signal worth it?',
        params: IdParams,
        body: Body({ useful: Type.Boolean() }),
      },
    },
    async (request) =>
      giveTaskFeedback(
        ctx,
        actorOf(request),
        (request.params as { id: string }).id,
        (request.body as { useful: boolean }).useful,
      ),
  );

  app.post(
    '/api/silences',
    {
      schema: {
        tags: ['silences'],
        summary: 'Silence a signal for a product (recorded, but opens and notifies nothing) until a time',
        body: Body({
          productId: Uuid,
          signal: StringEnum(SIGNALS),
          branchId: Type.Optional(Uuid),
          until: Instant,
          reason: Text(2000),
        }),
      },
    },
    async (request, reply) =>
      reply.status(201).send(
        await createSilence(
          ctx,
          actorOf(request),
          request.body as {
            productId: string;
            signal: Signal;
            branchId?: string;
            until: string;
            reason: string;
          },
        ),
      ),
  );
  app.get(
    '/api/silences',
    {
      schema: {
        tags: ['silences'],
        summary: 'Silences (active=true: only those in force)',
        querystring: Type.Object({ active: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
      },
    },
    async (request) => ({
      items: await getSilences(ctx, actorOf(request), request.query as { active?: boolean }),
    }),
  );
  app.delete(
    '/api/silences/:id',
    { schema: { tags: ['silences'], summary: 'Lift a silence', params: IdParams } },
    async (request, reply) => {
      await removeSilence(ctx, actorOf(request), (request.params as { id: string }).id);
      return reply.status(204).send();
    },
  );
}
