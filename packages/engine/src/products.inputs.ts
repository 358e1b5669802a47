import Type, { type Static } from 'typebox';
import { LIFECYCLE_EVENTS, PRICE_TYPES, TIERS, TRAINEE_ROLES } from '@tower/domain';
import { Body, Day, Fen, Instant, PositiveFen, StringEnum, Text, Uuid } from './schemas.js';

export const NewProductBody = Body({
  name: Text(200),
  departmentId: Uuid,
  tier: StringEnum(TIERS),
  ownerId: Uuid,
  vendor: Type.Optional(Text(200)),
});
export type NewProductInput = Static<typeof NewProductBody>;

const SheetText = Type.Optional(Type.String({ maxLength: 20_000 }));
export const SheetBody = Body({
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
export type SheetInput = Static<typeof SheetBody>;

export const CompetitorPriceBody = Body({
  competitor: Text(200),
  priceFen: PositiveFen,
  observedAt: Day,
  platform: Type.Optional(Text(100)),
  note: Type.Optional(Type.String({ maxLength: 2000 })),
});
export type CompetitorPriceInput = Static<typeof CompetitorPriceBody>;

export const TargetCustomersBody = Body({ description: Text(5000) });
export type TargetCustomersInput = Static<typeof TargetCustomersBody>;

export const CostsBody = Body({ consumablesFen: Fen, labourFen: Fen, overheadFen: Fen, marketingFen: Fen });
export type CostsInput = Static<typeof CostsBody>;

export const PriceItem = Type.Object(
  {
    type: StringEnum(PRICE_TYPES),
    amountFen: PositiveFen,
    sessions: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);
export type PriceInput = Static<typeof PriceItem>;
export const PricesBody = Body({ prices: Type.Array(PriceItem, { maxItems: PRICE_TYPES.length }) });

export const LaunchBranchesBody = Body({
  branchIds: Type.Array(Uuid, { minItems: 1, maxItems: 200 }),
  targetLaunchDate: Day,
});
export type LaunchBranchesInput = Static<typeof LaunchBranchesBody>;

export const TraineeBody = Body({ branchId: Uuid, name: Text(100), role: StringEnum(TRAINEE_ROLES) });
export type TraineeInput = Static<typeof TraineeBody>;

export const TraineeResultBody = Body({
  passed: Type.Boolean(),
  score: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  at: Instant,
});
export type TraineeResultInput = Static<typeof TraineeResultBody>;

export const RetirementBody = Body({
  outstandingPrepaidSessions: Type.Integer({ minimum: 0, maximum: 10_000_000 }),
  endOn: Type.Optional(Day),
});
export type RetirementInput = Static<typeof RetirementBody>;

export const LifecycleEventBody = Body({
  type: StringEnum(LIFECYCLE_EVENTS),
  reason: Type.Optional(Type.String({ maxLength: 2000 })),
  /** With RETIRE: the last day prepaid session cards are honoured. */
  endOn: Type.Optional(Day),
});
export type LifecycleEventInput = Static<typeof LifecycleEventBody>;
