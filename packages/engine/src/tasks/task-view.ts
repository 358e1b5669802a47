import type { TaskRow } from '@tower/db';

export interface TaskView {
  id: string;
  signal: string;
  /** Null for a quarterly review task, which is about a department (`departmentId`) of a review (`reviewId`). */
  productId: string | null;
  departmentId: string | null;
  reviewId: string | null;
  branchId: string | null;
  severity: string;
  status: string;
  assignees: string[];
  informed: string[];
  dueAt: Date;
  escalationLevel: number;
  lastFiredOn: string | null;
  decision: string | null;
  resolutionNote: string | null;
  resolvedBy: string | null;
  resolvedAt: Date | null;
  acknowledgedBy: string | null;
  acknowledgedAt: Date | null;
  feedbackUseful: boolean | null;
  createdAt: Date;
  evidence: { firedOn: string; data: unknown }[];
}

export function toView(
  row: TaskRow,
  evidence: { taskId: string; firedOn: string; data: unknown }[],
): TaskView {
  return {
    id: row.id,
    signal: row.signal,
    productId: row.productId,
    departmentId: row.departmentId,
    reviewId: row.reviewId,
    branchId: row.branchId,
    severity: row.severity,
    status: row.status,
    assignees: row.assignees,
    informed: row.informed,
    dueAt: row.dueAt,
    escalationLevel: row.escalationLevel,
    lastFiredOn: row.lastFiredOn,
    decision: row.decision,
    resolutionNote: row.resolutionNote,
    resolvedBy: row.resolvedBy,
    resolvedAt: row.resolvedAt,
    acknowledgedBy: row.acknowledgedBy,
    acknowledgedAt: row.acknowledgedAt,
    feedbackUseful: row.feedbackUseful,
    createdAt: row.createdAt,
    evidence: evidence.filter((e) => e.taskId === row.id).map(({ firedOn, data }) => ({ firedOn, data })),
  };
}
