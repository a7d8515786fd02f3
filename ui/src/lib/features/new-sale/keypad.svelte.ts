// The amount keypad: builds the typed text key by key, with no floats.
import { amountChar, currencyDecimals, groupThousands, parseAmount, type ParsedAmount } from '../../format/money';

/** Whole-unit digits allowed; more is surely a slip of the finger. */
export const MAX_INTEGER_DIGITS = 9;

export class Keypad {
  /**
   * What has been typed, in ASCII: digits, at most one '.', and any ',' typed to group thousands,
   * e.g. "12.5" or "1,500". The commas stay as typed so `parsed` can refuse misplaced ones.
   */
  text = $state('');
  decimals = $state(3);

  constructor(decimals = 3) {
    this.decimals = decimals;
  }

  /** Typed text grouped by thousands ("1,234.5"); as typed when the cashier typed separators. */
  readonly grouped = $derived.by(() => {
    if (this.text.includes(',')) return this.text;
    const [intPart = '', frac] = this.text.split('.');
    const int = intPart === '' && frac !== undefined ? '0' : groupThousands(intPart);
    return frac === undefined ? int : `${int}.${frac}`;
  });

  /** The decimals still to type, shown faintly: "12.5" with KWD → "00"; with nothing typed, "0.000". */
  readonly ghost = $derived.by(() => {
    if (this.decimals === 0) return this.text === '' ? '0' : '';
    if (this.text === '') return `0.${'0'.repeat(this.decimals)}`;
    const frac = this.fracDigits();
    if (frac === undefined) return `.${'0'.repeat(this.decimals)}`;
    return '0'.repeat(Math.max(0, this.decimals - frac.length));
  });

  /** Normalized amount ("12.500") or why it is not one yet. */
  readonly parsed: ParsedAmount = $derived(parseAmount(this.text, this.decimals));

  /**
   * Apply one key: a digit, a decimal point, a thousands separator (by `amountChar`: '.' and '٫'
   * are the point, ',' and '٬' group), Backspace, Escape. Returns whether it was used.
   */
  press(key: string): boolean {
    if (key === 'Backspace') return this.backspace();
    if (key === 'Escape') return this.clear();
    const k = amountChar(key);
    if (k === '.') return this.point();
    if (k === ',') return this.group();
    if (k !== null) return this.digit(k);
    return false;
  }

  digit(d: string): boolean {
    const [intPart = '', frac] = this.text.split('.');
    if (frac !== undefined) {
      if (frac.replaceAll(',', '').length >= this.decimals) return false;
      this.text += d;
      return true;
    }
    if (intPart === '0') {
      this.text = d; // no leading zeros: "0" then "5" is "5"
      return true;
    }
    if (intPart.replaceAll(',', '').length >= MAX_INTEGER_DIGITS) return false;
    this.text += d;
    return true;
  }

  /**
   * A thousands separator, kept as typed after a digit (a doubled one or one before any digit is
   * a slip and is not taken). Whether it stands where grouping goes is `parseAmount`'s call, so a
   * misplaced one ("1,50") is refused at Create rather than guessed.
   */
  group(): boolean {
    const last = this.text.at(-1);
    if (last === undefined || last < '0' || last > '9') return false;
    this.text += ',';
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

  /**
   * Replace the text from free input (paste, IME): exactly as if it were typed key by key, so
   * pasting and typing never read an amount differently.
   */
  setFromText(input: string): void {
    this.text = '';
    for (const ch of input) this.press(ch);
  }

  /** Set from an existing amount ("12.500" → "12.5"). */
  setAmount(amount: string): void {
    let text = amount;
    if (text.includes('.')) text = text.replace(/0+$/, '').replace(/\.$/, '');
    this.setFromText(text);
  }

  /** The digits typed after the point, or undefined before one is typed. */
  private fracDigits(): string | undefined {
    return this.text.split('.')[1]?.replaceAll(',', '');
  }

  /** Change currency: trims decimals the new currency does not have. */
  setCurrency(code: string, known: Parameters<typeof currencyDecimals>[1] = []): void {
    this.decimals = currencyDecimals(code, known);
    const [intPart = '', frac] = this.text.split('.');
    if (frac === undefined) return;
    this.text = this.decimals === 0 ? intPart : `${intPart}.${frac.slice(0, this.decimals)}`;
  }
}
