// In-memory stand-in for the desktop shell, with the same interface as the Tauri backend.
// Used by Vitest and by `vite dev` in a plain browser. It follows pos-core's rules (validation
// and field names, error codes, normalised amounts and phones, share messages, history filters,
// profiles) as the app in demo mode shows them; `contract.test.ts` replays transcripts recorded
// from the real core against it and fails where the two differ. Its QR is only a look-alike:
// the real one is rendered by pos-core.
import type { Backend, Unlisten } from './backend';
import type {
  AppState,
  AuthKind,
  Bill,
  CashEntry,
  CashSale,
  CartTotals,
  CashSaleInput,
  CommandError,
  ConnectionCheck,
  CsvExport,
  Currency,
  DiagnosticsSummary,
  Gateway,
  History,
  HistoryQuery,
  Language,
  OperationInput,
  OperationKind,
  Paper,
  Receipt,
  PickedFile,
  Problem,
  ProblemCode,
  Profile,
  ProfileInput,
  Sale,
  SaleDraft,
  SaleEdit,
  SaleState,
  Role,
  SaleOperation,
  Settings,
  Settlement,
  ShareLinks,
  Shift,
  ShiftReport,
  StaffInput,
  StaffMember,
  StaffRef,
  Total,
  UpdateOffer,
  UpdateSettings,
  OttuCashSetup,
  Reconciliation,
} from './types';
import { currencyDecimals, fromMinor, plainAmount, toMinor } from '../format/money';
import { localDay, today } from '../format/dates';
import { problemsEn } from '../i18n/problems-en';
import { interpolate } from '../i18n/interpolate';
import { roleMay, normalizePin, DESCRIBE, type Action } from '../roles';
import { fakeCatalog } from './fake-catalog';
import { fakeReceipt } from './fake-receipt';
import { checkRange, reconcileWith, type ReportPlant, type TillSale } from './fake-reconcile';
import { failure, invalid, problem, type Fields } from './fake-problems';
import { computeDashboard } from './fake-dashboard';

export interface FakeOptions {
  /** Move new sales to opened, then paid, on a timer (for `vite dev`). Off in tests. */
  autoAdvance?: boolean;
  /** Delay of every command in ms, to make loading states visible. */
  latencyMs?: number;
  /** How long after a `late_commit` create its transaction lands (ms; default 5000). */
  lateCommitMs?: number;
  /** Answer `app_state` with `not_configured`, as a shell without a sales engine does. */
  appStateFails?: boolean;
  /** Hand the app state over before the first render, as the shell's boot script does. */
  bootState?: boolean;
}

/**
 * How the next create's answer is lost, as the demo sandbox's faults lose it. The create fails
 * with `ambiguous` (naming the sale, left `unknown`), and the sale is settled as pos-core
 * settles it (sales/settle.rs): `drop_after_commit`: the transaction exists, so the cancel by
 * order number succeeds and the sale is `canceled`; `late_commit`: nothing exists yet, so the
 * sale stays `unknown` (a new link may be made) until the transaction lands and is cancelled;
 * `uncancellable`: a transaction exists that can no longer be cancelled (the customer may have
 * paid), so the sale stays `unknown` until Ottu's status query answers.
 */
export type FakeFault = 'drop_after_commit' | 'late_commit' | 'uncancellable';

export interface FakeBackend extends Backend {
  /** Drive a sale to a state as the payer or the gateway would, and emit `sale-updated`. */
  simulate(id: string, state: SaleState): Sale;
  /** Lose the answer of the next create (see `FakeFault`). */
  armFault(fault: FakeFault): void;
  /** Plant a difference in the fake's Ottu report (the sandbox's report plants). */
  plantInReport(plant: ReportPlant): void;
  /**
   * A late gateway success of a `failed` or `expired` sale (the sandbox's `late_success`): the
   * till finds it on its next check ("Check now").
   */
  lateSuccess(id: string): void;
  /** Add finished sales of today and the last days, for history screens. */
  seedHistory(): void;
  /** The file the next catalog import's open dialog answers (its CSV text); null: cancelled. */
  chooseCatalogFile(text: string | null): void;
  /** The CSV the last catalog export wrote, or null. */
  exportedCatalog(): string | null;
  readonly calls: {
    opened: string[];
    copied: string[];
    uiReady: number;
    appState: number;
    customerDisplay: string[];
    /** Each print: the paper, and the PDF's file name (`null`: the print dialog). */
    printed: Array<{ paper: Paper; pdf: string | null }>;
  };
}

// pos-core's settings::OFFERED_CURRENCIES with their ISO 4217 decimals.
const CURRENCIES: Currency[] = [
  { code: 'KWD', decimals: 3 },
  { code: 'BHD', decimals: 3 },
  { code: 'OMR', decimals: 3 },
  { code: 'SAR', decimals: 2 },
  { code: 'AED', decimals: 2 },
  { code: 'QAR', decimals: 2 },
  { code: 'JOD', decimals: 3 },
  { code: 'EGP', decimals: 2 },
  { code: 'IQD', decimals: 3 },
  { code: 'USD', decimals: 2 },
  { code: 'EUR', decimals: 2 },
  { code: 'GBP', decimals: 2 },
];

// The embedded demo sandbox: where it answers once started, its API key, and its merchant's
// gateways (ottu-sandbox's demo merchant, in its order).
const DEMO_URL = 'http://127.0.0.1:8411';
const DEMO_API_KEY = 'demo1234.sandboxdemoapikey0000000000000';
const DEMO_GATEWAYS: Array<{ code: string; name: string; currencies: string[] }> = [
  { code: 'knet', name: 'KNET', currencies: ['KWD'] },
  {
    code: 'credit-card',
    name: 'Credit Card',
    currencies: ['KWD', 'BHD', 'OMR', 'SAR', 'AED', 'QAR', 'USD', 'EUR', 'GBP', 'EGP', 'JOD'],
  },
  { code: 'card-auth', name: 'Card (authorize)', currencies: ['KWD', 'USD'] },
  { code: 'benefit', name: 'BENEFIT', currencies: ['BHD'] },
  {
    code: 'cash',
    name: 'Cash',
    currencies: ['KWD', 'BHD', 'OMR', 'SAR', 'AED', 'QAR', 'USD', 'EUR', 'GBP', 'EGP', 'JOD'],
  },
];

// pos-core's limits (sales::draft, settings, profiles).
const MAX_INTEGER_DIGITS = 13;
const MAX_NAME_CHARS = 64;
const MAX_EMAIL_CHARS = 128;
const MAX_ORDER_NO_CHARS = 128;
const MAX_NOTE_CHARS = 500;
const MAX_EXPIRY_MINUTES = 30 * 24 * 60;
const MAX_SHOP_NAME_CHARS = 80;
const MAX_PROFILE_NAME_CHARS = 60;
const MAX_ID_CHARS = 32;
const DEFAULT_HISTORY_LIMIT = 200;
const MAX_ATTACHMENT_NAME_CHARS = 100;
const ATTACHMENT_EXTENSIONS = ['pdf', 'jpeg', 'png', 'doc', 'docx', 'jpg', 'xls', 'xlsx', 'txt'];
const COUNTRY_CODE = '965';
const ORDER_NO_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const EDITABLE: readonly SaleState[] = ['created', 'pending', 'attempted'];
const NAME_TOO_LONG = (): Problem => problem('name_too_long', { max: MAX_NAME_CHARS });
// pos-core's sales::schedule: the late-commit horizon, when Ottu's status query first answers,
// the first re-check of a failed or expired sale, the first settling delay.
const LATE_COMMIT_HORIZON_MS = 10 * 60_000;
const INQUIRY_OPENS_AFTER_MS = 10 * 60_000 + 15_000;
const FIRST_RECHECK_MS = 60_000;
const FIRST_SETTLE_DELAY_MS = 2_000;
// pos-core's staff: PINs of 4 to 6 digits, names of 1 to 40 characters, the wrong-PIN backoff
// (free tries, then 30 s doubling up to 15 minutes), the longest idle lock.
const MAX_STAFF_NAME_CHARS = 40;
const FREE_PIN_TRIES = 3;
const MAX_LOCK_AFTER_MINUTES = 24 * 60;

interface StoredStaff {
  id: string;
  name: string;
  role: Role;
  pin: string | null;
}

/** What the till has learnt about a sale beyond its DTO (pos-core's SaleRecord). */
interface SaleExtra {
  finding: 'absent' | 'cancelled' | 'uncancellable' | null;
  fault: FakeFault | null;
  sentAt: number;
  expiresInMinutes: number;
  recheckArmed: boolean;
  lateSuccess: boolean;
}

function noSettlement(): Settlement {
  return {
    watch_until: null,
    next_check_at: null,
    can_check: false,
    can_replace: false,
    replaced_by: null,
    replaces: null,
    mismatch: false,
  };
}

/** pos-core's short_time: "14:32 UTC". */
function shortTime(iso: string): string {
  return `${iso.slice(11, 16)} UTC`;
}


function invalidField(field: string, why: Problem): CommandError {
  return failure('invalid_input', why, { [field]: [why] });
}

function add(fields: Fields, field: string, why: Problem): void {
  (fields[field] ??= []).push(why);
}

const chars = (text: string) => [...text].length;

function randomText(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(Math.random() * alphabet.length)];
  return out;
}

/** An ISO 4217 code, upper-cased, or null (ottu_checkout::CurrencyCode::parse). */
function parseCurrency(code: string): string | null {
  const upper = code.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(upper)) return null;
  if (CURRENCIES.some((c) => c.code === upper)) return upper;
  const iso = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('currency') : [];
  return iso.includes(upper) ? upper : null;
}

/**
 * pos-core's check_amount: the amount in the currency's decimals, or why not. Typed text is read
 * by the one separator rule (`1,500` and `١٬٥٠٠` are fifteen hundred; `١٫٥` is one and a half).
 */
function checkAmount(raw: string, currency: string): { amount: string } | { error: Problem } {
  if (!raw.trim()) return { error: problem('amount_empty') };
  const plain = plainAmount(raw);
  if (!plain.ok) {
    return {
      error:
        plain.error === 'misplaced_grouping' ? problem('amount_misplaced_grouping') : problem('amount_not_a_number'),
    };
  }
  const text = plain.text;
  const match = /^(\d*)(?:\.(\d+))?$/.exec(text);
  if (!match || (match[1] === '' && match[2] === undefined)) {
    return { error: problem('amount_not_a_number') };
  }
  const intPart = match[1] ?? '';
  const fracPart = match[2] ?? '';
  if (intPart.replace(/^0+/, '').length > MAX_INTEGER_DIGITS) return { error: problem('amount_too_large') };
  const decimals = currencyDecimals(currency, CURRENCIES);
  if (fracPart.length > decimals) {
    if (decimals === 0) return { error: problem('amount_no_decimals', { currency }) };
    return {
      error: problem('amount_too_many_decimals', { currency, decimals, example: `12.5${'0'.repeat(decimals - 1)}` }),
    };
  }
  const minor = BigInt((intPart || '0') + fracPart.padEnd(decimals, '0'));
  if (minor === 0n) return { error: problem('amount_zero') };
  return { amount: fromMinor(minor, decimals) };
}

/** pos-core's normalize_phone: E.164, `00` read as `+`, a local number gets +965. */
function normalizePhone(raw: string): { phone: string } | { error: Problem } {
  let text = '';
  for (const c of raw.trim()) {
    if (' -().\u00a0\u200e\u200f\u2066\u2067\u2068\u2069'.includes(c)) continue;
    const code = c.charCodeAt(0);
    if (code >= 0x660 && code <= 0x669) text += String(code - 0x660);
    else if (code >= 0x6f0 && code <= 0x6f9) text += String(code - 0x6f0);
    else text += c;
  }
  if (text.startsWith('00')) text = `+${text.slice(2)}`;
  const international = text.startsWith('+');
  const digits = international ? text.slice(1) : text;
  if (!/^[0-9]+$/.test(digits)) {
    return { error: problem('phone_not_digits') };
  }
  let full: string;
  if (international) full = digits;
  else if (digits.length === 11 && digits.startsWith(COUNTRY_CODE)) full = digits;
  else if (digits.length < 7 || digits.length > 8) {
    return {
      error: problem('phone_local_length'),
    };
  } else full = COUNTRY_CODE + digits;
  if (full.startsWith('0') || full.length < 8 || full.length > 15) {
    return { error: problem('phone_wrong_length') };
  }
  if (full.startsWith(COUNTRY_CODE) && full.length !== 11) return { error: problem('phone_kuwait_length') };
  return { phone: `+${full}` };
}

/** pos-core's check_email. */
function checkEmail(email: string): Problem | null {
  const bad = problem('email_invalid');
  if (chars(email) > MAX_EMAIL_CHARS) return problem('email_too_long', { max: MAX_EMAIL_CHARS });
  const at = email.indexOf('@');
  if (at < 0) return bad;
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (
    !local ||
    domain.includes('@') ||
    /[\s\p{Cc}]/u.test(email) ||
    local.startsWith('.') ||
    local.endsWith('.') ||
    local.includes('..')
  ) {
    return bad;
  }
  const labels = domain.split('.');
  const labelOk = (l: string) => !!l && !l.startsWith('-') && !l.endsWith('-') && /^[\p{L}\p{N}-]+$/u.test(l);
  if (labels.length < 2 || !labels.every(labelOk)) return bad;
  if (chars(labels[labels.length - 1] ?? '') < 2) return bad;
  return null;
}

const clean = (value: string | null | undefined): string | null => value?.trim() || null;

/** Percent-encodes every byte but RFC 3986's unreserved characters (pos_core::share::encode). */
function encode(value: string, keep = ''): string {
  let out = '';
  for (const byte of new TextEncoder().encode(value)) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(ch) || keep.includes(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** A sale already paid shares a receipt's message (pos-core's share::receipt_message). */
function isPaid(sale: Sale): boolean {
  return sale.state === 'paid' || sale.state === 'refunded';
}

/** pos-core's share::message (share::receipt_message for a paid sale). */
function shareMessage(language: Language, shop: string, sale: Sale, link: string): string {
  const name = clean(sale.customer_name);
  const from = shop.trim();
  if (isPaid(sale)) {
    if (language === 'ar') return `إيصال${from ? ` من ${from}` : ''}: تم دفع ${sale.amount} ${sale.currency_code}.\n${link}`;
    return `Receipt${from ? ` from ${from}` : ''}: ${sale.amount} ${sale.currency_code} paid.\n${link}`;
  }
  if (language === 'ar') {
    const greeting = name ? `مرحباً ${name}،\n` : '';
    return `${greeting}طلب دفع${from ? ` من ${from}` : ''}: ${sale.amount} ${sale.currency_code}.\nادفع هنا: ${link}`;
  }
  const greeting = name ? `Hello ${name},\n` : '';
  return `${greeting}Payment request${from ? ` from ${from}` : ''}: ${sale.amount} ${sale.currency_code}.\nPay here: ${link}`;
}

function shareSubject(language: Language, shop: string, paid = false): string {
  const from = shop.trim();
  if (paid) {
    if (language === 'ar') return from ? `إيصال من ${from}` : 'إيصال';
    return from ? `Receipt from ${from}` : 'Receipt';
  }
  if (language === 'ar') return from ? `طلب دفع من ${from}` : 'طلب دفع';
  return from ? `Payment request from ${from}` : 'Payment request';
}

/** pos-core's normalize_base_url: `https://host[:port]`; plain http only for loopback. */
function normalizeBaseUrl(raw: string): { url: string } | { error: Problem } {
  const text = raw.trim();
  if (!text) return { error: problem('base_url_empty') };
  let url: URL;
  try {
    url = new URL(text.includes('://') ? text : `https://${text}`);
  } catch {
    return { error: problem('base_url_invalid', { value: JSON.stringify(text) }) };
  }
  const host = url.hostname;
  if (!host) return { error: problem('base_url_no_host', { value: JSON.stringify(text) }) };
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(host);
  const scheme = url.protocol.replace(/:$/, '');
  if (scheme === 'http' && !loopback) return { error: problem('base_url_not_https') };
  if (scheme !== 'https' && scheme !== 'http') return { error: problem('base_url_scheme', { scheme }) };
  if (url.username || url.password) {
    return { error: problem('base_url_credentials') };
  }
  if (url.pathname !== '/' || url.search || url.hash) return { error: problem('base_url_host_only', { example: `${scheme}://${host}` }) };
  return { url: `${scheme}://${host}${url.port ? `:${url.port}` : ''}` };
}

/** pos-core's new_profile_id: a slug of the name no profile uses yet. */
function newProfileId(name: string, existing: readonly string[]): string {
  let slug = '';
  for (const c of name) {
    if (/^[A-Za-z0-9]$/.test(c)) slug += c.toLowerCase();
    else if (slug && !slug.endsWith('-')) slug += '-';
    if (slug.length >= MAX_ID_CHARS) break;
  }
  slug = slug.replace(/-+$/, '');
  const base = !slug || slug === 'demo' ? 'merchant' : slug;
  if (!existing.includes(base)) return base;
  for (let n = 2; ; n++) if (!existing.includes(`${base}-${n}`)) return `${base}-${n}`;
}

interface ValidProfile {
  name: string;
  base_url: string;
  auth: AuthKind;
  username: string | null;
  secret: string | null;
  default_currency: string;
  default_pg_codes: string[];
}

/** pos-core's ProfileInput::validate. */
function validateProfile(input: ProfileInput, secretSaved: boolean): ValidProfile {
  const fields: Fields = {};
  const name = input.name.trim();
  if (!name) add(fields, 'name', problem('profile_name_empty'));
  else if (chars(name) > MAX_PROFILE_NAME_CHARS) add(fields, 'name', problem('too_long', { max: MAX_PROFILE_NAME_CHARS }));
  const base = normalizeBaseUrl(input.base_url);
  if ('error' in base) add(fields, 'base_url', base.error);
  const username = clean(input.username);
  if (input.auth === 'basic' && !username) {
    add(fields, 'username', problem('username_needed'));
  }
  const what = input.auth === 'basic' ? problem('password_needed') : problem('api_key_needed');
  let secret: string | null = null;
  if (input.secret !== undefined && input.secret !== null) {
    if (!input.secret.trim()) add(fields, 'secret', what);
    else secret = input.secret.trim();
  } else if (!secretSaved) {
    add(fields, 'secret', what);
  }
  const currency = parseCurrency(input.default_currency);
  if (!currency) {
    add(
      fields,
      'default_currency',
      input.default_currency.trim()
        ? problem('currency_unknown', { code: JSON.stringify(input.default_currency.trim().toUpperCase()) })
        : problem('currency_needed'),
    );
  }
  const codes: string[] = [];
  for (const raw of input.default_pg_codes) {
    const code = raw.trim().toLowerCase();
    if (!/^[a-z0-9_-]{1,64}$/.test(code)) {
      add(fields, 'default_pg_codes', problem('gateway_code_invalid', { code: JSON.stringify(code) }));
    } else if (!codes.includes(code)) {
      codes.push(code);
    }
  }
  if (Object.keys(fields).length > 0) throw invalid(fields);
  return {
    name,
    base_url: 'url' in base ? base.url : '',
    auth: input.auth,
    username,
    secret,
    default_currency: currency ?? '',
    default_pg_codes: codes,
  };
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/** A QR look-alike (finder squares and seeded modules) so screens look right without pos-core. */
export function fakeQrSvg(link: string): string {
  const size = 29;
  const quiet = 4;
  let seed = hash(link) || 1;
  const next = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 4294967296;
  };
  const inFinder = (x: number, y: number) =>
    (x < 8 && y < 8) || (x >= size - 8 && y < 8) || (x < 8 && y >= size - 8);
  let path = '';
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (inFinder(x, y)) continue;
      if (next() < 0.5) path += `M${x + quiet} ${y + quiet}h1v1h-1z`;
    }
  }
  const finder = (fx: number, fy: number) => {
    const x = fx + quiet;
    const y = fy + quiet;
    return `M${x} ${y}h7v7h-7zM${x + 1} ${y + 1}v5h5v-5zM${x + 2} ${y + 2}h3v3h-3z`;
  };
  path += finder(0, 0) + finder(size - 7, 0) + finder(0, size - 7);
  const full = size + quiet * 2;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${full} ${full}" shape-rendering="crispEdges">` +
    `<rect width="${full}" height="${full}" fill="#fff"/>` +
    `<path fill="#000" fill-rule="evenodd" d="${path}"/></svg>`
  );
}

export function createFakeBackend(options: FakeOptions = {}): FakeBackend {
  const demo: Profile = {
    id: 'demo',
    name: 'Demo',
    kind: 'demo',
    base_url: '',
    auth: 'api_key',
    username: null,
    secret_configured: true,
    default_currency: 'KWD',
    default_pg_codes: [],
  };
  let profiles: Profile[] = [demo];
  const secrets = new Map<string, string>();
  let activeId = demo.id;
  let settings: Settings = {
    language: 'en',
    arabic_numerals: false,
    week_start: 'sunday',
    currency_display: 'code',
    shop_name: 'Demo Shop',
    theme: 'system',
    default_expiry_minutes: 24 * 60,
    lock_after_minutes: 5,
    phone_demo: false,
  };
  // pos-core's staff and session (till/staff.rs): the first owner has no PIN until one is set.
  let staff: StoredStaff[] = [{ id: 'staff-1', name: 'Owner', role: 'owner', pin: null }];
  let session: { staffId: string; lastUsed: number } | null = null;
  let updates: UpdateSettings = {};
  const pinGuard = { failures: 0, blockedUntil: 0 };
  const operations = new Map<string, SaleOperation>();
  // Like the core, the demo sandbox starts on the first command that needs it; until then the
  // demo profile has no address.
  let demoStarted = false;
  const sales = new Map<string, Sale>();
  const extras = new Map<string, SaleExtra>();
  let armedFault: FakeFault | null = null;
  const listeners = new Set<(sale: Sale) => void>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  // Creation times strictly increase, so "newest first" is well defined even within one millisecond.
  let lastCreatedMs = 0;
  const creationTime = () => {
    lastCreatedMs = Math.max(Date.now(), lastCreatedMs + 1);
    return new Date(lastCreatedMs);
  };
  /**
   * Now, never before the newest creation time: creation times run ahead of the clock by a
   * millisecond per sale made within one, and an update stamped earlier than its sale would be
   * taken for an older snapshot and dropped.
   */
  const stampNow = () => new Date(Math.max(Date.now(), lastCreatedMs)).toISOString();
  const calls: FakeBackend['calls'] = { opened: [], copied: [], uiReady: 0, appState: 0, customerDisplay: [], printed: [] };
  let bootStateTaken = !options.bootState;

  const wait = async <T>(value: () => T): Promise<T> => {
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
    return value();
  };
  const active = (): Profile => profiles.find((p) => p.id === activeId) ?? demo;
  // pos-core's ottu_cash_settings per profile, and each cash sale's record at Ottu.
  const cashSetups = new Map<string, { cash_pg_code: string | null; till_id: string | null }>();
  const cashAtOttu = new Map<string, 'local_only' | 'acknowledged'>();
  const cashSetupOf = (profileId: string) => cashSetups.get(profileId) ?? { cash_pg_code: null, till_id: null };
  /** pos-core's draft::default_till_id and the till id set for the active profile. */
  const tillId = (): string => {
    const set = cashSetupOf(activeId).till_id;
    if (set) return set;
    const derived = activeId.replace(/[^A-Za-z0-9]/g, '').toUpperCase().slice(0, 8);
    return derived || 'TILL';
  };
  // Differences planted in the fake's own "Ottu reports" (the sandbox's report plants).
  const reportPlants: ReportPlant[] = [];
  /** pos-core's Till::reconcile over the fake's sales (see fake-reconcile.ts). */
  const reconcileFake = (from: string, to: string): Reconciliation => {
    authorize('reconcile');
    const range = checkRange(from, to);
    const ours: TillSale[] = [];
    const cash = { pending: 0, localOnly: 0 };
    for (const sale of sales.values()) {
      if (sale.profile_id !== activeId) continue;
      const day = sale.created_at.slice(0, 10);
      if (day < range.from || day > range.to) continue;
      const atOttu = cashAtOttu.get(sale.id);
      if (sale.method === 'cash') {
        if (atOttu === 'acknowledged') {
          ours.push({ order_no: sale.order_no, session_id: null, amount: sale.amount, currency_code: sale.currency_code, state: 'cod', day });
        } else {
          cash.localOnly += 1;
        }
        continue;
      }
      if (!sale.session_id || ['sending', 'unknown', 'rejected'].includes(sale.state)) continue;
      ours.push({ order_no: sale.order_no, session_id: sale.session_id, amount: sale.amount, currency_code: sale.currency_code, state: sale.state, day });
    }
    return reconcileWith(range, tillId(), ours, reportPlants, cash);
  };
  const view = (p: Profile): Profile => ({
    ...structuredClone(p),
    base_url: p.kind === 'demo' ? (demoStarted ? DEMO_URL : '') : p.base_url,
  });
  const state = (): AppState => ({
    profile: view(active()),
    profiles: profiles.map(view),
    settings: { ...settings },
    currencies: CURRENCIES.map((c) => ({ ...c })),
    version: '0.1.0-fake',
    staff: signedIn() ? member(signedIn() as StoredStaff) : null,
    lock_required: lockRequired(),
    // The fake has no local network: the phone demo's pages are never served.
    phone_demo_url: null,
  });
  const member = (m: StoredStaff): StaffMember => ({ id: m.id, name: m.name, role: m.role, has_pin: m.pin !== null });
  const lockRequired = () => staff.some((m) => m.pin !== null);
  const signedIn = (): StoredStaff | null => {
    if (!lockRequired()) return staff.find((m) => m.role === 'owner') ?? null;
    if (!session) return null;
    const idleMs = settings.lock_after_minutes * 60_000;
    if (idleMs > 0 && Date.now() - session.lastUsed > idleMs) {
      session = null;
      return null;
    }
    const id = session.staffId;
    return staff.find((m) => m.id === id) ?? null;
  };
  /** pos-core's Till::authorize: who may do `action` now, or `locked` / `not_allowed`. */
  const authorize = (action: Action): StaffRef => {
    const who = signedIn();
    if (!who) throw failure('locked', problem('locked'));
    if (!roleMay(who.role, action)) {
      const code = roleMay('manager', action) ? 'role_may_not' : 'role_may_not_owner_only';
      throw failure('not_allowed', problem(code, { role: who.role, action: DESCRIBE[action] }));
    }
    if (session) session.lastUsed = Date.now();
    return { id: who.id, name: who.name };
  };
  const catalog = fakeCatalog(authorize, () => settings.prices_include_tax ?? true);
  /** pos-core's staff_with_pin: the staff member whose PIN this is, with the wrong-PIN backoff. */
  const staffWithPin = (field: string, raw: string): StoredStaff => {
    if (pinGuard.blockedUntil > Date.now()) {
      const at = new Date(pinGuard.blockedUntil).toTimeString().slice(0, 8);
      throw invalidField(field, problem('pin_blocked', { time: at }));
    }
    const pin = normalizePin(raw);
    if (pin === null) throw invalidField(field, problem('pin_format'));
    const found = staff.find((m) => m.pin === pin);
    if (found) {
      pinGuard.failures = 0;
      pinGuard.blockedUntil = 0;
      return found;
    }
    pinGuard.failures += 1;
    if (pinGuard.failures >= FREE_PIN_TRIES) {
      const doublings = Math.min(pinGuard.failures - FREE_PIN_TRIES, 10);
      pinGuard.blockedUntil = Date.now() + Math.min(30_000 * 2 ** doublings, 15 * 60_000);
    }
    throw invalidField(field, problem('wrong_pin'));
  };
  /** The sale as a single-sale answer: its operations and what may still be refunded. */
  const saleOut = (sale: Sale): Sale => {
    const out = structuredClone(sale);
    out.operations = [...operations.values()].filter((o) => o.sale_id === sale.id).map((o) => structuredClone(o));
    out.refundable_amount = sale.state === 'paid' ? fromMinor(remaining(sale, 'refund'), decimalsOf(sale)) : null;
    // pos-core's Sales::with_operations: what the state and what remains allow.
    out.offered_operations = [];
    if (sale.state === 'paid' && sale.session_id !== null && remaining(sale, 'refund') > 0n) {
      out.offered_operations = ['refund'];
    }
    if (sale.state === 'authorized' && remaining(sale, 'capture') > 0n) {
      const captured = out.operations.some(
        (o) => o.kind === 'capture' && ['sending', 'unknown', 'done', 'queued'].includes(o.state),
      );
      out.offered_operations = captured ? ['capture'] : ['capture', 'void'];
    }
    return out;
  };
  const decimalsOf = (sale: Sale) => currencyDecimals(sale.currency_code, CURRENCIES);
  /** pos-core's Sales::remaining, in minor units. */
  const remaining = (sale: Sale, kind: OperationKind): bigint => {
    const d = decimalsOf(sale);
    let taken = 0n;
    for (const op of operations.values()) {
      if (op.sale_id !== sale.id || !['sending', 'unknown', 'done', 'queued'].includes(op.state)) continue;
      if (kind === 'refund' && op.kind !== 'refund') continue;
      if (kind !== 'refund' && op.kind === 'refund') continue;
      if (op.kind === 'void') return 0n;
      taken += toMinor(op.result_amount ?? op.amount ?? sale.amount, d);
    }
    const left = toMinor(sale.amount, d) - taken;
    return left > 0n ? left : 0n;
  };
  /** What builds the sales engine in the core: for the demo, that starts the sandbox. */
  const engine = () => {
    if (active().kind === 'demo') demoStarted = true;
  };
  // Shifts and cash.
  interface FakeShift {
    profileId: string;
    shift: Shift;
    z: ShiftReport | null;
  }
  const shifts: FakeShift[] = [];
  /** The gateways each link sale offered (pos-core reads them from the stored request). */
  const salePgCodes = new Map<string, string[]>();
  const openShiftNow = (): FakeShift | undefined =>
    shifts.find((s) => s.profileId === activeId && s.shift.closed_at === null);
  /** The shift each sale was made in (pos-core's `sales.shift_id`, set as the sale is written). */
  const saleShift = new Map<string, string>();
  /** pos-core's store insert: a new sale belongs to its profile's shift open at that moment. */
  const addSale = (sale: Sale) => {
    sales.set(sale.id, sale);
    const open = shifts.find((s) => s.profileId === sale.profile_id && s.shift.closed_at === null);
    if (open) saleShift.set(sale.id, open.shift.id);
  };
  /** pos-core's shifts::check_cash: zero allowed where `zeroOk`, errors name `field`. */
  const checkCash = (field: string, raw: string, currency: string, zeroOk: boolean): string => {
    const checked = checkAmount(raw, currency);
    if ('amount' in checked) return checked.amount;
    if (zeroOk && checked.error.code === 'amount_zero') return fromMinor(0n, currencyDecimals(currency, CURRENCIES));
    throw invalidField(field, checked.error);
  };
  /** pos-core's reports::compute over the fake's sales, operations and entries. */
  const shiftReportOf = (open: FakeShift, kind: 'x' | 'z', counted: string | null, now: string): ShiftReport => {
    const shift = open.shift;
    const until = shift.closed_at ?? now;
    const inShift = [...sales.values()].filter((s) => saleShift.get(s.id) === shift.id);
    const d = (code: string) => currencyDecimals(code, CURRENCIES);
    type Tally = { count: number; minor: bigint };
    const tally = (map: Map<string, Tally>, key: string, amount: bigint) => {
      const t = map.get(key) ?? { count: 0, minor: 0n };
      t.count += 1;
      t.minor += amount;
      map.set(key, t);
    };
    const methods = new Map<string, Tally>();
    const staffTotals = new Map<string, Tally>();
    const staffRefs = new Map<string, StaffRef | null>();
    const hours = new Map<string, Tally>();
    let notTaken = 0;
    let cashSales = 0n;
    // pos-core's reports::compute: discounts and VAT by rate of taken itemised sales.
    const discounts = new Map<string, Tally>();
    const vat = new Map<string, { rate: number; count: number; taxable: bigint; tax: bigint }>();
    for (const s of inShift) {
      if (s.state !== 'paid' && s.state !== 'refunded') {
        notTaken += 1;
        continue;
      }
      const minor = toMinor(s.amount, d(s.currency_code));
      const method = s.method;
      tally(methods, `${method}\u0000${s.currency_code}`, minor);
      const staffKey = `${s.created_by?.id ?? ''}\u0000${s.currency_code}`;
      staffRefs.set(staffKey, s.created_by);
      tally(staffTotals, staffKey, minor);
      tally(hours, `${s.created_at.slice(0, 13)}\u0000${s.currency_code}`, minor);
      if (method === 'cash' && s.currency_code === shift.currency_code) cashSales += minor;
      if (s.cart) {
        const dc = d(s.currency_code);
        const discount = s.cart.lines.reduce((sum, l) => sum + toMinor(l.line_discount, dc) + toMinor(l.sale_discount_share, dc), 0n);
        if (discount > 0n) tally(discounts, s.currency_code, discount);
        for (const v of s.cart.vat) {
          const key = `${String(v.rate).padStart(3, '0')}\u0000${s.currency_code}`;
          const at = vat.get(key) ?? { rate: v.rate, count: 0, taxable: 0n, tax: 0n };
          at.count += 1;
          at.taxable += toMinor(v.taxable, dc);
          at.tax += toMinor(v.tax, dc);
          vat.set(key, at);
        }
      }
    }
    const refunds = new Map<string, Tally>();
    for (const op of operations.values()) {
      const s = sales.get(op.sale_id);
      if (!s || s.profile_id !== open.profileId || op.kind !== 'refund' || op.state !== 'done') continue;
      if (op.created_at < shift.opened_at || op.created_at >= until) continue;
      const method = s.method;
      tally(refunds, `${method}\u0000${op.currency_code}`, toMinor(op.result_amount ?? op.amount ?? s.amount, d(op.currency_code)));
    }
    const sorted = <T,>(map: Map<string, T>) => [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const methodLines = (map: Map<string, Tally>) =>
      sorted(map).map(([key, t]) => {
        const [method, code] = key.split('\u0000') as [string, string];
        return { method, gateway: null, currency_code: code, count: t.count, total: fromMinor(t.minor, d(code)) };
      });
    const dp = d(shift.currency_code);
    let cashIn = 0n;
    let cashOut = 0n;
    for (const e of shift.cash_entries) {
      if (e.kind === 'in') cashIn += toMinor(e.amount, dp);
      else cashOut += toMinor(e.amount, dp);
    }
    const float = toMinor(shift.opening_float, dp);
    const expected = float + cashSales + cashIn - cashOut;
    const countedMinor = counted === null ? null : toMinor(counted, dp);
    return {
      kind,
      shift_id: shift.id,
      currency_code: shift.currency_code,
      opened_at: shift.opened_at,
      opened_by: shift.opened_by,
      closed_at: shift.closed_at,
      closed_by: shift.closed_by,
      generated_at: now,
      by_method: methodLines(methods),
      refunds: methodLines(refunds),
      by_staff: sorted(staffTotals).map(([key, t]) => {
        const code = key.split('\u0000')[1] as string;
        return { staff: staffRefs.get(key) ?? null, currency_code: code, count: t.count, total: fromMinor(t.minor, d(code)) };
      }),
      hourly: sorted(hours).map(([key, t]) => {
        const [hour, code] = key.split('\u0000') as [string, string];
        return { hour, currency_code: code, count: t.count, total: fromMinor(t.minor, d(code)) };
      }),
      not_taken_count: notTaken,
      cash: {
        opening_float: fromMinor(float, dp),
        cash_sales: fromMinor(cashSales, dp),
        cash_refunds: fromMinor(0n, dp),
        cash_in: fromMinor(cashIn, dp),
        cash_out: fromMinor(cashOut, dp),
        expected: fromMinor(expected, dp),
        counted: countedMinor === null ? null : fromMinor(countedMinor, dp),
        variance: countedMinor === null ? null : fromMinor(countedMinor - expected, dp),
      },
      discounts: sorted(discounts).map(([code, t]) => ({ currency_code: code, count: t.count, total: fromMinor(t.minor, d(code)) })),
      vat: sorted(vat).map(([key, v]) => {
        const code = key.split('\u0000')[1] as string;
        return { rate: v.rate, currency_code: code, count: v.count, taxable: fromMinor(v.taxable, d(code)), tax: fromMinor(v.tax, d(code)) };
      }),
    };
  };

  /** pos-core's Till::shift_report: the open shift's X report or a closed shift's stored Z. */
  const reportFor = (shiftId: string | null, kind: 'x' | 'z'): ShiftReport => {
    authorize('run_shift');
    const mine = shifts.filter((s) => s.profileId === activeId);
    const found =
      shiftId !== null
        ? mine.find((s) => s.shift.id === shiftId)
        : kind === 'x'
          ? openShiftNow()
          : [...mine].reverse().find((s) => s.z !== null);
    if (!found) {
      if (shiftId !== null) throw failure('not_found', problem('shift_not_found', { id: shiftId }));
      throw failure('invalid_input', problem('no_open_shift'));
    }
    if (kind === 'z') {
      if (!found.z) throw failure('invalid_input', problem('shift_still_open'));
      return structuredClone(found.z);
    }
    if (found.shift.closed_at) throw failure('invalid_input', problem('shift_closed'));
    return shiftReportOf(found, 'x', null, stampNow());
  };
  const emit = (sale: Sale) => {
    for (const l of listeners) l(saleOut(sale));
  };
  const find = (id: string): Sale => {
    const sale = sales.get(id);
    if (!sale || sale.profile_id !== activeId) throw failure('not_found', problem('sale_not_found', { id }));
    return sale;
  };
  const storedProfile = (id: string): Profile => {
    const profile = profiles.find((p) => p.id === id);
    if (!profile) throw invalidField('id', problem('profile_unknown', { id: JSON.stringify(id) }));
    return profile;
  };
  const extra = (sale: Sale): SaleExtra => {
    let found = extras.get(sale.id);
    if (!found) {
      found = {
        finding: null,
        fault: null,
        sentAt: Date.parse(sale.created_at),
        expiresInMinutes: settings.default_expiry_minutes,
        recheckArmed: false,
        lateSuccess: false,
      };
      extras.set(sale.id, found);
    }
    return found;
  };
  /**
   * pos-core's schedule_rechecks and SaleRecord::refresh_flags: a failed or expired sale is
   * checked again for a late success (first after a minute); the flags follow state and findings.
   */
  const refresh = (sale: Sale) => {
    const x = extra(sale);
    const st = sale.settlement;
    if ((sale.state === 'failed' || sale.state === 'expired') && sale.session_id !== null) {
      if (!x.recheckArmed) {
        x.recheckArmed = true;
        st.next_check_at = new Date(Date.now() + FIRST_RECHECK_MS).toISOString();
      }
    } else if (sale.state !== 'sending' && sale.state !== 'unknown') {
      st.next_check_at = null;
    }
    st.mismatch = false;
    st.can_check = sale.session_id !== null || sale.state === 'sending' || sale.state === 'unknown';
    st.can_replace =
      st.replaced_by === null &&
      (sale.state === 'rejected' ||
        sale.state === 'canceled' ||
        (sale.state === 'unknown' && x.finding === 'absent'));
  };
  const setState = (sale: Sale, next: SaleState) => {
    sale.state = next;
    sale.updated_at = stampNow();
    if (next === 'paid' && !sale.paid_at) sale.paid_at = sale.updated_at;
    refresh(sale);
    emit(sale);
  };
  /** pos-core's settle: cancel by order number and read the answer (sales/settle.rs). */
  const settle = (sale: Sale) => {
    if (sale.state !== 'unknown' && sale.state !== 'sending') return;
    const x = extra(sale);
    const st = sale.settlement;
    const now = Date.now();
    const replaced = st.replaced_by !== null;
    const committed =
      x.fault === 'drop_after_commit' ||
      (x.fault === 'late_commit' && now >= x.sentAt + (options.lateCommitMs ?? 5000));
    if (x.fault === 'uncancellable') {
      x.finding = 'uncancellable';
      const at = new Date(Math.max(now, x.sentAt + INQUIRY_OPENS_AFTER_MS)).toISOString();
      st.next_check_at = at;
      sale.problem = problem('link_may_be_paid_confirming', { time: shortTime(at) });
    } else if (committed) {
      sale.state = 'canceled';
      x.finding = 'cancelled';
      st.watch_until = null;
      st.next_check_at = null;
      sale.problem = replaced ? problem('late_link_canceled_replaced') : problem('lost_link_canceled');
    } else {
      const watchUntil = st.watch_until ?? new Date(x.sentAt + LATE_COMMIT_HORIZON_MS).toISOString();
      if (new Date(now).toISOString() >= watchUntil) {
        sale.state = 'rejected';
        x.finding = null;
        st.watch_until = null;
        st.next_check_at = null;
        sale.problem = problem(replaced ? 'never_made_link_replaced' : 'never_made_link', { time: shortTime(watchUntil) });
      } else {
        x.finding = 'absent';
        st.next_check_at = new Date(now + FIRST_SETTLE_DELAY_MS).toISOString();
        sale.problem = problem(replaced ? 'no_link_watching_replaced' : 'no_link_watching', { time: shortTime(watchUntil) });
        if (x.fault === 'late_commit') {
          after(Math.max(x.sentAt + (options.lateCommitMs ?? 5000) - now, 0) + 10, () => settle(sale));
        }
      }
    }
    sale.updated_at = stampNow();
    refresh(sale);
    emit(sale);
  };
  const after = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  /** The gateways the active profile may use for a currency (the demo merchant's for any profile). */
  const gatewaysFor = (currency: string): Gateway[] => {
    const base = active().kind === 'demo' ? DEMO_URL : active().base_url;
    const list = DEMO_GATEWAYS.filter((g) => g.currencies.includes(currency)).map((g) => ({
      code: g.code,
      name: g.name,
      icon_url: `${base}/static/gateways/${g.code}.svg`,
      // The sandbox's defaults: purchase gateways refund, authorize ones also capture and void
      // (and the Invoice API refuses them).
      operations: g.code === 'card-auth' ? ['refund', 'capture', 'void'] : g.code === 'cash' ? [] : ['refund'],
      takes_invoices: g.code !== 'card-auth',
    }));
    if (list.length === 0) {
      throw failure(
        'forbidden',
        problem('forbidden', {
          server_text: `no payment gateway can be used for ${currency} payment requests with this account`,
        }),
      );
    }
    return list;
  };

  /** pos-core's draft validation (sales::draft::validate), after the till filled in the defaults. */
  function validateDraft(draft: SaleDraft): { amount: string; currency: string; phone: string | null } {
    const fields: Fields = {};
    const currency = parseCurrency(draft.currency_code);
    if (!currency) add(fields, 'currency_code', problem('currency_invalid'));
    let amount: string | null = null;
    if (currency) {
      const checked = checkAmount(draft.amount, currency);
      if ('error' in checked) add(fields, 'amount', checked.error);
      else amount = checked.amount;
    }
    const name = clean(draft.customer_name);
    if (name && chars(name) > MAX_NAME_CHARS) add(fields, 'customer_name', NAME_TOO_LONG());
    let phone: string | null = null;
    const rawPhone = clean(draft.customer_phone);
    if (rawPhone) {
      const checked = normalizePhone(rawPhone);
      if ('error' in checked) add(fields, 'customer_phone', checked.error);
      else phone = checked.phone;
    }
    const email = clean(draft.customer_email);
    const emailError = email ? checkEmail(email) : null;
    if (emailError) add(fields, 'customer_email', emailError);
    const orderNo = clean(draft.order_no);
    if (orderNo && chars(orderNo) > MAX_ORDER_NO_CHARS) {
      add(fields, 'order_no', problem('order_no_too_long', { max: MAX_ORDER_NO_CHARS }));
    } else if (orderNo && /\p{Cc}/u.test(orderNo)) {
      add(fields, 'order_no', problem('order_no_bad_character'));
    }
    const note = clean(draft.note);
    if (note && chars(note) > MAX_NOTE_CHARS) add(fields, 'note', problem('note_too_long', { max: MAX_NOTE_CHARS }));
    const minutes = draft.expires_in_minutes;
    if (minutes !== undefined && minutes !== null && (minutes < 1 || minutes > MAX_EXPIRY_MINUTES)) {
      add(fields, 'expires_in_minutes', problem('expiry_out_of_range'));
    }
    const due = clean(draft.due_date);
    if (due) {
      const valid = /^\d{4}-\d{2}-\d{2}$/.test(due) && !Number.isNaN(Date.parse(due));
      if (!valid) add(fields, 'due_date', problem('date_format'));
      else if (due < today()) add(fields, 'due_date', problem('due_date_past'));
    }
    if ((draft.notify?.sms || draft.notify?.whatsapp) && !clean(draft.customer_phone)) {
      add(fields, 'customer_phone', problem('phone_needed_to_notify'));
    }
    if (draft.notify?.email && !email) add(fields, 'customer_email', problem('email_needed_to_notify'));
    const attachment = clean(draft.attachment_path);
    if (attachment) {
      // The fake cannot read the disk: a file with an accepted name is taken as readable.
      const name = attachment.split(/[\\/]/).pop() ?? '';
      const extension = name.includes('.') ? (name.split('.').pop() ?? '').toLowerCase() : '';
      if (!name) add(fields, 'attachment_path', problem('attachment_missing'));
      else if (chars(name) > MAX_ATTACHMENT_NAME_CHARS) {
        add(fields, 'attachment_path', problem('attachment_name_too_long', { max: MAX_ATTACHMENT_NAME_CHARS }));
      } else if (!ATTACHMENT_EXTENSIONS.includes(extension)) {
        add(fields, 'attachment_path', problem('attachment_type', { types: ATTACHMENT_EXTENSIONS.join(', ') }));
      }
    }
    const codes = draft.pg_codes && draft.pg_codes.length > 0 ? draft.pg_codes : active().default_pg_codes;
    if (codes.length === 0) add(fields, 'pg_codes', problem('pg_codes_empty'));
    for (const code of codes) {
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(code.trim())) add(fields, 'pg_codes', problem('pg_code_invalid', { code: JSON.stringify(code) }));
    }
    if (Object.keys(fields).length > 0 || amount === null || currency === null) throw invalid(fields);
    return { amount, currency, phone };
  }

  function makeSale(draft: SaleDraft, amount: string, phone: string | null, createdAt: Date, state: SaleState): Sale {
    const stamp = createdAt.toISOString();
    const utc = stamp.slice(0, 19).replace(/[-T:]/g, '');
    const id = `sale_${utc}_${randomText('0123456789abcdef', 16)}`;
    const session = randomText('0123456789abcdef', 40);
    const base = active().kind === 'demo' ? DEMO_URL : active().base_url;
    const link = `${base}/b/${randomText('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 8)}`;
    const expiresIn = draft.expires_in_minutes ?? settings.default_expiry_minutes;
    const sale: Sale = {
      id,
      order_no: clean(draft.order_no) ?? `POS-${tillId()}-${localDay(createdAt).replaceAll('-', '')}-${randomText(ORDER_NO_ALPHABET, 6)}`,
      session_id: session,
      state,
      method: 'link',
      bill_id: null,
      amount,
      currency_code: draft.currency_code.trim().toUpperCase(),
      customer_name: clean(draft.customer_name),
      customer_phone: phone,
      customer_email: clean(draft.customer_email),
      note: clean(draft.note),
      language: draft.language ?? settings.language,
      checkout_url: `${base}/b/checkout/redirect/start/?session_id=${session}`,
      short_url: link,
      link,
      qr_svg: fakeQrSvg(link),
      expires_at: new Date(createdAt.getTime() + expiresIn * 60_000).toISOString(),
      created_at: stamp,
      updated_at: stamp,
      paid_at: state === 'paid' ? stamp : null,
      profile_id: activeId,
      problem: null,
      settlement: noSettlement(),
      created_by: ((m) => (m ? { id: m.id, name: m.name } : null))(signedIn()),
      operations: [],
      refundable_amount: null,
      offered_operations: [],
    };
    refresh(sale);
    return sale;
  }

  /**
   * pos-core's `Sales::edit_invoice`: an invoice cannot change, so an itemised sale's edit
   * cancels it and makes a new sale with the same lines and the new customer details.
   */
  function editInvoice(
    sale: Sale,
    amount: string | null,
    customer: Pick<Sale, 'customer_name' | 'customer_phone' | 'customer_email'>,
  ): Sale {
    if (amount !== null && amount !== sale.amount) throw invalidField('amount', problem('invoice_amount_fixed'));
    const changes = (['customer_name', 'customer_phone', 'customer_email'] as const).filter(
      (k) => customer[k] !== null && customer[k] !== sale[k],
    );
    if (changes.length === 0) return saleOut(sale);
    setState(sale, 'canceled');
    const lifetime = extra(sale).expiresInMinutes;
    const fresh = makeSale(
      {
        amount: sale.amount,
        currency_code: sale.currency_code,
        language: sale.language,
        expires_in_minutes: lifetime,
        customer_name: customer.customer_name ?? sale.customer_name ?? undefined,
        customer_email: customer.customer_email ?? sale.customer_email ?? undefined,
        note: sale.note ?? undefined,
      },
      sale.amount,
      customer.customer_phone ?? sale.customer_phone,
      creationTime(),
      'created',
    );
    extra(fresh).expiresInMinutes = lifetime;
    fresh.cart = structuredClone(sale.cart);
    fresh.created_by = sale.created_by;
    fresh.settlement.replaces = sale.id;
    refresh(fresh);
    sale.settlement.replaced_by = fresh.id;
    sale.updated_at = stampNow();
    refresh(sale);
    emit(sale);
    addSale(fresh);
    salePgCodes.set(fresh.id, salePgCodes.get(sale.id) ?? []);
    return saleOut(fresh);
  }

  /**
   * A create whose answer was lost (`fault`): the sale is kept `unknown` with no link, the create
   * fails with `ambiguous` naming it, and the till settles it at once (pos-core's send).
   */
  function lose(sale: Sale, fault: FakeFault): never {
    const x = extra(sale);
    x.fault = fault;
    x.sentAt = Date.now();
    Object.assign(sale, {
      session_id: null,
      checkout_url: null,
      short_url: null,
      link: null,
      qr_svg: null,
      expires_at: null,
    });
    const detail = 'the connection was lost after sending';
    sale.problem = problem('create_unclear', { detail });
    sale.settlement.watch_until = new Date(x.sentAt + LATE_COMMIT_HORIZON_MS).toISOString();
    sale.settlement.next_check_at = new Date(x.sentAt).toISOString();
    refresh(sale);
    emit(sale);
    after(options.autoAdvance ? 1500 : 0, () => settle(sale));
    throw { ...failure('ambiguous', problem('ambiguous', { detail })), sale_id: sale.id } satisfies CommandError;
  }

  /** pos-core's history::filter_for and the store's search, as one predicate plus a limit. */
  function filterFor(query: HistoryQuery): { matches: (s: Sale) => boolean; limit: number | null } {
    const day = (field: 'from' | 'to'): string | null => {
      const raw = query[field]?.trim();
      if (!raw) return null;
      const match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(raw);
      const date = match ? new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : null;
      if (!date || date.getMonth() !== Number(match?.[2]) - 1) throw invalidField(field, problem('date_format'));
      return localDay(date);
    };
    const from = day('from');
    const to = day('to');
    if (from && to && from > to) throw invalidField('to', problem('date_range_reversed'));
    let text = query.text?.trim().toLowerCase() ?? '';
    if (/^[0-9 ()+-]+$/.test(text) && /[0-9]/.test(text)) text = text.replace(/[^0-9+]/g, '');
    const matches = (s: Sale) => {
      const created = localDay(new Date(s.created_at));
      const searchText = [s.customer_name, s.customer_phone, s.customer_email, s.order_no]
        .filter((v): v is string => !!v)
        .map((v) => v.toLowerCase())
        .join('\n');
      return (
        s.profile_id === activeId &&
        (!query.state || s.state === query.state) &&
        (!query.staff_id?.trim() || s.created_by?.id === query.staff_id.trim()) &&
        (!query.method || (query.method === 'split' ? s.bill_id !== null : s.method === query.method)) &&
        (!from || created >= from) &&
        (!to || created <= to) &&
        (!text || searchText.includes(text))
      );
    };
    return { matches, limit: query.limit !== undefined && query.limit !== null ? Math.max(query.limit, 1) : null };
  }

  /** Newest first (created_at, then id). */
  const newestFirst = (a: Sale, b: Sale) => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id);

  /** pos-core's create_with_defaults then Sales::create_part: a link sale, of split bill `billId` when given. */
  const createSaleNow = (input: SaleDraft, billId: string | null): Sale => {
    authorize('create_sale');
    // An itemised sale (pos-core's create_with_defaults, then Sales::price_draft_cart): an
    // invoice, with no link lifetime, the cart's currency and purchase gateways only.
    const draft: SaleDraft = {
      ...input,
      language: input.language ?? settings.language,
      expires_in_minutes: input.cart ? input.expires_in_minutes : (input.expires_in_minutes ?? settings.default_expiry_minutes),
    };
    engine();
    const chosen = draft.pg_codes && draft.pg_codes.length > 0 ? draft.pg_codes : null;
    if (!chosen || input.cart) {
      const currency = parseCurrency(input.cart ? input.cart.currency_code : draft.currency_code);
      if (currency) {
        let gateways = gatewaysFor(currency);
        if (input.cart) {
          const refused = chosen?.find((code) => gateways.some((g) => g.code === code && !g.takes_invoices));
          if (refused) throw invalidField('pg_codes', problem('invoice_gateway_authorize', { code: refused }));
          gateways = gateways.filter((g) => g.takes_invoices);
        }
        if (!chosen) {
          const available = gateways.map((g) => g.code);
          const preferred = active().default_pg_codes.filter((c) => available.includes(c));
          draft.pg_codes = preferred.length > 0 ? preferred : available;
        }
      }
    }
    const cart = input.cart ? catalog.price(input.cart) : null;
    if (cart) {
      const typed = input.amount.trim();
      const d = currencyDecimals(cart.currency_code);
      if (typed && !(/^\d+(\.\d+)?$/.test(typed) && toMinor(typed, d + 3) === toMinor(cart.total, d + 3))) {
        throw invalidField('amount', problem('cart_amount_mismatch', { total: cart.total, currency: cart.currency_code }));
      }
      draft.amount = cart.total;
      draft.currency_code = cart.currency_code;
    }
    const valid = validateDraft(draft);
    if (cart) {
      const options: Array<[string, boolean]> = [
        ['notify', !!draft.notify && (draft.notify.sms || draft.notify.email || draft.notify.whatsapp)],
        ['attachment_path', !!clean(draft.attachment_path)],
        ['expires_in_minutes', draft.expires_in_minutes !== undefined && draft.expires_in_minutes !== null],
      ];
      const used = options.find(([, on]) => on);
      if (used) throw invalidField(used[0], problem('invoice_option_unsupported'));
    }
    const orderNo = clean(draft.order_no);
    if (orderNo && [...sales.values()].some((s) => s.profile_id === activeId && s.order_no === orderNo)) {
      throw invalidField('order_no', problem('order_no_used'));
    }
    const fault = armedFault;
    armedFault = null;
    const state: SaleState = fault ? 'unknown' : 'created';
    // An invoice's link lives Ottu's default day.
    const lifetime = cart ? 24 * 60 : (draft.expires_in_minutes ?? settings.default_expiry_minutes);
    const sale = makeSale({ ...draft, currency_code: valid.currency, expires_in_minutes: lifetime }, valid.amount, valid.phone, creationTime(), state);
    extra(sale).expiresInMinutes = lifetime;
    if (cart) sale.cart = cart;
    sale.bill_id = billId;
    addSale(sale);
    salePgCodes.set(sale.id, [...new Set((draft.pg_codes ?? []).map((c) => c.trim()))]);
    if (fault) return lose(sale, fault);
    if (options.autoAdvance) {
      after(4000, () => sale.state === 'created' && setState(sale, 'pending'));
      after(9000, () => sale.state === 'pending' && setState(sale, 'paid'));
    }
    return saleOut(sale);
  };

  // Split bills (pos-core's bills.rs, sales/bills.rs, store/bills.rs).
  interface FakeBill {
    id: string;
    profileId: string;
    amount: string;
    currency_code: string;
    created_at: string;
    created_by: StaffRef | null;
  }
  const bills = new Map<string, FakeBill>();
  const NOT_LIVE: readonly SaleState[] = ['paid', 'refunded', 'canceled', 'expired', 'failed', 'rejected', 'invalided'];
  const billOf = (id: string): FakeBill => {
    const b = bills.get(id);
    if (!b || b.profileId !== activeId) throw failure('not_found', problem('bill_not_found', { id }));
    return b;
  };
  /** pos-core's bills::summarize. */
  const billOut = (b: FakeBill): Bill => {
    const dp = currencyDecimals(b.currency_code, CURRENCIES);
    const parts = [...sales.values()]
      .filter((s) => s.bill_id === b.id)
      .sort((x, y) => x.created_at.localeCompare(y.created_at) || x.id.localeCompare(y.id));
    let paid = 0n;
    let live = 0n;
    for (const p of parts) {
      if (p.state === 'paid') paid += toMinor(p.amount, dp);
      else if (p.method === 'link' && !NOT_LIVE.includes(p.state)) live += toMinor(p.amount, dp);
    }
    const total = toMinor(b.amount, dp);
    const remaining = total - paid > 0n ? total - paid : 0n;
    const available = remaining - live > 0n ? remaining - live : 0n;
    const liveLink = parts.find((p) => p.method === 'link' && !NOT_LIVE.includes(p.state));
    return {
      id: b.id,
      amount: b.amount,
      currency_code: b.currency_code,
      state: paid >= total ? 'paid' : 'open',
      paid: fromMinor(paid, dp),
      remaining: fromMinor(remaining, dp),
      available: fromMinor(available, dp),
      live_link: liveLink?.id ?? null,
      parts: parts.map((p) => saleOut(p)),
      created_at: b.created_at,
      created_by: b.created_by,
    };
  };
  /** store::bills::check_part_fits: a part no bigger than what the bill has left. */
  const checkPartFits = (billId: string, amount: string) => {
    const out = billOut(billOf(billId));
    if (out.state === 'paid') throw failure('invalid_input', problem('bill_paid'));
    const dp = currencyDecimals(out.currency_code, CURRENCIES);
    if (toMinor(amount, dp) > toMinor(out.available, dp)) {
      throw invalidField('amount', problem('bill_part_too_big', { remaining: out.available, currency: out.currency_code }));
    }
  };

  /** pos-core's Till::record_cash_sale: every cash sale, on its own or as part of bill `billId`. */
  const recordCashSale = (input: CashSaleInput, billId: string | null): CashSale => {
    const by = authorize('run_shift');
    const open = openShiftNow();
    if (!open) throw failure('invalid_input', problem('no_open_shift'));
    const currency = open.shift.currency_code;
    // Till::priced_for_cash: a cart in the drawer's currency, its total the amount.
    let cart: CartTotals | null = null;
    if (input.cart) {
      if (input.cart.currency_code.trim() !== currency) throw invalidField('cart', problem('cash_cart_currency', { currency }));
      cart = catalog.price(input.cart);
      const typed = input.amount.trim();
      const dc = currencyDecimals(currency, CURRENCIES);
      if (!typed) input = { ...input, amount: cart.total };
      else if (!/^\d+(\.\d+)?$/.test(typed) || toMinor(typed, dc + 3) !== toMinor(cart.total, dc + 3)) {
        throw invalidField('amount', problem('cart_amount_mismatch', { total: cart.total, currency }));
      }
    }
    const fields: Fields = {};
    const amount = checkAmount(input.amount, currency);
    const tendered = checkAmount(input.tendered, currency);
    if ('error' in amount) add(fields, 'amount', amount.error);
    if ('error' in tendered) add(fields, 'tendered', tendered.error);
    if ('error' in amount || 'error' in tendered) throw invalid(fields);
    const d = currencyDecimals(currency, CURRENCIES);
    const change = toMinor(tendered.amount, d) - toMinor(amount.amount, d);
    if (change < 0n) throw invalidField('tendered', problem('tendered_short', { amount: amount.amount, currency }));
    if (billId !== null) checkPartFits(billId, amount.amount);
    const stamp = stampNow();
    const sale: Sale = {
      id: `sale_${Date.now()}_${randomText('0123456789abcdef', 16)}`,
      order_no: `CASH-${tillId()}-${localDay(new Date(stamp)).replaceAll('-', '')}-${randomText(ORDER_NO_ALPHABET, 6)}`,
      session_id: null,
      state: 'paid',
      method: 'cash',
      bill_id: billId,
      amount: amount.amount,
      currency_code: currency,
      customer_name: null,
      customer_phone: null,
      customer_email: null,
      note: input.note?.trim() || null,
      language: settings.language,
      checkout_url: null,
      short_url: null,
      link: null,
      qr_svg: null,
      expires_at: null,
      created_at: stamp,
      updated_at: stamp,
      paid_at: stamp,
      profile_id: activeId,
      problem: null,
      settlement: noSettlement(),
      created_by: by,
      operations: [],
      refundable_amount: null,
      offered_operations: [],
      ...(cart ? { cart } : {}),
    };
    addSale(sale);
    // pos-core's till/cash_ottu.rs: acknowledged at Ottu when a cash gateway is marked.
    cashAtOttu.set(sale.id, cashSetupOf(activeId).cash_pg_code ? 'acknowledged' : 'local_only');
    emit(sale);
    return { sale: saleOut(sale), tendered: tendered.amount, change: fromMinor(change, d), shift_id: open.shift.id };
  };

  const backend: FakeBackend = {
    kind: 'fake',
    calls,
    takeBootState: () => {
      if (bootStateTaken) return null;
      bootStateTaken = true;
      return state();
    },
    appState: () =>
      wait(() => {
        calls.appState += 1;
        if (options.appStateFails) throw failure('not_configured', problem('home_dir_missing'));
        return state();
      }),
    gateways: (currency) =>
      wait((): Gateway[] => {
        const code = parseCurrency(currency);
        if (!code) throw invalidField('currency', problem('currency_unknown', { code: JSON.stringify(currency) }));
        engine();
        return gatewaysFor(code);
      }),
    createSale: (input) => wait(() => createSaleNow(input, null)),
    getSale: (id) =>
      wait(() => {
        engine();
        return saleOut(find(id));
      }),
    checkSale: (id) =>
      wait(() => {
        authorize('create_sale');
        engine();
        const sale = find(id);
        if (sale.state === 'unknown' || sale.state === 'sending') {
          settle(sale);
        } else if (sale.session_id !== null) {
          const x = extra(sale);
          if (x.lateSuccess && (sale.state === 'failed' || sale.state === 'expired')) {
            x.lateSuccess = false;
            setState(sale, 'paid');
          }
        }
        return saleOut(sale);
      }),
    replaceSale: (id) =>
      wait(() => {
        authorize('create_sale');
        engine();
        const old = find(id);
        if (!old.settlement.can_replace) {
          throw failure(
            'invalid_input',
            old.settlement.replaced_by !== null
              ? problem('sale_replaced')
              : problem('sale_may_be_paid', { state: old.state }),
          );
        }
        const draft: SaleDraft = {
          amount: old.amount,
          currency_code: old.currency_code,
          language: old.language,
          expires_in_minutes: extra(old).expiresInMinutes,
        };
        if (old.customer_name) draft.customer_name = old.customer_name;
        if (old.customer_email) draft.customer_email = old.customer_email;
        if (old.note) draft.note = old.note;
        const fault = armedFault;
        armedFault = null;
        const fresh = makeSale(draft, old.amount, old.customer_phone, creationTime(), fault ? 'unknown' : 'created');
        extra(fresh).expiresInMinutes = draft.expires_in_minutes ?? settings.default_expiry_minutes;
        fresh.settlement.replaces = old.id;
        // An itemised sale: the same invoice lines under the new order number.
        if (old.cart) fresh.cart = structuredClone(old.cart);
        refresh(fresh);
        old.settlement.replaced_by = fresh.id;
        old.updated_at = stampNow();
        refresh(old);
        emit(old);
        addSale(fresh);
        salePgCodes.set(fresh.id, salePgCodes.get(old.id) ?? []);
        if (fault) return lose(fresh, fault);
        return saleOut(fresh);
      }),
    editSale: (id, edit: SaleEdit) =>
      wait(() => {
        authorize('edit_sale');
        engine();
        const sale = find(id);
        if (!EDITABLE.includes(sale.state)) {
          throw failure('invalid_input', problem('sale_not_editable', { state: sale.state }));
        }
        const fields: Fields = {};
        let amount: string | null = null;
        if (edit.amount !== undefined && edit.amount !== null) {
          const checked = checkAmount(edit.amount, sale.currency_code);
          if ('error' in checked) add(fields, 'amount', checked.error);
          else amount = checked.amount;
        }
        const name = edit.customer_name !== undefined && edit.customer_name !== null ? clean(edit.customer_name) : null;
        if (name && chars(name) > MAX_NAME_CHARS) add(fields, 'customer_name', NAME_TOO_LONG());
        let phone: string | null = null;
        const rawPhone = clean(edit.customer_phone);
        if (rawPhone) {
          const checked = normalizePhone(rawPhone);
          if ('error' in checked) add(fields, 'customer_phone', checked.error);
          else phone = checked.phone;
        }
        const email = clean(edit.customer_email);
        const emailError = email ? checkEmail(email) : null;
        if (emailError) add(fields, 'customer_email', emailError);
        if (Object.keys(fields).length > 0) throw invalid(fields);
        if (sale.cart) return editInvoice(sale, amount, { customer_name: name, customer_phone: phone, customer_email: email });
        // Blank fields stay as they are: Ottu keeps a customer detail once set.
        if (amount === null && !name && !phone && !email) return saleOut(sale);
        if (amount !== null) sale.amount = amount;
        if (name) sale.customer_name = name;
        if (phone) sale.customer_phone = phone;
        if (email) sale.customer_email = email;
        sale.updated_at = stampNow();
        emit(sale);
        return saleOut(sale);
      }),
    cancelSale: (id) =>
      wait(() => {
        authorize('cancel_sale');
        engine();
        const sale = find(id);
        if (sale.state === 'rejected') {
          sale.problem = problem('nothing_created');
          setState(sale, 'canceled');
          return saleOut(sale);
        }
        if (!EDITABLE.includes(sale.state)) {
          throw failure('invalid_input', problem('sale_not_cancelable', { state: sale.state }));
        }
        setState(sale, 'canceled');
        return saleOut(sale);
      }),
    shareLinks: (id) =>
      wait((): ShareLinks => {
        authorize('share_sale');
        engine();
        const sale = find(id);
        if (!sale.link) throw failure('invalid_input', problem('no_link_yet'));
        const shop = settings.shop_name.trim() ? settings.shop_name : 'Demo Shop';
        const text = shareMessage(sale.language, shop, sale, sale.link);
        const digits = (sale.customer_phone ?? '').replace(/[^0-9]/g, '');
        return {
          text,
          whatsapp: digits ? `https://wa.me/${digits}?text=${encode(text)}` : `https://wa.me/?text=${encode(text)}`,
          sms: digits ? `sms:+${digits}?&body=${encode(text)}` : null,
          email: sale.customer_email
            ? `mailto:${encode(sale.customer_email, '@')}` +
              `?subject=${encode(shareSubject(sale.language, shop, isPaid(sale)))}` +
              `&body=${encode(text.replaceAll('\n', '\r\n'))}`
            : null,
        };
      }),
    history: (query: HistoryQuery) =>
      wait((): History => {
        // pos-core: any role, but only unlocked.
        authorize('create_sale');
        engine();
        const filter = filterFor(query);
        const list = [...sales.values()]
          .filter(filter.matches)
          .sort(newestFirst)
          .slice(0, filter.limit ?? DEFAULT_HISTORY_LIMIT);
        const totals = new Map<string, { minor: bigint; count: number }>();
        const day = today();
        for (const s of sales.values()) {
          if (s.profile_id !== activeId || s.state !== 'paid' || !s.paid_at || localDay(new Date(s.paid_at)) !== day) continue;
          const d = currencyDecimals(s.currency_code, CURRENCIES);
          const t = totals.get(s.currency_code) ?? { minor: 0n, count: 0 };
          t.minor += toMinor(s.amount, d);
          t.count += 1;
          totals.set(s.currency_code, t);
        }
        // Less today's refunds that are done (pos-core's history::net_totals).
        for (const op of operations.values()) {
          const s = sales.get(op.sale_id);
          if (!s || s.profile_id !== activeId || op.kind !== 'refund' || op.state !== 'done') continue;
          if (localDay(new Date(op.updated_at)) !== day) continue;
          const d = currencyDecimals(op.currency_code, CURRENCIES);
          const t = totals.get(op.currency_code) ?? { minor: 0n, count: 0 };
          t.minor -= toMinor(op.result_amount ?? op.amount ?? s.amount, d);
          totals.set(op.currency_code, t);
        }
        const today_paid: Total[] = [...totals.entries()]
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([currency_code, t]) => ({
            currency_code,
            amount: fromMinor(t.minor, currencyDecimals(currency_code, CURRENCIES)),
            count: t.count,
          }));
        // Lists leave the QR out to stay light; open the sale to get it.
        return { sales: list.map((s) => ({ ...structuredClone(s), qr_svg: null })), today_paid };
      }),
    // The shell asks where to save in its own dialog; the fake "chooses" a file in /tmp.
    exportCsv: (query) =>
      wait((): CsvExport | null => {
        authorize('export');
        engine();
        const filter = filterFor(query);
        const count = [...sales.values()].filter(filter.matches).length;
        const rows = filter.limit === null ? count : Math.min(count, filter.limit);
        return { path: `/tmp/ottu-sales-${today()}.csv`, rows };
      }),
    // The shell's open dialog answers a one-time token for the path; the fake has no shell in
    // between, so its token is the path itself (what the core reads).
    pickAttachment: () =>
      wait((): PickedFile | null => {
        const path = '/home/cashier/Documents/invoice-1042.pdf';
        return { token: path, name: 'invoice-1042.pdf' };
      }),
    // The shell opens the link pos-core builds (share_links' own), never the page.
    openShare: async (id, channel) => {
      const links = await backend.shareLinks(id);
      const url = links[channel];
      if (!url) {
        throw failure(
          'invalid_input',
          channel === 'sms'
            ? problem('share_needs_phone')
            : channel === 'email'
              ? problem('share_needs_email')
              : problem('share_unavailable', { channel: 'WhatsApp' }),
        );
      }
      calls.opened.push(url);
    },
    saveSettings: (next) =>
      wait(() => {
        authorize('change_settings');
        const fields: Fields = {};
        const shop = next.shop_name.trim();
        if (!shop) add(fields, 'shop_name', problem('shop_name_empty'));
        else if (chars(shop) > MAX_SHOP_NAME_CHARS) add(fields, 'shop_name', problem('too_long', { max: MAX_SHOP_NAME_CHARS }));
        if (!(next.default_expiry_minutes >= 1 && next.default_expiry_minutes <= MAX_EXPIRY_MINUTES)) {
          add(fields, 'default_expiry_minutes', problem('default_expiry_out_of_range', { max: MAX_EXPIRY_MINUTES }));
        }
        // A settings file (or caller) without the field gets the default, as serde's does.
        const lockAfter = next.lock_after_minutes ?? 5;
        if (!(lockAfter >= 0 && lockAfter <= MAX_LOCK_AFTER_MINUTES)) {
          add(fields, 'lock_after_minutes', problem('lock_after_out_of_range'));
        }
        if (Object.keys(fields).length > 0) throw invalid(fields);
        settings = {
          ...next,
          shop_name: shop,
          lock_after_minutes: lockAfter,
          phone_demo: next.phone_demo ?? false,
          week_start: next.week_start ?? 'sunday',
          currency_display: next.currency_display ?? 'code',
        };
        return state();
      }),
    saveProfile: (input: ProfileInput) =>
      wait(() => {
        authorize('manage_connections');
        const existing = input.id !== undefined && input.id !== null ? storedProfile(input.id) : undefined;
        if (existing?.kind === 'demo') {
          if (input.secret !== undefined && input.secret !== null) throw invalidField('secret', problem('demo_needs_no_key'));
          const fields: Fields = {};
          const name = input.name.trim();
          if (!name) add(fields, 'name', problem('profile_name_empty'));
          const currency = parseCurrency(input.default_currency);
          if (!currency) add(fields, 'default_currency', problem('currency_needed'));
          if (Object.keys(fields).length > 0 || !currency) throw invalid(fields);
          const updated: Profile = {
            ...existing,
            name,
            default_currency: currency,
            default_pg_codes: input.default_pg_codes.map((c) => c.trim().toLowerCase()).filter((c) => c),
          };
          profiles = profiles.map((p) => (p.id === updated.id ? updated : p));
          return view(updated);
        }
        if (!lockRequired()) {
          throw failure('not_configured', problem('owner_pin_first'));
        }
        const valid = validateProfile(input, !!existing?.secret_configured);
        const id = existing?.id ?? newProfileId(valid.name, profiles.map((p) => p.id));
        if (valid.secret) secrets.set(id, valid.secret);
        const profile: Profile = {
          id,
          name: valid.name,
          kind: 'merchant',
          base_url: valid.base_url,
          auth: valid.auth,
          username: valid.username,
          secret_configured: !!valid.secret || !!existing?.secret_configured,
          default_currency: valid.default_currency,
          default_pg_codes: valid.default_pg_codes,
        };
        profiles = existing ? profiles.map((p) => (p.id === id ? profile : p)) : [...profiles, profile];
        return structuredClone(profile);
      }),
    useProfile: (id) =>
      wait(() => {
        authorize('manage_connections');
        const profile = storedProfile(id);
        if (profile.kind !== 'demo' && !profile.secret_configured) {
          throw failure('not_configured', problem('profile_no_secret', { id: JSON.stringify(id) }));
        }
        activeId = id;
        return state();
      }),
    deleteProfile: (id) =>
      wait(() => {
        authorize('manage_connections');
        const profile = storedProfile(id);
        if (profile.kind === 'demo') throw invalidField('id', problem('demo_not_deletable'));
        secrets.delete(id);
        profiles = profiles.filter((p) => p.id !== id);
        if (activeId === id) activeId = demo.id;
        return state();
      }),
    testConnection: (input) =>
      wait((): ConnectionCheck => {
        authorize('manage_connections');
        const existing = input.id !== undefined && input.id !== null ? storedProfile(input.id) : undefined;
        if (existing?.kind === 'demo') {
          if (!parseCurrency(input.default_currency)) throw invalidField('default_currency', problem('currency_unknown', { code: JSON.stringify(input.default_currency.trim()) }));
          demoStarted = true;
          return { ok: true, kind: 'ok', message: 'connected: 2 payment gateways for KWD (KNET, Credit Card)' };
        }
        const valid = validateProfile(input, !!existing?.secret_configured);
        const secret = valid.secret ?? (existing ? secrets.get(existing.id) : undefined) ?? '';
        const host = new URL(valid.base_url).hostname;
        const answers = (demoStarted && valid.base_url === DEMO_URL) || !['localhost', '127.0.0.1', '[::1]'].includes(host);
        if (!answers || host.endsWith('.invalid') || host.includes('invalid')) {
          return { ok: false, kind: 'bad_host', message: 'nothing answers at this address: check the host name and port' };
        }
        const refused = valid.base_url === DEMO_URL ? secret !== DEMO_API_KEY : secret === 'wrong';
        if (refused) {
          const what = valid.auth === 'basic' ? 'user name and password' : 'API key';
          const message = `the server refused the ${what}: copy it again from the Ottu dashboard`;
          return { ok: false, kind: 'bad_credentials', message };
        }
        return { ok: true, kind: 'ok', message: 'connected: 2 payment gateways for KWD (KNET, Credit Card)' };
      }),
    unlock: (pin) =>
      wait(() => {
        const found = staffWithPin('pin', pin);
        session = { staffId: found.id, lastUsed: Date.now() };
        return state();
      }),
    lock: () =>
      wait(() => {
        session = null;
        return state();
      }),
    staffList: () =>
      wait(() => {
        authorize('manage_staff');
        return staff.map(member);
      }),
    saveStaff: (input: StaffInput) =>
      wait((): StaffMember => {
        authorize('manage_staff');
        const name = input.name.trim();
        if (!name || chars(name) > MAX_STAFF_NAME_CHARS) throw invalidField('name', problem('staff_name_invalid'));
        let pin: string | null = null;
        if (input.pin !== undefined && input.pin !== null && input.pin.trim()) {
          pin = normalizePin(input.pin);
          if (pin === null) throw invalidField('pin', problem('pin_format'));
          if (staff.some((m) => m.id !== input.id && m.pin === pin)) {
            throw invalidField('pin', problem('pin_taken'));
          }
        }
        let saved: StoredStaff;
        if (input.id !== undefined && input.id !== null) {
          const id = input.id;
          const found = staff.find((m) => m.id === id);
          if (!found) throw failure('not_found', problem('staff_not_found', { id }));
          const role = input.role ?? found.role;
          const owners = staff.filter((m) => m.role === 'owner').length;
          if (found.role === 'owner' && role !== 'owner' && owners === 1) {
            throw invalidField('role', problem('owner_needed_first'));
          }
          saved = { ...found, name, role, pin: pin ?? found.pin };
          staff = staff.map((m) => (m.id === id ? saved : m));
        } else {
          if (!input.role) throw invalidField('role', problem('role_needed'));
          if (pin === null) throw invalidField('pin', problem('pin_needed'));
          let n = 1;
          while (staff.some((m) => m.id === `staff-${n}`)) n++;
          saved = { id: `staff-${n}`, name, role: input.role, pin };
          staff = [...staff, saved];
        }
        // Whoever set the first PIN stays signed in as themselves.
        if (session === null && pin !== null) {
          const owner = staff.find((m) => m.role === 'owner' && m.pin !== null);
          if (owner) session = { staffId: owner.id, lastUsed: Date.now() };
        }
        return member(saved);
      }),
    // The shell asks where to save in its own dialog; the fake "chooses" a file in /tmp.
    saveDiagnostics: () =>
      wait((): DiagnosticsSummary | null => {
        authorize('export');
        return {
          path: `/tmp/ottu-pos-diagnostics-${today()}.zip`,
          files: ['versions.txt', 'config.toml', 'sales.json', 'logs/ottu-pos.log'],
        };
      }),
    updateSettings: () =>
      wait((): UpdateSettings => {
        authorize('install_update');
        return { ...updates };
      }),
    // pos-core's UpdateSettings::normalized: blank is off, https:// only, no credentials.
    saveUpdateSettings: (next) =>
      wait((): UpdateSettings => {
        authorize('install_update');
        const text = (next.endpoint ?? '').trim();
        if (text === '') {
          updates = {};
          return {};
        }
        let url: URL;
        try {
          url = new URL(text);
        } catch {
          throw invalidField('endpoint', problem('update_endpoint_not_url'));
        }
        if (url.protocol !== 'https:') {
          throw invalidField('endpoint', problem('update_endpoint_not_https'));
        }
        if (url.username || url.password) {
          throw invalidField('endpoint', problem('update_endpoint_has_credentials'));
        }
        updates = { endpoint: url.toString() };
        return { ...updates };
      }),
    // No update server in the fake: with an address set, this is the newest version.
    checkUpdate: () =>
      wait((): UpdateOffer | null => {
        authorize('install_update');
        if (!updates.endpoint) {
          throw failure('not_configured', problem('update_endpoint_missing'));
        }
        return null;
      }),
    installUpdate: (version) =>
      wait((): void => {
        authorize('install_update');
        const open = [...sales.values()].filter((s) =>
          ['sending', 'unknown', 'created', 'pending', 'attempted'].includes(s.state),
        ).length;
        if (open > 0) {
          throw failure('invalid_input', problem('update_open_sales', { count: open }));
        }
        throw failure('invalid_input', problem('update_no_longer_offered', { version }));
      }),
    deleteStaff: (id) =>
      wait((): StaffMember[] => {
        const actor = authorize('manage_staff');
        if (actor.id === id) throw invalidField('id', problem('cannot_remove_self'));
        const target = staff.find((m) => m.id === id);
        if (!target) throw failure('not_found', problem('staff_not_found', { id }));
        if (target.role === 'owner' && staff.filter((m) => m.role === 'owner').length === 1) {
          throw invalidField('id', problem('owner_needed'));
        }
        staff = staff.filter((m) => m.id !== id);
        return staff.map(member);
      }),
    ...catalog.commands,
    operateSale: (input: OperationInput) =>
      wait((): Sale => {
        const action: Action = input.kind;
        let by: StaffRef;
        let approvedBy: StaffRef | null = null;
        try {
          by = authorize(action);
        } catch (error) {
          if ((error as CommandError).code !== 'not_allowed') throw error;
          by = authorize('create_sale');
          const pin = input.approver_pin?.trim();
          if (action !== 'refund') throw error;
          if (!pin) {
            throw failure('not_allowed', problem('needs_approval', (error as CommandError).problem.params));
          }
          const approver = staffWithPin('approver_pin', pin);
          if (!roleMay(approver.role, action)) throw failure('not_allowed', problem('approver_may_not', { role: approver.role }));
          approvedBy = { id: approver.id, name: approver.name };
        }
        const intent = input.intent_id.trim();
        if (!intent || intent.length > 64 || !/^[A-Za-z0-9_-]+$/.test(intent)) {
          throw invalidField('intent_id', problem('intent_id_invalid'));
        }
        const existing = operations.get(intent);
        if (existing) {
          if (existing.sale_id !== input.sale_id) {
            throw invalidField('intent_id', problem('intent_id_other_sale'));
          }
          return saleOut(find(existing.sale_id));
        }
        const sale = find(input.sale_id);
        const needed: SaleState = input.kind === 'refund' ? 'paid' : 'authorized';
        const done = input.kind === 'refund' ? 'refunded' : input.kind === 'capture' ? 'captured' : 'voided';
        if (sale.state !== needed) {
          const code = input.kind === 'refund' ? 'refund_needs_paid' : input.kind === 'capture' ? 'capture_needs_authorized' : 'void_needs_authorized';
          throw failure('invalid_input', problem(code, { state: sale.state }));
        }
        const d = decimalsOf(sale);
        const left = remaining(sale, input.kind);
        let amount: string | null = null;
        const text = input.amount?.trim();
        if (input.kind !== 'void' && text) {
          const checked = checkAmount(text, sale.currency_code);
          if ('error' in checked) throw invalidField('amount', checked.error);
          if (toMinor(checked.amount, d) > left) {
            throw invalidField('amount', problem('amount_over_remaining', { max: fromMinor(left, d), currency: sale.currency_code, operation: done }));
          }
          amount = checked.amount;
        }
        if (left <= 0n) throw failure('invalid_input', problem('nothing_left', { operation: done }));
        const now = stampNow();
        const op: SaleOperation = {
          id: intent,
          sale_id: sale.id,
          kind: input.kind,
          amount,
          currency_code: sale.currency_code,
          state: 'done',
          result_amount: amount ?? fromMinor(left, d),
          reference_number: `sandbox${randomText(ORDER_NO_ALPHABET, 6)}`,
          problem: null,
          created_at: now,
          updated_at: now,
          created_by: by,
          approved_by: approvedBy,
        };
        operations.set(intent, op);
        if (input.kind === 'capture') setState(sale, 'paid');
        if (input.kind === 'void') setState(sale, 'canceled');
        return saleOut(sale);
      }),
    // Shifts and cash (pos-core's till/shifts.rs and reports.rs). A sale belongs to the shift
    // of its profile open when it was written (`addSale`), as pos-core's insert stamps it. The
    // fake keeps no pg codes per sale, so link lines carry no gateway.
    currentShift: () =>
      wait((): Shift | null => {
        authorize('create_sale');
        const open = openShiftNow();
        return open ? structuredClone(open.shift) : null;
      }),
    openShift: (openingFloat) =>
      wait((): Shift => {
        const by = authorize('run_shift');
        if (openShiftNow()) throw failure('invalid_input', problem('shift_already_open'));
        const currency = active().default_currency;
        const shift: Shift = {
          id: `shift_${Date.now()}_${randomText('0123456789abcdef', 16)}`,
          currency_code: currency,
          opening_float: checkCash('opening_float', openingFloat, currency, true),
          opened_at: stampNow(),
          opened_by: by,
          closed_at: null,
          closed_by: null,
          counted_cash: null,
          expected_cash: null,
          variance: null,
          cash_entries: [],
        };
        shifts.push({ profileId: activeId, shift, z: null });
        return structuredClone(shift);
      }),
    recordCash: (input) =>
      wait((): Shift => {
        const by = authorize(input.kind === 'in' ? 'run_shift' : 'cash_out');
        const open = openShiftNow();
        if (!open) throw failure('invalid_input', problem('no_open_shift'));
        const fields: Fields = {};
        let amount = '';
        try {
          amount = checkCash('amount', input.amount, open.shift.currency_code, false);
        } catch (error) {
          Object.assign(fields, (error as CommandError).fields);
        }
        const reason = input.reason.trim();
        if (!reason) add(fields, 'reason', problem('cash_reason_empty'));
        else if (chars(reason) > 200) add(fields, 'reason', problem('too_long', { max: 200 }));
        if (Object.keys(fields).length > 0) throw invalid(fields);
        const entry: CashEntry = { id: `cash_${Date.now()}_${randomText('0123456789abcdef', 16)}`, kind: input.kind, amount, reason, created_at: stampNow(), created_by: by };
        open.shift.cash_entries.push(entry);
        return structuredClone(open.shift);
      }),
    cashSale: (input) => wait(() => recordCashSale(input, null)),
    openBill: (amount) =>
      wait((): Bill => {
        const by = authorize('create_sale');
        const currency = active().default_currency;
        const checked = checkAmount(amount, currency);
        if ('error' in checked) throw invalidField('amount', checked.error);
        const b: FakeBill = {
          id: `bill_${Date.now()}_${randomText('0123456789abcdef', 16)}`,
          profileId: activeId,
          amount: checked.amount,
          currency_code: currency,
          created_at: stampNow(),
          created_by: by,
        };
        bills.set(b.id, b);
        return billOut(b);
      }),
    bill: (id) =>
      wait((): Bill => {
        authorize('create_sale');
        return billOut(billOf(id));
      }),
    billLinkPart: (id, amount) =>
      wait((): Sale => {
        authorize('create_sale');
        const b = billOut(billOf(id));
        if (b.state === 'paid') throw failure('invalid_input', problem('bill_paid'));
        if (b.live_link !== null) throw failure('invalid_input', problem('bill_link_live'));
        const checked = checkAmount(amount, b.currency_code);
        if ('error' in checked) throw invalidField('amount', checked.error);
        checkPartFits(id, checked.amount);
        return createSaleNow({ amount: checked.amount, currency_code: b.currency_code }, id);
      }),
    billCashPart: (id, input) => wait(() => recordCashSale(input, id)),
    shiftReport: (shiftId, kind) => wait((): ShiftReport => reportFor(shiftId, kind)),
    closeShift: (countedCash) =>
      wait((): ShiftReport => {
        const by = authorize('run_shift');
        const open = openShiftNow();
        if (!open) throw failure('invalid_input', problem('no_open_shift'));
        if (open.shift.opened_by?.id !== by.id) authorize('close_any_shift');
        const counted = checkCash('counted_cash', countedCash, open.shift.currency_code, true);
        const now = stampNow();
        open.shift.closed_at = now;
        open.shift.closed_by = by;
        const z = shiftReportOf(open, 'z', counted, now);
        open.shift.counted_cash = z.cash.counted;
        open.shift.expected_cash = z.cash.expected;
        open.shift.variance = z.cash.variance;
        open.z = z;
        return structuredClone(z);
      }),
    saleReceipt: (id, language) =>
      wait((): Receipt => {
        // Any role, unlocked (pos-core's Till::sale_receipt).
        authorize('create_sale');
        engine();
        const sale = saleOut(find(id));
        const receipt = fakeReceipt(sale, {
          language,
          shopName: settings.shop_name,
          vatNumber: settings.vat_number ?? null,
          decimals: decimalsOf(sale),
          arabicName: catalog.arabicName,
          qrSvg: fakeQrSvg,
        });
        if ('code' in receipt) throw failure('invalid_input', receipt);
        return receipt;
      }),
    printPage: (paper) =>
      wait((): void => {
        authorize('create_sale');
        calls.printed.push({ paper, pdf: null });
      }),
    printPageToPdf: (paper, fileName) =>
      wait((): string => {
        authorize('create_sale');
        const name = `${fileName.replace(/[^\p{L}\p{N}_-]/gu, '') || 'ottu-pos'}.pdf`;
        calls.printed.push({ paper, pdf: name });
        return `/home/cashier/${name}`;
      }),
    shifts: (limit) =>
      wait((): Shift[] => {
        authorize('close_any_shift');
        const mine = shifts.filter((s) => s.profileId === activeId).reverse();
        return mine.slice(0, Math.min(Math.max(limit, 1), 500)).map((s) => structuredClone(s.shift));
      }),
    // The save dialog is the shell's; the fake answers the file it would have written.
    exportReportCsv: (shiftId, kind) =>
      wait((): CsvExport | null => {
        const r = reportFor(shiftId, kind);
        // pos-core's reports::to_csv: its rows after the header.
        const reportRows = 3 + (r.closed_at ? 1 : 0) + 1;
        const lines =
          r.by_method.length + r.refunds.length + r.by_staff.length + r.hourly.length + r.discounts.length + r.vat.length;
        const cashRows = 6 + (r.cash.counted === null ? 0 : 1) + (r.cash.variance === null ? 0 : 1);
        return { path: `/tmp/ottu-${kind}-report-${today()}.csv`, rows: reportRows + lines + cashRows };
      }),
    ottuCashSetup: () =>
      wait((): OttuCashSetup => {
        authorize('create_sale');
        const stored = cashSetupOf(activeId);
        return { cash_pg_code: stored.cash_pg_code, till_id: tillId(), till_id_set: stored.till_id !== null };
      }),
    setOttuCashSetup: (input) =>
      wait((): OttuCashSetup => {
        authorize('manage_connections');
        const typedTill = input.till_id?.trim() ?? '';
        let till: string | null = null;
        if (typedTill) {
          const upper = typedTill.toUpperCase();
          if (!/^[A-Z0-9]{1,8}$/.test(upper)) throw invalidField('till_id', problem('till_id_invalid'));
          till = upper;
        }
        const code = input.cash_pg_code?.trim() || null;
        if (code && !DEMO_GATEWAYS.some((g) => g.code === code)) {
          throw invalidField('cash_pg_code', problem('cash_gateway_unknown', { code }));
        }
        cashSetups.set(activeId, { cash_pg_code: code, till_id: till });
        const stored = cashSetupOf(activeId);
        return { cash_pg_code: stored.cash_pg_code, till_id: tillId(), till_id_set: stored.till_id !== null };
      }),
    retryCashAtOttu: () =>
      wait((): number => {
        authorize('create_sale');
        return 0;
      }),
    reconcile: (from, to) =>
      wait((): Reconciliation => reconcileFake(from, to)),
    // pos-core's Till::dashboard: a cashier sees their own sales, managers and owners the shop's.
    dashboard: () =>
      wait(() => {
        const by = authorize('see_own_totals');
        const who = signedIn();
        const scope = who && roleMay(who.role, 'see_shop_totals') ? 'shop' : 'own';
        const mine = (s: Sale) => s.profile_id === activeId && (scope === 'shop' || s.created_by?.id === by.id);
        const refunds = [...operations.values()].flatMap((op) => {
          const s = sales.get(op.sale_id);
          if (!s || !mine(s) || op.kind !== 'refund' || op.state !== 'done') return [];
          return [{ amount: op.result_amount ?? op.amount ?? s.amount, currency_code: op.currency_code, created_at: op.created_at }];
        });
        return computeDashboard({
          now: new Date(),
          weekStart: settings.week_start,
          scope,
          sales: [...sales.values()].filter(mine).map((s) => ({
            amount: s.amount,
            currency_code: s.currency_code,
            method: s.method === 'cash' ? 'cash' : 'link',
            pg_codes: s.method === 'cash' ? [] : (salePgCodes.get(s.id) ?? []),
            state: s.state,
            created_at: s.created_at,
          })),
          refunds,
          decimals: (code) => currencyDecimals(code, CURRENCIES),
        });
      }),
    showCustomerDisplay: (id) =>
      wait(() => {
        find(id);
        calls.customerDisplay.push(id);
        if (typeof window !== 'undefined' && typeof window.open === 'function' && options.autoAdvance) {
          window.open(`${location.pathname}${location.search}#/customer/${id}`, 'ottu-customer');
        }
      }),
    uiReady: () =>
      wait(() => {
        calls.uiReady += 1;
        // The shell prepares the till (starts the demo) once the UI is up.
        engine();
      }),
    onSaleUpdated: async (handler): Promise<Unlisten> => {
      listeners.add(handler);
      return () => listeners.delete(handler);
    },
    copyText: async (text) => {
      calls.copied.push(text);
      await navigator.clipboard?.writeText(text).catch(() => undefined);
    },
    log: () => undefined,

    chooseCatalogFile: (text) => catalog.files.choose(text),
    exportedCatalog: () => catalog.files.exported(),

    simulate(id, next) {
      const sale = find(id);
      setState(sale, next);
      return saleOut(sale);
    },
    armFault(fault) {
      armedFault = fault;
    },
    plantInReport(plant) {
      reportPlants.push(plant);
    },
    lateSuccess(id) {
      const sale = find(id);
      if (sale.state !== 'failed' && sale.state !== 'expired') {
        throw new Error(`a late success needs a failed or expired sale; this one is ${sale.state}`);
      }
      extra(sale).lateSuccess = true;
    },
    seedHistory() {
      const now = Date.now();
      const rows: Array<[number, string, string, SaleState, string | undefined]> = [
        [12, '4.750', 'KWD', 'paid', 'Fatma Al-Sabah'],
        [35, '18.000', 'KWD', 'paid', 'Yousef Al-Mutairi'],
        [52, '2.250', 'KWD', 'expired', undefined],
        [80, '35.500', 'KWD', 'pending', 'Noura Al-Enezi'],
        [110, '120.00', 'SAR', 'paid', 'Omar Haddad'],
        [150, '9.900', 'KWD', 'canceled', 'Ali Hussain'],
        [1440 + 30, '60.000', 'KWD', 'paid', 'Mariam Al-Rashid'],
        [2880 + 90, '7.125', 'KWD', 'failed', 'Khaled Al-Ajmi'],
      ];
      for (const [minutesAgo, amount, currency, st, name] of rows) {
        const created = new Date(now - minutesAgo * 60_000);
        const draft: SaleDraft = { amount, currency_code: currency, customer_name: name };
        const sale = makeSale(draft, amount, name ? '+96550001234' : null, created, st);
        sales.set(sale.id, sale);
      }
    },
  };
  return backend;
}
