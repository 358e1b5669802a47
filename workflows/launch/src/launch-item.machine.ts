import { getNextTransitions, setup, transition, type SnapshotFrom } from 'xstate';

/**
 * The states a launch checklist item passes through. The database stores `pending` or `done`;
 * `overdue` is a pending item past its due date, worked out from `due_on` when read.
 */
export const LAUNCH_ITEM_STATUSES = ['pending', 'overdue', 'done'] as const;
export type LaunchItemStatus = (typeof LAUNCH_ITEM_STATUSES)[number];

export type LaunchItemEvent = { readonly type: 'COMPLETE' } | { readonly type: 'MARK_OVERDUE' };
export type LaunchItemEventType = LaunchItemEvent['type'];

/** One launch checklist item: pending → done, pending → overdue (`MARK_OVERDUE`), overdue → done. */
export const launchItemMachine = setup({
  types: { events: {} as LaunchItemEvent },
}).createMachine({
  id: 'launchItem',
  initial: 'pending',
  states: {
    pending: { on: { COMPLETE: { target: 'done' }, MARK_OVERDUE: { target: 'overdue' } } },
    overdue: { on: { COMPLETE: { target: 'done' } } },
    done: { type: 'final' },
  },
});

export type LaunchItemSnapshot = SnapshotFrom<typeof launchItemMachine>;

export function isLaunchItemStatus(value: unknown): value is LaunchItemStatus {
  return typeof value === 'string' && (LAUNCH_ITEM_STATUSES as readonly string[]).includes(value);
}

/** The snapshot of an item in a stored status. */
export function launchItemSnapshot(status: LaunchItemStatus): LaunchItemSnapshot {
  return launchItemMachine.resolveState({ value: status, context: {} });
}

/** The status an item moves to on `type`, or null when its status does not accept the event. */
export function nextLaunchItemStatus(
  status: LaunchItemStatus,
  type: LaunchItemEventType,
): LaunchItemStatus | null {
  const snapshot = launchItemSnapshot(status);
  if (!getNextTransitions(snapshot).some((t) => t.eventType === type)) return null;
  const [next] = transition(launchItemMachine, snapshot, { type });
  return next.value;
}
