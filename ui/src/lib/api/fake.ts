// In-memory stand-in for the desktop shell, with the same interface as the Tauri backend.
// Used by Vitest and by `vite dev` in a plain browser. It follows pos-core's rules closely
// enough to exercise the UI (field errors, state changes, history filters, profiles), but
// its QR is only a look-alike: the real one is rendered by pos-core.
import type { Backend, Unlisten } from './backend';
import type {
  AppState,
  CommandError,
  ConnectionCheck,
  Currency,
  Gateway,
  History,
  HistoryQuery,
  Profile,
  ProfileInput,
  Sale,
  SaleDraft,
  SaleEdit,
  SaleState,
  Settings,
  ShareLinks,
  Total,
} from './types';
import { currencyDecimals, fromMinor, parseAmount, toMinor } from '../format/money';
import { dayOf, today } from '../format/dates';

export interface FakeOptions {
  /** Move new sales to opened, then paid, on a timer (for `vite dev`). Off in tests. */
  autoAdvance?: boolean;
  /** Delay of every command in ms, to make loading states visible. */
  latencyMs?: number;
  /** Answer `app_state` with `not_configured`, as a shell without a sales engine does. */
  appStateFails?: boolean;
  /** Hand the app state over before the first render, as the shell's boot script does. */
  bootState?: boolean;
}

export interface FakeBackend extends Backend {
  /** Drive a sale to a state as the payer or the gateway would, and emit `sale-updated`. */
  simulate(id: string, state: SaleState): Sale;
  /** Add finished sales of today and the last days, for history screens. */
  seedHistory(): void;
  readonly calls: {
    opened: string[];
    copied: string[];
    notified: string[];
    uiReady: number;
    appState: number;
    customerDisplay: string[];
  };
}

const CURRENCIES: Currency[] = [
  { code: 'KWD', decimals: 3 },
  { code: 'BHD', decimals: 3 },
  { code: 'OMR', decimals: 3 },
  { code: 'SAR', decimals: 2 },
  { code: 'AED', decimals: 2 },
  { code: 'QAR', decimals: 2 },
  { code: 'USD', decimals: 2 },
  { code: 'EUR', decimals: 2 },
  { code: 'JPY', decimals: 0 },
];

const MAX_WHOLE_UNITS = 100_000n; // one payment's ceiling in the fake, in whole currency units
const EDITABLE: readonly SaleState[] = ['created', 'pending', 'attempted'];

function invalid(fields: Record<string, string[]>, message = 'Some fields need fixing.'): CommandError {
  return { code: 'invalid_input', message, fields };
}

function failure(code: CommandError['code'], message: string): CommandError {
  return { code, message, fields: {} };
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

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ]{8,20}$/;

export function createFakeBackend(options: FakeOptions = {}): FakeBackend {
  const demo: Profile = {
    id: 'demo',
    name: 'Demo shop',
    kind: 'demo',
    base_url: 'http://127.0.0.1:0',
    auth: 'api_key',
    username: null,
    secret_configured: true,
    default_currency: 'KWD',
    default_pg_codes: ['knet', 'credit-card'],
  };
  let profiles: Profile[] = [demo];
  let activeId = demo.id;
  let settings: Settings = {
    language: 'en',
    arabic_numerals: false,
    shop_name: 'Al Salam Bakery',
    theme: 'system',
    default_expiry_minutes: 60,
  };
  const sales = new Map<string, Sale>();
  const listeners = new Set<(sale: Sale) => void>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let counter = 0;
  // Creation times strictly increase, so "newest first" is well defined even within one millisecond.
  let lastCreatedMs = 0;
  const creationTime = () => {
    lastCreatedMs = Math.max(Date.now(), lastCreatedMs + 1);
    return new Date(lastCreatedMs);
  };
  const calls: FakeBackend['calls'] = { opened: [], copied: [], notified: [], uiReady: 0, appState: 0, customerDisplay: [] };
  let bootStateTaken = !options.bootState;

  const wait = async <T>(value: () => T): Promise<T> => {
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
    return value();
  };
  const state = (): AppState => ({
    profile: structuredClone(profiles.find((p) => p.id === activeId) ?? demo),
    profiles: structuredClone(profiles),
    settings: { ...settings },
    currencies: CURRENCIES.map((c) => ({ ...c })),
    version: '0.1.0-fake',
  });
  const emit = (sale: Sale) => {
    for (const l of listeners) l(structuredClone(sale));
  };
  const find = (id: string): Sale => {
    const sale = sales.get(id);
    if (!sale) throw failure('not_found', 'This sale is not on this till. Open History to find it.');
    return sale;
  };
  const setState = (sale: Sale, next: SaleState) => {
    sale.state = next;
    sale.updated_at = new Date().toISOString();
    if (next === 'paid') sale.paid_at = sale.updated_at;
    emit(sale);
  };
  const after = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  function checkAmount(amount: string, currency: string, fields: Record<string, string[]>) {
    const decimals = currencyDecimals(currency, CURRENCIES);
    const parsed = parseAmount(amount, decimals);
    if (!parsed.ok) {
      fields['amount'] = [
        parsed.error === 'too_many_decimals'
          ? `${currency} takes at most ${decimals} decimals.`
          : 'Enter an amount above zero.',
      ];
      return null;
    }
    if (toMinor(parsed.amount, decimals) > MAX_WHOLE_UNITS * 10n ** BigInt(decimals)) {
      fields['amount'] = ['This amount is above the limit for one payment.'];
      return null;
    }
    return parsed.amount;
  }

  function checkContact(
    values: { customer_phone?: string; customer_email?: string },
    fields: Record<string, string[]>,
  ) {
    if (values.customer_email && !EMAIL.test(values.customer_email)) {
      fields['customer_email'] = ['enter a valid email address, e.g. name@example.com'];
    }
    if (values.customer_phone && !PHONE.test(values.customer_phone)) {
      fields['customer_phone'] = ['Enter a phone number with its country code, like +965 5000 0000.'];
    }
  }

  function makeSale(draft: SaleDraft, amount: string, createdAt: Date, state: SaleState): Sale {
    counter += 1;
    const id = `sale-${counter}-${hash(draft.order_no ?? String(counter)).toString(36)}`;
    const short = hash(id).toString(36).slice(0, 6);
    const link = `https://ottu.link/${short}`;
    const expiresIn = draft.expires_in_minutes ?? settings.default_expiry_minutes;
    const stamp = createdAt.toISOString();
    return {
      id,
      order_no: draft.order_no || `POS-${today().replaceAll('-', '')}-${String(counter).padStart(4, '0')}`,
      session_id: `sess_${short}`,
      state,
      amount,
      currency_code: draft.currency_code,
      customer_name: draft.customer_name || null,
      customer_phone: draft.customer_phone || null,
      customer_email: draft.customer_email || null,
      note: draft.note || null,
      language: draft.language ?? settings.language,
      checkout_url: `https://sandbox.ottu.net/b/checkout/redirect/start/?session_id=sess_${short}`,
      short_url: link,
      link,
      qr_svg: fakeQrSvg(link),
      expires_at: new Date(createdAt.getTime() + expiresIn * 60_000).toISOString(),
      created_at: stamp,
      updated_at: stamp,
      paid_at: state === 'paid' ? stamp : null,
      profile_id: activeId,
      problem: null,
    };
  }

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
        if (options.appStateFails) throw failure('not_configured', 'This build has no sales engine yet.');
        return state();
      }),
    gateways: (currency) =>
      wait((): Gateway[] => [
        ...(currency === 'KWD' ? [{ code: 'knet', name: 'KNET', icon_url: null }] : []),
        { code: 'credit-card', name: 'Credit card', icon_url: null },
        { code: 'apple-pay', name: 'Apple Pay', icon_url: null },
      ]),
    createSale: (draft) =>
      wait(() => {
        const fields: Record<string, string[]> = {};
        if (!CURRENCIES.some((c) => c.code === draft.currency_code)) {
          fields['currency_code'] = [`${draft.currency_code} is not enabled for this account.`];
        }
        const amount = checkAmount(draft.amount, draft.currency_code, fields);
        checkContact(draft, fields);
        if (draft.order_no && [...sales.values()].some((s) => s.order_no === draft.order_no)) {
          fields['order_no'] = ['This reference is already used. Leave it blank for a new one.'];
        }
        if (Object.keys(fields).length > 0 || amount === null) throw invalid(fields);
        const sale = makeSale(draft, amount, creationTime(), 'created');
        sales.set(sale.id, sale);
        if (options.autoAdvance) {
          after(4000, () => sale.state === 'created' && setState(sale, 'pending'));
          after(9000, () => sale.state === 'pending' && setState(sale, 'paid'));
        }
        return structuredClone(sale);
      }),
    getSale: (id) => wait(() => structuredClone(find(id))),
    editSale: (id, edit: SaleEdit) =>
      wait(() => {
        const sale = find(id);
        if (!EDITABLE.includes(sale.state)) {
          throw failure('api_rejected', 'This sale can no longer be changed. Start a new sale instead.');
        }
        const fields: Record<string, string[]> = {};
        const amount = edit.amount !== undefined ? checkAmount(edit.amount, sale.currency_code, fields) : null;
        checkContact(edit, fields);
        if (Object.keys(fields).length > 0) throw invalid(fields);
        if (amount !== null) sale.amount = amount;
        if (edit.customer_name !== undefined) sale.customer_name = edit.customer_name || null;
        if (edit.customer_phone !== undefined) sale.customer_phone = edit.customer_phone || null;
        if (edit.customer_email !== undefined) sale.customer_email = edit.customer_email || null;
        sale.updated_at = new Date().toISOString();
        emit(sale);
        return structuredClone(sale);
      }),
    cancelSale: (id) =>
      wait(() => {
        const sale = find(id);
        if (sale.state === 'paid') throw failure('api_rejected', 'This sale is paid and cannot be canceled.');
        setState(sale, 'canceled');
        return structuredClone(sale);
      }),
    shareLinks: (id) =>
      wait((): ShareLinks => {
        const sale = find(id);
        const text = `${settings.shop_name}: please pay ${sale.amount} ${sale.currency_code} here ${sale.link ?? ''}`;
        const phone = (sale.customer_phone ?? '').replace(/[^0-9]/g, '');
        const body = encodeURIComponent(text);
        return {
          text,
          whatsapp: `https://wa.me/${phone}?text=${body}`,
          sms: phone ? `sms:+${phone}?body=${body}` : `sms:?body=${body}`,
          email: `mailto:${sale.customer_email ?? ''}?subject=${encodeURIComponent('Payment request')}&body=${body}`,
        };
      }),
    history: (query: HistoryQuery) =>
      wait((): History => {
        const text = query.text?.trim().toLowerCase() ?? '';
        const list = [...sales.values()]
          .filter((s) => s.profile_id === activeId)
          .filter((s) => !query.state || s.state === query.state)
          .filter((s) => !query.from || dayOf(s.created_at) >= query.from)
          .filter((s) => !query.to || dayOf(s.created_at) <= query.to)
          .filter(
            (s) =>
              !text ||
              [s.order_no, s.customer_name, s.customer_phone, s.customer_email, s.note, s.amount]
                .some((v) => v?.toLowerCase().includes(text)),
          )
          .sort((a, b) => b.created_at.localeCompare(a.created_at))
          .slice(0, query.limit ?? 200);
        const totals = new Map<string, { minor: bigint; count: number }>();
        for (const s of sales.values()) {
          if (s.profile_id !== activeId || s.state !== 'paid' || dayOf(s.paid_at ?? s.created_at) !== today()) continue;
          const d = currencyDecimals(s.currency_code, CURRENCIES);
          const t = totals.get(s.currency_code) ?? { minor: 0n, count: 0 };
          t.minor += toMinor(s.amount, d);
          t.count += 1;
          totals.set(s.currency_code, t);
        }
        const today_paid: Total[] = [...totals.entries()].map(([currency_code, t]) => ({
          currency_code,
          amount: fromMinor(t.minor, currencyDecimals(currency_code, CURRENCIES)),
          count: t.count,
        }));
        return { sales: list.map((s) => structuredClone(s)), today_paid };
      }),
    exportCsv: async (query, _path) => (await backend.history(query)).sales.length,
    saveSettings: (next) =>
      wait(() => {
        if (!next.shop_name.trim()) throw invalid({ shop_name: ['Enter the shop name customers will see.'] });
        settings = { ...next };
        return state();
      }),
    saveProfile: (input: ProfileInput) =>
      wait(() => {
        const fields: Record<string, string[]> = {};
        if (!input.name.trim()) fields['name'] = ['Give this connection a name.'];
        if (!/^https?:\/\/[^\s/]+/.test(input.base_url)) fields['base_url'] = ['Enter the address of your Ottu site, like https://shop.ottu.net.'];
        if (input.auth === 'basic' && !input.username?.trim()) fields['username'] = ['Enter the user name.'];
        const existing = input.id ? profiles.find((p) => p.id === input.id) : undefined;
        if (!input.secret && !existing?.secret_configured) {
          fields['secret'] = [input.auth === 'basic' ? 'Enter the password.' : 'Enter the API key.'];
        }
        if (Object.keys(fields).length > 0) throw invalid(fields);
        const profile: Profile = {
          id: existing?.id ?? `profile-${profiles.length + 1}`,
          name: input.name.trim(),
          kind: 'merchant',
          base_url: input.base_url.trim(),
          auth: input.auth,
          username: input.auth === 'basic' ? input.username?.trim() ?? null : null,
          secret_configured: true,
          default_currency: input.default_currency,
          default_pg_codes: [...input.default_pg_codes],
        };
        profiles = existing ? profiles.map((p) => (p.id === profile.id ? profile : p)) : [...profiles, profile];
        return structuredClone(profile);
      }),
    useProfile: (id) =>
      wait(() => {
        if (!profiles.some((p) => p.id === id)) throw failure('not_found', 'That connection was removed.');
        activeId = id;
        return state();
      }),
    deleteProfile: (id) =>
      wait(() => {
        if (id === demo.id) throw failure('invalid_input', 'The demo connection cannot be removed.');
        profiles = profiles.filter((p) => p.id !== id);
        if (activeId === id) activeId = demo.id;
        return state();
      }),
    testConnection: (input) =>
      wait((): ConnectionCheck => {
        if (!/^https?:\/\//.test(input.base_url) || input.base_url.includes('invalid')) {
          return { ok: false, kind: 'bad_host', message: 'Could not reach this address. Check the spelling of the host.' };
        }
        if (input.secret === 'wrong') {
          return { ok: false, kind: 'bad_credentials', message: 'Ottu refused the key. Copy it again from the dashboard.' };
        }
        return { ok: true, kind: 'ok', message: 'Connected. Payment requests can be created.' };
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
      }),
    onSaleUpdated: async (handler): Promise<Unlisten> => {
      listeners.add(handler);
      return () => listeners.delete(handler);
    },
    openExternal: (url) => wait(() => void calls.opened.push(url)),
    copyText: async (text) => {
      calls.copied.push(text);
      await navigator.clipboard?.writeText(text).catch(() => undefined);
    },
    notify: (title, body) => wait(() => void calls.notified.push(`${title}: ${body}`)),
    pickSavePath: (defaultName) => wait(() => `/tmp/${defaultName}`),
    pickAttachment: () => wait(() => '/home/cashier/Documents/invoice-1042.pdf'),
    log: () => undefined,

    simulate(id, next) {
      const sale = find(id);
      setState(sale, next);
      return structuredClone(sale);
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
        const draft: SaleDraft = { amount, currency_code: currency, customer_name: name, customer_phone: name ? '+965 5000 1234' : undefined };
        const sale = makeSale(draft, amount, created, st);
        sales.set(sale.id, sale);
      }
    },
  };
  return backend;
}
