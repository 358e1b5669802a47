import type { Reason } from './errors.js';
import type { Rules } from './rules.js';

/** The facts the research gate reads. */
export interface ResearchFacts {
  readonly competitorPriceCount: number;
  readonly targetCustomerDescription: string | null;
}

/**
 * Every reason the research gate refuses: `COMPETITOR_PRICES_TOO_FEW` (`have`, `need`) and
 * `TARGET_CUSTOMERS_MISSING` (none, or only whitespace).
 */
export function researchIssues(facts: ResearchFacts, rules: Rules): Reason[] {
  const reasons: Reason[] = [];
  const need = rules.research.minCompetitorPrices;
  if (facts.competitorPriceCount < need) {
    reasons.push({
      code: 'COMPETITOR_PRICES_TOO_FEW',
      have: facts.competitorPriceCount,
      need,
      message: `Research needs at least ${need} competitor price observations; there are ${facts.competitorPriceCount}.`,
    });
  }
  if ((facts.targetCustomerDescription ?? '').trim() === '') {
    reasons.push({ code: 'TARGET_CUSTOMERS_MISSING', message: 'The target customers are not described.' });
  }
  return reasons;
}

/**
 * How many distinct observations a list of competitor prices holds: the same competitor, platform,
 * day and price sent twice is one observation, so a replayed feed cannot pass the research gate.
 */
export function countDistinctObservations(
  observations: readonly {
    competitor: string;
    platform: string | null;
    observedAt: string;
    priceFen: number;
  }[],
): number {
  return new Set(
    observations.map((o) =>
      JSON.stringify([o.competitor.trim().toLowerCase(), o.platform ?? '', o.observedAt, o.priceFen]),
    ),
  ).size;
}
