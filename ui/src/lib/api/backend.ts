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

  // System services (Tauri plugins).
  openExternal(url: string): Promise<void>;
  copyText(text: string): Promise<void>;
  notify(title: string, body: string): Promise<void>;
  /** Save dialog for the CSV export; null when the user cancels. */
  pickSavePath(defaultName: string): Promise<string | null>;
  /** Open dialog for a PDF or image to attach; null when the user cancels. */
  pickAttachment(): Promise<string | null>;
  log(level: 'info' | 'warn' | 'error', message: string): void;
}
