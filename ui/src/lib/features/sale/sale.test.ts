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
  it('refunds part of a paid sale once, however often the dialog sends its intent', async () => {
    api.simulate(sale.id, 'paid');
    store.dismissPaid();
    store.startOperation('refund');
    const intent = store.operation?.intentId;
    expect(intent).toBeTruthy();
    store.operation!.amount.setFromText('2.5');
    // A double click: two sends of the same dialog.
    const [first, second] = await Promise.all([
      store.submitOperation(),
      api.operateSale({ intent_id: intent!, sale_id: sale.id, kind: 'refund', amount: '2.500' }),
    ]);
    expect(first).toBe(true);
    expect(second.operations).toHaveLength(1);
    expect(store.sale?.operations).toHaveLength(1);
    expect(store.sale?.operations[0]?.result_amount).toBe('2.500');
    expect(store.sale?.refundable_amount).toBe('10.000');
    expect(store.operation).toBeNull();
    const history = await api.history({});
    expect(history.today_paid[0]?.amount).toBe('10.000');
  });

  it('keeps the intent id and shows the field error when the amount is too large', async () => {
    api.simulate(sale.id, 'paid');
    store.startOperation('refund');
    const intent = store.operation!.intentId;
    store.operation!.amount.setFromText('13');
    expect(await store.submitOperation()).toBe(false);
    expect(store.operation?.errors['amount']).toMatch(/At most 12.500 KWD/);
    expect(store.operation?.intentId).toBe(intent);
  });

  it('follows sale-updated: opened, then paid with the overlay', () => {
    expect(store.sale?.state).toBe('created');
    api.simulate(sale.id, 'pending');
    expect(store.sale?.state).toBe('pending');
    expect(store.showPaid).toBe(false);
    api.simulate(sale.id, 'paid');
    expect(store.sale?.state).toBe('paid');
    expect(store.showPaid).toBe(true);
    expect(store.paidLate).toBe(false);
    expect(store.isOpen).toBe(false);
  });

  it('does not show the paid moment twice for repeated events', () => {
    api.simulate(sale.id, 'paid');
    store.dismissPaid();
    api.simulate(sale.id, 'paid');
    expect(store.showPaid).toBe(false);
  });

  it('leaves desktop notifications to the shell, which sees every sale even when hidden', () => {
    api.simulate(sale.id, 'paid');
    store.applyUpdate({ ...sale, id: 'other', state: 'paid', paid_at: new Date().toISOString() });
    expect(store.sale?.id).toBe(sale.id);
  });

  it('Check now finds a late success of a failed sale and brings the paid moment', async () => {
    api.simulate(sale.id, 'failed');
    expect(store.canCheck).toBe(true);
    expect(store.sale?.settlement.next_check_at).not.toBeNull();
    api.lateSuccess(sale.id);
    expect(await store.check()).toBe(true);
    expect(store.sale?.state).toBe('paid');
    expect(store.showPaid).toBe(true);
    expect(store.paidLate).toBe(true);
    expect(store.canCheck).toBe(false);
  });

  it('offers no Check now or new link on an open sale', () => {
    expect(store.canCheck).toBe(false);
    expect(store.canReplace).toBe(false);
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

describe('SaleStore following a sale the till is settling', () => {
  async function lost(fault: 'drop_after_commit' | 'late_commit' | 'uncancellable'): Promise<string> {
    api.armFault(fault);
    const error = await api.createSale({ amount: '4.750', currency_code: 'KWD' }).catch((e: unknown) => e);
    const id = (error as { code: string; sale_id: string | null }).sale_id;
    expect((error as { code: string }).code).toBe('ambiguous');
    expect(id).toBeTypeOf('string');
    return id as string;
  }
  const tick = () => new Promise((r) => setTimeout(r, 5));

  it('shows a sale known only by id as checking, then the sale its events bring', async () => {
    const id = await lost('drop_after_commit');
    store.openById(id);
    expect(store.pendingId).toBe(id);
    expect(store.isSettling).toBe(true);
    await tick();
    expect(store.pendingId).toBeNull();
    expect(store.sale?.id).toBe(id);
    // The cancel by order number succeeded: the link existed and is dead, a new one is safe.
    expect(store.sale?.state).toBe('canceled');
    expect(store.canReplace).toBe(true);
  });

  it('a lost create that Ottu never made stays checking, watching for a late link, and may be replaced', async () => {
    const id = await lost('late_commit');
    store.openById(id);
    await tick();
    expect(store.sale?.state).toBe('unknown');
    expect(store.isSettling).toBe(true);
    expect(store.sale?.settlement.watch_until).not.toBeNull();
    expect(store.canReplace).toBe(true);
    expect(store.canCheck).toBe(true);
  });

  it('a link that may have been paid is never replaced', async () => {
    const id = await lost('uncancellable');
    store.openById(id);
    await tick();
    expect(store.sale?.state).toBe('unknown');
    expect(store.canReplace).toBe(false);
    expect(store.sale?.problem?.code).toBe('link_may_be_paid_confirming');
    expect(store.sale?.problem?.message).toMatch(/may have paid/);
  });

  it('Make a new link shows the new sale with its QR, linked both ways', async () => {
    const id = await lost('drop_after_commit');
    store.openById(id);
    await tick();
    expect(await store.replace()).toBe(true);
    const fresh = store.sale;
    expect(fresh?.id).not.toBe(id);
    expect(fresh?.state).toBe('created');
    expect(fresh?.qr_svg).toMatch(/^<svg/);
    expect(fresh?.settlement.replaces).toBe(id);
    const old = await api.getSale(id);
    expect(old.settlement.replaced_by).toBe(fresh?.id);
    expect(old.settlement.can_replace).toBe(false);
    // A second replace of the old sale is refused.
    await expect(api.replaceSale(id)).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
