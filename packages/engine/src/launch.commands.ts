import {
  completeLaunchItem,
  findProductById,
  insertAudit,
  listLaunchItems,
  listLaunchItemsFiltered,
  lockLaunchItemById,
  type LaunchItemRow,
} from '@tower/db';
import { AppError } from '@tower/domain';
import { canCompleteLaunchItem, canSeeProduct, requirePerson, visibleDepartmentIds } from './access.js';
import { shanghaiDay, type Actor, type EngineContext } from './context.js';
import { findVisibleProduct } from './products.commands.js';
import { resolveAnsweredOverdueTask } from './signals.commands.js';
import type { CompleteItemInput } from './launch.inputs.js';

export interface LaunchItemView {
  id: string;
  productId: string;
  branchId: string;
  ownerRole: string;
  departmentId: string | null;
  title: string;
  dueOn: string;
  required: boolean;
  status: string;
  overdue: boolean;
  completedBy: string | null;
  completedAt: Date | null;
  note: string | null;
}

function toView(row: LaunchItemRow, today: string): LaunchItemView {
  return {
    id: row.id,
    productId: row.productId,
    branchId: row.branchId,
    ownerRole: row.ownerRole,
    departmentId: row.departmentId,
    title: row.title,
    dueOn: row.dueOn,
    required: row.required,
    status: row.status,
    overdue: row.status === 'pending' && row.dueOn < today,
    completedBy: row.completedBy,
    completedAt: row.completedAt,
    note: row.note,
  };
}

export async function getLaunchChecklist(ctx: EngineContext, actor: Actor, productId: string) {
  await findVisibleProduct(ctx.db, requirePerson(actor), productId);
  const today = shanghaiDay(ctx.now());
  return { items: (await listLaunchItems(ctx.db, productId)).map((row) => toView(row, today)) };
}

export async function completeItem(
  ctx: EngineContext,
  actor: Actor,
  itemId: string,
  input: CompleteItemInput,
): Promise<LaunchItemView> {
  const person = requirePerson(actor);
  const notFound = new AppError('LAUNCH_ITEM_NOT_FOUND', `No launch item ${itemId}.`);
  return ctx.db.transaction().execute(async (tx) => {
    const item = await lockLaunchItemById(tx, itemId);
    if (!item) throw notFound;
    const product = await findProductById(tx, item.productId);
    if (!product || !canSeeProduct(person, product)) throw notFound;
    if (!canCompleteLaunchItem(person, item, product)) {
      throw new AppError('ROLE_REQUIRED', `Only a ${item.ownerRole} of this item's scope may complete it.`, {
        ownerRole: item.ownerRole,
      });
    }
    if (item.status === 'done') {
      throw new AppError('LAUNCH_ITEM_DONE', 'This item is already done.');
    }
    await completeLaunchItem(tx, itemId, { personId: person.id, note: input.note ?? null, at: ctx.now() });
    await resolveAnsweredOverdueTask(ctx, tx, item);
    await insertAudit(tx, {
      actorId: person.id,
      action: 'launch_item.completed',
      entity: 'launch_item',
      entityId: itemId,
      data: { note: input.note ?? null },
    });
    return toView(
      { ...item, status: 'done', completedBy: person.id, completedAt: ctx.now(), note: input.note ?? null },
      shanghaiDay(ctx.now()),
    );
  });
}

/**
 * Launch items across products: by default (`mine`) those the person's roles and scopes may
 * complete; with `mine: false`, every item of the products they may see.
 */
export async function getMyLaunchItems(
  ctx: EngineContext,
  actor: Actor,
  filter: { mine?: boolean; status?: 'pending' | 'done'; overdue?: boolean; after?: string; limit: number },
) {
  const person = requirePerson(actor);
  const today = shanghaiDay(ctx.now());
  if (filter.mine === false) {
    const departments = visibleDepartmentIds(person);
    const rows = await listLaunchItemsFiltered(ctx.db, {
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.overdue ? { overdueOn: today } : {}),
      ...(departments ? { departmentIds: departments } : {}),
      ...(filter.after ? { after: filter.after } : {}),
      limit: filter.limit,
    });
    return rows.map((row) => toView(row, today));
  }
  const isAdmin = person.roles.some((r) => r.role === 'admin');
  const isProductManager = person.roles.some((r) => r.role === 'product_manager');
  const rows = await listLaunchItemsFiltered(ctx.db, {
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.overdue ? { overdueOn: today } : {}),
    ...(isAdmin
      ? {}
      : {
          grants: person.roles.filter((r) => r.role !== 'product_manager'),
          ...(isProductManager ? { ownerId: person.id } : {}),
        }),
    ...(filter.after ? { after: filter.after } : {}),
    limit: filter.limit,
  });
  return rows.map((row) => toView(row, today));
}
