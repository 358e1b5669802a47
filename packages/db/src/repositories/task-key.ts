import { sql } from 'kysely';
import type { Signal, TaskSignal } from '@tower/domain';
import type { Executor } from '../connection.js';

/** Stands in for a null branch in the key indexes: a chain-wide key is a key of its own. */
export const NO_BRANCH = '00000000-0000-0000-0000-000000000000';

export interface TaskKey {
  productId: string;
  signal: TaskSignal;
  branchId: string | null;
  subjectKey?: string;
}

/** The key of a fact-driven signal (every task signal but the quarterly review). */
export type SignalKey = TaskKey & { signal: Signal };

/** Every task of a (product, signal, branch, subject) key; a null branch is a key of its own. */
export function tasksOfKey(db: Executor, key: TaskKey) {
  return db
    .selectFrom('tasks')
    .selectAll()
    .where('productId', '=', key.productId)
    .where('signal', '=', key.signal)
    .where(sql<string>`coalesce(branch_id, ${NO_BRANCH}::uuid)`, '=', key.branchId ?? NO_BRANCH)
    .where('subjectKey', '=', key.subjectKey ?? '');
}
