// Reconciliation: a range of days compared with Ottu's report files (manager, owner), and the
// owner's Ottu cash set-up (the gateway marked as Ottu's cash method, this till's id).
import type { Backend } from '../../api/backend';
import type { CommandError, OttuCashSetup, Reconciliation } from '../../api/types';
import { toCommandError } from '../../api/errors';
import { today } from '../../format/dates';

export class ReconcileStore {
  from = $state(today());
  to = $state(today());
  result = $state<Reconciliation | null>(null);
  running = $state(false);
  error = $state<CommandError | null>(null);

  setup = $state<OttuCashSetup | null>(null);
  /** The cash gateway and till id as being edited. */
  cashPgCode = $state('');
  tillId = $state('');
  saving = $state(false);
  setupError = $state<CommandError | null>(null);
  saved = $state(false);

  constructor(private readonly api: Backend) {}

  /** Reads the cash set-up when the screen opens. */
  async load(): Promise<void> {
    try {
      this.applySetup(await this.api.ottuCashSetup());
      this.setupError = null;
    } catch (e) {
      this.setupError = toCommandError(e);
    }
  }

  private applySetup(setup: OttuCashSetup): void {
    this.setup = setup;
    this.cashPgCode = setup.cash_pg_code ?? '';
    this.tillId = setup.till_id_set ? setup.till_id : '';
  }

  /** Compares the chosen days with Ottu's reports. */
  async run(): Promise<void> {
    this.running = true;
    try {
      this.result = await this.api.reconcile(this.from, this.to);
      this.error = null;
    } catch (e) {
      this.result = null;
      this.error = toCommandError(e);
    } finally {
      this.running = false;
    }
  }

  /** Saves the cash gateway and till id (owner only; the core checks). */
  async saveSetup(): Promise<void> {
    this.saving = true;
    this.saved = false;
    try {
      this.applySetup(
        await this.api.setOttuCashSetup({
          cash_pg_code: this.cashPgCode.trim() || null,
          till_id: this.tillId.trim() || null,
        }),
      );
      this.setupError = null;
      this.saved = true;
    } catch (e) {
      this.setupError = toCommandError(e);
    } finally {
      this.saving = false;
    }
  }
}
