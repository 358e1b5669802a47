import {
  findCosts,
  findFirstSaleDate,
  findProductById,
  listDailySales,
  listExcludedDates,
  listSalesTargets,
  clearSalesEvaluationMark,
  findSalesEvaluationMark,
} from '@tower/db';
import { addDays, eachDay, isLiveStage, type Signal } from '@tower/domain';
import type { EngineContext } from '../context.js';
import { loadRoutingSnapshot } from './routing-snapshot.js';
import { floorOf } from './floor.js';
import { judgeKeyOverDays } from './judge-days.js';
import { foldIntoChainTask, judgeChainSalesDip } from './sales-dip.js';
import { lookbackDays, SALES_JUDGES, type PairSeries } from './sales-series.js';
import { loadTightening } from './tuning.js';

/** The latest date any series query needs to reach: the end of the pair's data. */
const END_OF_DATA = '9999-12-31';

/**
 * Evaluates the sales signals (sales_dip, target_miss, margin_erosion) of one (product, branch) in
 * one transaction, reading the pair's series once. Without `date` it takes the pair's watermark (the
 * earliest data date touched since its last evaluation) and judges every data date from there to the
 * latest, in date order, in one pass; with `date` it judges that one day (what one day's evaluation
 * gives). Either way the result is what judging the same days one by one, oldest first, gives.
 * Returns, per signal, the outcome of the last day that did something (`quiet` when none did);
 * sales_dip is judged for the product across the chain too (`chain_sales_dip`, see sales-dip.ts).
 */
export async function evaluateSales(
  ctx: EngineContext,
  input: { productId: string; branchId: string; date?: string },
): Promise<Partial<Record<Signal | 'chain_sales_dip', string>>> {
  return ctx.db.transaction().execute(async (tx) => {
    const pair = { productId: input.productId, branchId: input.branchId };
    // The mark is read, not locked: ingestion goes on meanwhile, and the mark is cleared at the end only
    // if no ingestion touched it since (else it stays for the run queued with that ingestion).
    const mark = input.date === undefined ? await findSalesEvaluationMark(tx, pair) : undefined;
    const from = input.date ?? mark?.fromDate;
    if (from === undefined) return {};
    const done = async <T>(result: T): Promise<T> => {
      if (mark) await clearSalesEvaluationMark(tx, pair, mark.touched);
      return result;
    };
    const product = await findProductById(tx, input.productId);
    if (!product || !isLiveStage(product.stage)) return done({});
    const { rules } = await loadRoutingSnapshot(ctx, tx);
    // The first day whose detection the pass reads: the auto-resolve window of the first judged day.
    const firstJudged = addDays(from, -(rules.autoResolveDays - 1));
    const loadFrom = [addDays(firstJudged, -lookbackDays(rules)), `${firstJudged.slice(0, 7)}-01`].sort()[0]!;
    const to = input.date ?? END_OF_DATA;
    const [daily, firstSale, costs, salesDipTightening] = await Promise.all([
      listDailySales(tx, { ...pair, from: loadFrom, to }),
      findFirstSaleDate(tx, input.productId, input.branchId),
      findCosts(tx, input.productId),
      loadTightening(tx, { ...pair, signal: 'sales_dip' }),
    ]);
    const dataDates = input.date ? [input.date] : daily.filter((d) => d.date >= from).map((d) => d.date);
    if (dataDates.length === 0) return done({});
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
      ...(salesDipTightening ? { salesDipTightening } : {}),
    };
    const calendarDays = eachDay(firstJudged, lastDate);
    const outcome: Partial<Record<Signal | 'chain_sales_dip', string>> = {};
    // The chain first, so that the branch's dip days can add to a chain-wide task the same data opened.
    const chain = await judgeChainSalesDip(ctx, tx, rules, {
      productId: input.productId,
      dataDates,
      excludedDates: excluded,
    });
    if (chain !== undefined) outcome.chain_sales_dip = chain;
    for (const { signal, judge, judgeWindow } of SALES_JUDGES) {
      const judged = judge(series, calendarDays, rules);
      const detections =
        signal === 'sales_dip' ? await foldIntoChainTask(ctx, tx, rules, pair, dataDates, judged) : judged;
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
    return done(outcome);
  });
}
