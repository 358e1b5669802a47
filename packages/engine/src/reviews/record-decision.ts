import {
  insertAudit,
  insertReviewDecision,
  listReviewTasks,
  lockProductById,
  lockReviewById,
} from '@tower/db';
import { AppError, ROLES_THAT_MAY, type DepartmentReview } from '@tower/domain';
import { LIFECYCLE_EVENT_FOR_DECISION, isLifecycleDecision } from '@tower/workflow-review-task';
import { hasAnyRole, requirePerson, visibleDepartmentIds } from '../access.js';
import type { Actor, EngineContext } from '../context.js';
import { sendLifecycleEventInTx, type LifecycleEventResult } from '../lifecycle.commands.js';
import { reviewDecisionReason } from './decision-reason.js';
import { decisionView, reviewNotFound, type ReviewDecisionView } from './review-queries.js';
import type { ReviewDecisionInput } from './reviews.inputs.js';

/**
 * Records a product's decision on a review, once, with the stage and version the product had. Those
 * that move the life cycle (reprice, repackage, retrain, retire) are sent to the product's machine in
 * the same transaction, with the decider as actor and the review in the reason; those that move
 * nothing (keep, promote) show in the product's history from the decision itself. A refusal (wrong
 * stage, failed gate, not allowed) records nothing.
 */
export async function recordReviewDecision(
  ctx: EngineContext,
  actor: Actor,
  reviewId: string,
  input: ReviewDecisionInput,
): Promise<ReviewDecisionView & { reviewId: string; lifecycle: LifecycleEventResult | null }> {
  const person = requirePerson(actor);
  return ctx.db.transaction().execute(async (tx) => {
    const review = await lockReviewById(tx, reviewId);
    if (!review) throw reviewNotFound(reviewId);
    const visible = visibleDepartmentIds(person);
    const department = (review.departments as DepartmentReview[]).find(
      (d) =>
        (visible === undefined || visible.includes(d.departmentId)) &&
        d.rows.some((r) => r.productId === input.productId),
    );
    const product = department ? await lockProductById(tx, input.productId) : undefined;
    if (!department || !product) {
      throw new AppError(
        'REVIEW_PRODUCT_NOT_FOUND',
        `Product ${input.productId} is not in review ${reviewId}.`,
      );
    }
    const tasks = await listReviewTasks(tx, reviewId);
    const assigned = tasks.some(
      (t) => t.departmentId === department.departmentId && t.assignees.includes(person.id),
    );
    if (!assigned && !hasAnyRole(person, ROLES_THAT_MAY.decideOnReviews)) {
      throw new AppError(
        'ROLE_REQUIRED',
        "Only the department's product managers, a director or an admin decide on a review.",
        { requiredRoles: ROLES_THAT_MAY.decideOnReviews },
      );
    }
    const lifecycleEvent = isLifecycleDecision(input.decision)
      ? LIFECYCLE_EVENT_FOR_DECISION[input.decision]
      : null;
    const recorded = await insertReviewDecision(tx, {
      reviewId,
      productId: input.productId,
      decision: input.decision,
      note: input.note,
      decidedBy: person.id,
      decidedAt: ctx.now(),
      lifecycleEvent,
      stage: product.stage,
      productVersion: product.version,
    });
    if (!recorded) {
      throw new AppError(
        'REVIEW_DECISION_EXISTS',
        `A decision on this product is already recorded in review ${review.quarter}.`,
        { productId: input.productId },
      );
    }
    const lifecycle = lifecycleEvent
      ? await sendLifecycleEventInTx(ctx, tx, person, input.productId, {
          type: lifecycleEvent,
          reason: reviewDecisionReason(review.quarter, input.note),
        })
      : null;
    await insertAudit(tx, {
      actorId: person.id,
      action: 'review.decided',
      entity: 'review',
      entityId: reviewId,
      data: { ...input, lifecycleEvent },
    });
    return { reviewId, ...decisionView(recorded), lifecycle };
  });
}
