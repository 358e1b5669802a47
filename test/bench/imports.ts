import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { addDays } from '@tower/domain';
import { createTestDatabase } from '@tower/db/testing';
import { ingestClient } from './http.js';
import {
  describeCpu,
  dropQueueKeys,
  freePort,
  sampleCpu,
  startService,
  waitForHealth,
  type ServiceProcess,
} from './processes.js';
import { inParallel, seedCatalogue } from './seed.js';
import { int, note } from './stats.js';

export interface ImportBenchOptions {
  readonly products: number;
  readonly branches: number;
  readonly days: number;
  /** Rows per JSON request (the API's MAX_INGEST_ROWS) and requests at a time. */
  readonly jsonBatch: number;
  readonly jsonConcurrency: number;
  /** Run the API and worker as `pnpm start` does (compiled, plain node) rather than under tsx. */
  readonly compiled: boolean;
  /** Give each file an API process of its own (else the one that took the JSON pass). */
  readonly freshApi: boolean;
}

export interface ImportPass {
  readonly name: string;
  readonly seconds: number;
  readonly rowsPerSecond: number;
  readonly detail: string;
  readonly cpu: string;
}

export interface ImportFigures {
  readonly rows: number;
  readonly passes: readonly ImportPass[];
  /** Peak resident memory of the API process while it parsed each upload, in MiB. */
  readonly peakRssMiB: Readonly<Record<string, number>>;
  /** RSS of the API once started and warmed by one request: what the parsing adds to. */
  readonly idleRssMiB: number;
  /** RSS of the API just before each upload. */
  readonly rssBeforeMiB: Readonly<Record<string, number>>;
  readonly freshApi: boolean;
  readonly runtime: 'compiled' | 'tsx';
}

function rssMiB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return kb / 1024;
  } catch {
    return 0;
  }
}

/** Samples a process's RSS every 50 ms until stopped; answers the peak. */
function watchRss(pid: number): { stop(): number } {
  let peak = rssMiB(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 50);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, rssMiB(pid));
    },
  };
}

interface Row {
  date: string;
  p: number;
  b: number;
  units: number;
}

function* rows(options: ImportBenchOptions): Generator<Row> {
  const first = '2023-01-01';
  for (let d = 0; d < options.days; d++) {
    const date = addDays(first, d);
    for (let p = 0; p < options.products; p++) {
      for (let b = 0; b < options.branches; b++) yield { date, p, b, units: ((p * 7 + b * 3 + d) % 20) + 1 };
    }
  }
}

/** Yuan with two decimals, as exports write money (1,980.50 → 198050 fen). */
const yuan = (units: number) => `${units * 2_980}.50`;
const fen = (units: number) => units * 298_000 + 50;

async function writeCsv(path: string, options: ImportBenchOptions, products: string[], branches: string[]) {
  const out = createWriteStream(path);
  const write = (text: string) =>
    out.write(text) ? undefined : new Promise<void>((resolve) => out.once('drain', () => resolve()));
  await write('日期,院区,项目名称,数量,实收金额,订单数,老客订单数\n');
  let chunk = '';
  for (const r of rows(options)) {
    chunk += `${r.date.replaceAll('-', '/')},${branches[r.b]},${products[r.p]},${r.units},${yuan(r.units)},${r.units},${r.units >> 2}\n`;
    if (chunk.length > 1 << 16) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
}

async function writeXlsx(path: string, options: ImportBenchOptions, products: string[], branches: string[]) {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: path,
    useSharedStrings: false,
    useStyles: false,
  });
  const sheet = workbook.addWorksheet('销售');
  sheet.addRow(['日期', '院区', '项目名称', '数量', '实收金额', '订单数', '老客订单数']).commit();
  for (const r of rows(options)) {
    sheet
      .addRow([r.date, branches[r.b], products[r.p], r.units, Number(yuan(r.units)), r.units, r.units >> 2])
      .commit();
  }
  sheet.commit();
  await workbook.commit();
}

/**
 * POSTs a multipart form (text fields, then the file streamed from disk) with node:http: fetch gives
 * up when the answer's headers take over 300 s, which a million-row upload on a busy machine can.
 */
function uploadFile(
  url: string,
  authorization: string,
  form: { fields: Record<string, string>; path: string; fileName: string },
): Promise<{ status: number; body: string }> {
  const boundary = `bench-${randomBytes(8).toString('hex')}`;
  const head =
    Object.entries(form.fields)
      .map(([k, v]) => `--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
      .join('') +
    `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${form.fileName}"\r\n` +
    'content-type: application/octet-stream\r\n\r\n';
  const tail = `\r\n--${boundary}--\r\n`;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { authorization, 'content-type': `multipart/form-data; boundary=${boundary}` },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.write(head);
    const file = createReadStream(form.path);
    file.on('error', reject);
    file.on('end', () => req.end(tail));
    file.pipe(req, { end: false });
  });
}

/**
 * The same sales rows three ways, each into empty tables with the API and a worker in their own
 * processes: JSON through POST /api/ingest/sales (the baseline), a CSV upload committed in the
 * background, and the same as XLSX; each timed from the first byte sent to every row stored.
 */
export async function benchImports(options: ImportBenchOptions): Promise<ImportFigures> {
  const testDb = await createTestDatabase();
  const { db } = testDb;
  const queuePrefix = `bench-${randomBytes(4).toString('hex')}`;
  const dir = await mkdtemp(join(tmpdir(), 'tower-bench-imports-'));
  const services: ServiceProcess[] = [];
  const total = options.products * options.branches * options.days;
  try {
    const catalogue = await seedCatalogue(db, {
      departments: 4,
      branches: options.branches,
      products: options.products,
    });
    const productNames = Array.from({ length: options.products }, (_, i) => `Bench product ${i}`);
    const branchCodes = Array.from({ length: options.branches }, (_, i) => `bench-b${i}`);
    const port = await freePort();
    const env = {
      DATABASE_URL: testDb.url,
      QUEUE_PREFIX: queuePrefix,
      HOST: '127.0.0.1',
      PORT: String(port),
      MAX_INGEST_ROWS: String(options.jsonBatch),
      IMPORT_MAX_BYTES: String(1024 * 1024 * 1024),
    };
    if (options.compiled) {
      note('imports: building (tsc -b) to run the services compiled, as pnpm start does');
      execFileSync('pnpm', ['build'], {
        cwd: fileURLToPath(new URL('../../', import.meta.url)),
        stdio: 'ignore',
      });
    }
    let api = startService('api', env, { compiled: options.compiled });
    const worker = startService('worker', env, { compiled: options.compiled });
    services.push(api, worker);
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForHealth(baseUrl);
    const client = await ingestClient(baseUrl, catalogue.admin.token, 'Bench feed');
    const idleRss = rssMiB(api.pid);
    const authorization = `Bearer ${catalogue.admin.token}`;

    const reset = async () => {
      await sql`truncate sales_daily, sales_monthly, sales_product_monthly, sales_product_daily, outbox, idempotency_keys`.execute(
        db,
      );
      await sql`checkpoint`.execute(db);
    };
    const stored = async () =>
      (await sql<{ n: number }>`select count(*)::int as n from sales_daily`.execute(db)).rows[0]!.n;
    const passes: ImportPass[] = [];
    const peakRssMiB: Record<string, number> = {};

    // JSON: the same rows as request bodies, made before the clock starts.
    note(`imports: ${int(total)} sales rows; JSON bodies of ${int(options.jsonBatch)} rows`);
    const all = [...rows(options)].map((r) => ({
      productId: catalogue.productIds[r.p]!,
      branchId: catalogue.branchIds[r.b]!,
      date: r.date,
      units: r.units,
      revenueFen: fen(r.units),
      orders: r.units,
      returningOrders: r.units >> 2,
    }));
    const bodies: Buffer[] = [];
    for (let i = 0; i < all.length; i += options.jsonBatch) {
      bodies.push(Buffer.from(JSON.stringify({ rows: all.slice(i, i + options.jsonBatch) })));
    }
    all.length = 0;
    await reset();
    {
      const before = sampleCpu(services);
      const started = performance.now();
      await inParallel(bodies, options.jsonConcurrency, async (body) => {
        for (let attempt = 1; ; attempt++) {
          const answer = await client.post('/api/ingest/sales', body);
          if (answer.status === 202) return;
          if (answer.status !== 503 || attempt > 10)
            throw new Error(`ingest answered ${answer.status}: ${answer.body}`);
          await sleep(20 * attempt);
        }
      });
      const seconds = (performance.now() - started) / 1000;
      if ((await stored()) !== total) throw new Error('json: not every row stored');
      passes.push({
        name: 'json',
        seconds,
        rowsPerSecond: total / seconds,
        detail: `POST /api/ingest/sales, ${bodies.length} requests of ${int(options.jsonBatch)} rows, ${options.jsonConcurrency} at a time`,
        cpu: describeCpu(before, sampleCpu(services)),
      });
    }
    bodies.length = 0;

    // Each file goes to an API process of its own, warmed by one request: what its peak RSS shows is
    // the parsing, not what V8 kept of the JSON pass's heap (it returns old space to the OS lazily).
    const freshApi = async () => {
      await api.stop();
      services.splice(services.indexOf(api), 1);
      api = startService('api', env, { compiled: options.compiled });
      services.push(api);
      await waitForHealth(baseUrl);
      await fetch(`${baseUrl}/api/imports?limit=1`, { headers: { authorization } });
      return rssMiB(api.pid);
    };
    const rssBefore: Record<string, number> = {};
    const importFile = async (name: 'csv' | 'xlsx', path: string, fields: Record<string, string>) => {
      await reset();
      const leftover = rssMiB(api.pid);
      if (options.freshApi) rssBefore[name] = await freshApi();
      else rssBefore[name] = leftover;
      const size = (await stat(path)).size;
      const before = sampleCpu(services);
      const started = performance.now();
      const rss = watchRss(api.pid);
      const response = await uploadFile(`${baseUrl}/api/imports`, authorization, {
        fields: { kind: 'sales', ...fields },
        path,
        fileName: `bench.${name}`,
      });
      const uploaded = JSON.parse(response.body) as { id: string; rowsTotal: number; problemCount: number };
      const peak = rss.stop();
      peakRssMiB[name] = peak;
      const uploadSeconds = (performance.now() - started) / 1000;
      if (response.status !== 201 || uploaded.rowsTotal !== total || uploaded.problemCount !== 0) {
        throw new Error(
          `${name} upload answered ${response.status}: ${JSON.stringify(uploaded).slice(0, 400)}`,
        );
      }
      const commit = await fetch(`${baseUrl}/api/imports/${uploaded.id}/commit`, {
        method: 'POST',
        headers: { authorization },
      });
      if (commit.status !== 202) throw new Error(`${name} commit answered ${commit.status}`);
      for (;;) {
        const got = (await (
          await fetch(`${baseUrl}/api/imports/${uploaded.id}`, { headers: { authorization } })
        ).json()) as {
          status: string;
          rowsDone: number;
        };
        if (got.status === 'failed') throw new Error(`${name} import failed`);
        if (got.status === 'done') break;
        await sleep(100);
      }
      const seconds = (performance.now() - started) / 1000;
      if ((await stored()) !== total) throw new Error(`${name}: not every row stored`);
      note(
        `imports: ${name} ${int(total / seconds)} rows/s in ${seconds.toFixed(1)} s (upload ${uploadSeconds.toFixed(1)} s)`,
      );
      passes.push({
        name,
        seconds,
        rowsPerSecond: total / seconds,
        detail: `${int(size / 1024 / 1024)} MiB file; upload + preview ${uploadSeconds.toFixed(1)} s, commit ${(seconds - uploadSeconds).toFixed(1)} s; API RSS ${int(rssBefore[name])} MiB before, peak ${int(peak)} MiB while parsing`,
        cpu: describeCpu(before, sampleCpu(services)),
      });
    };

    const csv = join(dir, 'bench.csv');
    note('imports: writing the CSV file');
    await writeCsv(csv, options, productNames, branchCodes);
    await importFile('csv', csv, {});
    await rm(csv);
    if (process.env.BENCH_IMPORTS_XLSX !== '0') {
      const xlsx = join(dir, 'bench.xlsx');
      note('imports: writing the XLSX file');
      await writeXlsx(xlsx, options, productNames, branchCodes);
      await importFile('xlsx', xlsx, { sheet: '销售' });
    }
    client.close();
    return {
      rows: total,
      passes,
      peakRssMiB,
      idleRssMiB: idleRss,
      rssBeforeMiB: rssBefore,
      freshApi: options.freshApi,
      runtime: options.compiled ? 'compiled' : 'tsx',
    };
  } finally {
    for (const service of services.reverse()) await service.stop();
    await dropQueueKeys(queuePrefix);
    await rm(dir, { recursive: true, force: true });
    await testDb.drop();
  }
}
