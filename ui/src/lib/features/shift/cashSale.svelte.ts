// A cash sale from the new-sale screen: the price (typed amount or the cart's total), the cash
// handed over (typed or a quick button), the change due, then pos-core records it in the open
// shift. The change shown before recording is a preview; the one shown after is pos-core's.
import type { Backend } from '../../api/backend';
import type { CartInput, CashSale, CommandError } from '../../api/types';
import { toCommandError } from '../../api/errors';
import { fromMinor, parseAmount, toMinor } from '../../format/money';
import { i18n } from '../../i18n/index.svelte';

/** Notes and round sums a customer hands over, in whole units of the currency. */
const ROUND_UNITS = [1n, 5n, 10n, 20n, 50n, 100n];

/**
 * The quick tender buttons for `amount`: the exact sum first, then the next round sums above it
 * (next whole unit, next 5, 10, 20, 50, 100), distinct, at most `max` in all.
 */
export function quickTenders(amount: string, decimals: number, max = 5): string[] {
  const price = toMinor(amount, decimals);
  if (price <= 0n) return [];
  const unit = 10n ** BigInt(decimals);
  const out = [price];
  for (const step of ROUND_UNITS) {
    const size = step * unit;
    const next = (price / size + 1n) * size;
    // A sum that is itself round is offered as the exact one only.
    if (!out.includes(next)) out.push(next);
    if (out.length >= max) break;
  }
  return out.map((minor) => fromMinor(minor, decimals));
}

export class CashSaleStore {
  /** The price being paid in cash; null when the dialog is closed. */
  amount = $state<string | null>(null);
  currency = $state('KWD');
  decimals = $state(3);
  tenderedText = $state('');
  /** The cart being paid, for an itemised sale (its lines go to the reports). */
  cart = $state<CartInput | null>(null);
  /** pos-core's answer once recorded: the change to hand back. */
  done = $state<CashSale | null>(null);
  errors = $state<Record<string, string>>({});
  error = $state<CommandError | null>(null);
  busy = $state(false);

  readonly quick = $derived(this.amount === null ? [] : quickTenders(this.amount, this.decimals));

  /** Change due for what is typed; null while the cash typed is not (yet) enough or not a sum. */
  readonly changePreview = $derived.by((): string | null => {
    if (this.amount === null) return null;
    const parsed = parseAmount(this.tenderedText, this.decimals);
    if (!parsed.ok) return null;
    const change = toMinor(parsed.amount, this.decimals) - toMinor(this.amount, this.decimals);
    return change < 0n ? null : fromMinor(change, this.decimals);
  });

  constructor(private readonly api: Backend) {}

  /** Opens the dialog for `amount` (already checked by the screen) in `currency`. */
  start(amount: string, currency: string, decimals: number, cart: CartInput | null = null): void {
    this.amount = amount;
    this.cart = cart;
    this.currency = currency;
    this.decimals = decimals;
    this.tenderedText = '';
    this.done = null;
    this.errors = {};
    this.error = null;
  }

  cancel(): void {
    this.amount = null;
    this.done = null;
  }

  /** Records the sale with the cash handed over; answers pos-core's CashSale or null. */
  async submit(tendered = this.tenderedText): Promise<CashSale | null> {
    if (this.amount === null || this.busy || this.done) return null;
    this.tenderedText = tendered;
    this.busy = true;
    this.errors = {};
    this.error = null;
    try {
      this.done = await this.api.cashSale({
        amount: this.amount,
        tendered,
        note: null,
        ...(this.cart ? { cart: this.cart } : {}),
      });
      return this.done;
    } catch (e) {
      const error = toCommandError(e);
      const fields = Object.entries(i18n.fieldErrors(error));
      if (fields.length > 0) this.errors = Object.fromEntries(fields);
      if (fields.length === 0 || fields.some(([k]) => k !== 'tendered')) this.error = error;
      return null;
    } finally {
      this.busy = false;
    }
  }
}
