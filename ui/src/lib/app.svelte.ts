// App-wide state: the loaded AppState, the current view, theme and language, and toasts.
import type { Backend } from './api/backend';
import type { AppState, CommandError, Settings } from './api/types';
import { toCommandError, untranslatedWords } from './api/errors';
import { currencyDecimals } from './format/money';
import { i18n } from './i18n/index.svelte';
import { roleMay, type Action } from './roles';

export type View = 'new' | 'sale' | 'history' | 'settings' | 'staff' | 'receipt' | 'shift' | 'split' | 'reconcile' | 'dashboard' | 'catalog';

export interface Toast {
  id: number;
  text: string;
  kind: 'info' | 'error';
}

export class AppStore {
  state = $state<AppState | null>(null);
  view = $state<View>('new');
  loadError = $state<CommandError | null>(null);
  toasts = $state<Toast[]>([]);
  readonly isDemo = $derived(this.state?.profile.kind === 'demo');
  readonly shopName = $derived(this.state?.settings.shop_name ?? '');
  /** Who is signed in (the first owner while no PIN exists); null when locked. */
  readonly staff = $derived(this.state?.staff ?? null);
  /** The lock screen is up: the till locks and nobody is signed in. */
  readonly locked = $derived(this.state !== null && this.state.lock_required && this.state.staff === null);
  private toastSeq = 0;
  /** When the cashier last touched the window (for the idle lock). */
  private lastActivity = Date.now();

  constructor(readonly api: Backend) {}

  async load(): Promise<boolean> {
    try {
      this.setState(await this.api.appState());
      this.loadError = null;
      return true;
    } catch (e) {
      this.loadError = toCommandError(e);
      this.api.log('error', `app_state failed: ${this.loadError.code}: ${this.loadError.message}`);
      return false;
    }
  }

  setState(state: AppState): void {
    // A toast in the language just left is stale.
    if (this.state && this.state.settings.language !== state.settings.language) this.toasts = [];
    this.state = state;
    applySettings(state.settings);
  }

  decimalsOf(currency: string): number {
    return currencyDecimals(currency, this.state?.currencies ?? []);
  }

  /** Whether the signed-in staff member's role allows `action` (the core checks it again). */
  may(action: Action): boolean {
    return this.staff !== null && roleMay(this.staff.role, action);
  }

  /** Sign in with a PIN; throws the core's error (wrong PIN, backoff) for the lock screen. */
  async unlock(pin: string): Promise<void> {
    this.setState(await this.api.unlock(pin));
    this.lastActivity = Date.now();
  }

  /** Lock now ("Lock" button, or idle). */
  async lock(): Promise<void> {
    try {
      this.setState(await this.api.lock());
      // Nothing of the last person's work stays over the lock screen.
      this.toasts = [];
    } catch (e) {
      this.toastError(e);
    }
  }

  touch(): void {
    this.lastActivity = Date.now();
  }

  /** The idle lock: the core locks on its own, the window follows without waiting for a command. */
  async checkIdle(now = Date.now()): Promise<void> {
    const s = this.state;
    if (!s || !s.lock_required || s.staff === null) return;
    const minutes = s.settings.lock_after_minutes;
    if (minutes > 0 && now - this.lastActivity > minutes * 60_000) await this.lock();
  }

  go(view: View): void {
    this.view = view;
  }

  toast(text: string, kind: Toast['kind'] = 'info', ms = 3500): void {
    const id = ++this.toastSeq;
    this.toasts = [...this.toasts, { id, text, kind }];
    setTimeout(() => this.dismiss(id), ms);
  }

  toastError(error: unknown): void {
    const err = toCommandError(error);
    // The till locked itself (idle): show the lock screen.
    if (err.code === 'locked') void this.load();
    this.api.log('warn', `${err.code}: ${err.message}`);
    const words = untranslatedWords(err.problem);
    const said = words ? ` ${i18n.t(words.kind === 'server' ? 'error.server_words' : 'error.details')} “${words.text}”` : '';
    this.toast(i18n.error(err) + said, 'error', 6000);
  }

  dismiss(id: number): void {
    this.toasts = this.toasts.filter((t) => t.id !== id);
  }
}

/** Language, digits and theme onto the document. */
export function applySettings(settings: Settings): void {
  i18n.setLanguage(settings.language, settings.arabic_numerals);
  i18n.setConventions({
    arabicDigits: settings.arabic_numerals,
    currencyDisplay: settings.currency_display ?? 'code',
    weekStart: settings.week_start ?? 'sunday',
  });
  if (typeof document === 'undefined') return;
  const root = document.documentElement;
  if (settings.theme === 'system') delete root.dataset['theme'];
  else root.dataset['theme'] = settings.theme;
}
