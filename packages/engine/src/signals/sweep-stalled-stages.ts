import { listPreLaunchProducts } from '@tower/db';
import { detectStageStalled, PRE_LAUNCH_STAGES, type Stage } from '@tower/domain';
import { shanghaiDay, type EngineContext } from '../context.js';
import { loadRules } from '../rules.commands.js';
import { raiseSignal } from './raise-signal.js';

/** The daily sweep: stage_stalled for every product too long in a pre-launch stage. Idempotent per day. */
export async function sweepStalledStages(
  ctx: EngineContext,
  input: { asOf?: string },
): Promise<{ fired: number; checked: number }> {
  const asOf = input.asOf ?? shanghaiDay(ctx.now());
  const products = await listPreLaunchProducts(ctx.db, PRE_LAUNCH_STAGES);
  const rules = await loadRules(ctx.db);
  let fired = 0;
  for (const product of products) {
    const detection = detectStageStalled(
      { stage: product.stage as Stage, enteredAt: product.enteredOn, asOf },
      rules,
    );
    if (detection.status !== 'fired') continue;
    await ctx.db.transaction().execute((tx) =>
      raiseSignal(
        ctx,
        tx,
        {
          productId: product.id,
          signal: 'stage_stalled',
          branchId: null,
          firedOn: asOf,
          evidence: detection.evidence,
        },
        rules,
      ),
    );
    fired += 1;
  }
  return { fired, checked: products.length };
}
