import { sql } from 'kysely';
import type { Stage } from '@tower/domain';
import type { Executor } from '../connection.js';
import type { RoleGrant } from './people.repository.js';

/** A person row held for a change of roles or a deactivation (`FOR UPDATE`, inside a transaction). */
export async function lockPersonById(
  db: Executor,
  id: string,
): Promise<{ id: string; name: string; active: boolean } | undefined> {
  return db
    .selectFrom('people')
    .select(['id', 'name', 'active'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function listRoleGrants(db: Executor, personId: string): Promise<RoleGrant[]> {
  const rows = await db
    .selectFrom('personRoles')
    .select(['role', 'departmentId', 'branchId'])
    .where('personId', '=', personId)
    .orderBy('role')
    .orderBy('id')
    .execute();
  return rows;
}

/** Replaces a person's grants; the next request they make is authorised with the new ones. */
export async function replaceRoleGrants(
  db: Executor,
  personId: string,
  roles: readonly RoleGrant[],
  at: Date,
): Promise<void> {
  await db.deleteFrom('personRoles').where('personId', '=', personId).execute();
  if (roles.length > 0) {
    await db
      .insertInto('personRoles')
      .values(roles.map((r) => ({ personId, ...r })))
      .execute();
  }
  await db.updateTable('people').set({ updatedAt: at }).where('id', '=', personId).execute();
}

export async function markPersonDeactivated(
  db: Executor,
  id: string,
  change: { at: Date; reason: string },
): Promise<void> {
  await db
    .updateTable('people')
    .set({ active: false, deactivatedAt: change.at, deactivationReason: change.reason, updatedAt: change.at })
    .where('id', '=', id)
    .execute();
}

/** Revokes every live session of a person; answers how many. */
export async function revokeSessionsOf(db: Executor, personId: string, at: Date): Promise<number> {
  const result = await db
    .updateTable('sessions')
    .set({ revokedAt: at })
    .where('personId', '=', personId)
    .where('revokedAt', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Revokes every live API key a person created; answers how many. */
export async function revokeApiKeysCreatedBy(db: Executor, personId: string, at: Date): Promise<number> {
  const result = await db
    .updateTable('apiKeys')
    .set({ revokedAt: at })
    .where('createdBy', '=', personId)
    .where('revokedAt', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Open or acknowledged tasks naming a person (as assignee or informed), with their product's scope, locked. */
export async function lockOpenTasksOf(db: Executor, personId: string) {
  return db
    .selectFrom('tasks')
    .innerJoin('products', 'products.id', 'tasks.productId')
    .select([
      'tasks.id',
      'tasks.productId',
      'tasks.branchId',
      'tasks.assignees',
      'tasks.informed',
      'products.departmentId',
      'products.ownerId',
    ])
    .where('tasks.status', 'in', ['open', 'acknowledged'])
    .where((eb) =>
      eb.or([
        sql<boolean>`tasks.assignees @> array[${personId}]::uuid[]`,
        sql<boolean>`tasks.informed @> array[${personId}]::uuid[]`,
      ]),
    )
    .orderBy('tasks.id')
    .forUpdate('tasks')
    .execute();
}

export async function setTaskPeople(
  db: Executor,
  taskId: string,
  people: { assignees: readonly string[]; informed: readonly string[] },
  at: Date,
): Promise<void> {
  await db
    .updateTable('tasks')
    .set({ assignees: [...people.assignees], informed: [...people.informed], updatedAt: at })
    .where('id', '=', taskId)
    .execute();
}

/** Products a person owns that are not closed yet (retired or withdrawn), locked. */
export async function lockLiveProductsOwnedBy(
  db: Executor,
  personId: string,
  closedStages: readonly Stage[],
) {
  return db
    .selectFrom('products')
    .select(['id', 'departmentId'])
    .where('ownerId', '=', personId)
    .where('stage', 'not in', [...closedStages])
    .orderBy('id')
    .forUpdate()
    .execute();
}

export async function setProductOwner(db: Executor, productId: string, ownerId: string): Promise<void> {
  await db.updateTable('products').set({ ownerId }).where('id', '=', productId).execute();
}

/** How many live products each of `personIds` owns (to hand a leaver's products to the least loaded). */
export async function countLiveProductsOwned(
  db: Executor,
  personIds: readonly string[],
  closedStages: readonly Stage[],
): Promise<Map<string, number>> {
  if (personIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('products')
    .select(['ownerId', sql<number>`count(*)::int`.as('n')])
    .where('ownerId', 'in', [...personIds])
    .where('stage', 'not in', [...closedStages])
    .groupBy('ownerId')
    .execute();
  return new Map(rows.map((r) => [r.ownerId, r.n]));
}
