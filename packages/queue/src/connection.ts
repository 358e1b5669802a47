import { Redis } from 'ioredis';

/** Connection settings both BullMQ and ioredis accept. */
export interface RedisSettings {
  host: string;
  port: number;
  username: string | undefined;
  password: string | undefined;
  db: number;
  tls: Record<string, never> | undefined;
  maxRetriesPerRequest: number | null;
  enableOfflineQueue: boolean;
  connectTimeout: number;
}

/**
 * ioredis options from a redis:// URL. Workers and QueueEvents need `maxRetriesPerRequest: null`
 * (they block); queues used by the API should fail fast instead, so that a request answers 503
 * rather than hanging while Redis is down.
 */
export function redisOptions(redisUrl: string, purpose: 'worker' | 'producer'): RedisSettings {
  const url = new URL(redisUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: purpose === 'worker' ? null : 1,
    enableOfflineQueue: purpose === 'worker',
    connectTimeout: 5000,
  };
}

/** A plain client (health checks, tests); the caller must `quit()` it. */
export function createRedis(redisUrl: string, purpose: 'worker' | 'producer' = 'producer'): Redis {
  const { tls, ...options } = redisOptions(redisUrl, purpose);
  return new Redis({ ...options, ...(tls ? { tls } : {}), lazyConnect: true });
}
