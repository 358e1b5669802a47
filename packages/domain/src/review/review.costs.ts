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
 * The unit costs in force over `from`..`to`, as consecutive periods. Records come in the order they
 * were made; each one holds from its `effectiveFrom` onwards, replacing whatever earlier records said
 * for those days (a back-dated change overrides what follows it, as ingestion applies it). Days before
 * every record take the first record's costs (costs are set before launch; a backfill of earlier sales
 * has no older costs to go by).
 */
export function costPeriods(records: readonly CostRecord[], from: string, to: string): CostPeriod[] {
  if (records.length === 0) return [];
  let timeline: CostRecord[] = [];
  for (const record of records) {
    timeline = timeline.filter((t) => t.effectiveFrom < record.effectiveFrom);
    timeline.push(record);
  }
  const inForceOn = (day: string): number => {
    let cost = records[0]!.unitCostFen;
    for (const t of timeline) if (t.effectiveFrom <= day) cost = t.unitCostFen;
    return cost;
  };
  const starts = [from, ...timeline.map((t) => t.effectiveFrom).filter((d) => d > from && d <= to)];
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
