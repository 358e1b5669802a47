import {
  findCosts,
  findFirstSaleDate,
  findProductById,
  findSalesTarget,
  listDailySales,
  listExcludedDates,
} from '@tower/db';
import {
  addDays,
  detectMarginErosion,
  detectSalesDip,
  detectTargetMiss,
  isLiveStage,
  type Signal,
} from '@tower/domain';
import type { EngineContext } from '../context.js';
import { loadRules } from '../rules.commands.js';
import { handle } from './auto-resolve.js';
import { floorOf } from './floor.js';

/**
 * Re-runs the sales detectors (sales_dip, target_miss, margin_erosion) for one product at one
 * branch as of one data date, in one transaction.
 */
export async function evaluateSales(
  ctx: EngineContext,
  input: { productId: string; branchId: string; date: string },
): Promise<Partial<Record<Signal, string>>> {
  return ctx.db.transaction().execute(async (tx) => {
    const product = await findProductById(tx, input.productId);
    if (!product || !isLiveStage(product.stage)) return {};
    const rules = await loadRules(tx);
    const asOf = input.date;
    const monthStart = `${asOf.slice(0, 7)}-01`;
    const baselineDays = rules.salesDip.baselineWeeks * 7 + rules.salesDip.windowDays;
    // Far enough back to re-judge each day of the auto-resolve window with its own baseline.
    const from = [
      addDays(asOf, -(baselineDays + rules.autoResolveDays)),
      addDays(asOf, -(rules.marginErosion.windowDays + rules.autoResolveDays)),
      monthStart,
    ].sort()[0]!;
    const [daily, excluded, firstSale, target, costs] = await Promise.all([
      listDailySales(tx, { productId: input.productId, branchId: input.branchId, from, to: asOf }),
      listExcludedDates(tx, from, asOf),
      findFirstSaleDate(tx, input.productId, input.branchId),
      findSalesTarget(tx, input.productId, input.branchId, monthStart),
      findCosts(tx, input.productId),
    ]);
    const key = (signal: Signal) => ({ productId: input.productId, signal, branchId: input.branchId });
    const outcome: Partial<Record<Signal, string>> = {};

    const dipOn = (day: string) =>
      detectSalesDip(
        { asOf: day, daily, excludedDates: excluded, ...(firstSale ? { onSaleSince: firstSale } : {}) },
        rules,
      );
    outcome.sales_dip = await handle(ctx, tx, key('sales_dip'), dipOn(asOf), asOf, rules, dipOn);

    if (target && (target.units !== null || target.revenueFen !== null)) {
      const monthToDate = daily
        .filter((d) => d.date >= monthStart)
        .reduce((sum, d) => ({ units: sum.units + d.units, revenueFen: sum.revenueFen + d.revenueFen }), {
          units: 0,
          revenueFen: 0,
        });
      const miss = detectTargetMiss(
        {
          asOf,
          month: asOf.slice(0, 7),
          target: {
            ...(target.units !== null ? { units: target.units } : {}),
            ...(target.revenueFen !== null ? { revenueFen: target.revenueFen } : {}),
          },
          monthToDate,
        },
        rules,
      );
      outcome.target_miss = await handle(ctx, tx, key('target_miss'), miss, asOf, rules);
    }

    const floor = floorOf(product, costs, rules);
    if (floor !== null) {
      const erosionOn = (day: string) => detectMarginErosion({ asOf: day, floorFen: floor, daily }, rules);
      outcome.margin_erosion = await handle(
        ctx,
        tx,
        key('margin_erosion'),
        erosionOn(asOf),
        asOf,
        rules,
        erosionOn,
      );
    }
    return outcome;
  });
}
