export * from './organisation.repository.js';
export * from './people.repository.js';
export * from './audit.repository.js';
export * from './outbox.repository.js';
export * from './rules.repository.js';
export * from './products.repository.js';
export * from './launch.repository.js';
