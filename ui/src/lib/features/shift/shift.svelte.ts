// The shift screen's state: the open shift (shown in the top bar too), opening it with a float,
// cash in and out with a reason, closing it with the counted cash (expected, counted and the
// variance shown before the close is confirmed), and the X and Z reports. pos-core decides and
// checks everything; this only keeps what the screen shows and the errors by field.
import type { Backend } from '../../api/backend';
import type { CashEntryKind, CommandError, CsvExport, Shift, ShiftReport } from '../../api/types';
import { toCommandError } from '../../api/errors';
import { fromMinor, parseAmount, toMinor } from '../../format/money';
import { i18n } from '../../i18n/index.svelte';

/** What the close form shows before the count is sent: the X report's expected drawer. */
export interface ClosePreview {
  expected: string;
  counted: string;
  /** Counted − expected in the shift's currency; negative: cash missing. */
  variance: string;
}

export class ShiftStore {
  /** The open shift; null when none is open (or not loaded yet). */
  current = $state<Shift | null>(null);
  loaded = $state(false);
  /** The report on screen (X of the open shift, or a closed shift's Z). */
  report = $state<ShiftReport | null>(null);
  /** Closed shifts a manager can reopen the Z report of, newest first. */
  closed = $state<Shift[]>([]);
  errors = $state<Record<string, string>>({});
  error = $state<CommandError | null>(null);
  busy = $state(false);

  floatText = $state('');
  entryKind = $state<CashEntryKind>('in');
  entryAmount = $state('');
  entryReason = $state('');
  countedText = $state('');

  constructor(
    private readonly api: Backend,
    /** The shop's currency decimals (app.decimalsOf). */
    private readonly decimalsOf: (currency: string) => number = () => 3,
  ) {}

  /** Reads the open shift; the top bar and the cash sale button follow it. */
  async load(): Promise<void> {
    try {
      this.current = await this.api.currentShift();
      this.error = null;
    } catch (e) {
      this.error = toCommandError(e);
    } finally {
      this.loaded = true;
    }
  }

  /** The latest closed shifts (manager, owner; others get an empty list without an error). */
  async loadClosed(mayReadAll: boolean): Promise<void> {
    if (!mayReadAll) {
      this.closed = [];
      return;
    }
    try {
      this.closed = (await this.api.shifts(20)).filter((s) => s.closed_at !== null);
    } catch (e) {
      this.error = toCommandError(e);
    }
  }

  async open(): Promise<Shift | null> {
    return this.run(['opening_float'], async () => {
      const shift = await this.api.openShift(this.floatText);
      this.current = shift;
      this.floatText = '';
      this.report = null;
      return shift;
    });
  }

  async recordCash(): Promise<Shift | null> {
    return this.run(['amount', 'reason'], async () => {
      const shift = await this.api.recordCash({ kind: this.entryKind, amount: this.entryAmount, reason: this.entryReason });
      this.current = shift;
      this.entryAmount = '';
      this.entryReason = '';
      return shift;
    });
  }

  /** The open shift's X report on screen. */
  async showX(): Promise<ShiftReport | null> {
    return this.run([], async () => (this.report = await this.api.shiftReport(null, 'x')));
  }

  /** A closed shift's stored Z report on screen. */
  async showZ(shiftId: string): Promise<ShiftReport | null> {
    return this.run([], async () => (this.report = await this.api.shiftReport(shiftId, 'z')));
  }

  /**
   * Expected, counted and variance for the typed count, from the X report the close form read.
   * Null until both are known and the count is a valid amount (zero counts: an empty drawer).
   */
  preview(x: ShiftReport | null): ClosePreview | null {
    if (!x || !this.current) return null;
    const decimals = this.decimalsOf(this.current.currency_code);
    let counted: string;
    const parsed = parseAmount(this.countedText, decimals);
    if (parsed.ok) counted = parsed.amount;
    else if (parsed.error === 'zero') counted = fromMinor(0n, decimals);
    else return null;
    const variance = toMinor(counted, decimals) - toMinor(x.cash.expected, decimals);
    return { expected: x.cash.expected, counted, variance: fromMinor(variance, decimals) };
  }

  /** Closes the open shift with the counted cash; its Z report goes on screen. */
  async close(): Promise<ShiftReport | null> {
    return this.run(['counted_cash'], async () => {
      const z = await this.api.closeShift(this.countedText);
      this.report = z;
      this.current = null;
      this.countedText = '';
      return z;
    });
  }

  /** The report on screen to a CSV file through the shell's save dialog; null when cancelled. */
  async exportCsv(): Promise<CsvExport | null> {
    const r = this.report;
    if (!r) return null;
    return this.run([], () => this.api.exportReportCsv(r.kind === 'z' ? r.shift_id : null, r.kind));
  }

  clearErrors(): void {
    this.errors = {};
    this.error = null;
  }

  /** One command: errors on `fields` go beside them, anything else above the form. */
  private async run<T>(fields: string[], command: () => Promise<T>): Promise<T | null> {
    if (this.busy) return null;
    this.busy = true;
    this.clearErrors();
    try {
      return await command();
    } catch (e) {
      const error = toCommandError(e);
      const byField = Object.entries(i18n.fieldErrors(error)).filter(([k]) => fields.includes(k));
      if (byField.length > 0) this.errors = Object.fromEntries(byField);
      if (byField.length === 0 || Object.keys(error.fields).some((k) => !fields.includes(k))) this.error = error;
      return null;
    } finally {
      this.busy = false;
    }
  }
}
