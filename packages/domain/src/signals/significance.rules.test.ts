import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../rules.js';
import { describeChance, formatPValue, tightenedSignificance, tighteningFor } from './significance.rules.js';

describe('tighteningFor', () => {
  it('earns a level every tightenAfter false alarms, up to maxLevel', () => {
    const levels = [0, 1, 2, 3, 4, 5, 6, 7, 20].map((n) => tighteningFor(n, DEFAULT_RULES).level);
    expect(levels).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 3]);
    expect(tighteningFor(5, DEFAULT_RULES)).toEqual({ level: 2, falseAlarms: 5 });
  });
});

describe('tightenedSignificance', () => {
  it('multiplies the significance by the factor per level, and leaves it alone without one', () => {
    expect(tightenedSignificance(0.005, undefined, DEFAULT_RULES)).toBe(0.005);
    expect(tightenedSignificance(0.005, { level: 0, falseAlarms: 1 }, DEFAULT_RULES)).toBe(0.005);
    expect(tightenedSignificance(0.005, { level: 2, falseAlarms: 4 }, DEFAULT_RULES)).toBeCloseTo(0.0002, 15);
  });
});

describe('words for a p-value', () => {
  it('reads as people say it', () => {
    expect(formatPValue(0.0123)).toBe('0.0123');
    expect(formatPValue(0.000412)).toBe('4.12e-4');
    expect(formatPValue(1e-15)).toBe('< 1e-12');
    expect(describeChance(0.0004)).toBe('a drop this large happens by chance about 1 time in 2,500');
    expect(describeChance(0.7)).toBe('a drop this large is ordinary');
    expect(describeChance(1e-12, 'so many')).toBe('so many practically never happens by chance');
  });
});
