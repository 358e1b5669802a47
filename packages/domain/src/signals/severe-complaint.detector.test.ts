import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../rules.js';
import { detectSevereComplaint } from './severe-complaint.detector.js';

describe('detectSevereComplaint', () => {
  it.each(['adverse_reaction', 'medical_dispute'] as const)(
    'fires on a single %s complaint, even of low severity',
    (category) => {
      const detection = detectSevereComplaint(
        { complaintId: 'c-1', category, severity: 'low', occurredAt: '2026-11-15' },
        DEFAULT_RULES,
      );
      expect(detection).toMatchObject({
        status: 'fired',
        evidence: { complaintId: 'c-1', category, severity: 'low', occurredAt: '2026-11-15' },
      });
    },
  );

  it('does not fire on a service complaint, even a critical one', () => {
    const detection = detectSevereComplaint(
      { complaintId: 'c-2', category: 'service', severity: 'critical', occurredAt: '2026-11-15' },
      DEFAULT_RULES,
    );
    expect(detection.status).toBe('clear');
  });

  it('follows the configured categories', () => {
    const rules = { ...DEFAULT_RULES, severeComplaint: { categories: ['price'] } };
    const input = {
      complaintId: 'c-3',
      category: 'price',
      severity: 'medium',
      occurredAt: '2026-11-15',
    } as const;
    expect(detectSevereComplaint(input, rules).status).toBe('fired');
  });
});
