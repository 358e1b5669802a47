import Type, { type Static } from 'typebox';
import { CALENDAR_DAY_KINDS, COMPLAINT_CATEGORIES, SEVERITIES } from '@tower/domain';
import { Body, Day, Fen, Instant, Month, PositiveFen, StringEnum, Text, Uuid } from './schemas.js';

const Count = Type.Integer({ minimum: 0, maximum: 10_000_000 });

export const SalesRowItem = Type.Object(
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
);
export type SalesInputRow = Static<typeof SalesRowItem>;
export const SalesBody = Body({ rows: Type.Array(SalesRowItem, { minItems: 1 }) });

export const ComplaintBody = Body({
  externalId: Text(200),
  productId: Uuid,
  branchId: Uuid,
  occurredAt: Instant,
  category: StringEnum(COMPLAINT_CATEGORIES),
  severity: StringEnum(SEVERITIES),
  text: Text(10_000),
  customerPhone: Type.Optional(Type.String({ maxLength: 30 })),
});
export type ComplaintInput = Static<typeof ComplaintBody>;

export const CompetitorPriceRowItem = Type.Object(
  {
    productId: Uuid,
    competitor: Text(200),
    priceFen: PositiveFen,
    observedAt: Day,
    platform: Type.Optional(Text(100)),
  },
  { additionalProperties: false },
);
export type CompetitorPriceRow = Static<typeof CompetitorPriceRowItem>;
export const CompetitorPricesBody = Body({ rows: Type.Array(CompetitorPriceRowItem, { minItems: 1 }) });

export const CostChangeBody = Body({
  productId: Uuid,
  consumablesFen: Type.Optional(Fen),
  labourFen: Type.Optional(Fen),
  overheadFen: Type.Optional(Fen),
  marketingFen: Type.Optional(Fen),
  effectiveOn: Day,
});
export type CostChangeInput = Static<typeof CostChangeBody>;

export const SalesTargetBody = Body({
  branchId: Uuid,
  month: Month,
  units: Type.Optional(Count),
  revenueFen: Type.Optional(Fen),
});
export type SalesTargetInput = Static<typeof SalesTargetBody>;

export const CalendarDayItem = Type.Object(
  { date: Day, kind: StringEnum(CALENDAR_DAY_KINDS), name: Text(100) },
  { additionalProperties: false },
);
export type CalendarDayInput = Static<typeof CalendarDayItem>;
export const CalendarDaysBody = Body({ days: Type.Array(CalendarDayItem, { minItems: 1, maxItems: 1000 }) });
