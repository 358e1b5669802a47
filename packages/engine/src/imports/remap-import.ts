import {
  findImportById,
  listImportRows,
  updateImportMapping,
  updateImportRowProblems,
  upsertImportSource,
} from '@tower/db';
import { AppError, mappingProblems } from '@tower/domain';
import type { Actor, EngineContext } from '../context.js';
import { findVisibleImport, loadLookups, notInPreview, requireImporter } from './import-access.js';
import { importView, type ImportView } from './import-view.js';
import { RowChecker, splitCells } from './row-checker.js';

/** Staged rows read and checked again at a time. */
const RECHECK_ROWS = 5_000;

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
        fields: problems.map((p) => ({
          field: `/mapping/${p.field}`,
          message: p.message,
          code: p.code,
          ...(p.params ? { params: p.params } : {}),
        })),
      },
    );
  }
  const checker = new RowChecker(kind, row.headers, mapping, true, await loadLookups(ctx, person));
  for (let fromSeq = 0; fromSeq < row.rowsTotal; fromSeq += RECHECK_ROWS) {
    const staged = await listImportRows(ctx.db, id, { fromSeq, toSeq: fromSeq + RECHECK_ROWS });
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
  await upsertImportSource(ctx.db, { kind, source: row.source, mapping, updatedBy: person.id }, ctx.now());
  return importView(ctx, (await findImportById(ctx.db, id))!);
}
