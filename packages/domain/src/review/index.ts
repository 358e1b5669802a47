export * from './quarter.js';
export * from './review.metrics.js';
export * from './review.costs.js';
export * from './review.report.js';
