import { insertSignalWithEvidence, updateTask, type SignalKey, type TaskRow, type Tx } from '@tower/db';
import type { Evidence } from '@tower/domain';

/** One day's evidence of a signal for a task's key. */
export interface EvidenceFact {
  readonly key: SignalKey;
  readonly firedOn: string;
  /** Tells apart several facts of one day that each add evidence (two severe complaints). */
  readonly evidenceKey?: string;
  readonly evidence: Evidence;
}

/**
 * Records the signal on `task` with the day's evidence and moves its last-fired day on; false when
 * both were already there (a handler run twice records nothing new).
 */
export async function recordTaskEvidence(
  tx: Tx,
  task: TaskRow,
  fact: EvidenceFact,
  now: Date,
): Promise<boolean> {
  const at = { firedOn: fact.firedOn, ...(fact.evidenceKey ? { evidenceKey: fact.evidenceKey } : {}) };
  const { recorded, added } = await insertSignalWithEvidence(tx, {
    ...fact.key,
    ...at,
    evidence: fact.evidence,
    taskId: task.id,
  });
  if (added && (!task.lastFiredOn || fact.firedOn > task.lastFiredOn)) {
    await updateTask(tx, task.id, { lastFiredOn: fact.firedOn }, now);
  }
  return added || recorded;
}
