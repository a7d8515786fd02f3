import { beforeEach, describe, expect, it } from 'vitest';
import { createFakeBackend, type FakeBackend } from '../../api/fake';
import type { SaleDraft } from '../../api/types';
import { i18n } from '../../i18n/index.svelte';
import { NewSaleStore } from './newSale.svelte';

let api: FakeBackend;
let store: NewSaleStore;

beforeEach(async () => {
  i18n.setLanguage('en', false);
  api = createFakeBackend();
  store = new NewSaleStore(api);
  store.init(await api.appState());
});

function type(keys: string): void {
  for (const k of keys) store.keypad.press(k);
}

describe('NewSaleStore', () => {
  it('takes defaults from the profile and settings', () => {
    expect(store.currency).toBe('KWD');
    expect(store.keypad.decimals).toBe(3);
    expect(store.expires_in_minutes).toBe(1440);
    expect(store.customer_phone).toBe('\u200e+965 ');
  });

  it('creates a sale from the typed amount, leaving blanks and the bare phone prefix out', async () => {
    type('12.5');
    const sale = await store.submit();
    expect(sale?.amount).toBe('12.500');
    expect(sale?.currency_code).toBe('KWD');
    expect(sale?.customer_phone).toBeNull();
    expect(sale?.order_no).toMatch(/^POS-/);
    expect(sale?.qr_svg).toContain('<svg');
  });

  it('builds the draft with every filled field', () => {
    store.customer_name = ' Fatma ';
    store.customer_phone = '+965 5000 1234';
    store.customer_email = 'f@example.com';
    store.order_no = 'INV-7';
    store.note = 'cake';
    store.expires_in_minutes = 15;
    store.notify.sms = true;
    store.attachment_path = '/tmp/a.pdf';
    const draft: SaleDraft = store.draft('1.000');
    expect(draft).toEqual({
      amount: '1.000',
      currency_code: 'KWD',
      language: 'en',
      customer_name: 'Fatma',
      customer_phone: '+965 5000 1234',
      customer_email: 'f@example.com',
      order_no: 'INV-7',
      note: 'cake',
      expires_in_minutes: 15,
      notify: { sms: true, email: false, whatsapp: false },
      attachment_path: '/tmp/a.pdf',
    });
  });

  it('stops an empty or zero amount before calling the core', async () => {
    expect(await store.submit()).toBeNull();
    expect(store.errors.amount).toBe('Type an amount first.');
    type('0');
    expect(await store.submit()).toBeNull();
    expect(store.errors.amount).toBe('The amount must be above zero.');
    expect((await api.history({})).sales).toHaveLength(0);
  });

  it('puts server field errors next to their fields', async () => {
    type('5');
    store.customer_email = 'fatma@';
    store.customer_phone = '+965 12';
    expect(await store.submit()).toBeNull();
    expect(store.errors.customer_email).toMatch(/email/i);
    expect(store.errors.customer_phone).toMatch(/phone/i);
    expect(store.errors.amount).toBeUndefined();
    expect(store.formError).toBeNull();
    store.clearError('customer_email');
    expect(store.errors.customer_email).toBeUndefined();
  });

  it('sends fields it has no input for to the form error', () => {
    const pgCodes = { code: 'pg_codes_empty' as const, params: {}, message: 'choose at least one payment method' };
    const tooLarge = { code: 'amount_too_large' as const, params: {}, message: 'the amount is too large' };
    store.applyError({
      code: 'invalid_input',
      problem: { code: 'fix_fields', params: { fields: 'amount, pg_codes' }, message: 'please fix: amount, pg_codes' },
      message: 'please fix: amount, pg_codes',
      fields: { pg_codes: [pgCodes], amount: [tooLarge] },
      sale_id: null,
    });
    expect(store.errors.amount).toBe('The amount is too large.');
    expect(store.formError?.problem.code).toBe('pg_codes_empty');
  });

  it('shows a non-field error as the form error', async () => {
    const offline = { code: 'server_timeout' as const, params: {}, message: 'no answer' };
    store.applyError({ code: 'network', problem: offline, message: 'no answer', fields: {}, sale_id: null });
    expect(store.formError?.code).toBe('network');
    expect(store.errors).toEqual({});
  });

  it('after an ambiguous create, clears the draft and names the sale, so the draft is never sent twice', async () => {
    api.armFault('drop_after_commit');
    type('4.75');
    store.customer_name = 'Fatma';
    expect(await store.submit()).toBeNull();
    const id = store.takeChecking();
    expect(id).toBeTypeOf('string');
    expect(store.takeChecking()).toBeNull();
    expect(store.formError).toBeNull();
    expect(store.keypad.text).toBe('');
    expect(store.customer_name).toBe('');
    // A second press has nothing to send.
    expect(await store.submit()).toBeNull();
    expect(store.errors.amount).toBeTruthy();
    const { sales } = await api.history({});
    expect(sales.map((s) => s.id)).toEqual([id]);
  });

  it('rejects a reused reference from the core on order_no', async () => {
    type('1');
    store.order_no = 'R-1';
    expect(await store.submit()).not.toBeNull();
    type('2');
    store.order_no = 'R-1';
    expect(await store.submit()).toBeNull();
    expect(store.errors.order_no).toMatch(/already uses this reference/);
  });

  it('switching currency changes the decimals', () => {
    type('9.999');
    store.setCurrency('JPY');
    expect(store.keypad.text).toBe('9');
    expect(store.draft('9').currency_code).toBe('JPY');
  });

  it('reset clears the customer but keeps currency and expiry', () => {
    store.setCurrency('BHD');
    store.expires_in_minutes = 1440;
    type('3');
    store.customer_name = 'A';
    store.reset();
    expect(store.keypad.text).toBe('');
    expect(store.customer_name).toBe('');
    expect(store.customer_phone).toBe('\u200e+965 ');
    expect(store.currency).toBe('BHD');
    expect(store.expires_in_minutes).toBe(1440);
  });

  it('attaches the picked file', async () => {
    await store.attach();
    expect(store.attachment_path).toBeTruthy();
    expect(store.attachment_name).toBe('invoice-1042.pdf');
  });
});
