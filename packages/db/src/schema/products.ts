/** Products and what their gates read: costs, prices, approvals, launch branches, trainees, transitions. */
import type { ColumnType, Generated } from 'kysely';
import type { LifecycleEventType, PriceType, Stage, Tier, TraineeRole } from '@tower/domain';
import type { Default, Timestamp, DateString, Json } from './columns.js';

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

export interface ProductCostHistoryTable {
  id: Generated<number>;
  productId: string;
  effectiveFrom: DateString;
  unitCostFen: number;
  recordedAt: Generated<Date>;
}

export interface ListPriceHistoryTable {
  id: Generated<number>;
  productId: string;
  effectiveFrom: DateString;
  amountFen: number;
  recordedAt: Generated<Date>;
}
