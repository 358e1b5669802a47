import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../rules.js';
import { detectStageStalled } from './stage-stalled.detector.js';

describe('detectStageStalled', () => {
  it('fires after more than 14 days in pricing', () => {
    const detection = detectStageStalled(
      { stage: 'pricing', enteredAt: '2026-11-01', asOf: '2026-11-16' },
      DEFAULT_RULES,
    );
    expect(detection).toMatchObject({ status: 'fired', evidence: { daysInStage: 15, maxDays: 14 } });
  });

  it('does not fire on exactly the limit', () => {
    const detection = detectStageStalled(
      { stage: 'pricing', enteredAt: '2026-11-01', asOf: '2026-11-15' },
      DEFAULT_RULES,
    );
    expect(detection.status).toBe('clear');
  });

  it.each(['monitoring', 'retirement', 'retired', 'rejected'] as const)('never fires in %s', (stage) => {
    const detection = detectStageStalled(
      { stage, enteredAt: '2024-01-01', asOf: '2026-11-15' },
      DEFAULT_RULES,
    );
    expect(detection.status).toBe('clear');
  });
});
