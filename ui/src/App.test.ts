import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, waitFor } from '@testing-library/svelte';
import App from './App.svelte';
import { createFakeBackend, type FakeBackend } from './lib/api/fake';
import { i18n } from './lib/i18n/index.svelte';

// jsdom has no layout, so paint-related hooks only need to exist.
globalThis.requestAnimationFrame ??= (cb: FrameRequestCallback) => setTimeout(() => cb(performance.now()), 0) as unknown as number;

afterEach(() => {
  cleanup();
  location.hash = '';
  i18n.setLanguage('en', false);
  delete window.__ottuPosMetrics;
});

async function start(api: FakeBackend) {
  const view = render(App, { props: { api } });
  await waitFor(() => expect(view.container.querySelector('[data-ready="true"]')).not.toBeNull());
  return view;
}

function byTestId(id: string): HTMLElement {
  const el = document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  if (!el) throw new Error(`no [data-testid="${id}"]`);
  return el;
}

describe('App with the fake backend', () => {
  it('announces the open sale state in the live region: waiting, then paid, then nothing', async () => {
    const api = createFakeBackend();
    await start(api);
    const live = byTestId('live-status');
    expect(live.getAttribute('role')).toBe('status');
    expect(live.textContent).toBe('');
    await fireEvent.input(byTestId('amount-input'), { target: { value: '12.5' } });
    await fireEvent.keyDown(document.body, { key: 'Enter' });
    await waitFor(() => byTestId('sale-screen'));
    expect(live.textContent).toBe(`${byTestId('sale-state').textContent?.trim()}: 12.500 KWD`);
    const waiting = live.textContent;

    const [sale] = (await api.history({})).sales;
    api.simulate(sale!.id, 'paid');
    await waitFor(() => expect(live.textContent).not.toBe(waiting));
    expect(live.textContent).toBe(`${byTestId('sale-state').textContent?.trim()}: 12.500 KWD`);
    expect(live.textContent).toMatch(/^Paid/);
    // The same node all along: a screen reader hears changes only in a region it already knows.
    expect(byTestId('live-status')).toBe(live);

    await fireEvent.keyDown(window, { key: 'Enter' });
    await waitFor(() => byTestId('create-button'));
    expect(live.textContent).toBe('');
  });

  it('takes cash only in an open shift: the Cash button, the change due, the top bar', async () => {
    const api = createFakeBackend();
    await start(api);
    expect(document.querySelector('[data-testid="cash-button"]')).toBeNull();
    expect(byTestId('shift-status').dataset['open']).toBe('false');

    await fireEvent.click(byTestId('nav-shift'));
    await fireEvent.input(byTestId('shift-float'), { target: { value: '20' } });
    await fireEvent.click(byTestId('shift-open'));
    await waitFor(() => expect(byTestId('shift-status').dataset['open']).toBe('true'));

    await fireEvent.click(byTestId('nav-new'));
    await fireEvent.input(byTestId('amount-input'), { target: { value: '3.250' } });
    await fireEvent.click(byTestId('cash-button'));
    await waitFor(() => byTestId('cash-dialog'));
    expect(byTestId('cash-due').textContent).toContain('3.250');
    await fireEvent.input(byTestId('cash-tendered'), { target: { value: '5' } });
    expect(byTestId('cash-change-preview').textContent).toContain('1.750');
    await fireEvent.click(byTestId('cash-submit'));
    await waitFor(() => expect(byTestId('cash-change').textContent).toContain('1.750'));
    await fireEvent.click(byTestId('cash-done'));
    await waitFor(() => expect(document.querySelector('[data-testid="cash-dialog"]')).toBeNull());
    expect((byTestId('amount-input') as HTMLInputElement).value).toBe('');
    const x = await api.shiftReport(null, 'x');
    expect(x.cash.expected).toBe('23.250');
  });

  it('locks, refuses a wrong PIN, and lets a cashier in without Settings', async () => {
    const api = createFakeBackend();
    await api.saveStaff({ id: 'staff-1', name: 'Amal', role: 'owner', pin: '1234' });
    await api.saveStaff({ name: 'Huda', role: 'cashier', pin: '5555' });
    await start(api);
    expect(byTestId('signed-in').dataset['role']).toBe('owner');
    await fireEvent.click(byTestId('lock'));
    await waitFor(() => byTestId('lock-screen'));
    expect(document.querySelector('[data-testid="nav-settings"]')).toBeNull();
    await fireEvent.input(byTestId('pin-input'), { target: { value: '9999' } });
    await fireEvent.click(byTestId('pin-submit'));
    await waitFor(() => expect(byTestId('pin-error').textContent).toMatch(/Wrong PIN/));
    await fireEvent.input(byTestId('pin-input'), { target: { value: '٥٥٥٥' } });
    await fireEvent.click(byTestId('pin-submit'));
    await waitFor(() => expect(byTestId('signed-in').dataset['role']).toBe('cashier'));
    expect(document.querySelector('[data-testid="nav-settings"]')).toBeNull();
    expect(document.querySelector('[data-testid="nav-staff"]')).toBeNull();
    // The core refuses what the UI hides.
    await expect(api.staffList()).rejects.toMatchObject({ code: 'not_allowed' });
  });

  it('a scanner burst adds the item to the cart, never to the amount, and Charge sells the cart', async () => {
    const api = createFakeBackend();
    await api.saveCatalogItem({ sku: 'TEA', barcode: '6281000000011', name_en: 'Tea', price: '0.750', currency_code: 'KWD', vat_rate: 0 });
    await start(api);
    // A person types 3, then the scanner sends its code and Enter within milliseconds.
    await fireEvent.keyDown(document.body, { key: '3' });
    await new Promise((resolve) => setTimeout(resolve, 60));
    for (const key of [...'6281000000011', 'Enter']) await fireEvent.keyDown(document.body, { key });
    await waitFor(() => expect(document.querySelectorAll('[data-testid="cart-line"]')).toHaveLength(1));
    expect((byTestId('amount-input') as HTMLInputElement).value).toBe('3');
    expect(document.querySelector('[data-testid="sale-screen"]')).toBeNull();
    expect((await api.history({})).sales).toHaveLength(0);
    await waitFor(() => expect(byTestId('cart-total').textContent).toBe('0.750 KWD'));

    // An unknown code says so and adds nothing.
    for (const key of [...'0000000000000', 'Enter']) await fireEvent.keyDown(document.body, { key });
    await waitFor(() => byTestId('cart-unknown-code'));
    expect(byTestId('cart-unknown-code').textContent).toContain('0000000000000');

    await fireEvent.click(byTestId('cart-line-more'));
    await waitFor(() => expect(byTestId('cart-total').textContent).toBe('1.500 KWD'));
    // Enter in a line's discount applies it and charges nothing.
    const discount = byTestId('cart-line-discount') as HTMLInputElement;
    discount.value = '10';
    await new Promise((resolve) => setTimeout(resolve, 40));
    await fireEvent.keyDown(discount, { key: 'Enter' });
    await waitFor(() => expect(byTestId('cart-total').textContent).toBe('1.350 KWD'));
    expect(document.querySelector('[data-testid="sale-screen"]')).toBeNull();
    await fireEvent.click(byTestId('cart-charge'));
    await waitFor(() => byTestId('sale-screen'));
    const [sale] = (await api.history({})).sales;
    expect(sale?.amount).toBe('1.350');
    expect(sale?.cart?.lines.map((l) => [l.sku, l.quantity, l.line_discount])).toEqual([['TEA', '2', '0.150']]);
    // An invoice's amount is its cart's total: no amount edit is offered.
    expect(document.querySelector('[data-testid="edit-amount"]')).toBeNull();
  });

  it('with items in the cart, a typed amount and Enter add a custom line; Enter alone charges', async () => {
    const api = createFakeBackend();
    await api.saveCatalogItem({ sku: 'TEA', barcode: '6281000000011', name_en: 'Tea', price: '0.750', currency_code: 'KWD', vat_rate: 0 });
    await start(api);
    for (const key of [...'6281000000011', 'Enter']) await fireEvent.keyDown(document.body, { key });
    await waitFor(() => expect(document.querySelectorAll('[data-testid="cart-line"]')).toHaveLength(1));
    for (const key of ['1', '.', '2', '5', 'Enter']) {
      await new Promise((resolve) => setTimeout(resolve, 40));
      await fireEvent.keyDown(document.body, { key });
    }
    await waitFor(() => expect(document.querySelectorAll('[data-testid="cart-line"]')).toHaveLength(2));
    expect([...document.querySelectorAll<HTMLElement>('[data-testid="cart-line"]')].map((l) => l.dataset['sku'])).toEqual(['TEA', 'CUSTOM']);
    expect((byTestId('amount-input') as HTMLInputElement).value).toBe('');
    await waitFor(() => expect(byTestId('cart-total').textContent).toBe('2.000 KWD'));
    expect((await api.history({})).sales).toHaveLength(0);

    await new Promise((resolve) => setTimeout(resolve, 40));
    await fireEvent.keyDown(document.body, { key: 'Enter' });
    await waitFor(() => byTestId('sale-screen'));
    const [sale] = (await api.history({})).sales;
    expect(sale?.amount).toBe('2.000');
    expect(sale?.cart?.lines.map((l) => l.sku)).toEqual(['TEA', 'CUSTOM']);
  });

  it('favourites show as a grid when the shop has some, and a tap adds one', async () => {
    const api = createFakeBackend();
    await api.saveCatalogItem({ sku: 'TEA', name_en: 'Tea', name_ar: 'شاي', price: '0.750', currency_code: 'KWD', vat_rate: 0, favourite: true });
    await api.saveCatalogItem({ sku: 'SALT', name_en: 'Salt', price: '0.100', currency_code: 'KWD', vat_rate: 0 });
    await start(api);
    await waitFor(() => byTestId('cart-favourites'));
    const favourites = [...document.querySelectorAll<HTMLElement>('[data-testid="cart-favourite"]')];
    expect(favourites.map((f) => f.dataset['sku'])).toEqual(['TEA']);
    expect(document.querySelector('[data-testid="cart-empty"]')).not.toBeNull();
    await fireEvent.click(favourites[0]!);
    await waitFor(() => expect(byTestId('cart-total').textContent).toBe('0.750 KWD'));
    expect(byTestId('cart-line-name').textContent).toBe('Tea');
  });

  it('goes from typed amount to QR, then shows the paid moment, then a new sale', async () => {
    const api = createFakeBackend();
    await start(api);
    expect(byTestId('demo-badge').textContent).toBe('Demo');
    expect(document.activeElement).toBe(byTestId('amount-input'));

    // Digits typed with nothing focused still reach the amount.
    byTestId('amount-input').blur();
    // At a person's pace: four keys and Enter within a few milliseconds are a barcode scanner's.
    for (const key of ['1', '2', '.', '5', 'Enter']) {
      if (key === 'Enter') expect((byTestId('amount-input') as HTMLInputElement).value).toBe('12.5');
      await new Promise((resolve) => setTimeout(resolve, 40));
      await fireEvent.keyDown(document.body, { key });
    }

    await waitFor(() => byTestId('sale-screen'));
    expect(byTestId('qr').querySelector('svg')).not.toBeNull();
    expect(byTestId('sale-link').textContent).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/b\/\w+$/);
    expect(byTestId('sale-state').dataset['state']).toBe('created');
    expect(byTestId('sale-screen').textContent).toContain('12.500 KWD');
    expect(window.__ottuPosMetrics?.['create-submit']).toBeTypeOf('number');
    await waitFor(() => expect(window.__ottuPosMetrics?.['qr-painted']).toBeTypeOf('number'));
    expect(api.calls.uiReady).toBe(1);

    const [sale] = (await api.history({})).sales;
    api.simulate(sale!.id, 'paid');
    await waitFor(() => byTestId('paid-overlay'));
    expect(byTestId('sale-state').dataset['state']).toBe('paid');
    // The desktop notification is the shell's (src-tauri/src/notify.rs), not the page's.

    await fireEvent.keyDown(window, { key: 'Enter' });
    await waitFor(() => byTestId('create-button'));
    expect((byTestId('amount-input') as HTMLInputElement).value).toBe('');
  });

  it('after an ambiguous create, follows that sale: checking, then a new link, never the draft twice', async () => {
    // The fake settles only once the screen has moved on, as a slow answer would.
    const api = createFakeBackend({ latencyMs: 5 });
    await start(api);
    const createSale = api.createSale.bind(api);
    let creates = 0;
    api.createSale = (draft) => {
      creates += 1;
      return createSale(draft);
    };
    api.armFault('late_commit');
    await fireEvent.input(byTestId('amount-input'), { target: { value: '4.75' } });
    await fireEvent.click(byTestId('create-button'));

    // The sale's screen, not the form: the till is checking with Ottu, and says what to tell the customer.
    await waitFor(() => byTestId('sale-settling'));
    expect(document.querySelector('[data-testid="create-button"]')).toBeNull();
    expect(byTestId('sale-settling-heading').textContent).toContain('Checking with Ottu…');
    await waitFor(() => expect(byTestId('sale-state').dataset['state']).toBe('unknown'));
    expect(byTestId('sale-screen').textContent).toContain('4.750 KWD');
    expect(byTestId('sale-screen').textContent).toContain('Ottu has no link for this sale (yet)');
    expect(byTestId('sale-watch-until').textContent).toMatch(/^Watching for a late link until \d\d:\d\d$/);
    expect(byTestId('check-sale')).toBeTruthy();

    // Back on the form, the draft is gone: Create again sends nothing.
    await fireEvent.click(byTestId('nav-new'));
    await waitFor(() => byTestId('create-button'));
    expect((byTestId('amount-input') as HTMLInputElement).value).toBe('');
    await fireEvent.click(byTestId('create-button'));
    await waitFor(() => byTestId('error-amount'));
    expect(creates).toBe(1);
    expect((await api.history({})).sales).toHaveLength(1);

    // Reopened, the sale offers a new link; it shows the new sale's QR, linked to the old one.
    await fireEvent.click(byTestId('nav-history'));
    await waitFor(() => byTestId('history-reopen'));
    await fireEvent.click(byTestId('history-reopen'));
    await waitFor(() => byTestId('replace-sale'));
    await fireEvent.click(byTestId('replace-sale'));
    await waitFor(() => expect(byTestId('sale-state').dataset['state']).toBe('created'));
    expect(byTestId('qr').querySelector('svg')).not.toBeNull();
    expect(byTestId('sale-replaces')).toBeTruthy();
    const sales = (await api.history({})).sales;
    expect(sales.map((s) => s.state).sort()).toEqual(['created', 'unknown']);

    // The old sale links to the new one.
    await fireEvent.click(byTestId('sale-replaces'));
    await waitFor(() => byTestId('sale-replaced-by'));
    expect(document.querySelector('[data-testid="replace-sale"]')).toBeNull();
  });

  it('a late success of a failed sale on screen brings the paid moment after Check now', async () => {
    const api = createFakeBackend();
    await start(api);
    await fireEvent.input(byTestId('amount-input'), { target: { value: '2' } });
    await fireEvent.click(byTestId('create-button'));
    await waitFor(() => byTestId('qr'));
    const [sale] = (await api.history({})).sales;
    api.simulate(sale!.id, 'failed');
    await waitFor(() => byTestId('check-sale'));
    api.lateSuccess(sale!.id);
    await fireEvent.click(byTestId('check-sale'));
    await waitFor(() => byTestId('paid-overlay'));
    expect(byTestId('sale-state').dataset['state']).toBe('paid');
    expect(byTestId('paid-late').textContent).toContain('Paid late');
  });

  it('with the boot state, the first render is the home screen; app_state is read only after it is up', async () => {
    const api = createFakeBackend({ bootState: true, latencyMs: 50 });
    const view = render(App, { props: { api } });
    // No await: the amount field and the demo badge are in the very first render.
    expect(byTestId('amount-input')).toBeTruthy();
    expect(byTestId('demo-badge').textContent).toBe('Demo');
    expect(view.container.textContent).not.toContain('Starting…');
    expect(api.calls.appState).toBe(0);
    expect(api.takeBootState()).toBeNull();

    await waitFor(() => expect(api.calls.uiReady).toBe(1));
    await waitFor(() => expect(api.calls.appState).toBe(1));
  });

  it('without a boot state, the home screen comes after app_state', async () => {
    const api = createFakeBackend({ latencyMs: 50 });
    const view = render(App, { props: { api } });
    expect(document.querySelector('[data-testid="amount-input"]')).toBeNull();
    expect(view.container.textContent).toContain('Starting…');
    await waitFor(() => byTestId('amount-input'));
    expect(api.calls.appState).toBe(1);
  });

  it('shows server field errors next to the fields', async () => {
    await start(createFakeBackend());
    const amount = byTestId('amount-input');
    await fireEvent.keyDown(amount, { key: '3' });
    await fireEvent.input(byTestId('customer-email'), { target: { value: 'nope@' } });
    await fireEvent.click(byTestId('create-button'));
    await waitFor(() => byTestId('error-customer_email'));
    // The till's messages start in lower case; next to the field they read as a sentence.
    expect(byTestId('error-customer_email').textContent).toBe('Enter a valid email address, e.g. name@example.com');
    expect(document.querySelector('[data-testid="sale-screen"]')).toBeNull();
    expect(document.querySelector('[data-testid="error-amount"]')).toBeNull();
  });

  it('keys reach the amount unless another field has the focus; Escape clears', async () => {
    await start(createFakeBackend());
    const amount = byTestId('amount-input') as HTMLInputElement;
    const name = byTestId('customer-name');
    name.focus();
    await fireEvent.keyDown(name, { key: '7' });
    expect(amount.value).toBe('');
    byTestId('nav-new').focus();
    await fireEvent.keyDown(byTestId('nav-new'), { key: '7' });
    expect(amount.value).toBe('7');
    expect(document.activeElement).toBe(amount);
    for (const key of ['0', '0', '0', '.', '1', '2', '3', '4']) await fireEvent.keyDown(amount, { key });
    expect(amount.value).toBe('7000.123');
    expect(document.querySelector('.amount-visual')?.textContent).toBe('7,000.123KWD');
    await fireEvent.keyDown(amount, { key: 'Escape' });
    expect(amount.value).toBe('');
  });

  it('changing currency changes the decimals the keypad takes', async () => {
    await start(createFakeBackend());
    await fireEvent.change(byTestId('currency-select'), { target: { value: 'SAR' } });
    const amount = byTestId('amount-input') as HTMLInputElement;
    for (const key of ['5', '.', '5', '5', '5']) await fireEvent.keyDown(amount, { key });
    expect(amount.value).toBe('5.55');
  });

  it('when the till cannot load, the home screen still comes up and says what to do', async () => {
    const notConfigured = { code: 'not_configured', message: 'No sales engine in this build.', fields: {} };
    const fake = createFakeBackend();
    const api = { ...fake, appState: () => Promise.reject(notConfigured), createSale: () => Promise.reject(notConfigured) };
    await start(api as FakeBackend);
    expect(byTestId('load-error').textContent).toContain('No sales engine in this build.');
    await waitFor(() => expect(fake.calls.uiReady).toBe(1));
    await fireEvent.keyDown(byTestId('amount-input'), { key: '4' });
    await fireEvent.click(byTestId('create-button'));
    // A bare message (no problem code) is shown as a detail beneath the code's own sentence.
    await waitFor(() => expect(byTestId('form-error').textContent).toContain('No sales engine in this build.'));
    expect(byTestId('form-error').textContent).toContain('Fix them in Settings.');
  });

  it('an empty amount is refused at once with error-amount', async () => {
    await start(createFakeBackend());
    await fireEvent.click(byTestId('create-button'));
    await waitFor(() => expect(byTestId('error-amount').textContent).toBe('Type an amount first.'));
  });

  it('edits the amount and cancels with confirmation', async () => {
    const api = createFakeBackend();
    await start(api);
    await fireEvent.keyDown(byTestId('amount-input'), { key: '5' });
    await fireEvent.click(byTestId('create-button'));
    await waitFor(() => byTestId('sale-screen'));

    await fireEvent.click(byTestId('edit-amount'));
    const input = byTestId('edit-amount-input');
    await fireEvent.keyDown(input, { key: '0' });
    await fireEvent.click(byTestId('edit-amount-save'));
    await waitFor(() => expect(byTestId('sale-screen').textContent).toContain('50.000 KWD'));

    await fireEvent.click(byTestId('cancel-sale'));
    await fireEvent.click(byTestId('cancel-confirm'));
    await waitFor(() => expect(byTestId('sale-state').dataset['state']).toBe('canceled'));
    expect(document.querySelector('[data-testid="cancel-sale"]')).toBeNull();
  });

  it('switches to Arabic from settings and mirrors the page', async () => {
    await start(createFakeBackend());
    await fireEvent.click(byTestId('nav-settings'));
    await fireEvent.change(byTestId('settings-language'), { target: { value: 'ar' } });
    await fireEvent.click(byTestId('settings-save'));
    await waitFor(() => expect(document.documentElement.dir).toBe('rtl'));
    expect(document.documentElement.lang).toBe('ar');
    expect(byTestId('nav-history').textContent).toBe('السجل');
    // The confirmation speaks the language just chosen.
    await waitFor(() => expect(document.querySelector('.toasts')?.textContent).toContain('تم حفظ الإعدادات'));
    expect(document.querySelector('.toasts')?.textContent).not.toContain('Settings saved');
  });

  it('demo mode leads straight to connecting a real account, and the secret never comes back', async () => {
    const api = createFakeBackend();
    // A real Ottu connection needs an owner PIN first; the owner stays signed in.
    await api.saveStaff({ id: 'staff-1', name: 'Owner', role: 'owner', pin: '1234' });
    await start(api);
    const connect = Array.from(document.querySelectorAll('button')).find((b) => b.textContent === 'Connect your Ottu account');
    await fireEvent.click(connect!);
    await fireEvent.input(byTestId('profile-name'), { target: { value: 'My shop' } });
    await fireEvent.input(byTestId('profile-base-url'), { target: { value: 'https://shop.ottu.net' } });
    await fireEvent.input(byTestId('profile-secret'), { target: { value: 'sk-secret-1' } });
    await fireEvent.click(byTestId('profile-test'));
    await waitFor(() => expect(byTestId('profile-test-result').dataset['kind']).toBe('ok'));
    await fireEvent.click(byTestId('profile-save'));
    await waitFor(() => expect(document.querySelectorAll('[data-testid="profile-use"]')).toHaveLength(1));
    await fireEvent.click(byTestId('profile-use'));
    await waitFor(() => expect(document.querySelector('[data-testid="demo-badge"]')).toBeNull());
    expect(document.body.innerHTML).not.toContain('sk-secret-1');
  });

  it('history lists rows with state and reopens a sale', async () => {
    const api = createFakeBackend();
    const sale = await api.createSale({ amount: '7', currency_code: 'KWD', order_no: 'INV-9' });
    api.simulate(sale.id, 'paid');
    await start(api);
    await fireEvent.click(byTestId('nav-history'));
    await waitFor(() => byTestId('history-row'));
    const row = byTestId('history-row');
    expect(row.dataset['orderNo']).toBe('INV-9');
    expect(row.dataset['state']).toBe('paid');
    expect(byTestId('history-total').dataset['currency']).toBe('KWD');
    expect(byTestId('history-total').textContent).toContain('7.000 KWD');
    await fireEvent.click(byTestId('history-reopen'));
    await waitFor(() => byTestId('sale-screen'));
    // The history row has no QR (as from the core); the sale screen fetches the whole sale.
    await waitFor(() => expect(byTestId('qr').querySelector('svg')).not.toBeNull());
  });

  it('the customer display route shows the QR and turns to paid by itself', async () => {
    const api = createFakeBackend();
    const sale = await api.createSale({ amount: '2.5', currency_code: 'KWD' });
    location.hash = `#/customer/${sale.id}`;
    render(App, { props: { api } });
    await waitFor(() => byTestId('customer-qr'));
    expect(byTestId('customer-amount').textContent).toBe('2.500 KWD');
    api.simulate(sale.id, 'paid');
    await waitFor(() => byTestId('customer-paid'));
    expect(document.querySelector('[data-testid="nav-new"]')).toBeNull();

    // The shell points the same window at the next sale by changing the hash.
    const next = await api.createSale({ amount: '9', currency_code: 'KWD' });
    location.hash = `#/customer/${next.id}`;
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    await waitFor(() => expect(byTestId('customer-amount').textContent).toBe('9.000 KWD'));
    expect(document.querySelector('[data-testid="customer-paid"]')).toBeNull();
    byTestId('customer-qr');
  });
});

// Issue 11 point 6: ',' and '٬' group thousands, '.' and '٫' are the decimal point, in every
// amount entry (keys in the field, keys with nothing focused, paste, the edit-amount field).
describe('one decimal-separator rule for typing and paste', () => {
  const cases: [input: string, kwd: string, sar: string][] = [
    ['1,500', '1500.000', '1500.00'],
    ['١٬٥٠٠', '1500.000', '1500.00'],
    ['1.500', '1.500', '1.50'],
    ['١٫٥٠٠', '1.500', '1.50'],
  ];

  async function startIn(lang: 'en' | 'ar') {
    const fake = createFakeBackend();
    await fake.saveSettings({
      language: lang,
      arabic_numerals: lang === 'ar',
      week_start: 'sunday',
      currency_display: 'code',
      shop_name: 'Demo Shop',
      theme: 'system',
      default_expiry_minutes: 60,
      lock_after_minutes: 5,
      phone_demo: false,
    });
    const created: string[] = [];
    const edited: string[] = [];
    const api: FakeBackend = {
      ...fake,
      createSale: (draft) => {
        created.push(draft.amount);
        return fake.createSale(draft);
      },
      editSale: (id, edit) => {
        if (edit.amount) edited.push(edit.amount);
        return fake.editSale(id, edit);
      },
    };
    await start(api);
    expect(document.documentElement.lang).toBe(lang);
    return { created, edited };
  }

  async function createWith(enter: (amount: HTMLInputElement) => Promise<void>): Promise<void> {
    await waitFor(() => byTestId('amount-input'));
    await enter(byTestId('amount-input') as HTMLInputElement);
    await fireEvent.click(byTestId('create-button'));
    await waitFor(() => byTestId('sale-screen'));
    await fireEvent.click(byTestId('nav-new'));
  }

  for (const lang of ['en', 'ar'] as const) {
    it(`creates the same amounts typed, typed with nothing focused, and pasted (${lang} UI)`, async () => {
      const { created } = await startIn(lang);
      const expected: string[] = [];
      for (const currency of ['KWD', 'SAR'] as const) {
        for (const [input, kwd, sar] of cases) {
          const want = currency === 'KWD' ? kwd : sar;
          const choose = async () => {
            await waitFor(() => byTestId('currency-select'));
            await fireEvent.change(byTestId('currency-select'), { target: { value: currency } });
          };
          await createWith(async (amount) => {
            await choose();
            for (const key of input) await fireEvent.keyDown(amount, { key });
          });
          await createWith(async (amount) => {
            await choose();
            amount.blur();
            for (const key of input) await fireEvent.keyDown(document.body, { key });
          });
          await createWith(async (amount) => {
            await choose();
            await fireEvent.input(amount, { target: { value: input } });
          });
          expected.push(want, want, want);
        }
      }
      expect(created).toEqual(expected);
    });

    it(`edits the amount by the same rule, typed and pasted (${lang} UI)`, async () => {
      const { edited } = await startIn(lang);
      await fireEvent.keyDown(byTestId('amount-input'), { key: '5' });
      await fireEvent.click(byTestId('create-button'));
      await waitFor(() => byTestId('sale-screen'));
      const expected: string[] = [];
      for (const [input, kwd] of cases) {
        // Typed key by key into the emptied field.
        await fireEvent.click(byTestId('edit-amount'));
        const typedField = byTestId('edit-amount-input') as HTMLInputElement;
        await fireEvent.input(typedField, { target: { value: '' } });
        for (const key of input) await fireEvent.keyDown(typedField, { key });
        await fireEvent.click(byTestId('edit-amount-save'));
        await waitFor(() => expect(document.querySelector('[data-testid="edit-amount-input"]')).toBeNull());
        // Pasted over the whole field.
        await fireEvent.click(byTestId('edit-amount'));
        await fireEvent.input(byTestId('edit-amount-input'), { target: { value: input } });
        await fireEvent.click(byTestId('edit-amount-save'));
        await waitFor(() => expect(document.querySelector('[data-testid="edit-amount-input"]')).toBeNull());
        expected.push(kwd, kwd);
      }
      expect(edited).toEqual(expected);
    });

    it(`refuses a misplaced thousands separator instead of guessing (${lang} UI)`, async () => {
      const { created } = await startIn(lang);
      const amount = byTestId('amount-input') as HTMLInputElement;
      for (const key of '1,50') await fireEvent.keyDown(amount, { key });
      await fireEvent.click(byTestId('create-button'));
      const message =
        lang === 'en'
          ? 'A comma separates thousands (1,500); use . for decimals (1.5).'
          : 'الفاصلة ٬ تفصل الآلاف (١٬٥٠٠)؛ استخدم ٫ أو . للكسور العشرية (١٫٥).';
      await waitFor(() => expect(byTestId('error-amount').textContent).toBe(message));
      await fireEvent.input(amount, { target: { value: '12,5' } });
      await fireEvent.click(byTestId('create-button'));
      await waitFor(() => expect(byTestId('error-amount').textContent).toBe(message));
      expect(created).toEqual([]);
    });
  }
});
