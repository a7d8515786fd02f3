import { describe, expect, it } from 'vitest';
import { createFakeBackend } from './fake';
import { computeDashboard, weekStartOnOrBefore, type DashboardSaleRow } from './fake-dashboard';
import { currencyDecimals } from '../format/money';
import { localDay } from '../format/dates';

// The fake mirrors pos-core's dashboard (dashboard.rs); the same cases are tested against the
// core in dashboard/tests.rs and, on random histories, in store/dashboard/tests.rs.
const decimals = (code: string) => currencyDecimals(code);

/** A local wall-clock time as the stored UTC instant. */
const at = (y: number, m: number, d: number, h: number, min = 0) => new Date(y, m - 1, d, h, min).toISOString();

const sale = (amount: string, code: string, method: 'cash' | 'link', pg: string[], created: string): DashboardSaleRow => ({
  amount,
  currency_code: code,
  method,
  pg_codes: pg,
  state: 'paid',
  created_at: created,
});

describe('the fake dashboard', () => {
  it('starts the week on the shop’s day', () => {
    const thursday = new Date(2026, 11, 3, 15);
    expect(localDay(weekStartOnOrBefore(thursday, 'sunday'))).toBe('2026-11-29');
    expect(localDay(weekStartOnOrBefore(thursday, 'monday'))).toBe('2026-11-30');
    expect(localDay(weekStartOnOrBefore(thursday, 'saturday'))).toBe('2026-11-28');
  });

  it('puts each taken sale on its local hour, day and method, per currency', () => {
    const pending = { ...sale('5.000', 'KWD', 'link', ['knet'], at(2026, 12, 3, 9)), state: 'pending' };
    const d = computeDashboard({
      now: new Date(2026, 11, 3, 15),
      weekStart: 'sunday',
      scope: 'shop',
      decimals,
      sales: [
        sale('12.500', 'KWD', 'link', ['knet', 'credit-card'], at(2026, 12, 3, 2, 30)),
        sale('2.250', 'KWD', 'cash', [], at(2026, 12, 3, 13, 5)),
        sale('7.000', 'KWD', 'link', ['knet'], at(2026, 12, 2, 23, 59)),
        sale('100', 'SAR', 'link', ['mada'], at(2026, 11, 22, 12)),
        pending,
      ],
      refunds: [{ amount: '1.000', currency_code: 'KWD', created_at: at(2026, 12, 3, 14) }],
    });
    expect(d.today).toBe('2026-12-03');
    expect(d.this_week_days[0]).toBe('2026-11-29');
    expect(d.last_week_days[0]).toBe('2026-11-22');
    expect(d.currencies.map((c) => c.currency_code)).toEqual(['KWD', 'SAR']);
    const kwd = d.currencies[0]!;
    expect([kwd.paid_count, kwd.paid_total, kwd.refund_count, kwd.refund_total]).toEqual([2, '14.750', 1, '1.000']);
    expect(kwd.net_total).toBe('13.750');
    expect(kwd.average_sale).toBe('7.375');
    expect(kwd.by_hour[2]).toEqual({ count: 1, total: '12.500' });
    expect(kwd.by_hour[13]).toEqual({ count: 1, total: '2.250' });
    expect(kwd.by_method.map((m) => [m.method, m.gateway, m.total])).toEqual([
      ['cash', null, '2.250'],
      ['link', 'knet+credit-card', '12.500'],
    ]);
    expect(kwd.this_week[3]!.total).toBe('7.000');
    expect(kwd.this_week[4]!.total).toBe('14.750');
    const sar = d.currencies[1]!;
    expect(sar.average_sale).toBe('0.00');
    expect(sar.last_week[0]).toEqual({ count: 1, total: '100.00' });
  });

  it('rounds the average half away from zero', () => {
    const noon = at(2026, 12, 3, 12);
    const d = computeDashboard({
      now: new Date(2026, 11, 3, 15),
      weekStart: 'monday',
      scope: 'shop',
      decimals,
      sales: [sale('0.001', 'KWD', 'cash', [], noon), sale('0.002', 'KWD', 'cash', [], noon), sale('1', 'JPY', 'cash', [], noon), sale('2', 'JPY', 'cash', [], noon)],
      refunds: [],
    });
    expect(d.currencies.map((c) => [c.currency_code, c.average_sale])).toEqual([
      ['JPY', '2'],
      ['KWD', '0.002'],
    ]);
  });

  it('shows a cashier only their own sales and a manager the shop’s, like the till', async () => {
    const api = createFakeBackend();
    await api.saveStaff({ id: 'staff-1', name: 'Huda', role: null, pin: '1234' });
    await api.saveStaff({ name: 'Ali', role: 'cashier', pin: '1111' });
    await api.saveStaff({ name: 'Mona', role: 'manager', pin: '2222' });
    await api.unlock('1111');
    await api.openShift('0');
    await api.cashSale({ amount: '5', tendered: '5', note: null });
    await api.cashSale({ amount: '1.250', tendered: '1.250', note: null });
    const link = await api.createSale({ amount: '9', currency_code: 'KWD', pg_codes: ['knet'] });
    api.simulate(link.id, 'paid');
    await api.unlock('2222');
    await api.cashSale({ amount: '2.500', tendered: '2.500', note: null });

    const shop = await api.dashboard();
    expect(shop.scope).toBe('shop');
    const kwd = shop.currencies[0]!;
    expect([kwd.paid_count, kwd.paid_total, kwd.average_sale]).toEqual([4, '17.750', '4.438']);
    expect(kwd.by_method.map((m) => [m.method, m.gateway, m.total])).toEqual([
      ['cash', null, '8.750'],
      ['link', 'knet', '9.000'],
    ]);

    await api.unlock('1111');
    const own = await api.dashboard();
    expect(own.scope).toBe('own');
    expect([own.currencies[0]!.paid_count, own.currencies[0]!.paid_total]).toEqual([3, '15.250']);

    await api.lock();
    await expect(api.dashboard()).rejects.toMatchObject({ code: 'locked' });
  });
});
