// The dashboard's bar charts, drawn with Chart.js (docs/architecture.md "Dashboard" says why this
// library). Only the bar controller, category and linear scales are registered, so the bundle
// carries nothing else. Colours come from the theme's CSS variables at draw time; right-to-left
// windows mirror the category axis (the first hour, method or day on the right) and put the value
// axis on the right. Tooltips are off: every figure is in the table beside each chart.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale } from 'chart.js';
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

/** Draws `spec` on `canvas` (replacing what was there); returns the chart to destroy later. */
export function drawBars(canvas: HTMLCanvasElement, spec: ChartSpec, options: DrawOptions): Chart<'bar'> {
  Chart.getChart(canvas)?.destroy();
  const text = themeColour('--muted', '#5a6474');
  const grid = themeColour('--border', '#d5dae1');
  const fills = [themeColour('--accent', '#0c6b63'), themeColour('--faint', '#b6bdc8')];
  const labels = spec.series[0]?.bars.map((b) => b.label) ?? [];
  return new Chart(canvas, {
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
      responsive: true,
      maintainAspectRatio: false,
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
  });
}
