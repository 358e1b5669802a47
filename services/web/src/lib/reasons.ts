import { DOMAIN_LABELS, formatFen, type DisplayLocale } from '@tower/domain';
import { en } from '../locales/en';
import { zhCN } from '../locales/zh-CN';

/** A gate's reason as the API sends it in a 422 (`{code, message, ...details}`). */
export interface GateReason {
  code: string;
  message: string;
  [detail: string]: unknown;
}

const MESSAGES = { 'zh-CN': zhCN, en } as const;

/** `{{name}}` placeholders filled from `values`; unknown ones are left empty. */
export function interpolate(template: string, values: Record<string, unknown>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = values[name];
    return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  });
}

/** A gate's reason in the person's words: known codes from the locale, details as labels; else the API's sentence. */
export function reasonToWords(reason: GateReason, locale: DisplayLocale): string {
  const templates = MESSAGES[locale].reasons as Record<string, string>;
  const labels = DOMAIN_LABELS[locale];
  const template = templates[reason.code];
  if (!template) return reason.message;
  const field = typeof reason.field === 'string' ? reason.field.replace(/^\//, '') : undefined;
  const type = typeof reason.type === 'string' ? reason.type : undefined;
  return interpolate(template, {
    ...reason,
    field: field ? ((labels.sheetField as Record<string, string>)[field] ?? field) : '',
    type: type ? ((labels.priceType as Record<string, string>)[type] ?? type) : '',
    amount: money(reason.amountFen, locale),
    floor: money(reason.floorFen, locale),
    list: money(reason.listFen, locale),
    minList: money(reason.minListFen, locale),
  });
}

function money(fen: unknown, locale: DisplayLocale): string {
  return typeof fen === 'number' ? formatFen(fen, locale) : '';
}
