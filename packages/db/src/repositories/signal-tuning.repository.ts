import { sql } from 'kysely';
import type { Signal } from '@tower/domain';
import type { Executor } from '../connection.js';
import { productInDepartments } from './scope.js';

/** A (product, signal, branch) key as tuning stores it; `branchId` null is the product across the chain. */
export interface TuningKey {
  readonly productId: string;
  readonly signal: Signal;
  readonly branchId: string | null;
}

const branchKeyOf = (branchId: string | null): string => branchId ?? 'chain';

export async function findSignalTuning(db: Executor, key: TuningKey) {
  return db
    .selectFrom('signalTuning')
    .selectAll()
    .where('productId', '=', key.productId)
    .where('signal', '=', key.signal)
    .where('branchKey', '=', branchKeyOf(key.branchId))
    .executeTakeFirst();
}

/** The tuning of one signal at every branch of a product that has any, by branch id. */
export async function listSignalTuningsOfBranches(
  db: Executor,
  productId: string,
  signal: Signal,
): Promise<Map<string, { level: number; falseAlarms: number }>> {
  const rows = await db
    .selectFrom('signalTuning')
    .select(['branchKey', 'level', 'falseAlarms'])
    .where('productId', '=', productId)
    .where('signal', '=', signal)
    .where('branchKey', '!=', branchKeyOf(null))
    .execute();
  return new Map(rows.map((r) => [r.branchKey, { level: r.level, falseAlarms: r.falseAlarms }]));
}

/** Adds `delta` false alarms to the key (never below 0) and returns the new count. */
export async function addFalseAlarms(db: Executor, key: TuningKey, delta: number, at: Date): Promise<number> {
  const row = await db
    .insertInto('signalTuning')
    .values({
      productId: key.productId,
      signal: key.signal,
      branchKey: branchKeyOf(key.branchId),
      branchId: key.branchId,
      falseAlarms: Math.max(0, delta),
      updatedAt: at,
    })
    .onConflict((oc) =>
      oc.columns(['productId', 'signal', 'branchKey']).doUpdateSet({
        falseAlarms: sql<number>`greatest(0, signal_tuning.false_alarms + ${delta})`,
        updatedAt: at,
      }),
    )
    .returning('falseAlarms')
    .executeTakeFirstOrThrow();
  return row.falseAlarms;
}

export async function updateTuningLevel(
  db: Executor,
  key: TuningKey,
  level: number,
  at: Date,
): Promise<void> {
  await db
    .updateTable('signalTuning')
    .set({ level, updatedAt: at })
    .where('productId', '=', key.productId)
    .where('signal', '=', key.signal)
    .where('branchKey', '=', branchKeyOf(key.branchId))
    .execute();
}

/** Back to the rule as written: no false alarms counted, level 0, who reset it and when. */
export async function resetSignalTuning(db: Executor, key: TuningKey, by: string, at: Date) {
  return db
    .updateTable('signalTuning')
    .set({ falseAlarms: 0, level: 0, resetAt: at, resetBy: by, updatedAt: at })
    .where('productId', '=', key.productId)
    .where('signal', '=', key.signal)
    .where('branchKey', '=', branchKeyOf(key.branchId))
    .returningAll()
    .executeTakeFirst();
}

/** Tuning rows with false alarms or a level, newest first; `departmentIds` limits to those departments' products. */
export async function listSignalTuning(
  db: Executor,
  filter: { productId?: string; departmentIds?: readonly string[] },
) {
  let query = db
    .selectFrom('signalTuning')
    .selectAll('signalTuning')
    .where((eb) => eb.or([eb('signalTuning.falseAlarms', '>', 0), eb('signalTuning.level', '>', 0)]));
  if (filter.productId) query = query.where('signalTuning.productId', '=', filter.productId);
  if (filter.departmentIds) {
    if (filter.departmentIds.length === 0) return [];
    query = query.where(productInDepartments('signalTuning.productId', filter.departmentIds));
  }
  return query
    .orderBy('signalTuning.updatedAt', 'desc')
    .orderBy('signalTuning.productId')
    .orderBy('signalTuning.branchKey')
    .limit(500)
    .execute();
}

/** Tasks by signal and status, and feedback by signal (useful true/false), for `/metrics`. */
export async function countTasksAndFeedbackBySignal(db: Executor) {
  return db
    .selectFrom('tasks')
    .select([
      'signal',
      'status',
      sql<number>`count(*)::int`.as('tasks'),
      sql<number>`(count(*) filter (where feedback_useful))::int`.as('useful'),
      sql<number>`(count(*) filter (where feedback_useful = false))::int`.as('falseAlarms'),
    ])
    .groupBy(['signal', 'status'])
    .execute();
}

/** {@link findSignalTuning} for many keys in one statement, by `${productId}|${signal}|${branchId}`. */
export async function findSignalTunings(
  db: Executor,
  keys: readonly TuningKey[],
): Promise<Map<string, { level: number; falseAlarms: number }>> {
  if (keys.length === 0) return new Map();
  const rows = await db
    .selectFrom('signalTuning')
    .select(['productId', 'signal', 'branchKey', 'level', 'falseAlarms'])
    .where('productId', 'in', [...new Set(keys.map((k) => k.productId))])
    .where('signal', 'in', [...new Set(keys.map((k) => k.signal))])
    .where('branchKey', 'in', [...new Set(keys.map((k) => branchKeyOf(k.branchId)))])
    .execute();
  const byKey = new Map(rows.map((r) => [`${r.productId}|${r.signal}|${r.branchKey}`, r]));
  const found = new Map<string, { level: number; falseAlarms: number }>();
  for (const key of keys) {
    const row = byKey.get(`${key.productId}|${key.signal}|${branchKeyOf(key.branchId)}`);
    if (row)
      found.set(`${key.productId}|${key.signal}|${key.branchId}`, {
        level: row.level,
        falseAlarms: row.falseAlarms,
      });
  }
  return found;
}
