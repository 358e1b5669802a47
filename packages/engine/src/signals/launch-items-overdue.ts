import {
  countOverdueLaunchItems,
  findProductById,
  listOverdueLaunchItems,
  lockOpenTask,
  type LaunchItemRow,
  type Tx,
} from '@tower/db';
import { detectLaunchItemOverdue, launchItemRoutes, type Role, type Rules, shanghaiDay } from '@tower/domain';
import { type EngineContext } from '../context.js';
import { loadRoutingSnapshot } from './routing-snapshot.js';
import { autoResolve } from './auto-resolve.js';
import { raiseSignal } from './raise-signal.js';

/** The hourly sweep: launch_item_overdue for every pending item of a launching product past its due date. */
export async function sweepOverdueLaunchItems(
  ctx: EngineContext,
  input: { asOf?: string },
): Promise<{ fired: number }> {
  const asOf = input.asOf ?? shanghaiDay(ctx.now());
  // One query finds every overdue item (the launch repository's one definition of overdue); the
  // items of one task key (product, branch, owner role) are raised together, in one transaction.
  const items = await listOverdueLaunchItems(ctx.db, asOf);
  const byKey = new Map<string, typeof items>();
  for (const item of items) {
    const key = `${item.productId}|${item.branchId}|${item.ownerRole}`;
    byKey.set(key, [...(byKey.get(key) ?? []), item]);
  }
  for (const group of byKey.values()) {
    await ctx.db.transaction().execute(async (tx) => {
      const { rules } = await loadRoutingSnapshot(ctx, tx);
      for (const item of group) await raiseOverdueItem(ctx, tx, item, asOf, rules);
    });
  }
  return { fired: items.length };
}

/** Raises `launch_item_overdue` for one item on `asOf`, with the item as its evidence (if it is overdue then). */
async function raiseOverdueItem(
  ctx: EngineContext,
  tx: Tx,
  item: LaunchItemRow,
  asOf: string,
  rules: Rules,
): Promise<void> {
  const detection = detectLaunchItemOverdue({ dueOn: item.dueOn, asOf, status: item.status });
  if (detection.status !== 'fired') return;
  await raiseSignal(
    ctx,
    tx,
    {
      productId: item.productId,
      signal: 'launch_item_overdue',
      branchId: item.branchId,
      subjectKey: item.ownerRole,
      extraRoutes: launchItemRoutes(item.ownerRole),
      firedOn: asOf,
      evidenceKey: item.id,
      evidence: {
        ...detection.evidence,
        itemId: item.id,
        title: item.title,
        ...(item.titleZh ? { titleZh: item.titleZh } : {}),
        summary: `${item.title}: ${detection.evidence.summary}`,
      },
    },
    rules,
  );
}

/**
 * A person's change made an item overdue (an undo, a replan into the past): its owner's task is raised
 * now, as the hourly sweep would, if the product is still launching.
 */
export async function raiseReopenedOverdueItem(
  ctx: EngineContext,
  tx: Tx,
  item: LaunchItemRow,
): Promise<void> {
  const product = await findProductById(tx, item.productId);
  if (product?.stage !== 'launch') return;
  const { rules } = await loadRoutingSnapshot(ctx, tx);
  await raiseOverdueItem(ctx, tx, item, shanghaiDay(ctx.now()), rules);
}

/**
 * A launch item was completed: once none of its owner's items at that branch is overdue any more,
 * the owner's launch_item_overdue task there is answered.
 */
export async function resolveAnsweredOverdueTask(
  ctx: EngineContext,
  tx: Tx,
  item: { productId: string; branchId: string; ownerRole: Role },
): Promise<boolean> {
  const key = {
    productId: item.productId,
    signal: 'launch_item_overdue' as const,
    branchId: item.branchId,
    subjectKey: item.ownerRole,
  };
  const task = await lockOpenTask(tx, key);
  if (!task) return false;
  if ((await countOverdueLaunchItems(tx, { ...item, asOf: shanghaiDay(ctx.now()) })) > 0) return false;
  await autoResolve(ctx, tx, task, 'Auto-resolved: every overdue item of this owner at this branch is done.');
  return true;
}
