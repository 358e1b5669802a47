import { addDays } from '../signals/dates.js';

/** One recorded value (a unit cost, a list price), in force from `effectiveFrom` until the next record. */
export interface InForceRecord {
  readonly effectiveFrom: string;
  readonly value: number;
}

/** A stretch of days `from`..`to` (inclusive) over which one value was in force. */
export interface InForcePeriod {
  readonly from: string;
  readonly to: string;
  readonly value: number;
}

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
 * The values in force over `from`..`to`, as consecutive periods. Records come in the order they were
 * made; each one holds from its `effectiveFrom` onwards, replacing whatever earlier records said for
 * those days (a back-dated change overrides what follows it, as ingestion applies it). Days before
 * every record take the first record's value (costs and prices are set before launch; a backfill of
 * earlier sales has no older record to go by).
 */
export function periodsInForce(records: readonly InForceRecord[], from: string, to: string): InForcePeriod[] {
  if (records.length === 0) return [];
  let timeline: InForceRecord[] = [];
  for (const record of records) {
    timeline = timeline.filter((t) => t.effectiveFrom < record.effectiveFrom);
    timeline.push(record);
  }
  const inForceOn = (day: string): number => {
    let value = records[0]!.value;
    for (const t of timeline) if (t.effectiveFrom <= day) value = t.value;
    return value;
  };
  const starts = [from, ...timeline.map((t) => t.effectiveFrom).filter((d) => d > from && d <= to)];
  const periods: InForcePeriod[] = [];
  starts.forEach((start, i) => {
    const end = i + 1 < starts.length ? addDays(starts[i + 1]!, -1) : to;
    const value = inForceOn(start);
    const last = periods[periods.length - 1];
    if (last && last.value === value) periods[periods.length - 1] = { ...last, to: end };
    else periods.push({ from: start, to: end, value });
  });
  return periods;
}

/** The unit costs in force over `from`..`to` ({@link periodsInForce} of the cost records). */
export function costPeriods(records: readonly CostRecord[], from: string, to: string): CostPeriod[] {
  return periodsInForce(
    records.map((r) => ({ effectiveFrom: r.effectiveFrom, value: r.unitCostFen })),
    from,
    to,
  ).map((p) => ({ from: p.from, to: p.to, unitCostFen: p.value }));
}

/** A stretch of days with the unit cost and list price in force over it (null: none on record). */
export interface PricedPeriod {
  readonly from: string;
  readonly to: string;
  readonly unitCostFen: number | null;
  readonly listPriceFen: number | null;
}

/**
 * Cost periods and list-price periods of the same days laid over each other: a new stretch wherever
 * either changes. Either list may be empty (nothing on record), never both partial.
 */
export function pricedPeriods(
  costs: readonly InForcePeriod[],
  prices: readonly InForcePeriod[],
  from: string,
  to: string,
): PricedPeriod[] {
  const starts = [
    ...new Set([from, ...costs.map((c) => c.from), ...prices.map((p) => p.from)].filter((d) => d >= from)),
  ].sort();
  const at = (periods: readonly InForcePeriod[], day: string) =>
    periods.find((p) => p.from <= day && day <= p.to)?.value ?? null;
  return starts.map((start, i) => ({
    from: start,
    to: i + 1 < starts.length ? addDays(starts[i + 1]!, -1) : to,
    unitCostFen: at(costs, start),
    listPriceFen: at(prices, start),
  }));
}
