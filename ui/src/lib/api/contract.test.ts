// The UI contract: replays the transcripts pos-core records from a real `Till` in demo mode
// (crates/pos-core/tests/sales/contract.rs, written to ./contract/*.json) against the in-memory
// fake backend, and fails on any difference, naming the scenario, the step and the field.
//
// Both sides normalise results the same way (see contract.rs for the rules): sale ids, session
// ids, short links and generated order numbers become `<sale:N>`, `<session:N>`, `<link:N>`,
// `<order:N>`, the demo's
// address `<demo>` (as is or percent-encoded, wherever they occur); timestamps become `<now>` /
// `<now+Nm>`; `qr_svg` → `<svg>`, `version` → `<version>`, a connection check's `message` →
// `<text>`. Errors are compared by their codes, problem codes and fields (not their words). Arguments carry the same
// placeholders (plus `<today>`, `<yesterday>`, `<tmp>`), resolved to the fake's own values.
//
// When this fails, fix fake.ts so it does what pos-core does. When pos-core changed on purpose,
// the transcripts are rewritten with
//   UPDATE_CONTRACT=1 cargo test -p pos-core --test sales contract
import { describe, expect, it } from 'vitest';
import { createFakeBackend, type FakeBackend } from './fake';
import { localDay, today } from '../format/dates';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface Step {
  command: string;
  args: Record<string, Json>;
  ok?: Json;
  error?: ErrorOutcome;
}

interface Transcript {
  scenario: string;
  description: string;
  steps: Step[];
}

/**
 * Steps whose outcome the fake cannot reproduce, each with its reason: their differences are not
 * reported. Keep this list short: every other difference is a bug in the fake (or a change in
 * pos-core that the fake has to follow).
 */
const ALLOWED: Array<{ scenario: string; step: (step: Step) => boolean; why: string }> = [
  {
    scenario: 'new_sale_field_errors',
    step: (s) => s.command === 'create_sale' && JSON.stringify(s.args).includes('no-such-invoice.pdf'),
    why: 'the core refuses an attachment it cannot read; the fake has no disk and takes any file with an accepted name',
  },
];

const transcripts = import.meta.glob<Transcript>('./contract/*.json', { eager: true, import: 'default' });

// ----- normalisation (the same rules as contract.rs) -----

class Tokens {
  readonly byValue = new Map<string, string>();
  private readonly counts = new Map<string, number>();

  register(kind: string, value: string): void {
    if (!value || this.byValue.has(value)) return;
    const count = (this.counts.get(kind) ?? 0) + 1;
    this.counts.set(kind, count);
    this.byValue.set(value, `<${kind}:${count}>`);
  }

  registerNamed(token: string, value: string): void {
    if (value && !this.byValue.has(value)) this.byValue.set(value, token);
  }

  resolve(text: string): string {
    let out = text;
    for (const [value, token] of this.byValue) out = out.split(token).join(value);
    return out;
  }

  replace(text: string): string {
    const pairs = [...this.byValue].sort(
      ([a], [b]) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0),
    );
    let out = text;
    for (const [value, token] of pairs) {
      out = out.split(value).join(token);
      const encoded = encodeStrict(value);
      if (encoded !== value) out = out.split(encoded).join(token);
    }
    return out;
  }
}

/** Percent-encodes every byte but RFC 3986's unreserved characters (pos_core::share::encode). */
function encodeStrict(value: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(value)) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const TIME_KEYS = new Set([
  'created_at',
  'updated_at',
  'paid_at',
  'expires_at',
  'watch_until',
  'next_check_at',
]);
const GENERATED_ORDER_NO = /^POS-(?:(?=[A-Z0-9]*[A-Z])[A-Z0-9]{1,8}-)?\d{8}-[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{6}$/;

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function registerSales(value: Json, tokens: Tokens): void {
  if (Array.isArray(value)) {
    for (const item of value) registerSales(item, tokens);
  } else if (isObject(value)) {
    if ('session_id' in value) {
      if (typeof value['id'] === 'string') tokens.register('sale', value['id']);
      if (typeof value['session_id'] === 'string') tokens.register('session', value['session_id']);
      if (typeof value['short_url'] === 'string') tokens.register('link', value['short_url']);
      const order = value['order_no'];
      if (typeof order === 'string' && GENERATED_ORDER_NO.test(order)) tokens.register('order', order);
    }
    // A catalog item.
    if ('sku' in value && typeof value['id'] === 'string') tokens.register('item', value['id']);
    // An operation's child transaction on Ottu.
    if ('kind' in value && typeof value['reference_number'] === 'string') {
      tokens.register('ref', value['reference_number']);
    }
    for (const key of Object.keys(value).sort()) registerSales(value[key] as Json, tokens);
  }
}

function timeToken(text: string, now: number): string {
  const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
  const time = Date.parse(text);
  if (!rfc3339.test(text) || Number.isNaN(time)) return text;
  const minutes = Math.round((time - now) / 60_000);
  if (minutes === 0) return '<now>';
  return minutes > 0 ? `<now+${minutes}m>` : `<now${minutes}m>`;
}

function normalize(value: Json, key: string | null, tokens: Tokens, now: number): Json {
  if (typeof value === 'string') {
    if (key !== null && TIME_KEYS.has(key)) return timeToken(value, now);
    if (key === 'qr_svg' && value.startsWith('<svg')) return '<svg>';
    // The shop's wall clock depends on the machine's zone.
    if (key === 'paid_at_local' || key === 'at_local') return '<local time>';
    if (key === 'version') return '<version>';
    return tokens.replace(value);
  }
  if (Array.isArray(value)) return value.map((v) => normalize(v, null, tokens, now));
  if (isObject(value)) {
    const connectionCheck = 'kind' in value && 'ok' in value;
    const out: { [key: string]: Json } = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = connectionCheck && k === 'message' ? '<text>' : normalize(v, k, tokens, now);
    }
    return out;
  }
  return value;
}

function resolveArgs(value: Json, tokens: Tokens): Json {
  if (typeof value === 'string') return tokens.resolve(value);
  if (Array.isArray(value)) return value.map((v) => resolveArgs(v, tokens));
  if (isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveArgs(v, tokens)]));
  }
  return value;
}

// ----- running a step on the fake -----

function call(api: FakeBackend, command: string, args: Record<string, any>): Promise<unknown> {
  switch (command) {
    case 'app_state':
      return api.appState();
    case 'gateways':
      return api.gateways(args.currency);
    case 'create_sale':
      return api.createSale(args.draft);
    case 'get_sale':
      return api.getSale(args.id);
    case 'edit_sale':
      return api.editSale(args.id, args.edit);
    case 'cancel_sale':
      return api.cancelSale(args.id);
    case 'share_links':
      return api.shareLinks(args.id);
    case 'history':
      return api.history(args.query);
    case 'export_csv':
      // The core writes to the path it is given; over IPC the shell picks it, so the fake takes
      // none and answers where it "wrote": the row count is the contract.
      return api.exportCsv(args.query).then((done) => done?.rows ?? null);
    case 'save_settings':
      return api.saveSettings(args.settings);
    case 'save_profile':
      return api.saveProfile(args.profile);
    case 'use_profile':
      return api.useProfile(args.id);
    case 'delete_profile':
      return api.deleteProfile(args.id);
    case 'test_connection':
      return api.testConnection(args.profile);
    case 'unlock':
      return api.unlock(args.pin);
    case 'lock':
      return api.lock();
    case 'staff_list':
      return api.staffList();
    case 'save_staff':
      return api.saveStaff(args.staff);
    case 'delete_staff':
      return api.deleteStaff(args.id);
    case 'operate_sale':
      return api.operateSale(args.input);
    case 'sale_receipt':
      return api.saleReceipt(args.id, args.language);
    case 'catalog_search':
      return api.catalogSearch(args.query);
    case 'catalog_lookup':
      return api.catalogLookup(args.code);
    case 'save_catalog_item':
      return api.saveCatalogItem(args.item);
    case 'archive_catalog_item':
      return api.archiveCatalogItem(args.id, args.version, args.archived);
    case 'price_cart':
      return api.priceCart(args.cart);
    // The customer's side, played on the real demo sandbox by contract.rs.
    case 'sandbox_open':
      return Promise.resolve(api.simulate(args.id, 'pending'));
    case 'sandbox_pay':
      return Promise.resolve(api.simulate(args.id, 'paid'));
    case 'sandbox_decline':
      return Promise.resolve(api.simulate(args.id, 'attempted'));
    case 'sandbox_fail':
      return Promise.resolve(api.simulate(args.id, 'failed'));
    default:
      throw new Error(`unknown command ${command}`);
  }
}

interface ErrorOutcome {
  code: string;
  problem: string;
  fields: string[];
  problems: Record<string, string[]>;
}

type Outcome = { ok: Json } | { error: ErrorOutcome };

async function run(api: FakeBackend, command: string, args: Record<string, Json>): Promise<Outcome> {
  try {
    const result = await call(api, command, args);
    // Through JSON, as over IPC: `undefined` fields disappear, as they would in the shell.
    return { ok: JSON.parse(JSON.stringify(result ?? null)) as Json };
  } catch (thrown) {
    const error = thrown as { code?: unknown; problem?: { code?: string }; fields?: Record<string, Array<{ code?: string }>> };
    if (typeof error?.code !== 'string') throw thrown;
    const fields = error.fields ?? {};
    const problems: Record<string, string[]> = {};
    for (const [field, list] of Object.entries(fields)) problems[field] = list.map((p) => p.code ?? '?');
    return { error: { code: error.code, problem: error.problem?.code ?? '?', fields: Object.keys(fields).sort(), problems } };
  }
}

/** Every difference between `expected` (pos-core) and `actual` (the fake), as `path: …`. */
function differences(expected: Json | undefined, actual: Json | undefined, path: string): string[] {
  if (isObject(expected) && isObject(actual)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
    return keys.flatMap((k) => differences(expected[k], actual[k], `${path}.${k}`));
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const out = [];
    if (expected.length !== actual.length) {
      out.push(`${path}: pos-core has ${expected.length} items, the fake ${actual.length}`);
    }
    for (let i = 0; i < Math.min(expected.length, actual.length); i++) {
      out.push(...differences(expected[i], actual[i], `${path}[${i}]`));
    }
    return out;
  }
  if (JSON.stringify(expected) === JSON.stringify(actual)) return [];
  const show = (v: Json | undefined) => (v === undefined ? '(missing)' : JSON.stringify(v));
  return [`${path}: pos-core ${show(expected)}, the fake ${show(actual)}`];
}

async function replay(transcript: Transcript): Promise<string[]> {
  const api = createFakeBackend();
  const tokens = new Tokens();
  const yesterday = new Date();
  yesterday.setDate(yesterday.getDate() - 1);
  tokens.registerNamed('<today>', today());
  tokens.registerNamed('<yesterday>', localDay(yesterday));
  tokens.registerNamed('<tmp>', '/tmp');
  const problems: string[] = [];
  for (const [index, step] of transcript.steps.entries()) {
    const args = resolveArgs(step.args, tokens) as Record<string, Json>;
    const outcome = await run(api, step.command, args);
    const now = Date.now();
    const demo = (await api.appState()).profiles.find((p) => p.id === 'demo');
    tokens.registerNamed('<demo>', demo?.base_url ?? '');
    let actual: Outcome = outcome;
    if ('ok' in outcome) {
      registerSales(outcome.ok, tokens);
      actual = { ok: normalize(outcome.ok, null, tokens, now) };
    }
    const expected: Outcome = step.error !== undefined ? { error: step.error } : { ok: step.ok ?? null };
    if (ALLOWED.some((a) => a.scenario === transcript.scenario && a.step(step))) continue;
    const where = `${transcript.scenario} step ${index + 1} ${step.command}`;
    for (const difference of differences(expected as Json, actual as Json, '')) {
      problems.push(`${where} ${difference}`);
    }
  }
  return problems;
}

describe('the fake backend follows pos-core (contract transcripts)', () => {
  const entries = Object.entries(transcripts);

  it('has transcripts to replay', () => {
    expect(entries.length).toBeGreaterThan(0);
  });

  it('covers every command pos-core answers', () => {
    // `ui_ready` and `show_customer_display` are the shell's own; everything else is the till's.
    const commands = [
      'app_state', 'gateways', 'create_sale', 'get_sale', 'edit_sale', 'cancel_sale', 'share_links',
      'history', 'export_csv', 'save_settings', 'save_profile', 'use_profile', 'delete_profile',
      'test_connection', 'unlock', 'lock', 'staff_list', 'save_staff', 'delete_staff', 'operate_sale',
      'sale_receipt',
    ];
    const covered = new Set(entries.flatMap(([, t]) => t.steps.map((s) => s.command)));
    expect(commands.filter((c) => !covered.has(c))).toEqual([]);
  });

  it('allows only differences of steps that still exist', () => {
    for (const allowed of ALLOWED) {
      const transcript = entries.map(([, t]) => t).find((t) => t.scenario === allowed.scenario);
      expect(transcript?.steps.some(allowed.step), `${allowed.scenario}: ${allowed.why}`).toBe(true);
    }
  });

  for (const [file, transcript] of entries) {
    it(`${transcript.scenario} (${file})`, async () => {
      expect(await replay(transcript)).toEqual([]);
    });
  }
});
