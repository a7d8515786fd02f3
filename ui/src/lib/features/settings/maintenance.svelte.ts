// Settings → Diagnostics and Updates: saving the redacted diagnostics zip (manager or owner) and
// the owner's self-updates (address, check, what's new, install on confirmation). The core and
// the shell decide everything (roles, https only, signature, no update during an open sale);
// this store only keeps what the section shows.
import type { Backend } from '../../api/backend';
import type { CommandError, DiagnosticsSummary, Problem, UpdateOffer } from '../../api/types';
import { toCommandError } from '../../api/errors';

export class MaintenanceStore {
  /** The update address as typed; blank is off. */
  endpoint = $state('');
  endpointError = $state<Problem | null>(null);
  /** The offer being shown for confirmation, or null. */
  offer = $state<UpdateOffer | null>(null);
  /** True after a check that found nothing newer. */
  upToDate = $state(false);
  busy = $state<'diagnostics' | 'saving' | 'checking' | 'installing' | null>(null);
  error = $state<CommandError | null>(null);
  saved = $state<DiagnosticsSummary | null>(null);

  constructor(private readonly api: Backend) {}

  /** Reads the update address (owner only; others never see the section). */
  async load(): Promise<void> {
    try {
      this.endpoint = (await this.api.updateSettings()).endpoint ?? '';
    } catch (e) {
      this.error = toCommandError(e);
    }
  }

  /** Save diagnostics: the shell's save dialog, then the zip; null when cancelled. */
  async saveDiagnostics(): Promise<DiagnosticsSummary | null> {
    return this.run('diagnostics', async () => {
      this.saved = await this.api.saveDiagnostics();
      return this.saved;
    });
  }

  async saveEndpoint(): Promise<boolean> {
    this.endpointError = null;
    const done = await this.run('saving', async () => {
      const saved = await this.api.saveUpdateSettings({ endpoint: this.endpoint });
      this.endpoint = saved.endpoint ?? '';
      this.offer = null;
      this.upToDate = false;
      return true;
    });
    if (this.error?.fields['endpoint']) {
      this.endpointError = this.error.fields['endpoint'][0] ?? this.error.problem;
      this.error = null;
    }
    return done === true;
  }

  async check(): Promise<void> {
    this.upToDate = false;
    this.offer = null;
    await this.run('checking', async () => {
      this.offer = await this.api.checkUpdate();
      this.upToDate = this.offer === null;
    });
  }

  /** Installs the offer the owner confirmed; the app restarts when it succeeds. */
  async install(): Promise<void> {
    const offer = this.offer;
    if (!offer) return;
    await this.run('installing', () => this.api.installUpdate(offer.version));
  }

  private async run<T>(what: NonNullable<MaintenanceStore['busy']>, work: () => Promise<T>): Promise<T | null> {
    this.busy = what;
    this.error = null;
    try {
      return await work();
    } catch (e) {
      this.error = toCommandError(e);
      return null;
    } finally {
      this.busy = null;
    }
  }
}
