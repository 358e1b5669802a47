/**
 * Personal data rules: customer phone numbers are kept and shown only masked (138****5678).
 */

/** Masks a phone number to its first three and last four digits; null when it holds too few digits to be one. */
export function maskPhone(raw: string): string | null {
  const digits = raw.replace(/\D/g, '');
  const national = digits.length === 13 && digits.startsWith('86') ? digits.slice(2) : digits;
  if (national.length < 7) return null;
  return `${national.slice(0, 3)}****${national.slice(-4)}`;
}

// Mainland mobiles (optionally +86), written with or without spaces or dashes between groups.
const MOBILE_IN_TEXT = /(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)/g;

/** Masks every mobile number written inside free text (complaint texts quote them). */
export function maskPhonesInText(text: string): string {
  return text.replace(MOBILE_IN_TEXT, (match) => maskPhone(match) ?? match);
}
