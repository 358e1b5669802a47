import type { Rules } from '../rules.js';
import { regularizedGammaQ, negativeBinomialCdf } from './counts.stats.js';
import { eachDay, fromDayNumber, toDayNumber } from './dates.js';
import { EPSILON, fired, clear, insufficientData, round1 } from './detection.js';
import type { Detection, Evidence, JsonValue } from './detection.js';
import { describeChance, formatPValue, tightenedSignificance } from './significance.rules.js';
import type { Tightening } from './significance.rules.js';

/** Units sold of one product at one branch on one day. Several rows for a day (channels) are added up. */
export interface DailyUnits {
  readonly date: string;
  readonly units: number;
}

/** Input of {@link detectSalesDip}: one product at one branch, or across the chain (units summed). */
export interface SalesDipInput {
  /** Last day judged (`YYYY-MM-DD`): the latest day whose sales are in, not the wall clock. */
  readonly asOf: string;
  /** Daily units; a day without a row sold 0. Rows outside the windows and baselines are ignored. */
  readonly daily: readonly DailyUnits[];
  /** Holiday and promotion days, left out of both the window and the baseline. */
  readonly excludedDates: readonly string[];
  /**
   * First day the product was on sale (at the branch, or anywhere for the chain). Baseline days before
   * it are unknown, not zero. Defaults to the earliest date in `daily`.
   */
  readonly onSaleSince?: string;
  /** A stricter threshold earned by repeated false alarms on this key ({@link tighteningFor}). */
  readonly tightening?: Tightening;
  /** `chain`: the units are the product's across every branch; said in the evidence. */
  readonly scope?: 'branch' | 'chain';
}

/**
 * The series of one key on integer day numbers (days since 1970-01-01), indexed once for many days:
 * flat arrays over every day a judged window or its baseline reads, from `base` on, with running sums
 * that give any baseline's figures without walking its days (a backfill judges every day of a year).
 */
interface Series {
  /** Day number of index 0. */
  readonly base: number;
  /** Units sold each day (0 on a day without a row). */
  readonly units: Float64Array;
  /** 1 on a holiday or promotion day. */
  readonly excluded: Uint8Array;
  /**
   * Units of the usable days (those a baseline may use: on sale by then, not a holiday or promotion)
   * before index i, and how many such days: `[i + 1] − [j]` is those of j..i.
   */
  readonly usableUnitsBefore: Float64Array;
  readonly usableDaysBefore: Int32Array;
  /** The same, counting only the days i, i − 7, i − 14 … (one weekday): a weekday's baseline in two reads. */
  readonly weekdayUnitsTo: Float64Array;
  readonly weekdayDaysTo: Int32Array;
}

const dayNumber = toDayNumber;
const isoOf = fromDayNumber;
/** 0 = Sunday … 6 = Saturday; day 0 (1970-01-01) was a Thursday. */
const weekdayOf = (day: number): number => (((day + 4) % 7) + 7) % 7;

/** The series over the days judging `first`..`last` reads (`reach` days before `first` on). */
function indexSeries(input: SalesDipInput, first: number, last: number, reach: number): Series | undefined {
  if (input.daily.length === 0 && input.onSaleSince === undefined) return undefined;
  let firstSale = Number.POSITIVE_INFINITY;
  const days = input.daily.map((row) => dayNumber(row.date));
  for (const day of days) firstSale = Math.min(firstSale, day);
  if (days.length === 0) firstSale = dayNumber(input.onSaleSince ?? input.asOf);
  const since = input.onSaleSince === undefined ? firstSale : dayNumber(input.onSaleSince);
  const base = first - reach;
  const length = last - base + 1;
  const units = new Float64Array(length);
  input.daily.forEach((row, i) => {
    const at = days[i]! - base;
    if (at >= 0 && at < length) units[at]! += row.units;
  });
  const excluded = new Uint8Array(length);
  for (const date of input.excludedDates) {
    const at = dayNumber(date) - base;
    if (at >= 0 && at < length) excluded[at] = 1;
  }
  // 1 on a day a baseline may use: on sale by then, and not a holiday or promotion.
  const usable = new Uint8Array(length);
  for (let at = Math.max(0, since - base); at < length; at++) usable[at] = excluded[at]! ^ 1;
  const usableUnitsBefore = new Float64Array(length + 1);
  const usableDaysBefore = new Int32Array(length + 1);
  const weekdayUnitsTo = new Float64Array(length);
  const weekdayDaysTo = new Int32Array(length);
  for (let at = 0; at < length; at++) {
    const sold = usable[at] === 1 ? units[at]! : 0;
    usableUnitsBefore[at + 1] = usableUnitsBefore[at]! + sold;
    usableDaysBefore[at + 1] = usableDaysBefore[at]! + usable[at]!;
    weekdayUnitsTo[at] = (at >= 7 ? weekdayUnitsTo[at - 7]! : 0) + sold;
    weekdayDaysTo[at] = (at >= 7 ? weekdayDaysTo[at - 7]! : 0) + usable[at]!;
  }
  return {
    base,
    units,
    excluded,
    usableUnitsBefore,
    usableDaysBefore,
    weekdayUnitsTo,
    weekdayDaysTo,
  };
}

/** One window against the weeks before it: the figures a threshold is applied to, before any test. */
interface WindowFigures {
  readonly windowDays: number;
  readonly from: number;
  readonly comparableDays: number;
  readonly units: number;
  readonly expectedUnits: number;
  readonly baselineUnitsPerWeek: number;
  /** Variance of the expected units relative to their square, from a Poisson baseline. */
  readonly relativeVariance: number;
}

/** How unlikely a window's units are under its baseline's noise. */
interface WindowTest {
  readonly test: 'poisson' | 'negative_binomial';
  readonly dispersionIndex: number | null;
  readonly pValue: number;
}

/** Per weekday (0 = Sunday), a baseline's units and usable days; reused, as judging is synchronous. */
const baselineUnits = new Float64Array(7);
const baselineDays = new Int32Array(7);
const windowDaysOf = new Int32Array(7);

/**
 * The figures of the `windowDays` days ending `to` against the `baselineWeeks` weeks right before them,
 * weekday by weekday: a window day's expected units are the mean of the same weekday in the baseline
 * (excluded and not-yet-on-sale days dropped; a weekday needs half of `baselineWeeks` samples). Returns
 * undefined when fewer than half the window's days are comparable. {@link testWindow} says how unlikely
 * they are; most days need no test (no drop of the size), so it runs only when asked.
 */
function judgeWindow(
  series: Series,
  to: number,
  windowDays: number,
  rules: Rules,
): WindowFigures | undefined {
  const { baselineWeeks } = rules.salesDip;
  const from = to - (windowDays - 1);
  const baselineFrom = from - 7 * baselineWeeks;
  const minSamples = Math.ceil(baselineWeeks / 2);

  // Baseline: per weekday, the units and count of its usable days, from the running sums.
  const firstWeekday = weekdayOf(baselineFrom);
  const start = baselineFrom - series.base;
  for (let i = 0; i < 7; i++) {
    const first = start + i;
    const last = first + 7 * (baselineWeeks - 1);
    const wd = (firstWeekday + i) % 7;
    baselineUnits[wd] = series.weekdayUnitsTo[last]! - (first >= 7 ? series.weekdayUnitsTo[first - 7]! : 0);
    baselineDays[wd] = series.weekdayDaysTo[last]! - (first >= 7 ? series.weekdayDaysTo[first - 7]! : 0);
  }

  windowDaysOf.fill(0);
  let comparableDays = 0;
  let units = 0;
  let expectedUnits = 0;
  for (
    let day = from, at = from - series.base, wd = weekdayOf(from);
    day <= to;
    day++, at++, wd = (wd + 1) % 7
  ) {
    if (series.excluded[at] === 1) continue;
    if (baselineDays[wd]! < minSamples) continue;
    comparableDays++;
    windowDaysOf[wd]! += 1;
    units += series.units[at]!;
    expectedUnits += baselineUnits[wd]! / baselineDays[wd]!;
  }
  if (comparableDays < Math.ceil(windowDays / 2)) return undefined;

  // Variance of the expected units estimated from a Poisson baseline: Σ_k c_k² m_k / n_k (c_k window days
  // of weekday k, m_k its baseline mean, n_k its samples); relative to μ² it is 1/B for whole weeks.
  let varianceOfExpected = 0;
  for (let wd = 0; wd < 7; wd++) {
    if (windowDaysOf[wd]! === 0) continue;
    varianceOfExpected +=
      (windowDaysOf[wd]! ** 2 * (baselineUnits[wd]! / baselineDays[wd]!)) / baselineDays[wd]!;
  }
  return {
    windowDays,
    from,
    comparableDays,
    units,
    expectedUnits,
    baselineUnitsPerWeek: comparableDays > 0 ? (expectedUnits * 7) / comparableDays : 0,
    relativeVariance: expectedUnits > 0 ? varianceOfExpected / expectedUnits ** 2 : 0,
  };
}

/**
 * How unlikely a window's units are. Under a Poisson baseline the window's count is compared with a
 * negative binomial whose size is the baseline's own count B (its lower tail is exactly that of the
 * conditional binomial test of two Poisson rates, so the noise of the baseline is counted too). When the
 * baseline's complete weeks vary more than Poisson allows (a χ² dispersion test at
 * `overdispersionSignificance`), the extra week-to-week variance widens both the baseline's uncertainty
 * and the window's spread (moment-matched negative binomial).
 */
function testWindow(series: Series, judged: WindowFigures, rules: Rules): WindowTest {
  const { baselineWeeks, overdispersionSignificance } = rules.salesDip;
  const { windowDays, expectedUnits } = judged;
  // The baseline's complete weeks (every day usable), and their totals.
  const weekTotals: number[] = [];
  const start = judged.from - 7 * baselineWeeks - series.base;
  for (let week = 0; week < baselineWeeks; week++) {
    const first = start + 7 * week;
    if (series.usableDaysBefore[first + 7]! - series.usableDaysBefore[first]! < 7) continue;
    weekTotals.push(series.usableUnitsBefore[first + 7]! - series.usableUnitsBefore[first]!);
  }
  let relativeVariance = judged.relativeVariance;
  let test: WindowTest['test'] = 'poisson';
  let dispersionIndex: number | null = null;
  if (weekTotals.length >= 3) {
    const n = weekTotals.length;
    const mean = weekTotals.reduce((a, b) => a + b, 0) / n;
    if (mean > 0) {
      const sumSquares = weekTotals.reduce((a, w) => a + (w - mean) ** 2, 0);
      const variance = sumSquares / (n - 1);
      dispersionIndex = variance / mean;
      // Σ (w − m)² / m ~ χ²(n − 1) for Poisson weeks; P(χ² ≥ D) = Q((n − 1)/2, D/2).
      const pDispersion = regularizedGammaQ((n - 1) / 2, sumSquares / mean / 2);
      if (pDispersion < overdispersionSignificance && variance > mean) {
        test = 'negative_binomial';
        relativeVariance =
          Math.max(relativeVariance, variance / (n * mean ** 2)) +
          (7 * (variance - mean)) / (windowDays * mean ** 2);
      }
    }
  }
  // A baseline of exactly zero variance (no units) leaves nothing to compare: p = 1 below.
  const size = relativeVariance > 0 ? 1 / relativeVariance : Number.POSITIVE_INFINITY;
  const pValue = expectedUnits <= 0 ? 1 : negativeBinomialCdf(judged.units, expectedUnits, size);
  return { test, dispersionIndex, pValue };
}

/** One day judged without persistence, as figures: what {@link describeDay} puts into words. */
interface DayJudgement {
  readonly day: number;
  /** `fired`: a drop that large and that unlikely; `noise`: a drop of the size within the noise. */
  readonly status: 'fired' | 'noise' | 'clear' | 'unjudged';
  readonly judged: WindowFigures;
  /** The window's test, where the status needed it (a drop of the size). */
  readonly tested: WindowTest | undefined;
  readonly significance: number;
  readonly drop: number;
}

/**
 * Judges one day without persistence: the window chosen by volume, the size of the drop and, for a drop
 * of the size, its p-value (undefined when too few days can be compared). No words yet: a backfill
 * judges every day, and only the days that fire keep theirs.
 */
function judgeDay(
  series: Series,
  day: number,
  input: Omit<SalesDipInput, 'asOf'>,
  rules: Rules,
): DayJudgement | undefined {
  const { dropPercent, windowDays, longWindowDays, minExpectedUnits, minBaselineUnitsPerWeek } =
    rules.salesDip;
  // The shortest window that expects enough units to tell a dip from noise; the longest when none does.
  let judged = judgeWindow(series, day, windowDays, rules);
  if (judged === undefined || judged.expectedUnits + EPSILON < minExpectedUnits) {
    for (const days of longWindowDays) {
      if (days <= windowDays) continue;
      const next = judgeWindow(series, day, days, rules);
      if (next === undefined) continue;
      judged = next;
      if (next.expectedUnits + EPSILON >= minExpectedUnits) break;
    }
  }
  if (judged === undefined) return undefined;
  // Consecutive days of a long window share most of their days, so persistence filters less noise there:
  // a W-day window is judged at significance × windowDays / W.
  const significance =
    (tightenedSignificance(rules.salesDip.significance, input.tightening, rules) * windowDays) /
    judged.windowDays;
  const drop = judged.expectedUnits > 0 ? (1 - judged.units / judged.expectedUnits) * 100 : 0;
  const isDrop = drop + EPSILON >= dropPercent;
  if (judged.baselineUnitsPerWeek + EPSILON < minBaselineUnitsPerWeek)
    return { day, status: 'unjudged', judged, tested: undefined, significance, drop };
  if (!isDrop) return { day, status: 'clear', judged, tested: undefined, significance, drop };
  const tested = testWindow(series, judged, rules);
  const status = tested.pValue <= significance ? 'fired' : 'noise';
  return { day, status, judged, tested, significance, drop };
}

/** Why a day could not be judged at all. */
function tooFewDays(day: number, rules: Rules): string {
  return (
    `too few days up to ${isoOf(day)} can be compared with ${rules.salesDip.baselineWeeks} earlier weeks ` +
    '(holidays, promotions and days before sales began are left out)'
  );
}

/** A day's judgement as a detection, with its evidence in figures and words (without persistence). */
function describeDay(
  series: Series,
  { day, status, judged, tested, significance, drop }: DayJudgement,
  input: Omit<SalesDipInput, 'asOf'>,
  rules: Rules,
): Detection {
  const { dropPercent, windowDays, minBaselineUnitsPerWeek, baselineWeeks } = rules.salesDip;
  const { test, dispersionIndex, pValue } = tested ?? testWindow(series, judged, rules);
  const excludedDates: string[] = [];
  for (let d = judged.from; d <= day; d++)
    if (series.excluded[d - series.base] === 1) excludedDates.push(isoOf(d));
  const asOf = isoOf(day);
  const from = isoOf(judged.from);
  const longer = judged.windowDays > windowDays;
  const where = input.scope === 'chain' ? 'across all branches' : 'at this branch';
  const over =
    judged.comparableDays === judged.windowDays
      ? `the ${judged.windowDays} days ${from} to ${asOf}`
      : `${judged.comparableDays} comparable days of the ${judged.windowDays} from ${from} to ${asOf} ` +
        `(${excludedDates.length} holiday/promotion days left out)`;
  const why = longer
    ? `, a ${judged.windowDays}-day window because about ${round1(judged.baselineUnitsPerWeek)} units a week are too few to judge ${windowDays} days`
    : '';
  const testName =
    test === 'poisson' ? 'Poisson' : 'negative binomial, the baseline weeks being over-dispersed';
  const tightening =
    input.tightening !== undefined && input.tightening.level > 0 ? input.tightening : undefined;
  const tightened: Record<string, JsonValue> = tightening
    ? {
        tightening: {
          level: tightening.level,
          falseAlarms: tightening.falseAlarms,
          baseSignificance: rules.salesDip.significance,
        },
      }
    : {};
  const evidence: Evidence = {
    asOf,
    scope: input.scope ?? 'branch',
    window: { from, to: asOf },
    windowDays: judged.windowDays,
    longWindow: longer,
    comparableDays: judged.comparableDays,
    excludedDates,
    units: judged.units,
    expectedUnits: round1(judged.expectedUnits),
    baselineWeeks,
    baselineUnitsPerWeek: round1(judged.baselineUnitsPerWeek),
    dropPercent: round1(drop),
    thresholdPercent: dropPercent,
    test,
    dispersionIndex: dispersionIndex === null ? null : Math.round(dispersionIndex * 100) / 100,
    pValue: Number(pValue.toPrecision(3)),
    significance,
    ...tightened,
    summary:
      `${judged.units} units sold ${where} against ${round1(judged.expectedUnits)} expected over ${over} ` +
      `(${formatChange(drop)}${why}); ${describeChance(pValue)} under the noise of the ${baselineWeeks} weeks before ` +
      `(${testName}: p = ${formatPValue(pValue)}, significance ${formatPValue(significance)}` +
      `${tightening ? `, tightened after ${tightening.falseAlarms} false alarms` : ''})`,
  };
  if (status === 'unjudged') {
    return clear({
      ...evidence,
      summary: `baseline of ${round1(judged.baselineUnitsPerWeek)} units a week is under the ${minBaselineUnitsPerWeek} a week the rule needs; ${evidence.summary}`,
    });
  }
  if (status === 'fired') return fired(evidence);
  // A drop of the size but within the noise is no new dip, and no sign that an open one is over either
  // (a long dip lands in the baseline and makes its weeks look over-dispersed): it neither opens nor
  // auto-resolves.
  if (status === 'noise') {
    return insufficientData(`a drop within the noise, neither a dip nor a recovery: ${evidence.summary}`);
  }
  return clear(evidence);
}

/** Brief detections, for a day that does not fire when only those that fire are put into words. */
const BRIEFLY = {
  clear: clear(),
  noise: insufficientData('a drop within the noise, neither a dip nor a recovery'),
  tooFewDays: insufficientData('too few days can be compared with the earlier weeks'),
  holding: insufficientData('the dip has not yet held for the consecutive days needed to open a task'),
} as const;

/**
 * `sales_dip` for every day from `from` to `to` (both included), in one pass over an indexed series. A day
 * is `fired` only when the dip has held for `rules.salesDip.persistenceDays` consecutive days ending on it
 * (a single bad day is no dip); a dip that has not held long enough yet is `insufficient_data`, so it
 * neither opens nor auto-resolves a task. Without history the whole range is `insufficient_data`.
 */
export function detectSalesDipRange(
  input: Omit<SalesDipInput, 'asOf'>,
  from: string,
  to: string,
  rules: Rules,
  /** `fired`: only the days that fire carry evidence; the others a brief reason (or none), for speed. */
  words: 'all' | 'fired' = 'all',
): Detection[] {
  const first = dayNumber(from);
  const last = dayNumber(to);
  const persistence = Math.max(1, rules.salesDip.persistenceDays);
  const series = indexSeries({ ...input, asOf: to }, first, last, salesDipHistoryDays(rules));
  if (series === undefined) {
    return eachDay(from, to).map(() => insufficientData('no sales history for this product here'));
  }
  const brief = words === 'fired';
  const out: Detection[] = [];
  let run = 0;
  // Warm up on the days before `from` so that the run of fired days is known on `from` itself.
  for (let day = first - (persistence - 1); day <= last; day++) {
    const judged = judgeDay(series, day, input, rules);
    run = judged?.status === 'fired' ? run + 1 : 0;
    if (day < first) continue;
    if (judged === undefined) {
      out.push(brief ? BRIEFLY.tooFewDays : insufficientData(tooFewDays(day, rules)));
    } else if (judged.status !== 'fired') {
      out.push(
        !brief
          ? describeDay(series, judged, input, rules)
          : judged.status === 'noise'
            ? BRIEFLY.noise
            : BRIEFLY.clear,
      );
    } else if (run >= persistence) {
      const raw = describeDay(series, judged, input, rules) as Extract<Detection, { status: 'fired' }>;
      out.push(
        fired({
          ...raw.evidence,
          persistedDays: Math.min(run, persistence),
          persistenceDays: persistence,
          summary: `${raw.evidence.summary}; it has held ${persistence === 1 ? 'on the day judged' : `${persistence} consecutive days`}`,
        }),
      );
    } else if (brief) {
      out.push(BRIEFLY.holding);
    } else {
      const raw = describeDay(series, judged, input, rules) as Extract<Detection, { status: 'fired' }>;
      out.push(
        insufficientData(
          `the dip has held ${run} of the ${persistence} consecutive days needed to open a task: ${raw.evidence.summary}`,
        ),
      );
    }
  }
  return out;
}

/**
 * `sales_dip` for one day: the last window's units against the same weekdays of the `baselineWeeks`
 * weeks before it. Fires when the units are at least `dropPercent` below the expected units, a drop that
 * large is unlikely under the baseline's own noise (one-sided p-value ≤ `significance`, stricter when the
 * key earned a {@link Tightening}), the baseline averages at least `minBaselineUnitsPerWeek`, and all of
 * that has held for `persistenceDays` consecutive days.
 *
 * The window is `windowDays` long, or the first of `longWindowDays` whose expected units reach
 * `minExpectedUnits` (low-volume keys), as the evidence says. Holiday/promotion days are left out of both
 * window and baseline; a window day is comparable when its weekday has half of `baselineWeeks` samples,
 * and fewer than half the window comparable is `insufficient_data`.
 */
export function detectSalesDip(input: SalesDipInput, rules: Rules): Detection {
  return detectSalesDipRange(input, input.asOf, input.asOf, rules)[0]!;
}

/** How far back {@link detectSalesDip} reads: the days of the longest window, its baseline and the persistence run. */
export function salesDipHistoryDays(rules: Rules): number {
  const longest = Math.max(rules.salesDip.windowDays, ...rules.salesDip.longWindowDays);
  return longest + 7 * rules.salesDip.baselineWeeks + Math.max(1, rules.salesDip.persistenceDays) - 1;
}

function formatChange(drop: number): string {
  const change = round1(-drop);
  return `${change > 0 ? '+' : ''}${change} %`;
}
