import { lockOpenTask, lockOpenTasksOfSignal } from '@tower/db';
import type { EngineContext } from '../context.js';
import { autoResolve } from './auto-resolve.js';

/** A product moved on: a stage_stalled task for it has nothing left to answer. */
export async function onStageChanged(
  ctx: EngineContext,
  input: { productId: string; version: number; from: string; to: string },
): Promise<boolean> {
  if (input.from === input.to) return false;
  return ctx.db.transaction().execute(async (tx) => {
    const note = `Auto-resolved: the product moved from ${input.from} to ${input.to}.`;
    const stalled = await lockOpenTask(tx, {
      productId: input.productId,
      signal: 'stage_stalled',
      branchId: null,
    });
    if (stalled) await autoResolve(ctx, tx, stalled, note);
    // Leaving launch (launched or rejected) leaves overdue checklist items nothing to answer.
    const overdue =
      input.from === 'launch' ? await lockOpenTasksOfSignal(tx, input.productId, 'launch_item_overdue') : [];
    for (const task of overdue) await autoResolve(ctx, tx, task, note);
    return stalled !== undefined || overdue.length > 0;
  });
}
