export {
  LIFECYCLE_EVENT_FOR_DECISION,
  acceptedReviewTaskEvents,
  initialReviewTaskSnapshot,
  isLifecycleDecision,
  persistReviewTaskSnapshot,
  restoreReviewTaskSnapshot,
  reviewTaskMachine,
} from './review-task.machine.js';
export type {
  ApplyDecisionParams,
  LifecycleDecision,
  NotifyEscalationParams,
  PersistedReviewTask,
  RecordEvidenceParams,
  ReviewTaskActionName,
  ReviewTaskContext,
  ReviewTaskEvent,
  ReviewTaskEventType,
  ReviewTaskInput,
  ReviewTaskSnapshot,
} from './review-task.machine.js';
