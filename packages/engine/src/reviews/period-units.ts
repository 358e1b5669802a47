import { sumUnitsInRanges, type Tx } from '@tower/db';
import { addDays, daysBetween, daysInMonth, type PricedPeriod, type Quarter } from '@tower/domain';

/** Units a product sold in one month of a quarter over all branches and channels (from the rollup). */
export type MonthUnits = (productId: string, month: string) => number;

interface Part {
  readonly period: number;
  readonly from: string;
  readonly to: string;
}

/** A month a cost or price change splits: all its parts but the longest come from the daily rows. */
interface SplitMonth {
  readonly productId: string;
  readonly month: string;
  readonly parts: readonly Part[];
  /** Index in `parts` of the part left to the rollup: the month's total less the others. */
  readonly rest: number;
}

/**
 * Units sold in each priced period of each product over quarter `q`. A month that no change splits
 * is taken whole from the rollup. A month a change splits reads the daily rows of every part but its
 * longest, and takes the longest as the month's rollup total less the others: the daily rows read are
 * at most the shorter side of each change, one index range per branch.
 */
export async function unitsPerPeriod(
  tx: Tx,
  q: Quarter,
  products: readonly { productId: string; periods: readonly PricedPeriod[] }[],
  monthUnits: MonthUnits,
): Promise<Map<string, number[]>> {
  const answer = new Map<string, number[]>();
  const splits: SplitMonth[] = [];
  for (const { productId, periods } of products) {
    const units = periods.map(() => 0);
    answer.set(productId, units);
    if (periods.length === 1) {
      units[0] = q.months.reduce((sum, month) => sum + monthUnits(productId, month), 0);
      continue;
    }
    for (const month of q.months) {
      const monthEnd = addDays(month, daysInMonth(month.slice(0, 7)) - 1);
      const parts: Part[] = [];
      periods.forEach((period, i) => {
        const from = period.from > month ? period.from : month;
        const to = period.to < monthEnd ? period.to : monthEnd;
        if (from <= to) parts.push({ period: i, from, to });
      });
      if (parts.length === 1) {
        units[parts[0]!.period]! += monthUnits(productId, month);
        continue;
      }
      let rest = 0;
      parts.forEach((part, i) => {
        const longest = parts[rest]!;
        if (daysBetween(part.from, part.to) > daysBetween(longest.from, longest.to)) rest = i;
      });
      splits.push({ productId, month, parts, rest });
    }
  }

  const ranges = splits.flatMap((split) =>
    split.parts
      .filter((_, i) => i !== split.rest)
      .map((part) => ({ productId: split.productId, from: part.from, to: part.to })),
  );
  const read = await sumUnitsInRanges(tx, ranges);
  let next = 0;
  for (const split of splits) {
    const units = answer.get(split.productId)!;
    let others = 0;
    split.parts.forEach((part, i) => {
      if (i === split.rest) return;
      const n = read[next++]!;
      units[part.period]! += n;
      others += n;
    });
    units[split.parts[split.rest]!.period]! += monthUnits(split.productId, split.month) - others;
  }
  return answer;
}
