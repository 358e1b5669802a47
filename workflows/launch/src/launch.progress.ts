import { isLaunchItemOverdue, type LaunchItemStatus } from '@tower/domain';

/** An item as progress reads it. */
export interface ProgressItem {
  readonly id: string;
  readonly branchId: string;
  readonly ownerRole: string;
  readonly title: string;
  readonly required: boolean;
  readonly status: LaunchItemStatus;
  readonly dueOn: string;
}

/** Done of total (cancelled items count in neither); `percentDone` rounds down, so 100 means all done. */
export interface Progress {
  readonly done: number;
  readonly total: number;
  readonly percentDone: number;
}

export interface RoleProgress extends Progress {
  readonly ownerRole: string;
}

export interface BranchProgress extends Progress {
  readonly branchId: string;
  readonly byRole: RoleProgress[];
}

/** A required item not done yet: what the LAUNCH gate refuses on. */
export interface Blocker {
  readonly itemId: string;
  readonly branchId: string;
  readonly ownerRole: string;
  readonly title: string;
  readonly dueOn: string;
  readonly overdue: boolean;
}

export interface LaunchProgress extends Progress {
  readonly byBranch: BranchProgress[];
  readonly byRole: RoleProgress[];
  readonly blockers: Blocker[];
}

function progressOf(items: readonly ProgressItem[]): Progress {
  const done = items.filter((item) => item.status === 'done').length;
  return {
    done,
    total: items.length,
    percentDone: items.length === 0 ? 0 : Math.floor((done * 100) / items.length),
  };
}

function byRole(items: readonly ProgressItem[]): RoleProgress[] {
  const roles = [...new Set(items.map((item) => item.ownerRole))];
  return roles.map((ownerRole) => ({
    ownerRole,
    ...progressOf(items.filter((item) => item.ownerRole === ownerRole)),
  }));
}

/**
 * A checklist's progress on `today`: overall, per branch (and per role within it), per role across
 * branches, and the blockers (required items not done), overdue ones first. Groups keep the order
 * in which their first item appears.
 */
export function launchProgress(items: readonly ProgressItem[], today: string): LaunchProgress {
  const live = items.filter((item) => item.status !== 'cancelled');
  const branches = [...new Set(live.map((item) => item.branchId))];
  const blockers = live
    .filter((item) => item.required && item.status === 'pending')
    .map((item) => ({
      itemId: item.id,
      branchId: item.branchId,
      ownerRole: item.ownerRole,
      title: item.title,
      dueOn: item.dueOn,
      overdue: isLaunchItemOverdue(item, today),
    }))
    .sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.dueOn.localeCompare(b.dueOn));
  return {
    ...progressOf(live),
    byBranch: branches.map((branchId) => {
      const ofBranch = live.filter((item) => item.branchId === branchId);
      return { branchId, ...progressOf(ofBranch), byRole: byRole(ofBranch) };
    }),
    byRole: byRole(live),
    blockers,
  };
}
