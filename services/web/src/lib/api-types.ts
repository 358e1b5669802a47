// Shapes of answers whose routes have no response schema in the OpenAPI document yet. `unwrapAs<T>()` uses
// them only until the generated type exists; from then on the generated type wins and a mismatch with the
// pages breaks the build. They mirror the engine's views (packages/engine), nothing more.
import type { RoleGrant } from './roles';

export interface Person {
  id: string;
  name: string;
  email: string;
  active: boolean;
  roles: RoleGrant[];
  channels?: { kind: string; url: string }[];
}
export interface Named {
  id: string;
  code: string;
  name: string;
}
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
export interface Product {
  id: string;
  name: string;
  departmentId: string;
  tier: string;
  ownerId: string;
  vendor: string | null;
  stage: string;
  subState: string | null;
  version: number;
  allowedEvents: string[];
  stageEnteredAt: string;
}
export interface ProductDetail extends Product {
  sheet: Record<string, string | string[] | undefined>;
  targetCustomers: string | null;
  targetLaunchDate: string | null;
  launchBranchIds: string[];
  competitorPriceCount: number;
  costs: {
    consumablesFen: number;
    labourFen: number;
    overheadFen: number;
    marketingFen: number;
    unitCostFen: number;
  } | null;
  floorFen: number | null;
  prices: { type: string; amountFen: number; sessions: number | null }[];
  belowFloorApprovals: { type: string; amountFen: number; approvedBy: string; reason: string }[];
}
export interface Task {
  id: string;
  signal: string;
  /** null on a quarterly review's department task. */
  productId: string | null;
  branchId: string | null;
  severity: string;
  status: string;
  assignees: string[];
  dueAt: string;
  escalationLevel: number;
  decision: string | null;
  resolutionNote: string | null;
  feedbackUseful: boolean | null;
  createdAt: string;
  evidence: { firedOn: string; data: unknown }[];
}
export interface TaskDetail extends Task {
  comments?: { id?: string; authorId?: string; text: string; createdAt: string }[];
}
export interface LaunchItem {
  id: string;
  productId: string;
  branchId: string;
  ownerRole: string;
  departmentId: string | null;
  title: string;
  dueOn: string;
  required: boolean;
  status: string;
  overdue: boolean;
  completedBy: string | null;
  completedAt: string | null;
  note: string | null;
}
export interface ProductLaunch {
  items: LaunchItem[];
  progress?: { branchId: string; percentDone: number }[];
  blockers?: unknown[];
}
export interface HistoryEntry {
  at: string;
  actor: string | null;
  event: string;
  from: string | null;
  to: string;
  reason: string | null;
}
export interface Trainee {
  id: string;
  branchId: string;
  name: string;
  role: string;
  passed: boolean | null;
  score: number | null;
}
