// UI language: message lookup, digits, and `<html lang dir>`.
import type { Language } from '../api/types';
import { ar } from './ar';
import { en, type MessageKey } from './en';
import { currencyLabel, formatMoney, toArabicDigits, type CurrencyLabel } from '../format/money';
import { formatDay, formatWhen, type WeekStartDay } from '../format/dates';
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
  /** Code (KWD) or Arabic symbol (د.ك) beside amounts. */
  currencyDisplay = $state<CurrencyLabel>('code');
  /** First day of the week in date pickers. */
  weekStart = $state<WeekStartDay>('sunday');
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

  /** The shop's conventions: numerals, currency names and the first day of the week. */
  setConventions(conventions: { arabicDigits: boolean; currencyDisplay: CurrencyLabel; weekStart: WeekStartDay }): void {
    this.arabicDigits = conventions.arabicDigits;
    this.currencyDisplay = conventions.currencyDisplay;
    this.weekStart = conventions.weekStart;
  }

  money = (amount: string, currency: string, decimals?: number): string =>
    formatMoney(amount, currency, { arabicDigits: this.arabicDigits, decimals, currencyDisplay: this.currencyDisplay });

  /** An amount without its currency, in the chosen numerals. */
  amount = (amount: string, currency: string, decimals?: number): string =>
    formatMoney(amount, currency, { arabicDigits: this.arabicDigits, decimals, withCode: false });

  /** What names a currency beside an amount (KWD or د.ك). */
  currency = (code: string): string => currencyLabel(code, this.currencyDisplay);

  /** An ISO day as dd/mm/yyyy in the chosen numerals. */
  day = (isoDay: string): string => this.digits(formatDay(isoDay));

  /** A timestamp: the time today, dd/mm/yyyy and the time otherwise, in the chosen numerals. */
  when = (timestamp: string): string => this.digits(formatWhen(timestamp, this.lang));

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
