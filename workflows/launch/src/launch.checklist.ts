import {
  addDays,
  launchTemplateItemKey,
  type LaunchItemStatus,
  type LaunchOwnerRole,
  type LaunchTemplateItem,
} from '@tower/domain';

export { addDays };

/** A checklist item to insert: one template item at one launching branch. */
export interface ChecklistItemDraft {
  readonly branchId: string;
  /** Set only for `department_manager` items: the product's department at that branch. */
  readonly departmentId: string | null;
  readonly ownerRole: LaunchOwnerRole;
  readonly title: string;
  readonly titleZh: string | null;
  readonly description: string | null;
  readonly required: boolean;
  readonly daysBefore: number;
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

function draft(item: LaunchTemplateItem, branchId: string, departmentId: string, target: string) {
  return {
    branchId,
    departmentId: item.ownerRole === 'department_manager' ? departmentId : null,
    ownerRole: item.ownerRole,
    title: item.title,
    titleZh: item.titleZh ?? null,
    description: item.description ?? null,
    required: item.required,
    daysBefore: item.daysBefore,
    dueOn: addDays(target, -item.daysBefore),
  };
}

/**
 * The launch checklist of a product entering `launch`: every template item once per launching
 * branch (branches in the given order, duplicates dropped), due `daysBefore` days before the
 * target launch date. Department manager items are scoped to the product's department at that
 * branch; the other roles' items to the branch only. Throws `INVALID_DATE` for a bad target date.
 */
export function buildChecklist(options: BuildChecklistOptions): ChecklistItemDraft[] {
  const { template, departmentId, targetLaunchDate } = options;
  addDays(targetLaunchDate, 0);
  return [...new Set(options.branchIds)].flatMap((branchId) =>
    template.map((item) => draft(item, branchId, departmentId, targetLaunchDate)),
  );
}

/** An item of a checklist already made, as re-planning reads it. */
export interface PlannedItem {
  readonly id: string;
  readonly branchId: string;
  readonly ownerRole: string;
  readonly title: string;
  readonly status: LaunchItemStatus;
  readonly daysBefore: number;
  readonly dueOn: string;
}

export interface ReplanOptions extends BuildChecklistOptions {
  /** The items the checklist holds now (every status). */
  readonly items: readonly PlannedItem[];
}

/** What re-planning changes; the engine carries each out through the launch-item machine. */
export interface ReplanChanges {
  /** Items for launching branches that lack them (a new branch, or one dropped and added back). */
  readonly create: ChecklistItemDraft[];
  /** Open items of branches no longer launching. */
  readonly cancel: { readonly id: string }[];
  /** Items of launching branches, open or done, whose due date moves with the target date. */
  readonly redate: { readonly id: string; readonly dueOn: string }[];
}

/**
 * Re-plans a checklist for new launching branches and a new target date. Done items are never
 * cancelled or recreated; cancelled items stay cancelled (a branch added back gets fresh items).
 * `template` is the version the checklist was made from, so a later template change does not leak in.
 */
export function replanChecklist(options: ReplanOptions): ReplanChanges {
  const { template, departmentId, targetLaunchDate, items } = options;
  addDays(targetLaunchDate, 0);
  const branches = new Set(options.branchIds);
  const live = items.filter((item) => item.status !== 'cancelled');
  const present = new Set(live.map((item) => `${item.branchId}\u0000${launchTemplateItemKey(item)}`));
  const create = [...branches].flatMap((branchId) =>
    template
      .filter((item) => !present.has(`${branchId}\u0000${launchTemplateItemKey(item)}`))
      .map((item) => draft(item, branchId, departmentId, targetLaunchDate)),
  );
  const cancel = live
    .filter((item) => item.status === 'pending' && !branches.has(item.branchId))
    .map((item) => ({ id: item.id }));
  const redate = live
    .filter((item) => branches.has(item.branchId))
    .flatMap((item) => {
      const dueOn = addDays(targetLaunchDate, -item.daysBefore);
      return dueOn === item.dueOn ? [] : [{ id: item.id, dueOn }];
    });
  return { create, cancel, redate };
}
