import { insertAudit, insertTaskComment, listTaskEvidence, updateTask } from '@tower/db';
import { AppError } from '@tower/domain';
import { requirePerson } from '../access.js';
import { sendLifecycleEventInTx } from '../lifecycle.commands.js';
import type { Actor, EngineContext } from '../context.js';
import { loadRules } from '../rules.commands.js';
import { recordFalseAlarmFeedback } from '../signals/tuning.js';
import { canActOnTask, visibleTask } from './task-access.js';
import { sendTaskEvent } from './task-machine.js';
import { toView, type TaskView } from './task-view.js';
import type { ResolveInput } from '../tasks.inputs.js';

export async function acknowledgeTask(ctx: EngineContext, actor: Actor, id: string): Promise<TaskView> {
  const person = requirePerson(actor);
  return ctx.db.transaction().execute(async (tx) => {
    const { task } = await visibleTask(ctx, tx, person, id, true);
    if (!canActOnTask(person, task))
      throw new AppError('ROLE_REQUIRED', 'Only an assignee may acknowledge this task.');
    const done = await sendTaskEvent(ctx, tx, task, { type: 'ACKNOWLEDGE', by: person });
    await insertAudit(tx, { actorId: person.id, action: 'task.acknowledged', entity: 'task', entityId: id });
    return toView(done.task, await listTaskEvidence(tx, [id]));
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
  input: ResolveInput,
): Promise<TaskView & { lifecycle?: { stage: string; version: number } }> {
  const person = requirePerson(actor);
  return ctx.db.transaction().execute(async (tx) => {
    const { task } = await visibleTask(ctx, tx, person, id, true);
    if (!canActOnTask(person, task))
      throw new AppError('ROLE_REQUIRED', 'Only an assignee may resolve this task.');
    const done = await sendTaskEvent(ctx, tx, task, {
      type: 'RESOLVE',
      decision: input.decision,
      note: input.note,
      by: person,
      applyLifecycleEvent: (lifecycleTx, by, productId, event) =>
        sendLifecycleEventInTx(ctx, lifecycleTx, by, productId, event),
    });
    await insertAudit(tx, {
      actorId: person.id,
      action: 'task.resolved',
      entity: 'task',
      entityId: id,
      data: { ...input },
    });
    const view = toView(done.task, await listTaskEvidence(tx, [id]));
    return done.lifecycle ? { ...view, lifecycle: done.lifecycle } : view;
  });
}

export async function giveTaskFeedback(ctx: EngineContext, actor: Actor, id: string, useful: boolean) {
  const person = requirePerson(actor);
  return ctx.db.transaction().execute(async (tx) => {
    const { task } = await visibleTask(ctx, tx, person, id, true);
    await updateTask(tx, id, { feedbackUseful: useful, feedbackBy: person.id }, ctx.now());
    // "False alarm" counts against the task's key and may tighten its threshold.
    await recordFalseAlarmFeedback(tx, task, task.feedbackUseful, useful, await loadRules(tx), ctx.now());
    return { id: task.id, feedbackUseful: useful };
  });
}
