import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { STAGES, TIERS } from '@tower/domain';
import {
  addCompetitorPrice,
  addTrainee,
  CompetitorPriceBody,
  CostsBody,
  createProduct,
  getCompetitorPrices,
  getHistory,
  getProduct,
  getProducts,
  getTrainees,
  LaunchBranchesBody,
  LifecycleEventBody,
  NewProductBody,
  PricesBody,
  RetirementBody,
  saveSheet,
  sendLifecycleEvent,
  setCosts,
  setLaunchBranches,
  setPrices,
  setRetirementTerms,
  setTargetCustomers,
  setTraineeResult,
  SheetBody,
  TargetCustomersBody,
  TraineeBody,
  TraineeResultBody,
  type EngineContext,
} from '@tower/engine';
import { actorOf } from '../plugins/auth.js';
import { paged } from '../pagination.js';
import { IdParams, PageQuery, replies, StringEnum, Uuid } from '../schemas.js';
import {
  CompetitorPriceOut,
  Created,
  InstantOut,
  Items,
  LifecycleEventOut,
  Page,
  ProductDetailOut,
  ProductOut,
  TraineeOut,
  TransitionOut,
} from '../responses.js';

const tags = ['products'];
const Int = Type.Integer();

/** What an edit of one product part answers (the part as saved). */
const Saved = {
  sheet: Type.Object({}, { additionalProperties: true }),
  targetCustomers: Type.Object({ description: Type.String() }, { additionalProperties: true }),
  costs: Type.Object(
    {
      consumablesFen: Int,
      labourFen: Int,
      overheadFen: Int,
      marketingFen: Int,
      unitCostFen: Int,
    },
    { additionalProperties: true },
  ),
  prices: Type.Object(
    {
      prices: Type.Array(
        Type.Object(
          { type: Type.String(), amountFen: Int, sessions: Type.Union([Int, Type.Null()]) },
          { additionalProperties: true },
        ),
      ),
    },
    { additionalProperties: true },
  ),
  launchBranches: Type.Object(
    { branchIds: Type.Array(Uuid), targetLaunchDate: Type.String() },
    { additionalProperties: true },
  ),
  traineeResult: Type.Object(
    { id: Uuid, passed: Type.Boolean(), at: InstantOut },
    { additionalProperties: true },
  ),
  retirement: Type.Object({ outstandingPrepaidSessions: Int }, { additionalProperties: true }),
};

/** An edit answers 404 for a product the caller cannot see, 409 when the stage or a closed product forbids it. */
const EDIT_ERRORS = [400, 404, 409] as const;

export function productRoutes(instance: FastifyInstance, ctx: EngineContext): void {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/api/products',
    {
      schema: {
        tags,
        summary: 'Create a product; it starts in research',
        body: NewProductBody,
        response: replies({ 201: ProductOut }, [400]),
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createProduct(ctx, actorOf(request), request.body)),
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
            branchId: Type.Optional(
              Type.String({
                format: 'uuid',
                description:
                  "that branch's tower: products launching, launched or selling there, and those planned for no branch yet",
              }),
            ),
            ...PageQuery,
          },
          { additionalProperties: false },
        ),
        response: replies({ 200: Page(ProductOut) }, [400]),
      },
    },
    async (request) => {
      const { cursor, limit = 50, ...filter } = request.query;
      return paged({ ...(cursor ? { cursor } : {}), limit }, (window) =>
        getProducts(ctx, actorOf(request), { ...filter, ...window }),
      );
    },
  );

  app.get(
    '/api/products/:id',
    {
      schema: {
        tags,
        summary: 'A product with its stage, version and allowed events',
        params: IdParams,
        response: replies({ 200: ProductDetailOut }, [400, 404]),
      },
    },
    async (request) => getProduct(ctx, actorOf(request), request.params.id),
  );

  app.put(
    '/api/products/:id/sheet',
    {
      schema: {
        tags,
        summary: 'Save the product information sheet (drafts allowed)',
        params: IdParams,
        body: SheetBody,
        response: replies({ 200: Saved.sheet }, EDIT_ERRORS),
      },
    },
    async (request) => saveSheet(ctx, actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/api/products/:id/competitor-prices',
    {
      schema: {
        tags,
        summary: 'Record a competitor price observation',
        params: IdParams,
        body: CompetitorPriceBody,
        response: replies({ 201: Created }, EDIT_ERRORS),
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await addCompetitorPrice(ctx, actorOf(request), request.params.id, request.body)),
  );
  app.get(
    '/api/products/:id/competitor-prices',
    {
      schema: {
        tags,
        summary: 'Competitor price observations',
        params: IdParams,
        response: replies({ 200: Items(CompetitorPriceOut) }, [400, 404]),
      },
    },
    async (request) => ({
      items: await getCompetitorPrices(ctx, actorOf(request), request.params.id),
    }),
  );

  app.put(
    '/api/products/:id/target-customers',
    {
      schema: {
        tags,
        summary: 'Describe the target customers',
        params: IdParams,
        body: TargetCustomersBody,
        response: replies({ 200: Saved.targetCustomers }, EDIT_ERRORS),
      },
    },
    async (request) => setTargetCustomers(ctx, actorOf(request), request.params.id, request.body.description),
  );

  app.put(
    '/api/products/:id/costs',
    {
      schema: {
        tags,
        summary: 'Set the unit cost parts',
        params: IdParams,
        body: CostsBody,
        response: replies({ 200: Saved.costs }, EDIT_ERRORS),
      },
    },
    async (request) => setCosts(ctx, actorOf(request), request.params.id, request.body),
  );

  app.put(
    '/api/products/:id/prices',
    {
      schema: {
        tags,
        summary: 'Replace the price list',
        params: IdParams,
        body: PricesBody,
        response: replies({ 200: Saved.prices }, EDIT_ERRORS),
      },
    },
    async (request) => setPrices(ctx, actorOf(request), request.params.id, request.body.prices),
  );

  app.put(
    '/api/products/:id/launch-branches',
    {
      schema: {
        tags,
        summary: 'Choose the launching branches and target launch date',
        params: IdParams,
        body: LaunchBranchesBody,
        response: replies({ 200: Saved.launchBranches }, EDIT_ERRORS),
      },
    },
    async (request) => setLaunchBranches(ctx, actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/api/products/:id/trainees',
    {
      schema: {
        tags,
        summary: 'Register a trainee',
        params: IdParams,
        body: TraineeBody,
        response: replies({ 201: Created }, EDIT_ERRORS),
      },
    },
    async (request, reply) =>
      reply.status(201).send(await addTrainee(ctx, actorOf(request), request.params.id, request.body)),
  );
  app.post(
    '/api/products/:id/trainees/:traineeId/result',
    {
      schema: {
        tags,
        summary: 'Record a training result',
        params: Type.Object({ id: Uuid, traineeId: Uuid }),
        body: TraineeResultBody,
        response: replies({ 200: Saved.traineeResult }, EDIT_ERRORS),
      },
    },
    async (request) =>
      setTraineeResult(ctx, actorOf(request), request.params.id, request.params.traineeId, request.body),
  );
  app.get(
    '/api/products/:id/trainees',
    {
      schema: {
        tags,
        summary: 'Trainees and their results',
        params: IdParams,
        response: replies({ 200: Items(TraineeOut) }, [400, 404]),
      },
    },
    async (request) => ({
      items: await getTrainees(ctx, actorOf(request), request.params.id),
    }),
  );

  app.put(
    '/api/products/:id/retirement',
    {
      schema: {
        tags: ['lifecycle'],
        summary: 'Prepaid sessions still to honour and the last day they will be (the retirement gate)',
        params: IdParams,
        body: RetirementBody,
        response: replies({ 200: Saved.retirement }, EDIT_ERRORS),
      },
    },
    async (request) => setRetirementTerms(ctx, actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/api/products/:id/events',
    {
      schema: {
        tags: ['lifecycle'],
        summary: 'Send a lifecycle event (409 not accepted here, 422 a gate refuses, 403 not yours to send)',
        params: IdParams,
        body: LifecycleEventBody,
        response: replies({ 200: LifecycleEventOut }, [400, 404, 409, 422]),
      },
    },
    async (request) => sendLifecycleEvent(ctx, actorOf(request), request.params.id, request.body),
  );
  app.get(
    '/api/products/:id/history',
    {
      schema: {
        tags: ['lifecycle'],
        summary: 'Every transition',
        params: IdParams,
        response: replies({ 200: Items(TransitionOut) }, [400, 404]),
      },
    },
    async (request) => ({
      items: await getHistory(ctx, actorOf(request), request.params.id),
    }),
  );
}
