import { findImportById, insertOutbox, lockImportById, setImportStatus } from '@tower/db';
import { AppError } from '@tower/domain';
import { jobIdFor } from '@tower/queue';
import type { Actor, EngineContext } from '../context.js';
import { canSeeImport, importNotFound, notInPreview, requireImporter } from './import-access.js';
import { importView, type ImportView } from './import-view.js';

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
    await setImportStatus(tx, id, { status: 'committing', committedBy: person.id, error: null }, ctx.now());
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
