import { describe, expect, it } from 'vitest';
import { countDistinctObservations, researchIssues } from './research.rules.js';
import { DEFAULT_RULES } from './rules.js';

describe('researchIssues', () => {
  it('passes with 3 competitor prices and a target-customer description', () => {
    expect(
      researchIssues({ competitorPriceCount: 3, targetCustomerDescription: 'Women 28–45' }, DEFAULT_RULES),
    ).toEqual([]);
  });

  it('reports too few competitor prices and missing target customers together', () => {
    expect(
      researchIssues({ competitorPriceCount: 2, targetCustomerDescription: ' ' }, DEFAULT_RULES),
    ).toEqual([
      expect.objectContaining({ code: 'COMPETITOR_PRICES_TOO_FEW', have: 2, need: 3 }),
      expect.objectContaining({ code: 'TARGET_CUSTOMERS_MISSING' }),
    ]);
  });

  it('uses the configured minimum of competitor prices', () => {
    const rules = { ...DEFAULT_RULES, research: { minCompetitorPrices: 5 } };
    expect(researchIssues({ competitorPriceCount: 4, targetCustomerDescription: 'x' }, rules)).toEqual([
      expect.objectContaining({ code: 'COMPETITOR_PRICES_TOO_FEW', have: 4, need: 5 }),
    ]);
    expect(researchIssues({ competitorPriceCount: 0, targetCustomerDescription: null }, rules)).toHaveLength(
      2,
    );
  });
});

describe('countDistinctObservations', () => {
  it('counts a replayed observation once and keeps different days, platforms and prices apart', () => {
    const base = { competitor: 'Clinic A', platform: 'soyoung', observedAt: '2026-10-01', priceFen: 380_000 };
    expect(countDistinctObservations([base, { ...base }, { ...base, competitor: ' clinic a ' }])).toBe(1);
    expect(
      countDistinctObservations([
        base,
        { ...base, observedAt: '2026-10-02' },
        { ...base, platform: null },
        { ...base, priceFen: 1 },
      ]),
    ).toBe(4);
  });
});
