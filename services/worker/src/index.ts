export {
  startWorker,
  checkRegistry,
  QUARTERLY_REVIEW_SCHEDULER,
  type WorkerDeps,
  type RunningWorker,
} from './worker.js';
export { PROCESSORS, scheduledTimeOf } from './processors.js';
