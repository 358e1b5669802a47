import {
  findImportById,
  findPersonById,
  isRetryableDbError,
  listImportBatchNos,
  listImportRows,
  setImportStatus,
  type ImportRecordRow,
} from '@tower/db';
import { AppError, convertRow, isAppError, resolveMapping, type ImportLookups } from '@tower/domain';
import type { EngineContext, PersonActor } from '../context.js';
import { loadLookups } from './import-access.js';
import { problemsLine, splitCells } from './row-checker.js';
import { BatchAlreadyCommitted, setAsideRefused, storeBatch, type BatchWork } from './store-import-batch.js';

/** Batches of one import committed at once. */
const COMMIT_CONCURRENCY = 4;

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
    else work.refused.push({ seq: s.seq, problem: problemsLine(converted.problems) });
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
    await setImportStatus(ctx.db, row.id, { status: 'done' }, ctx.now());
    return { batches: pending.length, status: 'done' };
  } catch (error) {
    if (options.finalAttempt || (isAppError(error) && !error.retryable)) {
      const message = isAppError(error) ? error.message : 'The commit failed; committing again resumes it.';
      await setImportStatus(ctx.db, row.id, { status: 'failed', error: message }, ctx.now());
    }
    throw error;
  }
}
