// pos-core's dashboard (crates/pos-core/src/dashboard.rs) for the in-memory backend: the same
// definitions, summed in integer minor units. Taken sales (paid, refunded) count on the local day
// and hour they were made; refunds on the local day they were done; a week starts on the shop's
// week_start; every figure per currency.
import type { CurrencyDashboard, Dashboard, DashboardScope, MethodTotal, Tally, WeekStart } from './bindings';
import { fromMinor, toMinor } from '../format/money';
import { localDay } from '../format/dates';

export interface DashboardSaleRow {
  amount: string;
  currency_code: string;
  method: 'cash' | 'link';
  pg_codes: readonly string[];
  state: string;
  created_at: string;
}

export interface DashboardRefundRow {
  amount: string;
  currency_code: string;
  created_at: string;
}

const FIRST_WEEKDAY: Record<WeekStart, number> = { sunday: 0, monday: 1, saturday: 6 };

/** Local midnight of `day` plus `days` days. */
function addDays(day: Date, days: number): Date {
  return new Date(day.getFullYear(), day.getMonth(), day.getDate() + days);
}

/** The first day (local midnight) of the week holding `today`. */
export function weekStartOnOrBefore(today: Date, start: WeekStart): Date {
  const back = (today.getDay() - FIRST_WEEKDAY[start] + 7) % 7;
  return addDays(today, -back);
}

interface Sum {
  count: number;
  minor: bigint;
}

const zero = (): Sum => ({ count: 0, minor: 0n });

function add(sum: Sum, minor: bigint): void {
  sum.count += 1;
  sum.minor += minor;
}

/** Half away from zero, like rust_decimal's MidpointAwayFromZero. */
function average(sum: Sum): bigint {
  if (sum.count === 0) return 0n;
  const count = BigInt(sum.count);
  const doubled = 2n * sum.minor;
  return doubled >= 0n ? (doubled + count) / (2n * count) : -((-doubled + count) / (2n * count));
}

export function computeDashboard(input: {
  now: Date;
  weekStart: WeekStart;
  scope: DashboardScope;
  sales: readonly DashboardSaleRow[];
  refunds: readonly DashboardRefundRow[];
  decimals: (code: string) => number;
}): Dashboard {
  const today = localDay(input.now);
  const first = addDays(weekStartOnOrBefore(input.now, input.weekStart), -7);
  const days = Array.from({ length: 14 }, (_, i) => localDay(addDays(first, i)));
  interface Figures {
    today: Sum;
    refunds: Sum;
    hours: Sum[];
    methods: Map<string, Sum>;
    weeks: Sum[];
  }
  const currencies = new Map<string, Figures>();
  const figuresOf = (code: string): Figures => {
    let f = currencies.get(code);
    if (!f) {
      f = {
        today: zero(),
        refunds: zero(),
        hours: Array.from({ length: 24 }, zero),
        methods: new Map(),
        weeks: Array.from({ length: 14 }, zero),
      };
      currencies.set(code, f);
    }
    return f;
  };
  for (const sale of input.sales) {
    if (sale.state !== 'paid' && sale.state !== 'refunded') continue;
    const at = new Date(sale.created_at);
    const slot = days.indexOf(localDay(at));
    if (slot < 0) continue;
    const minor = toMinor(sale.amount, input.decimals(sale.currency_code));
    const f = figuresOf(sale.currency_code);
    add(f.weeks[slot]!, minor);
    if (days[slot] !== today) continue;
    add(f.today, minor);
    add(f.hours[at.getHours()]!, minor);
    const gateway = sale.method !== 'cash' && sale.pg_codes.length > 0 ? sale.pg_codes.join('+') : '';
    const key = `${sale.method}\u0000${gateway}`;
    const m = f.methods.get(key) ?? zero();
    add(m, minor);
    f.methods.set(key, m);
  }
  for (const refund of input.refunds) {
    if (localDay(new Date(refund.created_at)) !== today) continue;
    add(figuresOf(refund.currency_code).refunds, toMinor(refund.amount, input.decimals(refund.currency_code)));
  }
  const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const lines: CurrencyDashboard[] = [...currencies.keys()].sort(byCode).map((code) => {
    const f = currencies.get(code)!;
    const dp = input.decimals(code);
    const tally = (s: Sum): Tally => ({ count: s.count, total: fromMinor(s.minor, dp) });
    const by_method: MethodTotal[] = [...f.methods.keys()].sort(byCode).map((key) => {
      const [method, gateway] = key.split('\u0000') as [string, string];
      return { method, gateway: gateway || null, currency_code: code, ...tally(f.methods.get(key)!) };
    });
    return {
      currency_code: code,
      paid_count: f.today.count,
      paid_total: fromMinor(f.today.minor, dp),
      refund_count: f.refunds.count,
      refund_total: fromMinor(f.refunds.minor, dp),
      net_total: fromMinor(f.today.minor - f.refunds.minor, dp),
      average_sale: fromMinor(average(f.today), dp),
      by_hour: f.hours.map(tally),
      by_method,
      this_week: f.weeks.slice(7).map(tally),
      last_week: f.weeks.slice(0, 7).map(tally),
    };
  });
  return {
    today,
    scope: input.scope,
    week_start: input.weekStart,
    this_week_days: days.slice(7),
    last_week_days: days.slice(0, 7),
    currencies: lines,
    generated_at: input.now.toISOString(),
  };
}
