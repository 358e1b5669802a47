export * from './errors.js';
export * from './vocabulary.js';
export * from './rules.js';
