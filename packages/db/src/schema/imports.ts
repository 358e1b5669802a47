/** Imports of CSV and Excel files: the upload, its staged rows, committed batches, saved mappings. */
import type { ColumnType, Generated } from 'kysely';
import type { CellProblem, ImportKind, ImportStatus, MappingProblem, TextEncoding } from '@tower/domain';
import type { Default, Timestamp, Json } from './columns.js';

export interface ImportTable {
  id: Generated<string>;
  kind: ImportKind;
  status: Default<ImportStatus>;
  fileName: string;
  fileSize: Default<number>;
  fileSha256: string | null;
  sheet: string | null;
  encoding: TextEncoding | null;
  source: string;
  headers: string[];
  mapping: Json<Record<string, string>>;
  mappingProblems: ColumnType<MappingProblem[], string | undefined, string>;
  rowsTotal: Default<number>;
  rowsRefusedPreview: Default<number>;
  problemCount: Default<number>;
  problems: ColumnType<(CellProblem & { row: number })[], string | undefined, string>;
  preview: ColumnType<unknown[], string | undefined, string>;
  batchSize: number;
  error: string | null;
  createdBy: string;
  createdAt: Generated<Date>;
  uploadedAt: Timestamp | null;
  committedBy: string | null;
  committedAt: Timestamp | null;
  finishedAt: Timestamp | null;
}

export interface ImportRowTable {
  importId: string;
  seq: number;
  rowNo: number;
  line: string;
  problem: string | null;
}

export interface ImportBatchTable {
  importId: string;
  batchNo: number;
  stored: number;
  refused: number;
  doneAt: Generated<Date>;
}

export interface ImportSourceTable {
  kind: ImportKind;
  source: string;
  mapping: Json<Record<string, string>>;
  updatedBy: string | null;
  updatedAt: Timestamp;
}
