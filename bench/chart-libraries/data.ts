// The dashboard's three charts with a busy day's figures: 24 hours, 5 methods, 7 days × 2 weeks.
export const hours = Array.from({ length: 24 }, (_, h) => (h >= 9 && h <= 22 ? 20 + ((h * 37) % 60) : 0));
export const methods = ['cash', 'knet', 'credit-card', 'apple-pay', 'stc-pay'];
export const methodTotals = [120.5, 340.25, 210.0, 98.75, 45.5];
export const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
export const thisWeek = [410, 520, 380, 610, 700, 0, 0];
export const lastWeek = [390, 480, 450, 560, 650, 820, 730];

export function report(library: string, first: number, navigation: number, redraws: number[]): void {
  const sorted = [...redraws].sort((a, b) => a - b);
  const body = JSON.stringify({
    library,
    first_ms: first,
    navigation_ms: navigation,
    redraw_median_ms: sorted[Math.floor(sorted.length / 2)],
    redraw_p95_ms: sorted[Math.floor(sorted.length * 0.95)],
  });
  void fetch('/result', { method: 'POST', body });
}

/** Resolves after the next frame is painted. */
export function painted(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
}

export function box(): HTMLElement {
  const el = document.createElement('div');
  el.style.width = '480px';
  el.style.height = '240px';
  document.body.append(el);
  return el;
}

// A page that fails says why instead of leaving the runner to time out.
const fail = (message: string) => void fetch('/result', { method: 'POST', body: JSON.stringify({ error: message }) });
window.addEventListener('error', (e) => fail(String(e.message)));
window.addEventListener('unhandledrejection', (e) => fail(String(e.reason)));
