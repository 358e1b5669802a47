import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { SIGNALS } from '@tower/domain';
import { listTuning, resetTuning, TuningResetBody, type EngineContext } from '@tower/engine';
import { actorOf } from '../plugins/auth.js';
import { replies, StringEnum, Uuid } from '../schemas.js';

const tags = ['tasks'];

const Tuning = Type.Object(
  {
    productId: Uuid,
    signal: StringEnum(SIGNALS),
    branchId: Type.Union([Uuid, Type.Null()], { description: 'null: the product across every branch' }),
    falseAlarms: Type.Integer({ description: '"false alarm" feedback counted since the last reset' }),
    level: Type.Integer({ description: 'tightening level: significance × significanceFactor^level' }),
    resetAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    resetBy: Type.Union([Uuid, Type.Null()]),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);

/** False-alarm counts and the stricter thresholds they earned, per (product, signal, branch). */
export function tuningRoutes(app: FastifyInstance, ctx: EngineContext): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  typed.get(
    '/api/signal-tuning',
    {
      schema: {
        tags,
        summary: 'Keys with "false alarm" feedback and the tightening it earned (products you may see)',
        querystring: Type.Object({ productId: Type.Optional(Uuid) }, { additionalProperties: false }),
        response: replies({ 200: Type.Object({ items: Type.Array(Tuning) }) }, [400, 404]),
      },
    },
    async (request) => ({
      items: await listTuning(ctx, actorOf(request), {
        ...(request.query.productId ? { productId: request.query.productId } : {}),
      }),
    }),
  );
  typed.post(
    '/api/signal-tuning/reset',
    {
      schema: {
        tags,
        summary: 'Reset a key to the rule as written (admin): false alarms and tightening cleared',
        body: TuningResetBody,
        response: replies({ 200: Tuning }, [400, 404]),
      },
    },
    async (request) => resetTuning(ctx, actorOf(request), request.body),
  );
}
