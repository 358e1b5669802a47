import {
  countSellingBranches,
  findFirstSaleDate,
  listDailySales,
  lockOpenTask,
  lockOpenTasksOfSignal,
  type Tx,
} from '@tower/db';
import {
  addDays,
  detectSalesDipRange,
  eachDay,
  salesDipHistoryDays,
  type Detection,
  type Rules,
} from '@tower/domain';
import type { EngineContext } from '../context.js';
import { autoResolve } from './auto-resolve.js';
import { judgeKeyOverDays, type DayOutcome } from './judge-days.js';
import { raiseSignal } from './raise-signal.js';
import { loadTightening } from './tuning.js';

/**
 * sales_dip for the product across every branch, on each of the pair's `dataDates` moved
 * `chainLagDays` back (so that a day whose sales are still arriving from other branches is not taken
 * for a dip), in one pass over the product's summed series. Only for a product that sold at two
 * branches or more in the days read. When it fires, the product's open branch dip tasks are answered by
 * the one chain-wide task (branch null: its owner and the chain-wide marketing managers).
 */
export async function judgeChainSalesDip(
  ctx: EngineContext,
  tx: Tx,
  rules: Rules,
  input: { productId: string; dataDates: readonly string[]; excludedDates: readonly string[] },
): Promise<DayOutcome | undefined> {
  if (!rules.salesDip.chainWide || input.dataDates.length === 0) return undefined;
  const lag = rules.salesDip.chainLagDays;
  const days = [...new Set(input.dataDates.map((d) => addDays(d, -lag)))];
  const first = addDays(days[0]!, -(rules.autoResolveDays - 1));
  const last = days.at(-1)!;
  const from = addDays(first, -salesDipHistoryDays(rules));
  if ((await countSellingBranches(tx, { productId: input.productId, from, to: last })) < 2) return undefined;
  const key = { productId: input.productId, signal: 'sales_dip' as const, branchId: null };
  const [daily, firstSale, tightening] = await Promise.all([
    listDailySales(tx, { productId: input.productId, branchId: null, from, to: last }),
    findFirstSaleDate(tx, input.productId, null),
    loadTightening(tx, key),
  ]);
  const range = detectSalesDipRange(
    {
      daily,
      excludedDates: input.excludedDates.filter((d) => d >= from && d <= last),
      scope: 'chain',
      ...(firstSale ? { onSaleSince: firstSale } : {}),
      ...(tightening ? { tightening } : {}),
    },
    first,
    last,
    rules,
    // Only a day that fires is stored (its evidence); the others count by their status alone.
    'fired',
  );
  const detections = new Map(eachDay(first, last).map((day, i) => [day, range[i]!]));
  const outcome = await judgeKeyOverDays(ctx, tx, key, days, detections, rules, true);
  if (days.some((day) => detections.get(day)?.status === 'fired')) {
    const chain = await lockOpenTask(tx, key);
    const branchTasks = (await lockOpenTasksOfSignal(tx, input.productId, 'sales_dip')).filter(
      (task) => task.branchId !== null,
    );
    for (const task of branchTasks) {
      await autoResolve(
        ctx,
        tx,
        task,
        `Auto-resolved: the product dips across the chain; the chain-wide sales_dip task${chain ? ` ${chain.id}` : ''} answers for every branch.`,
      );
    }
  }
  return outcome;
}

/**
 * While the product's chain-wide dip task is open and the branch has none of its own, the branch's dip
 * days add their evidence to the chain task (one task, not many small ones) and are taken out of the
 * branch's own pass.
 */
export async function foldIntoChainTask(
  ctx: EngineContext,
  tx: Tx,
  rules: Rules,
  pair: { productId: string; branchId: string },
  dataDates: readonly string[],
  detections: ReadonlyMap<string, Detection>,
): Promise<ReadonlyMap<string, Detection>> {
  const firedDays = dataDates.filter((day) => detections.get(day)?.status === 'fired');
  if (firedDays.length === 0) return detections;
  const key = { productId: pair.productId, signal: 'sales_dip' as const };
  if (await lockOpenTask(tx, { ...key, branchId: pair.branchId })) return detections;
  if (!(await lockOpenTask(tx, { ...key, branchId: null }))) return detections;
  const rest = new Map(detections);
  for (const day of firedDays) {
    const detection = detections.get(day)!;
    if (detection.status !== 'fired') continue;
    await raiseSignal(
      ctx,
      tx,
      {
        ...key,
        branchId: null,
        firedOn: day,
        evidenceKey: `branch-${pair.branchId}`,
        evidence: {
          ...detection.evidence,
          branchId: pair.branchId,
          summary: `At branch ${pair.branchId} too: ${detection.evidence.summary}`,
        },
      },
      rules,
    );
    rest.set(day, { status: 'insufficient_data', reason: 'added to the chain-wide sales_dip task' });
  }
  return rest;
}
