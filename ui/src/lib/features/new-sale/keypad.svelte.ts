// The amount keypad: builds the typed text key by key, with no floats.
import { currencyDecimals, groupThousands, parseAmount, toLatinDigits, type ParsedAmount } from '../../format/money';

/** Whole-unit digits allowed; more is surely a slip of the finger. */
export const MAX_INTEGER_DIGITS = 9;

export class Keypad {
  /** What has been typed, ASCII digits and at most one '.', e.g. "12.5". */
  text = $state('');
  decimals = $state(3);

  constructor(decimals = 3) {
    this.decimals = decimals;
  }

  /** Typed text grouped by thousands ("1,234.5"). */
  readonly grouped = $derived.by(() => {
    const [intPart = '', frac] = this.text.split('.');
    const int = intPart === '' && frac !== undefined ? '0' : groupThousands(intPart);
    return frac === undefined ? int : `${int}.${frac}`;
  });

  /** The decimals still to type, shown faintly: "12.5" with KWD → "00"; with nothing typed, "0.000". */
  readonly ghost = $derived.by(() => {
    if (this.decimals === 0) return this.text === '' ? '0' : '';
    if (this.text === '') return `0.${'0'.repeat(this.decimals)}`;
    const frac = this.text.split('.')[1];
    if (frac === undefined) return `.${'0'.repeat(this.decimals)}`;
    return '0'.repeat(this.decimals - frac.length);
  });

  /** Normalized amount ("12.500") or why it is not one yet. */
  readonly parsed: ParsedAmount = $derived(parseAmount(this.text, this.decimals));

  /** Apply one key: a digit, '.', ',' (decimal on some keypads), Backspace, Escape. Returns whether it was used. */
  press(key: string): boolean {
    const k = toLatinDigits(key);
    if (k >= '0' && k <= '9' && k.length === 1) return this.digit(k);
    if (k === '.' || k === ',') return this.point();
    if (k === 'Backspace') return this.backspace();
    if (k === 'Escape') return this.clear();
    return false;
  }

  digit(d: string): boolean {
    const [intPart = '', frac] = this.text.split('.');
    if (frac !== undefined) {
      if (frac.length >= this.decimals) return false;
      this.text += d;
      return true;
    }
    if (intPart === '0') {
      this.text = d; // no leading zeros: "0" then "5" is "5"
      return true;
    }
    if (intPart.length >= MAX_INTEGER_DIGITS) return false;
    this.text += d;
    return true;
  }

  point(): boolean {
    if (this.decimals === 0 || this.text.includes('.')) return false;
    this.text = (this.text === '' ? '0' : this.text) + '.';
    return true;
  }

  backspace(): boolean {
    if (this.text === '') return false;
    this.text = this.text.slice(0, -1);
    return true;
  }

  clear(): boolean {
    const had = this.text !== '';
    this.text = '';
    return had;
  }

  /** Replace the text from free input (paste, IME), keeping only what the rules allow. */
  setFromText(input: string): void {
    this.text = '';
    for (const ch of toLatinDigits(input)) {
      if (ch !== ',') this.press(ch);
    }
  }

  /** Set from an existing amount ("12.500" → "12.5"). */
  setAmount(amount: string): void {
    let text = amount;
    if (text.includes('.')) text = text.replace(/0+$/, '').replace(/\.$/, '');
    this.setFromText(text);
  }

  /** Change currency: trims decimals the new currency does not have. */
  setCurrency(code: string, known: Parameters<typeof currencyDecimals>[1] = []): void {
    this.decimals = currencyDecimals(code, known);
    const [intPart = '', frac] = this.text.split('.');
    if (frac === undefined) return;
    this.text = this.decimals === 0 ? intPart : `${intPart}.${frac.slice(0, this.decimals)}`;
  }
}
