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

  constructor(private readonly api: Backend) {}

  get empty(): boolean {
    return this.lines.length === 0;
  }

  /** The favourites grid: favourite items in the sale's currency. */
  async loadFavourites(currency: string): Promise<void> {
    this.currency = currency;
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
   * A scanned code: its item joins the cart, or `unknownCode` says none has it. `onLine` runs as
   * soon as the line is in the cart, before the till has priced it (the line shows at once, its
   * amount and the totals a moment later).
   */
  async scan(code: string, onLine?: () => void): Promise<CatalogItem | null> {
    this.unknownCode = null;
    let item: CatalogItem | null;
    try {
      item = await this.api.catalogLookup(code);
    } catch (e) {
      this.error = toCommandError(e);
      return null;
    }
    if (!item) {
      this.unknownCode = code;
      return null;
    }
    await this.add(item, onLine);
    return item;
  }

  /** Add one of `item`: a second scan of the same item raises its line's quantity. */
  async add(item: CatalogItem, onLine?: () => void): Promise<void> {
    this.unknownCode = null;
    const same = this.lines.find((l) => l.item?.id === item.id);
    if (same) same.quantity += 1;
    else this.lines.push({ key: this.nextKey++, item, unit_price: null, quantity: 1, discount: '', discountKind: 'percent' });
    onLine?.();
    await this.reprice();
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
