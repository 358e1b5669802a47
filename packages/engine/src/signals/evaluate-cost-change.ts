import {
  findCosts,
  findProductById,
  insertOutbox,
  listPriceApprovals,
  listPrices,
  markProductSalesFrom,
  type Tx,
} from '@tower/db';
import { detectCostChangeErosion, isApprovedBelowFloor, isLiveStage, shanghaiDay } from '@tower/domain';
import { type EngineContext } from '../context.js';
import { costChangeEvaluation, salesEvaluation } from './evaluation-messages.js';
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

/**
 * What recording new costs asks for, in the transaction that records them: the check of the product's
 * prices against the new floor, and its sales judged again on the days the new cost is in force on —
 * from `effectiveFrom`, or every day with sales when these are its first costs (days before every
 * record take the first). So a cost change that arrives before or after the sales it applies to ends
 * in the same tasks.
 */
export async function queueCostChangeEvaluations(
  tx: Tx,
  productId: string,
  effectiveFrom: string | null,
): Promise<void> {
  const marked = await markProductSalesFrom(tx, productId, effectiveFrom);
  await insertOutbox(tx, [
    costChangeEvaluation(productId),
    ...(marked > 0 ? [salesEvaluation(productId)] : []),
  ]);
}
