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

/** The Arabic symbols of the Gulf currencies, for shops that prefer them to the ISO code. */
export const ARABIC_SYMBOLS: Readonly<Record<string, string>> = {
  KWD: 'د.ك',
  SAR: 'ر.س',
  AED: 'د.إ',
  QAR: 'ر.ق',
  BHD: 'د.ب',
  OMR: 'ر.ع.',
};

export type CurrencyLabel = 'code' | 'arabic_symbol';

/** What names `currency` beside an amount: its code, or its Arabic symbol when it has one. */
export function currencyLabel(currency: string, display: CurrencyLabel = 'code'): string {
  const code = currency.toUpperCase();
  return display === 'arabic_symbol' ? (ARABIC_SYMBOLS[code] ?? code) : code;
}

export interface FormatOptions {
  /** Overrides the currency's own decimals. */
  decimals?: number;
  arabicDigits?: boolean;
  /** Append the currency ("12.500 KWD"); default true. */
  withCode?: boolean;
  /** The code (default) or the Arabic symbol ("12.500 د.ك"). */
  currencyDisplay?: CurrencyLabel;
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
  return options.withCode === false ? text : `${text} ${currencyLabel(currency, options.currencyDisplay)}`;
}

export type AmountError = 'empty' | 'invalid' | 'too_many_decimals' | 'zero' | 'misplaced_grouping';

export type ParsedAmount = { ok: true; amount: string } | { ok: false; error: AmountError };

/**
 * THE decimal-separator rule for every amount staff type or paste (issue 11 point 6), one
 * character at a time: the keypad, the amount fields and paste all go through it.
 *  - `0`-`9`, Arabic-Indic `٠`-`٩` and Eastern Arabic-Indic `۰`-`۹` are digits ("0"-"9");
 *  - `.` and `٫` (U+066B ARABIC DECIMAL SEPARATOR) are the decimal point (".");
 *  - `,` and `٬` (U+066C ARABIC THOUSANDS SEPARATOR) group thousands (",").
 * Anything else is not part of an amount (null). pos-core's `sales::draft::check_amount` reads
 * typed amounts (CLI) by the same rule.
 */
export function amountChar(ch: string): string | null {
  if (ch.length !== 1) return null; // a key name ("Enter") or more than one character
  if (ch >= '0' && ch <= '9') return ch;
  const a = ARABIC_INDIC.indexOf(ch);
  if (a >= 0) return String(a);
  const e = EASTERN_ARABIC.indexOf(ch);
  if (e >= 0) return String(e);
  if (ch === '.' || ch === '٫') return '.';
  if (ch === ',' || ch === '٬') return ',';
  return null;
}

/**
 * Where grouping separators may stand: in the whole part only, every three digits counted from
 * the decimal point, the first group 1-3 digits without a leading zero ("1,500", "12,345,678").
 *
 * Decision for separators anywhere else ("1,50", "12,5", "1,5000", "1.500,00"): the amount is
 * refused ('misplaced_grouping'), never guessed. A cashier who types "12,5" most likely means
 * 12.5 (a comma-decimal habit) while the rule reads the comma as grouping; reading it either way
 * could charge ten or a thousand times the price, and the keypad cannot tell which was meant. So
 * the comma stays visible in the field as typed and Create asks for the amount to be fixed.
 */
const WELL_GROUPED = /^[1-9]\d{0,2}(?:,\d{3})+$/;

/**
 * Typed or pasted text to a plain ASCII decimal ("١٬٥٠٠" → "1500", "1,500.25" → "1500.25") by
 * the rule of `amountChar` and `WELL_GROUPED`; surrounding whitespace is ignored. Only the
 * characters and separators are checked here: "", "." and "1." come back as they are.
 */
export function plainAmount(
  input: string,
): { ok: true; text: string } | { ok: false; error: 'invalid' | 'misplaced_grouping' } {
  let cleaned = '';
  for (const ch of input.trim()) {
    const c = amountChar(ch);
    if (c === null) return { ok: false, error: 'invalid' };
    cleaned += c;
  }
  const match = /^([\d,]*)(?:\.([\d,]*))?$/.exec(cleaned);
  if (!match) return { ok: false, error: 'invalid' };
  const intPart = match[1] ?? '';
  if ((match[2] ?? '').includes(',')) return { ok: false, error: 'misplaced_grouping' };
  if (intPart.includes(',') && !WELL_GROUPED.test(intPart)) return { ok: false, error: 'misplaced_grouping' };
  return { ok: true, text: cleaned.replaceAll(',', '') };
}

/** Staff input to a normalized decimal string with exactly `decimals` places (`plainAmount`'s rule). */
export function parseAmount(input: string, decimals: number): ParsedAmount {
  const plain = plainAmount(input);
  if (!plain.ok) return plain;
  const cleaned = plain.text;
  if (cleaned === '' || cleaned === '.') return { ok: false, error: 'empty' };
  const [intPart = '', fracPart = ''] = cleaned.split('.');
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
