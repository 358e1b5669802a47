import { findCosts, findProductById, listPriceApprovals, listPrices } from '@tower/db';
import { detectCostChangeErosion, isApprovedBelowFloor, isLiveStage, shanghaiDay } from '@tower/domain';
import { type EngineContext } from '../context.js';
import { loadRoutingSnapshot } from './routing-snapshot.js';
import { floorOf } from './floor.js';
import { raiseSignal } from './raise-signal.js';

/** A cost change took effect: margin_erosion when a price now sits under the new floor. */
export async function evaluateCostChange(
  ctx: EngineContext,
  input: { productId: string },
): Promise<string | undefined> {
  return ctx.db.transaction().execute(async (tx) => {
    const product = await findProductById(tx, input.productId);
    if (!product || !isLiveStage(product.stage)) return undefined;
    const { rules } = await loadRoutingSnapshot(ctx, tx);
    const [costs, prices, approvals] = await Promise.all([
      findCosts(tx, input.productId),
      listPrices(tx, input.productId),
      listPriceApprovals(tx, input.productId),
    ]);
    const floor = floorOf(product, costs, rules);
    if (floor === null || prices.length === 0) return undefined;
    const asOf = costs?.effectiveOn ?? shanghaiDay(ctx.now());
    const detection = detectCostChangeErosion({
      floorFen: floor,
      effectiveOn: asOf,
      prices: prices.map((p) => ({
        type: p.type,
        amountFen: p.amountFen,
        approvedBelowFloor: isApprovedBelowFloor(
          { type: p.type, amountFen: p.amountFen },
          approvals.map((a) => ({ type: a.type, amountFen: a.amountFen })),
        ),
      })),
    });
    if (detection.status !== 'fired') return 'quiet';
    return raiseSignal(
      ctx,
      tx,
      {
        productId: input.productId,
        signal: 'margin_erosion',
        branchId: null,
        firedOn: asOf,
        evidence: detection.evidence,
      },
      rules,
    );
  });
}
