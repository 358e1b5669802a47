import { addDays, eachDay, type IsoDate } from './signals/dates.js';

/** One day of a product's sales chart: units, the same-weekday baseline and whether it was a dip day. */
export interface SalesSeriesDay {
  readonly date: IsoDate;
  readonly units: number;
  readonly revenueFen: number;
  /** Mean units on the same weekday of the `baselineWeeks` weeks before, holidays/promotions left out; null when none. */
  readonly baselineUnits: number | null;
  /** Units at least `dropPercent` % under a positive baseline on a normal (not excluded) day. */
  readonly dip: boolean;
}

export interface SalesSeriesOptions {
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly baselineWeeks: number;
  readonly dropPercent: number;
  /** Holiday and promotion days: shaded on the chart, never part of a baseline, never a dip. */
  readonly excluded: ReadonlySet<string>;
  /** The first day this product sold (at the branch); days before it have no figures and no baseline. */
  readonly firstSaleDate?: IsoDate;
}

/**
 * The daily series a sales chart draws, from the daily totals (`daily` may cover from
 * `from - 7 × baselineWeeks` on; a missing day after the first sale counts as 0 units).
 */
export function salesSeries(
  daily: readonly { date: IsoDate; units: number; revenueFen: number }[],
  options: SalesSeriesOptions,
): SalesSeriesDay[] {
  const byDate = new Map(daily.map((d) => [d.date, d]));
  const first = options.firstSaleDate;
  const unitsOn = (date: IsoDate): number | undefined =>
    first !== undefined && date >= first ? (byDate.get(date)?.units ?? 0) : undefined;
  return eachDay(options.from, options.to).map((date) => {
    const samples: number[] = [];
    for (let week = 1; week <= options.baselineWeeks; week++) {
      const day = addDays(date, -7 * week);
      if (options.excluded.has(day)) continue;
      const units = unitsOn(day);
      if (units !== undefined) samples.push(units);
    }
    const baselineUnits =
      samples.length > 0 ? Math.round((samples.reduce((a, b) => a + b, 0) / samples.length) * 10) / 10 : null;
    const units = unitsOn(date) ?? 0;
    const dip =
      baselineUnits !== null &&
      baselineUnits > 0 &&
      !options.excluded.has(date) &&
      units <= baselineUnits * (1 - options.dropPercent / 100);
    return { date, units, revenueFen: byDate.get(date)?.revenueFen ?? 0, baselineUnits, dip };
  });
}
