import { describe, expect, it } from 'vitest';
import { Keypad, MAX_INTEGER_DIGITS } from './keypad.svelte';

function typed(keys: string, decimals = 3): Keypad {
  const k = new Keypad(decimals);
  for (const key of keys) k.press(key);
  return k;
}

describe('Keypad', () => {
  it('appends digits and allows one decimal point', () => {
    const k = typed('12.5.0');
    expect(k.text).toBe('12.50');
    expect(k.parsed).toEqual({ ok: true, amount: '12.500' });
  });
  it('caps decimals at the currency decimals (KWD 3)', () => {
    const k = typed('1.23456');
    expect(k.text).toBe('1.234');
  });
  it('refuses a decimal point for zero-decimal currencies', () => {
    const k = typed('15.5', 0);
    expect(k.text).toBe('155');
    expect(k.parsed).toEqual({ ok: true, amount: '155' });
  });
  it('has no leading zeros and starts "." as "0."', () => {
    expect(typed('007').text).toBe('7');
    expect(typed('.5').text).toBe('0.5');
  });
  it('backspace and escape', () => {
    const k = typed('12.5');
    k.press('Backspace');
    expect(k.text).toBe('12.');
    k.press('Escape');
    expect(k.text).toBe('');
    expect(k.press('Backspace')).toBe(false);
  });
  it('ignores other keys and accepts Arabic digits', () => {
    const k = typed('a1b٢');
    expect(k.text).toBe('12');
  });
  it('shows grouping and the decimals still to type', () => {
    const k = typed('1234.5');
    expect(k.grouped).toBe('1,234.5');
    expect(k.ghost).toBe('00');
    expect(new Keypad(3).ghost).toBe('0.000');
    expect(typed('12').ghost).toBe('.000');
    expect(typed('12', 0).ghost).toBe('');
  });
  it('limits whole digits', () => {
    const k = typed('9'.repeat(MAX_INTEGER_DIGITS + 3));
    expect(k.text.length).toBe(MAX_INTEGER_DIGITS);
  });
  it('trims decimals when the currency changes', () => {
    const k = typed('12.345');
    k.setCurrency('USD');
    expect(k.text).toBe('12.34');
    k.setCurrency('JPY');
    expect(k.text).toBe('12');
  });
  it('takes pasted text through the same rules', () => {
    const k = new Keypad(3);
    k.setFromText('1,250.7509');
    expect(k.text).toBe('1,250.750');
    expect(k.parsed).toEqual({ ok: true, amount: '1250.750' });
    k.setAmount('12.500');
    expect(k.text).toBe('12.5');
  });
  it('reports why the amount is not ready', () => {
    expect(new Keypad(3).parsed).toEqual({ ok: false, error: 'empty' });
    expect(typed('0.000').parsed).toEqual({ ok: false, error: 'zero' });
  });
});

// Issue 11 point 6: one decimal-separator rule for typing and paste. ',' and '٬' group
// thousands, '.' and '٫' are the decimal point; Arabic-Indic and Eastern digits are digits.
describe('Keypad: one separator rule for typing and paste', () => {
  const cases: [input: string, kwd: string, usd: string][] = [
    ['1,500', '1500.000', '1500.00'],
    ['١٬٥٠٠', '1500.000', '1500.00'],
    ['۱٬۵۰۰', '1500.000', '1500.00'],
    ['1.500', '1.500', '1.50'],
    ['١٫٥٠٠', '1.500', '1.50'],
    ['1,234,567.125', '1234567.125', '1234567.12'],
  ];
  for (const [input, kwd, usd] of cases) {
    it(`"${input}" is ${kwd} KWD and ${usd} USD, typed key by key or pasted`, () => {
      for (const [decimals, expected] of [
        [3, kwd],
        [2, usd],
      ] as const) {
        const keyByKey = typed(input, decimals);
        const pasted = new Keypad(decimals);
        pasted.setFromText(input);
        expect(keyByKey.parsed).toEqual({ ok: true, amount: expected });
        expect(pasted.parsed).toEqual({ ok: true, amount: expected });
        expect(pasted.text).toBe(keyByKey.text);
      }
    });
  }
  it('refuses a grouping separator in the wrong place the same way in both paths', () => {
    for (const input of ['1,50', '12,5', '1,5000', '1234,567', '0,500', '1.500,00', '١٬٥٠']) {
      const keyByKey = typed(input, 3);
      const pasted = new Keypad(3);
      pasted.setFromText(input);
      expect(keyByKey.parsed, input).toEqual({ ok: false, error: 'misplaced_grouping' });
      expect(pasted.parsed, input).toEqual({ ok: false, error: 'misplaced_grouping' });
    }
  });
  it('shows what was typed when it has a grouping separator', () => {
    expect(typed('1,50').grouped).toBe('1,50');
    expect(typed('1,500.5').grouped).toBe('1,500.5');
    expect(typed('1,500.5').ghost).toBe('00');
    expect(typed('1500').grouped).toBe('1,500');
  });
  it('counts only digits against the limits', () => {
    expect(typed('123,456,789').text).toBe('123,456,789');
    expect(typed('123,456,7890').text).toBe('123,456,789');
    expect(typed('1,500.12345').text).toBe('1,500.123');
  });
  it('takes no grouping separator before a digit', () => {
    expect(typed(',5').text).toBe('5');
    expect(typed('1,,500').text).toBe('1,500');
    expect(typed('1.,5').text).toBe('1.5');
  });
});
