import { listActivePeopleWithRoles, lockTaskById, updateTask, type TaskRow } from '@tower/db';
import { escalationTargets } from '@tower/domain';
import {
  persistReviewTaskSnapshot,
  restoreReviewTaskSnapshot,
  reviewTaskMachine,
} from '@tower/workflow-review-task';
import { transition } from 'xstate';
import type { EngineContext } from '../context.js';
import { notificationsFor, queueNotifications } from './task-notifications.js';

/**
 * The SLA passed: if the task is still unacknowledged and below `level`, escalate it to the
 * directors (they become assignees and are notified). Acknowledged or closed tasks stop the ladder.
 */
export async function escalateTask(
  ctx: EngineContext,
  input: { taskId: string; level: number },
): Promise<'escalated' | 'skipped'> {
  return ctx.db.transaction().execute(async (tx) => {
    const task: TaskRow | undefined = await lockTaskById(tx, input.taskId);
    if (!task || task.status !== 'open' || task.escalationLevel >= input.level) return 'skipped';
    const snapshot = restoreReviewTaskSnapshot(task.snapshot as { value: unknown; context: unknown });
    const [next] = transition(reviewTaskMachine, snapshot, { type: 'ESCALATE' });
    if (next.context.escalationLevel === snapshot.context.escalationLevel) return 'skipped';
    const people = await listActivePeopleWithRoles(tx, ['director']);
    const directors = escalationTargets(people);
    await updateTask(tx, task.id, {
      snapshot: persistReviewTaskSnapshot(next),
      escalationLevel: next.context.escalationLevel,
      assignees: [...new Set([...task.assignees, ...directors])],
    });
    await queueNotifications(
      tx,
      notificationsFor(task.id, people, directors, `escalated-${next.context.escalationLevel}`),
    );
    return 'escalated';
  });
}
