import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type {
  CalendarDayKind,
  CellProblem,
  ChannelKind,
  ComplaintCategory,
  Decision,
  ImportKind,
  ImportStatus,
  IngestOutcome,
  LaunchItemChange,
  LaunchItemStatus,
  LifecycleEventType,
  MappingProblem,
  NotificationStatus,
  PriceType,
  ReviewDecision,
  ReviewStatus,
  Role,
  Severity,
  Signal,
  Stage,
  TaskSignal,
  TaskStatus,
  TextEncoding,
  Tier,
  TraineeRole,
} from '@tower/domain';

/** A column the database fills in on insert (defaults); optional in inserts. */
type Default<T> = ColumnType<T, T | undefined, T>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** `date` columns come back as `YYYY-MM-DD` strings (see the type parser in connection.ts). */
type DateString = ColumnType<string, string, string>;
type Json<T = unknown> = ColumnType<T, string, string>;

export interface BranchTable {
  id: Generated<string>;
  code: string;
  name: string;
  createdAt: Generated<Date>;
}
export type DepartmentTable = BranchTable;

export interface PersonTable {
  id: Generated<string>;
  name: string;
  email: string;
  passwordHash: string;
  active: Default<boolean>;
  deactivatedAt: Timestamp | null;
  deactivationReason: string | null;
  createdAt: Generated<Date>;
  updatedAt: Timestamp;
}
export interface PersonRoleTable {
  id: Generated<string>;
  personId: string;
  role: Role;
  departmentId: string | null;
  branchId: string | null;
}
export interface PersonChannelTable {
  id: Generated<string>;
  personId: string;
  kind: ChannelKind;
  url: string;
  /** The robot's signing secret (DingTalk 加签, Feishu 签名校验); never logged, shown to owner and admins. */
  secret: string | null;
}
export interface SessionTable {
  id: Generated<string>;
  personId: string;
  tokenHash: string;
  createdAt: Generated<Date>;
  expiresAt: Timestamp;
  revokedAt: Date | null;
}
export interface ApiKeyTable {
  id: Generated<string>;
  name: string;
  keyHash: string;
  scopes: string[];
  createdBy: string | null;
  createdAt: Generated<Date>;
  revokedAt: Date | null;
}

export interface ProductTable {
  id: Generated<string>;
  name: string;
  departmentId: string;
  tier: Tier;
  ownerId: string;
  vendor: string | null;
  stage: Stage;
  stageEnteredAt: Timestamp;
  snapshot: Json;
  version: Default<number>;
  sheet: Json<Record<string, unknown>>;
  targetCustomers: string | null;
  targetLaunchDate: DateString | null;
  retirementEndOn: DateString | null;
  outstandingPrepaidSessions: Default<number>;
  createdAt: Generated<Date>;
  updatedAt: Timestamp;
}
export interface CompetitorPriceTable {
  id: Generated<string>;
  productId: string;
  competitor: string;
  priceFen: number;
  observedAt: DateString;
  platform: string | null;
  note: string | null;
  createdBy: string | null;
  createdAt: Generated<Date>;
}
export interface ProductCostTable {
  productId: string;
  consumablesFen: number;
  labourFen: number;
  overheadFen: number;
  marketingFen: number;
  effectiveOn: DateString | null;
  updatedAt: Timestamp;
}
export interface ProductPriceTable {
  productId: string;
  type: PriceType;
  amountFen: number;
  sessions: number | null;
  updatedAt: Timestamp;
}
export interface PriceApprovalTable {
  id: Generated<string>;
  productId: string;
  type: PriceType;
  amountFen: number;
  approvedBy: string;
  reason: string;
  createdAt: Generated<Date>;
}
export interface LaunchBranchTable {
  productId: string;
  branchId: string;
}
export interface TraineeTable {
  id: Generated<string>;
  productId: string;
  branchId: string;
  name: string;
  role: TraineeRole;
  passed: boolean | null;
  score: ColumnType<string | null, number | null, number | null>;
  resultAt: Timestamp | null;
  createdAt: Generated<Date>;
}
export interface LifecycleTransitionTable {
  id: Generated<number>;
  productId: string;
  event: LifecycleEventType;
  fromStage: Stage | null;
  toStage: Stage;
  version: number;
  actorId: string | null;
  reason: string | null;
  at: Generated<Date>;
}
export interface LaunchItemTable {
  id: Generated<string>;
  productId: string;
  branchId: string;
  ownerRole: Role;
  departmentId: string | null;
  title: string;
  dueOn: DateString;
  required: Default<boolean>;
  status: Default<LaunchItemStatus>;
  completedBy: string | null;
  completedAt: Timestamp | null;
  note: string | null;
  createdAt: Generated<Date>;
  /** The version of the tier's launch template that made the item. */
  templateVersion: Default<number>;
  /** The plan: due this many days before the target launch date. */
  daysBefore: Default<number>;
  titleZh: string | null;
  description: string | null;
  evidenceUrl: string | null;
  updatedAt: Timestamp;
}
export interface LaunchTemplateTable {
  tier: Tier;
  version: number;
  /** `LaunchTemplateItem[]` of `@tower/domain`. */
  items: ColumnType<unknown, string, string>;
  createdBy: string | null;
  createdAt: Timestamp;
}
export interface LaunchItemEventTable {
  id: Generated<number>;
  itemId: string;
  at: Timestamp;
  actorId: string | null;
  change: LaunchItemChange;
  note: string | null;
  evidenceUrl: string | null;
  dueOnBefore: DateString | null;
  dueOnAfter: DateString | null;
}
export interface OutboxTable {
  id: Generated<number>;
  jobName: string;
  jobId: string;
  payload: Json;
  /** When the job should run (a delayed job); null = now. */
  runAt: Timestamp | null;
  createdAt: Generated<Date>;
  sentAt: Timestamp | null;
  /** When its job finished (done, or failed for good); null while the work may still be owed. */
  completedAt: Timestamp | null;
}
export interface AuditLogTable {
  id: Generated<number>;
  at: Generated<Date>;
  actorId: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  data: Json;
}
export interface RulesTable {
  id: number;
  data: Json;
  updatedAt: Timestamp;
  updatedBy: string | null;
}

export interface SalesDailyTable {
  productId: string;
  branchId: string;
  date: DateString;
  channel: string;
  units: number;
  revenueFen: number;
  orders: number;
  returningOrders: number;
  updatedAt: Timestamp;
}
export interface SalesMonthlyTable {
  productId: string;
  branchId: string;
  month: DateString;
  units: number;
  revenueFen: number;
  orders: number;
  returningOrders: number;
  /** The first day of the month with units sold at the branch (null: none). */
  firstSaleOn: DateString | null;
}
export interface ComplaintTable {
  id: Generated<string>;
  externalId: string;
  productId: string;
  branchId: string;
  occurredAt: Timestamp;
  occurredOn: DateString;
  category: ComplaintCategory;
  severity: Severity;
  text: string;
  customerPhoneMasked: string | null;
  createdAt: Generated<Date>;
}
export interface CostChangeTable {
  id: Generated<string>;
  productId: string;
  consumablesFen: number | null;
  labourFen: number | null;
  overheadFen: number | null;
  marketingFen: number | null;
  effectiveOn: DateString;
  createdAt: Generated<Date>;
}
export interface SalesTargetTable {
  productId: string;
  branchId: string;
  month: DateString;
  units: number | null;
  revenueFen: number | null;
  updatedAt: Timestamp;
}
export interface CalendarDayTable {
  date: DateString;
  kind: CalendarDayKind;
  name: string;
}
export interface IdempotencyKeyTable {
  key: string;
  scope: string;
  requestHash: string;
  /** Written before 0010; read back as the outcome it stood for. */
  statusCode: number | null;
  outcome: IngestOutcome | null;
  response: Json | null;
  createdAt: Generated<Date>;
  completedAt: Timestamp | null;
}
export interface TaskTable {
  id: Generated<string>;
  /** Null only for a quarterly review task, which is about a department of a review. */
  productId: string | null;
  departmentId: Default<string | null>;
  reviewId: Default<string | null>;
  branchId: string | null;
  signal: TaskSignal;
  subjectKey: Default<string>;
  severity: Severity;
  status: TaskStatus;
  snapshot: Json;
  assignees: string[];
  informed: Default<string[]>;
  dueAt: Timestamp;
  escalationLevel: Default<number>;
  lastFiredOn: DateString | null;
  decision: Decision | null;
  resolutionNote: string | null;
  resolvedBy: string | null;
  resolvedAt: Timestamp | null;
  resolvedAsOf: DateString | null;
  acknowledgedBy: string | null;
  acknowledgedAt: Timestamp | null;
  feedbackUseful: boolean | null;
  feedbackBy: string | null;
  createdAt: Generated<Date>;
  updatedAt: Timestamp;
}
export interface TaskEvidenceTable {
  id: Generated<number>;
  taskId: string;
  firedOn: DateString;
  /** Tells apart several pieces of evidence of one day (e.g. two severe complaints). */
  evidenceKey: Default<string>;
  data: Json;
  createdAt: Generated<Date>;
}
export interface TaskCommentTable {
  id: Generated<string>;
  taskId: string;
  authorId: string;
  text: string;
  createdAt: Generated<Date>;
}
export interface SignalTable {
  id: Generated<number>;
  productId: string;
  branchId: string | null;
  signal: Signal;
  subjectKey: Default<string>;
  firedOn: DateString;
  evidenceKey: Default<string>;
  evidence: Json;
  silenced: Default<boolean>;
  taskId: string | null;
  createdAt: Generated<Date>;
}
export interface SilenceTable {
  id: Generated<string>;
  productId: string;
  signal: Signal;
  branchId: string | null;
  until: Timestamp;
  reason: string;
  createdBy: string;
  createdAt: Generated<Date>;
}
export interface NotificationTable {
  id: Generated<string>;
  taskId: string;
  personId: string;
  channelId: string | null;
  kind: ChannelKind;
  reason: string;
  status: Default<NotificationStatus>;
  attempts: Default<number>;
  createdAt: Generated<Date>;
  sentAt: Timestamp | null;
}
export interface NotificationAttemptTable {
  id: Generated<number>;
  notificationId: string;
  at: Generated<Date>;
  statusCode: number | null;
  ok: boolean;
  error: string | null;
  durationMs: number;
}

export interface ProductCostHistoryTable {
  id: Generated<number>;
  productId: string;
  effectiveFrom: DateString;
  unitCostFen: number;
  recordedAt: Generated<Date>;
}
export interface ReviewTable {
  id: Generated<string>;
  quarter: string;
  status: Default<ReviewStatus>;
  departments: ColumnType<unknown, string | undefined, string>;
  productCount: Default<number>;
  requestedBy: string | null;
  computedAt: Timestamp | null;
  computeMs: number | null;
  runs: Default<number>;
  createdAt: Generated<Date>;
  updatedAt: Timestamp;
}
export interface ReviewDecisionTable {
  reviewId: string;
  productId: string;
  decision: ReviewDecision;
  note: string;
  decidedBy: string;
  decidedAt: Generated<Date>;
  lifecycleEvent: LifecycleEventType | null;
  /** The product's stage and version when the decision was taken. */
  stage: Stage;
  productVersion: number;
}
/** The daily sales over every branch and channel: one row per product and day. */
export interface SalesProductDailyTable {
  productId: string;
  date: DateString;
  units: number;
  revenueFen: number;
  orders: number;
  returningOrders: number;
}
/** The monthly rollup over every branch: one row per product and month. */
export interface SalesProductMonthlyTable {
  month: DateString;
  productId: string;
  units: number;
  revenueFen: number;
  orders: number;
  returningOrders: number;
  firstSaleOn: DateString | null;
}
export interface ListPriceHistoryTable {
  id: Generated<number>;
  productId: string;
  effectiveFrom: DateString;
  amountFen: number;
  recordedAt: Generated<Date>;
}
export interface ImportTable {
  id: Generated<string>;
  kind: ImportKind;
  status: Default<ImportStatus>;
  fileName: string;
  fileSize: Default<number>;
  fileSha256: string | null;
  sheet: string | null;
  encoding: TextEncoding | null;
  source: string;
  headers: string[];
  mapping: Json<Record<string, string>>;
  mappingProblems: ColumnType<MappingProblem[], string | undefined, string>;
  rowsTotal: Default<number>;
  rowsRefusedPreview: Default<number>;
  problemCount: Default<number>;
  problems: ColumnType<(CellProblem & { row: number })[], string | undefined, string>;
  preview: ColumnType<unknown[], string | undefined, string>;
  batchSize: number;
  error: string | null;
  createdBy: string;
  createdAt: Generated<Date>;
  uploadedAt: Timestamp | null;
  committedBy: string | null;
  committedAt: Timestamp | null;
  finishedAt: Timestamp | null;
}
export interface ImportRowTable {
  importId: string;
  seq: number;
  rowNo: number;
  line: string;
  problem: string | null;
}
export interface ImportBatchTable {
  importId: string;
  batchNo: number;
  stored: number;
  refused: number;
  doneAt: Generated<Date>;
}
export interface ImportSourceTable {
  kind: ImportKind;
  source: string;
  mapping: Json<Record<string, string>>;
  updatedBy: string | null;
  updatedAt: Timestamp;
}

/** Sales not yet judged for a (product, branch): the earliest touched data date (the watermark). */
export interface SalesEvaluationMarkTable {
  productId: string;
  branchId: string;
  fromDate: DateString;
  /** How many ingestions touched the mark: an evaluation clears it only if this has not moved. */
  touched: Generated<number>;
}

/** False alarms and the tightening they earned, per (product, signal, branch); `branchKey` is `chain` for no branch. */
export interface SignalTuningTable {
  productId: string;
  signal: Signal;
  branchKey: string;
  branchId: string | null;
  falseAlarms: Default<number>;
  level: Default<number>;
  resetAt: Timestamp | null;
  resetBy: string | null;
  updatedAt: Timestamp;
}

/** The whole database as Kysely sees it (camelCase; the CamelCasePlugin maps to snake_case). */
export interface Database {
  branches: BranchTable;
  departments: DepartmentTable;
  people: PersonTable;
  personRoles: PersonRoleTable;
  personChannels: PersonChannelTable;
  sessions: SessionTable;
  apiKeys: ApiKeyTable;
  products: ProductTable;
  competitorPrices: CompetitorPriceTable;
  productCosts: ProductCostTable;
  productPrices: ProductPriceTable;
  priceApprovals: PriceApprovalTable;
  launchBranches: LaunchBranchTable;
  trainees: TraineeTable;
  lifecycleTransitions: LifecycleTransitionTable;
  launchItems: LaunchItemTable;
  launchTemplates: LaunchTemplateTable;
  launchItemEvents: LaunchItemEventTable;
  outbox: OutboxTable;
  auditLog: AuditLogTable;
  rules: RulesTable;
  salesDaily: SalesDailyTable;
  salesMonthly: SalesMonthlyTable;
  complaints: ComplaintTable;
  costChanges: CostChangeTable;
  salesTargets: SalesTargetTable;
  salesEvaluationMarks: SalesEvaluationMarkTable;
  calendarDays: CalendarDayTable;
  idempotencyKeys: IdempotencyKeyTable;
  tasks: TaskTable;
  taskEvidence: TaskEvidenceTable;
  taskComments: TaskCommentTable;
  signals: SignalTable;
  silences: SilenceTable;
  notifications: NotificationTable;
  notificationAttempts: NotificationAttemptTable;
  productCostHistory: ProductCostHistoryTable;
  listPriceHistory: ListPriceHistoryTable;
  salesProductMonthly: SalesProductMonthlyTable;
  salesProductDaily: SalesProductDailyTable;
  reviews: ReviewTable;
  reviewDecisions: ReviewDecisionTable;
  imports: ImportTable;
  importRows: ImportRowTable;
  importBatches: ImportBatchTable;
  importSources: ImportSourceTable;
  signalTuning: SignalTuningTable;
}

export type ProductRow = Selectable<ProductTable>;
export type PersonRow = Selectable<PersonTable>;
export type PersonRoleRow = Selectable<PersonRoleTable>;
export type TaskRow = Selectable<TaskTable>;
export type LaunchItemRow = Selectable<LaunchItemTable>;
export type NewProduct = Insertable<ProductTable>;
export type ProductUpdate = Updateable<ProductTable>;
