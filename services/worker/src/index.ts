export { startWorker, checkRegistry, type WorkerDeps, type RunningWorker } from './worker.js';
export { PROCESSORS } from './processors.js';
