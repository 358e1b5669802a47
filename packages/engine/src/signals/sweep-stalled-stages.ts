import { listPreLaunchProducts } from '@tower/db';
import { detectStageStalled, PRE_LAUNCH_STAGES, shanghaiDay } from '@tower/domain';
import { type EngineContext } from '../context.js';
import { loadRules } from '../rules.commands.js';
import { raiseSignal } from './raise-signal.js';

/** The daily sweep: stage_stalled for every product too long in a pre-launch stage. Idempotent per day. */
export async function sweepStalledStages(
  ctx: EngineContext,
  input: { asOf?: string },
): Promise<{ fired: number; checked: number }> {
  const asOf = input.asOf ?? shanghaiDay(ctx.now());
  // One query for every product in a pre-launch stage, judged in memory; the stalled ones are
  // raised in transactions of up to 100.
  const products = await listPreLaunchProducts(ctx.db, PRE_LAUNCH_STAGES);
  const rules = await loadRules(ctx.db);
  const stalled = products.flatMap((product) => {
    const detection = detectStageStalled({ stage: product.stage, enteredAt: product.enteredOn, asOf }, rules);
    return detection.status === 'fired' ? [{ product, evidence: detection.evidence }] : [];
  });
  for (let start = 0; start < stalled.length; start += 100) {
    await ctx.db.transaction().execute(async (tx) => {
      for (const { product, evidence } of stalled.slice(start, start + 100)) {
        await raiseSignal(
          ctx,
          tx,
          { productId: product.id, signal: 'stage_stalled', branchId: null, firedOn: asOf, evidence },
          rules,
        );
      }
    });
  }
  return { fired: stalled.length, checked: products.length };
}
