export * from './launch.checklist.js';
export * from './launch.progress.js';
export * from './launch-item.machine.js';
