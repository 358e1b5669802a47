import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../rules.js';
import { detectComplaintSpike } from './complaint-spike.detector.js';

const AS_OF = '2026-11-15';

describe('detectComplaintSpike', () => {
  it('fires on 3 complaints within 7 days', () => {
    const detection = detectComplaintSpike(
      { asOf: AS_OF, complaintDates: ['2026-11-09', '2026-11-12', '2026-11-15'], ordersInRateWindow: 10 },
      DEFAULT_RULES,
    );
    expect(detection).toMatchObject({
      status: 'fired',
      evidence: {
        countWindow: { from: '2026-11-09', to: AS_OF },
        complaintsInCountWindow: 3,
        firedOn: ['count'],
        summary: '3 complaints in the 7 days to 2026-11-15',
      },
    });
  });

  it('does not fire when the third complaint is 8 days old', () => {
    const detection = detectComplaintSpike(
      { asOf: AS_OF, complaintDates: ['2026-11-08', '2026-11-12', '2026-11-15'], ordersInRateWindow: 10 },
      DEFAULT_RULES,
    );
    expect(detection.status).toBe('clear');
  });

  it('fires on 3 complaints per 100 orders over 30 days', () => {
    const detection = detectComplaintSpike(
      { asOf: AS_OF, complaintDates: ['2026-10-17', '2026-10-25', '2026-11-01'], ordersInRateWindow: 100 },
      DEFAULT_RULES,
    );
    expect(detection).toMatchObject({
      status: 'fired',
      evidence: { complaintsInRateWindow: 3, ratePer100Orders: 3, firedOn: ['rate'] },
    });
  });

  it('does not judge a rate on too few orders', () => {
    const detection = detectComplaintSpike(
      { asOf: AS_OF, complaintDates: ['2026-10-20', '2026-11-01'], ordersInRateWindow: 20 },
      DEFAULT_RULES,
    );
    expect(detection).toMatchObject({ status: 'clear', evidence: { rateJudged: false } });
  });

  it('ignores complaints after asOf and before the rate window', () => {
    const detection = detectComplaintSpike(
      {
        asOf: AS_OF,
        complaintDates: ['2026-10-15', '2026-11-16', '2026-11-17', '2026-11-14'],
        ordersInRateWindow: 200,
      },
      DEFAULT_RULES,
    );
    expect(detection).toMatchObject({ status: 'clear', evidence: { complaintsInRateWindow: 1 } });
  });
});

describe("detectComplaintSpike against the branch's own rate per order", () => {
  const three = ['2026-11-09', '2026-11-12', '2026-11-15'];

  it('three complaints in a week are ordinary at a branch that always has about three a week', () => {
    // 78 complaints in 4,000 orders over the 180 days before; 160 orders this week: 3.1 expected.
    const detection = detectComplaintSpike(
      {
        asOf: AS_OF,
        complaintDates: three,
        ordersInRateWindow: 700,
        ownRate: { complaints: 78, orders: 4000, ordersInCountWindow: 160 },
      },
      DEFAULT_RULES,
    );
    expect(detection.status).toBe('clear');
    expect(detection.status === 'clear' && detection.evidence).toMatchObject({
      complaintsInCountWindow: 3,
      ownRate: { baselineComplaints: 78, baselineOrders: 4000, expectedComplaints: 3.12, per100Orders: 2 },
    });
  });

  it('the same three fire at a branch that rarely has any, saying how unlikely they are', () => {
    const detection = detectComplaintSpike(
      {
        asOf: AS_OF,
        complaintDates: three,
        ordersInRateWindow: 700,
        ownRate: { complaints: 2, orders: 4000, ordersInCountWindow: 160 },
      },
      DEFAULT_RULES,
    );
    expect(detection.status).toBe('fired');
    const evidence = detection.status === 'fired' ? detection.evidence : undefined;
    // P(X ≥ 3) for X ~ Bin(5, 160/4160): the window's share of the five complaints.
    const share = 160 / 4160;
    const tail = 10 * share ** 3 * (1 - share) ** 2 + 5 * share ** 4 * (1 - share) + share ** 5;
    expect((evidence!.ownRate as { pValue: number }).pValue).toBeCloseTo(Number(tail.toPrecision(3)), 10);
    expect(evidence!.summary).toMatch(
      /^3 complaints in the 7 days to 2026-11-15 against 0.08 expected at the branch's own 0.1 per 100 orders \(2 in 4000 orders over the 180 days before\); so many happens by chance about 1 time in [\d,]+ \(p = /,
    );
  });

  it('fires exactly at the significance boundary', () => {
    const input = {
      asOf: AS_OF,
      complaintDates: three,
      ordersInRateWindow: 700,
      ownRate: { complaints: 20, orders: 4000, ordersInCountWindow: 160 },
    };
    const share = 160 / 4160;
    let p = 0;
    for (let k = 3; k <= 23; k++) {
      let choose = 1;
      for (let i = 0; i < k; i++) choose = (choose * (23 - i)) / (i + 1);
      p += choose * share ** k * (1 - share) ** (23 - k);
    }
    const at = (significance: number) => ({
      ...DEFAULT_RULES,
      complaintSpike: { ...DEFAULT_RULES.complaintSpike, significance },
    });
    expect(detectComplaintSpike(input, at(p * (1 + 1e-9))).status).toBe('fired');
    expect(detectComplaintSpike(input, at(p * (1 - 1e-6))).status).toBe('clear');
  });

  it('without baseline orders the count alone decides, as before', () => {
    const detection = detectComplaintSpike(
      {
        asOf: AS_OF,
        complaintDates: three,
        ordersInRateWindow: 10,
        ownRate: { complaints: 0, orders: 0, ordersInCountWindow: 10 },
      },
      DEFAULT_RULES,
    );
    expect(detection).toMatchObject({ status: 'fired', evidence: { firedOn: ['count'] } });
  });
});
