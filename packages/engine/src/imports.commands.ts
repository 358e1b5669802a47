import { createHash } from 'node:crypto';
import {
  deleteImport,
  findImportById,
  findImportOfFile,
  findImportSource,
  findPersonById,
  finishImportUpload,
  insertImport,
  insertImportBatch,
  insertImportRows,
  insertOutbox,
  isRetryableDbError,
  isUniqueViolation,
  listBranches,
  listImportBatchNos,
  listImportRows,
  listImports,
  listProductNames,
  listRefusedImportRows,
  lockImportById,
  setImportStatus,
  sumImportBatches,
  updateImportMapping,
  updateImportRowProblems,
  upsertImportSource,
  type ImportRecordRow,
  type StagedRow,
  type Tx,
} from '@tower/db';
import {
  AppError,
  convertRow,
  csvLine,
  DuplicateFinder,
  guessMapping,
  IMPORT_FIELDS,
  isAppError,
  mappingProblems,
  normaliseHeader,
  RefIndex,
  resolveMapping,
  type CellProblem,
  type ImportKind,
  type ImportLookups,
  type ImportMapping,
  type ImportRecord,
  type ImportStatus,
  type MappingProblem,
  type ResolvedMapping,
} from '@tower/domain';
import { jobIdFor } from '@tower/queue';
import { canSeeProduct, requirePerson } from './access.js';
import { hasRole, type Actor, type EngineContext, type PersonActor } from './context.js';
import { setSalesTarget } from './targets.commands.js';
import { ingestCompetitorPrices, ingestComplaint, ingestSales, INGEST_ROLES } from './ingest.commands.js';
import type { CompetitorPriceRow, SalesInputRow } from './ingest.inputs.js';

/** Problems named one by one in a preview; the rest are counted. */
export const NAMED_PROBLEMS = 100;
/** Rows shown in a preview. */
export const PREVIEW_ROWS = 20;
/** Batches of one import committed at once. */
const COMMIT_CONCURRENCY = 3;
/** Rows staged per INSERT while a file uploads. */
const STAGE_ROWS = 2_000;

/** Cells are staged as one text, joined by the unit separator (which no export uses). */
const SEPARATOR = '\u001f';
// Postgres text cannot hold NUL; neither it nor the separator has a place in a cell.
const joinCells = (cells: readonly string[]) =>
  cells.map((c) => c.replaceAll('\u0000', ' ').replaceAll(SEPARATOR, ' ')).join(SEPARATOR);
const splitCells = (line: string) => line.split(SEPARATOR);

export interface ImportProblem {
  row: number;
  column: string;
  message: string;
}

export interface PreviewRow {
  row: number;
  cells: string[];
  /** The row as it will be stored; null when it will be refused. */
  record: ImportRecord | null;
}

export interface ImportView {
  id: string;
  kind: ImportKind;
  status: ImportStatus;
  fileName: string;
  fileSize: number;
  fileSha256: string | null;
  sheet: string | null;
  encoding: string | null;
  source: string;
  headers: string[];
  mapping: Record<string, string>;
  mappingProblems: MappingProblem[];
  preview: PreviewRow[];
  problems: ImportProblem[];
  problemCount: number;
  rowsTotal: number;
  rowsWithProblems: number;
  rowsDone: number;
  rowsRefused: number;
  error: string | null;
  createdBy: string;
  createdAt: string;
  committedAt: string | null;
  finishedAt: string | null;
  /** True when this upload was recognised as a file already imported: nothing new was staged. */
  recognised?: boolean;
}

function toView(row: ImportRecordRow, progress?: { stored: number; refused: number }): ImportView {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    fileName: row.fileName,
    fileSize: row.fileSize,
    fileSha256: row.fileSha256,
    sheet: row.sheet,
    encoding: row.encoding,
    source: row.source,
    headers: row.headers,
    mapping: row.mapping,
    mappingProblems: row.mappingProblems,
    preview: row.preview as PreviewRow[],
    problems: row.problems,
    problemCount: row.problemCount,
    rowsTotal: row.rowsTotal,
    rowsWithProblems: row.rowsRefusedPreview,
    rowsDone: progress?.stored ?? 0,
    rowsRefused: progress?.refused ?? 0,
    error: row.error,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    committedAt: row.committedAt ? new Date(row.committedAt).toISOString() : null,
    finishedAt: row.finishedAt ? new Date(row.finishedAt).toISOString() : null,
  };
}

/** Admins, product managers and the roles that may ingest facts bring files in. */
function requireImporter(actor: Actor): PersonActor {
  const person = requirePerson(actor);
  if (!INGEST_ROLES.some((role) => hasRole(person, role))) {
    throw new AppError('ROLE_REQUIRED', 'Your roles may not import facts.', {
      requiredRoles: INGEST_ROLES,
    });
  }
  return person;
}

/** An import is seen by the person who uploaded it, admins and directors; to others it does not exist. */
function canSeeImport(person: PersonActor, row: ImportRecordRow): boolean {
  return row.createdBy === person.id || hasRole(person, 'admin') || hasRole(person, 'director');
}

function importNotFound(id: string): AppError {
  return new AppError('IMPORT_NOT_FOUND', `No import ${id}.`);
}

async function findVisibleImport(ctx: EngineContext, person: PersonActor, id: string) {
  const row = await findImportById(ctx.db, id);
  if (!row || row.uploadedAt === null || !canSeeImport(person, row)) throw importNotFound(id);
  return row;
}

/** Products the person may bring facts about (the ones they see), and every branch. */
async function loadLookups(ctx: EngineContext, person: PersonActor): Promise<ImportLookups> {
  const [products, branches] = await Promise.all([listProductNames(ctx.db), listBranches(ctx.db)]);
  return {
    products: new RefIndex(products.filter((p) => canSeeProduct(person, p))),
    branches: new RefIndex(branches),
  };
}

const DUPLICATE_OF: Record<ImportKind, string> = {
  sales: 'same product, branch, date and channel',
  complaints: 'same complaint',
  'competitor-prices': 'same product, competitor, date and platform',
  targets: 'same product, branch and month',
};

/**
 * Reads rows one at a time against a mapping: converts each, finds repeats of an earlier row, keeps
 * the first problems by name and counts the rest, and the first rows for the preview.
 */
class RowChecker {
  readonly problems: ImportProblem[] = [];
  readonly preview: PreviewRow[] = [];
  problemCount = 0;
  rowsWithProblems = 0;
  rows = 0;
  private readonly duplicates: DuplicateFinder;
  private readonly resolved: ResolvedMapping | undefined;
  private readonly keyColumn: string;

  constructor(
    private readonly kind: ImportKind,
    private readonly headers: readonly string[],
    mapping: ImportMapping,
    complete: boolean,
    private readonly lookups: ImportLookups,
  ) {
    this.duplicates = new DuplicateFinder(kind);
    this.resolved = complete ? resolveMapping(headers, mapping) : undefined;
    this.keyColumn = mapping.product ?? mapping.externalId ?? headers[0] ?? '';
  }

  /** The problem text staged with the row (null when it will be stored). */
  check(rowNo: number, cells: string[]): string | null {
    this.rows++;
    if (!this.resolved) {
      if (this.preview.length < PREVIEW_ROWS) this.preview.push({ row: rowNo, cells, record: null });
      return null;
    }
    const converted = convertRow(this.kind, this.headers, cells, this.resolved, this.lookups);
    let problems: readonly CellProblem[] = converted.problems;
    if (converted.record) {
      const first = this.duplicates.check(converted.record, rowNo);
      if (first !== undefined) {
        problems = [{ column: this.keyColumn, message: `repeats row ${first} (${DUPLICATE_OF[this.kind]})` }];
      }
    }
    const stored = problems.length === 0 ? (converted.record ?? null) : null;
    if (this.preview.length < PREVIEW_ROWS) this.preview.push({ row: rowNo, cells, record: stored });
    if (problems.length === 0) return null;
    this.rowsWithProblems++;
    for (const p of problems) {
      this.problemCount++;
      if (this.problems.length < NAMED_PROBLEMS) this.problems.push({ row: rowNo, ...p });
    }
    return problems.map((p) => `${p.column}: ${p.message}`).join('; ');
  }

  summary() {
    return {
      rowsTotal: this.rows,
      rowsRefusedPreview: this.rowsWithProblems,
      problemCount: this.problemCount,
      problems: this.problems,
      preview: this.preview,
    };
  }
}

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
      fields: [{ field: 'file', message: 'has no rows' }],
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
    await finishImportUpload(ctx.db, id, {
      ...checker.summary(),
      fileSize: file.size,
      fileSha256: file.sha256,
      encoding: file.encoding,
    });
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

async function importView(ctx: EngineContext, row: ImportRecordRow): Promise<ImportView> {
  const progress = (await sumImportBatches(ctx.db, [row.id])).get(row.id);
  return toView(row, progress);
}

/** Drops an upload its own request turned out to be invalid for (nothing of it is kept). */
export async function discardUpload(ctx: EngineContext, actor: Actor, id: string): Promise<void> {
  const person = requirePerson(actor);
  const row = await findImportById(ctx.db, id);
  if (row && row.createdBy === person.id && row.status === 'preview') await deleteImport(ctx.db, id);
}

export async function getImport(ctx: EngineContext, actor: Actor, id: string): Promise<ImportView> {
  const person = requirePerson(actor);
  return importView(ctx, await findVisibleImport(ctx, person, id));
}

/** The imports a person may see, newest first (admins and directors see everyone's). */
export async function listImportViews(
  ctx: EngineContext,
  actor: Actor,
  page: { after?: string; limit: number },
): Promise<ImportView[]> {
  const person = requirePerson(actor);
  const everyone = hasRole(person, 'admin') || hasRole(person, 'director');
  const rows = await listImports(ctx.db, { ...page, ...(everyone ? {} : { createdBy: person.id }) });
  const progress = await sumImportBatches(
    ctx.db,
    rows.map((r) => r.id),
  );
  // The list leaves out the preview rows and named problems: GET /api/imports/:id has them.
  return rows.map((r) => ({ ...toView(r, progress.get(r.id)), preview: [], problems: [] }));
}

/**
 * A corrected mapping: checked (400 naming every problem), remembered for the import's source, and
 * every staged row checked again with it; answers the new preview.
 */
export async function remapImport(
  ctx: EngineContext,
  actor: Actor,
  id: string,
  mapping: Record<string, string>,
): Promise<ImportView> {
  const person = requireImporter(actor);
  const row = await findVisibleImport(ctx, person, id);
  if (row.status !== 'preview') throw notInPreview(row);
  const kind = row.kind;
  const problems = mappingProblems(kind, row.headers, mapping);
  if (problems.length > 0) {
    throw new AppError(
      'IMPORT_MAPPING_INVALID',
      `The mapping is not valid: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}.`,
      {
        fields: problems.map((p) => ({ field: `/mapping/${p.field}`, message: p.message })),
      },
    );
  }
  const checker = new RowChecker(kind, row.headers, mapping, true, await loadLookups(ctx, person));
  const window = 5_000;
  for (let fromSeq = 0; fromSeq < row.rowsTotal; fromSeq += window) {
    const staged = await listImportRows(ctx.db, id, { fromSeq, toSeq: fromSeq + window });
    await updateImportRowProblems(
      ctx.db,
      id,
      staged.map((s) => ({ seq: s.seq, problem: checker.check(s.rowNo, splitCells(s.line)) })),
    );
  }
  const updated = await updateImportMapping(ctx.db, id, {
    ...checker.summary(),
    mapping,
    mappingProblems: [],
  });
  if (!updated) throw notInPreview((await findImportById(ctx.db, id))!);
  await upsertImportSource(ctx.db, { kind, source: row.source, mapping, updatedBy: person.id });
  return importView(ctx, (await findImportById(ctx.db, id))!);
}

function notInPreview(row: ImportRecordRow): AppError {
  return new AppError(
    'IMPORT_NOT_IN_PREVIEW',
    `The import is ${row.status}; only a preview can change or be committed.`,
    {
      status: row.status,
    },
  );
}

/**
 * Starts committing an import in the background: the status becomes `committing` and one
 * `commit-import` job is queued through the outbox, in one transaction. A failed import may be
 * committed again; the batches it already stored are skipped.
 */
export async function commitImport(ctx: EngineContext, actor: Actor, id: string): Promise<ImportView> {
  const person = requireImporter(actor);
  await ctx.db.transaction().execute(async (tx) => {
    const row = await lockImportById(tx, id);
    if (!row || row.uploadedAt === null || !canSeeImport(person, row)) throw importNotFound(id);
    if (row.status !== 'preview' && row.status !== 'failed') throw notInPreview(row);
    if (row.mappingProblems.length > 0) {
      throw new AppError(
        'IMPORT_MAPPING_INCOMPLETE',
        'Map the columns first (PUT /api/imports/:id/mapping).',
        {
          reasons: row.mappingProblems.map((p) => ({ code: 'MAPPING', message: `${p.field} ${p.message}` })),
        },
      );
    }
    await setImportStatus(tx, id, { status: 'committing', committedBy: person.id, error: null });
    await insertOutbox(tx, [
      {
        jobName: 'commit-import',
        jobId: jobIdFor('commit-import', id, row.committedAt ? new Date(row.committedAt).getTime() : 0),
        payload: { importId: id },
      },
    ]);
  });
  return importView(ctx, (await findImportById(ctx.db, id))!);
}

/** The refused rows of an import as CSV lines: the header with a reason column, then each row. */
export async function* refusedRowsCsv(ctx: EngineContext, actor: Actor, id: string): AsyncGenerator<string> {
  const person = requirePerson(actor);
  const row = await findVisibleImport(ctx, person, id);
  yield `${csvLine(['row', ...row.headers, 'reason'])}\r\n`;
  let afterSeq = -1;
  for (;;) {
    const rows = await listRefusedImportRows(ctx.db, id, { afterSeq, limit: 2_000 });
    if (rows.length === 0) return;
    yield rows.map((r) => `${csvLine([r.rowNo, ...splitCells(r.line), r.problem ?? ''])}\r\n`).join('');
    afterSeq = rows[rows.length - 1]!.seq;
  }
}

/** A batch found already committed by another run: its transaction is rolled back. */
class BatchAlreadyCommitted extends Error {}

interface BatchWork {
  readonly importId: string;
  readonly batchNo: number;
  stored: Array<{ seq: number; record: ImportRecord }>;
  readonly refused: Array<{ seq: number; problem: string }>;
  readonly alreadyRefused: number;
}

function refuseStored(
  work: BatchWork,
  which: (index: number, item: BatchWork['stored'][number]) => string | undefined,
) {
  const kept: BatchWork['stored'] = [];
  work.stored.forEach((item, index) => {
    const problem = which(index, item);
    if (problem === undefined) kept.push(item);
    else work.refused.push({ seq: item.seq, problem });
  });
  const changed = kept.length !== work.stored.length;
  work.stored = kept;
  return changed;
}

/** Marks the batch committed, with the rows refused in it, inside the transaction that stored it. */
function recordBatch(work: BatchWork) {
  return async (tx: Tx) => {
    await updateImportRowProblems(tx, work.importId, work.refused);
    const recorded = await insertImportBatch(tx, {
      importId: work.importId,
      batchNo: work.batchNo,
      stored: work.stored.length,
      refused: work.alreadyRefused + work.refused.length,
    });
    if (!recorded) throw new BatchAlreadyCommitted();
  };
}

async function storeBatch(
  ctx: EngineContext,
  person: PersonActor,
  kind: ImportKind,
  work: BatchWork,
): Promise<void> {
  const within = recordBatch(work);
  if (work.stored.length === 0) {
    await ctx.db.transaction().execute(within);
    return;
  }
  switch (kind) {
    case 'sales':
      await ingestSales(ctx, person, {
        rows: work.stored.map((s) => s.record as unknown as SalesInputRow),
        within,
      });
      return;
    case 'competitor-prices':
      await ingestCompetitorPrices(ctx, person, {
        rows: work.stored.map((s) => s.record as unknown as CompetitorPriceRow),
        within,
      });
      return;
    case 'complaints':
    case 'targets': {
      // One fact per call; each is idempotent (complaints by external id, targets by key), so a batch
      // run again after a crash stores nothing twice. The batch is recorded after its rows.
      await refuseEach(work, async (record) => {
        if (kind === 'complaints') {
          const { externalId, ...complaint } = record as Record<string, string>;
          const derived = `import-${createHash('sha256').update(JSON.stringify(complaint)).digest('hex').slice(0, 32)}`;
          await ingestComplaint(ctx, person, {
            ...(complaint as never as Parameters<typeof ingestComplaint>[2]),
            externalId: externalId ?? derived,
          });
        } else {
          const { productId, ...target } = record as {
            productId: string;
            branchId: string;
            month: string;
            units?: number;
            revenueFen?: number;
          };
          await setSalesTarget(ctx, person, productId, target);
        }
      });
      await ctx.db.transaction().execute(within);
      return;
    }
  }
}

async function refuseEach(work: BatchWork, store: (record: ImportRecord) => Promise<void>) {
  const problems = new Map<number, string>();
  for (const item of work.stored) {
    try {
      await store(item.record);
    } catch (error) {
      if (!isAppError(error) || error.retryable) throw error;
      problems.set(item.seq, refusalText(error));
    }
  }
  refuseStored(work, (_, item) => problems.get(item.seq));
}

function refusalText(error: AppError): string {
  const fields = (error.details.fields as { field: string; message: string }[] | undefined) ?? [];
  return fields.length > 0
    ? fields.map((f) => `${f.field.replace(/^\/(rows\/\d+\/)?/, '')}: ${f.message}`).join('; ')
    : error.message;
}

/**
 * Commits one batch exactly once: rows the ingest command refuses are set aside with its reason and
 * the rest sent again; a batch some other run committed meanwhile is left as it is.
 */
async function commitBatch(
  ctx: EngineContext,
  person: PersonActor,
  row: ImportRecordRow,
  lookups: ImportLookups,
  batchNo: number,
) {
  const kind = row.kind;
  const resolved = resolveMapping(row.headers, row.mapping);
  const staged = await listImportRows(ctx.db, row.id, {
    fromSeq: batchNo * row.batchSize,
    toSeq: (batchNo + 1) * row.batchSize,
  });
  const work: BatchWork = {
    importId: row.id,
    batchNo,
    stored: [],
    refused: [],
    alreadyRefused: staged.filter((s) => s.problem !== null).length,
  };
  for (const s of staged) {
    if (s.problem !== null) continue;
    const converted = convertRow(kind, row.headers, splitCells(s.line), resolved, lookups);
    if (converted.record) work.stored.push({ seq: s.seq, record: converted.record });
    else
      work.refused.push({
        seq: s.seq,
        problem: converted.problems.map((p) => `${p.column}: ${p.message}`).join('; '),
      });
  }
  for (let attempt = 0; ; attempt++) {
    try {
      await storeBatch(ctx, person, kind, work);
      return;
    } catch (error) {
      if (error instanceof BatchAlreadyCommitted) return;
      if (attempt < 5 && isRetryableDbError(error)) continue;
      if (attempt < 5 && isAppError(error) && setAsideRefused(work, error)) continue;
      throw error;
    }
  }
}

/** Sets aside the rows an ingest command refused (by row index or product); false when none could be. */
function setAsideRefused(work: BatchWork, error: AppError): boolean {
  if (error.kind === 'invalid_input') {
    const byIndex = new Map<number, string[]>();
    for (const f of (error.details.fields as { field: string; message: string }[] | undefined) ?? []) {
      const match = /^\/rows\/(\d+)\/(\w+)/.exec(f.field);
      if (!match) continue;
      const list = byIndex.get(Number(match[1])) ?? [];
      list.push(`${match[2]}: ${f.message}`);
      byIndex.set(Number(match[1]), list);
    }
    return byIndex.size > 0 && refuseStored(work, (index) => byIndex.get(index)?.join('; '));
  }
  if (error.kind === 'forbidden' && Array.isArray(error.details.productIds)) {
    const products = new Set(error.details.productIds as string[]);
    return refuseStored(work, (_, item) =>
      products.has(String(item.record.productId))
        ? 'product: you may not record facts about this product'
        : undefined,
    );
  }
  return false;
}

/**
 * The `commit-import` job: commits every batch not yet committed, a few at a time, through the
 * same ingest commands as the API, as the person who committed the import. Each batch's facts and
 * its record commit in one transaction, so a crash or a second run resumes and stores nothing twice.
 */
export async function runImportCommit(
  ctx: EngineContext,
  payload: { importId: string },
  options: { finalAttempt: boolean },
): Promise<{ batches: number; status: string }> {
  const row = await findImportById(ctx.db, payload.importId);
  if (!row || row.status !== 'committing') return { batches: 0, status: row?.status ?? 'missing' };
  const found = await findPersonById(ctx.db, row.committedBy ?? row.createdBy);
  if (!found)
    throw new AppError('IMPORT_PERSON_GONE', 'The person who committed the import no longer exists.');
  const person: PersonActor = { kind: 'person', id: found.id, name: found.name, roles: found.roles };
  try {
    const lookups = await loadLookups(ctx, person);
    const done = await listImportBatchNos(ctx.db, row.id);
    const pending: number[] = [];
    for (let b = 0; b * row.batchSize < row.rowsTotal; b++) if (!done.has(b)) pending.push(b);
    let next = 0;
    const lane = async () => {
      while (next < pending.length) {
        const batchNo = pending[next++]!;
        await commitBatch(ctx, person, row, lookups, batchNo);
      }
    };
    await Promise.all(Array.from({ length: COMMIT_CONCURRENCY }, lane));
    await setImportStatus(ctx.db, row.id, { status: 'done' });
    return { batches: pending.length, status: 'done' };
  } catch (error) {
    if (options.finalAttempt || (isAppError(error) && !error.retryable)) {
      const message = isAppError(error) ? error.message : 'The commit failed; committing again resumes it.';
      await setImportStatus(ctx.db, row.id, { status: 'failed', error: message });
    }
    throw error;
  }
}

/** The fields of each kind, for clients that offer a mapping to choose from. */
export function importFields(kind: ImportKind) {
  return IMPORT_FIELDS[kind].map((f) => ({ name: f.name, required: f.required }));
}
