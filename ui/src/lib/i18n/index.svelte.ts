// UI language: message lookup, digits, and `<html lang dir>`.
import type { Language } from '../api/types';
import { ar } from './ar';
import { en, type MessageKey } from './en';
import { formatMoney, toArabicDigits } from '../format/money';
import { interpolate } from './interpolate';
import type { CommandError } from '../api/types';
import { errorMessage, fieldMessage, fieldMessages } from '../api/errors';

export type { MessageKey };

const dictionaries: Record<Language, Record<MessageKey, string>> = { en, ar };

export function directionOf(lang: Language): 'rtl' | 'ltr' {
  return lang === 'ar' ? 'rtl' : 'ltr';
}

export { interpolate };

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

  /** An error in the window's language (its server words: `untranslatedWords`). */
  error = (error: CommandError): string =>
    errorMessage(error, { lang: this.lang, arabicDigits: this.arabicDigits });

  /** One field's problems in the window's language, or null. */
  fieldError = (error: CommandError, field: string): string | null =>
    fieldMessage(error, field, { lang: this.lang, arabicDigits: this.arabicDigits });

  /** Every field's problems in the window's language. */
  fieldErrors = (error: CommandError): Record<string, string> =>
    fieldMessages(error, { lang: this.lang, arabicDigits: this.arabicDigits });

  /** Digits in the user's chosen numerals (counts, times). */
  digits = (text: string | number): string =>
    this.arabicDigits ? toArabicDigits(String(text)) : String(text);
}

export const i18n = new I18n();
export const t = i18n.t;
