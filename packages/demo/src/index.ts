export * from './generate.js';
export * from './calendar.js';
export { Random } from './random.js';
export * from './load.js';
