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
    expect(k.text).toBe('1250.750');
    k.setAmount('12.500');
    expect(k.text).toBe('12.5');
  });
  it('reports why the amount is not ready', () => {
    expect(new Keypad(3).parsed).toEqual({ ok: false, error: 'empty' });
    expect(typed('0.000').parsed).toEqual({ ok: false, error: 'zero' });
  });
});
