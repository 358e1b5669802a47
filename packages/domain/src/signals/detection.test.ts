import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../rules.js';
import { SIGNALS } from '../vocabulary.js';
import { SIGNAL_DETECTORS, canAutoResolve } from './detection.js';
import * as signals from './index.js';

const clearDetection = { status: 'clear', evidence: { summary: 'fine' } } as const;

describe('canAutoResolve', () => {
  it('resolves a task whose condition has been clear for 14 days since it last fired', () => {
    expect(
      canAutoResolve(
        { signal: 'sales_dip', detection: clearDetection, lastFiredOn: '2026-11-01', asOf: '2026-11-15' },
        DEFAULT_RULES,
      ),
    ).toBe(true);
  });

  it('waits while fewer than 14 days have passed', () => {
    expect(
      canAutoResolve(
        { signal: 'sales_dip', detection: clearDetection, lastFiredOn: '2026-11-02', asOf: '2026-11-15' },
        DEFAULT_RULES,
      ),
    ).toBe(false);
  });

  it('does not treat insufficient data as clear', () => {
    const detection = { status: 'insufficient_data', reason: 'holiday week' } as const;
    expect(
      canAutoResolve(
        { signal: 'sales_dip', detection, lastFiredOn: '2026-10-01', asOf: '2026-11-15' },
        DEFAULT_RULES,
      ),
    ).toBe(false);
  });

  it('never auto-resolves a severe complaint', () => {
    expect(
      canAutoResolve(
        {
          signal: 'severe_complaint',
          detection: clearDetection,
          lastFiredOn: '2026-01-01',
          asOf: '2026-11-15',
        },
        DEFAULT_RULES,
      ),
    ).toBe(false);
  });

  it('describes a detector for every signal', () => {
    expect(Object.keys(SIGNAL_DETECTORS).sort()).toEqual([...SIGNALS].sort());
    for (const info of Object.values(SIGNAL_DETECTORS)) {
      expect(typeof (signals as Record<string, unknown>)[info.detector]).toBe('function');
    }
  });
});
