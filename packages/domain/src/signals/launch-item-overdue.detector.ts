import { daysBetween } from './dates.js';
import { clear, fired } from './detection.js';
import type { Detection } from './detection.js';

/** Input of {@link detectLaunchItemOverdue}: one launch checklist item. */
export interface LaunchItemOverdueInput {
  /** Due date (`YYYY-MM-DD`); the item is overdue from the day after. */
  readonly dueOn: string;
  readonly asOf: string;
  readonly status: 'pending' | 'done';
}

/** `launch_item_overdue`: an item not done by its due date. A done item is always clear. */
export function detectLaunchItemOverdue(input: LaunchItemOverdueInput): Detection {
  const daysOverdue = daysBetween(input.dueOn, input.asOf);
  const isOverdue = input.status !== 'done' && daysOverdue > 0;
  const evidence = {
    asOf: input.asOf,
    dueOn: input.dueOn,
    status: input.status,
    daysOverdue: Math.max(0, daysOverdue),
    summary:
      input.status === 'done'
        ? `item done (due ${input.dueOn})`
        : isOverdue
          ? `item due ${input.dueOn} is ${daysOverdue} day(s) overdue`
          : `item due ${input.dueOn}, not yet overdue`,
  };
  return isOverdue ? fired(evidence) : clear(evidence);
}
