import type { Reason } from './errors.js';
import type { Rules } from './rules.js';
import { ACTIVITY_PRICE_TYPES, type PriceType, type Tier } from './vocabulary.js';

/** What one unit (one session) of a product costs the chain, in fen. */
export interface Costs {
  readonly consumablesFen: number;
  readonly labourFen: number;
  readonly overheadFen: number;
  readonly marketingFen: number;
}

/** One price of a product, in fen; a `session_card` price is per session, for a card of `sessions`. */
export interface Price {
  readonly type: PriceType;
  readonly amountFen: number;
  readonly sessions?: number;
}

/** A director's approval of a price under its floor: it covers that type at `amountFen` or above. */
export interface BelowFloorApproval {
  readonly type: PriceType;
  readonly amountFen: number;
}

/** The facts the pricing gate reads. */
export interface PricingFacts {
  readonly costs: Costs | null;
  readonly prices: readonly Price[];
  readonly tier: Tier;
  readonly approvals: readonly BelowFloorApproval[];
}

// Percent factors such as 1.15 are not exact in binary floating point; drop the noise before
// rounding up so that 10000 × 1.15 is 11500, not 11501.
function ceilFen(value: number): number {
  return Math.ceil(Math.round(value * 1e6) / 1e6);
}

/** Unit cost = consumables + labour + overhead share + marketing share, in fen. */
export function unitCostFen(costs: Costs): number {
  return costs.consumablesFen + costs.labourFen + costs.overheadFen + costs.marketingFen;
}

/** The lowest price of a tier without a director's approval: ⌈unit cost × (1 + minimum margin)⌉ fen. */
export function floorFen(unitCost: number, tier: Tier, rules: Rules): number {
  return ceilFen((unitCost * (100 + rules.pricing.minMarginPercent[tier])) / 100);
}

/** The lowest list price that keeps the headroom rule over an activity-type price, in fen. */
export function minListFen(activityFen: number, rules: Rules): number {
  return ceilFen((activityFen * (100 + rules.pricing.headroomPercent)) / 100);
}

/** The prices under the tier's floor, approved or not. */
export function belowFloorPrices(prices: readonly Price[], costs: Costs, tier: Tier, rules: Rules): Price[] {
  const floor = floorFen(unitCostFen(costs), tier, rules);
  return prices.filter((price) => price.amountFen < floor);
}

/** Whether a director approved this price: an approval of its type at or below its amount covers it. */
export function isApprovedBelowFloor(price: Price, approvals: readonly BelowFloorApproval[]): boolean {
  return approvals.some((approval) => approval.type === price.type && approval.amountFen <= price.amountFen);
}

/** The prices under the floor that no director approval covers yet. */
export function unapprovedBelowFloorPrices(facts: PricingFacts, rules: Rules): Price[] {
  if (facts.costs === null) return [];
  return belowFloorPrices(facts.prices, facts.costs, facts.tier, rules).filter(
    (price) => !isApprovedBelowFloor(price, facts.approvals),
  );
}

/**
 * Every reason the pricing gate refuses: `COSTS_MISSING`, `LIST_PRICE_MISSING`, `PRICE_BELOW_FLOOR`
 * (`type`, `amountFen`, `floorFen`) per unapproved price under the floor, `HEADROOM_TOO_SMALL`
 * (`type`, `amountFen`, `listFen`, `minListFen`) per activity-type price too close to the list
 * price, `SESSION_CARD_SESSIONS_MISSING` per session card without at least 2 sessions.
 */
export function pricingIssues(facts: PricingFacts, rules: Rules): Reason[] {
  const reasons: Reason[] = [];
  const { costs, prices, tier } = facts;

  if (costs === null) {
    reasons.push({ code: 'COSTS_MISSING', message: 'The unit cost is not known: enter the costs first.' });
  } else {
    const floor = floorFen(unitCostFen(costs), tier, rules);
    for (const price of unapprovedBelowFloorPrices(facts, rules)) {
      reasons.push({
        code: 'PRICE_BELOW_FLOOR',
        type: price.type,
        amountFen: price.amountFen,
        floorFen: floor,
        message: `The ${price.type} price ${price.amountFen} fen is under the ${tier} floor of ${floor} fen and not approved by a director.`,
      });
    }
  }

  const list = prices.find((price) => price.type === 'list');
  if (list === undefined) {
    reasons.push({ code: 'LIST_PRICE_MISSING', message: 'The product has no list price (标准价).' });
  } else {
    for (const price of prices) {
      if (!ACTIVITY_PRICE_TYPES.includes(price.type)) continue;
      const min = minListFen(price.amountFen, rules);
      if (list.amountFen < min) {
        reasons.push({
          code: 'HEADROOM_TOO_SMALL',
          type: price.type,
          amountFen: price.amountFen,
          listFen: list.amountFen,
          minListFen: min,
          message: `The list price ${list.amountFen} fen leaves too little headroom over the ${price.type} price ${price.amountFen} fen: it must be at least ${min} fen (+${rules.pricing.headroomPercent} %).`,
        });
      }
    }
  }

  for (const price of prices) {
    if (price.type === 'session_card' && !(price.sessions !== undefined && price.sessions >= 2)) {
      reasons.push({
        code: 'SESSION_CARD_SESSIONS_MISSING',
        amountFen: price.amountFen,
        message: 'A session card price needs the number of sessions on the card (at least 2).',
      });
    }
  }
  return reasons;
}

/**
 * Why a director's `APPROVE_BELOW_FLOOR` has nothing to approve: `COSTS_MISSING` (no floor yet) or
 * `NOTHING_BELOW_FLOOR` (every price is at or above its floor, or already approved).
 */
export function belowFloorApprovalIssues(facts: PricingFacts, rules: Rules): Reason[] {
  if (facts.costs === null) {
    return [{ code: 'COSTS_MISSING', message: 'The unit cost is not known, so no price has a floor yet.' }];
  }
  if (unapprovedBelowFloorPrices(facts, rules).length === 0) {
    return [{ code: 'NOTHING_BELOW_FLOOR', message: 'No price is under its floor without an approval.' }];
  }
  return [];
}
