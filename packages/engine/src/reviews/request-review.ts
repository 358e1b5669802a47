import { insertAudit, insertOutbox, upsertReview } from '@tower/db';
import { AppError, parseQuarter, ROLES_THAT_MAY, shanghaiDay } from '@tower/domain';
import { jobIdFor } from '@tower/queue';
import { requireRole } from '../access.js';
import type { Actor, EngineContext } from '../context.js';

/** The outbox message that (re)computes a review; while one waits, another request adds nothing. */
function runMessage(reviewId: string) {
  return {
    jobName: 'run-quarterly-review' as const,
    jobId: jobIdFor('run-quarterly-review', reviewId),
    payload: { reviewId },
  };
}

/**
 * `POST /api/reviews/quarterly`: the quarter's one review (made on first request), and a job that
 * computes or refreshes its figures. The same quarter again answers the same review.
 */
export async function requestQuarterlyReview(
  ctx: EngineContext,
  actor: Actor,
  quarterId: string,
): Promise<{ reviewId: string; created: boolean }> {
  const person = requireRole(actor, ROLES_THAT_MAY.runReviews, 'run a quarterly review');
  const q = parseQuarter(quarterId);
  const today = shanghaiDay(ctx.now());
  if (q.from > today) {
    throw new AppError('REVIEW_QUARTER_NOT_STARTED', `${q.id} has not begun yet.`, {
      reasons: [{ code: 'quarter_not_started', message: `${q.id} begins on ${q.from}` }],
    });
  }
  return ctx.db.transaction().execute(async (tx) => {
    const review = await upsertReview(tx, q.id, person.id, ctx.now());
    await insertOutbox(tx, [runMessage(review.id)]);
    await insertAudit(tx, {
      actorId: person.id,
      action: 'review.requested',
      entity: 'review',
      entityId: review.id,
      data: { quarter: q.id },
    });
    return { reviewId: review.id, created: review.created };
  });
}
