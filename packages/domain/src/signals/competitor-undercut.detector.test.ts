import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../rules.js';
import { detectCompetitorUndercut } from './competitor-undercut.detector.js';

describe('detectCompetitorUndercut', () => {
  it('fires on a competitor exactly 20 % below our price and lists only the undercuts', () => {
    const detection = detectCompetitorUndercut(
      {
        ourPriceFen: 100_000,
        observations: [
          { competitor: 'A', priceFen: 80_000, observedAt: '2026-11-10', platform: 'meituan' },
          { competitor: 'B', priceFen: 81_000, observedAt: '2026-11-10' },
        ],
      },
      DEFAULT_RULES,
    );
    expect(detection).toMatchObject({
      status: 'fired',
      evidence: {
        undercuts: [{ competitor: 'A', platform: 'meituan', priceFen: 80_000, belowPercent: 20 }],
        competitorsCompared: 2,
      },
    });
  });

  it('does not fire on a competitor 19 % below', () => {
    const detection = detectCompetitorUndercut(
      {
        ourPriceFen: 100_000,
        observations: [{ competitor: 'B', priceFen: 81_000, observedAt: '2026-11-10' }],
      },
      DEFAULT_RULES,
    );
    expect(detection.status).toBe('clear');
  });

  it('judges each competitor by its latest observation', () => {
    const detection = detectCompetitorUndercut(
      {
        ourPriceFen: 100_000,
        observations: [
          { competitor: 'A', priceFen: 70_000, observedAt: '2026-11-01' },
          { competitor: 'A', priceFen: 95_000, observedAt: '2026-11-12' },
        ],
      },
      DEFAULT_RULES,
    );
    expect(detection.status).toBe('clear');
  });

  it('says nothing without observations', () => {
    expect(detectCompetitorUndercut({ ourPriceFen: 100_000, observations: [] }, DEFAULT_RULES).status).toBe(
      'insufficient_data',
    );
  });
});
