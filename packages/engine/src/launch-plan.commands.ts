import {
  deleteLaunchItems,
  insertAudit,
  insertLaunchItemEvents,
  insertLaunchItems,
  lockLaunchItemsOfProduct,
  type ProductRow,
  type Tx,
} from '@tower/db';
import { AppError } from '@tower/domain';
import { buildChecklist, replanChecklist, type ChecklistItemDraft } from '@tower/workflow-launch';
import type { EngineContext } from './context.js';
import { sendLaunchItemEvent } from './launch-item.commands.js';
import { loadLaunchTemplate } from './launch-templates.commands.js';

async function insertDrafts(
  ctx: EngineContext,
  tx: Tx,
  productId: string,
  templateVersion: number,
  drafts: readonly ChecklistItemDraft[],
  actorId: string | null,
): Promise<number> {
  const now = ctx.now();
  const ids = await insertLaunchItems(
    tx,
    drafts.map((draft) => ({ ...draft, productId, templateVersion, updatedAt: now })),
  );
  await insertLaunchItemEvents(
    tx,
    ids.map((itemId, i) => ({ itemId, at: now, actorId, change: 'created', dueOnAfter: drafts[i]!.dueOn })),
  );
  return ids.length;
}

function requireTargetDate(product: ProductRow): string {
  if (!product.targetLaunchDate) {
    throw new AppError('LAUNCH_DATE_MISSING', 'The product has no target launch date.');
  }
  return product.targetLaunchDate;
}

/**
 * The checklist of a product entering `launch`: the newest template of its tier, per launching
 * branch. A product back through training for a second launch gets a fresh checklist (who did what
 * the first time stays in the audit log).
 */
export async function makeLaunchChecklist(
  ctx: EngineContext,
  tx: Tx,
  product: ProductRow,
  branchIds: readonly string[],
  actorId: string | null,
): Promise<void> {
  const template = await loadLaunchTemplate(tx, product.tier);
  const drafts = buildChecklist({
    template: template.items,
    branchIds,
    departmentId: product.departmentId,
    targetLaunchDate: requireTargetDate(product),
  });
  await deleteLaunchItems(tx, product.id);
  const made = await insertDrafts(ctx, tx, product.id, template.version, drafts, actorId);
  await insertAudit(tx, {
    actorId,
    action: 'launch_checklist.created',
    entity: 'product',
    entityId: product.id,
    data: { templateVersion: template.version, items: made, branchIds: [...branchIds] },
  });
}

export interface ReplanOutcome {
  created: number;
  cancelled: number;
  redated: number;
}

/**
 * New launching branches or a new target date during `launch`: a new branch gets its items (from
 * the template version the checklist was made from), a dropped branch's open items are cancelled,
 * and the other items move with the date; done items stay done. Runs in the transaction that holds
 * the product row and has stored the new branches and date.
 */
export async function replanLaunchChecklist(
  ctx: EngineContext,
  tx: Tx,
  product: ProductRow,
  input: { branchIds: readonly string[]; targetLaunchDate: string },
  actorId: string | null,
): Promise<ReplanOutcome> {
  const items = await lockLaunchItemsOfProduct(tx, product.id);
  const template = await loadLaunchTemplate(tx, product.tier, items[0]?.templateVersion);
  const changes = replanChecklist({
    template: template.items,
    items: items.map((item) => ({ ...item, status: item.status })),
    branchIds: input.branchIds,
    departmentId: product.departmentId,
    targetLaunchDate: input.targetLaunchDate,
  });
  const byId = new Map(items.map((item) => [item.id, item]));
  for (const { id } of changes.cancel) {
    await sendLaunchItemEvent(
      ctx,
      tx,
      byId.get(id)!,
      { type: 'CANCEL' },
      {
        actorId,
        note: 'The branch no longer launches this product.',
      },
    );
  }
  for (const { id, dueOn } of changes.redate) {
    await sendLaunchItemEvent(
      ctx,
      tx,
      byId.get(id)!,
      { type: 'REPLAN', dueOn },
      {
        actorId,
        note: `The target launch date moved to ${input.targetLaunchDate}.`,
      },
    );
  }
  const created = await insertDrafts(ctx, tx, product.id, template.version, changes.create, actorId);
  const outcome = { created, cancelled: changes.cancel.length, redated: changes.redate.length };
  await insertAudit(tx, {
    actorId,
    action: 'launch_checklist.replanned',
    entity: 'product',
    entityId: product.id,
    data: { ...outcome, branchIds: [...input.branchIds], targetLaunchDate: input.targetLaunchDate },
  });
  return outcome;
}
