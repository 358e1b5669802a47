import { sql } from 'kysely';
import type { Executor } from '../connection.js';
import { NO_BRANCH, type TaskKey } from './task-key.js';

/** Records that a signal fired for a key on a day; a re-run of the same detection records nothing new. */
export async function insertSignal(
  db: Executor,
  signal: TaskKey & {
    firedOn: string;
    evidenceKey?: string;
    evidence: unknown;
    silenced: boolean;
    taskId: string | null;
  },
): Promise<{ id: number } | undefined> {
  return db
    .insertInto('signals')
    .values({
      productId: signal.productId,
      branchId: signal.branchId,
      signal: signal.signal,
      subjectKey: signal.subjectKey ?? '',
      firedOn: signal.firedOn,
      evidenceKey: signal.evidenceKey ?? '',
      evidence: JSON.stringify(signal.evidence),
      silenced: signal.silenced,
      taskId: signal.taskId,
    })
    .onConflict((oc) =>
      oc
        .expression(
          sql`product_id, signal, coalesce(branch_id, ${NO_BRANCH}::uuid), subject_key, fired_on, evidence_key`,
        )
        .doNothing(),
    )
    .returning('id')
    .executeTakeFirst();
}
