import {
  AppError,
  isLaunchItemOverdue,
  LAUNCH_ITEM_STATUSES,
  type LaunchItemChange,
  type LaunchItemStatus,
} from '@tower/domain';
import { assign, getNextTransitions, setup, transition, type SnapshotFrom } from 'xstate';

/**
 * The states of a launch checklist item. `overdue` is a `pending` item past its due date: it is not
 * stored, {@link restoreLaunchItem} works it out from the due date and the day by
 * `isLaunchItemOverdue` (the one definition of overdue), and {@link persistLaunchItem} stores it as `pending`.
 */
export const LAUNCH_ITEM_STATES = ['pending', 'overdue', 'done', 'cancelled'] as const;
export type LaunchItemState = (typeof LAUNCH_ITEM_STATES)[number];

/** What the machine keeps: the due date and the day the item is judged on (Asia/Shanghai). */
export interface LaunchItemContext {
  readonly dueOn: string;
  readonly today: string;
}

/** The events a launch item accepts. */
export type LaunchItemEvent =
  /** Its owner did it. */
  | { readonly type: 'COMPLETE' }
  /** The completion is taken back: the item is open again (overdue if its date has passed). */
  | { readonly type: 'UNDO' }
  /** Its branch left the launch: an open item has nothing left to do. */
  | { readonly type: 'CANCEL' }
  /** The target launch date moved: a new due date. */
  | { readonly type: 'REPLAN'; readonly dueOn: string };
export type LaunchItemEventType = LaunchItemEvent['type'];
export const LAUNCH_ITEM_EVENT_TYPES = [
  'COMPLETE',
  'UNDO',
  'CANCEL',
  'REPLAN',
] as const satisfies readonly LaunchItemEventType[];

/** Params of the `recordChange` action: what happened, for the item's history and the audit log. */
export interface RecordChangeParams {
  readonly change: Exclude<LaunchItemChange, 'created'>;
}

/** A named action of the machine, for the engine to carry out. */
export type LaunchItemAction =
  | { readonly type: 'recordChange'; readonly params: RecordChangeParams }
  | { readonly type: 'answerOverdueTask'; readonly params?: undefined }
  | { readonly type: 'raiseOverdueTask'; readonly params?: undefined };

const record = (change: RecordChangeParams['change']) => ({
  type: 'recordChange' as const,
  params: { change },
});

/**
 * One launch checklist item: `pending` (or `overdue`) → `done` on `COMPLETE`, back on `UNDO`;
 * `pending`/`overdue` → `cancelled` (final) on `CANCEL`; `REPLAN` moves the due date, so an overdue
 * item with a later date is pending again. Pure: the actions are named no-ops that the engine carries
 * out by name from `transition()`'s result:
 * - `recordChange` ({@link RecordChangeParams}): the item's history and the audit log;
 * - `answerOverdueTask`: the item stopped being overdue, so its owner's `launch_item_overdue` task may
 *   have nothing left to answer;
 * - `raiseOverdueTask`: the item became overdue by a person's change (an undo or a replan into the
 *   past), so its owner's task is raised now rather than at the next hourly sweep.
 */
export const launchItemMachine = setup({
  types: {
    context: {} as LaunchItemContext,
    events: {} as LaunchItemEvent,
  },
  guards: {
    overdueNow: ({ context }) =>
      isLaunchItemOverdue({ status: 'pending', dueOn: context.dueOn }, context.today),
    overdueOnNewDate: ({ context, event }) =>
      event.type === 'REPLAN' &&
      isLaunchItemOverdue({ status: 'pending', dueOn: event.dueOn }, context.today),
  },
  actions: {
    recordChange: (_args, _params: RecordChangeParams) => undefined,
    answerOverdueTask: () => undefined,
    raiseOverdueTask: () => undefined,
    setDueOn: assign({
      dueOn: ({ context, event }) => (event.type === 'REPLAN' ? event.dueOn : context.dueOn),
    }),
  },
}).createMachine({
  id: 'launchItem',
  context: { dueOn: '1970-01-01', today: '1970-01-01' },
  initial: 'pending',
  states: {
    pending: {
      on: {
        COMPLETE: { target: 'done', actions: [record('completed')] },
        CANCEL: { target: 'cancelled', actions: [record('cancelled')] },
        REPLAN: [
          {
            guard: 'overdueOnNewDate',
            target: 'overdue',
            actions: ['setDueOn', record('replanned'), 'raiseOverdueTask'],
          },
          { target: 'pending', actions: ['setDueOn', record('replanned')] },
        ],
      },
    },
    overdue: {
      on: {
        COMPLETE: { target: 'done', actions: [record('completed'), 'answerOverdueTask'] },
        CANCEL: { target: 'cancelled', actions: [record('cancelled'), 'answerOverdueTask'] },
        REPLAN: [
          { guard: 'overdueOnNewDate', target: 'overdue', actions: ['setDueOn', record('replanned')] },
          { target: 'pending', actions: ['setDueOn', record('replanned'), 'answerOverdueTask'] },
        ],
      },
    },
    done: {
      on: {
        UNDO: [
          { guard: 'overdueNow', target: 'overdue', actions: [record('undone'), 'raiseOverdueTask'] },
          { target: 'pending', actions: [record('undone')] },
        ],
        // A done item keeps its status; its date follows the plan so that an undo reopens it on time.
        REPLAN: { actions: ['setDueOn', record('replanned')] },
      },
    },
    cancelled: { type: 'final' },
  },
});

export type LaunchItemSnapshot = SnapshotFrom<typeof launchItemMachine>;

/** The snapshot of a stored item on `today`: a pending item past its due date is `overdue`. */
export function restoreLaunchItem(
  stored: { readonly status: string; readonly dueOn: string },
  today: string,
): LaunchItemSnapshot {
  const { status, dueOn } = stored;
  if (!(LAUNCH_ITEM_STATUSES as readonly string[]).includes(status)) {
    throw new AppError('LAUNCH_ITEM_STATUS_INVALID', `Unknown stored launch item status "${status}".`);
  }
  const value: LaunchItemState = isLaunchItemOverdue({ status: status as LaunchItemStatus, dueOn }, today)
    ? 'overdue'
    : (status as LaunchItemStatus);
  return launchItemMachine.resolveState({ value, context: { dueOn, today } });
}

/** What is stored of a snapshot: `overdue` is stored as `pending`. */
export function persistLaunchItem(snapshot: LaunchItemSnapshot): { status: LaunchItemStatus; dueOn: string } {
  const value = snapshot.value;
  return { status: value === 'overdue' ? 'pending' : value, dueOn: snapshot.context.dueOn };
}

/** The events the item's state accepts, in catalogue order. */
export function acceptedLaunchItemEvents(snapshot: LaunchItemSnapshot): LaunchItemEventType[] {
  if (snapshot.status !== 'active') return [];
  const types = new Set<string>(getNextTransitions(snapshot).map((t) => String(t.eventType)));
  return LAUNCH_ITEM_EVENT_TYPES.filter((type) => types.has(type));
}

/** The outcome of {@link applyLaunchItemEvent}. */
export type LaunchItemDecision =
  | { readonly outcome: 'not_allowed'; readonly allowed: LaunchItemEventType[] }
  | {
      readonly outcome: 'transitioned';
      readonly snapshot: LaunchItemSnapshot;
      readonly actions: LaunchItemAction[];
    };

/** Decides an event: `not_allowed` (409, naming the accepted events) or the next snapshot and the actions to carry out. */
export function applyLaunchItemEvent(
  snapshot: LaunchItemSnapshot,
  event: LaunchItemEvent,
): LaunchItemDecision {
  const allowed = acceptedLaunchItemEvents(snapshot);
  if (!allowed.includes(event.type)) return { outcome: 'not_allowed', allowed };
  const [next, actions] = transition(launchItemMachine, snapshot, event);
  return {
    outcome: 'transitioned',
    snapshot: next,
    // Only the named actions are the engine's; XState's own (assign) have done their work in `next`.
    actions: actions.flatMap((action): LaunchItemAction[] => {
      if (action.type === 'recordChange') {
        return [{ type: 'recordChange', params: action.params as RecordChangeParams }];
      }
      if (action.type === 'answerOverdueTask' || action.type === 'raiseOverdueTask')
        return [{ type: action.type }];
      return [];
    }),
  };
}
