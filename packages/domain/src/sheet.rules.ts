import type { Reason } from './errors.js';
import { SHEET_TEXT_FIELDS, type Sheet } from './vocabulary.js';

function isBlank(value: string | undefined): boolean {
  return value === undefined || value.trim() === '';
}

function hasEntries(list: readonly string[] | undefined): boolean {
  return (list ?? []).some((entry) => !isBlank(entry));
}

/**
 * Why a product information sheet is not complete: every blank text field of
 * {@link SHEET_TEXT_FIELDS} (`SHEET_FIELD_MISSING` with `field`), no indication
 * (`SHEET_INDICATIONS_MISSING`), no contraindication (`SHEET_CONTRAINDICATIONS_MISSING`).
 * Entries made only of whitespace count as missing. Empty when the sheet is complete.
 */
export function sheetIssues(sheet: Sheet): Reason[] {
  const reasons: Reason[] = [];
  for (const field of SHEET_TEXT_FIELDS) {
    if (isBlank(sheet[field])) {
      reasons.push({ code: 'SHEET_FIELD_MISSING', field, message: `The sheet field "${field}" is empty.` });
    }
  }
  if (!hasEntries(sheet.indications)) {
    reasons.push({ code: 'SHEET_INDICATIONS_MISSING', message: 'The sheet lists no indication (适应症).' });
  }
  if (!hasEntries(sheet.contraindications)) {
    reasons.push({
      code: 'SHEET_CONTRAINDICATIONS_MISSING',
      message: 'The sheet lists no contraindication (禁忌症).',
    });
  }
  return reasons;
}
