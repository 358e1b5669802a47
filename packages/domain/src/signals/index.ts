export { addDays, daysBetween, daysInMonth, eachDay, isIsoDate, weekday } from './dates.js';
export type { IsoDate } from './dates.js';
export { SIGNAL_DETECTORS, canAutoResolve } from './detection.js';
export type { AutoResolveInput, Detection, Evidence, JsonValue, SignalDetectorInfo } from './detection.js';
export { detectSalesDip, detectSalesDipRange, salesDipHistoryDays } from './sales-dip.detector.js';
export type { DailyUnits, SalesDipInput } from './sales-dip.detector.js';
export { detectTargetMiss } from './target-miss.detector.js';
export type { TargetMissInput } from './target-miss.detector.js';
export { detectComplaintSpike } from './complaint-spike.detector.js';
export type { ComplaintSpikeInput, OwnComplaintRate } from './complaint-spike.detector.js';
export { detectSevereComplaint } from './severe-complaint.detector.js';
export type { SevereComplaintInput } from './severe-complaint.detector.js';
export { detectCostChangeErosion, detectMarginErosion } from './margin-erosion.detector.js';
export type {
  CostChangeErosionInput,
  DailySales,
  MarginErosionInput,
  ProductPrice,
} from './margin-erosion.detector.js';
export { detectCompetitorUndercut } from './competitor-undercut.detector.js';
export type { CompetitorObservation, CompetitorUndercutInput } from './competitor-undercut.detector.js';
export { detectStageStalled } from './stage-stalled.detector.js';
export type { StageStalledInput } from './stage-stalled.detector.js';
export { detectLaunchItemOverdue } from './launch-item-overdue.detector.js';
export type { LaunchItemOverdueInput } from './launch-item-overdue.detector.js';
export { escalationTargets, launchItemRoutes, routeSignal } from './routing.rules.js';
export type { RouteSignalInput, Routing, RoutingPerson } from './routing.rules.js';
export {
  binomialCdf,
  binomialUpperTail,
  logGamma,
  negativeBinomialCdf,
  poissonCdf,
  poissonUpperTail,
  regularizedBeta,
  regularizedGammaP,
  regularizedGammaQ,
} from './counts.stats.js';
export { describeChance, formatPValue, tightenedSignificance, tighteningFor } from './significance.rules.js';
export type { Tightening } from './significance.rules.js';
export { evidenceText, formatDay } from './evidence.words.js';
export type { EvidenceWordsOptions } from './evidence.words.js';
