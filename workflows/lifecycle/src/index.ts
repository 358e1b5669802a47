export * from './lifecycle.machine.js';
