import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../rules.js';
import { costPeriods, pricedPeriods } from './review.costs.js';
import { NO_SALES, reviewDepartment, type QuarterTotals, type ReviewProductInput } from './review.metrics.js';
import { parseQuarter, previousQuarter, quarterJustEnded, sameQuarterLastYear } from './quarter.js';
import { reviewReportCsv } from './review.report.js';

const Q4 = parseQuarter('2026-Q4');
const skin = { id: 'd-skin', name: '皮肤科' };

type Totals = Omit<QuarterTotals, 'listPriceSegments'> & Partial<Pick<QuarterTotals, 'listPriceSegments'>>;

/** A product of the fixed set; `listPriceFen` is the one list price in force over the quarter. */
function product(
  id: string,
  values: Partial<Omit<ReviewProductInput, 'current' | 'previous' | 'lastYear'>> &
    Pick<ReviewProductInput, 'tier'> & {
      listPriceFen?: number;
      current?: Totals;
      previous?: Totals;
      lastYear?: Totals;
    },
): ReviewProductInput {
  const { listPriceFen, current = NO_SALES, previous = NO_SALES, lastYear = NO_SALES, ...rest } = values;
  return {
    productId: id,
    name: id,
    departmentId: skin.id,
    stage: 'monitoring',
    launchedOn: '2025-01-10',
    retiredOn: null,
    ...rest,
    current: {
      listPriceSegments: listPriceFen === undefined ? [] : [{ units: current.units, listPriceFen }],
      ...current,
    },
    previous: { listPriceSegments: [], ...previous },
    lastYear: { listPriceSegments: [], ...lastYear },
  };
}

// Hand-computed: department revenue 1,800,000 fen; average share 20 %.
const FIXED: ReviewProductInput[] = [
  product('A-photo', {
    tier: 'profit',
    listPriceFen: 12_500,
    // 60 units at ¥50 before the mid-quarter cost change, 40 at ¥60 after: cost 540,000.
    current: {
      units: 100,
      revenueFen: 1_000_000,
      orders: 80,
      returningOrders: 20,
      complaints: 2,
      costSegments: [
        { units: 60, unitCostFen: 5_000 },
        { units: 40, unitCostFen: 6_000 },
      ],
    },
    previous: { ...NO_SALES, revenueFen: 800_000 },
    lastYear: { ...NO_SALES, revenueFen: 500_000 },
  }),
  product('B-hydra', {
    tier: 'traffic',
    listPriceFen: 2_500,
    current: {
      units: 200,
      revenueFen: 400_000,
      orders: 200,
      returningOrders: 0,
      complaints: 0,
      costSegments: [{ units: 200, unitCostFen: 1_900 }],
    },
    previous: { ...NO_SALES, revenueFen: 500_000 },
  }),
  product('C-pico', {
    tier: 'profit',
    current: {
      units: 10,
      revenueFen: 100_000,
      orders: 10,
      returningOrders: 1,
      complaints: 1,
      costSegments: [{ units: 10, unitCostFen: 8_000 }],
    },
    previous: {
      units: 15,
      revenueFen: 150_000,
      orders: 15,
      returningOrders: 0,
      complaints: 0,
      costSegments: [{ units: 15, unitCostFen: 8_000 }],
    },
  }),
  product('D-thermage', {
    tier: 'flagship',
    launchedOn: '2026-11-15',
    listPriceFen: 60_000,
    current: {
      units: 5,
      revenueFen: 300_000,
      orders: 5,
      returningOrders: 0,
      complaints: 0,
      costSegments: [{ units: 5, unitCostFen: 40_000 }],
    },
  }),
  product('E-card', {
    tier: 'package',
    listPriceFen: 99_000,
    current: { ...NO_SALES, costSegments: [{ units: 0, unitCostFen: 1_000 }] },
  }),
];

describe('reviewDepartment on a small fixed data set (hand-computed)', () => {
  const review = reviewDepartment(skin, FIXED, Q4, DEFAULT_RULES);
  const row = (id: string) => review.rows.find((r) => r.productId === id)!;

  it('computes revenue, margin from the costs in force, growth, share, complaint, repurchase and discount', () => {
    expect(row('A-photo')).toMatchObject({
      units: 100,
      orders: 80,
      revenueFen: 1_000_000,
      costFen: 540_000,
      grossMarginFen: 460_000,
      grossMarginPercent: 46,
      minGrossMarginPercent: 28.6,
      belowTierMinimum: false,
      growthPercent: 25,
      growthYearOnYearPercent: 100,
      sharePercent: 55.6,
      complaintsPer100Orders: 2.5,
      repurchaseRatePercent: 25,
      averageDiscountPercent: 20,
      quadrant: 'star',
      abc: 'A',
    });
    expect(row('B-hydra')).toMatchObject({
      grossMarginPercent: 5,
      growthPercent: -20,
      growthYearOnYearPercent: null,
      sharePercent: 22.2,
      averageDiscountPercent: 20,
      quadrant: 'cash_cow',
      abc: 'C',
    });
    expect(row('C-pico')).toMatchObject({
      grossMarginPercent: 20,
      previousGrossMarginPercent: 20,
      belowTierMinimum: true,
      previousBelowTierMinimum: true,
      growthPercent: -33.3,
      sharePercent: 5.6,
      quadrant: 'dog',
      abc: 'C',
    });
    expect(review.totals).toEqual({
      products: 5,
      revenueFen: 1_800_000,
      grossMarginFen: 600_000,
      units: 315,
      orders: 295,
    });
  });

  it('takes the discount against the list prices in force when each unit was sold, not the latest', () => {
    // 40 units under a ¥25 list price, then 60 under ¥30 after a mid-quarter reprice, all sold at ¥20:
    // 200,000 charged against 40 × 2,500 + 60 × 3,000 = 280,000 at list → 28.6 % off.
    const repriced = reviewDepartment(
      skin,
      [
        product('repriced', {
          tier: 'traffic',
          current: {
            ...NO_SALES,
            units: 100,
            revenueFen: 200_000,
            listPriceSegments: [
              { units: 40, listPriceFen: 2_500 },
              { units: 60, listPriceFen: 3_000 },
            ],
          },
        }),
      ],
      Q4,
      DEFAULT_RULES,
    );
    expect(repriced.rows[0]!.averageDiscountPercent).toBe(28.6);
  });

  it('marks a product launched mid-quarter and judges it as a newcomer, not as a fall from zero', () => {
    expect(row('D-thermage')).toMatchObject({
      launchedInQuarter: true,
      growthPercent: null,
      grossMarginPercent: 33.3,
      minGrossMarginPercent: 23.1,
      sharePercent: 16.7,
      averageDiscountPercent: 0,
      quadrant: 'question_mark',
      abc: 'B',
    });
    expect(row('A-photo').launchedInQuarter).toBe(false);
  });

  it('lists a product with no sales with zeros, not dropped', () => {
    expect(row('E-card')).toMatchObject({
      units: 0,
      orders: 0,
      revenueFen: 0,
      costFen: 0,
      grossMarginPercent: null,
      sharePercent: 0,
      complaintsPer100Orders: null,
      repurchaseRatePercent: null,
      averageDiscountPercent: null,
      quadrant: 'dog',
      abc: 'C',
    });
  });

  it("gives the tower's shape against the target and suggests with reasons in words", () => {
    expect(review.shape.map((t) => [t.tier, t.products, t.revenuePercent, t.status])).toEqual([
      ['traffic', 1, 22.2, 'ok'],
      ['profit', 2, 61.1, 'above'],
      ['flagship', 1, 16.7, 'ok'],
      ['custom', 0, 0, 'ok'],
      ['package', 1, 0, 'below'],
    ]);
    expect(review.suggestions.map((s) => [s.kind, s.productId ?? s.tier])).toEqual([
      ['retire', 'C-pico'],
      ['tier_share', 'profit'],
      ['tier_share', 'package'],
    ]);
    expect(review.suggestions[0]!.reason).toBe(
      'C-pico：瘦狗（增长 -33.3%，份额 5.6%），毛利率 20.0%，连续两个季度低于利润款最低毛利率 28.6%，建议退市',
    );
    expect(review.suggestions[1]!.reasonEn).toBe(
      '皮肤科: profit brings 61.1% of revenue, above the target 30–60%',
    );
  });

  it('suggests reprice for one quarter under the minimum, promote for a fast-growing question mark, and names tier gaps', () => {
    const other = reviewDepartment(
      skin,
      [
        product('big', {
          tier: 'profit',
          current: {
            ...NO_SALES,
            units: 100,
            revenueFen: 900_000,
            costSegments: [{ units: 100, unitCostFen: 7_000 }],
          },
          previous: {
            ...NO_SALES,
            units: 100,
            revenueFen: 900_000,
            costSegments: [{ units: 100, unitCostFen: 5_000 }],
          },
        }),
        product('rising', {
          tier: 'profit',
          current: {
            ...NO_SALES,
            units: 10,
            revenueFen: 100_000,
            costSegments: [{ units: 10, unitCostFen: 1_000 }],
          },
          previous: { ...NO_SALES, revenueFen: 50_000 },
        }),
      ],
      Q4,
      DEFAULT_RULES,
    );
    expect(other.suggestions.map((s) => [s.kind, s.productId ?? s.tier])).toEqual([
      ['reprice', 'big'],
      ['promote', 'rising'],
      ['tier_gap', 'traffic'],
      ['tier_share', 'profit'],
      ['tier_gap', 'flagship'],
      ['tier_gap', 'package'],
    ]);
    expect(other.suggestions[2]).toMatchObject({
      reason: '皮肤科没有引流款',
      reasonEn: '皮肤科 has no traffic driver',
    });
  });
});

describe('quarters in Asia/Shanghai', () => {
  it('a run at 09:00 on 1 Jan reviews Q4 of the year before', () => {
    expect(quarterJustEnded(new Date('2027-01-01T01:00:00Z')).id).toBe('2026-Q4');
    // 00:30 on 1 Jan in Shanghai is still 31 Dec in UTC.
    expect(quarterJustEnded(new Date('2026-12-31T16:30:00Z')).id).toBe('2026-Q4');
    expect(quarterJustEnded(new Date('2026-12-31T15:59:00Z')).id).toBe('2026-Q3');
    expect(quarterJustEnded(new Date('2026-04-01T01:00:00Z')).id).toBe('2026-Q1');
  });
  it('knows its neighbours', () => {
    expect(parseQuarter('2026-Q1')).toMatchObject({ from: '2026-01-01', to: '2026-03-31' });
    expect(previousQuarter(parseQuarter('2026-Q1')).id).toBe('2025-Q4');
    expect(sameQuarterLastYear(parseQuarter('2026-Q3')).id).toBe('2025-Q3');
    expect(parseQuarter('2024-Q1').months).toEqual(['2024-01-01', '2024-02-01', '2024-03-01']);
    expect(() => parseQuarter('2026-Q5')).toThrow(/not a quarter/);
  });
});

describe('costPeriods', () => {
  it('splits the quarter where a cost change takes effect', () => {
    const records = [
      { effectiveFrom: '2026-09-20', unitCostFen: 5_000 },
      { effectiveFrom: '2026-11-16', unitCostFen: 6_000 },
      { effectiveFrom: '2026-12-01', unitCostFen: 6_000 },
    ];
    expect(costPeriods(records, '2026-10-01', '2026-12-31')).toEqual([
      { from: '2026-10-01', to: '2026-11-15', unitCostFen: 5_000 },
      { from: '2026-11-16', to: '2026-12-31', unitCostFen: 6_000 },
    ]);
    expect(costPeriods([], '2026-10-01', '2026-12-31')).toEqual([]);
  });
  it('lets a back-dated change override the days after it, and the first costs stand before any record', () => {
    // Costs set on 1 Dec, then a change effective 16 Nov recorded after them.
    const records = [
      { effectiveFrom: '2026-12-01', unitCostFen: 5_000 },
      { effectiveFrom: '2026-11-16', unitCostFen: 6_000 },
    ];
    expect(costPeriods(records, '2026-10-01', '2026-12-31')).toEqual([
      { from: '2026-10-01', to: '2026-11-15', unitCostFen: 5_000 },
      { from: '2026-11-16', to: '2026-12-31', unitCostFen: 6_000 },
    ]);
  });
});

describe('pricedPeriods', () => {
  it('starts a new stretch wherever the cost or the list price changes', () => {
    const costs = [
      { from: '2026-10-01', to: '2026-11-15', value: 5_000 },
      { from: '2026-11-16', to: '2026-12-31', value: 6_000 },
    ];
    const prices = [
      { from: '2026-10-01', to: '2026-10-19', value: 9_000 },
      { from: '2026-10-20', to: '2026-12-31', value: 9_900 },
    ];
    expect(pricedPeriods(costs, prices, '2026-10-01', '2026-12-31')).toEqual([
      { from: '2026-10-01', to: '2026-10-19', unitCostFen: 5_000, listPriceFen: 9_000 },
      { from: '2026-10-20', to: '2026-11-15', unitCostFen: 5_000, listPriceFen: 9_900 },
      { from: '2026-11-16', to: '2026-12-31', unitCostFen: 6_000, listPriceFen: 9_900 },
    ]);
    expect(pricedPeriods([], prices, '2026-10-01', '2026-12-31')[0]).toMatchObject({
      unitCostFen: null,
      listPriceFen: 9_000,
    });
  });
});

describe('reviewReportCsv', () => {
  it('is UTF-8 with a BOM, Chinese headers and labels, one row per product', () => {
    const review = reviewDepartment(skin, FIXED, Q4, DEFAULT_RULES);
    const csv = reviewReportCsv('2026-Q4', [review], new Map([['C-pico', 'retire']]));
    expect(csv.startsWith('\uFEFF季度,科室,产品,梯度')).toBe(true);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines).toHaveLength(1 + FIXED.length);
    const pico = lines.find((l) => l.includes('C-pico'))!;
    expect(pico).toContain('2026-Q4,皮肤科,C-pico,利润款,在售监控,,,1000.00,800.00,20,28.6');
    expect(pico).toMatch(/,瘦狗,C,C-pico：瘦狗.*建议退市,退市$/);
  });
});
