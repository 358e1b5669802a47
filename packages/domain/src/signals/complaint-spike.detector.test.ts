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
