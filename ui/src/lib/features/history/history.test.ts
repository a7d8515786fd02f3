import { beforeEach, describe, expect, it } from 'vitest';
import { createFakeBackend, type FakeBackend } from '../../api/fake';
import { today } from '../../format/dates';
import { HistoryStore } from './history.svelte';

let api: FakeBackend;
let store: HistoryStore;

beforeEach(async () => {
  api = createFakeBackend();
  store = new HistoryStore(api);
  const a = await api.createSale({ amount: '4.750', currency_code: 'KWD', customer_name: 'Fatma' });
  const b = await api.createSale({ amount: '18', currency_code: 'KWD', customer_name: 'Yousef' });
  await api.createSale({ amount: '120', currency_code: 'SAR', customer_name: 'Omar' });
  const d = await api.createSale({ amount: '10', currency_code: 'SAR', customer_name: 'Ali' });
  api.simulate(a.id, 'paid');
  api.simulate(b.id, 'paid');
  api.simulate(d.id, 'paid');
});

describe('HistoryStore', () => {
  it('builds the query from the filters, leaving blanks out', () => {
    expect(store.query).toEqual({ limit: 500 });
    store.text = '  fat ';
    store.state = 'paid';
    store.from = '2026-01-01';
    store.to = '2026-01-31';
    expect(store.query).toEqual({ limit: 500, text: 'fat', state: 'paid', from: '2026-01-01', to: '2026-01-31' });
  });

  it('loads newest first with today paid totals per currency', async () => {
    await store.load();
    expect(store.sales.map((s) => s.customer_name)).toEqual(['Ali', 'Omar', 'Yousef', 'Fatma']);
    const totals = Object.fromEntries(store.totals.map((t) => [t.currency_code, [t.amount, t.count]]));
    expect(totals).toEqual({ KWD: ['22.750', 2], SAR: ['10.00', 1] });
  });

  it('filters by the staff member who made the sale', async () => {
    await api.saveStaff({ id: 'staff-1', name: 'Huda', role: null, pin: '1234' });
    await api.saveStaff({ name: 'Ali', role: 'cashier', pin: '1111' });
    await api.unlock('1111');
    const mine = await api.createSale({ amount: '2', currency_code: 'KWD', customer_name: 'Mariam' });
    expect(mine.created_by?.name).toBe('Ali');
    await store.setFilter({ staffId: mine.created_by?.id ?? '' });
    expect(store.query.staff_id).toBe(mine.created_by?.id);
    expect(store.sales.map((s) => s.customer_name)).toEqual(['Mariam']);
    await store.clearFilters();
    expect(store.sales.length).toBe(5);
  });

  it('filters by payment method: cash sales apart from links', async () => {
    await api.openShift('0');
    const cash = await api.cashSale({ amount: '1.500', tendered: '2', note: null });
    expect(cash.sale.method).toBe('cash');
    await store.setFilter({ method: 'cash' });
    expect(store.query.method).toBe('cash');
    expect(store.sales.map((s) => [s.id, s.method])).toEqual([[cash.sale.id, 'cash']]);
    await store.setFilter({ method: 'link' });
    expect(store.sales.length).toBe(4);
    expect(store.sales.every((s) => s.method === 'link')).toBe(true);
    await store.setFilter({ method: 'split' });
    expect(store.sales).toEqual([]);
    await store.clearFilters();
    expect(store.query.method).toBeUndefined();
    expect(store.sales.length).toBe(5);
  });

  it('filters by state and by text', async () => {
    await store.setFilter({ state: 'created' });
    expect(store.sales.map((s) => s.customer_name)).toEqual(['Omar']);
    await store.setFilter({ state: '' });
    store.text = 'yous';
    await store.load();
    expect(store.sales.map((s) => s.customer_name)).toEqual(['Yousef']);
  });

  it('filters by date range', async () => {
    await store.showToday();
    expect(store.from).toBe(today());
    expect(store.sales).toHaveLength(4);
    await store.setFilter({ from: '2000-01-01', to: '2000-01-02' });
    expect(store.sales).toHaveLength(0);
    await store.clearFilters();
    expect(store.sales).toHaveLength(4);
  });

  it('keeps only the newest answer when searches overlap', async () => {
    store.text = 'Omar';
    const first = store.load();
    store.text = 'Ali';
    const second = store.load();
    await Promise.all([first, second]);
    expect(store.sales.map((s) => s.customer_name)).toEqual(['Ali']);
  });

  it('updates a row from sale-updated', async () => {
    await store.load();
    const omar = store.sales.find((s) => s.customer_name === 'Omar');
    expect(omar).toBeDefined();
    store.applyUpdate({ ...omar!, state: 'expired' });
    expect(store.sales.find((s) => s.id === omar!.id)?.state).toBe('expired');
  });

  it('exports the current filter to the chosen path', async () => {
    store.state = 'paid';
    const result = await store.exportCsv();
    expect(result?.count).toBe(3);
    expect(result?.path).toMatch(/ottu-sales-.*\.csv$/);
  });
});
