import { describe, expect, it } from 'vitest';
import { barConfig, type Colours } from './charts';
import type { ChartSpec } from './dashboard.svelte';

const colours: Colours = { text: '#111', grid: '#222', fills: ['#0a0', '#aaa'] };
const week: ChartSpec = {
  series: [
    { name: 'This week', bars: [{ label: 'Sun', total: '1.500', count: 1, height: 1.5 }, { label: 'Mon', total: '0.000', count: 0, height: 0 }] },
    { name: 'Last week', bars: [{ label: 'Sun', total: '2.000', count: 2, height: 2 }, { label: 'Mon', total: '0.250', count: 1, height: 0.25 }] },
  ],
};
const arabicTick = (value: number) => String(value).replace(/\d/g, (d) => '٠١٢٣٤٥٦٧٨٩'[Number(d)]!);

describe('the dashboard chart configuration', () => {
  it('mirrors the category axis and puts the values on the right for right to left', () => {
    const rtl = barConfig(week, { rtl: true, tick: arabicTick }, colours);
    expect(rtl.options?.scales?.['x']?.reverse).toBe(true);
    expect((rtl.options?.scales?.['y'] as { position?: string }).position).toBe('right');
    expect(rtl.options?.plugins?.legend?.rtl).toBe(true);
    const ltr = barConfig(week, { rtl: false, tick: String }, colours);
    expect(ltr.options?.scales?.['x']?.reverse).toBe(false);
    expect((ltr.options?.scales?.['y'] as { position?: string }).position).toBe('left');
  });

  it('draws one dataset per series in the theme’s colours, labelled by the spec', () => {
    const config = barConfig(week, { rtl: false, tick: String }, colours);
    expect(config.data.labels).toEqual(['Sun', 'Mon']);
    expect(config.data.datasets.map((d) => [d.label, d.data, d.backgroundColor])).toEqual([
      ['This week', [1.5, 0], '#0a0'],
      ['Last week', [2, 0.25], '#aaa'],
    ]);
    expect(config.options?.plugins?.legend?.display).toBe(true);
    const single = barConfig({ series: [week.series[0]!] }, { rtl: false, tick: String }, colours);
    expect(single.options?.plugins?.legend?.display).toBe(false);
  });

  it('writes value ticks in the window’s numerals', () => {
    const config = barConfig(week, { rtl: true, tick: arabicTick }, colours);
    const ticks = (config.options?.scales?.['y'] as { ticks: { callback: (v: number) => string } }).ticks;
    expect(ticks.callback(15)).toBe('١٥');
  });
});
