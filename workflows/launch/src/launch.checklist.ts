import { AppError, type LaunchTemplateItem, type Role } from '@tower/domain';
import type { LaunchItemStatus } from './launch-item.machine.js';

/** A checklist item to insert: one template item at one launching branch. */
export interface ChecklistItemDraft {
  readonly branchId: string;
  /** Set only for `department_manager` items: the product's department at that branch. */
  readonly departmentId: string | null;
  readonly ownerRole: Role;
  readonly title: string;
  readonly required: boolean;
  /** `YYYY-MM-DD`: the target launch date minus the template's `daysBefore`. */
  readonly dueOn: string;
}

export interface BuildChecklistOptions {
  readonly template: readonly LaunchTemplateItem[];
  readonly branchIds: readonly string[];
  readonly departmentId: string;
  /** `YYYY-MM-DD`. */
  readonly targetLaunchDate: string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/**
 * Adds whole days to a `YYYY-MM-DD` date. Works on UTC midnights so no time zone or daylight-saving
 * change can shift the result by a day. Throws `AppError` `INVALID_DATE` for anything not a real date.
 */
export function addDays(date: string, days: number): string {
  const match = DATE.exec(date);
  const time = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  // Date.UTC rolls 2026-02-30 over to 2026-03-02; a round trip catches it.
  if (Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== date) {
    throw new AppError('INVALID_DATE', `"${date}" is not a YYYY-MM-DD date.`, { date });
  }
  return new Date(time + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The launch checklist of a product entering `launch`: every template item once per launching
 * branch (branches in the given order, duplicates dropped), due `daysBefore` days before the
 * target launch date. Department manager items are scoped to the product's department at that
 * branch; the other roles' items to the branch only.
 */
export function buildChecklist(options: BuildChecklistOptions): ChecklistItemDraft[] {
  const { template, departmentId, targetLaunchDate } = options;
  addDays(targetLaunchDate, 0);
  return [...new Set(options.branchIds)].flatMap((branchId) =>
    template.map((item) => ({
      branchId,
      departmentId: item.ownerRole === 'department_manager' ? departmentId : null,
      ownerRole: item.ownerRole,
      title: item.title,
      required: item.required,
      dueOn: addDays(targetLaunchDate, -item.daysBefore),
    })),
  );
}

/** Whether an item is overdue on `today`: not done and its due date has passed (due today is on time). */
export function isOverdue(
  item: { readonly dueOn: string; readonly status: LaunchItemStatus },
  today: string,
): boolean {
  // YYYY-MM-DD strings compare in date order.
  return item.status !== 'done' && today > item.dueOn;
}
