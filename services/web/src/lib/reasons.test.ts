import { describe, expect, it } from 'vitest';
import { interpolate, reasonToWords } from './reasons';

describe('reasonToWords', () => {
  it('says a gate reason in Chinese with the domain labels of its details', () => {
    expect(
      reasonToWords(
        { code: 'OVER_PROMISE', message: 'x', field: 'efficacy', term: '永久', excerpt: '效果永久' },
        'zh-CN',
      ),
    ).toBe('「功效」含违规用语「永久」：效果永久');
    expect(
      reasonToWords(
        { code: 'PRICE_BELOW_FLOOR', message: 'x', type: 'flash_sale', amountFen: 9900, floorFen: 12000 },
        'zh-CN',
      ),
    ).toBe('秒杀价 ¥99.00 低于底价 ¥120.00，且未经总监批准。');
    expect(reasonToWords({ code: 'COMPETITOR_PRICES_TOO_FEW', message: 'x', have: 1, need: 3 }, 'en')).toBe(
      'Too few competitor prices: 1, at least 3 needed.',
    );
  });
  it('falls back to the API sentence for a code it does not know', () => {
    expect(reasonToWords({ code: 'NEW_RULE', message: 'A new rule refused it.' }, 'zh-CN')).toBe(
      'A new rule refused it.',
    );
  });
});

describe('interpolate', () => {
  it('fills placeholders and leaves unknown ones empty', () => {
    expect(interpolate('{{a}}-{{b}}', { a: 1 })).toBe('1-');
  });
});
