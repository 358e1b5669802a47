export * from './catalog.js';
export { redisOptions, createRedis } from './connection.js';
export { QueueSet, jobOptions, type QueueSetOptions } from './queues.js';
