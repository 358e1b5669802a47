export * from './import.fields.js';
export * from './import.values.js';
export * from './import.mapping.js';
export * from './import.rows.js';
export * from './import.text.js';
export * from './import.problems.js';
export * from './import.words.js';
