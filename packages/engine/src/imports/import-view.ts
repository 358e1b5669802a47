import { sumImportBatches, type ImportRecordRow } from '@tower/db';
import type {
  ImportKind,
  ImportProblemCode,
  ImportRecord,
  ImportStatus,
  MappingProblem,
  ProblemParams,
} from '@tower/domain';
import type { EngineContext } from '../context.js';

/** Problems named one by one in a preview; the rest are counted. */
export const NAMED_PROBLEMS = 100;
/** Rows shown in a preview. */
export const PREVIEW_ROWS = 20;

/** A problem of one cell: `message` in English; `code` and `params` word it in another language. */
export interface ImportProblem {
  row: number;
  column: string;
  code: ImportProblemCode;
  params?: ProblemParams;
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

export function toView(row: ImportRecordRow, progress?: { stored: number; refused: number }): ImportView {
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

/** The view of an import with its progress so far. */
export async function importView(ctx: EngineContext, row: ImportRecordRow): Promise<ImportView> {
  const progress = (await sumImportBatches(ctx.db, [row.id])).get(row.id);
  return toView(row, progress);
}
