/**
 * Personal data rules: customer phone numbers are kept and shown only masked. A mainland mobile shows
 * its first three and last four digits (138****5678); any other number shows only its last four
 * (****1234), so a short landline is never shown whole.
 */

// Full-width digits, plus, hyphen, parentheses and the ideographic space, as Chinese input methods type
// them. Each maps to one ASCII character, so a normalised text keeps every index of the original.
const FULL_WIDTH = /[\uFF08\uFF09\uFF0B\uFF0D\uFF10-\uFF19\u3000]/g;

function toHalfWidth(text: string): string {
  return text.replace(FULL_WIDTH, (c) =>
    c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0),
  );
}

const MOBILE = /^1[3-9]\d{9}$/;

/** The 11-digit mainland mobile these digits hold (after an optional 86 or 0086 prefix), if any. */
function mainlandMobile(digits: string): string | undefined {
  const national = digits.startsWith('0086')
    ? digits.slice(4)
    : digits.length === 13 && digits.startsWith('86')
      ? digits.slice(2)
      : digits;
  return MOBILE.test(national) ? national : undefined;
}

/** Fewer digits than this is not a phone number. */
const MIN_PHONE_DIGITS = 5;

function maskDigits(digits: string): string {
  const mobile = mainlandMobile(digits);
  if (mobile) return `${mobile.slice(0, 3)}****${mobile.slice(-4)}`;
  // A fixed shape: the masked form does not reveal how many digits it hides.
  return `****${digits.slice(-4)}`;
}

/**
 * Masks a phone number: a mainland mobile (11 digits, optionally +86 or 0086) to its first three and
 * last four digits, anything else to its last four. Null when it holds fewer than five digits.
 * Full-width digits count as digits.
 */
export function maskPhone(raw: string): string | null {
  const digits = toHalfWidth(raw).replace(/\D/g, '');
  return digits.length < MIN_PHONE_DIGITS ? null : maskDigits(digits);
}

// Matched against the half-width text. A separator between digit groups is a space, tab or hyphen.
const SEP = '[ \\t-]?';
// Mainland mobile, optionally +86 / 0086 / 86 (in parentheses or not): 138 1234 5678, +86-138-1234-5678.
const MOBILE_PART = `(?:\\(?(?:\\+|00)?86\\)?${SEP})?1[3-9]\\d${SEP}\\d{4}${SEP}\\d{4}`;
// Landline with its area code (010, 021, 0755…) and a 7- or 8-digit local number:
// 021-6888 1234, (021) 68881234, 0755-12345678.
const LOCAL_PART = `\\d{3,4}${SEP}\\d{4}`;
const LANDLINE_PART = `(?:\\(0[1-9]\\d{1,2}\\)|0[1-9]\\d{1,2})${SEP}${LOCAL_PART}`;
// Landline after +86 / 0086, where the area code usually drops its 0: +86 21 6888 1234, 0086-755-12345678.
const INTL_LANDLINE_PART = `(?:\\+|00)86${SEP}(?:\\(0?[1-9]\\d{1,2}\\)|0?[1-9]\\d{1,2})${SEP}${LOCAL_PART}`;
// Never starts or ends inside a longer run of digits, so order ids, amounts and dates stay whole.
const PHONE_IN_TEXT = new RegExp(
  `(?<![\\d+])(?:${MOBILE_PART}|${INTL_LANDLINE_PART}|${LANDLINE_PART})(?!\\d)`,
  'g',
);

/**
 * Masks every phone number written inside free text (complaint texts quote them): mainland mobiles and
 * landlines with an area code, with or without a +86/0086 prefix, in ASCII or full-width digits. The
 * rest of the text is returned unchanged. A bare local number without its area code cannot be told
 * from any other number and is left alone.
 */
export function maskPhonesInText(text: string): string {
  const halfWidth = toHalfWidth(text);
  let masked = '';
  let from = 0;
  for (const match of halfWidth.matchAll(PHONE_IN_TEXT)) {
    masked += text.slice(from, match.index) + maskDigits(match[0].replace(/\D/g, ''));
    from = match.index + match[0].length;
  }
  return masked + text.slice(from);
}
