import type { DailyTotals } from '@tower/db';
import {
  addDays,
  detectMarginErosion,
  detectSalesDipRange,
  detectTargetMiss,
  eachDay,
  salesDipHistoryDays,
  type Detection,
  type Rules,
  type Signal,
  type Tightening,
} from '@tower/domain';

/**
 * Everything the sales detectors read about one (product, branch), loaded once per evaluation: the
 * daily series (all channels summed, ascending by date), the holiday and promotion days over it, the
 * monthly targets and the price floor in force each day.
 */
export interface PairSeries {
  readonly productId: string;
  readonly branchId: string;
  readonly daily: readonly DailyTotals[];
  /** Holiday and promotion days (ascending): left out of windows and baselines. */
  readonly excludedDates: readonly string[];
  /** The pair's first day of sales ever (not only of the loaded range). */
  readonly onSaleSince?: string;
  /** Monthly targets by `YYYY-MM`. */
  readonly targets: ReadonlyMap<string, { readonly units?: number; readonly revenueFen?: number }>;
  /**
   * The product's price floor on a day, from the unit cost in force that day (a cost change judges
   * only the days from its effective date); null while the product has no costs.
   */
  readonly floorOn: (day: string) => number | null;
  /** A stricter sales_dip threshold earned by false alarms on this pair. */
  readonly salesDipTightening?: Tightening;
}

/**
 * Judges one signal on each of `days` (ascending calendar days) from the pair's whole series in one
 * call. A day it leaves out was not judged (no target that month): it neither opens nor clears.
 * A detector that reads the whole series at once plugs in here.
 */
export type SeriesJudge = (
  series: PairSeries,
  days: readonly string[],
  rules: Rules,
) => ReadonlyMap<string, Detection>;

/** How many days before a judged day its detection reads (the window and the baseline behind it). */
export function lookbackDays(rules: Rules): number {
  return Math.max(salesDipHistoryDays(rules), rules.marginErosion.windowDays);
}

function firstIndexFrom<T extends { date: string }>(rows: readonly T[], date: string): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid]!.date < date) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The rows dated `from`..`to` of an ascending series (what a one-day evaluation would have loaded). */
export function between<T extends { date: string }>(rows: readonly T[], from: string, to: string): T[] {
  return rows.slice(firstIndexFrom(rows, from), firstIndexFrom(rows, addDays(to, 1)));
}

function datesBetween(dates: readonly string[], from: string, to: string): string[] {
  return between(
    dates.map((date) => ({ date })),
    from,
    to,
  ).map((d) => d.date);
}

/** Each day judged with the series as it stood up to that day (its window and baseline only). */
function dayByDay(
  judgeDay: (series: PairSeries, day: string, rules: Rules) => Detection | undefined,
): SeriesJudge {
  return (series, days, rules) => {
    const out = new Map<string, Detection>();
    for (const day of days) {
      const detection = judgeDay(series, day, rules);
      if (detection) out.set(day, detection);
    }
    return out;
  };
}

/**
 * sales_dip over the whole range in one pass (its persistence needs the days before each day), with the
 * key's false-alarm tightening, if any.
 */
const judgeSalesDip: SeriesJudge = (series, days, rules) => {
  const out = new Map<string, Detection>();
  if (days.length === 0) return out;
  const first = days[0]!;
  const last = days.at(-1)!;
  const from = addDays(first, -lookbackDays(rules));
  const detections = detectSalesDipRange(
    {
      daily: between(series.daily, from, last),
      excludedDates: datesBetween(series.excludedDates, from, last),
      ...(series.onSaleSince ? { onSaleSince: series.onSaleSince } : {}),
      ...(series.salesDipTightening ? { tightening: series.salesDipTightening } : {}),
    },
    first,
    last,
    rules,
    // Only a day that fires is stored (its evidence); the others count by their status alone.
    'fired',
  );
  eachDay(first, last).forEach((day, i) => out.set(day, detections[i]!));
  return out;
};

const judgeTargetMiss = dayByDay((series, day, rules) => {
  const month = day.slice(0, 7);
  const target = series.targets.get(month);
  if (!target || (target.units === undefined && target.revenueFen === undefined)) return undefined;
  const monthToDate = between(series.daily, `${month}-01`, day).reduce(
    (sum, d) => ({ units: sum.units + d.units, revenueFen: sum.revenueFen + d.revenueFen }),
    { units: 0, revenueFen: 0 },
  );
  return detectTargetMiss({ asOf: day, month, target, monthToDate }, rules);
});

const judgeMarginErosion = dayByDay((series, day, rules) => {
  const floorFen = series.floorOn(day);
  if (floorFen === null) return undefined;
  // Only the window's days count: hand over no more (this runs for every day of a backfill).
  const from = addDays(day, -(rules.marginErosion.windowDays - 1));
  return detectMarginErosion({ asOf: day, floorFen, daily: between(series.daily, from, day) }, rules);
});

/** The sales signals judged per (product, branch), each with its series judge. */
export const SALES_JUDGES: readonly {
  readonly signal: Extract<Signal, 'sales_dip' | 'target_miss' | 'margin_erosion'>;
  readonly judge: SeriesJudge;
  /**
   * Auto-resolve looks back over the whole auto-resolve window, re-judged from the data, so a fired
   * day evaluated late keeps the task open (a backfill arrives in any order).
   */
  readonly judgeWindow: boolean;
}[] = [
  { signal: 'sales_dip', judge: judgeSalesDip, judgeWindow: true },
  { signal: 'target_miss', judge: judgeTargetMiss, judgeWindow: false },
  { signal: 'margin_erosion', judge: judgeMarginErosion, judgeWindow: true },
];
