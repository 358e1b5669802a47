import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { CALENDAR_DAY_KINDS } from '@tower/domain';
import { getProductSales, type EngineContext } from '@tower/engine';
import { actorOf } from '../plugins/auth.js';
import { OneOf } from '../responses.js';
import { Day, Fen, IdParams, replies, Uuid } from '../schemas.js';

const tags = ['products'];

const SalesDay = Type.Object({
  date: Day,
  units: Type.Integer(),
  revenueFen: Type.Integer(),
  baselineUnits: Type.Union([Type.Number(), Type.Null()], {
    description: 'mean units on the same weekday of the baseline weeks before (holidays/promotions left out)',
  }),
  dip: Type.Boolean({ description: 'units at least the sales-dip drop under a positive baseline' }),
});

const SalesSeries = Type.Object({
  productId: Uuid,
  branchId: Type.Union([Uuid, Type.Null()]),
  from: Day,
  to: Day,
  days: Type.Array(SalesDay),
  calendar: Type.Array(Type.Object({ date: Day, kind: OneOf(CALENDAR_DAY_KINDS), name: Type.String() })),
  targets: Type.Array(
    Type.Object({
      month: Type.String({ pattern: '^\\d{4}-\\d{2}$' }),
      units: Type.Union([Type.Integer(), Type.Null()]),
      revenueFen: Type.Union([Fen, Type.Null()]),
    }),
  ),
});

export function salesRoutes(app: FastifyInstance, ctx: EngineContext): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/api/products/:id/sales',
    {
      schema: {
        tags,
        summary: 'Daily sales vs the same-weekday baseline, dip days, calendar days and targets (for charts)',
        params: IdParams,
        querystring: Type.Object(
          { branchId: Type.Optional(Uuid), from: Type.Optional(Day), to: Type.Optional(Day) },
          { additionalProperties: false },
        ),
        response: replies({ 200: SalesSeries }, [400, 404]),
      },
    },
    async (request) => getProductSales(ctx, actorOf(request), request.params.id, request.query),
  );
}
