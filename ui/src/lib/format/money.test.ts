import { describe, expect, it } from 'vitest';
import {
  amountChar,
  currencyDecimals,
  currencyLabel,
  formatMoney,
  fromMinor,
  parseAmount,
  sumAmounts,
  toArabicDigits,
  toLatinDigits,
  toMinor,
} from './money';

describe('currencyDecimals', () => {
  it('knows the three-decimal Gulf currencies and zero-decimal yen', () => {
    expect(currencyDecimals('KWD')).toBe(3);
    expect(currencyDecimals('bhd')).toBe(3);
    expect(currencyDecimals('OMR')).toBe(3);
    expect(currencyDecimals('JPY')).toBe(0);
    expect(currencyDecimals('SAR')).toBe(2);
  });
  it('prefers the list sent by the core', () => {
    expect(currencyDecimals('XYZ', [{ code: 'XYZ', decimals: 4 }])).toBe(4);
  });
});

describe('formatMoney', () => {
  it('pads KWD to three decimals and groups thousands', () => {
    expect(formatMoney('12.5', 'KWD')).toBe('12.500 KWD');
    expect(formatMoney('1234567.125', 'KWD')).toBe('1,234,567.125 KWD');
    expect(formatMoney('0', 'KWD')).toBe('0.000 KWD');
  });
  it('shows JPY without decimals', () => {
    expect(formatMoney('1500', 'JPY')).toBe('1,500 JPY');
    expect(formatMoney('1500.00', 'JPY')).toBe('1,500 JPY');
  });
  it('never rounds: extra non-zero digits stay visible', () => {
    expect(formatMoney('1.2345', 'KWD')).toBe('1.2345 KWD');
  });
  it('writes Arabic-Indic digits with Arabic separators', () => {
    expect(formatMoney('1234.5', 'KWD', { arabicDigits: true })).toBe('١٬٢٣٤٫٥٠٠ KWD');
  });
  it('can leave out the code', () => {
    expect(formatMoney('3', 'USD', { withCode: false })).toBe('3.00');
  });
});

describe('parseAmount', () => {
  it('normalizes to the currency decimals', () => {
    expect(parseAmount('12.5', 3)).toEqual({ ok: true, amount: '12.500' });
    expect(parseAmount('.5', 3)).toEqual({ ok: true, amount: '0.500' });
    expect(parseAmount('007', 2)).toEqual({ ok: true, amount: '7.00' });
    expect(parseAmount('1,250', 0)).toEqual({ ok: true, amount: '1250' });
  });
  it('accepts Arabic digits and decimal separator', () => {
    expect(parseAmount('١٢٫٥', 3)).toEqual({ ok: true, amount: '12.500' });
  });
  it('rejects too many decimals, zero, empty and junk', () => {
    expect(parseAmount('1.2345', 3)).toEqual({ ok: false, error: 'too_many_decimals' });
    expect(parseAmount('1.5', 0)).toEqual({ ok: false, error: 'too_many_decimals' });
    expect(parseAmount('0.000', 3)).toEqual({ ok: false, error: 'zero' });
    expect(parseAmount('', 3)).toEqual({ ok: false, error: 'empty' });
    expect(parseAmount('1e3', 3)).toEqual({ ok: false, error: 'invalid' });
    expect(parseAmount('-5', 3)).toEqual({ ok: false, error: 'invalid' });
  });
  it('reads , and ٬ as grouping, . and ٫ as the decimal point (one rule, issue 11 point 6)', () => {
    for (const [input, kwd, usd] of [
      ['1,500', '1500.000', '1500.00'],
      ['١٬٥٠٠', '1500.000', '1500.00'],
      ['1.50', '1.500', '1.50'],
      ['١٫٥٠', '1.500', '1.50'],
      ['۱٬۲۳۴٫۵', '1234.500', '1234.50'],
      ['12,345,678', '12345678.000', '12345678.00'],
    ]) {
      expect(parseAmount(input!, 3), input).toEqual({ ok: true, amount: kwd });
      expect(parseAmount(input!, 2), input).toEqual({ ok: true, amount: usd });
    }
    expect(parseAmount('1.500', 3)).toEqual({ ok: true, amount: '1.500' });
    expect(parseAmount('١٫٥٠٠', 3)).toEqual({ ok: true, amount: '1.500' });
    // Three decimals are too many for a 2-decimal currency (the keypad does not take the third).
    expect(parseAmount('١٫٥٠٠', 2)).toEqual({ ok: false, error: 'too_many_decimals' });
  });
  it('refuses grouping separators in the wrong place rather than guessing', () => {
    for (const input of ['1,50', '12,5', '1,5000', '1234,567', '0,500', ',500', '1,,500', '1,', '1.500,00', '1.5,', '١٬٥٠']) {
      expect(parseAmount(input, 3), input).toEqual({ ok: false, error: 'misplaced_grouping' });
    }
    expect(parseAmount('1 500', 3)).toEqual({ ok: false, error: 'invalid' });
    expect(parseAmount(' 1,500 ', 3)).toEqual({ ok: true, amount: '1500.000' });
  });
  it('handles amounts beyond float precision exactly', () => {
    expect(parseAmount('123456789012345.678', 3)).toEqual({ ok: true, amount: '123456789012345.678' });
  });
});

describe('minor units', () => {
  it('round-trips without floats', () => {
    expect(toMinor('12.500', 3)).toBe(12500n);
    expect(fromMinor(12500n, 3)).toBe('12.500');
    expect(fromMinor(5n, 3)).toBe('0.005');
    expect(fromMinor(42n, 0)).toBe('42');
    expect(toMinor('-1.10', 2)).toBe(-110n);
  });
  it('refuses to drop non-zero digits', () => {
    expect(() => toMinor('1.2345', 3)).toThrow();
  });
  it('sums exactly where floats would not', () => {
    expect(sumAmounts(['0.100', '0.200'], 3)).toBe('0.300');
    expect(sumAmounts(['0.10', '0.20'], 2)).toBe('0.30');
  });
});

describe('amountChar', () => {
  it('maps digits and both scripts of separators, and nothing else', () => {
    expect(['7', '٧', '۷', '.', '٫', ',', '٬'].map(amountChar)).toEqual(['7', '7', '7', '.', '.', ',', ',']);
    expect(['', 'a', 'Enter', '٠١', ' ', '-', '،'].map(amountChar)).toEqual([null, null, null, null, null, null, null]);
  });
});

describe('digits', () => {
  it('converts both ways', () => {
    expect(toArabicDigits('0123456789')).toBe('٠١٢٣٤٥٦٧٨٩');
    expect(toLatinDigits('٠١٢٣٤٥٦٧٨٩')).toBe('0123456789');
    expect(toLatinDigits('۱۲۳')).toBe('123');
  });
});

describe('Gulf money display', () => {
  it('groups thousands and pads to the currency decimals', () => {
    expect(formatMoney('1234.5', 'KWD')).toBe('1,234.500 KWD');
    expect(formatMoney('1234567.5', 'SAR')).toBe('1,234,567.50 SAR');
    expect(formatMoney('1234', 'OMR', { withCode: false })).toBe('1,234.000');
  });

  it('names the currency by its code or its Arabic symbol, as the shop prefers', () => {
    const symbol = { currencyDisplay: 'arabic_symbol' as const };
    expect(formatMoney('12.5', 'KWD', symbol)).toBe('12.500 د.ك');
    expect(formatMoney('12.5', 'SAR', symbol)).toBe('12.50 ر.س');
    expect(formatMoney('12.5', 'AED', symbol)).toBe('12.50 د.إ');
    expect(formatMoney('12.5', 'QAR', symbol)).toBe('12.50 ر.ق');
    expect(formatMoney('12.5', 'BHD', symbol)).toBe('12.500 د.ب');
    expect(formatMoney('12.5', 'OMR', symbol)).toBe('12.500 ر.ع.');
    // A currency without an Arabic symbol keeps its code.
    expect(formatMoney('12.5', 'USD', symbol)).toBe('12.50 USD');
    expect(currencyLabel('kwd')).toBe('KWD');
  });

  it('Arabic-Indic digits with the Arabic separators, grouping kept', () => {
    expect(formatMoney('1234.5', 'KWD', { arabicDigits: true, currencyDisplay: 'arabic_symbol' })).toBe('١٬٢٣٤٫٥٠٠ د.ك');
  });
});
