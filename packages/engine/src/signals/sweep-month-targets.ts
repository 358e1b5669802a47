import { listMonthTargetsWithSales } from '@tower/db';
import { daysInMonth, detectTargetMiss, LIVE_STAGES, shanghaiDay } from '@tower/domain';
import { type EngineContext } from '../context.js';
import { loadRules } from '../rules.commands.js';
import { raiseSignal } from './raise-signal.js';

/** The month before the one `day` falls in, as `YYYY-MM`. */
function monthBefore(day: string): string {
  const [year, month] = day.split('-').map(Number) as [number, number];
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}

/**
 * The monthly sweep: target_miss judged over the whole of `month` (`YYYY-MM`; the month before today's
 * in Asia/Shanghai by default) for every (product, branch) on sale with a target that month, from the
 * monthly rollup in one query. A pair's own evaluation judges the days it has data on; this judges the
 * month as it ended, so a branch that sold nothing, or stopped sending its sales, still misses its
 * target. Idempotent per month (the evidence of the month's last day is recorded once).
 */
export async function sweepMonthTargets(
  ctx: EngineContext,
  input: { month?: string },
): Promise<{ fired: number; checked: number }> {
  const month = input.month ?? monthBefore(shanghaiDay(ctx.now()));
  const asOf = `${month}-${String(daysInMonth(month)).padStart(2, '0')}`;
  const pairs = await listMonthTargetsWithSales(ctx.db, `${month}-01`, LIVE_STAGES);
  const rules = await loadRules(ctx.db);
  const missed = pairs.flatMap((pair) => {
    const target = {
      ...(pair.targetUnits !== null ? { units: pair.targetUnits } : {}),
      ...(pair.targetRevenueFen !== null ? { revenueFen: pair.targetRevenueFen } : {}),
    };
    const monthToDate = { units: pair.units, revenueFen: pair.revenueFen };
    const detection = detectTargetMiss({ asOf, month, target, monthToDate }, rules);
    return detection.status === 'fired' ? [{ pair, evidence: detection.evidence }] : [];
  });
  for (let start = 0; start < missed.length; start += 100) {
    await ctx.db.transaction().execute(async (tx) => {
      for (const { pair, evidence } of missed.slice(start, start + 100)) {
        await raiseSignal(
          ctx,
          tx,
          {
            productId: pair.productId,
            signal: 'target_miss',
            branchId: pair.branchId,
            firedOn: asOf,
            evidence,
          },
          rules,
        );
      }
    });
  }
  return { fired: missed.length, checked: pairs.length };
}
