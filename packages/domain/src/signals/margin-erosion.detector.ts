import type { Rules } from '../rules.js';
import type { PriceType } from '../vocabulary.js';
import { addDays } from './dates.js';
import { clear, fired, insufficientData } from './detection.js';
import type { Detection } from './detection.js';

/** Sales of one product on one day (one branch or the whole chain); money in integer fen. */
export interface DailySales {
  readonly date: string;
  readonly units: number;
  readonly revenueFen: number;
}

/** Input of {@link detectMarginErosion}. */
export interface MarginErosionInput {
  /** Last day of the window (`YYYY-MM-DD`). */
  readonly asOf: string;
  /** The product's price floor in fen (unit cost × (1 + tier margin)). */
  readonly floorFen: number;
  /** Daily sales; rows outside the window are ignored, several rows for a day are added up. */
  readonly daily: readonly DailySales[];
}

/**
 * `margin_erosion` from sales: the realised average price (revenue ÷ units) over the `windowDays` days
 * ending `asOf` is below the floor. No units in the window → `insufficient_data`.
 */
export function detectMarginErosion(input: MarginErosionInput, rules: Rules): Detection {
  const { windowDays } = rules.marginErosion;
  const window = { from: addDays(input.asOf, -(windowDays - 1)), to: input.asOf };
  let units = 0;
  let revenueFen = 0;
  for (const row of input.daily) {
    if (row.date < window.from || row.date > window.to) continue;
    units += row.units;
    revenueFen += row.revenueFen;
  }
  if (units <= 0) return insufficientData(`no units sold from ${window.from} to ${window.to}`);

  const averagePriceFen = Math.round(revenueFen / units);
  // revenue / units < floor, compared in integers
  const isBelow = revenueFen < input.floorFen * units;
  const evidence = {
    asOf: input.asOf,
    window,
    units,
    revenueFen,
    averagePriceFen,
    floorFen: input.floorFen,
    summary: `realised average price ${averagePriceFen} fen ${isBelow ? 'is below' : 'holds at or above'} the floor of ${input.floorFen} fen over the ${windowDays} days to ${input.asOf} (${units} units, ${revenueFen} fen)`,
  };
  return isBelow ? fired(evidence) : clear(evidence);
}

/** One price of the product, in fen. */
export interface ProductPrice {
  readonly type: PriceType;
  readonly amountFen: number;
  /** A director approved this price below the floor; it is listed but does not fire. */
  readonly approvedBelowFloor?: boolean;
}

/** Input of {@link detectCostChangeErosion}. */
export interface CostChangeErosionInput {
  readonly prices: readonly ProductPrice[];
  /** The floor after the cost change, in fen. */
  readonly floorFen: number;
  /** The day the new cost takes effect (`YYYY-MM-DD`), copied into the evidence. */
  readonly effectiveOn?: string;
}

/**
 * `margin_erosion` from a cost change: fires listing every price now under the (new) floor that a
 * director has not approved below it. No prices → `insufficient_data`.
 */
export function detectCostChangeErosion(input: CostChangeErosionInput): Detection {
  if (input.prices.length === 0) return insufficientData('the product has no prices');
  const under = input.prices.filter((p) => p.amountFen < input.floorFen);
  const unapproved = under.filter((p) => p.approvedBelowFloor !== true);
  const approved = under.filter((p) => p.approvedBelowFloor === true);
  const describe = (p: ProductPrice) => ({
    type: p.type,
    amountFen: p.amountFen,
    shortFen: input.floorFen - p.amountFen,
  });
  const evidence = {
    ...(input.effectiveOn === undefined ? {} : { effectiveOn: input.effectiveOn }),
    floorFen: input.floorFen,
    pricesUnderFloor: unapproved.map(describe),
    approvedBelowFloor: approved.map(describe),
    summary:
      unapproved.length > 0
        ? `${unapproved.length} price(s) under the new floor of ${input.floorFen} fen: ${unapproved.map((p) => `${p.type} ${p.amountFen}`).join(', ')}`
        : `every price is at or above the floor of ${input.floorFen} fen${approved.length > 0 ? ` or approved below it` : ''}`,
  };
  return unapproved.length > 0 ? fired(evidence) : clear(evidence);
}
