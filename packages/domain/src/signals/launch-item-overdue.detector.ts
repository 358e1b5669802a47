import { isLaunchItemOverdue, type LaunchItemStatus } from '../launch-item.rules.js';
import { daysBetween } from './dates.js';
import { clear, fired } from './detection.js';
import type { Detection } from './detection.js';

/** Input of {@link detectLaunchItemOverdue}: one launch checklist item. */
export interface LaunchItemOverdueInput {
  /** Due date (`YYYY-MM-DD`); the item is overdue from the day after. */
  readonly dueOn: string;
  readonly asOf: string;
  readonly status: LaunchItemStatus;
}

/** `launch_item_overdue`: an item overdue by {@link isLaunchItemOverdue}. A done or cancelled item is always clear. */
export function detectLaunchItemOverdue(input: LaunchItemOverdueInput): Detection {
  const daysOverdue = daysBetween(input.dueOn, input.asOf);
  const overdue = isLaunchItemOverdue(input, input.asOf);
  const evidence = {
    asOf: input.asOf,
    dueOn: input.dueOn,
    status: input.status,
    daysOverdue: Math.max(0, daysOverdue),
    summary:
      input.status !== 'pending'
        ? `item ${input.status} (due ${input.dueOn})`
        : overdue
          ? `item due ${input.dueOn} is ${daysOverdue} day(s) overdue`
          : `item due ${input.dueOn}, not yet overdue`,
  };
  return overdue ? fired(evidence) : clear(evidence);
}
