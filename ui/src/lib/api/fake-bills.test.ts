import { describe, expect, it } from 'vitest';
import { createFakeBackend } from './fake';

// The fake mirrors pos-core's split bills (bills.rs, sales/bills.rs, store/bills.rs); the same
// rules are tested against the real core in tests/sales/bills.rs and till/bills/tests.rs.
describe('fake backend split bills', () => {
  it('takes cash and link parts, one live link at a time, until the bill is paid exactly', async () => {
    const api = createFakeBackend();
    const bill = await api.openBill('12');
    expect([bill.amount, bill.remaining, bill.state]).toEqual(['12.000', '12.000', 'open']);
    await expect(api.billCashPart(bill.id, { amount: '2', tendered: '2', note: null })).rejects.toMatchObject({
      problem: { code: 'no_open_shift' },
    });
    await api.openShift('10');
    await expect(api.billCashPart(bill.id, { amount: '12.001', tendered: '20', note: null })).rejects.toMatchObject({
      fields: { amount: [{ code: 'bill_part_too_big', params: { remaining: '12.000' } }] },
    });
    const cash = await api.billCashPart(bill.id, { amount: '4.5', tendered: '5', note: null });
    expect([cash.change, cash.sale.method, cash.sale.bill_id]).toEqual(['0.500', 'cash', bill.id]);

    const link = await api.billLinkPart(bill.id, '6');
    expect([link.method, link.bill_id, link.state]).toEqual(['link', bill.id, 'created']);
    await expect(api.billLinkPart(bill.id, '1')).rejects.toMatchObject({ problem: { code: 'bill_link_live' } });
    await expect(api.billCashPart(bill.id, { amount: '1.501', tendered: '2', note: null })).rejects.toMatchObject({
      fields: { amount: [{ code: 'bill_part_too_big', params: { remaining: '1.500' } }] },
    });
    const open = await api.bill(bill.id);
    expect([open.paid, open.remaining, open.available, open.live_link]).toEqual(['4.500', '7.500', '1.500', link.id]);

    api.simulate(link.id, 'canceled');
    const again = await api.billLinkPart(bill.id, '7.5');
    expect(again.order_no).not.toBe(link.order_no);
    api.simulate(again.id, 'paid');
    const paid = await api.bill(bill.id);
    expect([paid.state, paid.paid, paid.remaining, paid.parts.length]).toEqual(['paid', '12.000', '0.000', 3]);
    await expect(api.billLinkPart(bill.id, '0.001')).rejects.toMatchObject({ problem: { code: 'bill_paid' } });

    // Reports count each part under its own method; the history finds them as split.
    const x = await api.shiftReport(null, 'x');
    expect(x.by_method.map((m) => [m.method, m.count, m.total])).toEqual([
      ['cash', 1, '4.500'],
      ['link', 1, '7.500'],
    ]);
    const split = await api.history({ method: 'split' });
    expect(split.sales.map((s) => s.id).sort()).toEqual([cash.sale.id, link.id, again.id].sort());
    await expect(api.bill('bill_nope')).rejects.toMatchObject({ problem: { code: 'bill_not_found' } });
  });
});
