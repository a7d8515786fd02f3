import { beforeEach, describe, expect, it } from 'vitest';
import { createFakeBackend, type FakeBackend } from '../../api/fake';
import { ReconcileStore } from './reconcile.svelte';

// The fake mirrors pos-core's reconciliation (its report is its own sales with planted
// differences); the real comparison against the sandbox is tested in till/reconcile/tests.rs.
const utcToday = () => new Date().toISOString().slice(0, 10);

let api: FakeBackend;
let store: ReconcileStore;

beforeEach(() => {
  api = createFakeBackend();
  store = new ReconcileStore(api);
  store.from = utcToday();
  store.to = utcToday();
});

describe('ReconcileStore', () => {
  it('lists each planted difference and counts the matched sales', async () => {
    const kept = await api.createSale({ amount: '1', currency_code: 'KWD' });
    const dropped = await api.createSale({ amount: '2', currency_code: 'KWD' });
    const changed = await api.createSale({ amount: '3', currency_code: 'KWD' });
    expect(kept.order_no).toMatch(/^POS-DEMO-\d{8}-[A-Z0-9]{6}$/);
    api.plantInReport({ change: 'drop', order_no: dropped.order_no });
    api.plantInReport({ change: 'amount', order_no: changed.order_no, amount: '30.000' });
    await store.run();
    expect(store.error).toBeNull();
    const result = store.result!;
    expect(result.till_id).toBe('DEMO');
    expect([result.compared, result.matched]).toEqual([3, 1]);
    const found = result.differences.map((d) => [d.kind, d.order_no, d.ours, d.ottu]);
    const expected = [
      ['missing_at_ottu', dropped.order_no, '2.000', null],
      ['amount_differs', changed.order_no, '3.000', '30.000'],
    ].sort((a, b) => ((a[1] as string) < (b[1] as string) ? -1 : 1));
    expect(found).toEqual(expected);
  });

  it('refuses a backwards or too long range, naming the field', async () => {
    store.from = '2026-12-03';
    store.to = '2026-12-01';
    await store.run();
    expect(store.error?.fields['to']?.[0]?.code).toBe('reconcile_range_backwards');
    store.to = '2026-12-31';
    await store.run();
    expect(store.error?.fields['to']?.[0]?.code).toBe('reconcile_range_too_long');
    expect(store.result).toBeNull();
  });

  it('lets the owner mark the cash gateway and set the till id, which new references carry', async () => {
    await store.load();
    expect(store.setup).toEqual({ cash_pg_code: null, till_id: 'DEMO', till_id_set: false });
    store.cashPgCode = 'nope';
    await store.saveSetup();
    expect(store.setupError?.fields['cash_pg_code']?.[0]?.code).toBe('cash_gateway_unknown');
    store.cashPgCode = 'cash';
    store.tillId = 't2';
    await store.saveSetup();
    expect(store.setupError).toBeNull();
    expect(store.setup).toEqual({ cash_pg_code: 'cash', till_id: 'T2', till_id_set: true });
    const sale = await api.createSale({ amount: '1', currency_code: 'KWD' });
    expect(sale.order_no.startsWith('POS-T2-')).toBe(true);
  });

  it('is for managers and owners only', async () => {
    await api.saveStaff({ id: 'staff-1', name: 'Huda', role: null, pin: '1234' });
    await api.saveStaff({ name: 'Ali', role: 'cashier', pin: '1111' });
    await api.unlock('1111');
    await store.run();
    expect(store.error?.code).toBe('not_allowed');
  });
});
