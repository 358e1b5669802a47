import type { Reason } from './errors.js';
import type { Role } from './vocabulary.js';

/** A required launch checklist item not done yet. */
export interface OpenChecklistItem {
  /** The item's id, when the caller has one (the gate names it so a client can link to the item). */
  readonly itemId?: string;
  readonly title: string;
  readonly branchId: string;
  readonly ownerRole: Role;
}

/** The facts the launch gate reads: the required checklist items still open. */
export interface LaunchFacts {
  readonly openItems: readonly OpenChecklistItem[];
}

/** Every reason the launch gate refuses: one `CHECKLIST_ITEM_OPEN` (`itemId`, `title`, `branchId`, `ownerRole`) per open item. */
export function launchIssues(facts: LaunchFacts): Reason[] {
  return facts.openItems.map(({ itemId, title, branchId, ownerRole }) => ({
    code: 'CHECKLIST_ITEM_OPEN',
    ...(itemId ? { itemId } : {}),
    title,
    branchId,
    ownerRole,
    message: `"${title}" (${ownerRole}, branch ${branchId}) is not done.`,
  }));
}

/** The facts the retirement gate reads; dates are `YYYY-MM-DD`. */
export interface RetirementFacts {
  readonly outstandingPrepaidSessions: number;
  readonly endOn: string | null;
  readonly today: string;
}

/**
 * Why a product phasing out cannot be retired yet: `PREPAID_SESSIONS_OUTSTANDING` (`outstanding`,
 * `endOn`) while prepaid sessions remain and the end date (if any) has not come.
 */
export function retirementIssues(facts: RetirementFacts): Reason[] {
  const { outstandingPrepaidSessions: outstanding, endOn, today } = facts;
  // YYYY-MM-DD strings compare in date order.
  if (outstanding <= 0 || (endOn !== null && today >= endOn)) return [];
  return [
    {
      code: 'PREPAID_SESSIONS_OUTSTANDING',
      outstanding,
      endOn,
      message:
        endOn === null
          ? `${outstanding} prepaid sessions are still to be honoured.`
          : `${outstanding} prepaid sessions are still to be honoured before ${endOn}.`,
    },
  ];
}
