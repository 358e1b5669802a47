// Real processes for the fault suite: a Redis of its own (which it may kill and flush), the API and
// the workers started from their real entry points, each killable with SIGKILL.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Proc {
  readonly name: string;
  readonly pid: number;
  /** SIGKILL: no shutdown hooks, no goodbye; waits for the exit. */
  kill(): Promise<void>;
  /** SIGTERM and wait (the services shut down gracefully). */
  stop(): Promise<void>;
}

/** Is a TCP port free on 127.0.0.1? */
export async function isFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The first free port from `from` on. */
export async function freePortFrom(from: number): Promise<number> {
  for (let port = from; port < from + 200; port++) if (await isFree(port)) return port;
  throw new Error(`no free port from ${from}`);
}

function track(name: string, child: ChildProcess, onEarlyExit?: (code: number | null) => void): Proc {
  if (child.pid === undefined) throw new Error(`could not start ${name}`);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let ending = false;
  child.once('exit', (code) => {
    if (!ending) onEarlyExit?.(code);
  });
  const end = async (signal: NodeJS.Signals) => {
    ending = true;
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  };
  return { name, pid: child.pid, kill: () => end('SIGKILL'), stop: () => end('SIGTERM') };
}

/** A throwaway Redis on `port`: nothing kept on disk, so a restart comes back empty. */
export async function startRedis(port: number): Promise<Proc> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  const proc = track(`redis:${port}`, child);
  const deadline = Date.now() + 10_000;
  while (await isFree(port)) {
    if (Date.now() > deadline) throw new Error('redis did not start');
    await sleep(50);
  }
  return proc;
}

/** `services/<name>/src/main.ts` in a process of its own, with tsx and the source condition. */
export function startService(name: 'api' | 'worker', label: string, env: Record<string, string>): Proc {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@tower/source', `services/${name}/src/main.ts`],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', process.env.FAULTS_VERBOSE ? 'inherit' : 'ignore'],
    },
  );
  return track(label, child, (code) => {
    if (process.env.FAULTS_VERBOSE) console.error(`faults: ${label} exited on its own (code ${code})`);
  });
}

/** Waits until `url` answers 200. */
export async function waitForOk(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${url}`);
    await sleep(200);
  }
}
