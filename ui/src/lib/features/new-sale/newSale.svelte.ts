// The new-sale form: keypad amount, customer details, and turning it into a SaleDraft.
import type { Backend } from '../../api/backend';
import type { AppState, CartInput, CommandError, Notify, Problem, Sale, SaleDraft } from '../../api/types';
import { toCommandError } from '../../api/errors';
import { currencyDecimals } from '../../format/money';
import { i18n, type MessageKey } from '../../i18n/index.svelte';
import { mark } from '../../metrics';
import { Keypad } from './keypad.svelte';
import { CartStore } from '../cart/cart.svelte';

export const EXPIRY_PRESETS = [15, 60, 1440, 4320] as const;
/**
 * The phone field's default. It opens with a LEFT-TO-RIGHT MARK: in the Arabic window WebKitGTK
 * lays the field's text out right to left whatever its `dir`, which showed "965+"; after the mark
 * the digits and the `+` resolve left to right (bidi rules W7 and N1). The mark is dropped
 * before the phone is sent, and pos-core ignores bidi marks in pasted numbers too.
 */
export const DEFAULT_PHONE_PREFIX = '\u200e+965 ';

/** Invisible bidi marks (LRM, RLM, isolates) that pasted or default phone numbers may carry. */
const BIDI_MARKS = /[\u200e\u200f\u2066-\u2069]/g;

/** Fields of SaleDraft that have an input on the form; server errors on others go to the form error. */
export const FORM_FIELDS = [
  'amount',
  'currency_code',
  'customer_name',
  'customer_phone',
  'customer_email',
  'order_no',
  'note',
  'expires_in_minutes',
  'notify',
  'attachment_path',
] as const;
export type FormField = (typeof FORM_FIELDS)[number];

export class NewSaleStore {
  readonly keypad = new Keypad();
  currency = $state('KWD');
  customer_name = $state('');
  customer_phone = $state(DEFAULT_PHONE_PREFIX);
  customer_email = $state('');
  order_no = $state('');
  note = $state('');
  expires_in_minutes = $state<number>(60);
  notify = $state<Notify>({ sms: false, email: false, whatsapp: false });
  /** The shell's one-time token for the file chosen in its dialog (sent as `attachment_path`). */
  attachment_path = $state<string | null>(null);
  /** That file's name, to show. */
  attachment_name = $state('');

  errors = $state<Partial<Record<FormField, string>>>({});
  formError = $state<CommandError | null>(null);
  submitting = $state(false);
  /**
   * The sale an ambiguous create left behind (the till is settling it): the form was cleared,
   * and the screen moves to that sale. Taken with `takeChecking()`.
   */
  checking = $state<string | null>(null);
  private currencies: AppState['currencies'] = [];

  /** Scanned and tapped items; empty, the screen is the typed-amount flow it always was. */
  readonly cart: CartStore;

  constructor(private readonly api: Backend) {
    this.cart = new CartStore(api);
  }

  /** Defaults from the active profile and settings. */
  init(state: AppState): void {
    this.currencies = state.currencies;
    // setCurrency loads the favourites when the currency changes; otherwise load them here, once.
    const sameCurrency = this.cart.currency === state.profile.default_currency;
    this.setCurrency(state.profile.default_currency);
    this.expires_in_minutes = state.settings.default_expiry_minutes;
    if (sameCurrency) void this.cart.loadFavourites(this.currency);
  }

  setCurrency(code: string): void {
    this.currency = code;
    this.keypad.setCurrency(code, this.currencies);
    if (this.cart.currency !== code) {
      void this.cart.loadFavourites(code);
      if (!this.cart.empty) void this.cart.reprice();
    }
    this.clearError('amount');
    this.clearError('currency_code');
  }

  clearError(field: FormField): void {
    if (this.errors[field] !== undefined) {
      const next = { ...this.errors };
      delete next[field];
      this.errors = next;
    }
  }

  /** The draft sent to `create_sale`; blank optional fields are left out (the core picks a reference). */
  draft(amount: string): SaleDraft {
    const draft: SaleDraft = { amount, currency_code: this.currency, language: i18n.lang };
    const name = this.customer_name.trim();
    const phone = this.customer_phone.replace(BIDI_MARKS, '').trim();
    const email = this.customer_email.trim();
    const orderNo = this.order_no.trim();
    const note = this.note.trim();
    if (name) draft.customer_name = name;
    if (phone && phone !== DEFAULT_PHONE_PREFIX.replace(BIDI_MARKS, '').trim() && /\d/.test(phone.replace(/^\+\d{1,4}\s*/, ''))) {
      draft.customer_phone = phone;
    }
    if (email) draft.customer_email = email;
    if (orderNo) draft.order_no = orderNo;
    if (note) draft.note = note;
    draft.expires_in_minutes = this.expires_in_minutes;
    if (this.notify.sms || this.notify.email || this.notify.whatsapp) draft.notify = { ...this.notify };
    if (this.attachment_path) draft.attachment_path = this.attachment_path;
    return draft;
  }

  /**
   * The typed amount for a cash payment (checked as `submit` checks it, the same error under the
   * amount when it is not a sum); null when it is not.
   */
  cashAmount(): string | null {
    this.formError = null;
    const parsed = this.keypad.parsed;
    if (!parsed.ok) {
      const key: MessageKey = `amount.${parsed.error}`;
      this.errors = {
        amount: i18n.t(key, { currency: this.currency, decimals: currencyDecimals(this.currency, this.currencies) }),
      };
      return null;
    }
    this.errors = {};
    return parsed.amount;
  }

  /**
   * Create the sale. Returns it, or null with `errors`/`formError` set, or null with `checking`
   * set when the answer was lost: then the draft is cleared so it can never be sent twice (the
   * till alone decides, by order number, what became of it).
   */
  async submit(): Promise<Sale | null> {
    mark('create-submit');
    if (this.submitting) return null;
    this.formError = null;
    const parsed = this.keypad.parsed;
    if (!parsed.ok) {
      const key: MessageKey = `amount.${parsed.error}`;
      this.errors = {
        amount: i18n.t(key, { currency: this.currency, decimals: currencyDecimals(this.currency, this.currencies) }),
      };
      return null;
    }
    this.errors = {};
    return this.send(this.draft(parsed.amount));
  }

  /**
   * Create the sale of a cart (an Ottu invoice) for its priced `total`: the customer details go
   * with it; the options an invoice does not carry (expiry, notifications, attachment) do not.
   */
  async submitCart(cart: CartInput, total: string): Promise<Sale | null> {
    mark('create-submit');
    if (this.submitting) return null;
    this.formError = null;
    this.errors = {};
    const draft = this.draft(total);
    delete draft.expires_in_minutes;
    delete draft.notify;
    delete draft.attachment_path;
    draft.currency_code = cart.currency_code;
    draft.cart = cart;
    return this.send(draft);
  }

  private async send(draft: SaleDraft): Promise<Sale | null> {
    this.submitting = true;
    try {
      return await this.api.createSale(draft);
    } catch (e) {
      const error = toCommandError(e);
      if (error.code === 'ambiguous' && error.sale_id) {
        this.reset();
        this.checking = error.sale_id;
      } else {
        this.applyError(error);
      }
      return null;
    } finally {
      this.submitting = false;
    }
  }

  /** Field errors next to their fields; the rest as one form error. */
  applyError(error: CommandError): void {
    const errors: Partial<Record<FormField, string>> = {};
    const leftover: Problem[] = [];
    for (const [field, text] of Object.entries(i18n.fieldErrors(error))) {
      if ((FORM_FIELDS as readonly string[]).includes(field)) errors[field as FormField] = text;
      else leftover.push(...(error.fields[field] ?? []));
    }
    this.errors = errors;
    const hasFieldErrors = Object.keys(errors).length > 0;
    const first = leftover[0];
    if (!hasFieldErrors || first) {
      // A field the form does not show (e.g. `notify`): its problem becomes the form's.
      this.formError = first ? { ...error, problem: first, message: first.message } : error;
    }
  }

  /** The sale an ambiguous create left behind, once. */
  takeChecking(): string | null {
    const id = this.checking;
    this.checking = null;
    return id;
  }

  async attach(): Promise<void> {
    const picked = await this.api.pickAttachment();
    if (picked) {
      this.attachment_path = picked.token;
      this.attachment_name = picked.name;
      this.clearError('attachment_path');
    }
  }

  /** Ready for the next customer: amount and customer details cleared, currency and expiry kept. */
  reset(): void {
    this.keypad.clear();
    this.cart.clear();
    this.customer_name = '';
    this.customer_phone = DEFAULT_PHONE_PREFIX;
    this.customer_email = '';
    this.order_no = '';
    this.note = '';
    this.notify = { sms: false, email: false, whatsapp: false };
    this.attachment_path = null;
    this.attachment_name = '';
    this.errors = {};
    this.formError = null;
  }
}
