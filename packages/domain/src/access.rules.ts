import type { LifecycleEventType } from './lifecycle.permissions.js';
import type { Role, Stage } from './vocabulary.js';

/** Roles that see every product of the chain; department managers see their departments' only. */
export const CHAIN_WIDE_ROLES: readonly Role[] = [
  'admin',
  'director',
  'product_manager',
  'marketing_manager',
  'compliance_officer',
];

/**
 * Who may do what, by role, as data (like `LIFECYCLE_EVENT_SENDERS`). Where a row says "besides
 * the product's editors", the owner product manager and admins may too (`canEditProduct`).
 */
export const ROLES_THAT_MAY = {
  createOrgUnits: ['admin'],
  createPeople: ['admin'],
  /** Deactivate people and change their role grants. */
  managePeople: ['admin'],
  manageApiKeys: ['admin'],
  changeRules: ['admin'],
  changeLaunchTemplates: ['admin'],
  /** Push facts in (integrations need the `ingest` scope instead). */
  ingestFacts: ['admin', 'director', 'product_manager', 'marketing_manager', 'department_manager'],
  /** Upload CSV/XLSX exports and commit them (the roles that ingest facts: an import is ingested facts). */
  importFiles: ['admin', 'director', 'product_manager', 'marketing_manager', 'department_manager'],
  /** Besides who uploaded it. */
  seeEveryonesImports: ['admin', 'director'],
  keepCalendar: ['admin', 'director', 'marketing_manager'],
  /** Besides the product's editors. */
  setSalesTargets: ['marketing_manager'],
  /** Besides the product's editors. */
  recordCompetitorPrices: ['marketing_manager'],
  /** Besides the product's editors. */
  silenceSignals: ['director', 'marketing_manager'],
  /** Besides who set the silence and the product's editors. */
  liftSilences: ['director'],
  /** Besides the task's assignees. */
  actOnAnyTask: ['director', 'admin'],
  /** Besides who completed it. */
  undoLaunchItems: ['admin'],
  /** Run a quarterly review on demand (the scheduler runs them by itself). */
  runReviews: ['product_manager', 'director', 'admin'],
  /** Besides the assignees of the department's review task. */
  decideOnReviews: ['product_manager', 'director', 'admin'],
  /** Every person, not only those with a grant (the people list shows channels to these). */
  seeEveryonesChannels: ['admin'],
  /** Besides the channel's owner: send a test message to anyone's channel. */
  testAnyChannel: ['admin'],
  /** The staff list (names and roles), e.g. to pick an owner or an assignee. */
  listPeople: [
    'admin',
    'director',
    'product_manager',
    'marketing_manager',
    'compliance_officer',
    'department_manager',
  ],
  /** Put a signal's false-alarm tightening back to the rule as written. */
  resetSignalTuning: ['admin'],
  /** The queues' waiting, active, delayed and failed counts. */
  seeBacklog: ['admin'],
  /** Who a task escalates to, and who a quarterly review task goes to. */
  receiveEscalations: ['director'],
} as const satisfies Record<string, readonly Role[]>;
export type RoleAction = keyof typeof ROLES_THAT_MAY;

/** Stages a product never leaves: it can no longer change. */
export const FINAL_STAGES: readonly Stage[] = ['retired', 'rejected'];

export function isFinalStage(stage: string): boolean {
  return (FINAL_STAGES as readonly string[]).includes(stage);
}

/** What a gate froze, the stages it may still change in, and the event that reopens it. */
export interface StageEditRule {
  readonly stages: readonly Stage[];
  readonly reopenWith: LifecycleEventType;
}

/**
 * Once a gate has passed, what it checked is frozen until the life cycle goes back: the sheet after
 * packaging (REPACKAGE reopens it), the prices after pricing (REPRICE reopens them).
 */
export const STAGE_EDIT_RULES: Readonly<Record<'sheet' | 'prices', StageEditRule>> = {
  sheet: { stages: ['research', 'packaging'], reopenWith: 'REPACKAGE' },
  prices: { stages: ['research', 'packaging', 'pricing'], reopenWith: 'REPRICE' },
};
