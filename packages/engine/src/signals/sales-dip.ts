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
  type DailyUnits,
  type Detection,
  type Rules,
} from '@tower/domain';
import type { EngineContext } from '../context.js';
import { autoResolve, handle } from './auto-resolve.js';
import { raiseSignal } from './raise-signal.js';
import { loadTightening } from './tuning.js';

/** How far back sales_dip reads for `asOf`: each day of the auto-resolve window with its own history. */
export function salesDipReadsFrom(asOf: string, rules: Rules): string {
  return addDays(asOf, -(rules.autoResolveDays - 1 + salesDipHistoryDays(rules)));
}

/**
 * Judges sales_dip for one key over the auto-resolve window ending `asOf` in one pass, and opens, adds to
 * or auto-resolves its task. The key's false-alarm tightening, if any, makes the threshold stricter.
 */
async function judgeKey(
  ctx: EngineContext,
  tx: Tx,
  rules: Rules,
  input: {
    productId: string;
    branchId: string | null;
    asOf: string;
    daily: readonly DailyUnits[];
    excludedDates: readonly string[];
    onSaleSince: string | undefined;
  },
): Promise<{ detection: Detection; outcome: string }> {
  const key = { productId: input.productId, signal: 'sales_dip' as const, branchId: input.branchId };
  const tightening = await loadTightening(tx, key);
  const from = addDays(input.asOf, -(rules.autoResolveDays - 1));
  const range = detectSalesDipRange(
    {
      daily: input.daily,
      excludedDates: input.excludedDates,
      scope: input.branchId === null ? 'chain' : 'branch',
      ...(input.onSaleSince ? { onSaleSince: input.onSaleSince } : {}),
      ...(tightening ? { tightening } : {}),
    },
    from,
    input.asOf,
    rules,
  );
  const days = eachDay(from, input.asOf);
  const byDay = new Map(days.map((day, i) => [day, range[i]!]));
  const detection = range.at(-1)!;
  const detectOn = (day: string): Detection =>
    byDay.get(day) ?? { status: 'insufficient_data', reason: `${day} is outside the judged range` };

  // A branch dip while the product's chain-wide dip task is open adds to that one task.
  if (input.branchId !== null && detection.status === 'fired' && !(await lockOpenTask(tx, key))) {
    const chain = await lockOpenTask(tx, { ...key, branchId: null });
    if (chain) {
      await raiseSignal(
        ctx,
        tx,
        {
          ...key,
          branchId: null,
          firedOn: input.asOf,
          evidenceKey: `branch-${input.branchId}`,
          evidence: {
            ...detection.evidence,
            branchId: input.branchId,
            summary: `At branch ${input.branchId} too: ${detection.evidence.summary}`,
          },
        },
        rules,
      );
      return { detection, outcome: 'added_to_chain_task' };
    }
  }
  const outcome = await handle(ctx, tx, key, detection, input.asOf, rules, detectOn);
  return { detection, outcome };
}

/** sales_dip at one branch as of `asOf`, from the rows the caller already read. */
export async function judgeBranchSalesDip(
  ctx: EngineContext,
  tx: Tx,
  rules: Rules,
  input: {
    productId: string;
    branchId: string;
    asOf: string;
    daily: readonly DailyUnits[];
    excludedDates: readonly string[];
    onSaleSince: string | undefined;
  },
): Promise<string> {
  return (await judgeKey(ctx, tx, rules, input)).outcome;
}

/**
 * sales_dip for the product across every branch, judged `chainLagDays` behind `asOf` (so that a day whose
 * sales are still arriving from some branches is not taken for a dip). Only for a product that sold at
 * two branches or more in the window read. When it fires, the product's open branch dip tasks are
 * answered by the one chain-wide task (its owner and the marketing manager), and later branch dips add
 * their evidence to it instead of opening tasks of their own.
 */
export async function judgeChainSalesDip(
  ctx: EngineContext,
  tx: Tx,
  rules: Rules,
  input: { productId: string; asOf: string; excludedDates: readonly string[] },
): Promise<string | undefined> {
  if (!rules.salesDip.chainWide) return undefined;
  const asOf = addDays(input.asOf, -rules.salesDip.chainLagDays);
  const from = salesDipReadsFrom(asOf, rules);
  if ((await countSellingBranches(tx, { productId: input.productId, from, to: asOf })) < 2) return undefined;
  const [daily, firstSale] = await Promise.all([
    listDailySales(tx, { productId: input.productId, branchId: null, from, to: asOf }),
    findFirstSaleDate(tx, input.productId, null),
  ]);
  const { detection, outcome } = await judgeKey(ctx, tx, rules, {
    productId: input.productId,
    branchId: null,
    asOf,
    daily,
    excludedDates: input.excludedDates.filter((d) => d <= asOf),
    onSaleSince: firstSale,
  });
  if (detection.status === 'fired') {
    const chain = await lockOpenTask(tx, { productId: input.productId, signal: 'sales_dip', branchId: null });
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
