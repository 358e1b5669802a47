import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger, type Logger } from './logger.js';

/** How long a graceful shutdown may take before the process exits anyway. */
const SHUTDOWN_DEADLINE_MS = 30_000;

export interface ServiceOptions {
  /**
   * A process forked by another (it has an IPC channel to its parent) also stops when that channel
   * closes: its parent asked it to (`disconnect()`) or died. A stop already under way is not hurried.
   */
  readonly stopWithParent?: boolean;
}

/**
 * The life of a service process: parse `env` (one message naming every bad variable, then exit 1),
 * start, and on SIGTERM/SIGINT run the stop function once (a second signal, or the deadline, exits at
 * once). A failed start is logged as fatal and exits 1. Only a service's `main.ts` calls this, passing
 * `process.env`: this function never reads the environment itself.
 */
export async function runService(
  name: string,
  env: Readonly<Record<string, string | undefined>>,
  start: (config: Config, logger: Logger) => Promise<() => Promise<void>>,
  options: ServiceOptions = {},
): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({ name, level: config.logLevel });
  let stop: () => Promise<void>;
  try {
    stop = await start(config, logger);
  } catch (error) {
    logger.fatal({ err: error }, 'start-up failed');
    process.exit(1);
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error({ deadlineMs: SHUTDOWN_DEADLINE_MS }, 'shutdown took too long: exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  if (options.stopWithParent) {
    const parentGone = () => {
      if (!stopping) shutdown('parent disconnected');
    };
    if (process.connected) process.once('disconnect', parentGone);
    else parentGone(); // it went while this process started
  }
}
