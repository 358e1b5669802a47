import Type, { type Static, type TSchema } from 'typebox';
import { COMPLAINT_CATEGORIES, PRE_LAUNCH_STAGES, ROLES, SEVERITIES, SIGNALS, TIERS } from '@tower/domain';
import { StringEnum } from './schemas.js';

const Percent = Type.Number({ minimum: 0, maximum: 1000 });
const Days = Type.Integer({ minimum: 1, maximum: 3660 });
const Count = Type.Integer({ minimum: 0, maximum: 1_000_000 });

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
    windowDays: Type.Integer({ minimum: 1, maximum: 28 }),
    baselineWeeks: Type.Integer({ minimum: 1, maximum: 26 }),
    minBaselineUnitsPerWeek: Count,
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
  }),
  severeComplaint: Partial({
    categories: Type.Array(StringEnum(COMPLAINT_CATEGORIES), { uniqueItems: true }),
  }),
  marginErosion: Partial({ windowDays: Days }),
  competitorUndercut: Partial({ undercutPercent: Type.Number({ minimum: 0, maximum: 100 }) }),
  stageStalled: Partial({ maxDays: keyed(PRE_LAUNCH_STAGES, Days) }),
  autoResolveDays: Days,
});
export type RulesPatchInput = Static<typeof RulesPatch>;
