import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '@tower/config';
import { createRedis } from '@tower/queue';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A service (`services/<name>/src/main.ts`) in a process of its own, as a deployment runs it. */
export interface ServiceProcess {
  readonly name: string;
  readonly pid: number;
  /** Sends SIGTERM (the services shut down gracefully) and waits for the exit. */
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (the API's main takes its port from PORT, so it is chosen here). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * Starts the service's real entry point with the same node flags as this process (tsx's loader and
 * the `@tower/source` condition), with `env` added to ours. Its stderr is passed through.
 * `BENCH_SERVICE_ARGS` adds node flags, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile them.
 * `compiled` runs `services/<name>/dist/main.js` with plain node and the node flags of the service's
 * `start` script instead, as `pnpm start` does (build first); tsx's loader alone adds some 50 MiB of
 * resident memory.
 */
export function startService(
  name: 'api' | 'worker',
  env: Record<string, string>,
  options: { compiled?: boolean } = {},
): ServiceProcess {
  const extra = (process.env.BENCH_SERVICE_ARGS ?? '').split(' ').filter(Boolean);
  const entry = options.compiled
    ? [...startFlags(name), ...extra, `services/${name}/dist/main.js`]
    : // From the sources, with the V8 flags `pnpm start` gives the service.
      [...process.execArgv, ...startFlags(name), ...extra, `services/${name}/src/main.ts`];
  return startProcess(name, entry, env);
}

/**
 * A TypeScript file of the repository (`path` from its root) in a process of its own, run as this
 * process runs (tsx), with `args` after it and `env` added to ours; `name` labels it in CPU figures.
 */
export function startScript(
  name: string,
  path: string,
  args: readonly string[],
  env: Record<string, string>,
): ServiceProcess {
  return startProcess(name, [...process.execArgv, path, ...args], env);
}

function startProcess(name: string, entry: readonly string[], env: Record<string, string>): ServiceProcess {
  const child: ChildProcess = spawn(process.execPath, entry, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stopping = false;
  void exited.then((code) => {
    if (!stopping) console.error(`bench: the ${name} process exited early (code ${code})`);
  });
  if (child.pid === undefined) throw new Error(`could not start the ${name} process`);
  return {
    name,
    pid: child.pid,
    async stop() {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The node flags of a service's `start` script (`node --enable-source-maps … dist/main.js`). */
function startFlags(name: 'api' | 'worker'): string[] {
  const manifest = JSON.parse(readFileSync(`${ROOT}services/${name}/package.json`, 'utf8')) as {
    scripts: { start: string };
  };
  const words = manifest.scripts.start.split(/\s+/);
  if (words[0] !== 'node' || words.at(-1) !== 'dist/main.js') {
    throw new Error(`services/${name}: the start script is not "node [flags] dist/main.js"`);
  }
  return words.slice(1, -1);
}

/** Deletes every Redis key of a BullMQ prefix the services used. */
export async function dropQueueKeys(prefix: string): Promise<void> {
  const redis = createRedis(loadConfig(process.env).redisUrl);
  await redis.connect();
  try {
    const keys = await redis.keys(`${prefix}:*`);
    for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
  } finally {
    await redis.quit();
  }
}

/** Waits until `GET /health` answers 200. */
export async function waitForHealth(baseUrl: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`${baseUrl}/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${baseUrl}/health did not answer within ${timeoutMs} ms`);
    await sleep(100);
  }
}

// --- CPU accounting, from /proc (Linux) -----------------------------------------------------------

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  readonly comm: string;
  /** utime + stime + cutime + cstime, in seconds (reaped children count for their parent). */
  readonly cpuSeconds: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid …": comm may hold spaces, so split after the last ')'.
    const open = text.indexOf('(');
    const close = text.lastIndexOf(')');
    const fields = text.slice(close + 2).split(' ');
    // fields[0] is field 3 (state); utime..cstime are fields 14..17.
    const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0);
    return {
      pid,
      ppid: Number(fields[1]),
      comm: text.slice(open + 1, close),
      cpuSeconds: ticks / clockTicks(),
    };
  } catch {
    return undefined; // gone
  }
}

function allStats(): ProcStat[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    if (!/^\d+$/.test(entry)) return [];
    const stat = readStat(Number(entry));
    return stat ? [stat] : [];
  });
}

/** `pid` and every process below it (a worker's helpers), from `stats`. */
function family(pid: number, stats: readonly ProcStat[]): ProcStat[] {
  const members = stats.filter((s) => s.pid === pid);
  for (let i = 0; i < members.length; i++) {
    members.push(...stats.filter((s) => s.ppid === members[i]!.pid));
  }
  return members;
}

/** The process ids of `pid` and every process below it (a worker's helper processes). */
export function familyPids(pid: number): number[] {
  return family(pid, allStats()).map((s) => s.pid);
}

/** Cumulative CPU seconds of the parts of the system, sampled at one moment. */
export interface CpuSample {
  readonly at: number;
  readonly parts: Readonly<Record<string, number>>;
  /** The whole machine (/proc/stat), all cores: busy and idle (idle + iowait) CPU seconds. */
  readonly machine: { readonly busy: number; readonly idle: number };
}

function machineCpu(): { busy: number; idle: number } {
  try {
    const fields = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]!
      .trim()
      .split(/\s+/)
      .slice(1, 9)
      .map(Number);
    // user nice system idle iowait irq softirq steal
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    const total = fields.reduce((sum, n) => sum + n, 0);
    return { busy: (total - idle) / clockTicks(), idle: idle / clockTicks() };
  } catch {
    return { busy: 0, idle: 0 };
  }
}

/**
 * Samples CPU time of this process (`bench`), the given service processes (with the processes they
 * started, a worker's helpers), every `postgres` process
 * and `redis-server`, and of the whole machine. Postgres and Redis serve every database on the machine:
 * other work running at the same time is counted too.
 */
export function sampleCpu(services: readonly ServiceProcess[]): CpuSample {
  const usage = process.cpuUsage();
  const parts: Record<string, number> = { bench: (usage.user + usage.system) / 1e6 };
  const stats = allStats();
  for (const service of services) {
    parts[service.name] = family(service.pid, stats).reduce((sum, s) => sum + s.cpuSeconds, 0);
  }
  parts.postgres = stats.filter((s) => s.comm === 'postgres').reduce((sum, s) => sum + s.cpuSeconds, 0);
  parts.redis = stats
    .filter((s) => s.comm.startsWith('redis-server'))
    .reduce((sum, s) => sum + s.cpuSeconds, 0);
  return { at: performance.now(), parts, machine: machineCpu() };
}

/**
 * CPU used between two samples, as cores busy on average ("api 0.93 · postgres 0.71 … · other 0.20 ·
 * idle 0.05"): `other` is every other process on the machine, `idle` what nobody used.
 */
export function describeCpu(before: CpuSample, after: CpuSample): string {
  const seconds = (after.at - before.at) / 1000;
  const cores = (used: number) => (used / seconds).toFixed(2);
  let known = 0;
  const parts = Object.keys(after.parts).map((name) => {
    const used = (after.parts[name] ?? 0) - (before.parts[name] ?? 0);
    known += used;
    return `${name} ${cores(used)}`;
  });
  const other = Math.max(0, after.machine.busy - before.machine.busy - known);
  const idle = after.machine.idle - before.machine.idle;
  return `cores busy: ${parts.join(' · ')} · other ${cores(other)} · idle ${cores(idle)}`;
}
