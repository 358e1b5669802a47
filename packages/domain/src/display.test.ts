import { describe, expect, it } from 'vitest';
import { formatFen, formatInstant, overPromiseRanges, parseYuanToFen, shanghaiDay } from './display.js';
import { findOverPromises } from './over-promise.rules.js';

describe('formatFen', () => {
  it('shows integer fen as yuan with two decimals and thousands separators', () => {
    expect(formatFen(123456)).toBe('¥1,234.56');
    expect(formatFen(5)).toBe('¥0.05');
    expect(formatFen(-250)).toBe('-¥2.50');
    expect(formatFen(0, 'en')).toBe('¥0.00');
  });
});

describe('parseYuanToFen', () => {
  it('reads what people type as fen and refuses what is not an amount', () => {
    expect(parseYuanToFen('1,234.5')).toBe(123450);
    expect(parseYuanToFen('¥88')).toBe(8800);
    expect(parseYuanToFen('0.07')).toBe(7);
    expect(parseYuanToFen('1.234')).toBeUndefined();
    expect(parseYuanToFen('abc')).toBeUndefined();
  });
});

describe('Asia/Shanghai days', () => {
  it('puts an instant late in the UTC day on the next Shanghai day', () => {
    expect(shanghaiDay('2026-11-30T16:30:00Z')).toBe('2026-12-01');
    expect(shanghaiDay('2026-11-30T15:59:00Z')).toBe('2026-11-30');
    expect(formatInstant('2026-11-30T16:30:00Z')).toBe('2026-12-01 00:30');
  });
});

describe('overPromiseRanges', () => {
  it('marks every banned term the packaging gate finds, merged where they overlap', () => {
    const text = '效果永久，100%无副作用, best in town';
    const ranges = overPromiseRanges(text);
    expect(ranges.map((r) => text.slice(r.start, r.end))).toEqual(['永久', '100%', '无副作用', 'best']);
    expect(
      findOverPromises({ efficacy: text })
        .map((f) => f.term)
        .sort(),
    ).toEqual([...new Set(ranges.map((r) => r.term))].sort());
  });
  it('finds nothing in plain copy', () => {
    expect(overPromiseRanges('温和改善肤质，效果因人而异')).toEqual([]);
  });
});
