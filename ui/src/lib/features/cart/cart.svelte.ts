// The sale screen's cart: scanned or tapped catalog items and custom amounts, priced by the till
// (`price_cart`, Ottu's invoice arithmetic) after every change.
import type { Backend } from '../../api/backend';
import type { CartInput, CartLineInput, CartTotals, CatalogItem, CommandError } from '../../api/types';
import { toCommandError } from '../../api/errors';

/** One line: a catalog item or a custom amount (`unit_price` in the shelf's basis). */
export interface CartLine {
  key: number;
  item: CatalogItem | null;
  unit_price: string | null;
  quantity: number;
  /** The line's discount as typed ('' for none), in percent or in the sale's currency. */
  discount: string;
  discountKind: DiscountKind;
}

/** How a typed discount reads: percent (0–100) or an amount in the sale's currency. */
export type DiscountKind = 'percent' | 'amount';

/** Most items the sale screen's search lists. */
export const SEARCH_LIMIT = 8;

/** Most active items the scan index holds (pos-core's search limit); a code beyond it asks the till. */
export const SCAN_INDEX_LIMIT = 5000;

/**
 * The active catalog by barcode and SKU, loaded once per catalog change, so a scan shows its line
 * without waiting for an IPC round trip. Only a hint: every scan it answers is checked against the
 * till's `catalog_lookup`, and the cart is priced (and charged) by pos-core from the item's id.
 */
class ScanIndex {
  private byCode = new Map<string, CatalogItem>();
  private loading = 0;

  /** Replace the index with `items` (active items, any currency) unless a newer load started. */
  fill(ticket: number, items: CatalogItem[]): void {
    if (ticket !== this.loading) return;
    const byCode = new Map<string, CatalogItem>();
    // pos-core's lookup prefers a barcode to a SKU; codes are unique across both anyway.
    for (const item of items) byCode.set(item.sku, item);
    for (const item of items) if (item.barcode) byCode.set(item.barcode, item);
    this.byCode = byCode;
  }

  start(): number {
    return ++this.loading;
  }

  clear(): void {
    this.loading++;
    this.byCode = new Map();
  }

  /** An item the till answered a scan with (added since the load, by another till or import). */
  learn(code: string, item: CatalogItem): void {
    this.byCode.set(code.trim(), item);
  }

  get(code: string): CatalogItem | undefined {
    return this.byCode.get(code.trim());
  }
}

/** The problem pos-core's pricing names for an archived item, said at the scan instead. */
function archivedError(item: CatalogItem): CommandError {
  const message = `${item.name_en} is archived`;
  return {
    code: 'invalid_input',
    problem: { code: 'catalog_item_archived', params: { item: item.name_en }, message },
    message,
    fields: {},
    sale_id: null,
  };
}

export class CartStore {
  lines = $state<CartLine[]>([]);
  /** The till's pricing of `lines`; null while empty. */
  totals = $state<CartTotals | null>(null);
  /** Why the cart could not be priced (a line's item archived meanwhile, …). */
  error = $state<CommandError | null>(null);
  /** A scanned code no item has: the screen offers to add it. */
  unknownCode = $state<string | null>(null);
  favourites = $state<CatalogItem[]>([]);
  /** The catalog has items to sell (the screen then offers its search even with an empty cart). */
  hasCatalog = $state(false);
  /** The sale screen's item search: what was typed and the items found (the sale's currency). */
  searchText = $state('');
  searchResults = $state<CatalogItem[]>([]);
  /** The whole-sale discount as typed ('' for none). */
  saleDiscount = $state('');
  saleDiscountKind = $state<DiscountKind>('percent');
  currency = $state('KWD');
  private searching = 0;
  private nextKey = 1;
  /** Only the newest pricing is shown when answers overtake each other. */
  private pricing = 0;
  private readonly index = new ScanIndex();

  constructor(private readonly api: Backend) {}

  get empty(): boolean {
    return this.lines.length === 0;
  }

  /**
   * The favourites grid (favourite items in the sale's currency) and the scan index. Called
   * whenever the catalog may have changed: start, profile or currency switch, back from the
   * catalog screen (edits, archive, CSV import).
   */
  async loadFavourites(currency: string): Promise<void> {
    this.currency = currency;
    await Promise.all([this.loadFavouritesOnly(currency), this.loadIndex()]);
  }

  private async loadFavouritesOnly(currency: string): Promise<void> {
    try {
      const [items, any] = await Promise.all([
        this.api.catalogSearch({ favourites: true, limit: 24 }),
        this.api.catalogSearch({ limit: 1 }),
      ]);
      this.favourites = items.filter((i) => i.currency_code === currency);
      this.hasCatalog = any.length > 0;
    } catch {
      this.favourites = [];
      this.hasCatalog = false;
    }
  }

  /** Reload the scan index; without it (a failure) every scan asks the till. */
  async loadIndex(): Promise<void> {
    const ticket = this.index.start();
    try {
      this.index.fill(ticket, await this.api.catalogSearch({ limit: SCAN_INDEX_LIMIT }));
    } catch {
      this.index.clear();
    }
  }

  /** Items whose name (either language) holds `text`, or whose SKU or barcode is `text`. */
  async search(text: string): Promise<void> {
    const ticket = ++this.searching;
    this.searchText = text;
    if (text.trim() === '') {
      this.searchResults = [];
      return;
    }
    try {
      const found = await this.api.catalogSearch({ text, limit: SEARCH_LIMIT });
      if (ticket !== this.searching) return;
      this.searchResults = found.filter((i) => i.currency_code === this.currency);
    } catch (e) {
      if (ticket !== this.searching) return;
      this.searchResults = [];
      this.error = toCommandError(e);
    }
  }

  /** A search result tapped: it joins the cart and the search is cleared for the next one. */
  async addFound(item: CatalogItem): Promise<void> {
    this.searching++;
    this.searchText = '';
    this.searchResults = [];
    await this.add(item);
  }

  /**
   * A scanned code: its item joins the cart, or `unknownCode` says none has it, or `error` says
   * it is archived. `onLine` runs as soon as the line is in the cart, before the till has priced
   * it (the line shows at once, its amount and the totals a moment later).
   *
   * A code in the scan index shows its line at once, while the till's look-up runs alongside the
   * pricing; should the till answer otherwise (the item was edited, archived or its code moved
   * since the index was loaded), its answer replaces the index's and the index is reloaded.
   */
  async scan(code: string, onLine?: () => void): Promise<CatalogItem | null> {
    this.unknownCode = null;
    const cached = this.index.get(code);
    if (!cached) return this.scanByTill(code, onLine);
    const key = this.addLine(cached);
    onLine?.();
    const [answer] = await Promise.all([this.lookUp(code), this.reprice()]);
    if (answer === 'failed') return null;
    if (answer && answer.id === cached.id && answer.version === cached.version && !answer.archived) return answer;
    void this.loadIndex();
    if (answer && answer.id === cached.id && !answer.archived) {
      // Edited meanwhile: the till priced it from its id already; the line shows the new fields.
      for (const line of this.lines) if (line.item?.id === answer.id) line.item = answer;
      return answer;
    }
    this.undoLine(key);
    await this.addFromTill(code, answer);
    return answer && !answer.archived ? answer : null;
  }

  /** The till's answer for `code`, or 'failed' (then `error` says why). */
  private async lookUp(code: string): Promise<CatalogItem | null | 'failed'> {
    try {
      return await this.api.catalogLookup(code);
    } catch (e) {
      this.error = toCommandError(e);
      return 'failed';
    }
  }

  private async scanByTill(code: string, onLine?: () => void): Promise<CatalogItem | null> {
    const answer = await this.lookUp(code);
    if (answer === 'failed') return null;
    if (answer && !answer.archived) this.index.learn(code, answer);
    await this.addFromTill(code, answer, onLine);
    return answer && !answer.archived ? answer : null;
  }

  /** The till's look-up answer applied: the item added, or the code unknown, or archived. */
  private async addFromTill(code: string, item: CatalogItem | null, onLine?: () => void): Promise<void> {
    if (!item) {
      this.unknownCode = code;
      await this.reprice();
    } else if (item.archived) {
      // An archived item is not for sale: its code is neither added nor offered as new.
      await this.reprice();
      this.error = archivedError(item);
    } else {
      await this.add(item, onLine);
    }
  }

  /** Add one of `item`: a second scan of the same item raises its line's quantity. */
  async add(item: CatalogItem, onLine?: () => void): Promise<void> {
    this.unknownCode = null;
    this.addLine(item);
    onLine?.();
    await this.reprice();
  }

  /** One more of `item` in the cart; answers its line's key. */
  private addLine(item: CatalogItem): number {
    const same = this.lines.find((l) => l.item?.id === item.id);
    if (same) {
      same.quantity += 1;
      return same.key;
    }
    const key = this.nextKey++;
    this.lines.push({ key, item, unit_price: null, quantity: 1, discount: '', discountKind: 'percent' });
    return key;
  }

  /** Take back one `addLine` (the till answered otherwise than the scan index). */
  private undoLine(key: number): void {
    const line = this.lines.find((l) => l.key === key);
    if (!line) return;
    if (line.quantity > 1) line.quantity -= 1;
    else this.lines = this.lines.filter((l) => l.key !== key);
  }

  /** A typed amount as its own line. */
  async addCustom(amount: string): Promise<void> {
    this.lines.push({ key: this.nextKey++, item: null, unit_price: amount, quantity: 1, discount: '', discountKind: 'percent' });
    await this.reprice();
  }

  async setQuantity(key: number, quantity: number): Promise<void> {
    const line = this.lines.find((l) => l.key === key);
    if (!line) return;
    if (quantity < 1) return this.remove(key);
    line.quantity = quantity;
    await this.reprice();
  }

  /**
   * A quantity typed on the keypad (`text`, e.g. "3" or a weight "1.25"); answers false when it
   * is not a number above 0 (nothing changes). The till checks its decimals.
   */
  async setQuantityText(key: number, text: string): Promise<boolean> {
    const quantity = Number(text.trim());
    if (text.trim() === '' || !Number.isFinite(quantity) || quantity <= 0) return false;
    await this.setQuantity(key, quantity);
    return true;
  }

  /** A discount off one line ('' takes it off), in percent unless `kind` says amount; the till checks it (`cart_discount_invalid`…). */
  async setDiscount(key: number, value: string, kind?: DiscountKind): Promise<void> {
    const line = this.lines.find((l) => l.key === key);
    if (!line) return;
    line.discount = value.trim();
    if (kind) line.discountKind = kind;
    await this.reprice();
  }

  /** A discount off the whole sale ('' takes it off), spread over the lines by the till. */
  async setSaleDiscount(value: string, kind?: DiscountKind): Promise<void> {
    this.saleDiscount = value.trim();
    if (kind) this.saleDiscountKind = kind;
    await this.reprice();
  }

  async remove(key: number): Promise<void> {
    this.lines = this.lines.filter((l) => l.key !== key);
    await this.reprice();
  }

  clear(): void {
    this.lines = [];
    this.saleDiscount = '';
    this.saleDiscountKind = 'percent';
    this.totals = null;
    this.error = null;
    this.unknownCode = null;
    this.pricing++;
  }

  /** What `price_cart` and `create_sale` take. */
  input(): CartInput {
    const cart: CartInput = {
      currency_code: this.currency,
      lines: this.lines.map((l): CartLineInput => {
        const line: CartLineInput = { quantity: String(l.quantity) };
        if (l.item) line.item_id = l.item.id;
        else if (l.unit_price !== null) line.unit_price = l.unit_price;
        if (l.discount !== '') line.discount = { kind: l.discountKind, value: l.discount };
        return line;
      }),
    };
    if (this.saleDiscount !== '') cart.discount = { kind: this.saleDiscountKind, value: this.saleDiscount };
    return cart;
  }

  async reprice(): Promise<void> {
    const ticket = ++this.pricing;
    if (this.lines.length === 0) {
      this.totals = null;
      this.error = null;
      return;
    }
    try {
      const totals = await this.api.priceCart(this.input());
      if (ticket !== this.pricing) return;
      this.totals = totals;
      this.error = null;
    } catch (e) {
      if (ticket !== this.pricing) return;
      this.totals = null;
      this.error = toCommandError(e);
    }
  }
}
