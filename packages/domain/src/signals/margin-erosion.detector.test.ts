import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../rules.js';
import { addDays, eachDay } from './dates.js';
import { detectCostChangeErosion, detectMarginErosion } from './margin-erosion.detector.js';

const AS_OF = '2026-11-15';

describe('detectMarginErosion', () => {
  it('fires when the 14-day realised average price is below the floor', () => {
    const daily = eachDay(addDays(AS_OF, -13), AS_OF).map((date) => ({
      date,
      units: 2,
      revenueFen: 2 * 95_000,
    }));
    const detection = detectMarginErosion({ asOf: AS_OF, floorFen: 100_000, daily }, DEFAULT_RULES);
    expect(detection).toMatchObject({
      status: 'fired',
      evidence: {
        window: { from: '2026-11-02', to: AS_OF },
        units: 28,
        revenueFen: 28 * 95_000,
        averagePriceFen: 95_000,
        floorFen: 100_000,
      },
    });
  });

  it('does not fire at exactly the floor, and ignores cheap sales before the window', () => {
    const daily = [
      { date: '2026-10-01', units: 50, revenueFen: 50 * 10_000 },
      { date: '2026-11-10', units: 3, revenueFen: 300_000 },
    ];
    expect(detectMarginErosion({ asOf: AS_OF, floorFen: 100_000, daily }, DEFAULT_RULES).status).toBe(
      'clear',
    );
  });

  it('says nothing without sales in the window', () => {
    expect(detectMarginErosion({ asOf: AS_OF, floorFen: 100_000, daily: [] }, DEFAULT_RULES).status).toBe(
      'insufficient_data',
    );
  });
});

describe('detectCostChangeErosion', () => {
  it('lists every price now under the floor', () => {
    const detection = detectCostChangeErosion({
      floorFen: 100_000,
      prices: [
        { type: 'list', amountFen: 180_000 },
        { type: 'activity', amountFen: 99_000 },
        { type: 'flash_sale', amountFen: 80_000 },
      ],
    });
    expect(detection).toMatchObject({
      status: 'fired',
      evidence: {
        pricesUnderFloor: [
          { type: 'activity', amountFen: 99_000, shortFen: 1_000 },
          { type: 'flash_sale', amountFen: 80_000, shortFen: 20_000 },
        ],
      },
    });
  });

  it('does not fire for a price the director approved below the floor', () => {
    const detection = detectCostChangeErosion({
      floorFen: 100_000,
      prices: [
        { type: 'list', amountFen: 180_000 },
        { type: 'first_order', amountFen: 50_000, approvedBelowFloor: true },
      ],
    });
    expect(detection).toMatchObject({
      status: 'clear',
      evidence: { approvedBelowFloor: [{ type: 'first_order' }] },
    });
  });
});
