/** Typed, frozen configuration of a Product Tower process, parsed once from the environment. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly queuePrefix: string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly adminEmail: string | undefined;
  readonly adminPassword: string | undefined;
  /** Base URL people open tasks at; used for links in notifications. */
  readonly publicUrl: string;
  /** Session lifetime in seconds. */
  readonly sessionTtlSeconds: number;
  /** Login attempts allowed per IP and minute. */
  readonly loginRateLimitPerMinute: number;
  /** Largest request body in bytes; larger bodies answer 413. */
  readonly bodyLimitBytes: number;
  /** Largest number of rows in one bulk ingest request. */
  readonly maxIngestRows: number;
  /** Jobs a worker process runs at once per queue. */
  readonly workerConcurrency: number;
  /**
   * Processes a worker runs (`WORKER_PROCESSES`): the first prepares the database and keeps the
   * schedulers and the Redis watch; the others (helpers it forks and restarts) only work jobs.
   */
  readonly workerProcesses: number;
  /**
   * Complaints a worker process evaluates in one transaction at most (it holds twice as many complaint
   * jobs at once): complaints that arrive while a batch runs make the next one.
   */
  readonly complaintBatchMax: number;
  /** Largest file an import accepts, in bytes; larger uploads answer 413. */
  readonly importMaxBytes: number;
  /** Rows per committed batch of an import (one ingest transaction each). */
  readonly importBatchRows: number;
  /** Lock of a running import commit; a worker that died gives its job up after this long. */
  readonly importJobLockMs: number;
  /** How often the outbox relay polls, in ms, when nothing wakes it. */
  readonly relayIntervalMs: number;
  /** How often the reconciler re-enqueues from Postgres what Redis should hold (its job scheduler). */
  readonly reconcileIntervalMs: number;
  /**
   * Trust X-Forwarded-For from these proxies (Fastify `trustProxy`): false, true, or a comma list of
   * addresses/CIDRs. Off by default, or a client could pick its own IP and dodge the login rate limit.
   */
  readonly trustProxy: boolean | string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

type Env = Readonly<Record<string, string | undefined>>;

/** Parses `env` (usually `process.env`); throws one {@link ConfigError} naming every bad variable. */
export function loadConfig(env: Env): Config {
  const problems: string[] = [];

  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const url = (name: string, fallback: string, protocols: readonly string[]): string => {
    const raw = env[name] === undefined || env[name] === '' ? fallback : env[name];
    try {
      const parsed = new URL(raw);
      if (!protocols.includes(parsed.protocol)) {
        problems.push(`${name} must be a ${protocols.join(' or ')} URL (got "${parsed.protocol}")`);
      }
    } catch {
      problems.push(`${name} is not a valid URL`);
    }
    return raw;
  };

  const logLevel = (env.LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const adminEmail = env.TOWER_ADMIN_EMAIL || undefined;
  const adminPassword = env.TOWER_ADMIN_PASSWORD || undefined;
  if (adminEmail !== undefined && !/^[^\s@]+@[^\s@]+$/.test(adminEmail)) {
    problems.push('TOWER_ADMIN_EMAIL is not an email address');
  }
  if (adminPassword !== undefined && adminPassword.length < 12) {
    problems.push('TOWER_ADMIN_PASSWORD must be at least 12 characters');
  }
  const queuePrefix = env.QUEUE_PREFIX ?? 'tower';
  if (!/^[a-z0-9_-]+$/i.test(queuePrefix))
    problems.push('QUEUE_PREFIX may hold only letters, digits, _ and -');

  const config: Config = {
    port: int('PORT', 3000, 0, 65535),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: url('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/tower', [
      'postgres:',
      'postgresql:',
    ]),
    redisUrl: url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']),
    queuePrefix,
    logLevel,
    adminEmail,
    adminPassword,
    publicUrl: url('PUBLIC_URL', 'http://localhost:3000', ['http:', 'https:']),
    sessionTtlSeconds: int('SESSION_TTL_SECONDS', 12 * 3600, 60, 90 * 24 * 3600),
    loginRateLimitPerMinute: int('LOGIN_RATE_LIMIT_PER_MINUTE', 10, 1, 10_000),
    bodyLimitBytes: int('BODY_LIMIT_BYTES', 5 * 1024 * 1024, 1024, 100 * 1024 * 1024),
    maxIngestRows: int('MAX_INGEST_ROWS', 10_000, 1, 100_000),
    workerConcurrency: int('WORKER_CONCURRENCY', 8, 1, 256),
    workerProcesses: int('WORKER_PROCESSES', 1, 1, 64),
    complaintBatchMax: int('COMPLAINT_BATCH_MAX', 200, 1, 1000),
    importMaxBytes: int('IMPORT_MAX_BYTES', 256 * 1024 * 1024, 1024, 4 * 1024 * 1024 * 1024),
    importBatchRows: int('IMPORT_BATCH_ROWS', 10_000, 1, 10_000),
    importJobLockMs: int('IMPORT_JOB_LOCK_MS', 30_000, 500, 600_000),
    relayIntervalMs: int('RELAY_INTERVAL_MS', 200, 10, 60_000),
    reconcileIntervalMs: int('RECONCILE_INTERVAL_MS', 30_000, 1000, 3_600_000),
    trustProxy:
      env.TRUST_PROXY === undefined || env.TRUST_PROXY === '' || env.TRUST_PROXY === 'false'
        ? false
        : env.TRUST_PROXY === 'true'
          ? true
          : env.TRUST_PROXY,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}
