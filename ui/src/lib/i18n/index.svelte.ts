// UI language: message lookup, digits, and `<html lang dir>`.
import type { Language } from '../api/types';
import { ar } from './ar';
import { en, type MessageKey } from './en';
import { formatMoney, toArabicDigits } from '../format/money';

export type { MessageKey };

const dictionaries: Record<Language, Record<MessageKey, string>> = { en, ar };

export function directionOf(lang: Language): 'rtl' | 'ltr' {
  return lang === 'ar' ? 'rtl' : 'ltr';
}

/** Fill `{name}` placeholders. */
export function interpolate(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

class I18n {
  lang = $state<Language>('en');
  arabicDigits = $state(false);
  dir = $derived(directionOf(this.lang));

  /** Switch the language and mirror the whole document for Arabic. */
  setLanguage(lang: Language, arabicDigits = this.arabicDigits): void {
    this.lang = lang;
    this.arabicDigits = arabicDigits;
    if (typeof document !== 'undefined') {
      document.documentElement.lang = lang;
      document.documentElement.dir = directionOf(lang);
    }
  }

  t = (key: MessageKey, params?: Record<string, string | number>): string =>
    interpolate(dictionaries[this.lang][key] ?? en[key], params);

  /** A message in a given language, for the bilingual customer display. */
  tIn = (lang: Language, key: MessageKey, params?: Record<string, string | number>): string =>
    interpolate(dictionaries[lang][key] ?? en[key], params);

  money = (amount: string, currency: string, decimals?: number): string =>
    formatMoney(amount, currency, { arabicDigits: this.arabicDigits, decimals });

  /** Digits in the user's chosen numerals (counts, times). */
  digits = (text: string | number): string =>
    this.arabicDigits ? toArabicDigits(String(text)) : String(text);
}

export const i18n = new I18n();
export const t = i18n.t;
