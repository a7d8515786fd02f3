import { afterEach, describe, expect, it } from 'vitest';
import { ar } from './ar';
import { en } from './en';
import { directionOf, i18n, interpolate } from './index.svelte';

afterEach(() => i18n.setLanguage('en', false));

describe('i18n', () => {
  it('Arabic mirrors the whole document', () => {
    i18n.setLanguage('ar');
    expect(document.documentElement.lang).toBe('ar');
    expect(document.documentElement.dir).toBe('rtl');
    expect(i18n.dir).toBe('rtl');
    i18n.setLanguage('en');
    expect(document.documentElement.dir).toBe('ltr');
    expect(directionOf('ar')).toBe('rtl');
  });

  it('translates and fills placeholders', () => {
    i18n.setLanguage('ar');
    expect(i18n.t('nav.history')).toBe('السجل');
    expect(i18n.t('settings.version', { version: '1.0' })).toBe('الإصدار 1.0');
    i18n.setLanguage('en');
    expect(i18n.t('amount.too_many_decimals', { currency: 'KWD', decimals: 3 })).toBe('KWD takes at most 3 decimals.');
    expect(interpolate('{a} {b}', { a: 1 })).toBe('1 {b}');
  });

  it('every English string has a non-empty Arabic one', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(ar[key], key).toBeTruthy();
    }
    expect(Object.keys(ar).sort()).toEqual(Object.keys(en).sort());
  });

  it('money and counts follow the Arabic numerals option', () => {
    i18n.setLanguage('ar', true);
    expect(i18n.money('12.5', 'KWD')).toBe('١٢٫٥٠٠ KWD');
    expect(i18n.digits(42)).toBe('٤٢');
    i18n.setLanguage('ar', false);
    expect(i18n.money('12.5', 'KWD')).toBe('12.500 KWD');
  });
});
