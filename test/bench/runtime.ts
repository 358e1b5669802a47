// Compares how the API runs under tsx (TypeScript loaded at start-up) and as compiled JavaScript
// (`tsc -b tsconfig.build.json`, then `node services/api/dist/main.js`): start-up time to a healthy
// `/health`, resident memory after start-up and after load, and throughput of an authenticated GET
// driven by autocannon from this process. Modes alternate run by run so a busy machine hurts both alike.
// Run: pnpm build && tsx --conditions=@tower/source test/bench/runtime.ts
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { freePort, dropQueueKeys } from './processes.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUNS = Number(process.env.RUNTIME_BENCH_RUNS ?? 3);
const LOAD_SECONDS = Number(process.env.RUNTIME_BENCH_SECONDS ?? 10);
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tower_bench_runtime';
const PREFIX = process.env.QUEUE_PREFIX ?? 'tower-bench-runtime';
const ADMIN = { email: 'bench-admin@clinic.example', password: 'bench-password-long-enough' };

type Mode = 'tsx' | 'compiled';
const ARGS: Record<Mode, string[]> = {
  tsx: ['--conditions=@tower/source', '--import', 'tsx', 'services/api/src/main.ts'],
  compiled: ['services/api/dist/main.js'],
};

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kib / 1024;
}

async function healthy(url: string, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/health`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the API did not become healthy');
}

interface Run {
  startMs: number;
  rssIdle: number;
  rssLoaded: number;
  rps: number;
  p99: number;
}

async function once(mode: Mode): Promise<Run> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn(process.execPath, ARGS[mode], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL,
      QUEUE_PREFIX: PREFIX,
      LOG_LEVEL: 'warn',
      TOWER_ADMIN_EMAIL: ADMIN.email,
      TOWER_ADMIN_PASSWORD: ADMIN.password,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    await healthy(url, Date.now() + 120_000);
    const startMs = performance.now() - started;
    const rssIdle = rssMiB(child.pid!);
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    const { token } = (await login.json()) as { token: string };
    const result = await autocannon({
      url: `${url}/api/people/me`,
      connections: 20,
      duration: LOAD_SECONDS,
      headers: { authorization: `Bearer ${token}` },
    });
    if (result.non2xx > 0) throw new Error(`${result.non2xx} answers were not 2xx`);
    return {
      startMs,
      rssIdle,
      rssLoaded: rssMiB(child.pid!),
      rps: result.requests.average,
      p99: result.latency.p99,
    };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const runs: Record<Mode, Run[]> = { tsx: [], compiled: [] };
for (let i = 0; i < RUNS; i++) {
  for (const mode of (i % 2 === 0 ? ['tsx', 'compiled'] : ['compiled', 'tsx']) as Mode[]) {
    runs[mode].push(await once(mode));
  }
}
await dropQueueKeys(PREFIX);

const summary = (mode: Mode) => ({
  startMs: median(runs[mode].map((r) => r.startMs)),
  rssIdle: median(runs[mode].map((r) => r.rssIdle)),
  rssLoaded: median(runs[mode].map((r) => r.rssLoaded)),
  rps: median(runs[mode].map((r) => r.rps)),
  p99: median(runs[mode].map((r) => r.p99)),
});
const tsx = summary('tsx');
const compiled = summary('compiled');
console.log(`API under tsx vs compiled JS: medians of ${RUNS} runs each, ${LOAD_SECONDS} s of load per run`);
console.log('| measure | tsx | compiled | compiled / tsx |');
console.log('| --- | --- | --- | --- |');
const row = (name: string, a: number, b: number, unit: string) =>
  console.log(`| ${name} | ${a.toFixed(0)} ${unit} | ${b.toFixed(0)} ${unit} | ${(b / a).toFixed(2)} |`);
row('start-up to healthy', tsx.startMs, compiled.startMs, 'ms');
row('RSS after start-up', tsx.rssIdle, compiled.rssIdle, 'MiB');
row('RSS after load', tsx.rssLoaded, compiled.rssLoaded, 'MiB');
row('GET /api/people/me throughput', tsx.rps, compiled.rps, 'req/s');
row('GET /api/people/me p99 latency', tsx.p99, compiled.p99, 'ms');
