import { describe, expect, it } from 'vitest';
import { salesRowsInKeyOrder, type SalesRow } from './sales-daily.repository.js';

const PRODUCTS = ['0b7c0000-0000-4000-8000-000000000001', '6f2a0000-0000-4000-8000-000000000002'];
const BRANCHES = ['1a000000-0000-4000-8000-00000000000a', 'c3000000-0000-4000-8000-00000000000b'];

function row(p: number, b: number, day: number, channel: string, units: number): SalesRow {
  const date = `2026-03-${String(day).padStart(2, '0')}`;
  return {
    productId: PRODUCTS[p]!,
    branchId: BRANCHES[b]!,
    date,
    channel,
    units,
    revenueFen: units,
    orders: units,
    returningOrders: 0,
  };
}

const keyOf = (r: SalesRow) => [r.productId, r.branchId, r.date, r.channel].join('|');

/** What the order means, spelled out: the last row given for each key, keys sorted. */
function expected(rows: readonly SalesRow[]): SalesRow[] {
  const last = new Map<string, SalesRow>();
  for (const r of rows) last.set(keyOf(r), r);
  return [...last.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, r]) => r);
}

describe('sales rows in key order', () => {
  it('returns rows already in key order as they are', () => {
    const rows = [row(0, 0, 1, '', 1), row(0, 0, 2, '', 2), row(0, 1, 1, '', 3), row(1, 0, 1, '', 4)];
    expect(salesRowsInKeyOrder(rows)).toBe(rows);
  });

  it('orders a feed sent day by day by product, branch, date and channel', () => {
    const rows: SalesRow[] = [];
    for (let day = 1; day <= 3; day++)
      for (const b of [1, 0])
        for (const p of [1, 0]) for (const c of ['meituan', '']) rows.push(row(p, b, day, c, day));
    const ordered = salesRowsInKeyOrder(rows);
    expect(ordered).toEqual(expected(rows));
    expect(ordered).toHaveLength(24);
  });

  it('keeps only the last of rows naming one key, within a pair sent out of date order too', () => {
    const rows = [
      row(1, 0, 5, '', 1),
      row(0, 1, 9, '', 2),
      row(1, 0, 2, '', 3),
      row(1, 0, 5, '', 4),
      row(0, 1, 9, 'meituan', 5),
      row(0, 1, 9, '', 6),
      row(1, 0, 5, '', 7),
    ];
    const ordered = salesRowsInKeyOrder(rows);
    expect(ordered).toEqual(expected(rows));
    expect(ordered.map((r) => r.units)).toEqual([6, 5, 3, 7]);
  });
});
