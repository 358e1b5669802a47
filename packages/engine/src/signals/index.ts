export { raiseSignal, type RaiseOutcome, type SignalFact } from './raise-signal.js';
export { evaluateSales } from './evaluate-sales.js';
export { evaluateComplaint } from './evaluate-complaint.js';
export { evaluateCompetitorPrices } from './evaluate-competitor-prices.js';
export { costChangeEvaluation, evaluateCostChange } from './evaluate-cost-change.js';
export { sweepStalledStages } from './sweep-stalled-stages.js';
export { resolveAnsweredOverdueTask, sweepOverdueLaunchItems } from './launch-items-overdue.js';
export { onStageChanged } from './stage-changed.js';
export { escalateTask } from './escalate-task.js';
