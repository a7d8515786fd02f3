import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, waitFor } from '@testing-library/svelte';
import App from '../../../App.svelte';
import { createFakeBackend, type FakeBackend } from '../../api/fake';
import { zatcaPayload } from '../../api/fake-receipt';
import { i18n } from '../../i18n/index.svelte';
import { printOnly } from '../../components/PrintActions.svelte';

globalThis.requestAnimationFrame ??= (cb: FrameRequestCallback) => setTimeout(() => cb(performance.now()), 0) as unknown as number;

afterEach(() => {
  cleanup();
  i18n.setLanguage('en', false);
});

function byTestId(id: string): HTMLElement {
  const el = document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  if (!el) throw new Error(`no [data-testid="${id}"]`);
  return el;
}

/** Starts the app, makes an `amount` sale in `currency` and has the fake pay it. */
async function paidSale(api: FakeBackend, amount: string, currency = 'KWD'): Promise<string> {
  const view = render(App, { props: { api } });
  await waitFor(() => expect(view.container.querySelector('[data-ready="true"]')).not.toBeNull());
  if (currency === 'KWD') {
    await fireEvent.input(byTestId('amount-input'), { target: { value: amount } });
    await fireEvent.keyDown(document.body, { key: 'Enter' });
    await waitFor(() => byTestId('sale-screen'));
  } else {
    await api.createSale({ amount, currency_code: currency });
  }
  const [sale] = (await api.history({})).sales;
  api.simulate(sale!.id, 'paid');
  return sale!.id;
}

describe('receipts', () => {
  it("the fake's tax QR payload is ZATCA's published example byte for byte", () => {
    expect(zatcaPayload(['Bobs Records', '310122393500003', '2022-04-25T15:30:00Z', '1000.00', '150.00'])).toBe(
      'AQxCb2JzIFJlY29yZHMCDzMxMDEyMjM5MzUwMDAwMwMUMjAyMi0wNC0yNVQxNTozMDowMFoEBzEwMDAuMDAFBjE1MC4wMA==',
    );
  });

  it('opens from a sale opened in the history with the line, totals and reference, and goes back to the sale', async () => {
    const api = createFakeBackend();
    const id = await paidSale(api, '12.5');
    const [sale] = (await api.history({})).sales;
    await waitFor(() => byTestId('paid-close'));
    await fireEvent.click(byTestId('paid-close'));
    await fireEvent.click(byTestId('nav-history'));
    await waitFor(() => byTestId('history-row'));
    await fireEvent.click(byTestId('history-row').querySelector('button')!);
    await waitFor(() => byTestId('open-receipt'));
    await fireEvent.click(byTestId('open-receipt'));
    await waitFor(() => byTestId('receipt'));
    expect(byTestId('receipt').dataset['sale']).toBe(id);
    expect(byTestId('receipt-line').textContent).toContain('Custom amount');
    expect(byTestId('receipt-total').textContent).toBe('12.500 KWD');
    expect(byTestId('receipt-order').textContent).toBe(sale!.order_no);
    // The sale has no phone or email: WhatsApp (pick a chat) only, with a receipt's message.
    await waitFor(() => expect((byTestId('receipt-share-whatsapp') as HTMLButtonElement).disabled).toBe(false));
    expect((byTestId('receipt-share-sms') as HTMLButtonElement).disabled).toBe(true);
    expect((byTestId('receipt-share-email') as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.click(byTestId('receipt-share-whatsapp'));
    await waitFor(() => expect(api.calls.opened).toHaveLength(1));
    expect(decodeURIComponent(api.calls.opened[0]!)).toContain('Receipt from Demo Shop: 12.500 KWD paid.');
    await fireEvent.click(byTestId('receipt-back'));
    await waitFor(() => byTestId('sale-screen'));
  });

  it('prints only the receipt on the chosen paper and saves PDFs under the order number', async () => {
    const api = createFakeBackend();
    await paidSale(api, '3');
    await waitFor(() => byTestId('paid-receipt'));
    await fireEvent.click(byTestId('paid-receipt'));
    await waitFor(() => byTestId('receipt'));
    const order = byTestId('receipt-order').textContent;
    await fireEvent.click(byTestId('print-roll80mm'));
    await fireEvent.click(byTestId('pdf-a4'));
    await waitFor(() => expect(api.calls.printed).toHaveLength(2));
    expect(api.calls.printed).toEqual([
      { paper: 'roll80mm', pdf: null },
      { paper: 'a4', pdf: `receipt-${order}.pdf` },
    ]);
    // Nothing of the print marking stays on the page.
    expect(document.documentElement.dataset['printPaper']).toBeUndefined();
    expect(document.querySelector('[data-print-target]')).toBeNull();
  });

  it('names the VAT setting on a Saudi receipt without a VAT number, and shows the QR once set', async () => {
    const api = createFakeBackend();
    const id = await paidSale(api, '11.50', 'SAR');
    const without = await api.saleReceipt(id, 'en');
    expect(without.tax_qr).toBeNull();
    expect(without.tax_qr_problem?.code).toBe('receipt_vat_number_missing');
    const state = await api.appState();
    await api.saveSettings({ ...state.settings, vat_number: '300000000000003' });
    const withQr = await api.saleReceipt(id, 'ar');
    expect(withQr.tax_qr?.svg).toContain('<svg');
    const bytes = Uint8Array.from(atob(withQr.tax_qr!.payload), (c) => c.charCodeAt(0));
    const fields: string[] = [];
    for (let at = 0; at < bytes.length; at += 2 + bytes[at + 1]!) {
      fields.push(new TextDecoder().decode(bytes.slice(at + 2, at + 2 + bytes[at + 1]!)));
    }
    expect(fields.slice(1)).toEqual(['300000000000003', `${withQr.paid_at.slice(0, 19)}Z`, '11.50', '0.00']);
    expect(fields[0]).toBe(state.settings.shop_name);
  });

  it('printOnly marks the target and the paper while printing and undoes it after a failure', async () => {
    const target = document.createElement('div');
    document.body.append(target);
    const seen = await printOnly(target, 'roll80mm', async () => ({
      paper: document.documentElement.dataset['printPaper'],
      marked: target.dataset['printTarget'] !== undefined && document.documentElement.dataset['printOnly'] !== undefined,
      rule: document.querySelector('style[data-print-page]')?.textContent,
    }));
    expect(seen).toEqual({ paper: 'roll80mm', marked: true, rule: '@page { size: 80mm auto; margin: 3mm; }' });
    // No target: the whole page, nothing hidden.
    const whole = await printOnly(null, 'a4', async () => ({
      only: document.documentElement.dataset['printOnly'],
      paper: document.documentElement.dataset['printPaper'],
    }));
    expect(whole).toEqual({ only: undefined, paper: 'a4' });
    await expect(printOnly(target, 'a4', () => Promise.reject(new Error('no printer')))).rejects.toThrow('no printer');
    expect(document.documentElement.dataset['printPaper']).toBeUndefined();
    expect(target.dataset['printTarget']).toBeUndefined();
    expect(document.querySelector('style[data-print-page]')).toBeNull();
    target.remove();
  });
});
