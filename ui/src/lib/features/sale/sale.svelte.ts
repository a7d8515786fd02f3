// The open sale: live state from `sale-updated`, sharing, editing the amount, canceling.
import type { Backend } from '../../api/backend';
import type { CommandError, Sale, SaleState, ShareLinks } from '../../api/types';
import { toCommandError } from '../../api/errors';
import { currencyDecimals } from '../../format/money';
import { i18n } from '../../i18n/index.svelte';
import { Keypad } from '../new-sale/keypad.svelte';

/** States in which the customer can still pay, so the amount can change and the sale can be canceled. */
export const OPEN_STATES: readonly SaleState[] = ['created', 'pending', 'attempted'];
/** States that end the sale. */
export const FINAL_STATES: readonly SaleState[] = [
  'paid', 'failed', 'canceled', 'expired', 'invalided', 'refunded', 'rejected', 'cod', 'authorized',
];

/** Payments older than this (e.g. replayed when the app starts) do not raise a notification. */
const RECENT_PAYMENT_MS = 10 * 60_000;

export type ShareKind = 'whatsapp' | 'sms' | 'email';

export class SaleStore {
  sale = $state<Sale | null>(null);
  links = $state<ShareLinks | null>(null);
  /** The full-screen "Paid" moment. */
  showPaid = $state(false);
  editing = $state(false);
  readonly editKeypad = new Keypad();
  editError = $state<string | null>(null);
  confirmingCancel = $state(false);
  busy = $state(false);
  error = $state<CommandError | null>(null);
  private readonly notified = new Set<string>();

  readonly isOpen = $derived(this.sale !== null && OPEN_STATES.includes(this.sale.state));
  readonly isPaid = $derived(this.sale?.state === 'paid');

  constructor(private readonly api: Backend) {}

  /** Show a sale (fresh from Create, or reopened from History). */
  open(sale: Sale): void {
    this.sale = sale;
    this.links = null;
    this.showPaid = false;
    this.editing = false;
    this.confirmingCancel = false;
    this.error = null;
    this.editError = null;
    void this.loadLinks(sale.id);
    // History lists leave the QR out: get the whole sale (the core then also tracks it closely
    // as the sale on screen).
    if (sale.qr_svg === null) void this.loadSale(sale.id);
  }

  private async loadSale(id: string): Promise<void> {
    try {
      const full = await this.api.getSale(id);
      if (this.sale?.id === id) this.applyUpdate(full);
    } catch {
      // The list's copy stays on screen; only its QR is missing.
    }
  }

  async loadLinks(id: string): Promise<void> {
    try {
      const links = await this.api.shareLinks(id);
      if (this.sale?.id === id) this.links = links;
    } catch {
      // Share buttons stay disabled; Copy still works from `sale.link`.
    }
  }

  /** A `sale-updated` event. Older snapshots of the same sale are ignored. */
  applyUpdate(update: Sale, now: number = Date.now()): void {
    const current = this.sale;
    if (!current || update.id !== current.id) {
      // Another sale (the cashier has moved on): a fresh payment still gets a desktop notification.
      const paidAt = update.paid_at ? Date.parse(update.paid_at) : NaN;
      if (update.state === 'paid' && now - paidAt <= RECENT_PAYMENT_MS) this.notifyPaid(update);
      return;
    }
    if (update.updated_at < current.updated_at) return;
    const becamePaid = update.state === 'paid' && current.state !== 'paid';
    this.sale = update;
    if (update.link !== current.link || update.amount !== current.amount) void this.loadLinks(update.id);
    if (!OPEN_STATES.includes(update.state)) {
      this.editing = false;
      this.confirmingCancel = false;
    }
    if (becamePaid) {
      this.showPaid = true;
      this.notifyPaid(update);
    }
  }

  /** One desktop notification per paid sale, however many events repeat it. */
  private notifyPaid(sale: Sale): void {
    if (this.notified.has(sale.id)) return;
    this.notified.add(sale.id);
    const amount = i18n.money(sale.amount, sale.currency_code);
    void this.api.notify(i18n.t('sale.notify_title'), `${amount} · ${sale.order_no}`).catch(() => undefined);
  }

  async copyLink(): Promise<boolean> {
    const link = this.sale?.link;
    if (!link) return false;
    await this.api.copyText(link);
    return true;
  }

  /** Open the share link through the system; waits for the links if they are still loading. */
  async share(kind: ShareKind): Promise<boolean> {
    const sale = this.sale;
    if (!sale) return false;
    if (!this.links) this.links = await this.api.shareLinks(sale.id);
    const url = this.links[kind];
    if (!url) return false;
    await this.api.openExternal(url);
    return true;
  }

  /** Sharing is for sales the customer can still pay, on channels the core gave a link for. */
  canShare(kind: ShareKind): boolean {
    return !!this.sale?.link && this.isOpen && (this.links === null || this.links[kind] !== null);
  }

  startEdit(): void {
    if (!this.sale || !this.isOpen) return;
    this.editKeypad.decimals = currencyDecimals(this.sale.currency_code);
    this.editKeypad.setAmount(this.sale.amount);
    this.editError = null;
    this.editing = true;
  }

  stopEdit(): void {
    this.editing = false;
    this.editError = null;
  }

  async saveEdit(): Promise<boolean> {
    const sale = this.sale;
    if (!sale) return false;
    const parsed = this.editKeypad.parsed;
    if (!parsed.ok) {
      this.editError = i18n.t(`amount.${parsed.error}`, {
        currency: sale.currency_code,
        decimals: this.editKeypad.decimals,
      });
      return false;
    }
    this.busy = true;
    try {
      this.applyFresh(await this.api.editSale(sale.id, { amount: parsed.amount }));
      this.editing = false;
      this.editError = null;
      return true;
    } catch (e) {
      const err = toCommandError(e);
      this.editError = err.fields['amount']?.join(' ') ?? null;
      if (!this.editError) this.error = err;
      return false;
    } finally {
      this.busy = false;
    }
  }

  async cancel(): Promise<boolean> {
    const sale = this.sale;
    if (!sale) return false;
    this.busy = true;
    try {
      this.applyFresh(await this.api.cancelSale(sale.id));
      this.confirmingCancel = false;
      return true;
    } catch (e) {
      this.error = toCommandError(e);
      return false;
    } finally {
      this.busy = false;
    }
  }

  async showToCustomer(): Promise<void> {
    if (this.sale) await this.api.showCustomerDisplay(this.sale.id);
  }

  dismissPaid(): void {
    this.showPaid = false;
  }

  close(): void {
    this.sale = null;
    this.links = null;
    this.showPaid = false;
    this.editing = false;
    this.confirmingCancel = false;
  }

  /** A command's answer: same path as an event so the paid moment is never missed. */
  private applyFresh(sale: Sale): void {
    this.applyUpdate(sale);
  }
}
