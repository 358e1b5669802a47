import { randomUUID } from 'node:crypto';
import {
  claimSalesEvaluation,
  clearSalesEvaluationMarks,
  findProductById,
  findSalesEvaluationMark,
  insertOutbox,
  listCostHistory,
  listDailySalesOfBranches,
  listExcludedDates,
  listSalesEvaluationMarks,
  listSalesTargetsOfBranches,
  listSignalTuningsOfBranches,
  lockOpenBranchTasks,
  salesWriteHorizon,
  type DailyTotals,
  type TaskRow,
  type Tx,
} from '@tower/db';
import { addDays, eachDay, isLiveStage, type Rules, type Signal } from '@tower/domain';
import type { EngineContext } from '../context.js';
import { salesEvaluation } from './evaluation-messages.js';
import { loadRoutingSnapshot } from './routing-snapshot.js';
import { floorsOver } from './floor.js';
import { judgeKeyOverDays } from './judge-days.js';
import { foldIntoChainTask, judgeChainSalesDip } from './sales-dip.js';
import { lookbackDays, SALES_JUDGES, type PairSeries } from './sales-series.js';

/**
 * How long the next run waits when ingestion touched a product's watermarks during a run. While a
 * backfill goes on, every batch touches the product again: running at once would re-read the whole
 * lookback for each batch's few new days. Waiting lets the batches of this moment share one pass.
 * A first touch (no watermark yet: a day's upload) is still evaluated at once.
 */
export const SALES_RERUN_DELAY_MS = 1500;

/** The latest date any series query needs to reach: the end of the pair's data. */
const END_OF_DATA = '9999-12-31';

type Outcome = Partial<Record<Signal | 'chain_sales_dip', string>>;

/** One (product, branch) to judge, from `from` (its watermark, or the one day asked for). */
interface PairToJudge {
  readonly branchId: string;
  readonly from: string;
  /** Set when the pass judged only the days before this one (sales from it on were being written). */
  keepFrom?: string;
}

/** The days a pair's pass reads and judges, worked out from where it starts. */
function spanOf(from: string, rules: Rules): { firstJudged: string; loadFrom: string } {
  // The first day whose detection the pass reads: the auto-resolve window of the first judged day.
  const firstJudged = addDays(from, -(rules.autoResolveDays - 1));
  const loadFrom = [addDays(firstJudged, -lookbackDays(rules)), `${firstJudged.slice(0, 7)}-01`].sort()[0]!;
  return { firstJudged, loadFrom };
}

/**
 * Evaluates the sales signals (sales_dip, target_miss, margin_erosion) of a product in one
 * transaction: without `branchId`, every (product, branch) that has a watermark (the earliest data
 * date touched since its last evaluation), each judged on every data date from there to its latest in
 * date order, in one pass; with `branchId`, that pair's watermark only; with `branchId` and `date`,
 * that one day (what one day's evaluation gives). Either way the result is what judging the same
 * days one by one, oldest first, gives. The product's series are read once for all its branches, and
 * sales_dip across the chain (`chain_sales_dip`, see sales-dip.ts) is judged once, on every data date
 * of every pair. The watermarks it judged from are settled after that transaction
 * ({@link settleMarks}). Returns, per signal, the outcome of the last day that did something.
 */
export async function evaluateSales(
  ctx: EngineContext,
  input: { productId: string; branchId?: string; date?: string },
): Promise<Outcome> {
  const { productId } = input;
  // A run that settles watermarks claims the product's touches first (committed at once), so that a
  // batch touching it meanwhile says how far back it wrote.
  const claim = input.date === undefined ? randomUUID() : undefined;
  if (claim !== undefined) await claimSalesEvaluation(ctx.db, productId, claim);
  // The pairs read from watermarks, and the touch count read with them, for the settling after the run.
  let toSettle: { pairs: PairToJudge[]; touched: number } | undefined;
  const outcome = await ctx.db.transaction().execute(async (tx) => {
    // Batches of the product's sales under way: the days from the earliest they write are left for the
    // next run (a later batch may have committed while an earlier one has not). A day asked for
    // explicitly is judged as it stands.
    const horizon = input.date === undefined ? await salesWriteHorizon(tx, productId) : undefined;
    // Marks are read, not locked: ingestion goes on meanwhile. They are cleared at the end only if no
    // ingestion touched the product since (`touched`, its count as read with them), else this run
    // queues the next. A day asked for explicitly has no mark to settle.
    let pairs: PairToJudge[];
    let touched: number | undefined;
    if (input.branchId === undefined) {
      if (input.date !== undefined) return {};
      const read = await listSalesEvaluationMarks(tx, productId);
      touched = read.touched;
      pairs = read.marks.map((m) => ({ branchId: m.branchId, from: m.fromDate }));
    } else if (input.date !== undefined) {
      pairs = [{ branchId: input.branchId, from: input.date }];
    } else {
      const mark = await findSalesEvaluationMark(tx, { productId, branchId: input.branchId });
      touched = mark?.touched;
      pairs = mark ? [{ branchId: input.branchId, from: mark.fromDate }] : [];
    }
    if (pairs.length === 0) return {};
    const done = (result: Outcome): Outcome => {
      if (touched !== undefined) toSettle = { pairs, touched };
      return result;
    };
    // Every pair starts at or after the earliest day a batch under way writes (in a backfill sent day
    // by day, most runs while it goes on): there is no day this run may judge, so nothing is read, and
    // the watermarks are kept for the next run.
    if (horizon !== undefined && pairs.every((pair) => pair.from >= horizon)) {
      for (const pair of pairs) pair.keepFrom = horizon;
      return done({});
    }
    const product = await findProductById(tx, productId);
    if (!product || !isLiveStage(product.stage)) return done({});
    const { rules } = await loadRoutingSnapshot(ctx, tx);
    const spans = pairs.map((pair) => spanOf(pair.from, rules));
    const loadFrom = spans.map((s) => s.loadFrom).sort()[0]!;
    const to = input.date ?? END_OF_DATA;
    const [series, costHistory] = await Promise.all([
      listDailySalesOfBranches(tx, {
        productId,
        branchIds: pairs.map((p) => p.branchId),
        from: loadFrom,
        to,
      }),
      listCostHistory(tx, [productId]),
    ]);
    const beforeHorizon = (day: string) => horizon === undefined || day < horizon;
    const judged = pairs.flatMap((pair, i) => {
      const { daily, firstSale } = series.get(pair.branchId)!;
      const own = daily.filter((d) => d.date >= spans[i]!.loadFrom);
      if (!own.every((d) => beforeHorizon(d.date))) pair.keepFrom = horizon;
      const dataDates = input.date
        ? [input.date]
        : own.filter((d) => d.date >= pair.from && beforeHorizon(d.date)).map((d) => d.date);
      return dataDates.length === 0 ? [] : [{ pair, span: spans[i]!, daily: own, firstSale, dataDates }];
    });
    if (judged.length === 0) return done({});
    const lastDate = judged
      .map((j) => j.dataDates.at(-1)!)
      .sort()
      .at(-1)!;
    const excluded = await listExcludedDates(tx, loadFrom, lastDate);
    const outcome: Outcome = {};
    // The chain first, so that the branches' dip days can add to a chain-wide task the same data opened.
    const chain = await judgeChainSalesDip(ctx, tx, rules, {
      productId,
      dataDates: [...new Set(judged.flatMap((j) => j.dataDates))].sort(),
      excludedDates: excluded,
    });
    if (chain !== undefined) outcome.chain_sales_dip = chain;
    const floorOn = floorsOver(product, costHistory, rules, loadFrom, lastDate);
    const branchIds = judged.map((j) => j.pair.branchId);
    // After the chain's pass, which may have resolved branch tasks: the branches' own keys from here.
    const [targets, tightenings, openTasks] = await Promise.all([
      listSalesTargetsOfBranches(tx, {
        productId,
        branchIds,
        fromMonth: `${judged
          .map((j) => j.span.firstJudged)
          .sort()[0]!
          .slice(0, 7)}-01`,
        toMonth: `${lastDate.slice(0, 7)}-01`,
      }),
      listSignalTuningsOfBranches(tx, productId, 'sales_dip'),
      lockOpenBranchTasks(
        tx,
        productId,
        SALES_JUDGES.map((j) => j.signal),
      ),
    ]);
    for (const { pair, span, daily, firstSale, dataDates } of judged) {
      const tightening = tightenings.get(pair.branchId);
      Object.assign(
        outcome,
        await judgePair(ctx, tx, rules, {
          productId,
          branchId: pair.branchId,
          span,
          daily,
          firstSale,
          dataDates,
          excluded: excluded.filter((d) => d >= span.loadFrom),
          floorOn,
          targets: targets.get(pair.branchId) ?? [],
          ...(tightening && tightening.level > 0 ? { salesDipTightening: tightening } : {}),
          openTasks,
        }),
      );
    }
    return done(outcome);
  });
  if (toSettle) await settleMarks(ctx, productId, toSettle, claim);
  return outcome;
}

/**
 * Settles the watermarks a run judged from, once its findings are committed: on their own, each
 * statement committed at once, so the product's touch count is locked only for the moment the clear
 * takes (batches of the product wait for it), never while the worker's thread judges other products.
 * A crash in between leaves the watermarks, and the run is done again (the reconciler queues it).
 */
async function settleMarks(
  ctx: EngineContext,
  productId: string,
  { pairs, touched }: { pairs: readonly PairToJudge[]; touched: number },
  claim: string | undefined,
): Promise<void> {
  const read = pairs.map((p) => ({
    branchId: p.branchId,
    fromDate: p.from,
    ...(p.keepFrom ? { keepFrom: p.keepFrom } : {}),
  }));
  const cleared = await clearSalesEvaluationMarks(
    ctx.db,
    productId,
    { touched, ...(claim ? { claim } : {}) },
    read,
  );
  // A mark kept, or touched since it was read (moved up or not), stays: this run queues the next, a
  // moment later.
  if (read.some((m) => !cleared.has(m.branchId))) {
    const runAt = new Date(ctx.now().getTime() + SALES_RERUN_DELAY_MS);
    await insertOutbox(ctx.db, [salesEvaluation(productId, runAt)]);
  }
}

/** One pair's sales signals over its data dates, its series loaded. */
async function judgePair(
  ctx: EngineContext,
  tx: Tx,
  rules: Rules,
  input: {
    productId: string;
    branchId: string;
    span: { firstJudged: string };
    daily: DailyTotals[];
    firstSale: string | undefined;
    dataDates: string[];
    excluded: string[];
    floorOn: (day: string) => number | null;
    targets: readonly { month: string; units: number | null; revenueFen: number | null }[];
    salesDipTightening?: { level: number; falseAlarms: number };
    /** The product's open branch tasks, locked, by `${signal}|${branchId}`. */
    openTasks: ReadonlyMap<string, TaskRow>;
  },
): Promise<Outcome> {
  const pair = { productId: input.productId, branchId: input.branchId };
  const { firstJudged } = input.span;
  const lastDate = input.dataDates.at(-1)!;
  const { salesDipTightening } = input;
  const series: PairSeries = {
    ...pair,
    daily: input.daily,
    excludedDates: input.excluded.filter((d) => d <= lastDate),
    ...(input.firstSale ? { onSaleSince: input.firstSale } : {}),
    targets: new Map(
      input.targets.map((t) => [
        t.month.slice(0, 7),
        {
          ...(t.units !== null ? { units: t.units } : {}),
          ...(t.revenueFen !== null ? { revenueFen: t.revenueFen } : {}),
        },
      ]),
    ),
    floorOn: input.floorOn,
    ...(salesDipTightening ? { salesDipTightening } : {}),
  };
  const outcome: Outcome = {};
  for (const { signal, judge, judgeWindow } of SALES_JUDGES) {
    const open = input.openTasks.get(`${signal}|${pair.branchId}`);
    // The days before the first data date are read only to auto-resolve a task open when the pass
    // begins: a task the pass opens fired on a data date, and its auto-resolve window starts after it.
    const calendarDays = eachDay(open ? firstJudged : input.dataDates[0]!, lastDate);
    const judged = judge(series, calendarDays, rules);
    const detections =
      signal === 'sales_dip'
        ? await foldIntoChainTask(ctx, tx, rules, pair, input.dataDates, judged)
        : judged;
    const last = await judgeKeyOverDays(
      ctx,
      tx,
      { ...pair, signal },
      input.dataDates,
      detections,
      rules,
      judgeWindow,
      { open },
    );
    if (last !== undefined) outcome[signal] = last;
  }
  return outcome;
}
