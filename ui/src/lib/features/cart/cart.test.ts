// The cart against the fake backend, which mirrors pos-core's catalog, cart pricing and invoices.
import { beforeEach, describe, expect, it } from 'vitest';
import { createFakeBackend, type FakeBackend } from '../../api/fake';
import type { CatalogItem } from '../../api/types';
import { i18n } from '../../i18n/index.svelte';
import { NewSaleStore } from '../new-sale/newSale.svelte';
import { CartStore } from './cart.svelte';

let api: FakeBackend;
let cart: CartStore;
let tea: CatalogItem;
let dates: CatalogItem;

beforeEach(async () => {
  i18n.setLanguage('en', false);
  api = createFakeBackend();
  cart = new CartStore(api);
  tea = await api.saveCatalogItem({ sku: 'TEA', barcode: '6281000000011', name_en: 'Tea', price: '0.750', currency_code: 'KWD', vat_rate: 0, favourite: true });
  dates = await api.saveCatalogItem({ sku: 'DATES', barcode: '6281000000028', name_en: 'Dates', price: '2.250', currency_code: 'KWD', vat_rate: 0 });
  await api.saveCatalogItem({ sku: 'RIYAL', name_en: 'Saudi coffee', price: '12.00', currency_code: 'SAR', vat_rate: 15, favourite: true });
  await cart.loadFavourites('KWD');
});

describe('CartStore', () => {
  it('a scanned barcode adds its item and the till prices the cart', async () => {
    expect(await cart.scan('6281000000011')).toMatchObject({ id: tea.id });
    expect(cart.lines.map((l) => [l.item?.sku, l.quantity])).toEqual([['TEA', 1]]);
    expect(cart.totals?.total).toBe('0.750');
    expect(cart.unknownCode).toBeNull();
  });

  it('scanning the same item again raises its quantity; a SKU scans too', async () => {
    await cart.scan('6281000000011');
    await cart.scan('TEA');
    await cart.scan('6281000000028');
    expect(cart.lines.map((l) => [l.item?.sku, l.quantity])).toEqual([
      ['TEA', 2],
      ['DATES', 1],
    ]);
    expect(cart.totals?.total).toBe('3.750');
    expect(cart.totals?.lines.map((l) => l.shelf_total)).toEqual(['1.500', '2.250']);
  });

  it('an unknown code adds nothing and is kept to offer adding the item', async () => {
    await cart.scan('6281000000011');
    expect(await cart.scan('0000000000000')).toBeNull();
    expect(cart.unknownCode).toBe('0000000000000');
    expect(cart.lines).toHaveLength(1);
    expect(cart.totals?.total).toBe('0.750');
  });

  it('quantity up and down, to zero removes the line; remove empties the cart', async () => {
    await cart.add(dates);
    const key = cart.lines[0]!.key;
    await cart.setQuantity(key, 3);
    expect(cart.totals?.total).toBe('6.750');
    await cart.setQuantity(key, 0);
    expect(cart.empty).toBe(true);
    expect(cart.totals).toBeNull();
    await cart.add(tea);
    await cart.remove(cart.lines[0]!.key);
    expect(cart.empty).toBe(true);
  });

  it('a custom amount is a line of its own', async () => {
    await cart.add(tea);
    await cart.addCustom('1.250');
    expect(cart.input().lines).toEqual([{ quantity: '1', item_id: tea.id }, { quantity: '1', unit_price: '1.250' }]);
    expect(cart.totals?.lines[1]?.description).toBe('Custom amount');
    expect(cart.totals?.total).toBe('2.000');
  });

  it('a percentage off a line is priced by the till; a bad one is refused and fixing it recovers', async () => {
    await cart.add(dates);
    await cart.add(tea);
    const key = cart.lines[0]!.key;
    await cart.setDiscount(key, '10');
    expect(cart.input().lines[0]).toEqual({ quantity: '1', item_id: dates.id, discount: { kind: 'percent', value: '10' } });
    expect(cart.totals?.lines.map((l) => [l.line_discount, l.shelf_total])).toEqual([
      ['0.225', '2.025'],
      ['0.000', '0.750'],
    ]);
    expect(cart.totals?.total).toBe('2.775');
    await cart.setDiscount(key, '150');
    expect(cart.totals).toBeNull();
    expect(cart.error).not.toBeNull();
    await cart.setDiscount(key, '');
    expect(cart.error).toBeNull();
    expect(cart.totals?.total).toBe('3.000');
  });

  it('favourites are the favourite items in the sale currency', () => {
    expect(cart.favourites.map((i) => i.sku)).toEqual(['TEA']);
  });

  it('an item archived after it was added makes the pricing fail on its line', async () => {
    await cart.add(dates);
    await api.archiveCatalogItem(dates.id, dates.version, true);
    await cart.reprice();
    expect(cart.totals).toBeNull();
    expect(cart.error?.code).toBe('invalid_input');
  });

  it('charging creates an invoice sale with the cart lines and its total', async () => {
    const sale = new NewSaleStore(api);
    sale.init(await api.appState());
    sale.customer_name = 'Fatma';
    await cart.scan('6281000000011');
    await cart.scan('6281000000011');
    await cart.scan('6281000000028');
    const created = await sale.submitCart(cart.input(), cart.totals!.total);
    expect(sale.formError).toBeNull();
    expect(created?.amount).toBe('3.750');
    expect(created?.customer_name).toBe('Fatma');
    expect(created?.cart?.lines.map((l) => [l.sku, l.quantity])).toEqual([
      ['TEA', '2'],
      ['DATES', '1'],
    ]);
    expect(created?.qr_svg).toContain('<svg');
    expect((await api.history({})).sales).toHaveLength(1);
  });

  it('the sale screen search finds items by English or Arabic name or SKU, in the sale currency; a tap adds one', async () => {
    expect(cart.hasCatalog).toBe(true);
    await api.saveCatalogItem({ sku: 'KARAK', name_en: 'Karak tea', name_ar: 'شاي كرك', price: '0.500', currency_code: 'KWD', vat_rate: 0 });
    await cart.search('tea');
    expect(cart.searchResults.map((i) => i.sku)).toEqual(['TEA', 'KARAK']);
    await cart.search('كرك');
    expect(cart.searchResults.map((i) => i.sku)).toEqual(['KARAK']);
    await cart.search('DATES');
    expect(cart.searchResults.map((i) => i.sku)).toEqual(['DATES']);
    // The SAR item matches "coffee" but is not offered on a KWD sale.
    await cart.search('coffee');
    expect(cart.searchResults).toEqual([]);
    await cart.search('karak');
    await cart.addFound(cart.searchResults[0]!);
    expect(cart.searchText).toBe('');
    expect(cart.searchResults).toEqual([]);
    expect(cart.lines.map((l) => l.item?.sku)).toEqual(['KARAK']);
    expect(cart.totals?.total).toBe('0.500');
  });

  it('a till without items offers no search', async () => {
    const empty = new CartStore(createFakeBackend());
    await empty.loadFavourites('KWD');
    expect(empty.hasCatalog).toBe(false);
  });

  it('a quantity from the keypad replaces the line quantity; a non-number changes nothing', async () => {
    await cart.add(tea);
    const key = cart.lines[0]!.key;
    expect(await cart.setQuantityText(key, '4')).toBe(true);
    expect(cart.input().lines[0]?.quantity).toBe('4');
    expect(cart.totals?.total).toBe('3.000');
    expect(await cart.setQuantityText(key, '')).toBe(false);
    expect(await cart.setQuantityText(key, '0')).toBe(false);
    expect(cart.lines[0]?.quantity).toBe(4);
  });

  it('a line discount as an amount, and a whole-sale discount as percent then amount', async () => {
    await cart.add(dates);
    await cart.add(tea);
    await cart.setDiscount(cart.lines[0]!.key, '0.250', 'amount');
    expect(cart.input().lines[0]?.discount).toEqual({ kind: 'amount', value: '0.250' });
    expect(cart.totals?.total).toBe('2.750');
    await cart.setSaleDiscount('10');
    expect(cart.input().discount).toEqual({ kind: 'percent', value: '10' });
    expect(cart.totals?.sale_discount).toBe('0.275');
    expect(cart.totals?.total).toBe('2.475');
    await cart.setSaleDiscount('1.000', 'amount');
    expect(cart.input().discount).toEqual({ kind: 'amount', value: '1.000' });
    expect(cart.totals?.total).toBe('1.750');
    // More off than the sale costs is refused by the till; taking it off recovers.
    await cart.setSaleDiscount('5.000');
    expect(cart.totals).toBeNull();
    expect(cart.error).not.toBeNull();
    await cart.setSaleDiscount('');
    expect(cart.input().discount).toBeUndefined();
    expect(cart.totals?.total).toBe('2.750');
    cart.clear();
    expect(cart.saleDiscount).toBe('');
  });

  it('a scanned line is in the cart before the till has priced it (it shows at once)', async () => {
    await cart.scan('6281000000028');
    let seen: [number, string | undefined] | null = null;
    const item = await cart.scan('6281000000011', () => {
      seen = [cart.lines.length, cart.totals?.total];
    });
    expect(item?.sku).toBe('TEA');
    // The new line was there while the totals were still the one-line cart's.
    expect(seen).toEqual([2, '2.250']);
    expect(cart.totals?.total).toBe('3.000');
  });
});

describe('CartStore scan index', () => {
  /** Save `item` with `changes`, as the catalog screen would (a barcode of '' takes it off). */
  function edit(item: CatalogItem, changes: { price?: string; name_en?: string; barcode?: string }) {
    return api.saveCatalogItem({
      id: item.id,
      version: item.version,
      sku: item.sku,
      barcode: changes.barcode ?? item.barcode ?? undefined,
      name_en: changes.name_en ?? item.name_en,
      price: changes.price ?? item.price,
      currency_code: item.currency_code,
      vat_rate: item.vat_rate,
    });
  }

  /** The till's look-up held until `release()`, to see what the screen shows before it answers. */
  function holdLookups(): { release: () => void; calls: () => number } {
    const real = api.catalogLookup.bind(api);
    let calls = 0;
    let open: () => void = () => {};
    const gate = new Promise<void>((resolve) => (open = resolve));
    api.catalogLookup = async (code) => {
      calls++;
      await gate;
      return real(code);
    };
    return { release: () => open(), calls: () => calls };
  }

  it('a code in the index shows its line before the till has answered its look-up', async () => {
    const held = holdLookups();
    let linesAtOnLine = -1;
    const scanned = cart.scan('6281000000028', () => (linesAtOnLine = cart.lines.length));
    expect(linesAtOnLine).toBe(1);
    expect(held.calls()).toBe(1);
    held.release();
    expect(await scanned).toMatchObject({ id: dates.id });
    expect(cart.totals?.total).toBe('2.250');
  });

  it('an item edited after the index was loaded is priced and shown as the till has it now', async () => {
    await edit(dates, { price: '3.000', name_en: 'Dates (Ajwa)' });
    expect(await cart.scan('6281000000028')).toMatchObject({ id: dates.id, price: '3.000' });
    expect(cart.totals?.total).toBe('3.000');
    expect(cart.lines.map((l) => [l.item?.name_en, l.item?.price, l.quantity])).toEqual([['Dates (Ajwa)', '3.000', 1]]);
    const sale = new NewSaleStore(api);
    sale.init(await api.appState());
    const created = await sale.submitCart(cart.input(), cart.totals!.total);
    expect(created?.amount).toBe('3.000');
  });

  it('an item archived after the index was loaded is not added, and says why', async () => {
    await cart.scan('6281000000011');
    await api.archiveCatalogItem(dates.id, dates.version, true);
    expect(await cart.scan('6281000000028')).toBeNull();
    expect(cart.lines.map((l) => [l.item?.sku, l.quantity])).toEqual([['TEA', 1]]);
    expect(cart.error?.problem.code).toBe('catalog_item_archived');
    expect(cart.unknownCode).toBeNull();
    // The index was reloaded: the next scan of that code shows no line even for a moment.
    const held = holdLookups();
    let shown = false;
    const again = cart.scan('6281000000028', () => (shown = true));
    held.release();
    expect(await again).toBeNull();
    expect(shown).toBe(false);
    expect(cart.lines).toHaveLength(1);
  });

  it('a second scan of an item archived meanwhile takes back only the scan, not the line', async () => {
    await cart.scan('6281000000028');
    await api.archiveCatalogItem(dates.id, dates.version, true);
    expect(await cart.scan('6281000000028')).toBeNull();
    expect(cart.lines.map((l) => [l.item?.sku, l.quantity])).toEqual([['DATES', 1]]);
  });

  it('a barcode moved to another item after the index was loaded adds that item', async () => {
    await edit(tea, { barcode: '' });
    await edit(dates, { barcode: '6281000000011' });
    expect(await cart.scan('6281000000011')).toMatchObject({ id: dates.id });
    expect(cart.lines.map((l) => [l.item?.sku, l.quantity])).toEqual([['DATES', 1]]);
    expect(cart.totals?.total).toBe('2.250');
  });

  it('a code deleted from every item after the index was loaded is unknown', async () => {
    await edit(tea, { barcode: '' });
    expect(await cart.scan('6281000000011')).toBeNull();
    expect(cart.lines).toHaveLength(0);
    expect(cart.unknownCode).toBe('6281000000011');
    expect(cart.totals).toBeNull();
  });

  it('an item added after the index was loaded is found by the till, then by the index', async () => {
    const coffee = await api.saveCatalogItem({ sku: 'COFFEE', barcode: '6281000000035', name_en: 'Coffee', price: '1.500', currency_code: 'KWD', vat_rate: 0 });
    expect(await cart.scan('6281000000035')).toMatchObject({ id: coffee.id });
    expect(cart.totals?.total).toBe('1.500');
    // The till's answer joins the index: the next scan of it shows its line at once.
    const held = holdLookups();
    let linesAtOnLine = -1;
    const again = cart.scan('6281000000035', () => (linesAtOnLine = cart.lines[0]!.quantity));
    expect(linesAtOnLine).toBe(2);
    held.release();
    await again;
    expect(cart.totals?.total).toBe('3.000');
  });

  it('an archived code the index never held is not added either', async () => {
    await api.archiveCatalogItem(dates.id, dates.version, true);
    await cart.loadFavourites('KWD');
    expect(await cart.scan('DATES')).toBeNull();
    expect(cart.lines).toHaveLength(0);
    expect(cart.error?.problem.code).toBe('catalog_item_archived');
  });
});
