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
});
