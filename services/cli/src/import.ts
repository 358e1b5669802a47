// `pnpm import <file> --kind sales [--sheet 名称]`: uploads a CSV/XLSX export to a running Product
// Tower, prints the preview (mapping, problems), commits it and shows a progress bar until every row
// is stored. It talks only to the HTTP API (POST /api/imports, …), as the dashboard does.
import { openAsBlob } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import cliProgress from 'cli-progress';
import { run, type CliIo } from './import.command.js';

const io: CliIo = {
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  fetch: (url, init) => fetch(url, init),
  openFile: async (path) => ({
    blob: await openAsBlob(path),
    name: basename(path),
    size: (await stat(path)).size,
  }),
  writeFile: (path, data) => writeFile(path, data),
  sleep: (ms) => sleep(ms),
  progress: (total) => {
    const bar = new cliProgress.SingleBar(
      {
        format: ' {bar} {percentage}% | {value}/{total} rows | {refused} refused | {duration_formatted}',
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { refused: 0 });
    return {
      update: (done, refused) => bar.update(done, { refused }),
      stop: () => bar.stop(),
    };
  },
};

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    kind: { type: 'string' },
    sheet: { type: 'string' },
    source: { type: 'string' },
    map: { type: 'string', multiple: true },
    url: { type: 'string' },
    token: { type: 'string' },
    'dry-run': { type: 'boolean' },
    refused: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

process.exitCode = await run(io, { ...values, dryRun: values['dry-run'] ?? false, files: positionals });
