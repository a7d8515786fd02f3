import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, waitFor } from '@testing-library/svelte';
import App from '../../../App.svelte';
import { createFakeBackend, type FakeBackend } from '../../api/fake';
import { i18n } from '../../i18n/index.svelte';
import { hourChart, methodChart, weekChart, weekdayName } from './dashboard.svelte';
import type { Dashboard } from '../../api/types';

globalThis.requestAnimationFrame ??= (cb: FrameRequestCallback) => setTimeout(() => cb(performance.now()), 0) as unknown as number;
globalThis.cancelAnimationFrame ??= (id: number) => clearTimeout(id);

beforeAll(() => {
  // jsdom draws nothing: Chart.js gets no 2D context and leaves the canvas empty (the real
  // webview draws them in tests/e2e/tests/dashboard.rs).
  HTMLCanvasElement.prototype.getContext = vi.fn(() => null) as never;
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterEach(() => {
  cleanup();
  i18n.setLanguage('en', false);
});

function byTestId(id: string): HTMLElement {
  const el = document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  if (!el) throw new Error(`no [data-testid="${id}"]`);
  return el;
}

async function openDashboard(api: FakeBackend) {
  const view = render(App, { props: { api } });
  await waitFor(() => expect(view.container.querySelector('[data-ready="true"]')).not.toBeNull());
  await fireEvent.click(byTestId('nav-dashboard'));
  await waitFor(() => byTestId('dashboard'));
  return view;
}

async function sell(api: FakeBackend): Promise<void> {
  await api.openShift('0');
  await api.cashSale({ amount: '12.500', tendered: '12.500', note: null });
  const link = await api.createSale({ amount: '7.250', currency_code: 'KWD', pg_codes: ['knet'] });
  api.simulate(link.id, 'paid');
}

describe('the dashboard screen', () => {
  it('shows today’s figures and a table for each chart', async () => {
    const api = createFakeBackend();
    await sell(api);
    await openDashboard(api);
    await waitFor(() => expect(byTestId('dashboard-paid').textContent).toBe('19.750 KWD'));
    expect(byTestId('dashboard-count').textContent).toBe('2');
    expect(byTestId('dashboard-average').textContent).toBe('9.875 KWD');
    expect(byTestId('dashboard-scope').dataset['scope']).toBe('shop');
    const methods = byTestId('table-methods');
    expect(methods.classList.contains('visually-hidden')).toBe(true);
    const rows = [...methods.querySelectorAll('tbody tr')].map((r) => [...r.children].map((c) => c.textContent?.trim()));
    expect(rows).toEqual([
      ['Cash', '12.500 KWD', '1'],
      ['knet', '7.250 KWD', '1'],
    ]);
    expect(byTestId('table-week').querySelectorAll('tbody tr').length).toBe(7);
    expect(byTestId('table-hours').querySelectorAll('tbody tr').length).toBe(1);
    // Each chart is an image named for screen readers, its canvas hidden from them.
    const chart = await waitFor(() => byTestId('chart-week'));
    expect(chart.getAttribute('aria-hidden')).toBe('true');
    expect(chart.parentElement?.getAttribute('role')).toBe('img');
    await fireEvent.click(byTestId('dashboard-tables'));
    expect(methods.classList.contains('visually-hidden')).toBe(false);
    await waitFor(() => expect(byTestId('dashboard').dataset['drawMs']).toBeDefined());
  });

  it('reads right to left in Arabic with Arabic-Indic digits when the shop wants them', async () => {
    const api = createFakeBackend();
    await sell(api);
    await api.saveSettings({ ...(await api.appState()).settings, language: 'ar', arabic_numerals: true });
    await openDashboard(api);
    await waitFor(() => expect(byTestId('dashboard-count').textContent).toBe('٢'));
    expect(document.documentElement.dir).toBe('rtl');
    expect(byTestId('dashboard-paid').textContent).toContain('١٩٫٧٥٠');
    expect(byTestId('nav-dashboard').textContent).toBe('لوحة المتابعة');
    const cash = byTestId('table-methods').querySelector('tbody th')?.textContent;
    expect(cash).toBe('نقدًا');
  });

  it('says so when there is nothing this week or last', async () => {
    await openDashboard(createFakeBackend());
    await waitFor(() => byTestId('dashboard-empty'));
  });
});

describe('the chart specs', () => {
  const label = (key: string) => key;
  const data: Dashboard = {
    today: '2026-12-03',
    scope: 'shop',
    week_start: 'sunday',
    this_week_days: ['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05'],
    last_week_days: ['2026-11-22', '2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28'],
    generated_at: '2026-12-03T12:00:00.000Z',
    currencies: [
      {
        currency_code: 'KWD',
        paid_count: 1,
        paid_total: '1.500',
        refund_count: 0,
        refund_total: '0.000',
        net_total: '1.500',
        average_sale: '1.500',
        by_hour: Array.from({ length: 24 }, (_, h) => ({ count: h === 9 ? 1 : 0, total: h === 9 ? '1.500' : '0.000' })),
        by_method: [{ method: 'link', gateway: 'knet+credit-card', currency_code: 'KWD', count: 1, total: '1.500' }],
        this_week: Array.from({ length: 7 }, (_, d) => ({ count: d === 4 ? 1 : 0, total: d === 4 ? '1.500' : '0.000' })),
        last_week: Array.from({ length: 7 }, () => ({ count: 0, total: '0.000' })),
      },
    ],
  };
  const line = data.currencies[0]!;

  it('labels hours in the window’s numerals and keeps the exact amounts beside the heights', () => {
    const spec = hourChart(line, label, (s) => s.replace(/\d/g, (d) => '٠١٢٣٤٥٦٧٨٩'[Number(d)]!));
    expect(spec.series[0]!.bars[9]).toEqual({ label: '٠٩:٠٠', total: '1.500', count: 1, height: 1.5 });
  });

  it('names a link by its gateways and a week day by its weekday', () => {
    expect(methodChart(line, label).series[0]!.bars[0]!.label).toBe('knet+credit-card');
    const week = weekChart(data, line, label, (d) => weekdayName(d, 'en'));
    expect(week.series.map((s) => s.name)).toEqual(['dashboard.this_week', 'dashboard.last_week']);
    expect(week.series[0]!.bars.map((b) => b.label)).toEqual(['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']);
    expect(weekdayName('2026-12-04', 'ar')).toBe('الجمعة');
  });
});
