// The one interface every store talks to. `index.ts` implements it over Tauri IPC and
// plugins; `fake.ts` implements it in memory for Vitest and for `vite dev` in a browser.
import type {
  AppState,
  ConnectionCheck,
  Gateway,
  History,
  HistoryQuery,
  Profile,
  ProfileInput,
  Sale,
  SaleDraft,
  SaleEdit,
  Settings,
  ShareLinks,
} from './types';

export type Unlisten = () => void;

export interface Backend {
  readonly kind: 'tauri' | 'fake';

  /**
   * The app state the shell put in the page before it loaded, on the first call only; null
   * after that, or when there was none (then `appState` answers).
   */
  takeBootState(): AppState | null;

  // Commands of the IPC contract, one method each.
  appState(): Promise<AppState>;
  gateways(currency: string): Promise<Gateway[]>;
  createSale(draft: SaleDraft): Promise<Sale>;
  getSale(id: string): Promise<Sale>;
  editSale(id: string, edit: SaleEdit): Promise<Sale>;
  cancelSale(id: string): Promise<Sale>;
  shareLinks(id: string): Promise<ShareLinks>;
  history(query: HistoryQuery): Promise<History>;
  exportCsv(query: HistoryQuery, path: string): Promise<number>;
  saveSettings(settings: Settings): Promise<AppState>;
  saveProfile(profile: ProfileInput): Promise<Profile>;
  useProfile(id: string): Promise<AppState>;
  deleteProfile(id: string): Promise<AppState>;
  testConnection(profile: ProfileInput): Promise<ConnectionCheck>;
  showCustomerDisplay(id: string): Promise<void>;
  uiReady(): Promise<void>;

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
