import { beforeEach, describe, expect, it } from 'vitest';
import { createFakeBackend, type FakeBackend } from '../../api/fake';
import { i18n } from '../../i18n/index.svelte';
import { CashSaleStore, quickTenders } from './cashSale.svelte';
import { ShiftStore } from './shift.svelte';

let api: FakeBackend;
let shift: ShiftStore;

beforeEach(async () => {
  i18n.setLanguage('en', false);
  api = createFakeBackend();
  shift = new ShiftStore(api, () => 3);
  await shift.load();
});

describe('quickTenders', () => {
  it('offers the exact sum, then the next round sums above it', () => {
    expect(quickTenders('3.250', 3)).toEqual(['3.250', '4.000', '5.000', '10.000', '20.000']);
    expect(quickTenders('47', 0)).toEqual(['47', '48', '50', '60', '100']);
  });

  it('offers a round sum once, as the exact one', () => {
    expect(quickTenders('20.00', 2, 4)).toEqual(['20.00', '21.00', '25.00', '30.00']);
  });

  it('offers nothing for nothing', () => {
    expect(quickTenders('0.000', 3)).toEqual([]);
  });
});

describe('ShiftStore', () => {
  it('opens with a float; a bad float is refused on its field in the window language', async () => {
    expect(shift.loaded).toBe(true);
    expect(shift.current).toBeNull();
    shift.floatText = '1.2345';
    expect(await shift.open()).toBeNull();
    expect(shift.errors['opening_float']).toMatch(/3 decimals/);
    i18n.setLanguage('ar', false);
    expect(await shift.open()).toBeNull();
    expect(shift.errors['opening_float']).toMatch(/[\u0600-\u06ff]/);
    i18n.setLanguage('en', false);

    shift.floatText = '50';
    const opened = await shift.open();
    expect(opened?.opening_float).toBe('50.000');
    expect(shift.current?.id).toBe(opened?.id);
    expect(shift.floatText).toBe('');
  });

  it('records cash in with a reason, refuses an empty reason on its field', async () => {
    shift.floatText = '10';
    await shift.open();
    shift.entryKind = 'in';
    shift.entryAmount = '5';
    shift.entryReason = ' ';
    expect(await shift.recordCash()).toBeNull();
    expect(shift.errors['reason']).toBeTruthy();
    shift.entryReason = 'coins from the bank';
    const after = await shift.recordCash();
    expect(after?.cash_entries.map((e) => [e.kind, e.amount, e.reason])).toEqual([['in', '5.000', 'coins from the bank']]);
    expect(shift.entryAmount).toBe('');
  });

  it('a cashier may not take cash out: the core refuses, the error is shown above the form', async () => {
    await api.saveStaff({ id: 'staff-1', name: 'Owner', role: 'owner', pin: '1234' });
    await api.saveStaff({ name: 'Ali', role: 'cashier', pin: '1111' });
    await api.unlock('1111');
    shift.floatText = '10';
    await shift.open();
    shift.entryKind = 'out';
    shift.entryAmount = '1';
    shift.entryReason = 'lunch';
    expect(await shift.recordCash()).toBeNull();
    expect(shift.error?.code).toBe('not_allowed');
  });

  it('previews expected, counted and variance, then closes into the Z report it shows', async () => {
    shift.floatText = '20';
    await shift.open();
    await api.cashSale({ amount: '3.250', tendered: '5', note: null });
    const x = await api.shiftReport(null, 'x');
    shift.countedText = '';
    expect(shift.preview(x)).toBeNull();
    shift.countedText = '23';
    expect(shift.preview(x)).toEqual({ expected: '23.250', counted: '23.000', variance: '-0.250' });
    shift.countedText = '0';
    expect(shift.preview(x)?.variance).toBe('-23.250');
    shift.countedText = '23.300';
    expect(shift.preview(x)?.variance).toBe('0.050');

    const z = await shift.close();
    expect(z?.kind).toBe('z');
    expect(z?.cash.variance).toBe('0.050');
    expect(shift.report).toEqual(z);
    expect(shift.current).toBeNull();

    await shift.loadClosed(true);
    expect(shift.closed.map((s) => s.id)).toEqual([z?.shift_id]);
    shift.report = null;
    await shift.showZ(z?.shift_id ?? '');
    expect(shift.report).toEqual(z);
  });

  it('shows the X report of the open shift and exports the report on screen as CSV', async () => {
    expect(await shift.showX()).toBeNull();
    expect(shift.error?.problem.code).toBe('no_open_shift');
    shift.floatText = '5';
    await shift.open();
    await api.cashSale({ amount: '1', tendered: '1', note: null });
    const x = await shift.showX();
    expect(x?.by_method).toEqual([{ method: 'cash', gateway: null, currency_code: 'KWD', count: 1, total: '1.000' }]);
    const saved = await shift.exportCsv();
    expect(saved?.path).toMatch(/ottu-x-report-.*\.csv$/);
    // Header excluded: 3 report rows, not_taken, one method, one staff, one hour, six cash rows.
    expect(saved?.rows).toBe(3 + 1 + 1 + 1 + 1 + 6);
  });
});

describe('report sections from carts', () => {
  it('counts discounts and VAT by rate of paid itemised sales only, as pos-core does', async () => {
    shift.floatText = '0';
    await shift.open();
    const cart = {
      currency_code: 'KWD',
      lines: [
        { unit_price: '0.250', quantity: '2', vat_rate: 5 },
        { unit_price: '1.050', vat_rate: 15 },
      ],
      discount: { kind: 'percent' as const, value: '10' },
    };
    const totals = await api.priceCart(cart);
    const paid = await api.createSale({ amount: totals.total, currency_code: 'KWD', cart });
    api.simulate(paid.id, 'paid');
    // Not paid: neither its discount nor its VAT counts.
    await api.createSale({ amount: totals.total, currency_code: 'KWD', cart });
    const x = await shift.showX();
    expect(x?.discounts).toEqual([{ currency_code: 'KWD', count: 1, total: '0.155' }]);
    expect(x?.vat).toEqual([
      { rate: 5, currency_code: 'KWD', count: 1, taxable: totals.vat[0]?.taxable, tax: totals.vat[0]?.tax },
      { rate: 15, currency_code: 'KWD', count: 1, taxable: totals.vat[1]?.taxable, tax: totals.vat[1]?.tax },
    ]);
    expect(x?.not_taken_count).toBe(1);
  });
});

describe('CashSaleStore', () => {
  it('needs an open shift', async () => {
    const cash = new CashSaleStore(api);
    cash.start('2.000', 'KWD', 3);
    expect(await cash.submit('2')).toBeNull();
    expect(cash.error?.problem.code).toBe('no_open_shift');
  });

  it('previews the change, refuses short cash on its field, then records and answers the change', async () => {
    shift.floatText = '0';
    await shift.open();
    const cash = new CashSaleStore(api);
    cash.start('7.250', 'KWD', 3);
    expect(cash.quick[0]).toBe('7.250');
    cash.tenderedText = '5';
    expect(cash.changePreview).toBeNull();
    expect(await cash.submit()).toBeNull();
    expect(cash.errors['tendered']).toMatch(/at least 7\.250/);
    expect(cash.error).toBeNull();

    cash.tenderedText = '10';
    expect(cash.changePreview).toBe('2.750');
    const done = await cash.submit();
    expect(done?.change).toBe('2.750');
    expect(done?.sale.order_no).toMatch(/^CASH-/);
    expect(cash.done).toEqual(done);
    // Recorded once: a second press does nothing.
    expect(await cash.submit()).toBeNull();
    const x = await api.shiftReport(null, 'x');
    expect(x.cash.cash_sales).toBe('7.250');
  });

  it('pays a cart in cash: the till prices it and the reports get its VAT and discount', async () => {
    shift.floatText = '0';
    await shift.open();
    const cart = {
      currency_code: 'KWD',
      lines: [{ unit_price: '1.050', vat_rate: 15 }],
      discount: { kind: 'amount' as const, value: '0.050' },
    };
    const totals = await api.priceCart(cart);
    const cash = new CashSaleStore(api);
    cash.start(totals.total, 'KWD', 3, cart);
    const done = await cash.submit('2');
    expect(done?.sale.cart?.total).toBe(totals.total);
    const x = await api.shiftReport(null, 'x');
    expect(x.discounts).toEqual([{ currency_code: 'KWD', count: 1, total: '0.050' }]);
    expect(x.vat.map((v) => v.rate)).toEqual([15]);
    // An amount other than the cart's total is refused on the amount.
    const wrong = new CashSaleStore(api);
    wrong.start('1.000', 'KWD', 3, cart);
    expect(await wrong.submit('2')).toBeNull();
    expect(wrong.errors['amount']).toBeTruthy();
  });

  it('a quick button pays that sum at once', async () => {
    shift.floatText = '0';
    await shift.open();
    const cash = new CashSaleStore(api);
    cash.start('3.250', 'KWD', 3);
    const done = await cash.submit(cash.quick[2]);
    expect(done?.tendered).toBe('5.000');
    expect(done?.change).toBe('1.750');
  });
});
