import { addDays } from '../signals/dates.js';

/** One recorded set of costs, in force from `effectiveFrom` until the next record. */
export interface CostRecord {
  readonly effectiveFrom: string;
  readonly unitCostFen: number;
}

export interface CostPeriod {
  readonly from: string;
  readonly to: string;
  readonly unitCostFen: number;
}

/**
 * The unit costs in force over `from`..`to`, as consecutive periods. Records are in the order they
 * were made; the latest record of a day wins. Days before the first record take the first record's
 * costs (costs are set before launch, and a backfill of earlier sales has no older costs to go by).
 */
export function costPeriods(records: readonly CostRecord[], from: string, to: string): CostPeriod[] {
  if (records.length === 0) return [];
  const byDay = new Map<string, number>();
  for (const r of records) byDay.set(r.effectiveFrom, r.unitCostFen);
  const days = [...byDay.keys()].sort();
  const inForceOn = (day: string): number => {
    let cost = byDay.get(days[0]!)!;
    for (const d of days) if (d <= day) cost = byDay.get(d)!;
    return cost;
  };
  const starts = [from, ...days.filter((d) => d > from && d <= to)];
  const periods: CostPeriod[] = [];
  starts.forEach((start, i) => {
    const end = i + 1 < starts.length ? addDays(starts[i + 1]!, -1) : to;
    const unitCostFen = inForceOn(start);
    const last = periods[periods.length - 1];
    if (last && last.unitCostFen === unitCostFen) periods[periods.length - 1] = { ...last, to: end };
    else periods.push({ from: start, to: end, unitCostFen });
  });
  return periods;
}
