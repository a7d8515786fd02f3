// The receipt screen's state: the receipt of one paid sale, in the window's language.
import type { Backend } from '../../api/backend';
import type { CommandError, Language, Receipt, ShareLinks } from '../../api/types';
import { toCommandError } from '../../api/errors';

export class ReceiptStore {
  /** The sale whose receipt is shown. */
  saleId = $state<string | null>(null);
  receipt = $state<Receipt | null>(null);
  error = $state<CommandError | null>(null);
  loading = $state(false);
  /** The sale's share links (a channel without one, e.g. SMS with no phone, is `null`). */
  links = $state<ShareLinks | null>(null);
  private asked = 0;

  constructor(private readonly api: Backend) {}

  /** Loads sale `id`'s receipt with its items named in `language`; the last call wins. */
  async load(id: string, language: Language): Promise<void> {
    const ask = ++this.asked;
    if (this.saleId !== id) {
      this.receipt = null;
      this.links = null;
    }
    this.saleId = id;
    this.error = null;
    this.loading = true;
    try {
      const receipt = await this.api.saleReceipt(id, language);
      if (ask === this.asked) this.receipt = receipt;
      // The share buttons only: without links they stay disabled, the receipt still shows.
      const links = receipt.invoice_link ? await this.api.shareLinks(id).catch(() => null) : null;
      if (ask === this.asked) this.links = links;
    } catch (e) {
      if (ask === this.asked) this.error = toCommandError(e);
    } finally {
      if (ask === this.asked) this.loading = false;
    }
  }

  /** Sends the invoice link through the system (WhatsApp, SMS, email), as the sale screen does. */
  async share(channel: 'whatsapp' | 'sms' | 'email'): Promise<void> {
    if (this.saleId && this.canShare(channel)) await this.api.openShare(this.saleId, channel);
  }

  canShare(channel: 'whatsapp' | 'sms' | 'email'): boolean {
    return !!this.links?.[channel];
  }
}

/** The receipt's file name: `receipt-<order number>`. */
export function receiptFileName(receipt: Receipt): string {
  return `receipt-${receipt.order_no}`;
}
