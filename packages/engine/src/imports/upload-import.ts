import { createHash } from 'node:crypto';
import {
  deleteImport,
  findImportById,
  findImportOfFile,
  findImportSource,
  finishImportUpload,
  insertImport,
  insertImportRows,
  isUniqueViolation,
  type StagedRow,
} from '@tower/db';
import {
  AppError,
  fieldProblem,
  guessMapping,
  mappingProblems,
  normaliseHeader,
  type ImportKind,
  type ImportMapping,
} from '@tower/domain';
import { requirePerson } from '../access.js';
import type { Actor, EngineContext } from '../context.js';
import { canSeeImport, loadLookups, requireImporter } from './import-access.js';
import { importView, type ImportView } from './import-view.js';
import { joinCells, RowChecker } from './row-checker.js';

/** Rows staged per INSERT while a file uploads. */
const STAGE_ROWS = 1_000;

/** What identifies the exporting system when the uploader names none: its header row. */
function sourceOf(headers: readonly string[]): string {
  const signature = headers.map(normaliseHeader).join('|');
  return `headers-${createHash('sha256').update(signature).digest('hex').slice(0, 16)}`;
}

function usableMapping(kind: ImportKind, headers: readonly string[], mapping: ImportMapping | undefined) {
  return mapping !== undefined && mappingProblems(kind, headers, mapping).length === 0 ? mapping : undefined;
}

export interface UploadedRow {
  /** The row number as the spreadsheet shows it (the header is usually row 1). */
  readonly rowNo: number;
  readonly cells: string[];
}

export interface UploadInput {
  readonly kind: ImportKind;
  readonly fileName: string;
  readonly sheet?: string;
  /** Names the exporting system (e.g. `meituan`); the mapping is remembered per (kind, source). */
  readonly source?: string;
  /** Every row of the sheet, the header row first; read once, as the file streams in. */
  readonly rows: AsyncIterable<UploadedRow>;
  /** Size, SHA-256 and encoding of the file, known once `rows` is exhausted. */
  readonly file: () => { size: number; sha256: string; encoding: string | null };
  readonly batchSize: number;
}

/**
 * Stages an uploaded file for a preview: the header row gives the mapping (remembered for this
 * source, else guessed), each row is checked as it streams in and staged in batches, so the file is
 * never held whole. Nothing is stored as facts. A file already imported (same kind, SHA-256 and
 * sheet) is recognised: its staging is dropped and the earlier import is answered.
 */
export async function uploadImport(
  ctx: EngineContext,
  actor: Actor,
  input: UploadInput,
): Promise<ImportView> {
  const person = requireImporter(actor);
  const iterator = input.rows[Symbol.asyncIterator]();
  let header: UploadedRow | undefined;
  for (;;) {
    const next = await iterator.next();
    if (next.done) break;
    if (next.value.cells.some((c) => c.trim() !== '')) {
      header = next.value;
      break;
    }
  }
  if (!header) {
    throw new AppError('IMPORT_EMPTY', 'The file has no header row.', {
      fields: [fieldProblem('file', 'FILE_HAS_NO_ROWS')],
    });
  }
  const headers = trimTrailing(header.cells.map((c) => c.trim()));
  const source = input.source ?? sourceOf(headers);
  const remembered = usableMapping(input.kind, headers, await findImportSource(ctx.db, input.kind, source));
  const mapping = remembered ?? guessMapping(input.kind, headers);
  const problemsOfMapping = mappingProblems(input.kind, headers, mapping);
  const lookups = await loadLookups(ctx, person);
  const id = await insertImport(ctx.db, {
    kind: input.kind,
    fileName: input.fileName,
    sheet: input.sheet ?? null,
    source,
    headers,
    mapping,
    mappingProblems: problemsOfMapping,
    batchSize: input.batchSize,
    createdBy: person.id,
    createdAt: ctx.now(),
  });
  try {
    const checker = new RowChecker(input.kind, headers, mapping, problemsOfMapping.length === 0, lookups);
    let batch: StagedRow[] = [];
    let inFlight: Promise<void> = Promise.resolve();
    let seq = 0;
    const flush = async () => {
      const rows = batch;
      batch = [];
      // One INSERT in flight while the next batch is read: parsing and Postgres overlap.
      await inFlight;
      inFlight = insertImportRows(ctx.db, id, rows);
    };
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      const { rowNo, cells } = next.value;
      if (!cells.some((c) => c.trim() !== '')) continue;
      const problem = checker.check(rowNo, cells);
      batch.push({ seq: seq++, rowNo, line: joinCells(cells), problem });
      if (batch.length >= STAGE_ROWS) await flush();
    }
    await flush();
    await inFlight;
    const file = input.file();
    const earlier = await findImportOfFile(ctx.db, {
      kind: input.kind,
      fileSha256: file.sha256,
      sheet: input.sheet ?? null,
      exceptId: id,
    });
    if (earlier && canSeeImport(person, earlier)) {
      await deleteImport(ctx.db, id);
      return { ...(await importView(ctx, earlier)), recognised: true };
    }
    await finishImportUpload(
      ctx.db,
      id,
      { ...checker.summary(), fileSize: file.size, fileSha256: file.sha256, encoding: file.encoding },
      ctx.now(),
    );
  } catch (error) {
    await deleteImport(ctx.db, id).catch(() => undefined);
    if (isUniqueViolation(error)) {
      throw new AppError(
        'IMPORT_SAME_FILE_IN_FLIGHT',
        'This file is being imported by someone else right now.',
      );
    }
    throw error;
  }
  return importView(ctx, (await findImportById(ctx.db, id))!);
}

function trimTrailing(headers: string[]): string[] {
  let end = headers.length;
  while (end > 0 && headers[end - 1] === '') end--;
  return headers.slice(0, end).map((h, i) => (h === '' ? `column ${i + 1}` : h));
}

/** Drops an upload its own request turned out to be invalid for (nothing of it is kept). */
export async function discardUpload(ctx: EngineContext, actor: Actor, id: string): Promise<void> {
  const person = requirePerson(actor);
  const row = await findImportById(ctx.db, id);
  if (row && row.createdBy === person.id && row.status === 'preview') await deleteImport(ctx.db, id);
}
