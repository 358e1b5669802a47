import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { SalesTargetBody, setSalesTarget, type EngineContext } from '@tower/engine';
import { actorOf } from '../plugins/auth.js';
import { IdParams, replies, Uuid } from '../schemas.js';

const TargetOut = Type.Object(
  { productId: Uuid, branchId: Uuid, month: Type.String() },
  { additionalProperties: true },
);

export function targetRoutes(instance: FastifyInstance, ctx: EngineContext): void {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  app.put(
    '/api/products/:id/targets',
    {
      schema: {
        tags: ['facts'],
        summary: 'A monthly sales target for a product at a branch',
        params: IdParams,
        body: SalesTargetBody,
        response: replies({ 200: TargetOut }, [400, 404]),
      },
    },
    async (request) => setSalesTarget(ctx, actorOf(request), request.params.id, request.body),
  );
}
