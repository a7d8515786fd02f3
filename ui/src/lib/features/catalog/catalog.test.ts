// The catalog screen's store against the fake backend, which mirrors pos-core's catalog rules
// (validation by field, unique codes, compare-and-set, manager role, all-or-nothing CSV import).
import { beforeEach, describe, expect, it } from 'vitest';
import { createFakeBackend, type FakeBackend } from '../../api/fake';
import { fieldMessages } from '../../api/errors';
import { i18n } from '../../i18n/index.svelte';
import { CatalogStore } from './catalog.svelte';

let api: FakeBackend;
let store: CatalogStore;

const fill = (values: Partial<NonNullable<CatalogStore['form']>>) => {
  if (!store.form) throw new Error('no form open');
  Object.assign(store.form, values);
};

beforeEach(async () => {
  i18n.setLanguage('en', false);
  api = createFakeBackend();
  store = new CatalogStore(api, () => 'KWD');
  await api.saveCatalogItem({ sku: 'TEA', barcode: '6281000000011', name_en: 'Tea', name_ar: 'شاي', price: '0.750', currency_code: 'KWD', vat_rate: 0, category: 'Drinks' });
  await api.saveCatalogItem({ sku: 'DATES', name_en: 'Dates', name_ar: 'تمر', price: '2.250', currency_code: 'KWD', vat_rate: 5, category: 'Food' });
  await store.load();
});

describe('CatalogStore', () => {
  it('lists every item with the categories in use; search finds English, Arabic and SKU', async () => {
    expect(store.items.map((i) => i.sku)).toEqual(['DATES', 'TEA']);
    expect(store.categories).toEqual(['Drinks', 'Food']);
    await store.search('شا');
    expect(store.items.map((i) => i.sku)).toEqual(['TEA']);
    await store.search('dates');
    expect(store.items.map((i) => i.sku)).toEqual(['DATES']);
    await store.search('TEA');
    expect(store.items.map((i) => i.sku)).toEqual(['TEA']);
    // The tabs still show every category while the list is filtered.
    expect(store.categories).toEqual(['Drinks', 'Food']);
    await store.search('');
    await store.chooseCategory('Food');
    expect(store.items.map((i) => i.sku)).toEqual(['DATES']);
  });

  it('adds an item; field problems come back by field, in the window language', async () => {
    store.startNew({ barcode: '6280000000099' });
    expect(store.form?.barcode).toBe('6280000000099');
    expect(store.form?.currency_code).toBe('KWD');
    fill({ sku: 'BAD SKU', name_en: '', price: '1.2345' });
    expect(await store.save()).toBeNull();
    const fields = store.formError?.fields ?? {};
    expect(Object.keys(fields).sort()).toEqual(['name_en', 'price', 'sku']);
    expect(fields['sku']?.[0]?.code).toBe('catalog_code_has_space');
    expect(fields['name_en']?.[0]?.code).toBe('field_required');
    expect(fields['price']?.[0]?.code).toBe('amount_too_many_decimals');
    const ar = fieldMessages(store.formError!, 'ar');
    expect(ar['name_en']).toMatch(/[\u0600-\u06FF]/);
    fill({ sku: 'MINT', name_en: 'Mint tea', price: '1.250' });
    const saved = await store.save();
    expect(saved).toMatchObject({ sku: 'MINT', barcode: '6280000000099', price: '1.250', version: 1 });
    expect(store.form).toBeNull();
    expect(store.items.map((i) => i.sku)).toContain('MINT');
  });

  it('a code another item uses is refused on its field', async () => {
    store.startNew();
    fill({ sku: 'GREEN', barcode: 'TEA', name_en: 'Green tea', price: '1.000' });
    expect(await store.save()).toBeNull();
    expect(store.formError?.fields['barcode']?.[0]?.code).toBe('catalog_code_taken');
  });

  it('an edit over a stale version is refused and the form reloads the item as it is now', async () => {
    const tea = store.items.find((i) => i.sku === 'TEA')!;
    store.edit(tea);
    // Another till changes the price meanwhile.
    await api.saveCatalogItem({ id: tea.id, version: tea.version, sku: 'TEA', name_en: 'Tea', price: '0.800', currency_code: 'KWD', vat_rate: 0 });
    fill({ price: '0.900' });
    expect(await store.save()).toBeNull();
    expect(store.formError?.problem.code).toBe('catalog_item_changed');
    expect(store.stale).toBe(true);
    expect(store.form?.price).toBe('0.800');
    expect(store.form?.version).toBe(2);
    fill({ price: '0.900' });
    expect(await store.save()).toMatchObject({ price: '0.900', version: 3 });
    expect(store.stale).toBe(false);
  });

  it('archives and restores; favourites toggle', async () => {
    const dates = store.items.find((i) => i.sku === 'DATES')!;
    expect(await store.setArchived(dates, true)).toBe(true);
    expect(store.items.find((i) => i.sku === 'DATES')?.archived).toBe(true);
    expect(await api.catalogSearch({ text: 'dates' })).toEqual([]);
    expect(await store.setArchived(store.items.find((i) => i.sku === 'DATES')!, false)).toBe(true);
    expect((await api.catalogSearch({ text: 'dates' })).map((i) => i.sku)).toEqual(['DATES']);
    expect(await store.toggleFavourite(store.items.find((i) => i.sku === 'TEA')!)).toBe(true);
    expect((await api.catalogSearch({ favourites: true })).map((i) => i.sku)).toEqual(['TEA']);
    // A stale row (its version read before the change) is refused, and the list reloads.
    expect(await store.setArchived(dates, true)).toBe(false);
    expect(store.error?.problem.code).toBe('catalog_item_changed');
  });

  it('an import with a bad row imports nothing and reports row, column and problem; fixed, it imports', async () => {
    api.chooseCatalogFile(
      'sku,name_en,price,currency_code,vat_rate\n' + 'SALT,Salt,0.250,KWD,0\n' + 'SUGAR,Sugar,abc,KWD,7\n' + 'TEA,Tea,0.850,KWD,0\n',
    );
    const refused = await store.importCsv();
    expect(refused?.applied).toBe(false);
    expect(store.importReport?.problems.map((p) => [p.row, p.field, p.problem.code])).toEqual([
      [3, 'price', 'price_invalid'],
      [3, 'vat_rate', 'vat_rate_invalid'],
    ]);
    expect(store.items.map((i) => i.sku)).toEqual(['DATES', 'TEA']);
    expect(store.items.find((i) => i.sku === 'TEA')?.price).toBe('0.750');

    api.chooseCatalogFile('sku,name_en,price,currency_code,vat_rate\n' + 'SALT,Salt,0.250,KWD,0\n' + 'SUGAR,Sugar,0.500,KWD,5\n' + 'TEA,Tea,0.850,KWD,0\n');
    const done = await store.importCsv();
    expect(done).toMatchObject({ applied: true, added: 2, updated: 1, problems: [] });
    expect(store.items.map((i) => i.sku)).toEqual(['DATES', 'SALT', 'SUGAR', 'TEA']);
    expect(store.items.find((i) => i.sku === 'TEA')?.price).toBe('0.850');
  });

  it('a cancelled open dialog changes nothing; export writes every item, archived too', async () => {
    api.chooseCatalogFile(null);
    expect(await store.importCsv()).toBeNull();
    expect(store.importReport).toBeNull();
    await store.setArchived(store.items.find((i) => i.sku === 'DATES')!, true);
    const done = await store.exportCsv();
    expect(done?.rows).toBe(2);
    const lines = api.exportedCatalog()?.trim().split('\n') ?? [];
    expect(lines[0]).toBe('sku,barcode,name_en,name_ar,price,currency_code,vat_rate,category,favourite,archived');
    expect(lines.slice(1)).toEqual(['DATES,,Dates,تمر,2.250,KWD,5,Food,false,true', 'TEA,6281000000011,Tea,شاي,0.750,KWD,0,Drinks,false,false']);
    // What export wrote imports again unchanged.
    api.chooseCatalogFile(api.exportedCatalog());
    expect(await store.importCsv()).toMatchObject({ applied: true, added: 0, updated: 2 });
  });

  it('a cashier may not change the catalog (the till refuses; the screen is not offered)', async () => {
    await api.saveStaff({ name: 'Owner', role: 'owner', pin: '1234' });
    await api.saveStaff({ name: 'Cashier', role: 'cashier', pin: '5678' });
    await api.lock();
    await api.unlock('5678');
    store.startNew();
    fill({ sku: 'X1', name_en: 'X', price: '1.000' });
    expect(await store.save()).toBeNull();
    expect(store.formError?.code).toBe('not_allowed');
    expect(await store.importCsv()).toBeNull();
    expect(store.error?.code).toBe('not_allowed');
  });
});
