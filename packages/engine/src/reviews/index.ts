export { computeQuarterlyReview } from './compute-review.js';
export { reviewDecisionReason } from './decision-reason.js';
export { recordReviewDecision } from './record-decision.js';
export { requestQuarterlyReview } from './request-review.js';
export * from './reviews.inputs.js';
export {
  getReview,
  getReviewReport,
  getReviews,
  type ReviewDecisionView,
  type ReviewSummary,
} from './review-queries.js';
export { reviewAssignees, runQuarterlyReview, runScheduledQuarterlyReview } from './run-review.js';
