import type { findCosts, ProductRow } from '@tower/db';
import { floorFen, unitCostFen, type Rules } from '@tower/domain';

/** The product's price floor from its costs and tier; null while it has no costs. */
export function floorOf(
  product: ProductRow,
  costs: Awaited<ReturnType<typeof findCosts>>,
  rules: Rules,
): number | null {
  return costs ? floorFen(unitCostFen(costs), product.tier, rules) : null;
}
