import {
  findReviewById,
  listReviewDecisions,
  listReviews,
  listReviewTasks,
  type ReviewRecord,
} from '@tower/db';
import {
  AppError,
  parseQuarter,
  reviewReportCsv,
  type DepartmentReview,
  type ReviewDecision,
} from '@tower/domain';
import { requirePerson, visibleDepartmentIds } from '../access.js';
import type { Actor, EngineContext, PersonActor } from '../context.js';

export function reviewNotFound(id: string): AppError {
  return new AppError('REVIEW_NOT_FOUND', `No review ${id}.`);
}

export interface ReviewSummary {
  id: string;
  quarter: string;
  from: string;
  to: string;
  status: 'pending' | 'ready';
  productCount: number;
  departmentCount: number;
  computedAt: Date | null;
  computeMs: number | null;
  runs: number;
  createdAt: Date;
}

function summaryOf(
  review: Omit<ReviewRecord, 'departments' | 'requestedBy' | 'updatedAt'>,
  departmentCount: number,
): ReviewSummary {
  const q = parseQuarter(review.quarter);
  return {
    id: review.id,
    quarter: review.quarter,
    from: q.from,
    to: q.to,
    status: review.status as ReviewSummary['status'],
    productCount: review.productCount,
    departmentCount,
    computedAt: review.computedAt,
    computeMs: review.computeMs,
    runs: review.runs,
    createdAt: review.createdAt,
  };
}

export async function getReviews(
  ctx: EngineContext,
  actor: Actor,
  page: { after?: string; limit: number },
): Promise<ReviewSummary[]> {
  requirePerson(actor);
  const rows = await listReviews(ctx.db, page);
  return rows.map((r) => summaryOf(r, r.departmentCount));
}

async function visibleReview(ctx: EngineContext, person: PersonActor, id: string) {
  const review = await findReviewById(ctx.db, id);
  if (!review) throw reviewNotFound(id);
  const visible = visibleDepartmentIds(person);
  const departments = (review.departments as DepartmentReview[]).filter(
    (d) => visible === undefined || visible.includes(d.departmentId),
  );
  return { review, departments };
}

export interface ReviewDecisionView {
  productId: string;
  decision: ReviewDecision;
  note: string;
  decidedBy: string;
  decidedAt: Date;
  lifecycleEvent: string | null;
}

export function decisionView(
  d: Omit<ReviewDecisionView, 'decision'> & { decision: string },
): ReviewDecisionView {
  return {
    productId: d.productId,
    decision: d.decision as ReviewDecision,
    note: d.note,
    decidedBy: d.decidedBy,
    decidedAt: d.decidedAt,
    lifecycleEvent: d.lifecycleEvent,
  };
}

/** A review per department (rows with their decisions, shape, suggestions, task); department managers see their departments only. */
export async function getReview(ctx: EngineContext, actor: Actor, id: string) {
  const person = requirePerson(actor);
  const { review, departments } = await visibleReview(ctx, person, id);
  const [decisions, tasks] = await Promise.all([
    listReviewDecisions(ctx.db, id),
    listReviewTasks(ctx.db, id),
  ]);
  const decisionOf = new Map(decisions.map((d) => [d.productId, decisionView(d)]));
  return {
    ...summaryOf(review, (review.departments as unknown[]).length),
    departments: departments.map((d) => ({
      ...d,
      taskId: tasks.find((t) => t.departmentId === d.departmentId)?.id ?? null,
      rows: d.rows.map((r) => ({ ...r, decision: decisionOf.get(r.productId) ?? null })),
    })),
  };
}

/** The review as CSV (UTF-8 with BOM, Chinese labels), one row per product the caller may see. */
export async function getReviewReport(
  ctx: EngineContext,
  actor: Actor,
  id: string,
): Promise<{ quarter: string; csv: string }> {
  const person = requirePerson(actor);
  const { review, departments } = await visibleReview(ctx, person, id);
  const decisions = await listReviewDecisions(ctx.db, id);
  return {
    quarter: review.quarter,
    csv: reviewReportCsv(
      review.quarter,
      departments,
      new Map(decisions.map((d) => [d.productId, d.decision])),
    ),
  };
}
