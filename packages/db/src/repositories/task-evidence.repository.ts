import type { Executor } from '../connection.js';

/** Adds one day's evidence to a task; the same day twice keeps the first (handlers run more than once). */
export async function insertTaskEvidence(
  db: Executor,
  evidence: { taskId: string; firedOn: string; evidenceKey?: string; data: unknown },
): Promise<boolean> {
  const row = await db
    .insertInto('taskEvidence')
    .values({
      taskId: evidence.taskId,
      firedOn: evidence.firedOn,
      evidenceKey: evidence.evidenceKey ?? '',
      data: JSON.stringify(evidence.data),
    })
    .onConflict((oc) => oc.columns(['taskId', 'firedOn', 'evidenceKey']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function listTaskEvidence(db: Executor, taskIds: readonly string[]) {
  if (taskIds.length === 0) return [];
  return db
    .selectFrom('taskEvidence')
    .select(['id', 'taskId', 'firedOn', 'data', 'createdAt'])
    .where('taskId', 'in', [...taskIds])
    .orderBy('firedOn')
    .orderBy('id')
    .execute();
}
