// The dashboard's bar charts, drawn with Chart.js (docs/architecture.md "Dashboard" says why this
// library). Only the bar controller, category and linear scales are registered, so the bundle
// carries nothing else. Colours come from the theme's CSS variables at draw time; right-to-left
// windows mirror the category axis (the first hour, method or day on the right) and put the value
// axis on the right. Tooltips are off: every figure is in the table beside each chart.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, type ChartConfiguration } from 'chart.js';
import type { ChartSpec } from './dashboard.svelte';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend);

export interface DrawOptions {
  rtl: boolean;
  /** A value-axis tick in the window's numerals. */
  tick: (value: number) => string;
}

function themeColour(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

/**
 * Draws `spec` on a new canvas filling `box` (replacing what was there); returns the chart to
 * destroy later. The canvas is sized here from the box and Chart.js's own responsive sizing is
 * off: in a right-to-left window it left the charts at the canvas's default 300 px. The screen
 * draws again when a box changes size.
 */
export function drawBars(box: HTMLElement, spec: ChartSpec, options: DrawOptions, testid: string): Chart<'bar'> {
  const canvas = document.createElement('canvas');
  canvas.setAttribute('aria-hidden', 'true');
  canvas.dataset['testid'] = testid;
  const width = Math.max(1, Math.floor(box.clientWidth));
  const height = Math.max(1, Math.floor(box.clientHeight));
  canvas.width = width;
  canvas.height = height;
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  box.replaceChildren(canvas);
  // The app's own font (Noto for Arabic) rather than Chart.js's Helvetica/Arial stack.
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily || Chart.defaults.font.family;
  const colours: Colours = {
    text: themeColour('--muted', '#5a6474'),
    grid: themeColour('--border', '#d5dae1'),
    fills: [themeColour('--accent', '#0c6b63'), themeColour('--faint', '#b6bdc8')],
  };
  return new Chart(canvas, barConfig(spec, options, colours));
}

/** The theme's colours a chart is drawn in. */
export interface Colours {
  text: string;
  grid: string;
  /** One per series: today or this week, then last week. */
  fills: string[];
}

/** The Chart.js configuration of one of the dashboard's bar charts. */
export function barConfig(spec: ChartSpec, options: DrawOptions, colours: Colours): ChartConfiguration<'bar'> {
  const { text, grid, fills } = colours;
  const labels = spec.series[0]?.bars.map((b) => b.label) ?? [];
  return {
    type: 'bar',
    data: {
      labels,
      datasets: spec.series.map((series, i) => ({
        label: series.name,
        data: series.bars.map((b) => b.height),
        backgroundColor: fills[i % fills.length],
        borderRadius: 3,
        maxBarThickness: 36,
      })),
    },
    options: {
      animation: false,
      responsive: false,
      locale: 'en-US',
      events: [],
      plugins: {
        legend: {
          display: spec.series.length > 1,
          rtl: options.rtl,
          position: 'top',
          align: 'start',
          labels: { color: text, boxWidth: 12 },
        },
        tooltip: { enabled: false },
      },
      scales: {
        x: {
          reverse: options.rtl,
          ticks: { color: text, autoSkip: true, maxRotation: 0 },
          grid: { display: false },
          border: { color: grid },
        },
        y: {
          position: options.rtl ? 'right' : 'left',
          beginAtZero: true,
          ticks: { color: text, maxTicksLimit: 5, callback: (value) => options.tick(Number(value)) },
          grid: { color: grid },
          border: { display: false },
        },
      },
    },
  };
}
