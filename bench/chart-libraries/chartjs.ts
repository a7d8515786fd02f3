import { BarController, BarElement, CategoryScale, Chart, LinearScale, Title } from 'chart.js';
import { box, days, hours, lastWeek, methodTotals, methods, painted, report, thisWeek } from './data';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Title);
const t0 = performance.now();
const make = (title: string, labels: string[], datasets: Array<{ data: number[]; backgroundColor: string }>) => {
  const canvas = document.createElement('canvas');
  box().append(canvas);
  return new Chart(canvas, {
    type: 'bar',
    data: { labels, datasets },
    options: { animation: false, responsive: false, plugins: { title: { display: true, text: title } } },
  });
};
const charts = [
  make('hours', hours.map((_, h) => String(h)), [{ data: hours, backgroundColor: '#2a6' }]),
  make('methods', methods, [{ data: methodTotals, backgroundColor: '#26a' }]),
  make('week', days, [
    { data: thisWeek, backgroundColor: '#26a' },
    { data: lastWeek, backgroundColor: '#aaa' },
  ]),
];
await painted();
const first = performance.now() - t0;
// performance.now() counts from the navigation: loading, parsing and running the library too.
const navigation = performance.now();
const redraws: number[] = [];
for (let i = 0; i < 30; i++) {
  const start = performance.now();
  charts[0]!.data.datasets[0]!.data = hours.map((v) => v + i);
  charts[1]!.data.datasets[0]!.data = methodTotals.map((v) => v + i);
  charts[2]!.data.datasets[0]!.data = thisWeek.map((v) => v + i);
  for (const chart of charts) chart.update();
  await painted();
  redraws.push(performance.now() - start);
}
report('chartjs', first, navigation, redraws);
