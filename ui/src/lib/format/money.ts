// Money for display and keypad input. Amounts are decimal STRINGS end to end ("12.500");
// arithmetic goes through bigint minor units, never floats.
import type { Currency } from '../api/types';

const THREE_DECIMALS = new Set(['KWD', 'BHD', 'OMR', 'JOD', 'TND', 'LYD', 'IQD']);
const ZERO_DECIMALS = new Set(['JPY', 'KRW', 'VND', 'CLP', 'ISK', 'UGX', 'XAF', 'XOF', 'PYG', 'RWF']);

/** Decimals of a currency: from the list pos-core sent when given, else ISO 4217 defaults. */
export function currencyDecimals(code: string, known: readonly Currency[] = []): number {
  const upper = code.toUpperCase();
  const listed = known.find((c) => c.code.toUpperCase() === upper);
  if (listed) return listed.decimals;
  if (THREE_DECIMALS.has(upper)) return 3;
  if (ZERO_DECIMALS.has(upper)) return 0;
  return 2;
}

const ARABIC_INDIC = '٠١٢٣٤٥٦٧٨٩';
const EASTERN_ARABIC = '۰۱۲۳۴۵۶۷۸۹';

/** Western digits to Arabic-Indic ones, '.' to the Arabic decimal separator, ',' to the Arabic thousands separator. */
export function toArabicDigits(text: string): string {
  let out = '';
  for (const ch of text) {
    if (ch >= '0' && ch <= '9') out += ARABIC_INDIC[ch.charCodeAt(0) - 48];
    else if (ch === '.') out += '٫';
    else if (ch === ',') out += '٬';
    else out += ch;
  }
  return out;
}

/** Arabic-Indic and Eastern Arabic digits (and the Arabic separators) to ASCII. */
export function toLatinDigits(text: string): string {
  let out = '';
  for (const ch of text) {
    const a = ARABIC_INDIC.indexOf(ch);
    const e = EASTERN_ARABIC.indexOf(ch);
    if (a >= 0) out += String(a);
    else if (e >= 0) out += String(e);
    else if (ch === '٫') out += '.';
    else if (ch === '٬') out += ',';
    else out += ch;
  }
  return out;
}

/** "1234567" → "1,234,567" (integer digits only). */
export function groupThousands(digits: string): string {
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return out;
}

export interface FormatOptions {
  /** Overrides the currency's own decimals. */
  decimals?: number;
  arabicDigits?: boolean;
  /** Append the currency code ("12.500 KWD"); default true. */
  withCode?: boolean;
}

/**
 * A decimal string for display: padded to the currency's decimals, grouped by thousands,
 * optionally in Arabic-Indic digits. Never rounds: extra non-zero digits are kept as they are.
 */
export function formatMoney(amount: string, currency: string, options: FormatOptions = {}): string {
  const decimals = options.decimals ?? currencyDecimals(currency);
  const trimmed = toLatinDigits(amount.trim());
  const match = /^(-?)(\d*)(?:\.(\d*))?$/.exec(trimmed);
  let text: string;
  if (!match) {
    text = trimmed;
  } else {
    const sign = match[1] ?? '';
    const intDigits = (match[2] ?? '').replace(/^0+(?=\d)/, '') || '0';
    let frac = match[3] ?? '';
    if (frac.length > decimals && /^0*$/.test(frac.slice(decimals))) frac = frac.slice(0, decimals);
    frac = frac.padEnd(decimals, '0');
    text = sign + groupThousands(intDigits) + (frac.length > 0 ? '.' + frac : '');
  }
  if (options.arabicDigits) text = toArabicDigits(text);
  return options.withCode === false ? text : `${text} ${currency}`;
}

export type AmountError = 'empty' | 'invalid' | 'too_many_decimals' | 'zero';

export type ParsedAmount = { ok: true; amount: string } | { ok: false; error: AmountError };

/**
 * Staff input to a normalized decimal string with exactly `decimals` places.
 * Accepts Arabic digits and grouping separators; rejects anything else.
 */
export function parseAmount(input: string, decimals: number): ParsedAmount {
  const cleaned = toLatinDigits(input).replace(/[\s,]/g, '');
  if (cleaned === '' || cleaned === '.') return { ok: false, error: 'empty' };
  const match = /^(\d*)(?:\.(\d*))?$/.exec(cleaned);
  if (!match) return { ok: false, error: 'invalid' };
  const intPart = match[1] ?? '';
  const fracPart = match[2] ?? '';
  if (fracPart.length > decimals) return { ok: false, error: 'too_many_decimals' };
  if (decimals === 0 && cleaned.includes('.') && fracPart.length === 0 && intPart === '') {
    return { ok: false, error: 'invalid' };
  }
  const amount = fromMinor(BigInt((intPart || '0') + fracPart.padEnd(decimals, '0')), decimals);
  if (toMinor(amount, decimals) === 0n) return { ok: false, error: 'zero' };
  return { ok: true, amount };
}

/** "12.500" with 3 decimals → 12500n. Throws on text that is not a decimal string. */
export function toMinor(amount: string, decimals: number): bigint {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(toLatinDigits(amount.trim()));
  if (!match) throw new Error(`not a decimal amount: ${amount}`);
  const frac = match[3] ?? '';
  if (frac.length > decimals && !/^0*$/.test(frac.slice(decimals))) {
    throw new Error(`${amount} has more than ${decimals} decimals`);
  }
  const minor = BigInt((match[2] ?? '0') + frac.slice(0, decimals).padEnd(decimals, '0'));
  return match[1] === '-' ? -minor : minor;
}

/** 12500n with 3 decimals → "12.500". */
export function fromMinor(minor: bigint, decimals: number): string {
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(decimals + 1, '0');
  const intPart = digits.slice(0, digits.length - decimals);
  const fracPart = decimals > 0 ? '.' + digits.slice(digits.length - decimals) : '';
  return (negative ? '-' : '') + intPart + fracPart;
}

/** Sum of decimal strings of one currency. */
export function sumAmounts(amounts: readonly string[], decimals: number): string {
  return fromMinor(
    amounts.reduce((total, a) => total + toMinor(a, decimals), 0n),
    decimals,
  );
}
