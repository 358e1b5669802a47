import {
  findCosts,
  findFirstSaleDate,
  findProductById,
  listDailySales,
  listExcludedDates,
  listSalesTargets,
  takeSalesEvaluationMark,
} from '@tower/db';
import { addDays, eachDay, isLiveStage, type Signal } from '@tower/domain';
import type { EngineContext } from '../context.js';
import { loadRules } from '../rules.commands.js';
import { floorOf } from './floor.js';
import { judgeKeyOverDays } from './judge-days.js';
import { lookbackDays, SALES_JUDGES, type PairSeries } from './sales-series.js';

/** The latest date any series query needs to reach: the end of the pair's data. */
const END_OF_DATA = '9999-12-31';

/**
 * Evaluates the sales signals (sales_dip, target_miss, margin_erosion) of one (product, branch) in
 * one transaction, reading the pair's series once. Without `date` it takes the pair's watermark (the
 * earliest data date touched since its last evaluation) and judges every data date from there to the
 * latest, in date order, in one pass; with `date` it judges that one day (what one day's evaluation
 * gives). Either way the result is what judging the same days one by one, oldest first, gives.
 * Returns, per signal, the outcome of the last day that did something (`quiet` when none did).
 */
export async function evaluateSales(
  ctx: EngineContext,
  input: { productId: string; branchId: string; date?: string },
): Promise<Partial<Record<Signal, string>>> {
  return ctx.db.transaction().execute(async (tx) => {
    const pair = { productId: input.productId, branchId: input.branchId };
    const from = input.date ?? (await takeSalesEvaluationMark(tx, pair));
    if (from === undefined) return {};
    const product = await findProductById(tx, input.productId);
    if (!product || !isLiveStage(product.stage)) return {};
    const rules = await loadRules(tx);
    // The first day whose detection the pass reads: the auto-resolve window of the first judged day.
    const firstJudged = addDays(from, -(rules.autoResolveDays - 1));
    const loadFrom = [addDays(firstJudged, -lookbackDays(rules)), `${firstJudged.slice(0, 7)}-01`].sort()[0]!;
    const to = input.date ?? END_OF_DATA;
    const [daily, firstSale, costs] = await Promise.all([
      listDailySales(tx, { ...pair, from: loadFrom, to }),
      findFirstSaleDate(tx, input.productId, input.branchId),
      findCosts(tx, input.productId),
    ]);
    const dataDates = input.date ? [input.date] : daily.filter((d) => d.date >= from).map((d) => d.date);
    if (dataDates.length === 0) return {};
    const lastDate = dataDates.at(-1)!;
    const [excluded, targets] = await Promise.all([
      listExcludedDates(tx, loadFrom, lastDate),
      listSalesTargets(tx, {
        ...pair,
        fromMonth: `${firstJudged.slice(0, 7)}-01`,
        toMonth: `${lastDate.slice(0, 7)}-01`,
      }),
    ]);
    const series: PairSeries = {
      ...pair,
      daily,
      excludedDates: excluded,
      ...(firstSale ? { onSaleSince: firstSale } : {}),
      targets: new Map(
        targets.map((t) => [
          t.month.slice(0, 7),
          {
            ...(t.units !== null ? { units: t.units } : {}),
            ...(t.revenueFen !== null ? { revenueFen: t.revenueFen } : {}),
          },
        ]),
      ),
      floorFen: floorOf(product, costs, rules),
    };
    const calendarDays = eachDay(firstJudged, lastDate);
    const outcome: Partial<Record<Signal, string>> = {};
    for (const { signal, judge, judgeWindow } of SALES_JUDGES) {
      const detections = judge(series, calendarDays, rules);
      const last = await judgeKeyOverDays(
        ctx,
        tx,
        { ...pair, signal },
        dataDates,
        detections,
        rules,
        judgeWindow,
      );
      if (last !== undefined) outcome[signal] = last;
    }
    return outcome;
  });
}
