// The dashboard screen's state: the core's figures, the currency shown, and what each chart and
// its table alternative show. Amounts stay the core's decimal strings; only bar heights become
// numbers (drawing geometry, never a shown or summed amount).
import type { Backend } from '../../api/backend';
import type { CommandError, CurrencyDashboard, Dashboard, MethodTotal } from '../../api/types';
import { toCommandError } from '../../api/errors';

/** One bar: its label, the exact amount, the count and its height. */
export interface Bar {
  label: string;
  total: string;
  count: number;
  height: number;
}

/** One chart as drawn and as its table reads. */
export interface ChartSpec {
  /** Bars per series, in reading order (the chart mirrors them for right-to-left). */
  series: Array<{ name: string; bars: Bar[] }>;
}

export type Label = (key: string, params?: Record<string, string | number>) => string;

const height = (total: string): number => Number(total);

/** Sales by hour: the 24 hours of today. */
export function hourChart(line: CurrencyDashboard, label: Label, digits: (s: string) => string): ChartSpec {
  return {
    series: [
      {
        name: label('dashboard.series_today'),
        bars: line.by_hour.map((tally, hour) => ({
          label: digits(`${hour < 10 ? '0' : ''}${hour}:00`),
          total: tally.total,
          count: tally.count,
          height: height(tally.total),
        })),
      },
    ],
  };
}

/** What names a method: cash, or the gateway(s) of a link. */
export function methodName(method: MethodTotal, label: Label): string {
  if (method.method === 'cash') return label('dashboard.method_cash');
  return method.gateway ?? label('dashboard.method_link');
}

/** Sales by method today. */
export function methodChart(line: CurrencyDashboard, label: Label): ChartSpec {
  return {
    series: [
      {
        name: label('dashboard.series_today'),
        bars: line.by_method.map((m) => ({
          label: methodName(m, label),
          total: m.total,
          count: m.count,
          height: height(m.total),
        })),
      },
    ],
  };
}

/** This week against last, day by day; days are named by weekday (this week's dates). */
export function weekChart(
  dashboard: Dashboard,
  line: CurrencyDashboard,
  label: Label,
  weekday: (isoDay: string) => string,
): ChartSpec {
  const days = dashboard.this_week_days.map(weekday);
  const series = (name: string, tallies: CurrencyDashboard['this_week']) => ({
    name,
    bars: tallies.map((tally, i) => ({ label: days[i] ?? '', total: tally.total, count: tally.count, height: height(tally.total) })),
  });
  return {
    series: [series(label('dashboard.this_week'), line.this_week), series(label('dashboard.last_week'), line.last_week)],
  };
}

/** The weekday's short name of an ISO day in the window's language. */
export function weekdayName(isoDay: string, lang: 'en' | 'ar'): string {
  const [y, m, d] = isoDay.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(lang === 'ar' ? 'ar' : 'en-GB', { weekday: 'short', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

export class DashboardStore {
  data = $state<Dashboard | null>(null);
  /** The currency the charts show (the first with figures unless chosen). */
  currency = $state('');
  loading = $state(false);
  error = $state<CommandError | null>(null);
  private seq = 0;

  constructor(private readonly api: Backend) {}

  readonly line: CurrencyDashboard | null = $derived.by(() => {
    const lines = this.data?.currencies ?? [];
    return lines.find((c) => c.currency_code === this.currency) ?? lines[0] ?? null;
  });

  async load(): Promise<void> {
    const seq = ++this.seq;
    this.loading = true;
    try {
      const data = await this.api.dashboard();
      if (seq !== this.seq) return;
      this.data = data;
      this.error = null;
    } catch (e) {
      if (seq === this.seq) this.error = toCommandError(e);
    } finally {
      if (seq === this.seq) this.loading = false;
    }
  }
}
