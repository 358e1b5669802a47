import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { AppError } from '@tower/domain';

/** How long a login waits for Redis to count it before refusing (Redis away: logins are refused). */
const REDIS_DEADLINE_MS = 1000;

// INCR, and start the window on the first attempt; answers the count and the window's milliseconds left.
const COUNT_ATTEMPT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}
`;

export interface LoginLimitOptions {
  readonly redis: Redis;
  /** Key prefix (the BullMQ prefix, so deployments sharing a Redis keep apart). */
  readonly prefix: string;
  readonly maxPerMinute: number;
}

function unavailable(): AppError {
  return new AppError(
    'AUTH_LOGIN_UNAVAILABLE',
    'Sign-in is unavailable for a moment (the attempt counter cannot be reached); try again shortly.',
  );
}

/**
 * Login attempts per client address and minute, counted in Redis so that every API process shares
 * one count (N processes do not allow N × the attempts). When Redis cannot count an attempt in time
 * the login is refused with 503, never let through uncounted.
 */
export function loginLimit(options: LoginLimitOptions) {
  const windowMs = 60_000;
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const key = `${options.prefix}:login-attempts:${request.ip}`;
    let timer: NodeJS.Timeout | undefined;
    let answer: [number, number];
    try {
      answer = (await Promise.race([
        options.redis.eval(COUNT_ATTEMPT, 1, key, windowMs),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(unavailable()), REDIS_DEADLINE_MS);
        }),
      ])) as [number, number];
    } catch {
      throw unavailable();
    } finally {
      clearTimeout(timer);
    }
    const [count, ttlMs] = answer;
    if (count > options.maxPerMinute) {
      const retryAfter = Math.max(1, Math.ceil(ttlMs / 1000));
      void reply.header('retry-after', String(retryAfter));
      throw new AppError(
        'RATE_LIMITED',
        `Too many sign-in attempts from this address; try again in ${retryAfter} s.`,
        { retryAfterSeconds: retryAfter },
      );
    }
  };
}
