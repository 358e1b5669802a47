/** What `launch_items.status` stores. Overdue is not stored: it follows from the status, the due date and the day. */
export const LAUNCH_ITEM_STATUSES = ['pending', 'done', 'cancelled'] as const;
export type LaunchItemStatus = (typeof LAUNCH_ITEM_STATUSES)[number];

/**
 * The one definition of an overdue launch item, as data so that the SQL condition of the db
 * repositories is built from it: an item in status `status` whose due date is strictly before the
 * day (Asia/Shanghai) it is judged on. Due today is on time; done and cancelled items are never overdue.
 */
export const LAUNCH_ITEM_OVERDUE_RULE = { status: 'pending', dueOnComparedToToday: '<' } as const;

/** Whether a launch item is overdue on `today` (`YYYY-MM-DD`), by {@link LAUNCH_ITEM_OVERDUE_RULE}. */
export function isLaunchItemOverdue(
  item: { readonly status: LaunchItemStatus; readonly dueOn: string },
  today: string,
): boolean {
  // YYYY-MM-DD strings compare in date order.
  return item.status === LAUNCH_ITEM_OVERDUE_RULE.status && item.dueOn < today;
}

/** What an item's history records (`launch_item_events.change`). */
export const LAUNCH_ITEM_CHANGES = ['created', 'completed', 'undone', 'cancelled', 'replanned'] as const;
export type LaunchItemChange = (typeof LAUNCH_ITEM_CHANGES)[number];
