import { describe, expect, it } from 'vitest';
import { findOverPromises, OVER_PROMISE_TERMS, overPromiseIssues } from './over-promise.rules.js';

const clean = {
  efficacy: 'Restores volume in the mid-face; results vary and usually last 9 to 12 months.',
  sellingPoints: '自然，恢复期短，效果因人而异',
  salesScripts: 'Explain the procedure, the recovery and the risks before the customer decides.',
  comparison: 'Softer gel than brand B at a similar price',
};

describe('findOverPromises', () => {
  it('passes clean copy in both languages', () => {
    expect(findOverPromises(clean)).toEqual([]);
  });

  it.each([
    ['最', '效果最自然的玻尿酸'],
    ['第一', '全国销量第一'],
    ['国家级', '国家级专家亲自操作'],
    ['100%', '100%满意'],
    ['永久', '永久保持年轻'],
    ['根治', '根治黄褐斑'],
    ['无副作用', '纯天然无副作用'],
    ['零风险', '零风险变美'],
    ['无痛', '全程无痛'],
    ['保证', '保证效果'],
    ['立竿见影', '效果立竿见影'],
    ['best', 'The best filler in town'],
    ['first', 'First in China to offer it'],
    ['permanent', 'Permanent results'],
    ['guaranteed', 'Results guaranteed'],
    ['risk-free', 'A risk-free treatment'],
    ['no side effects', 'With no side effects at all'],
    ['painless', 'Completely painless'],
  ])('detects "%s"', (term, text) => {
    expect(findOverPromises({ efficacy: text })).toEqual([
      expect.objectContaining({ field: 'efficacy', term }),
    ]);
  });

  it('has a test case above for every listed term', () => {
    expect(OVER_PROMISE_TERMS.map((entry) => entry.term)).toHaveLength(18);
  });

  it.each([
    ['100%', '百分之百满意'],
    ['100%', '满意度 100 %'],
    ['100%', '满意度100％'],
    ['无副作用', '零副作用'],
    ['permanent', 'Removes hair permanently'],
    ['guaranteed', 'We guarantee the result'],
    ['guaranteed', 'Satisfaction GUARANTEES'],
    ['risk-free', 'Risk free and quick'],
    ['no side effects', 'no side-effects'],
    ['painless', 'Pain-free in 20 minutes'],
    ['first', 'Our first-time customer offer'],
  ])('detects the variant of "%s" in "%s"', (term, text) => {
    expect(findOverPromises({ salesScripts: text }).map((finding) => finding.term)).toEqual([term]);
  });

  it('matches English terms case-insensitively', () => {
    expect(findOverPromises({ sellingPoints: 'BEST price, PaInLeSs' }).map((f) => f.term)).toEqual([
      'best',
      'painless',
    ]);
  });

  it('matches English terms as whole words only', () => {
    expect(
      findOverPromises({ efficacy: 'Firstly, we bestow care; permanence studies; guarantor; 1100% growth' }),
    ).toEqual([]);
  });

  it('ignores terms in fields the check does not read', () => {
    expect(
      findOverPromises({
        ...clean,
        precautions: '最好避免日晒',
        clinicalInfo: 'The best study',
        spec: '100%',
      }),
    ).toEqual([]);
  });

  it('reads every claim field and quotes the text around the term', () => {
    const findings = findOverPromises({
      efficacy: '一次治疗，效果立竿见影，无需恢复期，适合忙碌的上班族',
      sellingPoints: 'best',
      salesScripts: '保证',
      comparison: '第一',
    });
    expect(findings.map((f) => [f.field, f.term])).toEqual([
      ['efficacy', '立竿见影'],
      ['sellingPoints', 'best'],
      ['salesScripts', '保证'],
      ['comparison', '第一'],
    ]);
    expect(findings[0]?.excerpt).toBe('一次治疗，效果立竿见影，无需恢复期，适合忙碌的…');
  });

  it('reports each term once per field', () => {
    expect(findOverPromises({ efficacy: 'best of the best, 最好最美' }).map((f) => f.term)).toEqual([
      '最',
      'best',
    ]);
  });
});

describe('overPromiseIssues', () => {
  it('names the field and the term of every finding', () => {
    const reasons = overPromiseIssues({ efficacy: '永久有效', salesScripts: 'painless and permanent' });
    expect(reasons).toEqual([
      expect.objectContaining({ code: 'OVER_PROMISE', field: 'efficacy', term: '永久' }),
      expect.objectContaining({ code: 'OVER_PROMISE', field: 'salesScripts', term: 'permanent' }),
      expect.objectContaining({ code: 'OVER_PROMISE', field: 'salesScripts', term: 'painless' }),
    ]);
    expect(reasons[0]?.message).toContain('efficacy');
    expect(reasons[0]?.message).toContain('永久');
  });
});
