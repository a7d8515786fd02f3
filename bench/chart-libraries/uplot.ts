import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { box, days, hours, lastWeek, methodTotals, methods, painted, report, thisWeek } from './data';

const t0 = performance.now();
const bars = uPlot.paths.bars!({ size: [0.6, 60] });
const index = (n: number) => Array.from({ length: n }, (_, i) => i);
const opts = (title: string, labels: string[], series: uPlot.Series[]): uPlot.Options => ({
  title,
  width: 480,
  height: 240,
  legend: { show: false },
  scales: { x: { time: false } },
  axes: [{ values: (_u, ticks) => ticks.map((t) => labels[t] ?? '') }, {}],
  series: [{}, ...series],
});
const charts = [
  new uPlot(opts('hours', index(24).map(String), [{ paths: bars, fill: '#2a6' }]), [index(24), hours], box()),
  new uPlot(opts('methods', methods, [{ paths: bars, fill: '#26a' }]), [index(5), methodTotals], box()),
  new uPlot(
    opts('week', days, [
      { paths: uPlot.paths.bars!({ size: [0.3, 30], align: -1 }), fill: '#26a' },
      { paths: uPlot.paths.bars!({ size: [0.3, 30], align: 1 }), fill: '#aaa' },
    ]),
    [index(7), thisWeek, lastWeek],
    box(),
  ),
];
await painted();
const first = performance.now() - t0;
// performance.now() counts from the navigation: loading, parsing and running the library too.
const navigation = performance.now();
const redraws: number[] = [];
for (let i = 0; i < 30; i++) {
  const start = performance.now();
  charts[0]!.setData([index(24), hours.map((v) => v + i)]);
  charts[1]!.setData([index(5), methodTotals.map((v) => v + i)]);
  charts[2]!.setData([index(7), thisWeek.map((v) => v + i), lastWeek]);
  await painted();
  redraws.push(performance.now() - start);
}
report('uplot', first, navigation, redraws);
