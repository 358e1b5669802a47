import { describe, expect, it } from 'vitest';
import { maskPhone, maskPhonesInText } from './privacy.js';

const FULL_WIDTH_DIGITS = /[\uFF10-\uFF19]/g;

/** The number's digits in ASCII, whatever width they were written in. */
function digitsOf(text: string): string {
  return text
    .replace(FULL_WIDTH_DIGITS, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\D/g, '');
}

/** Every run of five consecutive digits of `phone` that `output` still shows (separators ignored). */
function leakedRuns(output: string, phone: string): string[] {
  const shown = output
    .replace(FULL_WIDTH_DIGITS, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\-()+\u3000\uFF08\uFF09\uFF0B\uFF0D]/g, '');
  const digits = digitsOf(phone);
  const leaks: string[] = [];
  for (let i = 0; i + 5 <= digits.length; i++) {
    const run = digits.slice(i, i + 5);
    if (shown.includes(run)) leaks.push(run);
  }
  return leaks;
}

describe('maskPhone', () => {
  it('keeps the first three and last four digits of a mainland mobile', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('138-1234-5678')).toBe('138****5678');
  });

  it('recognises a mobile behind a +86, 0086 or 86 prefix', () => {
    expect(maskPhone('+86 138-1234-5678')).toBe('138****5678');
    expect(maskPhone('0086 13812345678')).toBe('138****5678');
    expect(maskPhone('8613812345678')).toBe('138****5678');
  });

  it('reads full-width digits', () => {
    expect(maskPhone('１３８１２３４５６７８')).toBe('138****5678');
    expect(maskPhone('０２１－６８８８１２３４')).toBe('****1234');
  });

  it('shows only the last four digits of a 7-digit number', () => {
    expect(maskPhone('6881234')).toBe('****1234');
  });

  it('shows only the last four digits of an 8-digit landline', () => {
    expect(maskPhone('68881234')).toBe('****1234');
  });

  it('shows only the last four digits of a landline with its area code, even at 11 digits', () => {
    expect(maskPhone('021-6888 1234')).toBe('****1234');
    expect(maskPhone('02168881234')).toBe('****1234');
    expect(maskPhone('(0755) 12345678')).toBe('****5678');
    expect(maskPhone('+86 21 6888 1234')).toBe('****1234');
  });

  it('treats an 11-digit number that is not a mobile as any other number', () => {
    expect(maskPhone('12345678901')).toBe('****8901');
  });

  it('masks five digits down to four and refuses fewer', () => {
    expect(maskPhone('12345')).toBe('****2345');
    expect(maskPhone('1234')).toBeNull();
    expect(maskPhone('tel: 12-3')).toBeNull();
    expect(maskPhone('')).toBeNull();
  });

  it('never shows more than four consecutive digits of the number', () => {
    for (const raw of ['13812345678', '+86 138 1234 5678', '6881234', '68881234', '0755-12345678', '12345']) {
      const masked = maskPhone(raw)!;
      expect(leakedRuns(masked, raw), `${raw} → ${masked}`).toEqual([]);
    }
  });

  it('shows at most four digits of anything but a mobile', () => {
    for (const raw of ['12345', '6881234', '68881234', '021-6888 1234', '0755-12345678', '12345678901']) {
      expect(digitsOf(maskPhone(raw)!), raw).toHaveLength(4);
    }
  });
});

describe('maskPhonesInText', () => {
  it('masks every mobile number in a complaint text and leaves other numbers alone', () => {
    const text = '客户电话 13812345678，备用 139-8765-4321；订单号 2026112200001 金额 3800';
    expect(maskPhonesInText(text)).toBe(
      '客户电话 138****5678，备用 139****4321；订单号 2026112200001 金额 3800',
    );
  });

  it('masks landlines written with an area code', () => {
    expect(maskPhonesInText('门店电话 021-6888 1234 请回电')).toBe('门店电话 ****1234 请回电');
    expect(maskPhonesInText('门店电话(021) 68881234。')).toBe('门店电话****1234。');
    expect(maskPhonesInText('深圳 0755-12345678')).toBe('深圳 ****5678');
    expect(maskPhonesInText('北京 010-6512 3456')).toBe('北京 ****3456');
    expect(maskPhonesInText('tel 02168881234')).toBe('tel ****1234');
  });

  it('masks numbers with a +86 or 0086 prefix, mobile or landline', () => {
    expect(maskPhonesInText('call +86 138 1234 5678 now')).toBe('call 138****5678 now');
    expect(maskPhonesInText('call (+86) 13812345678')).toBe('call 138****5678');
    expect(maskPhonesInText('电话0086-13812345678')).toBe('电话138****5678');
    expect(maskPhonesInText('电话 +86 21 6888 1234')).toBe('电话 ****1234');
    expect(maskPhonesInText('电话 0086-755-12345678')).toBe('电话 ****5678');
    expect(maskPhonesInText('电话 +86 (21) 68881234')).toBe('电话 ****1234');
  });

  it('masks numbers written in full-width digits and keeps the rest of the text as written', () => {
    expect(maskPhonesInText('手机１３８１２３４５６７８，金额３８００元')).toBe(
      '手机138****5678，金额３８００元',
    );
    expect(maskPhonesInText('座机（０２１）６８８８　１２３４')).toBe('座机****1234');
    expect(maskPhonesInText('电话＋８６ １３８－１２３４－５６７８')).toBe('电话138****5678');
  });

  it('leaves order ids, amounts, dates and times alone', () => {
    const text =
      '订单号 2026112200001，金额 3800 元，日期 2026-11-22 / 2026-01-22，时间 13:45，单号 1381234567890，编号 ０２１';
    expect(maskPhonesInText(text)).toBe(text);
  });

  it('never leaves more than four consecutive digits of any phone in the text', () => {
    const phones = [
      '13812345678',
      '139-8765-4321',
      '+86 138 1234 5678',
      '0086 15912345678',
      '021-6888 1234',
      '(021) 68881234',
      '0755-12345678',
      '+86 21 6888 1234',
      '１８６１２３４５６７８',
      '（０２１）６８８８１２３４',
    ];
    for (const phone of phones) {
      const output = maskPhonesInText(`客户说：请打 ${phone}，谢谢`);
      expect(leakedRuns(output, phone), `${phone} → ${output}`).toEqual([]);
    }
  });
});
