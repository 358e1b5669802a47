import { listImports, listRefusedImportRows, sumImportBatches } from '@tower/db';
import { csvLine, IMPORT_FIELDS, type ImportKind } from '@tower/domain';
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

/** The refused rows of an import as CSV lines: the header with a reason column, then each row. */
export async function* refusedRowsCsv(ctx: EngineContext, actor: Actor, id: string): AsyncGenerator<string> {
  const row = await findVisibleImport(ctx, actor, id);
  yield `${csvLine(['row', ...row.headers, 'reason'])}\r\n`;
  let afterSeq = -1;
  for (;;) {
    const rows = await listRefusedImportRows(ctx.db, id, { afterSeq, limit: 2_000 });
    if (rows.length === 0) return;
    yield rows.map((r) => `${csvLine([r.rowNo, ...splitCells(r.line), r.problem ?? ''])}\r\n`).join('');
    afterSeq = rows[rows.length - 1]!.seq;
  }
}

/** The fields of each kind, for clients that offer a mapping to choose from. */
export function importFields(kind: ImportKind) {
  return IMPORT_FIELDS[kind].map((f) => ({ name: f.name, required: f.required }));
}
