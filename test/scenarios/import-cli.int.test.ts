import { openAsBlob } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { run, type CliIo } from '@tower/cli';
import { makeBranch, makeDepartment, makePerson, type TestPerson } from '../support/api.js';
import { makeLiveProduct, startStack, type StackHarness } from '../support/stack.js';

let h: StackHarness;
let manager: TestPerson;
let productId: string;
let base: string;
let dir: string;

beforeAll(async () => {
  h = await startStack({ IMPORT_BATCH_ROWS: '100' });
  const departmentId = (await makeDepartment(h.db, 'surgery')).id;
  await makeBranch(h.db, 'BJ-CY');
  manager = await makePerson(h.db, [{ role: 'product_manager' }]);
  productId = await makeLiveProduct(h.db, { departmentId, ownerId: manager.id, name: '双眼皮' });
  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  dir = await mkdtemp(join(tmpdir(), 'tower-cli-'));
});

afterAll(async () => {
  await h?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function io(lines: string[], progress: number[][]): CliIo {
  return {
    env: { TOWER_URL: base, TOWER_TOKEN: manager.token },
    out: (line) => lines.push(line),
    err: (line) => lines.push(`! ${line}`),
    fetch: (url, init) => fetch(url, init),
    openFile: async (path) => ({
      blob: await openAsBlob(path),
      name: basename(path),
      size: (await stat(path)).size,
    }),
    writeFile: (path, data) => writeFile(path, data),
    sleep: async () => {
      await h.worker.relayNow();
    },
    progress: (total) => {
      progress.push([total]);
      return { update: (done, refused) => progress.push([done, refused]), stop: () => progress.push([-1]) };
    },
  };
}

it('uploads a file against a running product, commits it with a progress bar and saves the refused rows', async () => {
  const days = Array.from({ length: 450 }, (_, i) =>
    new Date(Date.UTC(2025, 0, 1 + i)).toISOString().slice(0, 10),
  );
  const csv = `date,branch,product,units,revenue,orders\n${days.map((d) => `${d},bj-cy,双眼皮,1,12800.00,1`).join('\n')}\n2026-11-01,BJ-CY,埋线提升,1,1,1\n`;
  const file = join(dir, 'sales.csv');
  await writeFile(file, csv);
  const refused = join(dir, 'refused.csv');
  const lines: string[] = [];
  const progress: number[][] = [];
  const code = await run(io(lines, progress), { files: [file], kind: 'sales', dryRun: false, refused });
  expect(lines.join('\n')).toContain('done: 450 rows stored, 1 refused of 451');
  expect(code).toBe(0);
  expect(progress[0]).toEqual([451]);
  expect(progress.at(-2)).toEqual([451, 1]);
  const done = progress.slice(1, -1).map((p) => p[0]!);
  expect(done).toEqual([...done].sort((a, b) => a - b));
  const stored = await h.db
    .selectFrom('salesDaily')
    .select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.sum<string>('revenueFen').as('fen')])
    .where('productId', '=', productId)
    .executeTakeFirstOrThrow();
  expect([Number(stored.n), Number(stored.fen)]).toEqual([450, 450 * 1_280_000]);
  expect(await readFile(refused, 'utf8')).toContain('no product with this code or name: ""埋线提升""');
});

it('says what is wrong and exits non-zero without credentials or with a bad kind', async () => {
  const lines: string[] = [];
  const none = { ...io(lines, []), env: { TOWER_URL: base } };
  expect(await run(none, { files: ['x.csv'], kind: 'sales', dryRun: false })).toBe(2);
  expect(lines.join('\n')).toContain('no credentials');
  const file = join(dir, 'a.csv');
  await writeFile(file, 'a\n1\n');
  const bad: string[] = [];
  expect(await run(io(bad, []), { files: [file], kind: 'refunds', dryRun: false })).toBe(1);
  expect(bad.join('\n')).toContain('kind: must be one of sales, complaints, competitor-prices, targets');
});
