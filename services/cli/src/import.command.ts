/** What the import command needs from the outside world (a test passes its own). */
export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  out(line: string): void;
  err(line: string): void;
  fetch(url: string, init?: RequestInit): Promise<Response>;
  openFile(path: string): Promise<{ blob: Blob; name: string; size: number }>;
  writeFile(path: string, data: string): Promise<void>;
  sleep(ms: number): Promise<void>;
  progress(total: number): { update(done: number, refused: number): void; stop(): void };
}

export interface CliOptions {
  readonly files: readonly string[];
  readonly kind?: string;
  readonly sheet?: string;
  readonly source?: string;
  /** `field=column` corrections of the guessed mapping. */
  readonly map?: readonly string[];
  readonly url?: string;
  readonly token?: string;
  readonly dryRun: boolean;
  /** Where to save the refused rows (CSV with a reason column). */
  readonly refused?: string;
  readonly help?: boolean;
}

export const USAGE = `usage: pnpm run import <file.csv|file.xlsx> --kind sales|complaints|competitor-prices|targets
         [--sheet 名称] [--source crm-name] [--map field=column …] [--dry-run] [--refused refused.csv]
         [--url http://localhost:3000] [--token <bearer token>]

  Uploads the file, prints the preview (column mapping, problems by row and column), commits it and
  shows a progress bar until every row is stored or refused.
  The product's address: --url, else TOWER_URL, else http://localhost:3000.
  Credentials: --token, else TOWER_TOKEN (a login token, from POST /api/auth/login), else
  TOWER_EMAIL and TOWER_PASSWORD (the command logs in).`;

interface ImportBody {
  id: string;
  status: string;
  rowsTotal: number;
  rowsDone: number;
  rowsRefused: number;
  rowsWithProblems: number;
  problemCount: number;
  problems: { row: number; column: string; message: string }[];
  mapping: Record<string, string>;
  mappingProblems: { field: string; message: string }[];
  encoding: string | null;
  recognised?: boolean;
  error: string | null;
}

async function json(response: Response): Promise<Record<string, unknown>> {
  const text = await response.text();
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { message: text.slice(0, 200) };
  }
}

function describeError(status: number, body: Record<string, unknown>): string {
  const fields = Array.isArray(body.fields)
    ? (body.fields as { field: string; message: string }[])
        .map((f) => `\n  - ${f.field}: ${f.message}`)
        .join('')
    : '';
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return `HTTP ${status} ${text(body.error)}: ${text(body.message)}${fields}`;
}

function printPreview(io: CliIo, body: ImportBody): void {
  io.out(`import ${body.id}: ${body.rowsTotal} rows${body.encoding ? ` (${body.encoding})` : ''}`);
  io.out(
    `  mapping: ${Object.entries(body.mapping)
      .map(([field, column]) => `${field} ← ${column}`)
      .join(', ')}`,
  );
  for (const p of body.mappingProblems) io.err(`  mapping problem: ${p.field} ${p.message}`);
  if (body.problemCount > 0) {
    io.out(`  ${body.rowsWithProblems} rows will be refused (${body.problemCount} problems):`);
    for (const p of body.problems.slice(0, 20)) io.out(`    row ${p.row}, ${p.column}: ${p.message}`);
    if (body.problemCount > 20) io.out(`    … and ${body.problemCount - 20} more`);
  }
}

/** Runs the import command; answers the process exit code (0 done, 1 refused or failed, 2 usage). */
export async function run(io: CliIo, options: CliOptions): Promise<number> {
  if (options.help) {
    io.out(USAGE);
    return 0;
  }
  if (options.files.length !== 1 || !options.kind) {
    io.err(USAGE);
    return 2;
  }
  const base = (options.url ?? io.env.TOWER_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
  let token = options.token ?? io.env.TOWER_TOKEN;
  if (!token && io.env.TOWER_EMAIL && io.env.TOWER_PASSWORD) {
    const login = await io.fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: io.env.TOWER_EMAIL, password: io.env.TOWER_PASSWORD }),
    });
    const body = await json(login);
    if (!login.ok) {
      io.err(`login failed: ${describeError(login.status, body)}`);
      return 1;
    }
    token = String(body.token);
  }
  if (!token) {
    io.err('no credentials: pass --token, or set TOWER_TOKEN, or TOWER_EMAIL and TOWER_PASSWORD');
    return 2;
  }
  const authorization = `Bearer ${token}`;
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await io.fetch(`${base}${path}`, {
      method,
      headers: { authorization, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { response, body: await json(response) };
  };

  const file = await io.openFile(options.files[0]!);
  const form = new FormData();
  form.append('kind', options.kind);
  if (options.sheet !== undefined) form.append('sheet', options.sheet);
  if (options.source !== undefined) form.append('source', options.source);
  form.append('file', file.blob, file.name);
  io.out(`uploading ${file.name} (${file.size} bytes) to ${base} …`);
  const uploaded = await io.fetch(`${base}/api/imports`, {
    method: 'POST',
    headers: { authorization },
    body: form,
  });
  let current = (await json(uploaded)) as unknown as ImportBody;
  if (!uploaded.ok) {
    io.err(describeError(uploaded.status, current as unknown as Record<string, unknown>));
    return 1;
  }
  if (current.recognised) io.out(`this file was imported before (import ${current.id}, ${current.status})`);
  printPreview(io, current);

  if (options.map && options.map.length > 0) {
    const mapping = { ...current.mapping };
    for (const pair of options.map) {
      const at = pair.indexOf('=');
      if (at <= 0) {
        io.err(`--map takes field=column, not "${pair}"`);
        return 2;
      }
      mapping[pair.slice(0, at)] = pair.slice(at + 1);
    }
    const remapped = await call('PUT', `/api/imports/${current.id}/mapping`, { mapping });
    if (!remapped.response.ok) {
      io.err(describeError(remapped.response.status, remapped.body));
      return 1;
    }
    current = remapped.body as unknown as ImportBody;
    io.out('mapping corrected:');
    printPreview(io, current);
  }
  if (current.mappingProblems.length > 0) {
    io.err('map the missing columns with --map field=column, then run again');
    return 1;
  }
  if (options.dryRun) return 0;
  if (current.status === 'preview' || current.status === 'failed') {
    const started = await call('POST', `/api/imports/${current.id}/commit`);
    if (!started.response.ok) {
      io.err(describeError(started.response.status, started.body));
      return 1;
    }
    current = started.body as unknown as ImportBody;
  }
  const bar = io.progress(current.rowsTotal);
  try {
    for (;;) {
      bar.update(current.rowsDone + current.rowsRefused, current.rowsRefused);
      if (current.status === 'done' || current.status === 'failed') break;
      await io.sleep(500);
      const got = await call('GET', `/api/imports/${current.id}`);
      if (!got.response.ok) {
        bar.stop();
        io.err(describeError(got.response.status, got.body));
        return 1;
      }
      current = got.body as unknown as ImportBody;
    }
  } finally {
    bar.stop();
  }
  io.out(
    `${current.status}: ${current.rowsDone} rows stored, ${current.rowsRefused} refused of ${current.rowsTotal}`,
  );
  if (current.error) io.err(current.error);
  if (current.rowsRefused > 0) {
    if (options.refused) {
      const response = await io.fetch(`${base}/api/imports/${current.id}/refused.csv`, {
        headers: { authorization },
      });
      await io.writeFile(options.refused, await response.text());
      io.out(`refused rows with their reasons: ${options.refused}`);
    } else {
      io.out(
        `refused rows with their reasons: GET ${base}/api/imports/${current.id}/refused.csv (or --refused file.csv)`,
      );
    }
  }
  return current.status === 'done' ? 0 : 1;
}
