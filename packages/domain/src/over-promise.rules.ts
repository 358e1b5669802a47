import type { Reason } from './errors.js';
import { CLAIM_FIELDS, type Sheet, type SheetTextField } from './vocabulary.js';

/** One banned claim: `term` is what reports name, `pattern` what it matches (variants included). */
export interface OverPromiseTerm {
  readonly term: string;
  readonly language: 'zh' | 'en';
  readonly pattern: RegExp;
}

const zh = (term: string, ...variants: string[]): OverPromiseTerm => ({
  term,
  language: 'zh',
  pattern: new RegExp([term, ...variants].map(escapeRegExp).join('|'), 'u'),
});

// English terms match whole words, case-insensitively: "firstly" and "bestow" are not claims.
// A hyphen is a word boundary, so "first-time" and "best-selling" are flagged, as 第一次 is in Chinese.
const en = (term: string, source: string): OverPromiseTerm => ({
  term,
  language: 'en',
  pattern: new RegExp(`\\b(?:${source})\\b`, 'iu'),
});

/**
 * The absolute and guarantee claims Chinese advertising law bans in medical-aesthetic copy
 * (DOMAIN.md "Over-promise check"), with their obvious spellings. Chinese terms match anywhere
 * (Chinese has no word boundaries), so 最 also flags 最近; the compliance officer rephrases.
 */
export const OVER_PROMISE_TERMS: readonly OverPromiseTerm[] = [
  zh('最'),
  zh('第一'),
  zh('国家级'),
  {
    term: '100%',
    language: 'zh',
    pattern: /(?<!\d)100\s*[%％]|百分之百|百分百/u,
  },
  zh('永久'),
  zh('根治'),
  zh('无副作用', '零副作用', '无任何副作用'),
  zh('零风险'),
  zh('无痛'),
  zh('保证'),
  zh('立竿见影'),
  en('best', 'best'),
  en('first', 'first'),
  en('permanent', 'permanent|permanently'),
  en('guaranteed', 'guarantee|guarantees|guaranteed'),
  en('risk-free', 'risk[\\s-]*free|no\\s+risks?|zero\\s+risks?'),
  en('no side effects', 'no\\s+side[\\s-]*effects?|side[\\s-]*effect[\\s-]*free'),
  en('painless', 'painless|painlessly|pain[\\s-]*free'),
];

/** Where an over-promise term was found: the sheet field, the listed term and the text around it. */
export interface OverPromiseFinding {
  readonly field: SheetTextField;
  readonly term: string;
  readonly excerpt: string;
}

const EXCERPT_RADIUS = 12;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function excerptAround(text: string, index: number, length: number): string {
  const start = Math.max(0, index - EXCERPT_RADIUS);
  const end = Math.min(text.length, index + length + EXCERPT_RADIUS);
  return `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
}

/**
 * Every over-promise term in the claim fields ({@link CLAIM_FIELDS}) of a sheet: one finding per
 * field and term, with an excerpt around its first occurrence. Other fields are not read.
 */
export function findOverPromises(sheet: Sheet): OverPromiseFinding[] {
  const findings: OverPromiseFinding[] = [];
  for (const field of CLAIM_FIELDS) {
    const text = sheet[field];
    if (text === undefined || text === '') continue;
    for (const { term, pattern } of OVER_PROMISE_TERMS) {
      const match = pattern.exec(text);
      if (match) {
        findings.push({ field, term, excerpt: excerptAround(text, match.index, match[0].length) });
      }
    }
  }
  return findings;
}

/** {@link findOverPromises} as gate reasons: one `OVER_PROMISE` with `field`, `term`, `excerpt` each. */
export function overPromiseIssues(sheet: Sheet): Reason[] {
  return findOverPromises(sheet).map(({ field, term, excerpt }) => ({
    code: 'OVER_PROMISE',
    field,
    term,
    excerpt,
    message: `The sheet field "${field}" makes a banned claim ("${term}"): ${excerpt}`,
  }));
}
