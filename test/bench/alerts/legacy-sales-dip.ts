// The sales_dip detector as it was before issue 9 (main at bc7cae1), kept verbatim apart from its rules
// argument, so that `pnpm bench:alerts` can run today's detector beside the new one on the same data.
// Only the figures it prints depend on it; nothing in the product imports it.
import { addDays, eachDay } from '@tower/domain';

const EPSILON = 1e-9;
const round1 = (value: number): number => Math.round(value * 10) / 10;

/** The rules of the old detector (DOMAIN.md defaults: 30 %, 7 days, 4 weeks, 10 units a week). */
export interface LegacySalesDipRules {
  readonly dropPercent: number;
  readonly windowDays: number;
  readonly baselineWeeks: number;
  readonly minBaselineUnitsPerWeek: number;
}

export const LEGACY_RULES: LegacySalesDipRules = {
  dropPercent: 30,
  windowDays: 7,
  baselineWeeks: 4,
  minBaselineUnitsPerWeek: 10,
};

type Detection =
  | { readonly status: 'fired'; readonly evidence: Record<string, unknown> }
  | { readonly status: 'clear'; readonly evidence?: Record<string, unknown> }
  | { readonly status: 'insufficient_data'; readonly reason: string };
const fired = (evidence: Record<string, unknown>): Detection => ({ status: 'fired', evidence });
const clear = (evidence: Record<string, unknown>): Detection => ({ status: 'clear', evidence });
const insufficientData = (reason: string): Detection => ({ status: 'insufficient_data', reason });

/** Units sold of one product at one branch on one day. Several rows for a day (channels) are added up. */
interface DailyUnits {
  readonly date: string;
  readonly units: number;
}

/** Input of {@link detectSalesDip}: one product at one branch. */
interface SalesDipInput {
  /** Last day of the window (`YYYY-MM-DD`): the latest day whose sales are in, not the wall clock. */
  readonly asOf: string;
  /** Daily units; a day without a row sold 0. Rows outside the window and baseline are ignored. */
  readonly daily: readonly DailyUnits[];
  /** Holiday and promotion days, left out of both the window and the baseline. */
  readonly excludedDates: readonly string[];
  /**
   * First day the product was on sale at the branch. Baseline days before it are unknown, not zero.
   * Defaults to the earliest date in `daily`.
   */
  readonly onSaleSince?: string;
}

/**
 * `sales_dip`: the last `windowDays` days' units against the same weekdays of the previous
 * `baselineWeeks` weeks.
 *
 * Like is compared with like: an excluded (holiday/promotion) window day is dropped together with its
 * baseline samples, and excluded or unknown baseline days are dropped from that weekday's samples. Each
 * remaining window day is compared with the mean of its samples. A window day is comparable when it has
 * at least half of `baselineWeeks` samples; fewer than half the window comparable → `insufficient_data`.
 * Fires when units are at least `dropPercent` below the baseline and the baseline averages at least
 * `minBaselineUnitsPerWeek` a week.
 */
export function detectSalesDipLegacy(input: SalesDipInput, rules: LegacySalesDipRules): Detection {
  const { windowDays, baselineWeeks, dropPercent, minBaselineUnitsPerWeek } = rules;
  const from = addDays(input.asOf, -(windowDays - 1));
  const window = { from, to: input.asOf };
  // Baseline weeks start before the window, whatever its length: d − 7, d − 14, … for a 7-day window.
  const firstShift = 7 * Math.ceil(windowDays / 7);
  const minSamples = Math.ceil(baselineWeeks / 2);
  const minComparableDays = Math.ceil(windowDays / 2);

  if (input.daily.length === 0 && input.onSaleSince === undefined) {
    return insufficientData('no sales history for this product at this branch');
  }
  const unitsByDate = new Map<string, number>();
  let earliest: string | undefined;
  for (const row of input.daily) {
    unitsByDate.set(row.date, (unitsByDate.get(row.date) ?? 0) + row.units);
    if (earliest === undefined || row.date < earliest) earliest = row.date;
  }
  const since = input.onSaleSince ?? earliest ?? input.asOf;
  const excluded = new Set(input.excludedDates);
  const unitsOn = (date: string): number => unitsByDate.get(date) ?? 0;

  const excludedWindowDays: string[] = [];
  let comparableDays = 0;
  let units = 0;
  let baselineUnits = 0;
  for (const day of eachDay(from, input.asOf)) {
    if (excluded.has(day)) {
      excludedWindowDays.push(day);
      continue;
    }
    const samples: number[] = [];
    for (let week = 0; week < baselineWeeks; week++) {
      const sampleDay = addDays(day, -(firstShift + 7 * week));
      if (sampleDay < since || excluded.has(sampleDay)) continue;
      samples.push(unitsOn(sampleDay));
    }
    if (samples.length < minSamples) continue;
    comparableDays++;
    units += unitsOn(day);
    baselineUnits += samples.reduce((sum, n) => sum + n, 0) / samples.length;
  }

  if (comparableDays < minComparableDays) {
    return insufficientData(
      `only ${comparableDays} of ${windowDays} days from ${from} to ${input.asOf} can be compared ` +
        `with ${baselineWeeks} earlier weeks (need ${minComparableDays}; holidays, promotions and days before sales began are left out)`,
    );
  }

  const baselineUnitsPerWeek = (baselineUnits * 7) / comparableDays;
  const drop = baselineUnits > 0 ? (1 - units / baselineUnits) * 100 : 0;
  const over =
    comparableDays === windowDays
      ? `the ${windowDays} days to ${input.asOf}`
      : `${comparableDays} comparable days of the ${windowDays} to ${input.asOf} (${excludedWindowDays.length} holiday/promotion days left out)`;
  const evidence = {
    asOf: input.asOf,
    window,
    comparableDays,
    excludedDates: excludedWindowDays,
    units,
    baselineUnits: round1(baselineUnits),
    baselineWeeks,
    baselineUnitsPerWeek: round1(baselineUnitsPerWeek),
    dropPercent: round1(drop),
    thresholdPercent: dropPercent,
    summary: `units ${units} vs baseline ${round1(baselineUnits)} over ${over} (${formatChange(drop)})`,
  };

  if (baselineUnitsPerWeek + EPSILON < minBaselineUnitsPerWeek) {
    return clear({
      ...evidence,
      summary: `baseline of ${round1(baselineUnitsPerWeek)} units a week is under the ${minBaselineUnitsPerWeek} a week the rule needs; ${evidence.summary}`,
    });
  }
  return drop + EPSILON >= dropPercent ? fired(evidence) : clear(evidence);
}

function formatChange(drop: number): string {
  const change = round1(-drop);
  return `${change > 0 ? '+' : ''}${change} %`;
}
