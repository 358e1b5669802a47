/**
 * The database as Kysely sees it, one file of table types per area in `schema/`; the enum columns carry
 * the domain's unions. Repositories derive their row shapes from these with Insertable/Selectable/Updateable.
 */
import type { Insertable, Selectable, Updateable } from 'kysely';
import type {
  BranchTable,
  DepartmentTable,
  PersonTable,
  PersonRoleTable,
  PersonChannelTable,
  SessionTable,
  ApiKeyTable,
} from './schema/org.js';
import type {
  ProductTable,
  CompetitorPriceTable,
  ProductCostTable,
  ProductPriceTable,
  PriceApprovalTable,
  LaunchBranchTable,
  TraineeTable,
  LifecycleTransitionTable,
  ProductCostHistoryTable,
  ListPriceHistoryTable,
} from './schema/products.js';
import type { LaunchItemTable, LaunchTemplateTable, LaunchItemEventTable } from './schema/launch.js';
import type { OutboxTable, AuditLogTable, RulesTable, IdempotencyKeyTable } from './schema/system.js';
import type {
  SalesDailyTable,
  SalesMonthlyTable,
  SalesProductDailyTable,
  SalesProductMonthlyTable,
  ComplaintTable,
  CostChangeTable,
  SalesTargetTable,
  CalendarDayTable,
  SalesEvaluationMarkTable,
  SalesEvaluationTouchTable,
  ComplaintEvaluationMarkTable,
} from './schema/facts.js';
import type {
  TaskTable,
  TaskEvidenceTable,
  TaskCommentTable,
  SignalTable,
  SilenceTable,
  NotificationTable,
  NotificationAttemptTable,
  SignalTuningTable,
} from './schema/tasks.js';
import type { ReviewTable, ReviewDecisionTable } from './schema/reviews.js';
import type { ImportTable, ImportRowTable, ImportBatchTable, ImportSourceTable } from './schema/imports.js';

export type * from './schema/org.js';
export type * from './schema/products.js';
export type * from './schema/launch.js';
export type * from './schema/system.js';
export type * from './schema/facts.js';
export type * from './schema/tasks.js';
export type * from './schema/reviews.js';
export type * from './schema/imports.js';

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
  salesEvaluationTouches: SalesEvaluationTouchTable;
  complaintEvaluationMarks: ComplaintEvaluationMarkTable;
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
