import type { ExpressionBuilder, Insertable, Updateable } from 'kysely';
import {
  LAUNCH_ITEM_OVERDUE_RULE,
  type LaunchItemChange,
  type LaunchItemStatus,
  type Role,
} from '@tower/domain';
import type { Executor } from '../connection.js';
import { productInDepartments } from './scope.js';
import type { Database, LaunchItemEventTable, LaunchItemRow, LaunchItemTable } from '../schema.js';

export type { LaunchItemRow };
export type NewLaunchItem = Omit<
  Insertable<LaunchItemTable>,
  'status' | 'completedBy' | 'completedAt' | 'note'
>;
export type LaunchItemPatch = Pick<
  Updateable<LaunchItemTable>,
  'status' | 'dueOn' | 'completedBy' | 'completedAt' | 'note' | 'evidenceUrl' | 'updatedAt'
>;
export type NewLaunchItemEvent = Insertable<LaunchItemEventTable>;
export interface LaunchItemEventRow {
  id: number;
  at: Date;
  actorId: string | null;
  actorName: string | null;
  change: LaunchItemChange;
  note: string | null;
  evidenceUrl: string | null;
  dueOnBefore: string | null;
  dueOnAfter: string | null;
}

/**
 * The SQL form of `isLaunchItemOverdue` (`@tower/domain`), built from the same `LAUNCH_ITEM_OVERDUE_RULE`:
 * every query that asks "overdue?" uses this condition, and a test holds it to the predicate.
 */
export function launchItemOverdueOn(today: string) {
  return (eb: ExpressionBuilder<Database, 'launchItems'>) =>
    eb.and([
      eb('launchItems.status', '=', LAUNCH_ITEM_OVERDUE_RULE.status),
      eb('launchItems.dueOn', LAUNCH_ITEM_OVERDUE_RULE.dueOnComparedToToday, today),
    ]);
}

/** Removes a product's checklist before a new one is made (the product went back through training). */
export async function deleteLaunchItems(db: Executor, productId: string): Promise<void> {
  await db.deleteFrom('launchItems').where('productId', '=', productId).execute();
}

/** Inserts items and answers their ids, in the order given. */
export async function insertLaunchItems(db: Executor, items: readonly NewLaunchItem[]): Promise<string[]> {
  if (items.length === 0) return [];
  const rows = await db
    .insertInto('launchItems')
    .values([...items])
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

export async function listLaunchItems(db: Executor, productId: string): Promise<LaunchItemRow[]> {
  return db
    .selectFrom('launchItems')
    .selectAll()
    .where('productId', '=', productId)
    .orderBy('branchId')
    .orderBy('dueOn')
    .orderBy('title')
    .execute();
}

/** Every item of a product, locked for a re-plan (inside the transaction that holds the product). */
export async function lockLaunchItemsOfProduct(db: Executor, productId: string): Promise<LaunchItemRow[]> {
  return db
    .selectFrom('launchItems')
    .selectAll()
    .where('productId', '=', productId)
    .orderBy('id')
    .forUpdate()
    .execute();
}

export async function findLaunchItemById(db: Executor, id: string): Promise<LaunchItemRow | undefined> {
  return db.selectFrom('launchItems').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function lockLaunchItemById(db: Executor, id: string): Promise<LaunchItemRow | undefined> {
  return db.selectFrom('launchItems').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function updateLaunchItem(db: Executor, id: string, patch: LaunchItemPatch): Promise<void> {
  await db.updateTable('launchItems').set(patch).where('id', '=', id).execute();
}

export async function insertLaunchItemEvents(
  db: Executor,
  rows: readonly NewLaunchItemEvent[],
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('launchItemEvents')
    .values([...rows])
    .execute();
}

/** An item's history, oldest first. */
export async function listLaunchItemEvents(db: Executor, itemId: string): Promise<LaunchItemEventRow[]> {
  return db
    .selectFrom('launchItemEvents')
    .leftJoin('people', 'people.id', 'launchItemEvents.actorId')
    .select([
      'launchItemEvents.id',
      'launchItemEvents.at',
      'launchItemEvents.actorId',
      'people.name as actorName',
      'launchItemEvents.change',
      'launchItemEvents.note',
      'launchItemEvents.evidenceUrl',
      'launchItemEvents.dueOnBefore',
      'launchItemEvents.dueOnAfter',
    ])
    .where('launchItemEvents.itemId', '=', itemId)
    .orderBy('launchItemEvents.id')
    .execute();
}

/** The required items not done yet (what the LAUNCH gate names). */
export async function listOpenRequiredLaunchItems(db: Executor, productId: string) {
  return db
    .selectFrom('launchItems')
    .select(['id', 'title', 'branchId', 'ownerRole'])
    .where('productId', '=', productId)
    .where('required', '=', true)
    .where('status', '=', 'pending')
    .orderBy('branchId')
    .orderBy('title')
    .execute();
}

export interface LaunchItemFilter {
  /** Without it, cancelled items are left out. */
  status?: LaunchItemStatus;
  overdueOn?: string;
  /** Items whose role/scope match any of these grants; undefined = no restriction. */
  grants?: readonly { role: Role; departmentId: string | null; branchId: string | null }[];
  /** Also the product_manager items of products this person owns. */
  ownerId?: string;
  /** Only items of products in these departments (what a department manager may see). */
  departmentIds?: readonly string[];
  after?: string;
  limit: number;
}

export async function listLaunchItemsFiltered(
  db: Executor,
  filter: LaunchItemFilter,
): Promise<(LaunchItemRow & { productName: string })[]> {
  let query = db
    .selectFrom('launchItems')
    .innerJoin('products', 'products.id', 'launchItems.productId')
    .selectAll('launchItems')
    .select('products.name as productName');
  query = filter.status
    ? query.where('launchItems.status', '=', filter.status)
    : query.where('launchItems.status', '<>', 'cancelled');
  if (filter.overdueOn) query = query.where(launchItemOverdueOn(filter.overdueOn));
  if (filter.grants) {
    const grants = filter.grants;
    const ownerId = filter.ownerId;
    if (grants.length === 0 && !ownerId) return [];
    query = query.where((eb) =>
      eb.or([
        ...grants.map((g) =>
          eb.and([
            eb('launchItems.ownerRole', '=', g.role),
            ...(g.branchId ? [eb('launchItems.branchId', '=', g.branchId)] : []),
            ...(g.departmentId ? [eb('launchItems.departmentId', '=', g.departmentId)] : []),
          ]),
        ),
        ...(ownerId
          ? [
              eb.and([
                eb('launchItems.ownerRole', '=', 'product_manager'),
                eb('products.ownerId', '=', ownerId),
              ]),
            ]
          : []),
      ]),
    );
  }
  if (filter.departmentIds) {
    if (filter.departmentIds.length === 0) return [];
    query = query.where(productInDepartments('launchItems.productId', filter.departmentIds));
  }
  if (filter.after) query = query.where('launchItems.id', '>', filter.after);
  return query.orderBy('launchItems.id').limit(filter.limit).execute();
}

/** Overdue items of products still in `launch`. */
export async function listOverdueLaunchItems(db: Executor, asOf: string): Promise<LaunchItemRow[]> {
  return db
    .selectFrom('launchItems')
    .innerJoin('products', 'products.id', 'launchItems.productId')
    .selectAll('launchItems')
    .where(launchItemOverdueOn(asOf))
    .where('products.stage', '=', 'launch')
    .orderBy('launchItems.productId')
    .orderBy('launchItems.id')
    .execute();
}

export async function countOverdueLaunchItems(
  db: Executor,
  key: { productId: string; branchId: string; ownerRole: Role; asOf: string },
): Promise<number> {
  const rows = await db
    .selectFrom('launchItems')
    .select('id')
    .where('productId', '=', key.productId)
    .where('branchId', '=', key.branchId)
    .where('ownerRole', '=', key.ownerRole)
    .where(launchItemOverdueOn(key.asOf))
    .execute();
  return rows.length;
}
