import {
  getNextTransitions,
  initialTransition,
  setup,
  transition,
  type AnyStateNode,
  type ExecutableActionsFrom,
  type SnapshotFrom,
  type StateValue,
} from 'xstate';
import {
  AppError,
  belowFloorApprovalIssues,
  LIFECYCLE_EVENTS,
  launchIssues,
  overPromiseIssues,
  pricingIssues,
  researchIssues,
  retirementIssues,
  sheetIssues,
  STAGES,
  trainingIssues,
  unapprovedBelowFloorPrices,
  type BelowFloorApproval,
  type Costs,
  type LifecycleEventType,
  type OpenChecklistItem,
  type Price,
  type PricingFacts,
  type Reason,
  type Rules,
  type Sheet,
  type Stage,
  type Tier,
  type TraineeFact,
} from '@tower/domain';

/**
 * Everything the guards of the life cycle read, loaded by the engine before each event. Dates are
 * `YYYY-MM-DD`; money is integer fen.
 */
export interface LifecycleFacts {
  readonly competitorPriceCount: number;
  readonly targetCustomerDescription: string | null;
  readonly sheet: Sheet;
  readonly tier: Tier;
  readonly costs: Costs | null;
  readonly prices: readonly Price[];
  readonly approvals: readonly BelowFloorApproval[];
  readonly launchBranchIds: readonly string[];
  readonly trainees: readonly TraineeFact[];
  /** The required launch checklist items not done yet. */
  readonly openChecklistItems: readonly OpenChecklistItem[];
  readonly outstandingPrepaidSessions: number;
  readonly retirementEndOn: string | null;
  readonly today: string;
  readonly rules: Rules;
}

/** An event of the life cycle: its type and the facts its guard reads. */
export type LifecycleEvent = {
  [K in LifecycleEventType]: { readonly type: K; readonly facts: LifecycleFacts };
}[LifecycleEventType];

export interface LifecycleContext {
  readonly productId: string | null;
}

export interface LifecycleInput {
  readonly productId?: string;
}

/** Params of the `createLaunchChecklist` action: the branches to make checklist items for. */
export interface CreateLaunchChecklistParams {
  readonly branchIds: readonly string[];
}

/** Params of the `recordBelowFloorApproval` action: the below-floor prices the director approves. */
export interface RecordBelowFloorApprovalParams {
  readonly approvals: readonly BelowFloorApproval[];
}

/** Facts that know nothing yet: no research, an empty sheet, no costs or prices, no branches. */
export function emptyFacts(rules: Rules, overrides: Partial<LifecycleFacts> = {}): LifecycleFacts {
  return {
    competitorPriceCount: 0,
    targetCustomerDescription: null,
    sheet: {},
    tier: 'profit',
    costs: null,
    prices: [],
    approvals: [],
    launchBranchIds: [],
    trainees: [],
    openChecklistItems: [],
    outstandingPrepaidSessions: 0,
    retirementEndOn: null,
    today: '1970-01-01',
    rules,
    ...overrides,
  };
}

function pricingFacts(facts: LifecycleFacts): PricingFacts {
  return { costs: facts.costs, prices: facts.prices, tier: facts.tier, approvals: facts.approvals };
}

// The one source of truth for every gate: a guard passes exactly when its reasons are empty, and
// the engine reports the same reasons in a 422.
const GATES = {
  researchComplete: (facts: LifecycleFacts): Reason[] => researchIssues(facts, facts.rules),
  packagingComplete: (facts: LifecycleFacts): Reason[] => [
    ...sheetIssues(facts.sheet),
    ...overPromiseIssues(facts.sheet),
  ],
  hasBelowFloorToApprove: (facts: LifecycleFacts): Reason[] =>
    belowFloorApprovalIssues(pricingFacts(facts), facts.rules),
  pricingComplete: (facts: LifecycleFacts): Reason[] => pricingIssues(pricingFacts(facts), facts.rules),
  trainingComplete: (facts: LifecycleFacts): Reason[] => trainingIssues(facts),
  launchComplete: (facts: LifecycleFacts): Reason[] => launchIssues({ openItems: facts.openChecklistItems }),
  retirementComplete: (facts: LifecycleFacts): Reason[] =>
    retirementIssues({
      outstandingPrepaidSessions: facts.outstandingPrepaidSessions,
      endOn: facts.retirementEndOn,
      today: facts.today,
    }),
};
type GateName = keyof typeof GATES;

function isGateName(name: unknown): name is GateName {
  return typeof name === 'string' && Object.hasOwn(GATES, name);
}

const passes =
  (gate: GateName) =>
  ({ event }: { event: LifecycleEvent }): boolean =>
    GATES[gate](event.facts).length === 0;

/**
 * The life cycle of one product (DOMAIN.md "The life cycle"). Pure: guards read the facts carried
 * by each event, and the named actions (`createLaunchChecklist`, `recordBelowFloorApproval`) do
 * nothing here — the engine calls `transition()` and executes the returned actions by name.
 */
export const lifecycleMachine = setup({
  types: {
    context: {} as LifecycleContext,
    events: {} as LifecycleEvent,
    // XState's idiom for declaring types; the assertion is the declaration.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    input: {} as LifecycleInput | undefined,
  },
  guards: {
    researchComplete: passes('researchComplete'),
    packagingComplete: passes('packagingComplete'),
    hasBelowFloorToApprove: passes('hasBelowFloorToApprove'),
    pricingComplete: passes('pricingComplete'),
    trainingComplete: passes('trainingComplete'),
    launchComplete: passes('launchComplete'),
    retirementComplete: passes('retirementComplete'),
  },
  actions: {
    createLaunchChecklist: (_args, _params: CreateLaunchChecklistParams) => undefined,
    recordBelowFloorApproval: (_args, _params: RecordBelowFloorApprovalParams) => undefined,
  },
}).createMachine({
  id: 'lifecycle',
  context: ({ input }) => ({ productId: input?.productId ?? null }),
  initial: 'research',
  states: {
    research: {
      on: {
        APPROVE_RESEARCH: { target: 'packaging', guard: 'researchComplete' },
        REJECT: { target: 'rejected' },
      },
    },
    packaging: {
      on: {
        APPROVE_PACKAGING: { target: 'pricing', guard: 'packagingComplete' },
        REJECT: { target: 'rejected' },
      },
    },
    pricing: {
      on: {
        APPROVE_BELOW_FLOOR: {
          guard: 'hasBelowFloorToApprove',
          actions: {
            type: 'recordBelowFloorApproval',
            params: ({ event }) => ({
              approvals: unapprovedBelowFloorPrices(pricingFacts(event.facts), event.facts.rules).map(
                ({ type, amountFen }) => ({ type, amountFen }),
              ),
            }),
          },
        },
        APPROVE_PRICING: { target: 'training', guard: 'pricingComplete' },
        REJECT: { target: 'rejected' },
      },
    },
    training: {
      on: {
        COMPLETE_TRAINING: {
          target: 'launch',
          guard: 'trainingComplete',
          actions: {
            type: 'createLaunchChecklist',
            params: ({ event }) => ({ branchIds: [...new Set(event.facts.launchBranchIds)] }),
          },
        },
        REJECT: { target: 'rejected' },
      },
    },
    launch: {
      on: {
        LAUNCH: { target: 'monitoring', guard: 'launchComplete' },
        REJECT: { target: 'rejected' },
      },
    },
    monitoring: {
      on: {
        REPRICE: { target: 'pricing' },
        REPACKAGE: { target: 'packaging' },
        RETRAIN: { target: 'training' },
        RETIRE: { target: 'retirement' },
      },
    },
    retirement: {
      initial: 'phasing_out',
      states: {
        phasing_out: {
          on: {
            COMPLETE_RETIREMENT: { target: '#lifecycle.retired', guard: 'retirementComplete' },
          },
        },
      },
    },
    retired: { type: 'final' },
    rejected: { type: 'final' },
  },
});

export type LifecycleMachine = typeof lifecycleMachine;
export type LifecycleSnapshot = SnapshotFrom<LifecycleMachine>;
/** An action as `transition()` returns it. */
type ExecutableLifecycleAction = ExecutableActionsFrom<LifecycleMachine>;

/**
 * An action for the engine to execute, by name with its typed params; a switch over `type` can be
 * checked for exhaustiveness at compile time.
 */
export type LifecycleAction =
  | { readonly type: 'createLaunchChecklist'; readonly params: CreateLaunchChecklistParams }
  | { readonly type: 'recordBelowFloorApproval'; readonly params: RecordBelowFloorApprovalParams };

function namedAction(action: ExecutableLifecycleAction): LifecycleAction {
  switch (action.type) {
    case 'createLaunchChecklist':
      return { type: action.type, params: action.params as CreateLaunchChecklistParams };
    case 'recordBelowFloorApproval':
      return { type: action.type, params: action.params as RecordBelowFloorApprovalParams };
    default:
      throw new AppError(
        'LIFECYCLE_ACTION_UNKNOWN',
        `The machine returned an unknown action ${action.type}.`,
      );
  }
}

/** The snapshot of a new product: `research`. */
export function initialLifecycleSnapshot(productId?: string): LifecycleSnapshot {
  const [snapshot] = initialTransition(lifecycleMachine, { productId });
  return snapshot;
}

/** The top-level stage of a snapshot; `retirement` while phasing out. */
export function stageOf(snapshot: LifecycleSnapshot): Stage {
  const value: StateValue = snapshot.value;
  const stage = typeof value === 'string' ? value : Object.keys(value)[0];
  if (!(STAGES as readonly unknown[]).includes(stage)) {
    throw new AppError(
      'LIFECYCLE_STATE_UNKNOWN',
      `The lifecycle state ${JSON.stringify(value)} is no stage.`,
    );
  }
  return stage as Stage;
}

/** The state inside a compound stage (`phasing_out` in `retirement`), or null. */
export function subStateOf(snapshot: LifecycleSnapshot): string | null {
  const value: StateValue = snapshot.value;
  if (typeof value === 'string') return null;
  const child = Object.values(value)[0];
  return typeof child === 'string' ? child : null;
}

/**
 * The events the current state accepts, whether or not their guards would pass (what a 409 names
 * and `allowedEvents` lists), in {@link LIFECYCLE_EVENTS} order. Read from the machine itself.
 */
export function acceptedEvents(snapshot: LifecycleSnapshot): LifecycleEventType[] {
  if (snapshot.status !== 'active') return [];
  const accepted = new Set<string>(getNextTransitions(snapshot).map((t) => String(t.eventType)));
  return LIFECYCLE_EVENTS.filter((type) => accepted.has(type));
}

function guardName(guard: unknown): unknown {
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'object' && guard !== null && 'type' in guard) return guard.type;
  return undefined;
}

/**
 * Why the guard of `event` in state `stageValue` would refuse it: every reason, or empty when it
 * passes, has no guard, or the state does not accept the event. Uses the same gate functions as the
 * guards, so a refused transition and its 422 reasons never disagree.
 */
export function gateReasons(stageValue: StateValue, event: LifecycleEvent): Reason[] {
  const snapshot = lifecycleMachine.resolveState({ value: stageValue, context: { productId: null } });
  const candidate = getNextTransitions(snapshot).find((t) => t.eventType === event.type);
  const name = guardName(candidate?.guard);
  return isGateName(name) ? GATES[name](event.facts) : [];
}

/** The outcome of {@link applyLifecycleEvent}. */
export type LifecycleDecision =
  | { readonly outcome: 'not_allowed'; readonly allowed: LifecycleEventType[] }
  | { readonly outcome: 'guard_failed'; readonly reasons: Reason[] }
  | {
      readonly outcome: 'transitioned';
      readonly snapshot: LifecycleSnapshot;
      readonly actions: LifecycleAction[];
    };

/**
 * Decides an event in one call: `not_allowed` (409, with the accepted events), `guard_failed`
 * (422, with every reason) or `transitioned` with the next snapshot and the actions to execute.
 */
export function applyLifecycleEvent(snapshot: LifecycleSnapshot, event: LifecycleEvent): LifecycleDecision {
  const allowed = acceptedEvents(snapshot);
  if (!allowed.includes(event.type)) return { outcome: 'not_allowed', allowed };
  const reasons = gateReasons(snapshot.value, event);
  if (reasons.length > 0) return { outcome: 'guard_failed', reasons };
  const [next, actions] = transition(lifecycleMachine, snapshot, event);
  return { outcome: 'transitioned', snapshot: next, actions: actions.map(namedAction) };
}

/** What is stored of a snapshot: plain JSON, nothing else. */
export interface PersistedLifecycleSnapshot {
  readonly value: StateValue;
  readonly context: LifecycleContext;
}

/** The JSON to store for a snapshot: its state value and context. */
export function persistLifecycleSnapshot(snapshot: LifecycleSnapshot): PersistedLifecycleSnapshot {
  return { value: snapshot.value, context: { productId: snapshot.context.productId } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStateValueOf(node: AnyStateNode, value: unknown): boolean {
  if (typeof value === 'string') return Object.hasOwn(node.states, value);
  if (!isRecord(value)) return false;
  const entries = Object.entries(value);
  const [entry] = entries;
  if (entry === undefined || entries.length !== 1) return false;
  const [key, childValue] = entry;
  const child = Object.hasOwn(node.states, key) ? node.states[key] : undefined;
  return child !== undefined && Object.keys(child.states).length > 0 && isStateValueOf(child, childValue);
}

function invalidSnapshot(why: string): AppError {
  return new AppError('LIFECYCLE_SNAPSHOT_INVALID', `The stored lifecycle snapshot is invalid: ${why}.`);
}

/**
 * Validates stored JSON (from {@link persistLifecycleSnapshot}) against the machine's states and
 * restores the snapshot. Throws `AppError` `LIFECYCLE_SNAPSHOT_INVALID` when it does not fit.
 */
export function restoreLifecycleSnapshot(persisted: unknown): LifecycleSnapshot {
  if (!isRecord(persisted)) throw invalidSnapshot('not an object');
  const { value, context } = persisted;
  if (!isStateValueOf(lifecycleMachine.root, value))
    throw invalidSnapshot(`unknown state ${JSON.stringify(value)}`);
  if (!isRecord(context)) throw invalidSnapshot('no context');
  const productId = context['productId'] ?? null;
  if (productId !== null && typeof productId !== 'string') throw invalidSnapshot('productId is not a string');
  return lifecycleMachine.resolveState({ value: value as StateValue, context: { productId } });
}
