import { countOverdueLaunchItems, listOverdueLaunchItems, lockOpenTask, type Tx } from '@tower/db';
import { detectLaunchItemOverdue, launchItemRoutes, type Role } from '@tower/domain';
import { shanghaiDay, type EngineContext } from '../context.js';
import { loadRules } from '../rules.commands.js';
import { autoResolve } from './auto-resolve.js';
import { raiseSignal } from './raise-signal.js';

/** The hourly sweep: launch_item_overdue for every pending item of a launching product past its due date. */
export async function sweepOverdueLaunchItems(
  ctx: EngineContext,
  input: { asOf?: string },
): Promise<{ fired: number }> {
  const asOf = input.asOf ?? shanghaiDay(ctx.now());
  const items = await listOverdueLaunchItems(ctx.db, asOf);
  const rules = await loadRules(ctx.db);
  for (const item of items) {
    const detection = detectLaunchItemOverdue({ dueOn: item.dueOn, asOf, status: 'pending' });
    if (detection.status !== 'fired') continue;
    await ctx.db.transaction().execute((tx) =>
      raiseSignal(
        ctx,
        tx,
        {
          productId: item.productId,
          signal: 'launch_item_overdue',
          branchId: item.branchId,
          subjectKey: item.ownerRole,
          extraRoutes: launchItemRoutes(item.ownerRole as Role),
          firedOn: asOf,
          evidenceKey: item.id,
          evidence: {
            ...detection.evidence,
            itemId: item.id,
            title: item.title,
            summary: `${item.title}: ${detection.evidence.summary}`,
          },
        },
        rules,
      ),
    );
  }
  return { fired: items.length };
}

/**
 * A launch item was completed: once none of its owner's items at that branch is overdue any more,
 * the owner's launch_item_overdue task there is answered.
 */
export async function resolveAnsweredOverdueTask(
  ctx: EngineContext,
  tx: Tx,
  item: { productId: string; branchId: string; ownerRole: string },
): Promise<boolean> {
  const key = {
    productId: item.productId,
    signal: 'launch_item_overdue',
    branchId: item.branchId,
    subjectKey: item.ownerRole,
  };
  const task = await lockOpenTask(tx, key);
  if (!task) return false;
  if ((await countOverdueLaunchItems(tx, { ...item, asOf: shanghaiDay(ctx.now()) })) > 0) return false;
  await autoResolve(ctx, tx, task, 'Auto-resolved: every overdue item of this owner at this branch is done.');
  return true;
}
