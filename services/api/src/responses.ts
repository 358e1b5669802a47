import Type, { type TProperties, type TSchema } from 'typebox';
import { CALENDAR_DAY_KINDS, SIGNALS, TASK_SIGNALS } from '@tower/domain';
import { Day, Uuid } from '@tower/engine';

/**
 * What the routes answer. Objects allow more properties than they list (`additionalProperties`),
 * so a field an engine view gains is never silently dropped by serialization; the listed ones are
 * documented and typed.
 */
const Out = <P extends TProperties>(properties: P) => Type.Object(properties, { additionalProperties: true });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
/** An instant: the engine hands over Dates, which are serialised as ISO 8601. */
export const InstantOut = Type.Unsafe<Date | string>({ type: 'string', format: 'date-time' });
const NullableInstant = Type.Unsafe<Date | string | null>({
  anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }],
});
/**
 * One of `values` on the wire (documented as an enum, so the web client gets the union); typed as a
 * string on the server, where views read these columns as text.
 */
export const OneOf = (values: readonly string[]) =>
  Type.Unsafe<string>({ type: 'string', enum: [...values] });
/** The product sheet: text fields and lists of text. */
const SheetOut = Type.Unsafe<Record<string, string | string[] | undefined>>({
  type: 'object',
  additionalProperties: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
});
const NullableUuid = Nullable(Uuid);
const NullableText = Nullable(Type.String());
const NullableDay = Nullable(Day);
const NullableInt = Type.Union([Type.Integer(), Type.Null()]);

export const Items = <T extends ReturnType<typeof Out>>(item: T) => Out({ items: Type.Array(item) });
export const Page = <T extends ReturnType<typeof Out>>(item: T) =>
  Out({ items: Type.Array(item), nextCursor: NullableText });

export const Accepted = Out({ accepted: Type.Integer() });
export const Created = Out({ id: Uuid });

export const OrgUnitOut = Out({ id: Uuid, code: Type.String(), name: Type.String(), createdAt: InstantOut });

export const RoleGrantOut = Out({ role: Type.String(), departmentId: NullableUuid, branchId: NullableUuid });
export const PersonOut = Out({
  id: Uuid,
  name: Type.String(),
  email: Type.String(),
  active: Type.Boolean(),
  createdAt: InstantOut,
  roles: Type.Array(RoleGrantOut),
  channels: Type.Optional(Type.Array(Out({ id: Uuid, kind: Type.String(), url: Type.String() }))),
});
export const LoginOut = Out({ token: Type.String(), person: PersonOut });
export const ApiKeyCreatedOut = Out({ id: Uuid, key: Type.String(), name: Type.String() });
export const ApiKeyOut = Out({
  id: Uuid,
  name: Type.String(),
  scopes: Type.Array(Type.String()),
  createdAt: InstantOut,
  revokedAt: NullableInstant,
});

export const ProductOut = Out({
  id: Uuid,
  name: Type.String(),
  departmentId: Uuid,
  tier: Type.String(),
  ownerId: Uuid,
  vendor: NullableText,
  stage: Type.String(),
  subState: NullableText,
  version: Type.Integer(),
  allowedEvents: Type.Array(Type.String()),
  stageEnteredAt: InstantOut,
  createdAt: InstantOut,
  updatedAt: InstantOut,
});
export const ProductDetailOut = Out({
  ...ProductOut.properties,
  sheet: SheetOut,
  targetCustomers: NullableText,
  targetLaunchDate: NullableDay,
  launchBranchIds: Type.Array(Uuid),
  competitorPriceCount: Type.Integer(),
  costs: Type.Union([
    Out({
      consumablesFen: Type.Integer(),
      labourFen: Type.Integer(),
      overheadFen: Type.Integer(),
      marketingFen: Type.Integer(),
      unitCostFen: Type.Integer(),
    }),
    Type.Null(),
  ]),
  floorFen: NullableInt,
  prices: Type.Array(Out({ type: Type.String(), amountFen: Type.Integer(), sessions: NullableInt })),
  belowFloorApprovals: Type.Array(
    Out({
      type: Type.String(),
      amountFen: Type.Integer(),
      approvedBy: Uuid,
      reason: Type.String(),
      createdAt: InstantOut,
    }),
  ),
  retirementEndOn: NullableDay,
  outstandingPrepaidSessions: Type.Integer(),
});
export const LifecycleEventOut = Out({
  stage: Type.String(),
  subState: NullableText,
  version: Type.Integer(),
  from: Type.String(),
});
export const CompetitorPriceOut = Out({
  id: Uuid,
  competitor: Type.String(),
  priceFen: Type.Integer(),
  observedAt: Day,
  platform: NullableText,
  note: NullableText,
  createdAt: InstantOut,
});
export const TraineeOut = Out({
  id: Uuid,
  branchId: Uuid,
  name: Type.String(),
  role: Type.String(),
  passed: Type.Union([Type.Boolean(), Type.Null()]),
  score: Type.Union([Type.Number(), Type.Null()]),
  resultAt: NullableInstant,
  createdAt: InstantOut,
});
export const TransitionOut = Out({
  at: InstantOut,
  actor: NullableUuid,
  event: Type.String(),
  from: NullableText,
  to: Type.String(),
  version: Type.Integer(),
  reason: NullableText,
});

export const LaunchItemOut = Out({
  id: Uuid,
  productId: Uuid,
  branchId: Uuid,
  ownerRole: Type.String(),
  departmentId: NullableUuid,
  title: Type.String(),
  dueOn: Day,
  required: Type.Boolean(),
  status: Type.String(),
  overdue: Type.Boolean(),
  completedBy: NullableUuid,
  completedAt: NullableInstant,
  note: NullableText,
});
export const LaunchChecklistOut = Out({ items: Type.Array(LaunchItemOut) });

/**
 * A detector's figures as they were when it fired. The dashboard words them per signal in its language
 * (`evidenceText` in @tower/domain); `summary` is the same in English, for integrations and notifications.
 */
const EVIDENCE_FIELDS = [
  "The figures behind the signal (dates YYYY-MM-DD, money in fen), by the task's signal; `summary` is one English sentence.",
  'sales_dip: scope (branch|chain), window {from,to}, windowDays, longWindow, comparableDays, excludedDates, units, expectedUnits, baselineWeeks, baselineUnitsPerWeek, dropPercent, thresholdPercent, test (poisson|negative_binomial), pValue, significance, tightening? {level,falseAlarms}, persistedDays, persistenceDays, branchId? (a branch dip added to the chain-wide task).',
  'target_miss: month, daysElapsed, daysInMonth, thresholdPercent, units? and revenueFen? {actual,target,proRated,percentOfProRated,missed}.',
  'complaint_spike: asOf, countWindow, complaintsInCountWindow, countThreshold, rateWindow, complaintsInRateWindow, ordersInRateWindow, ratePer100Orders, rateThreshold, ownRate? {baselineComplaints,baselineOrders,baselineDays,per100Orders,expectedComplaints,pValue,significance}, firedOn (count|rate).',
  'severe_complaint: complaintId, category, severity, occurredAt.',
  'margin_erosion: from sales window, units, revenueFen, averagePriceFen, floorFen; from a cost change floorFen, effectiveOn?, pricesUnderFloor and approvedBelowFloor [{type,amountFen,shortFen}].',
  'competitor_undercut: ourPriceFen, thresholdPercent, competitorsCompared, undercuts [{competitor,platform?,priceFen,observedAt,belowPercent}].',
  'stage_stalled: stage, enteredAt, daysInStage, maxDays. launch_item_overdue: itemId, title, titleZh?, dueOn, status, daysOverdue.',
  'quarterly_review: reviewId, quarter, departmentId, departmentName, link, products, suggestions.',
].join(' ');
export const EvidenceOut = Out({ firedOn: Day, data: Type.Unknown({ description: EVIDENCE_FIELDS }) });
export const TaskOut = Out({
  id: Uuid,
  signal: OneOf(TASK_SIGNALS),
  /** null on a quarterly review's department task (which names `departmentId` and `reviewId`). */
  productId: NullableUuid,
  departmentId: Type.Optional(NullableUuid),
  reviewId: Type.Optional(NullableUuid),
  branchId: NullableUuid,
  severity: Type.String(),
  status: Type.String(),
  assignees: Type.Array(Uuid),
  informed: Type.Array(Uuid),
  dueAt: InstantOut,
  escalationLevel: Type.Integer(),
  lastFiredOn: NullableDay,
  decision: NullableText,
  resolutionNote: NullableText,
  resolvedBy: NullableUuid,
  resolvedAt: NullableInstant,
  acknowledgedBy: NullableUuid,
  acknowledgedAt: NullableInstant,
  feedbackUseful: Type.Union([Type.Boolean(), Type.Null()]),
  createdAt: InstantOut,
  evidence: Type.Array(EvidenceOut),
});
export const ResolvedTaskOut = Out({
  ...TaskOut.properties,
  lifecycle: Type.Optional(Out({ stage: Type.String(), version: Type.Integer() })),
});
export const FeedbackOut = Out({ id: Uuid, feedbackUseful: Type.Boolean() });
export const CommentOut = Out({ id: Uuid, authorId: Uuid, text: Type.String(), createdAt: InstantOut });
export const TaskDetailOut = Out({
  ...TaskOut.properties,
  comments: Type.Array(CommentOut),
  notifications: Type.Array(Out({ id: Uuid, status: Type.String() })),
});
export const SilenceOut = Out({
  id: Uuid,
  productId: Uuid,
  signal: OneOf(SIGNALS),
  branchId: NullableUuid,
  until: InstantOut,
  reason: Type.String(),
  createdBy: NullableUuid,
  createdAt: InstantOut,
});

export const CalendarDayOut = Out({ date: Day, kind: OneOf(CALENDAR_DAY_KINDS), name: Type.String() });
export const HealthOut = Out({ status: Type.String(), postgres: Type.String(), redis: Type.String() });
export const RulesOut = Out({});
