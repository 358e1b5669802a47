import { listImports, listRefusedImportRows, sumImportBatches } from '@tower/db';
import {
  csvLine,
  IMPORT_FIELD_WORDS,
  IMPORT_FIELDS,
  refusedProblemsText,
  type ImportKind,
} from '@tower/domain';
import { requirePerson } from '../access.js';
import type { Actor, EngineContext } from '../context.js';
import { findVisibleImport, seesEveryonesImports } from './import-access.js';
import { importView, toView, type ImportView } from './import-view.js';
import { splitCells } from './row-checker.js';

export async function getImport(ctx: EngineContext, actor: Actor, id: string): Promise<ImportView> {
  return importView(ctx, await findVisibleImport(ctx, actor, id));
}

/** The imports a person may see, newest first (admins and directors see everyone's). */
export async function listImportViews(
  ctx: EngineContext,
  actor: Actor,
  page: { after?: string; limit: number },
): Promise<ImportView[]> {
  const person = requirePerson(actor);
  const everyone = seesEveryonesImports(person);
  const rows = await listImports(ctx.db, { ...page, ...(everyone ? {} : { createdBy: person.id }) });
  const progress = await sumImportBatches(
    ctx.db,
    rows.map((r) => r.id),
  );
  // The list leaves out the preview rows and named problems: GET /api/imports/:id has them.
  return rows.map((r) => ({ ...toView(r, progress.get(r.id)), preview: [], problems: [] }));
}

/**
 * The refused rows of an import as CSV lines: the header, then each row with its reasons in Chinese
 * (原因) and in English (reason, the last column). A problem's column is the file's header; one the
 * ingest command named by field is called by the header mapped to it, else by the field's word.
 */
export async function* refusedRowsCsv(ctx: EngineContext, actor: Actor, id: string): AsyncGenerator<string> {
  const row = await findVisibleImport(ctx, actor, id);
  const headers = new Set(row.headers);
  const mapping = row.mapping as Readonly<Record<string, string>>;
  const columnName = (language: 'zh' | 'en') => (column: string) => {
    if (column === '' || headers.has(column)) return column;
    const mapped = Object.hasOwn(mapping, column) ? mapping[column] : undefined;
    if (mapped !== undefined) return mapped;
    return Object.hasOwn(IMPORT_FIELD_WORDS, column)
      ? IMPORT_FIELD_WORDS[column as keyof typeof IMPORT_FIELD_WORDS][language]
      : column;
  };
  const reasons = (problem: string | null) =>
    problem === null
      ? ['', '']
      : [
          refusedProblemsText(problem, 'zh', columnName('zh')),
          refusedProblemsText(problem, 'en', columnName('en')),
        ];
  yield `${csvLine(['row', ...row.headers, '原因', 'reason'])}\r\n`;
  let afterSeq = -1;
  for (;;) {
    const rows = await listRefusedImportRows(ctx.db, id, { afterSeq, limit: 2_000 });
    if (rows.length === 0) return;
    yield rows.map((r) => `${csvLine([r.rowNo, ...splitCells(r.line), ...reasons(r.problem)])}\r\n`).join('');
    afterSeq = rows[rows.length - 1]!.seq;
  }
}

/** The fields of each kind, for clients that offer a mapping to choose from. */
export function importFields(kind: ImportKind) {
  return IMPORT_FIELDS[kind].map((f) => ({ name: f.name, required: f.required }));
}
