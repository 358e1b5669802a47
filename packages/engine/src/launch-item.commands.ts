import {
  insertAudit,
  insertLaunchItemEvents,
  updateLaunchItem,
  type LaunchItemPatch,
  type LaunchItemRow,
  type Tx,
} from '@tower/db';
import { AppError, assertNever, shanghaiDay } from '@tower/domain';
import {
  applyLaunchItemEvent,
  persistLaunchItem,
  restoreLaunchItem,
  type LaunchItemEvent,
  type RecordChangeParams,
} from '@tower/workflow-launch';
import { type EngineContext } from './context.js';
import { raiseReopenedOverdueItem, resolveAnsweredOverdueTask } from './signals/launch-items-overdue.js';

/** Who changes an item, and what they said: a completion's note and evidence, an undo's reason. */
export interface LaunchItemChangeBy {
  readonly actorId: string | null;
  readonly note?: string | null;
  readonly evidenceUrl?: string | null;
}

function completionPatch(
  change: RecordChangeParams['change'],
  by: LaunchItemChangeBy,
  at: Date,
): LaunchItemPatch {
  switch (change) {
    case 'completed':
      return {
        completedBy: by.actorId,
        completedAt: at,
        note: by.note ?? null,
        evidenceUrl: by.evidenceUrl ?? null,
      };
    case 'undone':
      return { completedBy: null, completedAt: null, note: null, evidenceUrl: null };
    case 'cancelled':
    case 'replanned':
      return {};
    default:
      return assertNever(change, 'launch item change');
  }
}

/**
 * Sends one event to a launch item inside the caller's transaction (which holds the item's row):
 * restore its machine on today's date → transition → 409 naming the accepted events if refused →
 * persist the new status and date → carry out the returned actions by name (history, audit log,
 * answering or raising the owner's overdue task). Answers the item as stored.
 */
export async function sendLaunchItemEvent(
  ctx: EngineContext,
  tx: Tx,
  item: LaunchItemRow,
  event: LaunchItemEvent,
  by: LaunchItemChangeBy,
): Promise<LaunchItemRow> {
  const now = ctx.now();
  const snapshot = restoreLaunchItem(item, shanghaiDay(now));
  const decision = applyLaunchItemEvent(snapshot, event);
  if (decision.outcome === 'not_allowed') {
    throw new AppError(
      'LAUNCH_ITEM_EVENT_NOT_ALLOWED',
      `${event.type} is not accepted by a ${String(snapshot.value)} launch item.`,
      { state: snapshot.value, allowed: decision.allowed },
    );
  }
  const stored = persistLaunchItem(decision.snapshot);
  let patch: LaunchItemPatch = { status: stored.status, dueOn: stored.dueOn, updatedAt: now };
  for (const action of decision.actions) {
    if (action.type === 'recordChange')
      patch = { ...patch, ...completionPatch(action.params.change, by, now) };
  }
  await updateLaunchItem(tx, item.id, patch);
  const next = { ...item, ...patch } as LaunchItemRow;
  for (const action of decision.actions) {
    switch (action.type) {
      case 'recordChange': {
        const { change } = action.params;
        const dueMoved = item.dueOn !== next.dueOn;
        await insertLaunchItemEvents(tx, [
          {
            itemId: item.id,
            at: now,
            actorId: by.actorId,
            change,
            note: by.note ?? null,
            evidenceUrl: change === 'completed' ? (by.evidenceUrl ?? null) : null,
            dueOnBefore: dueMoved ? item.dueOn : null,
            dueOnAfter: dueMoved ? next.dueOn : null,
          },
        ]);
        await insertAudit(tx, {
          actorId: by.actorId,
          action: `launch_item.${change}`,
          entity: 'launch_item',
          entityId: item.id,
          data: {
            productId: item.productId,
            ...(by.note ? { note: by.note } : {}),
            ...(change === 'completed' && by.evidenceUrl ? { evidenceUrl: by.evidenceUrl } : {}),
            ...(dueMoved ? { dueOnBefore: item.dueOn, dueOnAfter: next.dueOn } : {}),
          },
        });
        break;
      }
      case 'answerOverdueTask':
        await resolveAnsweredOverdueTask(ctx, tx, next);
        break;
      case 'raiseOverdueTask':
        await raiseReopenedOverdueItem(ctx, tx, next);
        break;
      default:
        assertNever(action, 'launch item action');
    }
  }
  return next;
}
