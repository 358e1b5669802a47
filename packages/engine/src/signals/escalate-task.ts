import { lockTaskById } from '@tower/db';
import { restoreReviewTaskSnapshot } from '@tower/workflow-review-task';
import type { EngineContext } from '../context.js';
import { tryTaskEvent } from '../tasks/task-machine.js';

/**
 * The SLA passed: if the task is still unacknowledged and below `level`, escalate it to the
 * directors (they become assignees and are notified). Acknowledged or closed tasks stop the ladder:
 * the task's machine refuses ESCALATE there.
 */
export async function escalateTask(
  ctx: EngineContext,
  input: { taskId: string; level: number },
): Promise<'escalated' | 'skipped'> {
  return ctx.db.transaction().execute(async (tx) => {
    const task = await lockTaskById(tx, input.taskId);
    if (!task) return 'skipped';
    // This check ran already (a job run twice): the task's own state says how far it got.
    const snapshot = restoreReviewTaskSnapshot(task.snapshot as { value: unknown; context: unknown });
    if (snapshot.context.escalationLevel >= input.level) return 'skipped';
    const done = await tryTaskEvent(ctx, tx, task, { type: 'ESCALATE' });
    return done.outcome === 'applied' ? 'escalated' : 'skipped';
  });
}
