import { updateTask, type TaskChanges, type TaskRow, type Tx } from '@tower/db';
import { AppError, escalationTargets, ROLES_THAT_MAY, type Decision } from '@tower/domain';
import {
  acceptedReviewTaskEvents,
  persistReviewTaskSnapshot,
  restoreReviewTaskSnapshot,
  reviewTaskMachine,
  type ApplyDecisionParams,
  type NotifyEscalationParams,
  type ReviewTaskActionName,
  type ReviewTaskEvent,
  type ReviewTaskEventType,
} from '@tower/workflow-review-task';
import { transition } from 'xstate';
import type { EngineContext, PersonActor } from '../context.js';
import { loadRoutingSnapshot, peopleWithRoles } from '../signals/routing-snapshot.js';
import { notificationsFor, queueNotifications } from '../signals/task-notifications.js';
import { recordTaskEvidence, type EvidenceFact } from './task-evidence.js';

/** Sends a lifecycle event in the caller's transaction as `by`; answers the product's new stage. */
export type LifecycleEventSender = (
  tx: Tx,
  by: PersonActor,
  productId: string,
  event: { type: ApplyDecisionParams['lifecycleEvent']; reason: string },
) => Promise<{ stage: string; version: number }>;

/** What the engine sends a task, with what its actions need to be carried out. */
export type TaskCommand =
  | { readonly type: 'ACKNOWLEDGE'; readonly by: PersonActor }
  | { readonly type: 'ESCALATE' }
  | { readonly type: 'ADD_EVIDENCE'; readonly fact: EvidenceFact }
  | {
      readonly type: 'RESOLVE';
      readonly decision: Decision;
      readonly note: string;
      readonly by: PersonActor;
      /**
       * Moves the product's life cycle for a decision that does (the lifecycle engine's
       * `sendLifecycleEventInTx`); passed in because the life cycle itself reaches tasks through the
       * launch checklist, so importing it here would close a cycle.
       */
      readonly applyLifecycleEvent: LifecycleEventSender;
    }
  | { readonly type: 'AUTO_RESOLVE'; readonly note: string; readonly asOf?: string };

export type TaskEventOutcome =
  | {
      readonly outcome: 'applied';
      readonly task: TaskRow;
      /** ADD_EVIDENCE: whether anything new was recorded. */
      readonly recorded: boolean;
      readonly lifecycle?: { stage: string; version: number };
    }
  | { readonly outcome: 'refused'; readonly allowed: readonly ReviewTaskEventType[] };

function machineEvent(command: TaskCommand): ReviewTaskEvent {
  switch (command.type) {
    case 'ACKNOWLEDGE':
    case 'ESCALATE':
    case 'AUTO_RESOLVE':
      return { type: command.type };
    case 'ADD_EVIDENCE':
      return { type: 'ADD_EVIDENCE', evidence: command.fact.evidence };
    case 'RESOLVE':
      return { type: 'RESOLVE', decision: command.decision };
    default:
      return unreachable(command);
  }
}

/** A compile-time exhaustiveness check; at run time, something the machine or engine does not know. */
function unreachable(value: never): never {
  throw new AppError('TASK_ACTION_UNKNOWN', `No executor for ${JSON.stringify(value)}.`);
}

/**
 * The review-task machine in charge of a task's state, as the lifecycle engine does it: restore the
 * stored snapshot → `transition()` → carry out the actions it returns, by name (record evidence,
 * notify the escalation, apply the decision to the life cycle, record the auto-resolution) → persist,
 * all in the caller's transaction (the task row locked by the caller). An event the task's state does
 * not accept changes nothing and answers `refused` with the events it accepts.
 */
export async function tryTaskEvent(
  ctx: EngineContext,
  tx: Tx,
  task: TaskRow,
  command: TaskCommand,
): Promise<TaskEventOutcome> {
  const snapshot = restoreReviewTaskSnapshot(task.snapshot as { value: unknown; context: unknown });
  const event = machineEvent(command);
  if (!snapshot.can(event)) return { outcome: 'refused', allowed: acceptedReviewTaskEvents(snapshot) };
  const [next, actions] = transition(reviewTaskMachine, snapshot, event);

  const changes: TaskChanges = {};
  if (next.value !== snapshot.value || next.context.escalationLevel !== snapshot.context.escalationLevel) {
    changes.status = next.value;
    changes.snapshot = persistReviewTaskSnapshot(next);
    changes.escalationLevel = next.context.escalationLevel;
  }
  if (command.type === 'ACKNOWLEDGE') {
    changes.acknowledgedBy = command.by.id;
    changes.acknowledgedAt = ctx.now();
  }
  if (command.type === 'RESOLVE') {
    changes.decision = command.decision;
    changes.resolutionNote = command.note;
    changes.resolvedBy = command.by.id;
    changes.resolvedAt = ctx.now();
  }
  let recorded = false;
  let lifecycle: { stage: string; version: number } | undefined;
  for (const action of actions) {
    const name = action.type as ReviewTaskActionName;
    switch (name) {
      case 'recordEvidence':
        if (command.type === 'ADD_EVIDENCE')
          recorded = await recordTaskEvidence(tx, task, command.fact, ctx.now());
        break;
      case 'notifyEscalation': {
        const { level } = action.params as NotifyEscalationParams;
        const people = peopleWithRoles(await loadRoutingSnapshot(ctx, tx), ROLES_THAT_MAY.receiveEscalations);
        const directors = escalationTargets(people);
        changes.assignees = [...new Set([...task.assignees, ...directors])];
        await queueNotifications(ctx, tx, notificationsFor(task.id, people, directors, `escalated-${level}`));
        break;
      }
      case 'applyDecision': {
        if (command.type !== 'RESOLVE') break;
        const { lifecycleEvent } = action.params as ApplyDecisionParams;
        if (task.productId === null) {
          throw new AppError(
            'REVIEW_DECISION_PER_PRODUCT',
            'Record decisions that move a product on the quarterly review, per product.',
            { reviewId: task.reviewId },
          );
        }
        // A refusal (409/422) throws: the caller's transaction rolls back and the task stays open.
        const result = await command.applyLifecycleEvent(tx, command.by, task.productId, {
          type: lifecycleEvent,
          reason: `Task ${task.signal} decision: ${command.note}`,
        });
        lifecycle = { stage: result.stage, version: result.version };
        break;
      }
      case 'recordAutoResolution':
        if (command.type !== 'AUTO_RESOLVE') break;
        changes.decision = 'keep';
        changes.resolutionNote = command.note;
        changes.resolvedBy = null;
        changes.resolvedAt = ctx.now();
        if (command.asOf) changes.resolvedAsOf = command.asOf;
        break;
      default:
        return unreachable(name);
    }
  }
  if (Object.keys(changes).length > 0) await updateTask(tx, task.id, changes, ctx.now());
  const updated: TaskRow = {
    ...task,
    ...(recorded && command.type === 'ADD_EVIDENCE' && command.fact.firedOn > (task.lastFiredOn ?? '')
      ? { lastFiredOn: command.fact.firedOn }
      : {}),
    ...changes,
    snapshot: changes.snapshot ?? task.snapshot,
  };
  return { outcome: 'applied', task: updated, recorded, ...(lifecycle ? { lifecycle } : {}) };
}

/**
 * Whether ADD_EVIDENCE on `task` would only record the evidence (no change of state or level, no other
 * action), as on a task just opened: such evidence may be written for many tasks in one statement.
 */
export function addsEvidenceOnly(task: TaskRow, evidence: EvidenceFact['evidence']): boolean {
  const snapshot = restoreReviewTaskSnapshot(task.snapshot as { value: unknown; context: unknown });
  const event: ReviewTaskEvent = { type: 'ADD_EVIDENCE', evidence };
  if (!snapshot.can(event)) return false;
  const [next, actions] = transition(reviewTaskMachine, snapshot, event);
  return (
    next.value === snapshot.value &&
    next.context.escalationLevel === snapshot.context.escalationLevel &&
    actions.every((action) => (action.type as ReviewTaskActionName) === 'recordEvidence')
  );
}

/** {@link tryTaskEvent} for a person's request: a refused event answers 409 naming the accepted events. */
export async function sendTaskEvent(
  ctx: EngineContext,
  tx: Tx,
  task: TaskRow,
  command: TaskCommand,
): Promise<Extract<TaskEventOutcome, { outcome: 'applied' }>> {
  const result = await tryTaskEvent(ctx, tx, task, command);
  if (result.outcome === 'refused') {
    throw new AppError(
      'TASK_EVENT_NOT_ALLOWED',
      `The task is ${task.status}; ${command.type} does not apply (accepted: ${result.allowed.join(', ') || 'none'}).`,
      { status: task.status, allowed: [...result.allowed] },
    );
  }
  return result;
}
