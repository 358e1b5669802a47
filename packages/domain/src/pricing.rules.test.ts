import { describe, expect, it } from 'vitest';
import {
  belowFloorApprovalIssues,
  belowFloorPrices,
  floorFen,
  isApprovedBelowFloor,
  pricingIssues,
  unitCostFen,
  type Costs,
  type Price,
  type PricingFacts,
} from './pricing.rules.js';
import { DEFAULT_RULES, type Rules } from './rules.js';

// Unit cost 10000 fen (100 元).
const costs: Costs = { consumablesFen: 6000, labourFen: 2000, overheadFen: 1000, marketingFen: 1000 };

function facts(overrides: Partial<PricingFacts> = {}): PricingFacts {
  return {
    costs,
    tier: 'profit',
    approvals: [],
    prices: [
      { type: 'list', amountFen: 19800 },
      { type: 'activity', amountFen: 16800 },
      { type: 'session_card', amountFen: 15000, sessions: 5 },
    ],
    ...overrides,
  };
}

describe('unitCostFen', () => {
  it('adds consumables, labour, overhead and marketing', () => {
    expect(unitCostFen(costs)).toBe(10000);
  });
});

describe('floorFen', () => {
  it.each([
    ['traffic', 10000],
    ['profit', 14000],
    ['flagship', 13000],
    ['custom', 15000],
    ['package', 12000],
  ] as const)('puts the %s floor of a 10000 fen cost at %i fen', (tier, floor) => {
    expect(floorFen(10000, tier, DEFAULT_RULES)).toBe(floor);
  });

  it('rounds a fractional floor up to a whole fen', () => {
    expect(floorFen(3333, 'profit', DEFAULT_RULES)).toBe(4667); // 4666.2
    expect(floorFen(10001, 'flagship', DEFAULT_RULES)).toBe(13002); // 13001.3
  });

  it('uses the configured margin of the tier', () => {
    const rules: Rules = {
      ...DEFAULT_RULES,
      pricing: {
        ...DEFAULT_RULES.pricing,
        minMarginPercent: { ...DEFAULT_RULES.pricing.minMarginPercent, profit: 12.5 },
      },
    };
    expect(floorFen(10000, 'profit', rules)).toBe(11250);
  });
});

describe('belowFloorPrices and isApprovedBelowFloor', () => {
  const prices: Price[] = [
    { type: 'list', amountFen: 14000 },
    { type: 'flash_sale', amountFen: 13999 },
    { type: 'first_order', amountFen: 9900 },
  ];

  it('lists the prices strictly under the floor', () => {
    expect(belowFloorPrices(prices, costs, 'profit', DEFAULT_RULES).map((p) => p.type)).toEqual([
      'flash_sale',
      'first_order',
    ]);
  });

  it('covers a price with an approval of its type at or below its amount', () => {
    const price: Price = { type: 'first_order', amountFen: 9900 };
    expect(isApprovedBelowFloor(price, [{ type: 'first_order', amountFen: 9900 }])).toBe(true);
    expect(isApprovedBelowFloor(price, [{ type: 'first_order', amountFen: 8800 }])).toBe(true);
    expect(isApprovedBelowFloor(price, [{ type: 'first_order', amountFen: 9901 }])).toBe(false);
    expect(isApprovedBelowFloor(price, [{ type: 'flash_sale', amountFen: 100 }])).toBe(false);
  });
});

describe('pricingIssues', () => {
  it('passes costs, a list price, prices above the floor and enough headroom', () => {
    expect(pricingIssues(facts(), DEFAULT_RULES)).toEqual([]);
  });

  it('passes the headroom rule when the list price is exactly 15 % above an activity price', () => {
    const prices: Price[] = [
      { type: 'list', amountFen: 23000 },
      { type: 'activity', amountFen: 20000 },
    ];
    expect(pricingIssues(facts({ prices }), DEFAULT_RULES)).toEqual([]);
  });

  it('refuses a list price one fen short of the headroom, with the numbers', () => {
    const prices: Price[] = [
      { type: 'list', amountFen: 22999 },
      { type: 'activity', amountFen: 20000 },
    ];
    expect(pricingIssues(facts({ prices }), DEFAULT_RULES)).toEqual([
      expect.objectContaining({
        code: 'HEADROOM_TOO_SMALL',
        type: 'activity',
        amountFen: 20000,
        listFen: 22999,
        minListFen: 23000,
      }),
    ]);
  });

  it('applies the headroom rule to every activity-type price', () => {
    const prices: Price[] = [
      { type: 'list', amountFen: 20000 },
      { type: 'member', amountFen: 18000 },
      { type: 'repurchase', amountFen: 17000 },
      { type: 'flash_sale', amountFen: 17500 },
    ];
    const reasons = pricingIssues(facts({ prices }), DEFAULT_RULES);
    expect(reasons.map((r) => [r.code, r.type])).toEqual([
      ['HEADROOM_TOO_SMALL', 'member'],
      ['HEADROOM_TOO_SMALL', 'flash_sale'],
    ]);
  });

  it('refuses an unapproved price under the floor, naming type, amount and floor', () => {
    const prices: Price[] = [
      { type: 'list', amountFen: 19800 },
      { type: 'first_order', amountFen: 9900 },
    ];
    expect(pricingIssues(facts({ prices }), DEFAULT_RULES)).toEqual([
      expect.objectContaining({
        code: 'PRICE_BELOW_FLOOR',
        type: 'first_order',
        amountFen: 9900,
        floorFen: 14000,
      }),
    ]);
  });

  it('accepts a price under the floor that a director approved', () => {
    const prices: Price[] = [
      { type: 'list', amountFen: 19800 },
      { type: 'first_order', amountFen: 9900 },
    ];
    const approvals = [{ type: 'first_order' as const, amountFen: 9900 }];
    expect(pricingIssues(facts({ prices, approvals }), DEFAULT_RULES)).toEqual([]);
  });

  it('lets a traffic product sell at cost but not under it', () => {
    const prices: Price[] = [
      { type: 'list', amountFen: 12000 },
      { type: 'first_order', amountFen: 10000 },
      { type: 'flash_sale', amountFen: 9999 },
    ];
    expect(
      pricingIssues(facts({ tier: 'traffic', prices }), DEFAULT_RULES).map((r) => [r.code, r.type]),
    ).toEqual([['PRICE_BELOW_FLOOR', 'flash_sale']]);
  });

  it('requires a session card to say it holds at least 2 sessions', () => {
    const prices: Price[] = [
      { type: 'list', amountFen: 19800 },
      { type: 'session_card', amountFen: 15000 },
      { type: 'session_card', amountFen: 15000, sessions: 1 },
      { type: 'session_card', amountFen: 15000, sessions: 2 },
    ];
    expect(pricingIssues(facts({ prices }), DEFAULT_RULES).map((r) => r.code)).toEqual([
      'SESSION_CARD_SESSIONS_MISSING',
      'SESSION_CARD_SESSIONS_MISSING',
    ]);
  });

  it('reports every reason at once', () => {
    const prices: Price[] = [{ type: 'session_card', amountFen: 100 }];
    expect(pricingIssues(facts({ costs: null, prices }), DEFAULT_RULES).map((r) => r.code)).toEqual([
      'COSTS_MISSING',
      'LIST_PRICE_MISSING',
      'SESSION_CARD_SESSIONS_MISSING',
    ]);

    const withCosts = [
      { type: 'list', amountFen: 13000 },
      { type: 'activity', amountFen: 12000 },
      { type: 'session_card', amountFen: 12500 },
    ] satisfies Price[];
    expect(pricingIssues(facts({ prices: withCosts }), DEFAULT_RULES).map((r) => [r.code, r.type])).toEqual([
      ['PRICE_BELOW_FLOOR', 'list'],
      ['PRICE_BELOW_FLOOR', 'activity'],
      ['PRICE_BELOW_FLOOR', 'session_card'],
      ['HEADROOM_TOO_SMALL', 'activity'],
      ['HEADROOM_TOO_SMALL', 'session_card'],
      ['SESSION_CARD_SESSIONS_MISSING', undefined],
    ]);
  });
});

describe('belowFloorApprovalIssues', () => {
  it('has nothing to approve when every price is at or above its floor', () => {
    expect(belowFloorApprovalIssues(facts(), DEFAULT_RULES).map((r) => r.code)).toEqual([
      'NOTHING_BELOW_FLOOR',
    ]);
  });

  it('has nothing to approve when the prices under the floor are already approved', () => {
    const prices: Price[] = [{ type: 'first_order', amountFen: 9900 }];
    const approvals = [{ type: 'first_order' as const, amountFen: 9000 }];
    expect(belowFloorApprovalIssues(facts({ prices, approvals }), DEFAULT_RULES).map((r) => r.code)).toEqual([
      'NOTHING_BELOW_FLOOR',
    ]);
  });

  it('cannot approve without costs', () => {
    expect(belowFloorApprovalIssues(facts({ costs: null }), DEFAULT_RULES).map((r) => r.code)).toEqual([
      'COSTS_MISSING',
    ]);
  });

  it('passes while a price under the floor awaits approval', () => {
    const prices: Price[] = [{ type: 'first_order', amountFen: 9900 }];
    expect(belowFloorApprovalIssues(facts({ prices }), DEFAULT_RULES)).toEqual([]);
  });
});
