import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The real worker entry point (`services/worker/src/main.ts`, with tsx and the source condition) in a
 * process of its own, with `env` added to ours; stderr passed through, stdout piped or ignored.
 */
export function spawnWorkerMain(
  env: Record<string, string>,
  stdout: 'pipe' | 'ignore' = 'ignore',
): ChildProcess {
  return spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@tower/source', 'services/worker/src/main.ts'],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', stdout, 'inherit'],
    },
  );
}

/** SIGKILLs every child still running and waits for each exit. */
export async function killAll(children: readonly ChildProcess[]): Promise<void> {
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}
