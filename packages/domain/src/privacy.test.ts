import { describe, expect, it } from 'vitest';
import { maskPhone, maskPhonesInText } from './privacy.js';

describe('maskPhone', () => {
  it('keeps the first three and last four digits', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('+86 138-1234-5678')).toBe('138****5678');
  });

  it('refuses something too short to be a phone number', () => {
    expect(maskPhone('12345')).toBeNull();
  });
});

describe('maskPhonesInText', () => {
  it('masks every mobile number in a complaint text and leaves other numbers alone', () => {
    const text = '客户电话 13812345678，备用 139-8765-4321；订单号 2026112200001 金额 3800';
    expect(maskPhonesInText(text)).toBe(
      '客户电话 138****5678，备用 139****4321；订单号 2026112200001 金额 3800',
    );
  });
});
