import { insertAudit, insertTaskComment, listTaskEvidence, updateTask, type TaskRow } from '@tower/db';
import { AppError, type Decision } from '@tower/domain';
import {
  isLifecycleDecision,
  LIFECYCLE_EVENT_FOR_DECISION,
  persistReviewTaskSnapshot,
  restoreReviewTaskSnapshot,
  reviewTaskMachine,
  type ReviewTaskEvent,
} from '@tower/workflow-review-task';
import { transition } from 'xstate';
import { requirePerson } from '../access.js';
import type { Actor, EngineContext } from '../context.js';
import { sendLifecycleEventInTx } from '../lifecycle.commands.js';
import { canActOnTask, visibleTask } from './task-access.js';
import { toView, type TaskView } from './task-view.js';

function applyTaskEvent(task: TaskRow, event: ReviewTaskEvent) {
  const snapshot = restoreReviewTaskSnapshot(task.snapshot as { value: unknown; context: unknown });
  const [next, actions] = transition(reviewTaskMachine, snapshot, event);
  if (next.value === snapshot.value && actions.length === 0) {
    throw new AppError(
      'TASK_EVENT_NOT_ALLOWED',
      `The task is ${task.status}; ${event.type} does not apply.`,
      {
        status: task.status,
      },
    );
  }
  return { next, actions };
}

export async function acknowledgeTask(ctx: EngineContext, actor: Actor, id: string): Promise<TaskView> {
  const person = requirePerson(actor);
  return ctx.db.transaction().execute(async (tx) => {
    const { task } = await visibleTask(ctx, tx, person, id, true);
    if (!canActOnTask(person, task))
      throw new AppError('ROLE_REQUIRED', 'Only an assignee may acknowledge this task.');
    const { next } = applyTaskEvent(task, { type: 'ACKNOWLEDGE' });
    const changes = {
      status: next.value,
      snapshot: persistReviewTaskSnapshot(next),
      acknowledgedBy: person.id,
      acknowledgedAt: ctx.now(),
    };
    await updateTask(tx, id, changes);
    await insertAudit(tx, { actorId: person.id, action: 'task.acknowledged', entity: 'task', entityId: id });
    return toView({ ...task, ...changes, snapshot: changes.snapshot }, await listTaskEvidence(tx, [id]));
  });
}

export async function commentOnTask(ctx: EngineContext, actor: Actor, id: string, text: string) {
  const person = requirePerson(actor);
  return ctx.db.transaction().execute(async (tx) => {
    await visibleTask(ctx, tx, person, id, false);
    const comment = await insertTaskComment(tx, { taskId: id, authorId: person.id, text });
    return { id: comment.id, authorId: comment.authorId, text: comment.text, createdAt: comment.createdAt };
  });
}

/**
 * Resolves a task with a decision. Decisions that move the life cycle (reprice, repackage, retrain,
 * retire) are sent to the product's machine in the same transaction with the decider as actor; if
 * the machine refuses, nothing is written and the task stays open, with the refusal as the answer.
 */
export async function resolveTask(
  ctx: EngineContext,
  actor: Actor,
  id: string,
  input: { decision: Decision; note: string },
): Promise<TaskView & { lifecycle?: { stage: string; version: number } }> {
  const person = requirePerson(actor);
  return ctx.db.transaction().execute(async (tx) => {
    const { task } = await visibleTask(ctx, tx, person, id, true);
    if (!canActOnTask(person, task))
      throw new AppError('ROLE_REQUIRED', 'Only an assignee may resolve this task.');
    const { next } = applyTaskEvent(task, { type: 'RESOLVE', decision: input.decision });
    let lifecycle: { stage: string; version: number } | undefined;
    if (isLifecycleDecision(input.decision)) {
      const result = await sendLifecycleEventInTx(ctx, tx, person, task.productId, {
        type: LIFECYCLE_EVENT_FOR_DECISION[input.decision],
        reason: `Task ${task.signal} decision: ${input.note}`,
      });
      lifecycle = { stage: result.stage, version: result.version };
    }
    const changes = {
      status: next.value,
      snapshot: persistReviewTaskSnapshot(next),
      decision: input.decision,
      resolutionNote: input.note,
      resolvedBy: person.id,
      resolvedAt: ctx.now(),
    };
    await updateTask(tx, id, changes);
    await insertAudit(tx, {
      actorId: person.id,
      action: 'task.resolved',
      entity: 'task',
      entityId: id,
      data: { ...input },
    });
    const view = toView({ ...task, ...changes }, await listTaskEvidence(tx, [id]));
    return lifecycle ? { ...view, lifecycle } : view;
  });
}

export async function giveTaskFeedback(ctx: EngineContext, actor: Actor, id: string, useful: boolean) {
  const person = requirePerson(actor);
  return ctx.db.transaction().execute(async (tx) => {
    const { task } = await visibleTask(ctx, tx, person, id, true);
    await updateTask(tx, id, { feedbackUseful: useful, feedbackBy: person.id });
    return { id: task.id, feedbackUseful: useful };
  });
}
