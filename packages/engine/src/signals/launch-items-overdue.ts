import { countOverdueLaunchItems, listOverdueLaunchItems, lockOpenTask, type Tx } from '@tower/db';
import { detectLaunchItemOverdue, launchItemRoutes, type Role, shanghaiDay } from '@tower/domain';
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
      for (const item of group) {
        const detection = detectLaunchItemOverdue({ dueOn: item.dueOn, asOf, status: 'pending' });
        if (detection.status !== 'fired') continue;
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
    });
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
