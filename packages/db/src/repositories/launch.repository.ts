import type { Executor } from '../connection.js';
import { productInDepartments } from './scope.js';
import type { LaunchItemRow } from '../schema.js';

export type { LaunchItemRow };

export interface NewLaunchItem {
  productId: string;
  branchId: string;
  ownerRole: string;
  departmentId: string | null;
  title: string;
  dueOn: string;
  required: boolean;
}

/** Removes a product's checklist before a new one is made (the product went back through training). */
export async function deleteLaunchItems(db: Executor, productId: string): Promise<void> {
  await db.deleteFrom('launchItems').where('productId', '=', productId).execute();
}

export async function insertLaunchItems(db: Executor, items: readonly NewLaunchItem[]): Promise<void> {
  if (items.length === 0) return;
  await db
    .insertInto('launchItems')
    .values([...items])
    .execute();
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

export async function lockLaunchItemById(db: Executor, id: string): Promise<LaunchItemRow | undefined> {
  return db.selectFrom('launchItems').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function completeLaunchItem(
  db: Executor,
  id: string,
  by: { personId: string; note: string | null; at: Date },
): Promise<void> {
  await db
    .updateTable('launchItems')
    .set({ status: 'done', completedBy: by.personId, completedAt: by.at, note: by.note })
    .where('id', '=', id)
    .execute();
}

export async function listOpenRequiredLaunchItems(db: Executor, productId: string) {
  return db
    .selectFrom('launchItems')
    .select(['title', 'branchId', 'ownerRole'])
    .where('productId', '=', productId)
    .where('required', '=', true)
    .where('status', '=', 'pending')
    .orderBy('branchId')
    .orderBy('title')
    .execute();
}

export interface LaunchItemFilter {
  status?: 'pending' | 'done';
  overdueOn?: string;
  /** Items whose role/scope match any of these grants; undefined = no restriction. */
  grants?: readonly { role: string; departmentId: string | null; branchId: string | null }[];
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
): Promise<LaunchItemRow[]> {
  let query = db.selectFrom('launchItems').selectAll();
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.overdueOn) query = query.where('status', '=', 'pending').where('dueOn', '<', filter.overdueOn);
  if (filter.grants) {
    const grants = filter.grants;
    const ownerId = filter.ownerId;
    if (grants.length === 0 && !ownerId) return [];
    query = query.where((eb) =>
      eb.or([
        ...grants.map((g) =>
          eb.and([
            eb('ownerRole', '=', g.role),
            ...(g.branchId ? [eb('branchId', '=', g.branchId)] : []),
            ...(g.departmentId ? [eb('departmentId', '=', g.departmentId)] : []),
          ]),
        ),
        ...(ownerId
          ? [
              eb.and([
                eb('ownerRole', '=', 'product_manager'),
                eb.exists(
                  eb
                    .selectFrom('products')
                    .select('products.id')
                    .whereRef('products.id', '=', 'launchItems.productId')
                    .where('products.ownerId', '=', ownerId),
                ),
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
  if (filter.after) query = query.where('id', '>', filter.after);
  return query.orderBy('id').limit(filter.limit).execute();
}

/** Pending items past their due date of products still in `launch`. */
export async function listOverdueLaunchItems(db: Executor, asOf: string): Promise<LaunchItemRow[]> {
  return db
    .selectFrom('launchItems')
    .innerJoin('products', 'products.id', 'launchItems.productId')
    .selectAll('launchItems')
    .where('launchItems.status', '=', 'pending')
    .where('launchItems.dueOn', '<', asOf)
    .where('products.stage', '=', 'launch')
    .orderBy('launchItems.productId')
    .orderBy('launchItems.id')
    .execute();
}

export async function countOverdueLaunchItems(
  db: Executor,
  key: { productId: string; branchId: string; ownerRole: string; asOf: string },
): Promise<number> {
  const rows = await db
    .selectFrom('launchItems')
    .select('id')
    .where('productId', '=', key.productId)
    .where('branchId', '=', key.branchId)
    .where('ownerRole', '=', key.ownerRole)
    .where('status', '=', 'pending')
    .where('dueOn', '<', key.asOf)
    .execute();
  return rows.length;
}
