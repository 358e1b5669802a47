import Type, { type Static, type TSchema } from 'typebox';
import { COMPLAINT_CATEGORIES, PRE_LAUNCH_STAGES, ROLES, SEVERITIES, SIGNALS, TIERS } from '@tower/domain';
import { StringEnum } from './schemas.js';

const Percent = Type.Number({ minimum: 0, maximum: 1000 });
const Days = Type.Integer({ minimum: 1, maximum: 3660 });
const Count = Type.Integer({ minimum: 0, maximum: 1_000_000 });
/** A one-sided significance level: above 0, at most 0.5. */
const Probability = Type.Number({ exclusiveMinimum: 0, maximum: 0.5 });

/** Every field optional: a PUT merges over the rules in force. Unknown fields are refused. */
const Partial = (properties: Record<string, TSchema>) =>
  Type.Object(Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, Type.Optional(v)])), {
    additionalProperties: false,
  });

const keyed = (keys: readonly string[], value: TSchema) =>
  Partial(Object.fromEntries(keys.map((k) => [k, value])));

const RouteTarget = Type.Object(
  {
    role: StringEnum(ROLES),
    scope: Type.Union([Type.Literal('owner'), Type.Literal('any'), Type.Literal('department')]),
    informOnly: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const SignalRule = Partial({
  severity: StringEnum(SEVERITIES),
  ackSlaSeconds: Type.Integer({ minimum: 1, maximum: 90 * 24 * 3600 }),
  routes: Type.Array(RouteTarget, { maxItems: 20 }),
});

export const RulesPatch = Partial({
  pricing: Partial({ minMarginPercent: keyed(TIERS, Percent), headroomPercent: Percent }),
  research: Partial({ minCompetitorPrices: Type.Integer({ minimum: 0, maximum: 100 }) }),
  signals: keyed(SIGNALS, SignalRule),
  salesDip: Partial({
    dropPercent: Type.Number({ minimum: 1, maximum: 100 }),
    significance: Probability,
    windowDays: Type.Integer({ minimum: 1, maximum: 28 }),
    longWindowDays: Type.Array(Type.Integer({ minimum: 2, maximum: 91 }), { maxItems: 4, uniqueItems: true }),
    minExpectedUnits: Type.Number({ minimum: 0, maximum: 1_000_000 }),
    baselineWeeks: Type.Integer({ minimum: 1, maximum: 26 }),
    minBaselineUnitsPerWeek: Count,
    persistenceDays: Type.Integer({ minimum: 1, maximum: 28 }),
    overdispersionSignificance: Probability,
    chainWide: Type.Boolean(),
    chainLagDays: Type.Integer({ minimum: 0, maximum: 7 }),
  }),
  targetMiss: Partial({
    minPercentOfTarget: Type.Number({ minimum: 1, maximum: 100 }),
    minDaysIntoMonth: Type.Integer({ minimum: 0, maximum: 28 }),
  }),
  complaintSpike: Partial({
    countThreshold: Type.Integer({ minimum: 1, maximum: 10_000 }),
    countWindowDays: Days,
    ratePer100Orders: Type.Number({ minimum: 0, maximum: 100 }),
    rateWindowDays: Days,
    minOrdersForRate: Count,
    baselineDays: Days,
    significance: Probability,
  }),
  severeComplaint: Partial({
    categories: Type.Array(StringEnum(COMPLAINT_CATEGORIES), { uniqueItems: true }),
  }),
  marginErosion: Partial({ windowDays: Days }),
  competitorUndercut: Partial({ undercutPercent: Type.Number({ minimum: 0, maximum: 100 }) }),
  stageStalled: Partial({ maxDays: keyed(PRE_LAUNCH_STAGES, Days) }),
  falseAlarms: Partial({
    tightenAfter: Type.Integer({ minimum: 1, maximum: 1000 }),
    significanceFactor: Type.Number({ exclusiveMinimum: 0, maximum: 1 }),
    maxLevel: Type.Integer({ minimum: 0, maximum: 10 }),
  }),
  autoResolveDays: Days,
  review: Partial({
    quadrant: Partial({
      highGrowthPercent: Type.Number({ minimum: -100, maximum: 1000 }),
      highShareVsAverage: Type.Number({ minimum: 0, maximum: 100 }),
    }),
    abc: Partial({
      aPercent: Type.Number({ minimum: 1, maximum: 100 }),
      bPercent: Type.Number({ minimum: 1, maximum: 100 }),
    }),
    promoteGrowthPercent: Type.Number({ minimum: 0, maximum: 1000 }),
    targetShape: keyed(
      TIERS,
      Partial({
        minProducts: Type.Integer({ minimum: 0, maximum: 1000 }),
        minRevenuePercent: Type.Number({ minimum: 0, maximum: 100 }),
        maxRevenuePercent: Type.Number({ minimum: 0, maximum: 100 }),
      }),
    ),
    task: Partial({
      severity: StringEnum(SEVERITIES),
      ackSlaSeconds: Type.Integer({ minimum: 1, maximum: 90 * 24 * 3600 }),
    }),
  }),
});
export type RulesPatchInput = Static<typeof RulesPatch>;
