import {
  insertReviewTask,
  insertTaskEvidence,
  lockReviewById,
  saveReviewFigures,
  upsertReview,
  type Person,
  type Tx,
} from '@tower/db';
import {
  escalationTargets,
  parseQuarter,
  quarterJustEnded,
  type DepartmentReview,
  type Quarter,
  type Rules,
} from '@tower/domain';
import { jobIdFor } from '@tower/queue';
import { initialReviewTaskSnapshot, persistReviewTaskSnapshot } from '@tower/workflow-review-task';
import type { EngineContext } from '../context.js';
import { loadRules } from '../rules.commands.js';
import { loadRoutingSnapshot, peopleWithRoles } from '../signals/routing-snapshot.js';
import { notificationsFor, queueNotifications } from '../signals/task-notifications.js';
import { computeQuarterlyReview } from './compute-review.js';

/**
 * Who answers a department's review: its product managers (scoped to it, or owning its products);
 * else the chain-wide product managers; else the directors, who stand in for a missing role.
 */
export function reviewAssignees(
  people: readonly Person[],
  department: DepartmentReview,
  ownerOf: ReadonlyMap<string, string>,
): string[] {
  const managers = people.flatMap((p) =>
    p.roles
      .filter((r) => r.role === 'product_manager')
      .map((r) => ({ id: p.id, departmentId: r.departmentId })),
  );
  const isManager = (id: string) => managers.some((m) => m.id === id);
  const scoped = managers.filter((m) => m.departmentId === department.departmentId).map((m) => m.id);
  const owners = department.rows
    .map((r) => ownerOf.get(r.productId))
    .filter((id): id is string => id !== undefined && isManager(id));
  const chosen = [...new Set([...scoped, ...owners])];
  if (chosen.length > 0) return chosen.sort();
  const chainWide = [...new Set(managers.filter((m) => m.departmentId === null).map((m) => m.id))];
  if (chainWide.length > 0) return chainWide.sort();
  return [...escalationTargets(people)].sort();
}

/** What a department's review task quotes: the link, and a line for notifications. */
function reviewEvidence(reviewId: string, q: Quarter, department: DepartmentReview) {
  const suggestions = department.suggestions.map((s) => s.reason);
  return {
    reviewId,
    quarter: q.id,
    departmentId: department.departmentId,
    departmentName: department.departmentName,
    link: `/reviews/${reviewId}`,
    products: department.rows.length,
    suggestions,
    summary: `${q.id} ${department.departmentName}：${department.rows.length} 个产品，${suggestions.length} 条建议`,
  };
}

/**
 * Opens the department's review task once per review, and on opening it, as for any other task, a
 * notification to each assignee's channels and the SLA escalation (a delayed job due when the
 * acknowledgement is). A rerun finds the task it opened and sends nothing again.
 */
async function openReviewTask(
  ctx: EngineContext,
  tx: Tx,
  review: { id: string; q: Quarter },
  department: DepartmentReview,
  people: readonly Person[],
  assignees: readonly string[],
  task: Rules['review']['task'],
): Promise<boolean> {
  const dueAt = new Date(ctx.now().getTime() + task.ackSlaSeconds * 1000);
  const opened = await insertReviewTask(tx, {
    reviewId: review.id,
    departmentId: department.departmentId,
    severity: task.severity,
    snapshot: persistReviewTaskSnapshot(initialReviewTaskSnapshot({ maxEscalationLevel: 1 })),
    assignees: [...assignees],
    dueAt,
    lastFiredOn: review.q.to,
    at: ctx.now(),
  });
  if (!opened.created) return false;
  await insertTaskEvidence(tx, {
    taskId: opened.id,
    firedOn: review.q.to,
    evidenceKey: 'review',
    data: reviewEvidence(review.id, review.q, department),
  });
  await queueNotifications(ctx, tx, notificationsFor(opened.id, people, assignees, 'opened'), [
    {
      jobName: 'escalate-task',
      jobId: jobIdFor('escalate-task', opened.id, 1),
      payload: { taskId: opened.id, level: 1 },
      runAt: dueAt,
    },
  ]);
  return true;
}

/**
 * Computes (or refreshes) a review and opens one review task per department, in one transaction that
 * holds the review row: a rerun replaces the figures, keeps the decisions (their own table) and finds
 * the tasks it opened before instead of opening more.
 */
export async function runQuarterlyReview(
  ctx: EngineContext,
  input: { reviewId: string },
): Promise<{ quarter: string; products: number; tasksOpened: number; computeMs: number } | 'gone'> {
  return ctx.db.transaction().execute(async (tx) => {
    const review = await lockReviewById(tx, input.reviewId);
    if (!review) return 'gone';
    const q = parseQuarter(review.quarter);
    const rules = await loadRules(tx);
    const started = performance.now();
    const { departments, productCount, ownerOf } = await computeQuarterlyReview(tx, q, rules);
    const computeMs = Math.round(performance.now() - started);
    await saveReviewFigures(tx, review.id, { departments, productCount, computedAt: ctx.now(), computeMs });

    const people = peopleWithRoles(await loadRoutingSnapshot(ctx, tx), ['product_manager', 'director']);
    let tasksOpened = 0;
    for (const department of departments) {
      const assignees = reviewAssignees(people, department, ownerOf);
      if (assignees.length === 0) {
        ctx.log?.warn(
          { reviewId: review.id, departmentId: department.departmentId },
          'review task has nobody',
        );
        continue;
      }
      const opened = await openReviewTask(
        ctx,
        tx,
        { id: review.id, q },
        department,
        people,
        assignees,
        rules.review.task,
      );
      if (opened) tasksOpened += 1;
    }
    return { quarter: q.id, products: productCount, tasksOpened, computeMs };
  });
}

/** The scheduler's run: the quarter that ended before `scheduledAt` (Asia/Shanghai), made and computed. */
export async function runScheduledQuarterlyReview(ctx: EngineContext, scheduledAt: Date) {
  const q = quarterJustEnded(scheduledAt);
  const { id } = await ctx.db.transaction().execute((tx) => upsertReview(tx, q.id, null, ctx.now()));
  return runQuarterlyReview(ctx, { reviewId: id });
}
