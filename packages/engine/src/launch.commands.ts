import {
  findLaunchItemById,
  listLaunchItemEvents,
  listLaunchItems,
  listLaunchItemsFiltered,
  lockLaunchItemById,
  lockProductById,
  type LaunchItemEventRow,
  type LaunchItemRow,
  type ProductRow,
  type Tx,
} from '@tower/db';
import {
  AppError,
  isLaunchItemOverdue,
  type LaunchItemStatus,
  ROLES_THAT_MAY,
  shanghaiDay,
} from '@tower/domain';
import { launchProgress, type LaunchProgress } from '@tower/workflow-launch';
import {
  canCompleteLaunchItem,
  canSeeProduct,
  requirePerson,
  visibleDepartmentIds,
  hasAnyRole,
} from './access.js';
import { hasRole, type Actor, type EngineContext, type PersonActor } from './context.js';
import { sendLaunchItemEvent } from './launch-item.commands.js';
import { findVisibleProduct } from './products.commands.js';
import type { CompleteItemInput, UndoItemInput } from './launch.inputs.js';

export interface LaunchItemView {
  id: string;
  productId: string;
  branchId: string;
  ownerRole: string;
  departmentId: string | null;
  title: string;
  titleZh: string | null;
  description: string | null;
  dueOn: string;
  daysBefore: number;
  required: boolean;
  status: LaunchItemStatus;
  overdue: boolean;
  templateVersion: number;
  completedBy: string | null;
  completedAt: Date | null;
  note: string | null;
  evidenceUrl: string | null;
  updatedAt: Date;
}

function toView(row: LaunchItemRow, today: string): LaunchItemView {
  const status = row.status;
  return {
    id: row.id,
    productId: row.productId,
    branchId: row.branchId,
    ownerRole: row.ownerRole,
    departmentId: row.departmentId,
    title: row.title,
    titleZh: row.titleZh,
    description: row.description,
    dueOn: row.dueOn,
    daysBefore: row.daysBefore,
    required: row.required,
    status,
    overdue: isLaunchItemOverdue({ status, dueOn: row.dueOn }, today),
    templateVersion: row.templateVersion,
    completedBy: row.completedBy,
    completedAt: row.completedAt,
    note: row.note,
    evidenceUrl: row.evidenceUrl,
    updatedAt: row.updatedAt,
  };
}

export interface LaunchChecklistView extends LaunchProgress {
  productId: string;
  stage: string;
  targetLaunchDate: string | null;
  /** The template version the checklist was made from; null before it is made. */
  templateVersion: number | null;
  items: LaunchItemView[];
}

/** A product's checklist with its progress per branch and role and what blocks launch. */
export async function getLaunchChecklist(
  ctx: EngineContext,
  actor: Actor,
  productId: string,
): Promise<LaunchChecklistView> {
  const product = await findVisibleProduct(ctx.db, requirePerson(actor), productId);
  const today = shanghaiDay(ctx.now());
  const rows = await listLaunchItems(ctx.db, productId);
  const items = rows.map((row) => toView(row, today));
  return {
    productId,
    stage: product.stage,
    targetLaunchDate: product.targetLaunchDate,
    templateVersion: rows[0]?.templateVersion ?? null,
    items,
    ...launchProgress(items, today),
  };
}

export interface LaunchItemDetail extends LaunchItemView {
  history: LaunchItemEventRow[];
}

function itemNotFound(id: string): AppError {
  return new AppError('LAUNCH_ITEM_NOT_FOUND', `No launch item ${id}.`);
}

/** One item with its history (made, completed, undone, re-planned, cancelled: who, when, what they said). */
export async function getLaunchItem(
  ctx: EngineContext,
  actor: Actor,
  itemId: string,
): Promise<LaunchItemDetail> {
  const person = requirePerson(actor);
  const item = await findLaunchItemById(ctx.db, itemId);
  if (!item) throw itemNotFound(itemId);
  try {
    await findVisibleProduct(ctx.db, person, item.productId);
  } catch {
    throw itemNotFound(itemId);
  }
  return { ...toView(item, shanghaiDay(ctx.now())), history: await listLaunchItemEvents(ctx.db, itemId) };
}

/**
 * Locks the item's product, then the item, in that order (re-planning and lifecycle events lock the
 * product first too), checking the caller may see it and that the product is launching.
 */
async function lockItemForChange(
  tx: Tx,
  person: PersonActor,
  itemId: string,
): Promise<{ item: LaunchItemRow; product: ProductRow }> {
  const found = await findLaunchItemById(tx, itemId);
  const product = found ? await lockProductById(tx, found.productId) : undefined;
  const item = product ? await lockLaunchItemById(tx, itemId) : undefined;
  if (!product || !item || !canSeeProduct(person, product)) throw itemNotFound(itemId);
  return { item, product };
}

function requireLaunching(product: ProductRow): void {
  if (product.stage !== 'launch') {
    throw new AppError(
      'LAUNCH_PRODUCT_NOT_LAUNCHING',
      `The product is in ${product.stage}; its checklist changes only during launch.`,
      { stage: product.stage },
    );
  }
}

/** Completes an item: only a holder of its role and scope, with an optional note and evidence link. */
export async function completeItem(
  ctx: EngineContext,
  actor: Actor,
  itemId: string,
  input: CompleteItemInput,
): Promise<LaunchItemView> {
  const person = requirePerson(actor);
  return ctx.db.transaction().execute(async (tx) => {
    const { item, product } = await lockItemForChange(tx, person, itemId);
    if (!canCompleteLaunchItem(person, item, product)) {
      throw new AppError('ROLE_REQUIRED', `Only a ${item.ownerRole} of this item's scope may complete it.`, {
        ownerRole: item.ownerRole,
        branchId: item.branchId,
        departmentId: item.departmentId,
      });
    }
    requireLaunching(product);
    const next = await sendLaunchItemEvent(
      ctx,
      tx,
      item,
      { type: 'COMPLETE' },
      { actorId: person.id, note: input.note?.trim() || null, evidenceUrl: input.evidenceUrl ?? null },
    );
    return toView(next, shanghaiDay(ctx.now()));
  });
}

/** Takes a completion back: the person who completed the item, or an admin, with a reason. */
export async function undoItem(
  ctx: EngineContext,
  actor: Actor,
  itemId: string,
  input: UndoItemInput,
): Promise<LaunchItemView> {
  const person = requirePerson(actor);
  const reason = input.reason.trim();
  if (!reason) {
    throw new AppError('INVALID_INPUT', 'An undo needs a reason.', {
      fields: [{ field: '/reason', message: 'must not be blank' }],
    });
  }
  return ctx.db.transaction().execute(async (tx) => {
    const { item, product } = await lockItemForChange(tx, person, itemId);
    if (
      item.status === 'done' &&
      item.completedBy !== person.id &&
      !hasAnyRole(person, ROLES_THAT_MAY.undoLaunchItems)
    ) {
      throw new AppError(
        'ROLE_REQUIRED',
        'Only the person who completed this item, or an admin, may undo it.',
        {
          completedBy: item.completedBy,
        },
      );
    }
    requireLaunching(product);
    const next = await sendLaunchItemEvent(
      ctx,
      tx,
      item,
      { type: 'UNDO' },
      { actorId: person.id, note: reason },
    );
    return toView(next, shanghaiDay(ctx.now()));
  });
}

export interface LaunchItemListView extends LaunchItemView {
  productName: string;
}

/**
 * Launch items across products: by default (`mine`) those the person's roles and scopes may
 * complete; with `mine: false`, every item of the products they may see. Cancelled items only when
 * asked for by status.
 */
export async function getMyLaunchItems(
  ctx: EngineContext,
  actor: Actor,
  filter: { mine?: boolean; status?: LaunchItemStatus; overdue?: boolean; after?: string; limit: number },
): Promise<LaunchItemListView[]> {
  const person = requirePerson(actor);
  const today = shanghaiDay(ctx.now());
  const common = {
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.overdue ? { overdueOn: today } : {}),
    ...(filter.after ? { after: filter.after } : {}),
    limit: filter.limit,
  };
  let rows;
  if (filter.mine === false) {
    const departments = visibleDepartmentIds(person);
    rows = await listLaunchItemsFiltered(ctx.db, {
      ...common,
      ...(departments ? { departmentIds: departments } : {}),
    });
  } else {
    // Nobody completes another's items, admins included: their own are those of their role grants.
    const isProductManager = hasRole(person, 'product_manager');
    rows = await listLaunchItemsFiltered(ctx.db, {
      ...common,
      grants: person.roles.filter((r) => r.role !== 'product_manager'),
      ...(isProductManager ? { ownerId: person.id } : {}),
    });
  }
  return rows.map((row) => ({ ...toView(row, today), productName: row.productName }));
}
