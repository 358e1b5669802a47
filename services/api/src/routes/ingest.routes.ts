import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Config } from '@tower/config';
import { AppError, type IngestOutcome } from '@tower/domain';
import {
  CompetitorPricesBody,
  ComplaintBody,
  CostChangeBody,
  ingestComplaint,
  ingestCompetitorPrices,
  ingestCostChange,
  ingestSales,
  SalesBody,
  type EngineContext,
  type IngestResult,
} from '@tower/engine';
import { actorOf } from '../plugins/auth.js';
import { replies, Uuid } from '../schemas.js';
import { Accepted } from '../responses.js';

const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
});
const tags = ['facts'];
const ingest = { apiKeyScope: 'ingest' };
/** Every ingest route: bad rows, unknown products, a reused key, a key in flight, too many rows. */
const INGEST_ERRORS = [400, 409, 413, 422] as const;

/** The HTTP status of each outcome: the engine says what happened, the API how to answer it. */
const STATUS_OF: Record<IngestOutcome, 200 | 201 | 202> = { accepted: 202, created: 201, existing: 200 };

function answer<T>(reply: FastifyReply, result: IngestResult<T>) {
  if (result.replayed) reply.header('idempotent-replayed', 'true');
  return reply.status(STATUS_OF[result.outcome]).send(result.body);
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

export function ingestRoutes(instance: FastifyInstance, ctx: EngineContext, config: Config): void {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/api/ingest/sales',
    {
      config: ingest,
      schema: {
        tags,
        summary: 'Daily sales per product, branch, date and channel (a later figure replaces an earlier one)',
        headers: IdempotencyHeaders,
        body: SalesBody,
        response: replies({ 202: Accepted }, INGEST_ERRORS),
      },
    },
    async (request, reply) => {
      const rows = bounded(request.body.rows, config.maxIngestRows);
      return answer(
        reply,
        await ingestSales(ctx, actorOf(request), {
          rows,
          idempotencyKey: request.headers['idempotency-key'],
        }),
      );
    },
  );

  app.post(
    '/api/ingest/complaints',
    {
      config: ingest,
      schema: {
        tags,
        summary:
          'One complaint, once per externalId (201 new, 200 seen before); the phone is stored masked only',
        headers: IdempotencyHeaders,
        body: ComplaintBody,
        response: replies(
          {
            201: Type.Object({ id: Uuid }, { additionalProperties: true }),
            200: Type.Object({ id: Uuid }, { additionalProperties: true }),
          },
          INGEST_ERRORS,
        ),
      },
    },
    async (request, reply) =>
      answer(
        reply,
        await ingestComplaint(ctx, actorOf(request), {
          ...request.body,
          idempotencyKey: request.headers['idempotency-key'],
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
        body: CompetitorPricesBody,
        response: replies({ 202: Accepted }, INGEST_ERRORS),
      },
    },
    async (request, reply) => {
      const rows = bounded(request.body.rows, config.maxIngestRows);
      return answer(
        reply,
        await ingestCompetitorPrices(ctx, actorOf(request), {
          rows,
          idempotencyKey: request.headers['idempotency-key'],
        }),
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
        body: CostChangeBody,
        response: replies(
          {
            202: Type.Object(
              { id: Uuid, applied: Type.Boolean(), unitCostFen: Type.Integer() },
              { additionalProperties: true },
            ),
          },
          INGEST_ERRORS,
        ),
      },
    },
    async (request, reply) =>
      answer(
        reply,
        await ingestCostChange(ctx, actorOf(request), {
          ...request.body,
          idempotencyKey: request.headers['idempotency-key'],
        }),
      ),
  );
}
