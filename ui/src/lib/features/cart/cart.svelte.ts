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
  /** The line's discount in percent as typed ('' for none). */
  discount: string;
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
  currency = $state('KWD');
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
      const items = await this.api.catalogSearch({ favourites: true, limit: 24 });
      this.favourites = items.filter((i) => i.currency_code === currency);
    } catch {
      this.favourites = [];
    }
  }

  /** A scanned code: its item joins the cart, or `unknownCode` says none has it. */
  async scan(code: string): Promise<CatalogItem | null> {
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
    await this.add(item);
    return item;
  }

  /** Add one of `item`: a second scan of the same item raises its line's quantity. */
  async add(item: CatalogItem): Promise<void> {
    this.unknownCode = null;
    const same = this.lines.find((l) => l.item?.id === item.id);
    if (same) same.quantity += 1;
    else this.lines.push({ key: this.nextKey++, item, unit_price: null, quantity: 1, discount: '' });
    await this.reprice();
  }

  /** A typed amount as its own line. */
  async addCustom(amount: string): Promise<void> {
    this.lines.push({ key: this.nextKey++, item: null, unit_price: amount, quantity: 1, discount: '' });
    await this.reprice();
  }

  async setQuantity(key: number, quantity: number): Promise<void> {
    const line = this.lines.find((l) => l.key === key);
    if (!line) return;
    if (quantity < 1) return this.remove(key);
    line.quantity = quantity;
    await this.reprice();
  }

  /** A percentage off one line ('' takes it off); the till checks it (`cart_discount_invalid`…). */
  async setDiscount(key: number, percent: string): Promise<void> {
    const line = this.lines.find((l) => l.key === key);
    if (!line) return;
    line.discount = percent.trim();
    await this.reprice();
  }

  async remove(key: number): Promise<void> {
    this.lines = this.lines.filter((l) => l.key !== key);
    await this.reprice();
  }

  clear(): void {
    this.lines = [];
    this.totals = null;
    this.error = null;
    this.unknownCode = null;
    this.pricing++;
  }

  /** What `price_cart` and `create_sale` take. */
  input(): CartInput {
    return {
      currency_code: this.currency,
      lines: this.lines.map((l): CartLineInput => {
        const line: CartLineInput = { quantity: String(l.quantity) };
        if (l.item) line.item_id = l.item.id;
        else if (l.unit_price !== null) line.unit_price = l.unit_price;
        if (l.discount !== '') line.discount = { kind: 'percent', value: l.discount };
        return line;
      }),
    };
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
