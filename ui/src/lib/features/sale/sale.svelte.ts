// The open sale: live state from `sale-updated`, sharing, editing the amount, canceling, and
// what the till does about a sale it is settling: "Check now", "Make a new link".
//
// Desktop notifications of payments come from the shell (src-tauri/src/notify.rs), which sees
// every sale update even when the window is hidden; the UI only shows the paid moment.
import type { Backend } from '../../api/backend';
import type { CommandError, OperationInput, OperationKind, Sale, SaleState, ShareLinks } from '../../api/types';
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

/** States in which the till is still finding out whether Ottu made the sale's link. */
export const SETTLING_STATES: readonly SaleState[] = ['sending', 'unknown'];
/** States a payment is "late" from: the link had closed, or its create's answer was lost. */
const LATE_FROM: readonly SaleState[] = ['failed', 'expired', 'unknown', 'sending'];
/** States whose "Check now" asks Ottu again (a closed sale may have been paid late). */
export const CHECKABLE_STATES: readonly SaleState[] = ['sending', 'unknown', 'failed', 'expired'];

export type ShareKind = 'whatsapp' | 'sms' | 'email';

/** A refund, capture or void being asked for: one intent, kept for every retry of its dialog. */
export interface OperationDialog {
  kind: OperationKind;
  /** Minted when the dialog opens: a double click or a retry sends the same one (one operation). */
  intentId: string;
  amount: Keypad;
  approverPin: string;
  /** Field errors from the core (`amount`, `approver_pin`). */
  errors: Record<string, string>;
  error: CommandError | null;
  sending: boolean;
}

/** A fresh id per intent (crypto.randomUUID where there is one). */
export function newIntentId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return `i-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

export class SaleStore {
  sale = $state<Sale | null>(null);
  /** A sale being loaded by id (after an ambiguous create): its screen shows "Checking". */
  pendingId = $state<string | null>(null);
  links = $state<ShareLinks | null>(null);
  /** The full-screen "Paid" moment. */
  showPaid = $state(false);
  /** That payment came after the sale was failed, expired or unknown (a late success). */
  paidLate = $state(false);
  editing = $state(false);
  readonly editKeypad = new Keypad();
  editError = $state<string | null>(null);
  confirmingCancel = $state(false);
  busy = $state(false);
  error = $state<CommandError | null>(null);
  /** "Check now" is asking Ottu. */
  checking = $state(false);
  /** The refund / capture / void dialog, when open. */
  operation = $state<OperationDialog | null>(null);

  readonly isOpen = $derived(this.sale !== null && OPEN_STATES.includes(this.sale.state));
  readonly isPaid = $derived(this.sale?.state === 'paid');
  /** The till does not know yet whether Ottu made the link (or a pending sale is loading). */
  readonly isSettling = $derived(
    this.sale === null ? this.pendingId !== null : SETTLING_STATES.includes(this.sale.state),
  );
  readonly canCheck = $derived(
    this.sale !== null && this.sale.settlement.can_check && CHECKABLE_STATES.includes(this.sale.state),
  );
  readonly canReplace = $derived(this.sale?.settlement.can_replace === true);

  constructor(private readonly api: Backend) {}

  /** Show a sale (fresh from Create, or reopened from History). */
  open(sale: Sale): void {
    this.sale = sale;
    this.pendingId = null;
    this.links = null;
    this.showPaid = false;
    this.editing = false;
    this.confirmingCancel = false;
    this.error = null;
    this.editError = null;
    this.operation = null;
    void this.loadLinks(sale.id);
    // History lists leave the QR out: get the whole sale (the core then also tracks it closely
    // as the sale on screen).
    if (sale.qr_svg === null) void this.loadSale(sale.id);
  }

  /**
   * Show a sale known only by its id: the one an ambiguous create left behind, or one linked
   * from the sale on screen (replaced by / replaces). Until it loads, the screen says the till
   * is checking with Ottu; its `sale-updated` events already apply.
   */
  openById(id: string): void {
    this.close();
    this.pendingId = id;
    void this.loadSale(id);
  }

  private async loadSale(id: string): Promise<void> {
    try {
      const full = await this.api.getSale(id);
      if (this.pendingId === id) this.adopt(full);
      else if (this.sale?.id === id) this.applyUpdate(full);
    } catch (e) {
      // A list's copy stays on screen (only its QR is missing); a pending one says why not.
      if (this.pendingId === id) this.error = toCommandError(e);
    }
  }

  /** The pending sale arrived (from its load or an event): it becomes the sale on screen. */
  private adopt(sale: Sale): void {
    this.pendingId = null;
    this.sale = sale;
    this.error = null;
    if (sale.link) void this.loadLinks(sale.id);
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
  applyUpdate(update: Sale): void {
    if (this.pendingId === update.id) {
      this.adopt(update);
      return;
    }
    const current = this.sale;
    // Another sale (the cashier has moved on): the shell notifies its payment.
    if (!current || update.id !== current.id) return;
    if (update.updated_at < current.updated_at) return;
    const becamePaid = update.state === 'paid' && current.state !== 'paid';
    // Events and lists carry no operations; keep the ones a single-sale answer brought.
    if (update.operations.length === 0 && current.operations.length > 0) {
      update = { ...update, operations: current.operations, refundable_amount: update.refundable_amount ?? current.refundable_amount };
    }
    this.sale = update;
    if (update.link !== current.link || update.amount !== current.amount) void this.loadLinks(update.id);
    if (!OPEN_STATES.includes(update.state)) {
      this.editing = false;
      this.confirmingCancel = false;
    }
    // The paid moment, also for a late success (failed, expired or unknown → paid).
    if (becamePaid) {
      this.paidLate = LATE_FROM.includes(current.state);
      this.showPaid = true;
    }
  }

  /** Opens the refund, capture or void dialog with a new intent id. */
  startOperation(kind: OperationKind): void {
    const sale = this.sale;
    if (!sale) return;
    const amount = new Keypad(currencyDecimals(sale.currency_code));
    this.operation = { kind, intentId: newIntentId(), amount, approverPin: '', errors: {}, error: null, sending: false };
  }

  closeOperation(): void {
    this.operation = null;
  }

  /**
   * Sends the dialog's operation. Every click sends the same intent id, so a double click or a
   * retry after a lost answer is one operation on Ottu. Answers whether it went through (true
   * once per dialog, for the answer that closed it).
   */
  async submitOperation(): Promise<boolean> {
    const sale = this.sale;
    const dialog = this.operation;
    if (!sale || !dialog) return false;
    const input: OperationInput = { intent_id: dialog.intentId, sale_id: sale.id, kind: dialog.kind };
    if (dialog.kind !== 'void' && dialog.amount.text.trim()) {
      const parsed = dialog.amount.parsed;
      if (!parsed.ok) {
        dialog.errors = {
          amount: i18n.t(`amount.${parsed.error}`, { currency: sale.currency_code, decimals: dialog.amount.decimals }),
        };
        return false;
      }
      input.amount = parsed.amount;
    }
    if (dialog.approverPin.trim()) input.approver_pin = dialog.approverPin.trim();
    dialog.sending = true;
    dialog.errors = {};
    dialog.error = null;
    try {
      const answer = await this.api.operateSale(input);
      if (this.sale?.id === answer.id) this.sale = answer;
      // A double click answers twice with the same operation: only the first closes the dialog.
      if (this.operation?.intentId !== dialog.intentId) return false;
      this.operation = null;
      return true;
    } catch (e) {
      const err = toCommandError(e);
      const fields = Object.entries(i18n.fieldErrors(err));
      dialog.errors = Object.fromEntries(fields);
      if (fields.length === 0) dialog.error = err;
      return false;
    } finally {
      dialog.sending = false;
    }
  }

  /** "Check now": ask Ottu about the sale right away; its answer shows like an event. */
  async check(): Promise<boolean> {
    const sale = this.sale;
    if (!sale || this.checking) return false;
    this.checking = true;
    this.error = null;
    try {
      this.applyFresh(await this.api.checkSale(sale.id));
      return true;
    } catch (e) {
      this.error = toCommandError(e);
      return false;
    } finally {
      this.checking = false;
    }
  }

  /**
   * "Make a new link": a fresh sale with the same details and a new order number, shown at
   * once with its QR. If its own create is ambiguous, its screen follows it the same way.
   */
  async replace(): Promise<boolean> {
    const sale = this.sale;
    if (!sale || this.busy) return false;
    this.busy = true;
    this.error = null;
    try {
      this.open(await this.api.replaceSale(sale.id));
      return true;
    } catch (e) {
      const err = toCommandError(e);
      if (err.code === 'ambiguous' && err.sale_id) this.openById(err.sale_id);
      else this.error = err;
      return false;
    } finally {
      this.busy = false;
    }
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
    if (!this.links[kind]) return false;
    // The shell opens the link pos-core builds: the page may not open external links itself.
    await this.api.openShare(sale.id, kind);
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
      this.editError = i18n.fieldError(err, 'amount');
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
    this.pendingId = null;
    this.error = null;
    this.links = null;
    this.showPaid = false;
    this.editing = false;
    this.confirmingCancel = false;
    this.operation = null;
  }

  /** A command's answer: same path as an event so the paid moment is never missed. */
  private applyFresh(sale: Sale): void {
    this.applyUpdate(sale);
  }
}
