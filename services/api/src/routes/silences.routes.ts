import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { createSilence, getSilences, removeSilence, SilenceBody, type EngineContext } from '@tower/engine';
import { actorOf } from '../plugins/auth.js';
import { IdParams, NoContent, replies } from '../schemas.js';
import { Items, SilenceOut } from '../responses.js';

const tags = ['silences'];

export function silenceRoutes(instance: FastifyInstance, ctx: EngineContext): void {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/api/silences',
    {
      schema: {
        tags,
        summary: 'Silence a signal for a product (recorded, but opens and notifies nothing) until a time',
        body: SilenceBody,
        response: replies({ 201: SilenceOut }, [400, 404]),
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createSilence(ctx, actorOf(request), request.body)),
  );
  app.get(
    '/api/silences',
    {
      schema: {
        tags,
        summary: 'Silences (active=true: only those in force)',
        querystring: Type.Object({ active: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: replies({ 200: Items(SilenceOut) }, [400]),
      },
    },
    async (request) => ({
      items: await getSilences(ctx, actorOf(request), request.query),
    }),
  );
  app.delete(
    '/api/silences/:id',
    {
      schema: {
        tags,
        summary: 'Lift a silence',
        params: IdParams,
        response: replies({ 204: NoContent }, [400, 404]),
      },
    },
    async (request, reply) => {
      await removeSilence(ctx, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
