import { describe, expect, it } from 'vitest';
import {
  convertRow,
  csvLine,
  detectTextEncoding,
  DuplicateFinder,
  excelSerialToDay,
  guessMapping,
  IMPORT_PROBLEM_WORDS,
  mappingProblems,
  parseCount,
  parseDay,
  parseInstant,
  parseMonth,
  problemText,
  RefIndex,
  refusedProblemsLine,
  refusedProblemsText,
  worded,
  resolveMapping,
  yuanToFen,
} from './index.js';

const value = <T>(parsed: { ok: true; value: T } | { ok: false; message: string }) =>
  parsed.ok ? parsed.value : `!${parsed.message}`;

describe('yuanToFen', () => {
  it('shifts the digits exactly, with no floating point', () => {
    expect(value(yuanToFen('1980.50'))).toBe(198_050);
    expect(value(yuanToFen('1,980.5'))).toBe(198_050);
    expect(value(yuanToFen('¥12,345,678.09'))).toBe(1_234_567_809);
    expect(value(yuanToFen('0.1'))).toBe(10);
    expect(value(yuanToFen('0.29'))).toBe(29); // 0.29 * 100 = 28.999999999999996 in floating point
    expect(value(yuanToFen('1980元'))).toBe(198_000);
    expect(value(yuanToFen('.5'))).toBe(50);
    expect(value(yuanToFen('3.100'))).toBe(310);
  });

  it('refuses fractions of a fen, negatives, words and absurd amounts', () => {
    expect(value(yuanToFen('1.005'))).toMatch(/more than 2 decimals/);
    expect(value(yuanToFen('-5'))).toMatch(/negative/);
    expect(value(yuanToFen('abc'))).toMatch(/not an amount/);
    expect(value(yuanToFen('1e5'))).toMatch(/not an amount/);
    expect(value(yuanToFen('10000000000000'))).toMatch(/more than/);
    expect(value(yuanToFen('0', { positive: true }))).toMatch(/more than 0/);
  });
});

describe('parseDay', () => {
  it('reads the usual Chinese spellings and Excel serials as the same day', () => {
    for (const spelling of [
      '2026/11/3',
      '2026-11-03',
      '2026年11月3日',
      '46329',
      '2026.11.3',
      '20261103',
      '2026-11-03 14:20:00',
    ]) {
      expect(value(parseDay(spelling)), spelling).toBe('2026-11-03');
    }
    expect(excelSerialToDay(46329.75)).toBe('2026-11-03');
    expect(value(parseDay('2024/2/29'))).toBe('2024-02-29');
  });

  it('refuses days that do not exist and text that is no date', () => {
    expect(value(parseDay('2026-02-30'))).toMatch(/not a calendar day/);
    expect(value(parseDay('2026/13/1'))).toMatch(/not a calendar day/);
    expect(value(parseDay('next tuesday'))).toMatch(/not a date/);
    expect(value(parseDay('123'))).toMatch(/not a date/);
  });

  it('reads instants in Shanghai time unless an offset is given, and months', () => {
    expect(value(parseInstant('2026-11-03 14:20'))).toBe('2026-11-03T14:20:00+08:00');
    expect(value(parseInstant('2026年11月3日'))).toBe('2026-11-03T00:00:00+08:00');
    expect(value(parseInstant('2026-11-03T06:20:00Z'))).toBe('2026-11-03T06:20:00Z');
    expect(value(parseMonth('2026年11月'))).toBe('2026-11');
    expect(value(parseMonth('2026/11'))).toBe('2026-11');
    expect(value(parseMonth('2026-11-15'))).toBe('2026-11');
  });

  it('reads whole counts', () => {
    expect(value(parseCount('1,234'))).toBe(1234);
    expect(value(parseCount('12.0'))).toBe(12);
    expect(value(parseCount('1.5'))).toMatch(/whole number/);
  });
});

describe('guessMapping', () => {
  it('maps Chinese export headers, units in brackets and all', () => {
    const headers = [
      '销售日期',
      '门店',
      '项目名称',
      '数量',
      '实收金额（元）',
      '订单数',
      '老客订单数',
      '渠道',
    ];
    expect(guessMapping('sales', headers)).toEqual({
      date: '销售日期',
      branch: '门店',
      product: '项目名称',
      units: '数量',
      revenue: '实收金额（元）',
      orders: '订单数',
      returningOrders: '老客订单数',
      channel: '渠道',
    });
  });

  it('maps English headers and gives a contained name to the longest match', () => {
    expect(
      guessMapping('sales', [
        'Date',
        'Branch Code',
        'Product',
        'Units',
        'Revenue',
        'Orders',
        'Returning orders',
      ]),
    ).toMatchObject({
      date: 'Date',
      branch: 'Branch Code',
      returningOrders: 'Returning orders',
      orders: 'Orders',
    });
    expect(
      guessMapping('sales', ['日期', '院区', '项目', '数量', '实收', '总订单数量', '老客订单总数']),
    ).toMatchObject({
      orders: '总订单数量',
      returningOrders: '老客订单总数',
    });
  });

  it('names every problem of a mapping', () => {
    const problems = mappingProblems('sales', ['日期', '院区'], {
      date: '日期',
      branch: '日期',
      colour: '院区',
      units: 'Qty',
    });
    expect(problems.map((p) => p.field).sort()).toEqual(
      ['branch', 'colour', 'orders', 'product', 'revenue', 'units'].sort(),
    );
  });
});

describe('convertRow', () => {
  const lookups = {
    products: new RefIndex([
      { id: 'p-1', name: '热玛吉 FLX' },
      { id: 'p-2', name: '水光针' },
      { id: 'p-3', name: '水光针' },
    ]),
    branches: new RefIndex([{ id: 'b-1', code: 'SH01', name: '上海静安院区' }]),
  };
  const headers = ['日期', '院区', '项目', '数量', '实收', '订单数', '老客订单'];
  const mapping = resolveMapping(headers, guessMapping('sales', headers));

  it('gives the record as the ingest command stores it', () => {
    const row = convertRow(
      'sales',
      headers,
      ['2026年11月3日', 'sh01', '热玛吉  flx', '3', '5,940.50', '3', '1'],
      mapping,
      lookups,
    );
    expect(row).toEqual({
      record: {
        date: '2026-11-03',
        branchId: 'b-1',
        productId: 'p-1',
        units: 3,
        revenueFen: 594_050,
        orders: 3,
        returningOrders: 1,
      },
      problems: [],
    });
  });

  it('names each problem by column, and guesses no ambiguous or unknown product', () => {
    const row = convertRow(
      'sales',
      headers,
      ['2026-02-30', '北京院区', '水光针', '-1', '1.001', '', '2'],
      mapping,
      lookups,
    );
    expect(row.record).toBeUndefined();
    expect(row.problems.map((p) => p.column)).toEqual(['日期', '院区', '项目', '数量', '实收', '订单数']);
    expect(row.problems[2]!.message).toMatch(/more than one product/);
    const unknown = convertRow(
      'sales',
      headers,
      ['2026-11-03', 'SH01', '超声炮', '1', '1', '1', '2'],
      mapping,
      lookups,
    );
    expect(unknown.problems).toEqual([
      {
        column: '项目',
        code: 'UNKNOWN_PRODUCT',
        params: { text: '超声炮' },
        message: 'no product with this code or name: "超声炮"',
      },
      {
        column: '老客订单',
        code: 'RETURNING_EXCEEDS_ORDERS',
        message: 'returning orders cannot exceed orders',
      },
    ]);
  });

  it('words each problem in Chinese too, from its code and parameters', () => {
    const row = convertRow(
      'sales',
      headers,
      ['2026年13月1日', 'SH01', '超声炮', '1', '1.001', '1', '2'],
      mapping,
      lookups,
    );
    expect(row.problems.map((p) => problemText(p, 'zh'))).toEqual([
      '不是 2000 至 2100 年之间的真实日期',
      '没有编码或名称为“超声炮”的项目',
      '小数超过两位（最小单位是分）',
      '老客订单数不能超过订单数',
    ]);
    expect(row.problems.map((p) => problemText(p, 'en'))).toEqual(row.problems.map((p) => p.message));
    // every code has both texts, with the same parameters
    for (const [code, word] of Object.entries(IMPORT_PROBLEM_WORDS)) {
      const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(names(word.zh), code).toEqual(names(word.en));
    }
    // a stored problem without a code keeps its text
    expect(problemText({ message: 'older text' }, 'zh')).toBe('older text');
  });

  it('names the kind of a mapping’s unknown field by its word, the fields by theirs in Chinese', () => {
    const [problem] = mappingProblems('competitor-prices', ['竞品', '价格'], {
      competitor: '竞品',
      price: '价格',
      colour: '价格',
    }).filter((p) => p.code === 'NOT_A_FIELD');
    expect(problemText(problem!, 'zh')).toMatch(/^不是竞品价格导入的字段（可用字段：项目、竞品、价格（元）/);
    expect(problemText(problem!, 'en')).toMatch(
      /^is not a field of competitor prices imports \(fields: product, competitor, price/,
    );
    expect(problem!.message).toBe(problemText(problem!, 'en'));
  });

  it('words a refused row’s stored problems in each language, an older plain line as it is', () => {
    const line = refusedProblemsLine([
      { column: '数量', ...worded('NOT_WHOLE') },
      { column: 'product', code: 'NO_SUCH_PRODUCT', message: 'no such product' },
    ]);
    const name = (column: string) => (column === 'product' ? '项目名称' : column);
    expect(refusedProblemsText(line, 'zh', name)).toBe('数量：不是整数；项目名称：没有这个项目');
    expect(refusedProblemsText(line, 'en', name)).toBe(
      '数量: is not a whole number; 项目名称: no such product',
    );
    expect(refusedProblemsText('units: is odd', 'zh')).toBe('units: is odd');
  });

  it('finds a row repeating the fact of an earlier one', () => {
    const finder = new DuplicateFinder('sales');
    const record = {
      productId: 'p-1',
      branchId: 'b-1',
      date: '2026-11-03',
      units: 1,
      revenueFen: 1,
      orders: 1,
    };
    expect(finder.check(record, 2)).toBeUndefined();
    expect(finder.check({ ...record, date: '2026-11-04' }, 3)).toBeUndefined();
    expect(finder.check({ ...record, units: 9 }, 4)).toBe(2);
    expect(finder.check({ ...record, channel: 'meituan' }, 5)).toBeUndefined();
  });

  it('answers as a map of every fact seen would, past many growths of its table', () => {
    const finder = new DuplicateFinder('sales');
    const first = new Map<string, number>();
    let seed = 7;
    const next = (n: number) => ((seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) >>> 16) % n;
    for (let row = 2; row < 60_000; row++) {
      const record = {
        productId: `p-${next(300)}`,
        branchId: `b-${next(40)}`,
        date: `2026-11-${String(next(28) + 1).padStart(2, '0')}`,
        ...(next(3) === 0 ? { channel: 'meituan' } : {}),
        units: 1,
        revenueFen: 1,
        orders: 1,
      };
      const key = `${record.productId}|${record.branchId}|${record.date}|${record.channel ?? ''}`;
      expect(finder.check(record, row)).toBe(first.get(key));
      if (!first.has(key)) first.set(key, row);
    }
    // many distinct facts (the table grew past 2^15 slots) and many repeats
    expect(first.size).toBeGreaterThan(30_000);
    expect(first.size).toBeLessThan(59_000);
  });

  it('keeps finding repeats once a part of the facts has more than 65,536 values', () => {
    const finder = new DuplicateFinder('complaints');
    const complaint = (n: number) => ({ externalId: `c-${n}`, text: 'x' });
    for (let n = 0; n < 70_000; n++) expect(finder.check(complaint(n), n + 2)).toBeUndefined();
    expect(finder.check(complaint(3), 80_000)).toBe(5);
    expect(finder.check(complaint(69_999), 80_001)).toBe(70_001);
    expect(finder.check(complaint(70_000), 80_002)).toBeUndefined();
  });
});

describe('text', () => {
  it('detects UTF-8 with and without BOM, and GBK', () => {
    expect(detectTextEncoding(new Uint8Array([0xef, 0xbb, 0xbf, 0x41]))).toEqual({
      encoding: 'utf-8',
      bomLength: 3,
    });
    expect(detectTextEncoding(new TextEncoder().encode('日期,院区'))).toEqual({
      encoding: 'utf-8',
      bomLength: 0,
    });
    // 日期 in GBK
    expect(detectTextEncoding(new Uint8Array([0xc8, 0xd5, 0xc6, 0xda]))).toEqual({
      encoding: 'gb18030',
      bomLength: 0,
    });
    // a UTF-8 character cut by the end of the sample is still UTF-8
    expect(detectTextEncoding(new TextEncoder().encode('日期').slice(0, 5)).encoding).toBe('utf-8');
  });

  it('quotes CSV cells and defuses formulas', () => {
    expect(csvLine(['a,b', 'say "hi"', '=SUM(A1)', -3, '12'])).toBe('"a,b","say ""hi""",\'=SUM(A1),-3,12');
  });
});
