// History: filters, results with today's paid totals, CSV export.
import type { Backend } from '../../api/backend';
import type { CommandError, HistoryQuery, PaymentMethod, Sale, SaleState, Total } from '../../api/types';
import { toCommandError } from '../../api/errors';
import { today } from '../../format/dates';

export const FILTER_STATES: readonly SaleState[] = [
  'created', 'pending', 'attempted', 'paid', 'failed', 'expired', 'canceled', 'unknown', 'rejected',
];
export const FILTER_METHODS: readonly PaymentMethod[] = ['link', 'cash', 'split'];
const SEARCH_DELAY_MS = 200;

export class HistoryStore {
  text = $state('');
  state = $state<SaleState | ''>('');
  from = $state('');
  to = $state('');
  /** Only sales made by this staff member (id); blank: everyone's. */
  staffId = $state('');
  /** Only sales paid this way; blank: any. */
  method = $state<PaymentMethod | ''>('');
  sales = $state<Sale[]>([]);
  totals = $state<Total[]>([]);
  loading = $state(false);
  error = $state<CommandError | null>(null);
  private seq = 0;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly api: Backend) {}

  /** The query for the core: blank filters left out. */
  readonly query: HistoryQuery = $derived.by(() => {
    const q: HistoryQuery = { limit: 500 };
    const text = this.text.trim();
    if (text) q.text = text;
    if (this.state) q.state = this.state;
    if (this.from) q.from = this.from;
    if (this.to) q.to = this.to;
    if (this.staffId) q.staff_id = this.staffId;
    if (this.method) q.method = this.method;
    return q;
  });

  async load(): Promise<void> {
    const seq = ++this.seq;
    this.loading = true;
    try {
      const result = await this.api.history(this.query);
      if (seq !== this.seq) return; // a newer search is on its way
      this.sales = result.sales;
      this.totals = result.today_paid;
      this.error = null;
    } catch (e) {
      if (seq === this.seq) this.error = toCommandError(e);
    } finally {
      if (seq === this.seq) this.loading = false;
    }
  }

  /** Typing in search reloads after a short pause. */
  setText(text: string): void {
    this.text = text;
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => void this.load(), SEARCH_DELAY_MS);
  }

  setFilter(patch: {
    state?: SaleState | '';
    from?: string;
    to?: string;
    staffId?: string;
    method?: PaymentMethod | '';
  }): Promise<void> {
    if (patch.state !== undefined) this.state = patch.state;
    if (patch.method !== undefined) this.method = patch.method;
    if (patch.staffId !== undefined) this.staffId = patch.staffId;
    if (patch.from !== undefined) this.from = patch.from;
    if (patch.to !== undefined) this.to = patch.to;
    return this.load();
  }

  showToday(): Promise<void> {
    const day = today();
    return this.setFilter({ from: day, to: day });
  }

  clearFilters(): Promise<void> {
    this.text = '';
    return this.setFilter({ state: '', from: '', to: '', staffId: '', method: '' });
  }

  /** A `sale-updated` event: refresh the row in place; totals follow on the next load. */
  applyUpdate(sale: Sale): void {
    const index = this.sales.findIndex((s) => s.id === sale.id);
    if (index >= 0) this.sales[index] = sale;
  }

  /** Ask where to save, then export the current filter. Null when the user cancels. */
  async exportCsv(): Promise<{ count: number; path: string } | null> {
    // The shell asks where to save in its own dialog (null: cancelled).
    const done = await this.api.exportCsv(this.query);
    return done ? { count: done.rows, path: done.path } : null;
  }
}
