import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type, { type TSchema } from 'typebox';
import {
  ABC_CLASSES,
  QUADRANTS,
  QUARTER_PATTERN,
  REVIEW_DECISIONS,
  ROLES_THAT_MAY,
  SUGGESTION_KINDS,
  TIERS,
} from '@tower/domain';
import {
  getReview,
  getReviewReport,
  getReviews,
  recordReviewDecision,
  requestQuarterlyReview,
  ReviewDecisionBody,
  ReviewRequestBody,
  type EngineContext,
} from '@tower/engine';
import { actorOf } from '../plugins/auth.js';
import { paged } from '../pagination.js';
import { InstantOut as Instant } from '../responses.js';
import { Day, IdParams, PageQuery, replies, StringEnum, Uuid } from '../schemas.js';

const tags = ['reviews'];
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Int = Type.Integer();
const Num = Type.Number();

const ReviewSummary = Type.Object({
  id: Uuid,
  quarter: Type.String({ pattern: QUARTER_PATTERN }),
  from: Day,
  to: Day,
  status: Type.Union([Type.Literal('pending'), Type.Literal('ready')]),
  productCount: Int,
  departmentCount: Int,
  computedAt: Nullable(Instant),
  computeMs: Nullable(Int),
  runs: Int,
  createdAt: Instant,
});

const DecisionOut = Type.Object({
  productId: Uuid,
  decision: StringEnum(REVIEW_DECISIONS),
  note: Type.String(),
  decidedBy: Uuid,
  decidedAt: Instant,
  lifecycleEvent: Nullable(Type.String()),
});

const Row = Type.Object({
  productId: Uuid,
  name: Type.String(),
  tier: StringEnum(TIERS),
  stage: Type.String(),
  launchedOn: Nullable(Day),
  retiredOn: Nullable(Day),
  launchedInQuarter: Type.Boolean(),
  retiredInQuarter: Type.Boolean(),
  units: Int,
  orders: Int,
  revenueFen: Int,
  costFen: Nullable(Int),
  grossMarginFen: Nullable(Int),
  grossMarginPercent: Nullable(Num),
  minGrossMarginPercent: Num,
  belowTierMinimum: Type.Boolean(),
  previousGrossMarginPercent: Nullable(Num),
  previousBelowTierMinimum: Type.Boolean(),
  previousRevenueFen: Int,
  lastYearRevenueFen: Int,
  growthPercent: Nullable(Num),
  growthYearOnYearPercent: Nullable(Num),
  sharePercent: Num,
  complaints: Int,
  complaintsPer100Orders: Nullable(Num),
  repurchaseRatePercent: Nullable(Num),
  averageDiscountPercent: Nullable(Num),
  quadrant: StringEnum(QUADRANTS),
  abc: StringEnum(ABC_CLASSES),
  decision: Nullable(DecisionOut),
});

const ShapeTier = Type.Object({
  tier: StringEnum(TIERS),
  products: Int,
  revenueFen: Int,
  revenuePercent: Num,
  target: Type.Object({ minProducts: Int, minRevenuePercent: Num, maxRevenuePercent: Num }),
  status: StringEnum(['ok', 'missing', 'too_few', 'below', 'above'] as const),
});

const Suggestion = Type.Object({
  kind: StringEnum(SUGGESTION_KINDS),
  productId: Nullable(Uuid),
  tier: Nullable(StringEnum(TIERS)),
  decision: Nullable(StringEnum(REVIEW_DECISIONS)),
  reason: Type.String(),
  reasonEn: Type.String(),
});

const DepartmentOut = Type.Object({
  departmentId: Uuid,
  departmentName: Type.String(),
  taskId: Nullable(Uuid),
  totals: Type.Object({ products: Int, revenueFen: Int, grossMarginFen: Int, units: Int, orders: Int }),
  rows: Type.Array(Row),
  shape: Type.Array(ShapeTier),
  suggestions: Type.Array(Suggestion),
});

const ReviewOut = Type.Object({ ...ReviewSummary.properties, departments: Type.Array(DepartmentOut) });

const LifecycleOut = Type.Object({
  stage: Type.String(),
  subState: Nullable(Type.String()),
  version: Int,
  from: Type.String(),
});

export function reviewRoutes(instance: FastifyInstance, ctx: EngineContext): void {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/api/reviews/quarterly',
    {
      schema: {
        tags,
        summary: `Run a quarter's review now (${ROLES_THAT_MAY.runReviews.join(', ')}); the same quarter → the same review`,
        body: ReviewRequestBody,
        response: replies({ 202: Type.Object({ reviewId: Uuid }) }, [400, 422]),
      },
    },
    async (request, reply) => {
      const { reviewId } = await requestQuarterlyReview(ctx, actorOf(request), request.body.quarter);
      return reply.status(202).send({ reviewId });
    },
  );
  app.get(
    '/api/reviews',
    {
      schema: {
        tags,
        summary: 'Quarterly reviews (without their figures)',
        querystring: Type.Object({ ...PageQuery }, { additionalProperties: false }),
        response: replies(
          { 200: Type.Object({ items: Type.Array(ReviewSummary), nextCursor: Nullable(Type.String()) }) },
          [400],
        ),
      },
    },
    async (request) =>
      paged(
        {
          ...(request.query.cursor ? { cursor: request.query.cursor } : {}),
          limit: request.query.limit ?? 50,
        },
        (window) => getReviews(ctx, actorOf(request), window),
      ),
  );
  app.get(
    '/api/reviews/:id',
    {
      schema: {
        tags,
        summary: 'A review per department: rows per product (with decisions), tower shape, suggestions, task',
        params: IdParams,
        response: replies({ 200: ReviewOut }, [400, 404]),
      },
    },
    async (request) => getReview(ctx, actorOf(request), request.params.id),
  );
  app.get(
    '/api/reviews/:id/report.csv',
    {
      schema: {
        tags,
        summary: 'The review as CSV (UTF-8 with BOM, Chinese labels), one row per product',
        params: IdParams,
        produces: ['text/csv'],
        response: replies({ 200: Type.String({ description: 'text/csv; charset=utf-8' }) }, [400, 404]),
      },
    },
    async (request, reply) => {
      const { quarter, csv } = await getReviewReport(ctx, actorOf(request), request.params.id);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="product-tower-review-${quarter}.csv"`)
        .send(csv);
    },
  );
  app.post(
    '/api/reviews/:id/decisions',
    {
      schema: {
        tags,
        summary:
          'Record a decision on one product of the review; reprice/repackage/retrain/retire move the product',
        params: IdParams,
        body: ReviewDecisionBody,
        response: replies(
          {
            201: Type.Object({
              reviewId: Uuid,
              ...DecisionOut.properties,
              lifecycle: Nullable(LifecycleOut),
            }),
          },
          [400, 404, 409, 422],
        ),
      },
    },
    async (request, reply) =>
      reply.status(201).send(
        await recordReviewDecision(ctx, actorOf(request), request.params.id, {
          productId: request.body.productId,
          decision: request.body.decision,
          note: request.body.note,
        }),
      ),
  );
}
