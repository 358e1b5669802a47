import type { Insertable } from 'kysely';
import type { Executor } from '../connection.js';
import type { SilenceTable } from '../schema.js';
import { productInDepartments } from './scope.js';
import type { SignalKey } from './task-key.js';

export async function insertSilence(db: Executor, silence: Omit<Insertable<SilenceTable>, 'id'>) {
  return db.insertInto('silences').values(silence).returningAll().executeTakeFirstOrThrow();
}

export async function listSilences(
  db: Executor,
  filter: { activeAt?: Date; departmentIds?: readonly string[] },
) {
  let query = db.selectFrom('silences').selectAll('silences');
  if (filter.activeAt) query = query.where('silences.until', '>', filter.activeAt);
  if (filter.departmentIds) {
    if (filter.departmentIds.length === 0) return [];
    query = query.where(productInDepartments('silences.productId', filter.departmentIds));
  }
  return query.orderBy('silences.createdAt', 'desc').orderBy('silences.id').execute();
}

export async function findSilenceById(db: Executor, id: string) {
  return db.selectFrom('silences').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function deleteSilence(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('silences').where('id', '=', id).execute();
}

/** Is (product, signal[, branch]) silenced at `at`? A silence without a branch covers every branch. */
export async function isSilenced(db: Executor, key: SignalKey, at: Date): Promise<boolean> {
  const row = await db
    .selectFrom('silences')
    .select('id')
    .where('productId', '=', key.productId)
    .where('signal', '=', key.signal)
    .where('until', '>', at)
    .where((eb) =>
      key.branchId
        ? eb.or([eb('branchId', 'is', null), eb('branchId', '=', key.branchId)])
        : eb('branchId', 'is', null),
    )
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The keys of `keys` silenced at `at`, in one statement (see {@link isSilenced}), as
 * `${productId}|${signal}|${branchId}` strings.
 */
export async function findSilencedKeys(
  db: Executor,
  keys: readonly SignalKey[],
  at: Date,
): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db
    .selectFrom('silences')
    .select(['productId', 'signal', 'branchId'])
    .where('productId', 'in', [...new Set(keys.map((k) => k.productId))])
    .where('signal', 'in', [...new Set(keys.map((k) => k.signal))])
    .where('until', '>', at)
    .execute();
  const silenced = new Set<string>();
  for (const key of keys) {
    const covered = rows.some(
      (r) =>
        r.productId === key.productId &&
        r.signal === key.signal &&
        (r.branchId === null || (key.branchId !== null && r.branchId === key.branchId)),
    );
    if (covered) silenced.add(`${key.productId}|${key.signal}|${key.branchId}`);
  }
  return silenced;
}
