import { describe, expect, it } from 'vitest';
import { salesSeries } from './sales-series.rules.js';
import { eachDay } from './signals/dates.js';

const options = { baselineWeeks: 4, dropPercent: 30, excluded: new Set<string>() };

describe('salesSeries', () => {
  it('gives each day the mean of the same weekday over the four weeks before and marks a 40 % drop as a dip', () => {
    const daily = eachDay('2026-10-01', '2026-11-07').map((date) => ({
      date,
      units: date === '2026-11-05' ? 6 : 10,
      revenueFen: 1000,
    }));
    const series = salesSeries(daily, {
      ...options,
      from: '2026-11-01',
      to: '2026-11-07',
      firstSaleDate: '2026-10-01',
    });
    expect(series).toHaveLength(7);
    expect(series.every((d) => d.baselineUnits === 10)).toBe(true);
    expect(series.filter((d) => d.dip).map((d) => d.date)).toEqual(['2026-11-05']);
  });

  it('leaves holidays out of the baseline and never marks them as dips', () => {
    const daily = [
      { date: '2026-10-01', units: 100, revenueFen: 0 },
      { date: '2026-10-08', units: 10, revenueFen: 0 },
      { date: '2026-10-15', units: 0, revenueFen: 0 },
    ];
    const series = salesSeries(daily, {
      ...options,
      excluded: new Set(['2026-10-01', '2026-10-15']),
      from: '2026-10-15',
      to: '2026-10-15',
      firstSaleDate: '2026-10-01',
    });
    expect(series[0]).toMatchObject({ baselineUnits: 10, dip: false, units: 0 });
  });

  it('has no baseline before the first sale', () => {
    const series = salesSeries([], { ...options, from: '2026-11-01', to: '2026-11-02' });
    expect(series.map((d) => d.baselineUnits)).toEqual([null, null]);
  });
});
