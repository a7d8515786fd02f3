import { beforeEach, describe, expect, it } from 'vitest';
import { createFakeBackend, type FakeBackend } from '../../api/fake';
import type { Sale } from '../../api/types';
import { i18n } from '../../i18n/index.svelte';
import { SaleStore } from './sale.svelte';

let api: FakeBackend;
let store: SaleStore;
let sale: Sale;

beforeEach(async () => {
  i18n.setLanguage('en', false);
  api = createFakeBackend();
  store = new SaleStore(api);
  await api.onSaleUpdated((s) => store.applyUpdate(s));
  sale = await api.createSale({ amount: '12.500', currency_code: 'KWD', customer_phone: '+965 5000 1234' });
  store.open(sale);
  await store.loadLinks(sale.id);
});

describe('SaleStore', () => {
  it('follows sale-updated: opened, then paid with the overlay and a notification', () => {
    expect(store.sale?.state).toBe('created');
    api.simulate(sale.id, 'pending');
    expect(store.sale?.state).toBe('pending');
    expect(store.showPaid).toBe(false);
    api.simulate(sale.id, 'paid');
    expect(store.sale?.state).toBe('paid');
    expect(store.showPaid).toBe(true);
    expect(api.calls.notified).toEqual(['Payment received: 12.500 KWD · ' + sale.order_no]);
    expect(store.isOpen).toBe(false);
  });

  it('does not show the paid moment twice for repeated events', () => {
    api.simulate(sale.id, 'paid');
    store.dismissPaid();
    api.simulate(sale.id, 'paid');
    expect(store.showPaid).toBe(false);
    expect(api.calls.notified).toHaveLength(1);
  });

  it('notifies once for a fresh payment of another sale, never for an old one', () => {
    const now = Date.parse('2026-11-22T10:00:00Z');
    const other = { ...sale, id: 'other', state: 'paid' as const, paid_at: '2026-11-22T09:58:00Z' };
    store.applyUpdate(other, now);
    store.applyUpdate(other, now);
    store.applyUpdate({ ...other, id: 'old', paid_at: '2026-11-22T08:00:00Z' }, now);
    expect(api.calls.notified).toEqual(['Payment received: 12.500 KWD · ' + sale.order_no]);
    expect(store.showPaid).toBe(false);
    expect(store.sale?.id).toBe(sale.id);
  });

  it('ignores other sales and older snapshots', () => {
    store.applyUpdate({ ...sale, id: 'other', state: 'paid' });
    expect(store.sale?.state).toBe('created');
    store.applyUpdate({ ...sale, state: 'failed', updated_at: '2000-01-01T00:00:00Z' });
    expect(store.sale?.state).toBe('created');
  });

  it('copies the link and opens share links through the system', async () => {
    expect(await store.copyLink()).toBe(true);
    expect(api.calls.copied).toEqual([sale.link]);
    await store.share('whatsapp');
    expect(api.calls.opened[0]).toMatch(/^https:\/\/wa\.me\/96550001234\?text=/);
  });

  it('share waits for links that are still loading', async () => {
    store.open(sale);
    expect(store.links).toBeNull();
    expect(store.canShare('sms')).toBe(true);
    expect(await store.share('sms')).toBe(true);
    expect(api.calls.opened[0]).toMatch(/^sms:\+96550001234\?&body=/);
  });

  it('edits the amount while unpaid', async () => {
    store.startEdit();
    expect(store.editKeypad.text).toBe('12.5');
    store.editKeypad.press('Backspace');
    store.editKeypad.press('7');
    expect(await store.saveEdit()).toBe(true);
    expect(store.sale?.amount).toBe('12.700');
    expect(store.editing).toBe(false);
  });

  it('shows an amount error from the core while editing', async () => {
    // The keypad only makes amounts the core takes; the payment server may still refuse one.
    const refusal = { code: 'api_rejected', message: 'refused', fields: { amount: ['above the limit for one payment'] } };
    api.editSale = () => Promise.reject(refusal);
    store.startEdit();
    store.editKeypad.setFromText('999999');
    expect(await store.saveEdit()).toBe(false);
    expect(store.editError).toMatch(/limit/);
    expect(store.sale?.amount).toBe('12.500');
  });

  it('cancels, after which it can no longer be edited or shared', async () => {
    expect(store.canShare('whatsapp')).toBe(true);
    expect(await store.cancel()).toBe(true);
    expect(store.sale?.state).toBe('canceled');
    expect(store.canShare('whatsapp')).toBe(false);
    store.startEdit();
    expect(store.editing).toBe(false);
  });

  it('a paid sale cannot be canceled and the error is kept', async () => {
    api.simulate(sale.id, 'paid');
    expect(await store.cancel()).toBe(false);
    expect(store.error?.code).toBe('invalid_input');
  });

  it('asks the shell to show the customer display', async () => {
    await store.showToCustomer();
    expect(api.calls.customerDisplay).toEqual([sale.id]);
  });
});
