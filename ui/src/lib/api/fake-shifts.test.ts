import { describe, expect, it } from 'vitest';
import { createFakeBackend } from './fake';

// The fake mirrors pos-core's shifts (till/shifts.rs) and reports (reports.rs); the same day is
// tested against the real core in till/shifts/tests.rs.
describe('fake backend shifts', () => {
  it('opens with a float, takes a cash sale with change and closes into a Z report', async () => {
    const api = createFakeBackend();
    await expect(api.cashSale({ amount: '1', tendered: '1', note: null })).rejects.toMatchObject({
      problem: { code: 'no_open_shift' },
    });
    const shift = await api.openShift('50');
    expect(shift.opening_float).toBe('50.000');
    await expect(api.openShift('1')).rejects.toMatchObject({ problem: { code: 'shift_already_open' } });

    const sold = await api.cashSale({ amount: '12.345', tendered: '20', note: null });
    expect(sold.change).toBe('7.655');
    expect(sold.sale.state).toBe('paid');
    expect(sold.sale.offered_operations).toEqual([]);
    await expect(api.cashSale({ amount: '5', tendered: '4.999', note: null })).rejects.toMatchObject({
      fields: { tendered: [{ code: 'tendered_short' }] },
    });
    await api.recordCash({ kind: 'in', amount: '10', reason: 'coins' });
    await expect(api.recordCash({ kind: 'in', amount: '1', reason: ' ' })).rejects.toMatchObject({
      fields: { reason: [{ code: 'cash_reason_empty' }] },
    });

    const x = await api.shiftReport(null, 'x');
    expect(x.cash.expected).toBe('72.345');
    const z = await api.closeShift('72');
    expect(z.cash.variance).toBe('-0.345');
    expect(z.by_method).toEqual([{ method: 'cash', gateway: null, currency_code: 'KWD', count: 1, total: '12.345' }]);
    expect(await api.shiftReport(null, 'z')).toEqual(z);
    expect(await api.currentShift()).toBeNull();
  });
});
