import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, type Rules } from '../rules.js';
import { negativeBinomialCdf } from './counts.stats.js';
import { addDays, eachDay, weekday } from './dates.js';
import type { Detection } from './detection.js';
import { detectSalesDip, detectSalesDipRange, salesDipHistoryDays } from './sales-dip.detector.js';

const AS_OF = '2026-11-15';
const WINDOW_FROM = addDays(AS_OF, -6);
const WEEKS = DEFAULT_RULES.salesDip.baselineWeeks;

/** Rules judging a single day, for the cases about the figures of one window. */
const ONE_DAY: Rules = { ...DEFAULT_RULES, salesDip: { ...DEFAULT_RULES.salesDip, persistenceDays: 1 } };
const withSalesDip = (patch: Partial<Rules['salesDip']>, base: Rules = ONE_DAY): Rules => ({
  ...base,
  salesDip: { ...base.salesDip, ...patch },
});

/** `weeks` of baseline at `baselinePerDay`, then the `windowDays` days to AS_OF at `windowPerDay`. */
function series(
  weeks: number,
  baselinePerDay: number | ((date: string) => number),
  windowPerDay: number | ((date: string) => number),
  windowDays = 7,
) {
  const windowFrom = addDays(AS_OF, -(windowDays - 1));
  const value = (v: number | ((date: string) => number), date: string) =>
    typeof v === 'number' ? v : v(date);
  return eachDay(addDays(windowFrom, -7 * weeks), AS_OF).map((date) => ({
    date,
    units: date < windowFrom ? value(baselinePerDay, date) : value(windowPerDay, date),
  }));
}

const evidenceOf = (detection: Detection) => {
  if (detection.status === 'insufficient_data') throw new Error(`no evidence: ${detection.reason}`);
  return detection.evidence!;
};

describe('detectSalesDip: size and significance', () => {
  it('fires on a 40 % drop after steady weeks, saying expected vs observed, the window and how unlikely', () => {
    const detection = detectSalesDip(
      { asOf: AS_OF, daily: series(WEEKS, 10, 6), excludedDates: [] },
      ONE_DAY,
    );
    // Poisson baseline of 840 units: the window's count is compared with NB(mean 70, size 840).
    const p = negativeBinomialCdf(42, 70, 840);
    expect(detection).toMatchObject({
      status: 'fired',
      evidence: {
        asOf: AS_OF,
        scope: 'branch',
        window: { from: WINDOW_FROM, to: AS_OF },
        windowDays: 7,
        longWindow: false,
        comparableDays: 7,
        units: 42,
        expectedUnits: 70,
        baselineWeeks: WEEKS,
        dropPercent: 40,
        thresholdPercent: 30,
        test: 'poisson',
        pValue: Number(p.toPrecision(3)),
        significance: 0.005,
      },
    });
    const { summary } = evidenceOf(detection);
    expect(summary).toContain(
      '42 units sold at this branch against 70 expected over the 7 days 2026-11-09 to 2026-11-15 (-40 %)',
    );
    expect(summary).toMatch(
      /happens by chance about 1 time in [\d,]+ under the noise of the 12 weeks before \(Poisson: p = /,
    );
  });

  it('quiet cases: steady sales, ordinary ups and downs, and a rise are all clear', () => {
    // Noise around 10 a day in the baseline and the window alike (weekly totals 64…76).
    const wobble = (date: string) => [8, 12, 9, 11, 10, 13, 7][weekday(date)]! + (date.endsWith('5') ? 1 : 0);
    for (const daily of [series(WEEKS, 10, 10), series(WEEKS, wobble, wobble), series(WEEKS, 10, 14)]) {
      expect(detectSalesDip({ asOf: AS_OF, daily, excludedDates: [] }, DEFAULT_RULES).status).toBe('clear');
    }
  });

  it('a big enough drop that noise explains is clear: 30 % of 2 units a day over 14 days', () => {
    // 7 days expect 14 (< 20 units), so the 14-day window is judged: 19 sold against 28 expected.
    const windowFrom = addDays(AS_OF, -13);
    const daily = series(WEEKS, 2, (d) => (d < addDays(windowFrom, 9) ? 1 : 2), 14);
    const detection = detectSalesDip({ asOf: AS_OF, daily, excludedDates: [] }, ONE_DAY);
    // Neither a dip nor a recovery: it opens nothing and resolves nothing.
    expect(detection.status).toBe('insufficient_data');
    expect(detection.status === 'insufficient_data' && detection.reason).toMatch(
      /^a drop within the noise, neither a dip nor a recovery: 19 units sold at this branch against 28 expected over the 14 days .* \(-32.1 %, a 14-day window because/,
    );
    const p = Number(
      /p = ([\d.e-]+)/.exec(detection.status === 'insufficient_data' ? detection.reason : '')![1],
    );
    expect(p).toBeGreaterThan(0.0025);
  });

  it('judges a low-volume branch over a longer window and says so', () => {
    // 2 a day, then nothing for 14 days: the 14-day window, at significance × 7/14.
    const detection = detectSalesDip(
      { asOf: AS_OF, daily: series(WEEKS, 2, 0, 14), excludedDates: [] },
      ONE_DAY,
    );
    expect(detection).toMatchObject({
      status: 'fired',
      evidence: { windowDays: 14, longWindow: true, units: 0, expectedUnits: 28, significance: 0.0025 },
    });
    expect(evidenceOf(detection).summary).toContain(
      'a 14-day window because about 14 units a week are too few to judge 7 days',
    );
    // 1 a day: even 14 days expect too few, so 28 are judged.
    const slow = detectSalesDip({ asOf: AS_OF, daily: series(WEEKS, 1, 0, 28), excludedDates: [] }, ONE_DAY);
    expect(slow).toMatchObject({ status: 'fired', evidence: { windowDays: 28, expectedUnits: 28 } });
  });

  it('fires exactly at the significance boundary and not a hair below it', () => {
    const input = { asOf: AS_OF, daily: series(WEEKS, 10, 7), excludedDates: [] };
    // 49 against 70 is a 30 % drop; its p-value is the boundary.
    const p = negativeBinomialCdf(49, 70, 840);
    expect(detectSalesDip(input, withSalesDip({ significance: p })).status).toBe('fired');
    // Just below, the same 30 % drop is within the noise: no dip (and no recovery either).
    expect(detectSalesDip(input, withSalesDip({ significance: p * (1 - 1e-9) })).status).toBe(
      'insufficient_data',
    );
  });

  it('fires on exactly the drop percent and not on one unit less', () => {
    const loose = withSalesDip({ significance: 0.5 });
    expect(
      detectSalesDip({ asOf: AS_OF, daily: series(WEEKS, 10, 7), excludedDates: [] }, loose).status,
    ).toBe('fired');
    const daily = series(WEEKS, 10, (d) => (d === AS_OF ? 8 : 7));
    expect(detectSalesDip({ asOf: AS_OF, daily, excludedDates: [] }, loose)).toMatchObject({
      status: 'clear',
      evidence: { units: 50, dropPercent: 28.6 },
    });
  });

  it('judges over-dispersed baseline weeks with a negative binomial, which is less alarmed', () => {
    // Baseline weeks alternate 35 and 105 units: far more varied than Poisson allows.
    const uneven = (date: string) => (Math.floor((Date.parse(date) / 86_400_000 + 3) / 7) % 2 === 0 ? 5 : 15);
    const daily = series(WEEKS, uneven, 6);
    // 42 against 70 was p ≈ 4e-4 under Poisson noise; with these weeks it is within the noise.
    const detection = detectSalesDip({ asOf: AS_OF, daily, excludedDates: [] }, ONE_DAY);
    expect(detection.status).toBe('insufficient_data');
    // Judged at a loose significance, the figures show the test used.
    const evidence = evidenceOf(
      detectSalesDip({ asOf: AS_OF, daily, excludedDates: [] }, withSalesDip({ significance: 0.5 })),
    );
    expect(evidence.test).toBe('negative_binomial');
    expect(evidence.dispersionIndex).toBeGreaterThan(10);
    expect(evidence.pValue).toBeGreaterThan(0.01);
    expect(evidence.summary).toContain('negative binomial, the baseline weeks being over-dispersed');
  });

  it('does not fire for a branch selling 2 a week, even when sales stop', () => {
    const daily = series(WEEKS, (d) => ([1, 4].includes(weekday(d)) ? 1 : 0), 0, 28);
    const detection = detectSalesDip({ asOf: AS_OF, daily, excludedDates: [] }, ONE_DAY);
    expect(detection.status).toBe('clear');
    expect(evidenceOf(detection).summary).toMatch(/under the 3 a week the rule needs/);
  });
});

describe('detectSalesDip: holidays, promotions and history', () => {
  it('a holiday week is no dip: left out, the longer window judges the week before; alone, nothing is said', () => {
    const holiday = eachDay(WINDOW_FROM, AS_OF);
    const input = { asOf: AS_OF, daily: series(WEEKS, 10, 1), excludedDates: holiday };
    expect(detectSalesDip(input, ONE_DAY)).toMatchObject({
      status: 'clear',
      evidence: { windowDays: 14, comparableDays: 7, excludedDates: holiday, units: 70, expectedUnits: 70 },
    });
    expect(detectSalesDip(input, withSalesDip({ longWindowDays: [] })).status).toBe('insufficient_data');
  });

  it('leaves a holiday day out of the window and counts the rest', () => {
    // The window's Sunday is a holiday with no sales; the other six days fell 50 %.
    const daily = series(WEEKS, 10, (d) => (d === AS_OF ? 0 : 5));
    expect(detectSalesDip({ asOf: AS_OF, daily, excludedDates: [AS_OF] }, ONE_DAY)).toMatchObject({
      status: 'fired',
      evidence: { comparableDays: 6, excludedDates: [AS_OF], units: 30, expectedUnits: 60, dropPercent: 50 },
    });
  });

  it('a promotion week in the window is left out, so its spike hides no dip and makes none', () => {
    // The last 7 days were a promotion (30 a day); the 7 before fell 50 %. With the promotion left out the
    // 14-day window is judged on its first half only.
    const promotion = eachDay(WINDOW_FROM, AS_OF);
    const daily = series(WEEKS, 10, (d) => (d >= WINDOW_FROM ? 30 : 5), 14);
    const rules = withSalesDip({ windowDays: 14, longWindowDays: [] });
    expect(detectSalesDip({ asOf: AS_OF, daily, excludedDates: promotion }, rules)).toMatchObject({
      status: 'fired',
      evidence: { comparableDays: 7, units: 35, expectedUnits: 70, excludedDates: promotion },
    });
    expect(detectSalesDip({ asOf: AS_OF, daily, excludedDates: [] }, rules).status).toBe('clear');
  });

  it('a promotion week in the baseline is left out, so an ordinary week does not look like a dip', () => {
    // One baseline week sold 5 × as much; the window is ordinary.
    const promo = eachDay(addDays(AS_OF, -27), addDays(AS_OF, -21));
    const daily = series(WEEKS, (d) => (promo.includes(d) ? 50 : 10), 10);
    expect(detectSalesDip({ asOf: AS_OF, daily, excludedDates: promo }, ONE_DAY)).toMatchObject({
      status: 'clear',
      evidence: { units: 70, expectedUnits: 70 },
    });
    // Without the exclusion the baseline expects 93.3 and the same week is a 25 % "drop".
    expect(evidenceOf(detectSalesDip({ asOf: AS_OF, daily, excludedDates: [] }, ONE_DAY)).dropPercent).toBe(
      25,
    );
  });

  it('says nothing for a product on sale for too few weeks to compare', () => {
    const daily = eachDay(addDays(AS_OF, -30), AS_OF).map((date) => ({
      date,
      units: date < WINDOW_FROM ? 20 : 0,
    }));
    expect(detectSalesDip({ asOf: AS_OF, daily, excludedDates: [] }, ONE_DAY).status).toBe(
      'insufficient_data',
    );
    expect(detectSalesDip({ asOf: AS_OF, daily: [], excludedDates: [] }, ONE_DAY).status).toBe(
      'insufficient_data',
    );
  });

  it('adds up several rows for the same day and counts a day without rows as zero', () => {
    const daily = series(WEEKS, 10, 10).flatMap((row) =>
      row.date >= WINDOW_FROM
        ? row.date === AS_OF
          ? []
          : [
              { ...row, units: 3 },
              { ...row, units: 3 },
            ]
        : [row],
    );
    expect(detectSalesDip({ asOf: AS_OF, daily, excludedDates: [] }, ONE_DAY)).toMatchObject({
      status: 'fired',
      evidence: { units: 36, expectedUnits: 70 },
    });
  });

  it("anchors on asOf, not on the wall clock: a backfill of last year finds last year's dip", () => {
    const asOf = addDays(AS_OF, -365);
    const daily = series(WEEKS, 10, 6).map((row) => ({ ...row, date: addDays(row.date, -365) }));
    expect(detectSalesDip({ asOf, daily, excludedDates: [] }, ONE_DAY)).toMatchObject({
      status: 'fired',
      evidence: { window: { from: addDays(asOf, -6), to: asOf } },
    });
  });

  it('reads no further back than salesDipHistoryDays', () => {
    const daily = series(WEEKS + 8, 10, 6);
    const from = addDays(AS_OF, -(salesDipHistoryDays(DEFAULT_RULES) - 1));
    const trimmed = daily.filter((d) => d.date >= from);
    expect(detectSalesDip({ asOf: AS_OF, daily: trimmed, excludedDates: [] }, DEFAULT_RULES)).toEqual(
      detectSalesDip({ asOf: AS_OF, daily, excludedDates: [] }, DEFAULT_RULES),
    );
  });
});

describe('detectSalesDip: persistence and tightening', () => {
  // 10 a day, then 3 a day from `dropFrom`: the 7-day window is a dip from the day a third of it has fallen.
  const dropped = (dropFrom: string) =>
    eachDay(addDays(AS_OF, -7 * (WEEKS + 3)), AS_OF).map((date) => ({
      date,
      units: date >= dropFrom ? 3 : 10,
    }));

  it('a dip that has not held persistenceDays days opens nothing yet, and says how long it has held', () => {
    // Dropped 4 days ago: the window first fires on its 4th day of the drop... held 1 day.
    const daily = dropped(addDays(AS_OF, -3));
    const detection = detectSalesDip({ asOf: AS_OF, daily, excludedDates: [] }, DEFAULT_RULES);
    expect(detection.status).toBe('insufficient_data');
    expect(detection.status === 'insufficient_data' && detection.reason).toMatch(
      /^the dip has held \d of the 3 consecutive days needed to open a task: /,
    );
  });

  it('fires once the dip has held persistenceDays consecutive days', () => {
    const daily = dropped(addDays(AS_OF, -8));
    expect(detectSalesDip({ asOf: AS_OF, daily, excludedDates: [] }, DEFAULT_RULES)).toMatchObject({
      status: 'fired',
      evidence: { persistedDays: 3, persistenceDays: 3 },
    });
    expect(
      evidenceOf(detectSalesDip({ asOf: AS_OF, daily, excludedDates: [] }, DEFAULT_RULES)).summary,
    ).toMatch(/it has held 3 consecutive days$/);
  });

  it('a range judged in one pass equals each day judged alone', () => {
    const daily = dropped(addDays(AS_OF, -10));
    const from = addDays(AS_OF, -14);
    const range = detectSalesDipRange({ daily, excludedDates: [] }, from, AS_OF, DEFAULT_RULES);
    expect(range).toEqual(
      eachDay(from, AS_OF).map((asOf) => detectSalesDip({ asOf, daily, excludedDates: [] }, DEFAULT_RULES)),
    );
    expect(range.map((d) => d.status)).toContain('fired');
  });

  it('judged with words for the days that fire only, gives every day the same status and those days the same evidence', () => {
    // A dip that recovers, a holiday week, a low-volume stretch judged on a long window, a quiet start.
    const start = addDays(AS_OF, -7 * (WEEKS + 12));
    const holiday = eachDay(addDays(AS_OF, -40), addDays(AS_OF, -34));
    const daily = eachDay(start, AS_OF).map((date, i) => ({
      date,
      units:
        date >= addDays(AS_OF, -60) && date < addDays(AS_OF, -48)
          ? 2
          : date >= addDays(AS_OF, -25) && date < addDays(AS_OF, -10)
            ? 1 + (i % 2)
            : 9 + (i % 5),
    }));
    const from = addDays(start, 7 * WEEKS - 10);
    const input = { daily, excludedDates: holiday };
    const full = detectSalesDipRange(input, from, AS_OF, DEFAULT_RULES);
    const brief = detectSalesDipRange(input, from, AS_OF, DEFAULT_RULES, 'fired');
    expect(brief.map((d) => d.status)).toEqual(full.map((d) => d.status));
    expect(brief.filter((d) => d.status === 'fired')).toEqual(full.filter((d) => d.status === 'fired'));
    expect(new Set(full.map((d) => d.status))).toEqual(new Set(['fired', 'clear', 'insufficient_data']));
    expect(brief.some((d) => d.status === 'clear' && d.evidence !== undefined)).toBe(false);
  });

  it('a key tightened by false alarms needs a smaller p-value, and its evidence says why', () => {
    const input = { asOf: AS_OF, daily: series(WEEKS, 10, 7), excludedDates: [] };
    const p = negativeBinomialCdf(49, 70, 840);
    const rules = withSalesDip({ significance: p * 2 });
    expect(detectSalesDip(input, rules).status).toBe('fired');
    const tightening = { level: 1, falseAlarms: 2 };
    const tightened = detectSalesDip({ ...input, tightening }, rules);
    expect(tightened.status).toBe('insufficient_data');
    expect(tightened.status === 'insufficient_data' && tightened.reason).toContain(
      'tightened after 2 false alarms',
    );
    // Where it still fires, the evidence records the tightening and the stricter significance.
    const stillFires = detectSalesDip({ ...input, daily: series(WEEKS, 10, 5), tightening }, rules);
    expect(stillFires).toMatchObject({
      status: 'fired',
      evidence: { tightening: { level: 1, falseAlarms: 2, baseSignificance: p * 2 } },
    });
    expect(evidenceOf(stillFires).significance).toBeCloseTo(p * 2 * rules.falseAlarms.significanceFactor, 12);
  });
});
