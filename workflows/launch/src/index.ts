export * from './launch.checklist.js';
export * from './launch-item.machine.js';
