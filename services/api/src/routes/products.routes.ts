import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { LIFECYCLE_EVENTS, PRICE_TYPES, STAGES, TIERS, TRAINEE_ROLES, type Sheet } from '@tower/domain';
import {
  addCompetitorPrice,
  addTrainee,
  createProduct,
  getCompetitorPrices,
  getHistory,
  getProduct,
  getProducts,
  getTrainees,
  saveSheet,
  sendLifecycleEvent,
  setCosts,
  setLaunchBranches,
  setPrices,
  setRetirementTerms,
  setTargetCustomers,
  setTraineeResult,
  type CompetitorPriceInput,
  type CostsInput,
  type EngineContext,
  type LifecycleEventInput,
  type NewProductInput,
  type PriceInput,
} from '@tower/engine';
import { actorOf } from '../plugins/auth.js';
import { paged } from '../pagination.js';
import {
  Body,
  Day,
  Fen,
  IdParams,
  Instant,
  PageQuery,
  PositiveFen,
  StringEnum,
  Text,
  Uuid,
} from '../schemas.js';

const SheetText = Type.Optional(Type.String({ maxLength: 20_000 }));
const SheetBody = Body({
  spec: SheetText,
  certification: SheetText,
  ingredients: SheetText,
  efficacy: SheetText,
  targetCustomers: SheetText,
  sellingPoints: SheetText,
  comparison: SheetText,
  precautions: SheetText,
  clinicalInfo: SheetText,
  salesScripts: SheetText,
  indications: Type.Optional(Type.Array(Text(500), { maxItems: 100 })),
  contraindications: Type.Optional(Type.Array(Text(500), { maxItems: 100 })),
});

const tags = ['products'];

export function productRoutes(app: FastifyInstance, ctx: EngineContext): void {
  app.post(
    '/api/products',
    {
      schema: {
        tags,
        summary: 'Create a product; it starts in research',
        body: Body({
          name: Text(200),
          departmentId: Uuid,
          tier: StringEnum(TIERS),
          ownerId: Uuid,
          vendor: Type.Optional(Text(200)),
        }),
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createProduct(ctx, actorOf(request), request.body as NewProductInput)),
  );

  app.get(
    '/api/products',
    {
      schema: {
        tags,
        summary: 'List the products you may see',
        querystring: Type.Object(
          {
            stage: Type.Optional(StringEnum(STAGES)),
            departmentId: Type.Optional(Uuid),
            tier: Type.Optional(StringEnum(TIERS)),
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
        stage?: string;
        departmentId?: string;
        tier?: string;
      };
      return paged({ ...(cursor ? { cursor } : {}), limit }, (window) =>
        getProducts(ctx, actorOf(request), { ...filter, ...window }),
      );
    },
  );

  app.get(
    '/api/products/:id',
    { schema: { tags, summary: 'A product with its stage, version and allowed events', params: IdParams } },
    async (request) => getProduct(ctx, actorOf(request), (request.params as { id: string }).id),
  );

  app.put(
    '/api/products/:id/sheet',
    {
      schema: {
        tags,
        summary: 'Save the product information sheet (drafts allowed)',
        params: IdParams,
        body: SheetBody,
      },
    },
    async (request) =>
      saveSheet(ctx, actorOf(request), (request.params as { id: string }).id, request.body as Sheet),
  );

  app.post(
    '/api/products/:id/competitor-prices',
    {
      schema: {
        tags,
        summary: 'Record a competitor price observation',
        params: IdParams,
        body: Body({
          competitor: Text(200),
          priceFen: PositiveFen,
          observedAt: Day,
          platform: Type.Optional(Text(100)),
          note: Type.Optional(Type.String({ maxLength: 2000 })),
        }),
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await addCompetitorPrice(
            ctx,
            actorOf(request),
            (request.params as { id: string }).id,
            request.body as CompetitorPriceInput,
          ),
        ),
  );
  app.get(
    '/api/products/:id/competitor-prices',
    { schema: { tags, summary: 'Competitor price observations', params: IdParams } },
    async (request) => ({
      items: await getCompetitorPrices(ctx, actorOf(request), (request.params as { id: string }).id),
    }),
  );

  app.put(
    '/api/products/:id/target-customers',
    {
      schema: {
        tags,
        summary: 'Describe the target customers',
        params: IdParams,
        body: Body({ description: Text(5000) }),
      },
    },
    async (request) =>
      setTargetCustomers(
        ctx,
        actorOf(request),
        (request.params as { id: string }).id,
        (request.body as { description: string }).description,
      ),
  );

  app.put(
    '/api/products/:id/costs',
    {
      schema: {
        tags,
        summary: 'Set the unit cost parts',
        params: IdParams,
        body: Body({ consumablesFen: Fen, labourFen: Fen, overheadFen: Fen, marketingFen: Fen }),
      },
    },
    async (request) =>
      setCosts(ctx, actorOf(request), (request.params as { id: string }).id, request.body as CostsInput),
  );

  app.put(
    '/api/products/:id/prices',
    {
      schema: {
        tags,
        summary: 'Replace the price list',
        params: IdParams,
        body: Body({
          prices: Type.Array(
            Type.Object(
              {
                type: StringEnum(PRICE_TYPES),
                amountFen: PositiveFen,
                sessions: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
              },
              { additionalProperties: false },
            ),
            { maxItems: PRICE_TYPES.length },
          ),
        }),
      },
    },
    async (request) =>
      setPrices(
        ctx,
        actorOf(request),
        (request.params as { id: string }).id,
        (request.body as { prices: PriceInput[] }).prices,
      ),
  );

  app.put(
    '/api/products/:id/launch-branches',
    {
      schema: {
        tags,
        summary: 'Choose the launching branches and target launch date',
        params: IdParams,
        body: Body({ branchIds: Type.Array(Uuid, { minItems: 1, maxItems: 200 }), targetLaunchDate: Day }),
      },
    },
    async (request) =>
      setLaunchBranches(
        ctx,
        actorOf(request),
        (request.params as { id: string }).id,
        request.body as { branchIds: string[]; targetLaunchDate: string },
      ),
  );

  app.post(
    '/api/products/:id/trainees',
    {
      schema: {
        tags,
        summary: 'Register a trainee',
        params: IdParams,
        body: Body({ branchId: Uuid, name: Text(100), role: StringEnum(TRAINEE_ROLES) }),
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await addTrainee(
            ctx,
            actorOf(request),
            (request.params as { id: string }).id,
            request.body as Parameters<typeof addTrainee>[3],
          ),
        ),
  );
  app.post(
    '/api/products/:id/trainees/:traineeId/result',
    {
      schema: {
        tags,
        summary: 'Record a training result',
        params: Type.Object({ id: Uuid, traineeId: Uuid }),
        body: Body({
          passed: Type.Boolean(),
          score: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
          at: Instant,
        }),
      },
    },
    async (request) => {
      const params = request.params as { id: string; traineeId: string };
      return setTraineeResult(
        ctx,
        actorOf(request),
        params.id,
        params.traineeId,
        request.body as { passed: boolean; score?: number; at: string },
      );
    },
  );
  app.get(
    '/api/products/:id/trainees',
    { schema: { tags, summary: 'Trainees and their results', params: IdParams } },
    async (request) => ({
      items: await getTrainees(ctx, actorOf(request), (request.params as { id: string }).id),
    }),
  );

  app.put(
    '/api/products/:id/retirement',
    {
      schema: {
        tags: ['lifecycle'],
        summary: 'Prepaid sessions still to honour and the last day they will be (the retirement gate)',
        params: IdParams,
        body: Body({
          outstandingPrepaidSessions: Type.Integer({ minimum: 0, maximum: 10_000_000 }),
          endOn: Type.Optional(Day),
        }),
      },
    },
    async (request) =>
      setRetirementTerms(
        ctx,
        actorOf(request),
        (request.params as { id: string }).id,
        request.body as { outstandingPrepaidSessions: number; endOn?: string },
      ),
  );

  app.post(
    '/api/products/:id/events',
    {
      schema: {
        tags: ['lifecycle'],
        summary: 'Send a lifecycle event (409 not accepted here, 422 a gate refuses, 403 not yours to send)',
        params: IdParams,
        body: Body({
          type: StringEnum(LIFECYCLE_EVENTS),
          reason: Type.Optional(Type.String({ maxLength: 2000 })),
          endOn: Type.Optional(Day),
        }),
      },
    },
    async (request) =>
      sendLifecycleEvent(
        ctx,
        actorOf(request),
        (request.params as { id: string }).id,
        request.body as LifecycleEventInput,
      ),
  );
  app.get(
    '/api/products/:id/history',
    { schema: { tags: ['lifecycle'], summary: 'Every transition', params: IdParams } },
    async (request) => ({
      items: await getHistory(ctx, actorOf(request), (request.params as { id: string }).id),
    }),
  );
}
