import { describe, expect, it } from 'vitest';
import { FIELD_PROBLEM_WORDS, fieldProblem, fieldProblemText } from './field-problems.js';

describe('fieldProblemText', () => {
  it('says a schema problem in Chinese with its parameters, types and formats in words', () => {
    expect(fieldProblemText({ code: 'MINIMUM', params: { limit: 1 } }, 'zh')).toBe('不能小于 1');
    expect(fieldProblemText({ code: 'WRONG_TYPE', params: { type: 'integer' } }, 'zh')).toBe('必须是整数');
    expect(fieldProblemText({ code: 'WRONG_TYPE', params: { type: 'string,null' } }, 'zh')).toBe(
      '必须是文本或空值',
    );
    expect(fieldProblemText({ code: 'FORMAT', params: { format: 'email' } }, 'zh')).toBe(
      '不是有效的邮箱地址',
    );
    expect(fieldProblemText({ code: 'FORMAT', params: { format: 'email' } }, 'en')).toBe(
      'must match format "email"',
    );
  });

  it('keeps the API’s text for a code it does not know, or none', () => {
    expect(fieldProblemText({ code: 'FROM_A_LATER_BUILD', message: 'is odd' }, 'zh')).toBe('is odd');
    expect(fieldProblemText({ message: 'is odd' }, 'zh')).toBe('is odd');
  });

  it('has words in both languages for every code, the same parameters in each', () => {
    for (const [code, word] of Object.entries(FIELD_PROBLEM_WORDS)) {
      const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(word.zh, code).not.toBe('');
      // The Chinese text may leave out a parameter (a pattern is not shown), never invent one.
      for (const name of names(word.zh)) expect(names(word.en), code).toContain(name);
    }
  });

  it('builds a problem whose message is the English text', () => {
    expect(fieldProblem('/items/3/title', 'TEMPLATE_ITEM_REPEATED', { item: 1 })).toEqual({
      field: '/items/3/title',
      code: 'TEMPLATE_ITEM_REPEATED',
      params: { item: 1 },
      message: 'repeats item 1 (same owner role and title)',
    });
  });
});
