import type { Reason } from './errors.js';
import type { Role } from './vocabulary.js';

/** A required launch checklist item not done yet. */
export interface OpenChecklistItem {
  readonly title: string;
  readonly branchId: string;
  readonly ownerRole: Role;
}

/** The facts the launch gate reads: the required checklist items still open. */
export interface LaunchFacts {
  readonly openItems: readonly OpenChecklistItem[];
}

/** Every reason the launch gate refuses: one `CHECKLIST_ITEM_OPEN` (`title`, `branchId`, `ownerRole`) per open item. */
export function launchIssues(facts: LaunchFacts): Reason[] {
  return facts.openItems.map(({ title, branchId, ownerRole }) => ({
    code: 'CHECKLIST_ITEM_OPEN',
    title,
    branchId,
    ownerRole,
    message: `"${title}" (${ownerRole}, branch ${branchId}) is not done.`,
  }));
}

/** One item of a launch checklist template; `daysBefore` counts back from the target launch date. */
export interface LaunchTemplateItem {
  readonly ownerRole: Role;
  readonly title: string;
  readonly daysBefore: number;
  readonly required: boolean;
}

/** The cross-department launch checklist of DOMAIN.md: 13 items, every one required. */
export const DEFAULT_LAUNCH_TEMPLATE: readonly LaunchTemplateItem[] = [
  { ownerRole: 'product_manager', title: 'Sheet published to staff', daysBefore: 7, required: true },
  {
    ownerRole: 'product_manager',
    title: 'Prices loaded in the cashier system',
    daysBefore: 3,
    required: true,
  },
  {
    ownerRole: 'product_manager',
    title: 'Sales scripts handed to consultants',
    daysBefore: 7,
    required: true,
  },
  {
    ownerRole: 'marketing_manager',
    title: 'Channel listings ready (Meituan/Dianping, SoYoung)',
    daysBefore: 3,
    required: true,
  },
  { ownerRole: 'marketing_manager', title: 'Launch campaign planned', daysBefore: 14, required: true },
  { ownerRole: 'marketing_manager', title: 'Materials and posters made', daysBefore: 7, required: true },
  { ownerRole: 'department_manager', title: 'Consumables stocked', daysBefore: 3, required: true },
  { ownerRole: 'department_manager', title: 'Equipment checked', daysBefore: 1, required: true },
  { ownerRole: 'department_manager', title: 'Treatment SOP written', daysBefore: 14, required: true },
  { ownerRole: 'department_manager', title: 'Doctors trained', daysBefore: 7, required: true },
  { ownerRole: 'compliance_officer', title: 'Ad copy reviewed', daysBefore: 7, required: true },
  {
    ownerRole: 'compliance_officer',
    title: 'Indications and contraindications shown on the consent form',
    daysBefore: 7,
    required: true,
  },
  { ownerRole: 'compliance_officer', title: 'Vendor qualifications on file', daysBefore: 14, required: true },
];

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
