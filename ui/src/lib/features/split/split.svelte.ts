// A split bill on screen: its total, what is paid and what is left, its parts, and the next
// part (cash with the change due, or a payment link shown on the usual sale screen). pos-core
// decides what a part may be (one live link at a time, never more than is left).
import type { Backend } from '../../api/backend';
import type { Bill, CashSale, CommandError, Sale } from '../../api/types';
import { toCommandError } from '../../api/errors';
import { i18n } from '../../i18n/index.svelte';

export class SplitStore {
  /** The bill being paid; null when no split is under way. */
  bill = $state<Bill | null>(null);
  /** The next part's amount, as typed (starts at what a part may be). */
  partText = $state('');
  /** Cash handed over for a cash part. */
  tenderedText = $state('');
  /** The last cash part's answer: its change stays on screen until the next part. */
  lastCash = $state<CashSale | null>(null);
  errors = $state<Record<string, string>>({});
  error = $state<CommandError | null>(null);
  busy = $state(false);

  constructor(private readonly api: Backend) {}

  /** Opens a bill of `amount` (the typed amount or the cart's total). */
  async start(amount: string): Promise<Bill | null> {
    return this.run(['amount'], async () => {
      this.lastCash = null;
      return this.show(await this.api.openBill(amount));
    });
  }

  /** Reads the bill again (a link part was paid or cancelled meanwhile). */
  async refresh(): Promise<Bill | null> {
    const id = this.bill?.id;
    if (!id) return null;
    return this.run([], async () => this.show(await this.api.bill(id)));
  }

  /** A cash part of `partText` with `tendered` handed over; the change stays on screen. */
  async addCash(tendered = this.tenderedText): Promise<CashSale | null> {
    const id = this.bill?.id;
    if (!id) return null;
    return this.run(['amount', 'tendered'], async () => {
      const done = await this.api.billCashPart(id, { amount: this.partText, tendered, note: null });
      this.lastCash = done;
      this.tenderedText = '';
      this.show(await this.api.bill(id));
      return done;
    });
  }

  /** A link part of `partText`: answers the sale to show with its QR. */
  async addLink(): Promise<Sale | null> {
    const id = this.bill?.id;
    if (!id) return null;
    return this.run(['amount'], async () => {
      const sale = await this.api.billLinkPart(id, this.partText);
      this.lastCash = null;
      this.show(await this.api.bill(id));
      return sale;
    });
  }

  /** The split is over (paid, or the cashier leaves it). */
  close(): void {
    this.bill = null;
    this.lastCash = null;
    this.errors = {};
    this.error = null;
  }

  private show(bill: Bill): Bill {
    this.bill = bill;
    this.partText = bill.available;
    return bill;
  }

  private async run<T>(fields: string[], command: () => Promise<T>): Promise<T | null> {
    if (this.busy) return null;
    this.busy = true;
    this.errors = {};
    this.error = null;
    try {
      return await command();
    } catch (e) {
      const error = toCommandError(e);
      const byField = Object.entries(i18n.fieldErrors(error)).filter(([k]) => fields.includes(k));
      if (byField.length > 0) this.errors = Object.fromEntries(byField);
      if (byField.length === 0 || Object.keys(error.fields).some((k) => !fields.includes(k))) this.error = error;
      return null;
    } finally {
      this.busy = false;
    }
  }
}
