// The fake backend's reconciliation (pos-core's reconcile.rs and till/reconcile.rs): the fake
// has no Ottu, so its "report files" are its own sales with the differences planted by tests
// (the sandbox's report plants) applied. Same validation, counts and ordering as the core.
import type { Difference, DifferenceKind, Reconciliation } from './types';
import { invalid, invalidField, problem, type Fields } from './fake-problems';

/** A difference planted in the fake's report (`FakeBackend.plantInReport`). */
export type ReportPlant =
  | { change: 'drop'; order_no: string }
  | { change: 'amount'; order_no: string; amount: string }
  | { change: 'state'; order_no: string; state: string };

/** A sale of this till as Ottu should know it (link sales with a session, acknowledged cash). */
export interface TillSale {
  order_no: string;
  session_id: string | null;
  amount: string;
  currency_code: string;
  /** The state Ottu should report. */
  state: string;
  /** UTC day, YYYY-MM-DD. */
  day: string;
}

/** pos-core's till/reconcile.rs MAX_DAYS. */
export const MAX_RECONCILE_DAYS = 14;

const KIND_ORDER: DifferenceKind[] = ['missing_here', 'missing_at_ottu', 'amount_differs', 'state_differs'];

/** pos-core's clock::parse_day: `YYYY-MM-DD` (one-digit month and day allowed), a real date. */
function parseDay(text: string): Date | null {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d ? date : null;
}

const dayText = (d: Date) => d.toISOString().slice(0, 10);

/** Checks the range as the core does; answers the normalised days. */
export function checkRange(from: string, to: string): { from: string; to: string } {
  const first = parseDay(from);
  const last = parseDay(to);
  const fields: Fields = {};
  if (!first) fields['from'] = [problem('reconcile_date_invalid')];
  if (!last) fields['to'] = [problem('reconcile_date_invalid')];
  if (!first || !last) throw invalid(fields);
  if (last < first) throw invalidField('to', problem('reconcile_range_backwards'));
  const days = Math.round((last.getTime() - first.getTime()) / 86_400_000) + 1;
  if (days > MAX_RECONCILE_DAYS) throw invalidField('to', problem('reconcile_range_too_long', { max: MAX_RECONCILE_DAYS }));
  return { from: dayText(first), to: dayText(last) };
}

/** The comparison (pos-core's reconcile::compare) against the planted report. */
export function reconcileWith(
  range: { from: string; to: string },
  tillId: string,
  ours: TillSale[],
  plants: ReportPlant[],
  cash: { pending: number; localOnly: number },
): Reconciliation {
  const differences: Difference[] = [];
  let compared = 0;
  let matched = 0;
  for (const sale of ours) {
    if (sale.day < range.from || sale.day > range.to) continue;
    compared += 1;
    const planted = plants.filter((p) => p.order_no === sale.order_no);
    const base = { order_no: sale.order_no, session_id: sale.session_id, currency_code: sale.currency_code };
    if (planted.some((p) => p.change === 'drop')) {
      differences.push({ kind: 'missing_at_ottu', ...base, ours: sale.amount, ottu: null });
      continue;
    }
    let same = true;
    for (const p of planted) {
      if (p.change === 'amount' && p.amount !== sale.amount) {
        same = false;
        differences.push({ kind: 'amount_differs', ...base, ours: sale.amount, ottu: p.amount });
      }
      if (p.change === 'state' && p.state !== sale.state) {
        same = false;
        differences.push({ kind: 'state_differs', ...base, ours: sale.state, ottu: p.state });
      }
    }
    if (same) matched += 1;
  }
  // Byte order of the order numbers, as the core sorts them.
  const byOrder = (a: Difference, b: Difference) => {
    const [x, y] = [a.order_no ?? '', b.order_no ?? ''];
    return x < y ? -1 : x > y ? 1 : 0;
  };
  differences.sort((a, b) => byOrder(a, b) || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
  return {
    from: range.from,
    to: range.to,
    till_id: tillId,
    compared,
    matched,
    other_tills: 0,
    cash_pending: cash.pending,
    cash_local_only: cash.localOnly,
    report_files: 1,
    unreadable_rows: 0,
    differences,
  };
}

