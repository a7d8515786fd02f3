// App-wide state: the loaded AppState, the current view, theme and language, and toasts.
import type { Backend } from './api/backend';
import type { AppState, CommandError, Settings } from './api/types';
import { errorMessage, toCommandError } from './api/errors';
import { currencyDecimals } from './format/money';
import { i18n } from './i18n/index.svelte';

export type View = 'new' | 'sale' | 'history' | 'settings';

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
  private toastSeq = 0;

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
    this.state = state;
    applySettings(state.settings);
  }

  decimalsOf(currency: string): number {
    return currencyDecimals(currency, this.state?.currencies ?? []);
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
    this.api.log('warn', `${err.code}: ${err.message}`);
    this.toast(errorMessage(err, i18n.lang), 'error', 6000);
  }

  dismiss(id: number): void {
    this.toasts = this.toasts.filter((t) => t.id !== id);
  }
}

/** Language, digits and theme onto the document. */
export function applySettings(settings: Settings): void {
  i18n.setLanguage(settings.language, settings.arabic_numerals);
  if (typeof document === 'undefined') return;
  const root = document.documentElement;
  if (settings.theme === 'system') delete root.dataset['theme'];
  else root.dataset['theme'] = settings.theme;
}
