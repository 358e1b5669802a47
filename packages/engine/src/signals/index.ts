export { raiseSignal, type RaiseOutcome, type SignalFact } from './raise-signal.js';
export { evaluateSales } from './evaluate-sales.js';
export {
  evaluateComplaint,
  evaluateComplaints,
  evaluatePendingComplaints,
  type ComplaintOutcome,
  type PendingComplaintsOptions,
} from './evaluate-complaint.js';
export { evaluateCompetitorPrices } from './evaluate-competitor-prices.js';
export { evaluateCostChange } from './evaluate-cost-change.js';
export { complaintEvaluation, costChangeEvaluation, salesEvaluation } from './evaluation-messages.js';
export { SALES_JUDGES, type PairSeries, type SeriesJudge } from './sales-series.js';
export { sweepMonthTargets } from './sweep-month-targets.js';
export { sweepStalledStages } from './sweep-stalled-stages.js';
export { resolveAnsweredOverdueTask, sweepOverdueLaunchItems } from './launch-items-overdue.js';
export { onStageChanged } from './stage-changed.js';
export { escalateTask } from './escalate-task.js';
export { listTuning, resetTuning, signalMetrics, type TuningView } from './tuning.js';
