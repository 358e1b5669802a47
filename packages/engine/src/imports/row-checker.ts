import {
  convertRow,
  DuplicateFinder,
  refusedProblemsLine,
  resolveMapping,
  worded,
  type CellProblem,
  type ImportKind,
  type ImportLookups,
  type ImportMapping,
  type ResolvedMapping,
} from '@tower/domain';
import { NAMED_PROBLEMS, PREVIEW_ROWS, type ImportProblem, type PreviewRow } from './import-view.js';

/** Cells are staged as one text, joined by the unit separator (which no export uses). */
const SEPARATOR = '\u001f';
// Postgres text cannot hold NUL; neither it nor the separator has a place in a cell.
export const joinCells = (cells: readonly string[]) =>
  cells.map((c) => c.replaceAll('\u0000', ' ').replaceAll(SEPARATOR, ' ')).join(SEPARATOR);
export const splitCells = (line: string) => line.split(SEPARATOR);

/** The problems of a row as staged with it (the refused rows' CSV words them in each language). */
export const problemsLine = (problems: readonly CellProblem[]) => refusedProblemsLine(problems);

const DUPLICATE = {
  sales: 'DUPLICATE_SALES',
  complaints: 'DUPLICATE_COMPLAINTS',
  'competitor-prices': 'DUPLICATE_COMPETITOR-PRICES',
  targets: 'DUPLICATE_TARGETS',
} as const satisfies Record<ImportKind, string>;

/**
 * Reads rows one at a time against a mapping: converts each, finds repeats of an earlier row, keeps
 * the first problems by name and counts the rest, and the first rows for the preview. What it keeps
 * per row is the duplicate finder's few bytes, so a million-row file is checked in little memory.
 */
export class RowChecker {
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
        problems = [{ column: this.keyColumn, ...worded(DUPLICATE[this.kind], { row: first }) }];
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
    return problemsLine(problems);
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
