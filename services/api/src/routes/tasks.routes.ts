import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { TASK_SIGNALS, TASK_STATUSES } from '@tower/domain';
import {
  acknowledgeTask,
  CommentBody,
  commentOnTask,
  FeedbackBody,
  getTask,
  getTasks,
  giveTaskFeedback,
  ResolveBody,
  resolveTask,
  type EngineContext,
} from '@tower/engine';
import { actorOf } from '../plugins/auth.js';
import { paged } from '../pagination.js';
import { IdParams, PageQuery, replies, StringEnum, Uuid } from '../schemas.js';
import { CommentOut, FeedbackOut, Page, ResolvedTaskOut, TaskDetailOut, TaskOut } from '../responses.js';

const tags = ['tasks'];

export function taskRoutes(instance: FastifyInstance, ctx: EngineContext): void {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
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
        response: replies({ 200: Page(TaskOut) }, [400]),
      },
    },
    async (request) => {
      const { cursor, limit = 50, ...filter } = request.query;
      return paged({ ...(cursor ? { cursor } : {}), limit }, (window) =>
        getTasks(ctx, actorOf(request), { ...filter, ...window }),
      );
    },
  );
  app.get(
    '/api/tasks/:id',
    {
      schema: {
        tags,
        summary: 'A task with evidence, comments and notifications',
        params: IdParams,
        response: replies({ 200: TaskDetailOut }, [400, 404]),
      },
    },
    async (request) => getTask(ctx, actorOf(request), request.params.id),
  );
  app.post(
    '/api/tasks/:id/acknowledge',
    {
      schema: {
        tags,
        summary: 'Acknowledge (stops the escalation ladder)',
        params: IdParams,
        response: replies({ 200: TaskOut }, [400, 404, 409]),
      },
    },
    async (request) => acknowledgeTask(ctx, actorOf(request), request.params.id),
  );
  app.post(
    '/api/tasks/:id/comments',
    {
      schema: {
        tags,
        summary: 'Comment on a task',
        params: IdParams,
        body: CommentBody,
        response: replies({ 201: CommentOut }, [400, 404]),
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await commentOnTask(ctx, actorOf(request), request.params.id, request.body.text)),
  );
  app.post(
    '/api/tasks/:id/resolve',
    {
      schema: {
        tags,
        summary: 'Resolve with a decision; reprice/repackage/retrain/retire move the product',
        params: IdParams,
        body: ResolveBody,
        response: replies({ 200: ResolvedTaskOut }, [400, 404, 409, 422]),
      },
    },
    async (request) => resolveTask(ctx, actorOf(request), request.params.id, request.body),
  );
  app.post(
    '/api/tasks/:id/feedback',
    {
      schema: {
        tags,
        summary: 'Was the signal worth it?',
        params: IdParams,
        body: FeedbackBody,
        response: replies({ 200: FeedbackOut }, [400, 404]),
      },
    },
    async (request) => giveTaskFeedback(ctx, actorOf(request), request.params.id, request.body.useful),
  );
}
