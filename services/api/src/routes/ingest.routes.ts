import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { Config } from '@tower/config';
import { AppError, CALENDAR_DAY_KINDS, COMPLAINT_CATEGORIES, SEVERITIES } from '@tower/domain';
import {
  getCalendar,
  ingestComplaint,
  ingestCompetitorPrices,
  ingestCostChange,
  ingestSales,
  setCalendarDays,
  setSalesTarget,
  type CompetitorPriceRow,
  type ComplaintInput,
  type CostChangeInput,
  type EngineContext,
  type IngestResult,
  type SalesInputRow,
} from '@tower/engine';
import { actorOf } from '../plugins/auth.js';
import { Body, Day, Fen, IdParams, Instant, PositiveFen, StringEnum, Text, Uuid } from '../schemas.js';

const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
});
const Count = Type.Integer({ minimum: 0, maximum: 10_000_000 });
const tags = ['facts'];
const ingest = { apiKeyScope: 'ingest' };

function keyOf(request: FastifyRequest): string | undefined {
  const key = request.headers['idempotency-key'];
  return typeof key === 'string' ? key : undefined;
}

function answer<T>(reply: FastifyReply, result: IngestResult<T>) {
  if (result.replayed) reply.header('idempotent-replayed', 'true');
  return reply.status(result.status).send(result.body);
}

function bounded<T>(rows: T[], max: number): T[] {
  if (rows.length > max) {
    throw new AppError('INGEST_TOO_MANY_ROWS', `At most ${max} rows per request; send the rest in another.`, {
      maxRows: max,
      rows: rows.length,
    });
  }
  return rows;
}

export function ingestRoutes(app: FastifyInstance, ctx: EngineContext, config: Config): void {
  app.post(
    '/api/ingest/sales',
    {
      config: ingest,
      schema: {
        tags,
        summary: 'Daily sales per product, branch, date and channel (a later figure replaces an earlier one)',
        headers: IdempotencyHeaders,
        body: Body({
          rows: Type.Array(
            Type.Object(
              {
                productId: Uuid,
                branchId: Uuid,
                date: Day,
                units: Count,
                revenueFen: Fen,
                orders: Count,
                returningOrders: Type.Optional(Count),
                channel: Type.Optional(Type.String({ maxLength: 50 })),
              },
              { additionalProperties: false },
            ),
            { minItems: 1 },
          ),
        }),
      },
    },
    async (request, reply) => {
      const rows = bounded((request.body as { rows: SalesInputRow[] }).rows, config.maxIngestRows);
      return answer(
        reply,
        await ingestSales(ctx, actorOf(request), { rows, idempotencyKey: keyOf(request) }),
      );
    },
  );

  app.post(
    '/api/ingest/complaints',
    {
      config: ingest,
      schema: {
        tags,
        summary: 'One complaint, once per externalId; the phone number is stored masked only',
        headers: IdempotencyHeaders,
        body: Body({
          externalId: Text(200),
          productId: Uuid,
          branchId: Uuid,
          occurredAt: Instant,
          category: StringEnum(COMPLAINT_CATEGORIES),
          severity: StringEnum(SEVERITIES),
          text: Text(10_000),
          customerPhone: Type.Optional(Type.String({ maxLength: 30 })),
        }),
      },
    },
    async (request, reply) =>
      answer(
        reply,
        await ingestComplaint(ctx, actorOf(request), {
          ...(request.body as ComplaintInput),
          idempotencyKey: keyOf(request),
        }),
      ),
  );

  app.post(
    '/api/ingest/competitor-prices',
    {
      config: ingest,
      schema: {
        tags,
        summary: 'Competitor price observations',
        headers: IdempotencyHeaders,
        body: Body({
          rows: Type.Array(
            Type.Object(
              {
                productId: Uuid,
                competitor: Text(200),
                priceFen: PositiveFen,
                observedAt: Day,
                platform: Type.Optional(Text(100)),
              },
              { additionalProperties: false },
            ),
            { minItems: 1 },
          ),
        }),
      },
    },
    async (request, reply) => {
      const rows = bounded((request.body as { rows: CompetitorPriceRow[] }).rows, config.maxIngestRows);
      return answer(
        reply,
        await ingestCompetitorPrices(ctx, actorOf(request), { rows, idempotencyKey: keyOf(request) }),
      );
    },
  );

  app.post(
    '/api/ingest/cost-changes',
    {
      config: ingest,
      schema: {
        tags,
        summary: "A change in a product's cost parts",
        headers: IdempotencyHeaders,
        body: Body({
          productId: Uuid,
          consumablesFen: Type.Optional(Fen),
          labourFen: Type.Optional(Fen),
          overheadFen: Type.Optional(Fen),
          marketingFen: Type.Optional(Fen),
          effectiveOn: Day,
        }),
      },
    },
    async (request, reply) =>
      answer(
        reply,
        await ingestCostChange(ctx, actorOf(request), {
          ...(request.body as CostChangeInput),
          idempotencyKey: keyOf(request),
        }),
      ),
  );

  app.put(
    '/api/products/:id/targets',
    {
      schema: {
        tags,
        summary: 'A monthly sales target for a product at a branch',
        params: IdParams,
        body: Body({
          branchId: Uuid,
          month: Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$' }),
          units: Type.Optional(Count),
          revenueFen: Type.Optional(Fen),
        }),
      },
    },
    async (request) =>
      setSalesTarget(
        ctx,
        actorOf(request),
        (request.params as { id: string }).id,
        request.body as { branchId: string; month: string; units?: number; revenueFen?: number },
      ),
  );

  app.put(
    '/api/calendar/days',
    {
      schema: {
        tags,
        summary:
          'Holidays, 调休 workdays and promotion days (holidays and promotions are left out of baselines)',
        body: Body({
          days: Type.Array(
            Type.Object(
              { date: Day, kind: StringEnum(CALENDAR_DAY_KINDS), name: Text(100) },
              { additionalProperties: false },
            ),
            { minItems: 1, maxItems: 1000 },
          ),
        }),
      },
    },
    async (request) =>
      setCalendarDays(
        ctx,
        actorOf(request),
        (request.body as { days: { date: string; kind: string; name: string }[] }).days,
      ),
  );
  app.get(
    '/api/calendar',
    {
      schema: {
        tags,
        summary: 'Calendar days of a year',
        querystring: Type.Object(
          { year: Type.Integer({ minimum: 2000, maximum: 2100 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => getCalendar(ctx, actorOf(request), (request.query as { year: number }).year),
  );
}
