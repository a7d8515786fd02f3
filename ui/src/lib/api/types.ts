// The IPC DTOs of docs/architecture.md, field for field (JSON names, snake_case).
// These may be replaced by bindings generated from pos-core; the names must stay identical.

export type SaleState =
  | 'sending'
  | 'unknown'
  | 'rejected'
  | 'created'
  | 'pending'
  | 'attempted'
  | 'authorized'
  | 'paid'
  | 'failed'
  | 'canceled'
  | 'expired'
  | 'invalided'
  | 'refunded'
  | 'cod';

export type Language = 'en' | 'ar';

export interface Sale {
  id: string;
  order_no: string;
  session_id: string | null;
  state: SaleState;
  /** Decimal string with the currency's decimals, e.g. "12.500". */
  amount: string;
  currency_code: string;
  customer_name: string | null;
  customer_phone: string | null;
  customer_email: string | null;
  note: string | null;
  language: Language;
  checkout_url: string | null;
  short_url: string | null;
  /** short_url ?? checkout_url: what is shared and encoded in the QR. */
  link: string | null;
  /** SVG markup rendered by pos-core from `link`. */
  qr_svg: string | null;
  expires_at: string | null;
  created_at: string;
  updated_at: string;
  paid_at: string | null;
  profile_id: string;
  /** Plain words when state is unknown/rejected. */
  problem: string | null;
}

export interface NotifyBy {
  sms: boolean;
  email: boolean;
  whatsapp: boolean;
}

export interface SaleDraft {
  amount: string;
  currency_code: string;
  customer_name?: string;
  customer_phone?: string;
  customer_email?: string;
  order_no?: string;
  note?: string;
  expires_in_minutes?: number;
  /** YYYY-MM-DD */
  due_date?: string;
  notify?: NotifyBy;
  attachment_path?: string;
  language?: Language;
  pg_codes?: string[];
}

export interface SaleEdit {
  amount?: string;
  customer_name?: string;
  customer_phone?: string;
  customer_email?: string;
}

export interface ShareLinks {
  text: string;
  whatsapp: string | null;
  sms: string | null;
  email: string | null;
}

export interface HistoryQuery {
  text?: string;
  state?: SaleState;
  /** YYYY-MM-DD, local time */
  from?: string;
  /** YYYY-MM-DD, local time */
  to?: string;
  limit?: number;
}

export interface Total {
  currency_code: string;
  amount: string;
  count: number;
}

export interface History {
  sales: Sale[];
  today_paid: Total[];
}

export interface Gateway {
  code: string;
  name: string;
  icon_url: string | null;
}

export interface Currency {
  code: string;
  decimals: number;
}

export type Theme = 'system' | 'light' | 'dark';

export interface Settings {
  language: Language;
  arabic_numerals: boolean;
  shop_name: string;
  theme: Theme;
  default_expiry_minutes: number;
}

export type AuthKind = 'api_key' | 'basic';

export interface Profile {
  id: string;
  name: string;
  kind: 'demo' | 'merchant';
  base_url: string;
  auth: AuthKind;
  username: string | null;
  secret_configured: boolean;
  default_currency: string;
  default_pg_codes: string[];
}

export interface ProfileInput {
  id?: string;
  name: string;
  base_url: string;
  auth: AuthKind;
  username?: string;
  /** Goes to the OS keychain; never comes back. */
  secret?: string;
  default_currency: string;
  default_pg_codes: string[];
}

export type ConnectionKind = 'ok' | 'bad_host' | 'bad_credentials' | 'missing_permission' | 'no_network';

export interface ConnectionCheck {
  ok: boolean;
  kind: ConnectionKind;
  message: string;
}

export interface AppState {
  profile: Profile;
  profiles: Profile[];
  settings: Settings;
  currencies: Currency[];
  version: string;
}

export type ErrorCode =
  | 'invalid_input'
  | 'api_rejected'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'network'
  | 'ambiguous'
  | 'not_configured'
  | 'internal';

export interface CommandError {
  code: ErrorCode;
  /** Plain words, says what to do next. */
  message: string;
  /** Keyed by SaleDraft / ProfileInput field names. */
  fields: Record<string, string[]>;
}
