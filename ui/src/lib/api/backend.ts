// The one interface every store talks to. `index.ts` implements it over Tauri IPC and
// plugins; `fake.ts` implements it in memory for Vitest and for `vite dev` in a browser.
import type { CommandMethods } from './commands';
import type { AppState, Sale } from './types';

export type Unlisten = () => void;

/**
 * The commands of the IPC contract come from `CommandMethods`, generated from pos-core's list of
 * commands (./commands.ts): a backend that misses or misnames one does not type-check.
 */
export interface Backend extends CommandMethods {
  readonly kind: 'tauri' | 'fake';

  /**
   * The app state the shell put in the page before it loaded, on the first call only; null
   * after that, or when there was none (then `appState` answers).
   */
  takeBootState(): AppState | null;

  // Events.
  onSaleUpdated(handler: (sale: Sale) => void): Promise<Unlisten>;

  // System services (Tauri plugins). File dialogs, share links and payment notifications are
  // the shell's (the `export_csv`, `pick_attachment` and `open_share` commands): the page may
  // not open dialogs or external links, nor name a file path.
  copyText(text: string): Promise<void>;
  log(level: 'info' | 'warn' | 'error', message: string): void;
}
