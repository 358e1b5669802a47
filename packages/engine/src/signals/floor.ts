import type { findCosts, ProductRow } from '@tower/db';
import { costPeriods, floorFen, unitCostFen, type CostRecord, type Rules } from '@tower/domain';

/** The product's price floor from its costs and tier; null while it has no costs. */
export function floorOf(
  product: ProductRow,
  costs: Awaited<ReturnType<typeof findCosts>>,
  rules: Rules,
): number | null {
  return costs ? floorFen(unitCostFen(costs), product.tier, rules) : null;
}

/**
 * The product's price floor on each day of `from`..`to`, from its recorded unit costs (each in force
 * from its effective date; days before every record take the first one, as the quarterly review reads
 * them); null on every day while it has no costs.
 */
export function floorsOver(
  product: ProductRow,
  history: readonly CostRecord[],
  rules: Rules,
  from: string,
  to: string,
): (day: string) => number | null {
  const periods = costPeriods(history, from, to).map((p) => ({
    ...p,
    floorFen: floorFen(p.unitCostFen, product.tier, rules),
  }));
  return (day) => periods.find((p) => p.from <= day && day <= p.to)?.floorFen ?? null;
}
