import { fork, type ChildProcess } from 'node:child_process';
import type { Logger } from '@tower/config';

/** The argument a worker's helper process is started with, followed by its number (1, 2, …). */
export const HELPER_FLAG = '--helper';

/** The helper number in `argv` (`… main.js --helper 2`), or undefined for the primary process. */
export function helperNumber(argv: readonly string[]): number | undefined {
  const at = argv.indexOf(HELPER_FLAG);
  if (at < 0) return undefined;
  const n = Number(argv[at + 1]);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`${HELPER_FLAG} needs a helper number (got "${argv[at + 1]}")`);
  return n;
}

/** A helper that ran this long before it exited was healthy: its restart waits the shortest delay again. */
const HEALTHY_RUN_MS = 60_000;
const FIRST_RESTART_DELAY_MS = 1000;
const LONGEST_RESTART_DELAY_MS = 30_000;
/** How long the helpers may take to finish their running jobs when asked to stop, before SIGKILL. */
const STOP_DEADLINE_MS = 25_000;

export interface Helpers {
  /** Asks every helper to stop (they finish running jobs) and waits until they have exited. */
  stop(): Promise<void>;
}

/**
 * Forks `count` helper processes of a worker: the same script (`script`, with this process's node
 * flags) with `--helper n`. A helper works jobs only; the primary keeps the schedulers and the Redis
 * watch. A helper that exits while the primary runs is logged and started again after 1 s, doubling
 * up to 30 s while it keeps failing. Helpers stop with the primary: asked by `stop()` (their IPC
 * channel is closed), or when the primary dies (the channel closes too).
 */
export function startHelpers(count: number, script: string, logger: Logger): Helpers {
  const running = new Map<number, { child: ChildProcess; exited: Promise<void> }>();
  const restarts = new Set<NodeJS.Timeout>();
  let stopping = false;

  const start = (n: number, failures: number): void => {
    const child = fork(script, [HELPER_FLAG, String(n)], { stdio: 'inherit' });
    const startedAt = Date.now();
    const exited = new Promise<void>((resolve) =>
      child.once('exit', (code, signal) => {
        running.delete(n);
        resolve();
        if (stopping) return;
        const failing = Date.now() - startedAt < HEALTHY_RUN_MS ? failures + 1 : 1;
        const delayMs = Math.min(FIRST_RESTART_DELAY_MS * 2 ** (failing - 1), LONGEST_RESTART_DELAY_MS);
        logger.error(
          { helper: n, code, signal, restartInMs: delayMs },
          'worker helper exited; restarting it',
        );
        const timer = setTimeout(() => {
          restarts.delete(timer);
          if (!stopping) start(n, failing);
        }, delayMs);
        restarts.add(timer);
      }),
    );
    // A failed fork (no such script, no memory) is reported as an exit too.
    child.on('error', (error) => logger.error({ err: error, helper: n }, 'worker helper error'));
    running.set(n, { child, exited });
  };
  for (let n = 1; n <= count; n++) start(n, 0);

  return {
    async stop() {
      stopping = true;
      for (const timer of restarts) clearTimeout(timer);
      restarts.clear();
      const helpers = [...running.values()];
      for (const { child } of helpers) if (child.connected) child.disconnect();
      const deadline = setTimeout(() => {
        for (const { child } of helpers) child.kill('SIGKILL');
      }, STOP_DEADLINE_MS);
      await Promise.all(helpers.map(({ exited }) => exited));
      clearTimeout(deadline);
    },
  };
}
