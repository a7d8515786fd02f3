// Settings: shop/display settings and Ottu connection profiles (secrets go in, never come out).
import type { Backend } from '../../api/backend';
import type {
  AppState,
  CommandError,
  ConnectionCheck,
  Gateway,
  Profile,
  ProfileInput,
  Settings,
} from '../../api/types';
import { toCommandError } from '../../api/errors';
import { i18n } from '../../i18n/index.svelte';

export type ProfileField = 'name' | 'base_url' | 'auth' | 'username' | 'secret' | 'default_currency' | 'default_pg_codes';

export function blankProfile(currency: string): ProfileInput {
  return {
    name: '',
    base_url: 'https://',
    auth: 'api_key',
    username: '',
    secret: '',
    default_currency: currency,
    default_pg_codes: [],
  };
}

export function profileToInput(profile: Profile): ProfileInput {
  return {
    id: profile.id,
    name: profile.name,
    base_url: profile.base_url,
    auth: profile.auth,
    username: profile.username ?? '',
    secret: '',
    default_currency: profile.default_currency,
    default_pg_codes: [...profile.default_pg_codes],
  };
}

/** What is sent: no empty secret (keeps the stored one), no username for API keys. */
export function cleanProfileInput(input: ProfileInput): ProfileInput {
  const out: ProfileInput = {
    name: input.name.trim(),
    // Trailing slashes go only after a host: "https://" stripped to "https:" would name the host "https".
    base_url: /:\/\/[^/]/.test(input.base_url.trim()) ? input.base_url.trim().replace(/\/+$/, '') : input.base_url.trim(),
    auth: input.auth,
    default_currency: input.default_currency,
    default_pg_codes: [...input.default_pg_codes],
  };
  if (input.id) out.id = input.id;
  if (input.auth === 'basic' && input.username?.trim()) out.username = input.username.trim();
  if (input.secret) out.secret = input.secret;
  return out;
}

export class SettingsStore {
  form = $state<Settings>({
    language: 'en',
    arabic_numerals: false,
    week_start: 'sunday',
    currency_display: 'code',
    shop_name: '',
    theme: 'system',
    default_expiry_minutes: 60,
    lock_after_minutes: 5,
      phone_demo: false,
  });
  settingsErrors = $state<Record<string, string>>({});
  savingSettings = $state(false);

  profiles = $state<Profile[]>([]);
  activeId = $state('');
  /** The connection being added or edited, or null. */
  editor = $state<ProfileInput | null>(null);
  /** Whether the edited profile already has a stored secret. */
  editorHasSecret = $state(false);
  profileErrors = $state<Partial<Record<ProfileField, string>>>({});
  gateways = $state<Gateway[]>([]);
  testResult = $state<ConnectionCheck | null>(null);
  testing = $state(false);
  savingProfile = $state(false);
  error = $state<CommandError | null>(null);

  constructor(private readonly api: Backend) {}

  /** Refill the forms from the app state. */
  load(state: AppState): void {
    this.form = { ...state.settings };
    this.profiles = state.profiles;
    this.activeId = state.profile.id;
    this.settingsErrors = {};
  }

  async saveSettings(): Promise<AppState | null> {
    this.savingSettings = true;
    try {
      const state = await this.api.saveSettings({ ...this.form, shop_name: this.form.shop_name.trim() });
      this.settingsErrors = {};
      this.load(state);
      return state;
    } catch (e) {
      const err = toCommandError(e);
      this.settingsErrors = i18n.fieldErrors(err);
      if (Object.keys(this.settingsErrors).length === 0) this.error = err;
      return null;
    } finally {
      this.savingSettings = false;
    }
  }

  edit(profile: Profile | null, fallbackCurrency: string): void {
    this.editor = profile ? profileToInput(profile) : blankProfile(fallbackCurrency);
    this.editorHasSecret = profile?.secret_configured ?? false;
    this.profileErrors = {};
    this.testResult = null;
    void this.loadGateways(this.editor.default_currency);
  }

  closeEditor(): void {
    this.editor = null;
    this.testResult = null;
    this.profileErrors = {};
  }

  async loadGateways(currency: string): Promise<void> {
    try {
      this.gateways = await this.api.gateways(currency);
    } catch {
      this.gateways = [];
    }
  }

  togglePgCode(code: string, on: boolean): void {
    if (!this.editor) return;
    const codes = this.editor.default_pg_codes.filter((c) => c !== code);
    this.editor.default_pg_codes = on ? [...codes, code] : codes;
  }

  async testConnection(): Promise<ConnectionCheck | null> {
    if (!this.editor) return null;
    this.testing = true;
    this.testResult = null;
    try {
      this.testResult = await this.api.testConnection(cleanProfileInput(this.editor));
      return this.testResult;
    } catch (e) {
      const err = toCommandError(e);
      this.setProfileErrors(err);
      this.testResult = { ok: false, kind: 'no_network', message: err.message };
      return this.testResult;
    } finally {
      this.testing = false;
    }
  }

  /** Save the edited connection; returns the fresh app state. */
  async saveProfile(): Promise<AppState | null> {
    if (!this.editor) return null;
    this.savingProfile = true;
    try {
      await this.api.saveProfile(cleanProfileInput(this.editor));
      const state = await this.api.appState();
      this.load(state);
      this.closeEditor();
      return state;
    } catch (e) {
      this.setProfileErrors(toCommandError(e));
      return null;
    } finally {
      this.savingProfile = false;
    }
  }

  async use(id: string): Promise<AppState | null> {
    return this.run(() => this.api.useProfile(id));
  }

  async remove(id: string): Promise<AppState | null> {
    return this.run(() => this.api.deleteProfile(id));
  }

  private async run(action: () => Promise<AppState>): Promise<AppState | null> {
    try {
      const state = await action();
      this.load(state);
      this.error = null;
      return state;
    } catch (e) {
      this.error = toCommandError(e);
      return null;
    }
  }

  private setProfileErrors(err: CommandError): void {
    const errors: Partial<Record<ProfileField, string>> = {};
    for (const [k, v] of Object.entries(i18n.fieldErrors(err))) errors[k as ProfileField] = v;
    this.profileErrors = errors;
    if (Object.keys(errors).length === 0) this.error = err;
  }
}
