import { findProductById, listCompetitorPrices, listPrices } from '@tower/db';
import { detectCompetitorUndercut, isLiveStage } from '@tower/domain';
import type { EngineContext } from '../context.js';
import { loadRoutingSnapshot } from './routing-snapshot.js';
import { handle } from './auto-resolve.js';

/** New competitor prices: competitor_undercut against our list price (chain-wide, no branch). */
export async function evaluateCompetitorPrices(
  ctx: EngineContext,
  input: { productId: string },
): Promise<string | undefined> {
  return ctx.db.transaction().execute(async (tx) => {
    const product = await findProductById(tx, input.productId);
    if (!product || !isLiveStage(product.stage)) return undefined;
    const { rules } = await loadRoutingSnapshot(ctx, tx);
    const [prices, observations] = await Promise.all([
      listPrices(tx, input.productId),
      listCompetitorPrices(tx, input.productId),
    ]);
    const list = prices.find((p) => p.type === 'list');
    if (!list || observations.length === 0) return undefined;
    const detection = detectCompetitorUndercut(
      {
        ourPriceFen: list.amountFen,
        observations: observations.map((o) => ({
          competitor: o.competitor,
          priceFen: o.priceFen,
          observedAt: o.observedAt,
          ...(o.platform ? { platform: o.platform } : {}),
        })),
      },
      rules,
    );
    const asOf = observations
      .map((o) => o.observedAt)
      .sort()
      .at(-1)!;
    return handle(
      ctx,
      tx,
      { productId: input.productId, signal: 'competitor_undercut', branchId: null },
      detection,
      asOf,
      rules,
    );
  });
}
