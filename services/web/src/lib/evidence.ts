import { evidenceText, formatDay, formatFen, type DisplayLocale } from '@tower/domain';
import { en } from '../locales/en';
import { zhCN } from '../locales/zh-CN';

const MESSAGES = { 'zh-CN': zhCN, en } as const;

/** One fact behind a piece of evidence: its name in the person's words and its value as text. */
export interface EvidenceFact {
  key: string;
  label: string;
  value: string;
}

/** A piece of a task's evidence as the task page shows it. */
export interface EvidenceView {
  /** The day it was recorded for, in words. */
  day: string;
  /** The sentence in the person's language; the stored English summary only when the evidence has no wording. */
  text: string | undefined;
  facts: EvidenceFact[];
}

function valueText(key: string, value: unknown, locale: DisplayLocale): string {
  if (typeof value === 'number' && /Fen$/.test(key)) return formatFen(value, locale);
  if (typeof value === 'number' && /Percent$/i.test(key)) return `${Math.round(value * 10) / 10} %`;
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string')
    return /^\d{4}-\d{2}-\d{2}$/.test(value) ? formatDay(value, lang(locale)) : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

const lang = (locale: DisplayLocale) => (locale === 'zh-CN' ? 'zh' : 'en');

/**
 * A task's evidence entry in the person's language: the sentence from the evidence's structured fields
 * (the domain's wording per signal), its facts labelled; `branchName` names the branches it mentions.
 */
export function evidenceView(
  signal: string,
  entry: { firedOn: string; data: unknown },
  locale: DisplayLocale,
  branchName?: (id: string) => string | undefined,
): EvidenceView {
  const data =
    typeof entry.data === 'object' && entry.data !== null
      ? (entry.data as Record<string, unknown>)
      : { value: entry.data };
  const { summary, ...facts } = data;
  const labels = MESSAGES[locale].evidenceFacts as Record<string, string>;
  const worded = evidenceText(signal, data, lang(locale), branchName ? { branchName } : {});
  return {
    day: formatDay(entry.firedOn, lang(locale)),
    text: worded ?? (typeof summary === 'string' ? summary : undefined),
    facts: Object.entries(facts).map(([key, value]) => ({
      key,
      label: labels[key] ?? key,
      value: valueText(key, value, locale),
    })),
  };
}
