import { AppError, TASK_STATUSES } from '@tower/domain';
import type { Decision, TaskStatus } from '@tower/domain';
import { assign, initialTransition, setup } from 'xstate';
import type { SnapshotFrom } from 'xstate';

/** The decisions that move the product's life cycle, and the lifecycle event each one sends. */
export const LIFECYCLE_EVENT_FOR_DECISION = {
  reprice: 'REPRICE',
  repackage: 'REPACKAGE',
  retrain: 'RETRAIN',
  retire: 'RETIRE',
} as const satisfies Partial<Record<Decision, string>>;

/** A decision that is applied to the product's lifecycle machine. */
export type LifecycleDecision = keyof typeof LIFECYCLE_EVENT_FOR_DECISION;

/** True when `decision` moves the product's life cycle (reprice, repackage, retrain, retire). */
export function isLifecycleDecision(decision: Decision): decision is LifecycleDecision {
  return Object.hasOwn(LIFECYCLE_EVENT_FOR_DECISION, decision);
}

/** Context of a review task; it is all the machine keeps; evidence and comments live in the database. */
export interface ReviewTaskContext {
  /** How many times the task has escalated (0 = never). */
  readonly escalationLevel: number;
  /** `ESCALATE` is refused at this level. */
  readonly maxEscalationLevel: number;
}

/** Input of a new review task. */
export interface ReviewTaskInput {
  /** Defaults to 1: an unacknowledged task escalates once, to the director. */
  readonly maxEscalationLevel?: number;
  /** Defaults to 0. */
  readonly escalationLevel?: number;
}

/** The events a review task accepts. */
export type ReviewTaskEvent =
  | { readonly type: 'ACKNOWLEDGE' }
  | { readonly type: 'ESCALATE' }
  | { readonly type: 'ADD_EVIDENCE'; readonly evidence?: Readonly<Record<string, unknown>> }
  | { readonly type: 'RESOLVE'; readonly decision: Decision }
  | { readonly type: 'AUTO_RESOLVE' };

/** The type of a {@link ReviewTaskEvent}. */
export type ReviewTaskEventType = ReviewTaskEvent['type'];

/** The names of the actions the machine returns for the engine to carry out. */
export type ReviewTaskActionName =
  'notifyEscalation' | 'recordEvidence' | 'applyDecision' | 'recordAutoResolution';

/** Params of the `applyDecision` action: what the engine sends to the product's lifecycle machine. */
export interface ApplyDecisionParams {
  readonly decision: LifecycleDecision;
  readonly lifecycleEvent: (typeof LIFECYCLE_EVENT_FOR_DECISION)[LifecycleDecision];
}

/** Params of the `notifyEscalation` action. */
export interface NotifyEscalationParams {
  /** The level reached by this escalation (1 = first). */
  readonly level: number;
}

/** Params of the `recordEvidence` action. */
export interface RecordEvidenceParams {
  readonly evidence: Readonly<Record<string, unknown>> | null;
}

/**
 * The review task (DOMAIN.md "Signals, routing and review tasks"): `open` → `acknowledged` →
 * `resolved` | `dismissed`. Pure: its actions are named no-ops that the engine performs by name from the
 * result of XState's `transition(machine, snapshot, event)`:
 * - `notifyEscalation` ({@link NotifyEscalationParams}): tell the escalation targets;
 * - `recordEvidence` ({@link RecordEvidenceParams}): append evidence to the task;
 * - `applyDecision` ({@link ApplyDecisionParams}): send the lifecycle event to the product's machine;
 * - `recordAutoResolution`: note that the condition cleared on its own.
 */
export const reviewTaskMachine = setup({
  types: {
    context: {} as ReviewTaskContext,
    events: {} as ReviewTaskEvent,
    // The assertion declares the input type to setup(); every field being optional makes the rule see it as a no-op.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    input: {} as ReviewTaskInput,
  },
  guards: {
    canEscalate: ({ context }) => context.escalationLevel < context.maxEscalationLevel,
    isDismissal: ({ event }) => event.type === 'RESOLVE' && event.decision === 'dismiss',
    movesLifecycle: ({ event }) => event.type === 'RESOLVE' && isLifecycleDecision(event.decision),
  },
  actions: {
    notifyEscalation: (_, _params: NotifyEscalationParams) => {},
    recordEvidence: (_, _params: RecordEvidenceParams) => {},
    applyDecision: (_, _params: ApplyDecisionParams) => {},
    recordAutoResolution: () => {},
  },
}).createMachine({
  id: 'reviewTask',
  initial: 'open',
  context: ({ input }) => ({
    escalationLevel: input.escalationLevel ?? 0,
    maxEscalationLevel: input.maxEscalationLevel ?? 1,
  }),
  states: {
    open: {
      on: {
        ACKNOWLEDGE: { target: 'acknowledged' },
        ESCALATE: {
          guard: 'canEscalate',
          actions: [
            assign({ escalationLevel: ({ context }) => context.escalationLevel + 1 }),
            // Runs after the assign, so it sees the level just reached.
            { type: 'notifyEscalation', params: ({ context }) => ({ level: context.escalationLevel }) },
          ],
        },
        ADD_EVIDENCE: {
          actions: { type: 'recordEvidence', params: ({ event }) => ({ evidence: event.evidence ?? null }) },
        },
        RESOLVE: [
          { guard: 'isDismissal', target: 'dismissed' },
          {
            guard: 'movesLifecycle',
            target: 'resolved',
            actions: { type: 'applyDecision', params: ({ event }) => applyDecisionParams(event.decision) },
          },
          { target: 'resolved' },
        ],
        AUTO_RESOLVE: { target: 'resolved', actions: 'recordAutoResolution' },
      },
    },
    acknowledged: {
      on: {
        ADD_EVIDENCE: {
          actions: { type: 'recordEvidence', params: ({ event }) => ({ evidence: event.evidence ?? null }) },
        },
        RESOLVE: [
          { guard: 'isDismissal', target: 'dismissed' },
          {
            guard: 'movesLifecycle',
            target: 'resolved',
            actions: { type: 'applyDecision', params: ({ event }) => applyDecisionParams(event.decision) },
          },
          { target: 'resolved' },
        ],
        AUTO_RESOLVE: { target: 'resolved', actions: 'recordAutoResolution' },
      },
    },
    resolved: { type: 'final' },
    dismissed: { type: 'final' },
  },
});

function applyDecisionParams(decision: Decision): ApplyDecisionParams {
  // Only reached behind the `movesLifecycle` guard.
  if (!isLifecycleDecision(decision)) {
    throw new AppError('REVIEW_DECISION_NOT_LIFECYCLE', `decision ${decision} does not move the life cycle`);
  }
  return { decision, lifecycleEvent: LIFECYCLE_EVENT_FOR_DECISION[decision] };
}

/** A review task's snapshot. */
export type ReviewTaskSnapshot = SnapshotFrom<typeof reviewTaskMachine>;

/** What is stored for a review task: its state (the same ids as the task's status) and context. Plain JSON. */
export interface PersistedReviewTask {
  readonly value: TaskStatus;
  readonly context: ReviewTaskContext;
}

/** The snapshot of a new task, before any event. Equivalent to `initialTransition(reviewTaskMachine, input)[0]`. */
export function initialReviewTaskSnapshot(input: ReviewTaskInput = {}): ReviewTaskSnapshot {
  const [snapshot] = initialTransition(reviewTaskMachine, input);
  return snapshot;
}

/** The plain JSON to store for `snapshot`. */
export function persistReviewTaskSnapshot(snapshot: ReviewTaskSnapshot): PersistedReviewTask {
  return {
    value: snapshot.value,
    context: {
      escalationLevel: snapshot.context.escalationLevel,
      maxEscalationLevel: snapshot.context.maxEscalationLevel,
    },
  };
}

const isLevel = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;

/**
 * A snapshot from what {@link persistReviewTaskSnapshot} stored. Checks it first (persisted data is a
 * boundary) and throws `REVIEW_TASK_SNAPSHOT_INVALID` when it is not a review task's state.
 */
export function restoreReviewTaskSnapshot(persisted: {
  readonly value: unknown;
  readonly context: unknown;
}): ReviewTaskSnapshot {
  const { value, context } = persisted;
  const ctx = (typeof context === 'object' && context !== null ? context : {}) as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof value !== 'string' || !(TASK_STATUSES as readonly string[]).includes(value)) {
    problems.push(`value must be one of ${TASK_STATUSES.join(', ')}`);
  }
  if (!isLevel(ctx.escalationLevel)) problems.push('context.escalationLevel must be a whole number ≥ 0');
  if (!isLevel(ctx.maxEscalationLevel))
    problems.push('context.maxEscalationLevel must be a whole number ≥ 0');
  if (problems.length > 0 || !isLevel(ctx.escalationLevel) || !isLevel(ctx.maxEscalationLevel)) {
    throw new AppError('REVIEW_TASK_SNAPSHOT_INVALID', 'stored review task state is invalid', {
      problems,
    });
  }
  return reviewTaskMachine.resolveState({
    value: value as TaskStatus,
    context: { escalationLevel: ctx.escalationLevel, maxEscalationLevel: ctx.maxEscalationLevel },
  });
}

const PROBE_EVENTS: readonly ReviewTaskEvent[] = [
  { type: 'ACKNOWLEDGE' },
  { type: 'ESCALATE' },
  { type: 'ADD_EVIDENCE' },
  { type: 'RESOLVE', decision: 'keep' },
  { type: 'AUTO_RESOLVE' },
];

/** The event types `snapshot` accepts now (guards included); an API answers 409 naming these. */
export function acceptedReviewTaskEvents(snapshot: ReviewTaskSnapshot): ReviewTaskEventType[] {
  return PROBE_EVENTS.filter((event) => snapshot.can(event)).map((event) => event.type);
}
