import { sql, type Selectable } from 'kysely';
import type { ImportKind, ImportStatus } from '@tower/domain';
import type { Executor } from '../connection.js';
import type { CellProblem, MappingProblem } from '@tower/domain';
import type { ImportTable } from '../schema.js';

export type ImportRecordRow = Selectable<ImportTable>;

export interface NewImport {
  kind: ImportKind;
  fileName: string;
  sheet: string | null;
  source: string;
  headers: string[];
  mapping: Record<string, string>;
  mappingProblems: MappingProblem[];
  batchSize: number;
  createdBy: string;
  /** When the upload began (the engine's clock). */
  createdAt: Date;
}

export async function insertImport(db: Executor, values: NewImport): Promise<string> {
  const row = await db
    .insertInto('imports')
    .values({
      ...values,
      mapping: JSON.stringify(values.mapping),
      mappingProblems: JSON.stringify(values.mappingProblems),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface StagedRow {
  seq: number;
  rowNo: number;
  line: string;
  problem: string | null;
}

/** Stages rows of an upload in one statement (UNNEST of column arrays). */
export async function insertImportRows(
  db: Executor,
  importId: string,
  rows: readonly StagedRow[],
): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    insert into import_rows (import_id, seq, row_no, line, problem)
    select ${importId}::uuid, * from unnest(
      ${rows.map((r) => r.seq)}::int[], ${rows.map((r) => r.rowNo)}::int[],
      ${rows.map((r) => r.line)}::text[], ${rows.map((r) => r.problem)}::text[])
  `.execute(db);
}

/** Rows `fromSeq` ≤ seq < `toSeq` of an import, in file order. */
export async function listImportRows(
  db: Executor,
  importId: string,
  window: { fromSeq: number; toSeq: number },
): Promise<StagedRow[]> {
  return db
    .selectFrom('importRows')
    .select(['seq', 'rowNo', 'line', 'problem'])
    .where('importId', '=', importId)
    .where('seq', '>=', window.fromSeq)
    .where('seq', '<', window.toSeq)
    .orderBy('seq')
    .execute();
}

/** Sets the problem of each row (null clears it), in one statement. */
export async function updateImportRowProblems(
  db: Executor,
  importId: string,
  rows: readonly { seq: number; problem: string | null }[],
): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    update import_rows r set problem = u.problem
    from unnest(${rows.map((r) => r.seq)}::int[], ${rows.map((r) => r.problem)}::text[]) as u(seq, problem)
    where r.import_id = ${importId} and r.seq = u.seq and r.problem is distinct from u.problem
  `.execute(db);
}

export interface ImportSummaryUpdate {
  rowsTotal: number;
  rowsRefusedPreview: number;
  problemCount: number;
  problems: (CellProblem & { row: number })[];
  preview: unknown[];
}

function summaryValues(summary: ImportSummaryUpdate) {
  return {
    rowsTotal: summary.rowsTotal,
    rowsRefusedPreview: summary.rowsRefusedPreview,
    problemCount: summary.problemCount,
    problems: JSON.stringify(summary.problems),
    preview: JSON.stringify(summary.preview),
  };
}

/** Records the end of an upload: the file's size and hash, and what the preview found. */
export async function finishImportUpload(
  db: Executor,
  id: string,
  values: ImportSummaryUpdate & { fileSize: number; fileSha256: string; encoding: string | null },
  at: Date,
): Promise<void> {
  await db
    .updateTable('imports')
    .set({
      ...summaryValues(values),
      fileSize: values.fileSize,
      fileSha256: values.fileSha256,
      encoding: values.encoding,
      uploadedAt: at,
    } as never)
    .where('id', '=', id)
    .execute();
}

/** A new mapping and the preview made with it (only while the import is a preview). */
export async function updateImportMapping(
  db: Executor,
  id: string,
  values: ImportSummaryUpdate & {
    mapping: Record<string, string>;
    mappingProblems: MappingProblem[];
  },
): Promise<boolean> {
  const result = await db
    .updateTable('imports')
    .set({
      ...summaryValues(values),
      mapping: JSON.stringify(values.mapping),
      mappingProblems: JSON.stringify(values.mappingProblems),
    })
    .where('id', '=', id)
    .where('status', '=', 'preview')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function findImportById(db: Executor, id: string): Promise<ImportRecordRow | undefined> {
  return db.selectFrom('imports').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Locks an import row (inside a transaction) so a status change is decided once. */
export async function lockImportById(db: Executor, id: string): Promise<ImportRecordRow | undefined> {
  return db.selectFrom('imports').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** An earlier upload of the same file (same kind, content and sheet) that did not fail. */
export async function findImportOfFile(
  db: Executor,
  file: { kind: ImportKind; fileSha256: string; sheet: string | null; exceptId: string },
): Promise<ImportRecordRow | undefined> {
  return db
    .selectFrom('imports')
    .selectAll()
    .where('kind', '=', file.kind)
    .where('fileSha256', '=', file.fileSha256)
    .where(sql<boolean>`coalesce(sheet, '') = ${file.sheet ?? ''}`)
    .where('status', '<>', 'failed')
    .where('id', '<>', file.exceptId)
    .executeTakeFirst();
}

/** Removes an import and its staged rows (an upload that failed, or a second copy of a file). */
export async function deleteImport(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('imports').where('id', '=', id).execute();
}

export async function setImportStatus(
  db: Executor,
  id: string,
  values: { status: ImportStatus; committedBy?: string; error?: string | null },
  at: Date,
): Promise<void> {
  await db
    .updateTable('imports')
    .set({
      status: values.status,
      ...(values.committedBy !== undefined ? { committedBy: values.committedBy, committedAt: at } : {}),
      ...(values.status === 'done' || values.status === 'failed' ? { finishedAt: at } : {}),
      ...(values.error !== undefined ? { error: values.error } : {}),
    } as never)
    .where('id', '=', id)
    .execute();
}

/**
 * Records a committed batch; false when it was already recorded (another run of the job got there
 * first). Call it in the transaction that stored the batch's facts, so both happen or neither.
 */
export async function insertImportBatch(
  db: Executor,
  batch: { importId: string; batchNo: number; stored: number; refused: number },
): Promise<boolean> {
  const inserted = await db
    .insertInto('importBatches')
    .values(batch)
    .onConflict((oc) => oc.columns(['importId', 'batchNo']).doNothing())
    .returning('batchNo')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function listImportBatchNos(db: Executor, importId: string): Promise<Set<number>> {
  const rows = await db
    .selectFrom('importBatches')
    .select('batchNo')
    .where('importId', '=', importId)
    .execute();
  return new Set(rows.map((r) => r.batchNo));
}

/** Rows stored and refused by the committed batches of each import. */
export async function sumImportBatches(
  db: Executor,
  importIds: readonly string[],
): Promise<Map<string, { stored: number; refused: number; batches: number }>> {
  if (importIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('importBatches')
    .select([
      'importId',
      sql<number>`sum(stored)::int`.as('stored'),
      sql<number>`sum(refused)::int`.as('refused'),
      sql<number>`count(*)::int`.as('batches'),
    ])
    .where('importId', 'in', [...importIds])
    .groupBy('importId')
    .execute();
  return new Map(rows.map((r) => [r.importId, r]));
}

/** Uploaded imports, newest first; `after` is the id of the last one of the previous page. */
export async function listImports(
  db: Executor,
  page: { after?: string; limit: number; createdBy?: string },
): Promise<ImportRecordRow[]> {
  let query = db.selectFrom('imports').selectAll().where('uploadedAt', 'is not', null);
  if (page.createdBy) query = query.where('createdBy', '=', page.createdBy);
  if (page.after) {
    query = query.where(
      sql<boolean>`(created_at, id) < (select created_at, id from imports where id = ${page.after})`,
    );
  }
  return query.orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(page.limit).execute();
}

/** Refused rows of an import after `afterSeq`, in file order (for the refused-rows download). */
export async function listRefusedImportRows(
  db: Executor,
  importId: string,
  page: { afterSeq: number; limit: number },
): Promise<StagedRow[]> {
  return db
    .selectFrom('importRows')
    .select(['seq', 'rowNo', 'line', 'problem'])
    .where('importId', '=', importId)
    .where('problem', 'is not', null)
    .where('seq', '>', page.afterSeq)
    .orderBy('seq')
    .limit(page.limit)
    .execute();
}

export async function findImportSource(
  db: Executor,
  kind: ImportKind,
  source: string,
): Promise<Record<string, string> | undefined> {
  const row = await db
    .selectFrom('importSources')
    .select('mapping')
    .where('kind', '=', kind)
    .where('source', '=', source)
    .executeTakeFirst();
  return row?.mapping;
}

export async function upsertImportSource(
  db: Executor,
  values: { kind: ImportKind; source: string; mapping: Record<string, string>; updatedBy: string },
  at: Date,
): Promise<void> {
  const mapping = JSON.stringify(values.mapping);
  await db
    .insertInto('importSources')
    .values({ ...values, mapping, updatedAt: at })
    .onConflict((oc) =>
      oc.columns(['kind', 'source']).doUpdateSet({ mapping, updatedBy: values.updatedBy, updatedAt: at }),
    )
    .execute();
}

/** Every product's id, name and scope: imports match products by id or name. */
export async function listProductNames(
  db: Executor,
): Promise<{ id: string; name: string; departmentId: string; ownerId: string }[]> {
  return db.selectFrom('products').select(['id', 'name', 'departmentId', 'ownerId']).execute();
}
