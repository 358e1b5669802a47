import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../rules.js';
import { addDays, eachDay, weekday } from './dates.js';
import { detectSalesDip } from './sales-dip.detector.js';

const AS_OF = '2026-11-15';
const WINDOW_FROM = addDays(AS_OF, -6);

/** `weeks` of baseline at `baselinePerDay`, then the 7-day window at `windowPerDay`. */
function series(weeks: number, baselinePerDay: number, windowPerDay: number | ((date: string) => number)) {
  return eachDay(addDays(AS_OF, -(7 * weeks + 6)), AS_OF).map((date) => ({
    date,
    units:
      date < WINDOW_FROM
        ? baselinePerDay
        : typeof windowPerDay === 'number'
          ? windowPerDay
          : windowPerDay(date),
  }));
}

describe('detectSalesDip', () => {
  it('fires on a 40 % drop after 8 steady weeks, with the figures', () => {
    const detection = detectSalesDip(
      { asOf: AS_OF, daily: series(8, 10, 6), excludedDates: [] },
      DEFAULT_RULES,
    );
    expect(detection).toEqual({
      status: 'fired',
      evidence: {
        asOf: AS_OF,
        window: { from: '2026-11-09', to: AS_OF },
        comparableDays: 7,
        excludedDates: [],
        units: 42,
        baselineUnits: 70,
        baselineWeeks: 4,
        baselineUnitsPerWeek: 70,
        dropPercent: 40,
        thresholdPercent: 30,
        summary: 'units 42 vs baseline 70 over the 7 days to 2026-11-15 (-40 %)',
      },
    });
  });

  it('does not fire when sales are steady', () => {
    const detection = detectSalesDip(
      { asOf: AS_OF, daily: series(8, 10, 10), excludedDates: [] },
      DEFAULT_RULES,
    );
    expect(detection.status).toBe('clear');
  });

  it('fires on exactly a 30 % drop', () => {
    const detection = detectSalesDip(
      { asOf: AS_OF, daily: series(4, 10, 7), excludedDates: [] },
      DEFAULT_RULES,
    );
    expect(detection.status).toBe('fired');
  });

  it('does not fire on a 29 % drop', () => {
    // baseline 100 a day (700 a week); window 497 units = 29 % below
    const daily = series(4, 100, 71);
    const detection = detectSalesDip({ asOf: AS_OF, daily, excludedDates: [] }, DEFAULT_RULES);
    expect(detection).toMatchObject({
      status: 'clear',
      evidence: { units: 497, baselineUnits: 700, dropPercent: 29 },
    });
  });

  it('does not fire for a small branch selling 2 a week, even when sales stop', () => {
    // one on Mondays and one on Thursdays, then nothing in the window
    const daily = series(8, 0, 0).map((row) => ({
      ...row,
      units: row.date < WINDOW_FROM && [1, 4].includes(weekday(row.date)) ? 1 : 0,
    }));
    const detection = detectSalesDip({ asOf: AS_OF, daily, excludedDates: [] }, DEFAULT_RULES);
    expect(detection.status).toBe('clear');
    expect(detection.status === 'clear' && detection.evidence?.summary).toMatch(/under the 10 a week/);
  });

  it('does not fire in a holiday week', () => {
    const holiday = eachDay(WINDOW_FROM, AS_OF);
    const detection = detectSalesDip(
      { asOf: AS_OF, daily: series(8, 10, 1), excludedDates: holiday },
      DEFAULT_RULES,
    );
    expect(detection.status).toBe('insufficient_data');
  });

  it('leaves a promotion day out of the window and the same weekday out of the baseline', () => {
    // The window's Sunday is a promotion day with a spike; the other six days fell 50 %.
    const daily = series(4, 10, (d) => (d === AS_OF ? 200 : 5));
    const detection = detectSalesDip({ asOf: AS_OF, daily, excludedDates: [AS_OF] }, DEFAULT_RULES);
    expect(detection).toMatchObject({
      status: 'fired',
      evidence: { comparableDays: 6, excludedDates: [AS_OF], units: 30, baselineUnits: 60, dropPercent: 50 },
    });
  });

  it('leaves a baseline promotion day out, so an ordinary week does not look like a dip', () => {
    // One baseline Sunday was a promotion with 100 units; the window is 20 % below the ordinary weeks.
    const promo = addDays(AS_OF, -14);
    const daily = series(4, 10, 8).map((row) => (row.date === promo ? { ...row, units: 100 } : row));
    expect(detectSalesDip({ asOf: AS_OF, daily, excludedDates: [promo] }, DEFAULT_RULES).status).toBe(
      'clear',
    );
    expect(detectSalesDip({ asOf: AS_OF, daily, excludedDates: [] }, DEFAULT_RULES).status).toBe('fired');
  });

  it('says nothing for a product on sale for less than two weeks', () => {
    const daily = eachDay(addDays(AS_OF, -10), AS_OF).map((date) => ({
      date,
      units: date < WINDOW_FROM ? 20 : 0,
    }));
    expect(detectSalesDip({ asOf: AS_OF, daily, excludedDates: [] }, DEFAULT_RULES).status).toBe(
      'insufficient_data',
    );
  });

  it('adds up several rows for the same day and counts a day without rows as zero', () => {
    const daily = series(4, 10, 10).flatMap((row) =>
      row.date >= WINDOW_FROM
        ? row.date === AS_OF
          ? []
          : [
              { ...row, units: 3 },
              { ...row, units: 3 },
            ]
        : [row],
    );
    expect(detectSalesDip({ asOf: AS_OF, daily, excludedDates: [] }, DEFAULT_RULES)).toMatchObject({
      status: 'fired',
      evidence: { units: 36, baselineUnits: 70 },
    });
  });

  it("anchors on asOf, not on the wall clock: a backfill of last year finds last year's dip", () => {
    const asOf = '2025-11-15';
    const daily = series(4, 10, 6).map((row) => ({ ...row, date: addDays(row.date, -365) }));
    expect(detectSalesDip({ asOf, daily, excludedDates: [] }, DEFAULT_RULES).status).toBe('fired');
  });
});
