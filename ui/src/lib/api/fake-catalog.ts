// The fake backend's catalog and cart: pos-core's catalog (catalog.rs: validation, unique codes
// across SKU and barcode, compare-and-set on `version`, folded search) and cart arithmetic
// (cart.rs: discounts as amounts, the whole-sale discount spread by largest remainder, pre-tax
// prices found for tax-inclusive shelf prices, Ottu's ROUND_HALF_UP at every step), in memory,
// in bigint minor units.
import type { Action } from '../roles';
import type { CartInput, CartTotals, CatalogImport, CatalogItem, CatalogItemInput, CatalogQuery, CommandError, CsvExport, Problem, VatTotal } from './types';
import { currencyDecimals, fromMinor } from '../format/money';
import { failure, invalid, invalidField, problem, type Fields } from './fake-problems';

const VAT_RATES = [0, 5, 10, 15];
const MAX_TEXT = 255;
const MAX_LINES = 200;

/** A plain decimal string as units of `scale` decimals, or null (sign, exponent, too many decimals). */
function units(text: string, scale: number): bigint | null {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return null;
  const frac = m[2] ?? '';
  if (frac.replace(/0+$/, '').length > scale) return null;
  return BigInt(m[1] + frac.slice(0, scale).padEnd(scale, '0'));
}

/** pos-core's cart `decimal`: digits with at most one point. */
const isNumber = (text: string): boolean => /^\d*\.?\d*$/.test(text.trim()) && /\d/.test(text);

/** pos-core's catalog price check: too many decimals for the currency, or not a price. */
function priceProblem(text: string, currency: string, decimals: number): Problem {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return problem('price_invalid');
  if (decimals === 0) return problem('amount_no_decimals', { currency });
  return problem('amount_too_many_decimals', { currency, decimals, example: `12.5${'0'.repeat(decimals - 1)}` });
}

/** `list[i]`, which the caller knows exists. */
const at = <T>(list: readonly T[], i: number): T => list[i] as T;
const halfUp = (num: bigint, den: bigint): bigint => (2n * num + den) / (2n * den);
const abs = (v: bigint): bigint => (v < 0n ? -v : v);

/** pos-core's catalog::fold. */
export function fold(text: string): string {
  let out = '';
  for (const c of text.toLowerCase()) {
    const code = c.codePointAt(0) ?? 0;
    if ((code >= 0x64b && code <= 0x65f) || code === 0x670 || code === 0x640) continue;
    if ('أإآٱ'.includes(c)) out += 'ا';
    else if (c === 'ى') out += 'ي';
    else if (c === 'ة') out += 'ه';
    else if (code >= 0xe0 && code <= 0xff) out += c.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    else out += c;
  }
  return out;
}

/** An item's fields as pos-core's catalog::validate answers them. */
type ValidItem = Omit<CatalogItem, 'id' | 'archived' | 'version' | 'created_at' | 'updated_at'>;

/** The CSV columns, in the order pos-core's export writes them (catalog/csv_io.rs). */
const CSV_COLUMNS = ['sku', 'barcode', 'name_en', 'name_ar', 'price', 'currency_code', 'vat_rate', 'category', 'favourite', 'archived'];
const CSV_REQUIRED = ['sku', 'name_en', 'price', 'currency_code'];

/** RFC 4180 records (quoted cells, doubled quotes, CRLF or LF), as the `csv` crate reads them. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (quoted) {
      if (c === '"' && text.charAt(i + 1) === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text.charAt(i + 1) === '\n') i++;
      row.push(cell);
      rows.push(row);
      (row = []), (cell = '');
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

const csvCell = (v: string): string => {
  const guarded = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
};
const unguard = (v: string): string => (/^'[=+\-@\t\r]/.test(v) ? v.slice(1) : v);
const csvFlag = (v: string): boolean | null =>
  ['', 'false', 'no', '0'].includes(v.trim().toLowerCase()) ? false : ['true', 'yes', '1'].includes(v.trim().toLowerCase()) ? true : null;

/** pos-core's catalog::validate: every problem by field, or the trimmed, normalised item. */
function validate(input: CatalogItemInput): { fields: Fields; valid: ValidItem | null } {
  const fields: Fields = {};
  const add = (f: string, p: Problem) => (fields[f] ??= []).push(p);
  const text = (f: string, v: string | null | undefined, required: boolean): string | null => {
    const t = (v ?? '').trim();
    if (!t) {
      if (required) add(f, problem('field_required'));
      return null;
    }
    if ([...t].length > MAX_TEXT) add(f, problem('too_long', { max: MAX_TEXT }));
    else if ((f === 'sku' || f === 'barcode') && /\s/.test(t)) add(f, problem('catalog_code_has_space'));
    return t;
  };
  const sku = text('sku', input.sku, true);
  const barcode = text('barcode', input.barcode, false);
  const nameEn = text('name_en', input.name_en, true);
  const nameAr = text('name_ar', input.name_ar, false);
  const category = text('category', input.category, false);
  const currency = input.currency_code.trim().toUpperCase();
  const currencyOk = /^[A-Z]{3}$/.test(currency);
  if (!currencyOk) add('currency_code', problem('currency_invalid'));
  const d = currencyDecimals(currency);
  const price = units(input.price, d);
  if (currencyOk && price === null) add('price', priceProblem(input.price, currency, d));
  if (!VAT_RATES.includes(input.vat_rate)) add('vat_rate', problem('vat_rate_invalid'));
  if (Object.keys(fields).length > 0 || price === null || sku === null || nameEn === null) return { fields, valid: null };
  return { fields, valid: { sku, barcode, name_en: nameEn, name_ar: nameAr, price: fromMinor(price, d), currency_code: currency, vat_rate: input.vat_rate, category, favourite: input.favourite ?? false } };
}

export function fakeCatalog(authorize: (action: Action) => unknown, pricesIncludeTax: () => boolean) {
  let items: CatalogItem[] = [];
  /** What the next open dialog answers: a CSV file's text, or null (cancelled). */
  let chosenFile: string | null = null;
  /** What the last export wrote. */
  let exported: string | null = null;
  let next = 1;
  const now = () => new Date().toISOString();
  const byId = (id: string): CatalogItem => {
    const found = items.find((i) => i.id === id);
    if (!found) throw failure('not_found', problem('catalog_item_not_found', { id }));
    return found;
  };
  const stale = (id: string): CommandError => failure('invalid_input', problem('catalog_item_changed', { item: id }));

  const commands = {
    catalogSearch: async (query: CatalogQuery): Promise<CatalogItem[]> => {
      authorize('create_sale');
      const text = query.text?.trim() ?? '';
      const folded = fold(text);
      const exact = (i: CatalogItem) => text !== '' && (i.sku === text || i.barcode === text);
      return items
        .filter((i) => query.include_archived === true || !i.archived)
        .filter((i) => query.category === undefined || query.category === null || i.category === query.category)
        .filter((i) => query.favourites !== true || i.favourite)
        .filter((i) => text === '' || exact(i) || [i.name_en, i.name_ar ?? ''].some((n) => n !== '' && fold(n).includes(folded)))
        .sort(
          (a, b) =>
            Number(exact(b)) - Number(exact(a)) ||
            Number(b.favourite) - Number(a.favourite) ||
            a.name_en.toLowerCase().localeCompare(b.name_en.toLowerCase()) ||
            a.sku.localeCompare(b.sku),
        )
        .slice(0, query.limit ?? 200);
    },
    catalogLookup: async (code: string): Promise<CatalogItem | null> => {
      authorize('create_sale');
      const c = code.trim();
      if (!c) return null;
      return items.find((i) => i.barcode === c) ?? items.find((i) => i.sku === c) ?? null;
    },
    saveCatalogItem: async (input: CatalogItemInput): Promise<CatalogItem> => {
      authorize('manage_catalog');
      const { fields, valid } = validate(input);
      if (!valid) throw invalid(fields);
      const { sku, barcode } = valid;
      const id = input.id ?? `item_${String(next++).padStart(16, '0')}`;
      for (const [f, code] of [['sku', sku], ['barcode', barcode]] as const) {
        const other = code && items.find((i) => i.id !== id && (i.sku === code || i.barcode === code));
        if (other) throw invalidField(f, problem('catalog_code_taken', { code, other: other.sku }));
      }
      const stamp = now();
      let saved: CatalogItem;
      if (input.id !== undefined && input.id !== null) {
        const current = byId(input.id);
        if (input.version === undefined || input.version === null) throw invalidField('version', problem('catalog_version_needed'));
        if (current.version !== input.version) throw stale(input.id);
        saved = { ...current, ...valid, version: current.version + 1, updated_at: stamp };
        items = items.map((i) => (i.id === id ? saved : i));
      } else {
        saved = { id, ...valid, archived: false, version: 1, created_at: stamp, updated_at: stamp };
        items = [...items, saved];
      }
      return saved;
    },
    archiveCatalogItem: async (id: string, version: number, archived: boolean): Promise<CatalogItem> => {
      authorize('manage_catalog');
      const current = byId(id);
      if (current.version !== version) throw stale(id);
      const saved = { ...current, archived, version: version + 1, updated_at: now() };
      items = items.map((i) => (i.id === id ? saved : i));
      return saved;
    },
    importCatalogCsv: async (): Promise<CatalogImport | null> => {
      authorize('manage_catalog');
      if (chosenFile === null) return null;
      return importCsv(chosenFile);
    },
    exportCatalogCsv: async (): Promise<CsvExport | null> => {
      authorize('manage_catalog');
      const all = [...items].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
      const lines = all.map((i) =>
        [i.sku, i.barcode ?? '', i.name_en, i.name_ar ?? '', i.price, i.currency_code, String(i.vat_rate), i.category ?? '', String(i.favourite), String(i.archived)]
          .map(csvCell)
          .join(','),
      );
      exported = [CSV_COLUMNS.join(','), ...lines].join('\n') + '\n';
      return { path: '/home/shop/ottu-catalog.csv', rows: all.length };
    },
    priceCart: async (cart: CartInput): Promise<CartTotals> => {
      authorize('create_sale');
      return priceCart(cart, pricesIncludeTax(), (id) => byId(id));
    },
  };
  /** pos-core's Catalog::import_csv: every problem by row, and nothing written if there is one. */
  function importCsv(text: string): CatalogImport {
    const report: CatalogImport = { applied: false, added: 0, updated: 0, problems: [] };
    const [header = [], ...records] = parseCsv(text);
    const index = new Map<string, number>();
    header.forEach((raw, i) => {
      const name = raw.trim().replace(/^\uFEFF/, '');
      if (CSV_COLUMNS.includes(name)) index.set(name, i);
      else report.problems.push({ row: 1, field: name, problem: problem('csv_unknown_column', { columns: CSV_COLUMNS.join(', ') }) });
    });
    for (const r of CSV_REQUIRED) {
      if (!index.has(r)) report.problems.push({ row: 1, field: r, problem: problem('csv_column_missing') });
    }
    if (report.problems.length > 0) return report;
    const seen = new Map<string, number>();
    const writes: { valid: ValidItem; archived: boolean; row: number }[] = [];
    records.forEach((record, n) => {
      const row = n + 2;
      const cell = (name: string) => unguard(record[index.get(name) ?? -1] ?? '');
      const opt = (name: string) => (cell(name).trim() === '' ? undefined : cell(name));
      const found: { field: string; problem: Problem }[] = [];
      const vat = cell('vat_rate').trim().replace(/%$/, '').trim();
      const vatRate = vat === '' ? 0 : /^\d+$/.test(vat) ? Number(vat) : 255;
      const flags = ['favourite', 'archived'].map((name) => {
        const v = csvFlag(cell(name));
        if (v === null) found.push({ field: name, problem: problem('csv_flag_invalid') });
        return v ?? false;
      });
      const { fields, valid } = validate({
        sku: cell('sku'),
        barcode: opt('barcode'),
        name_en: cell('name_en'),
        name_ar: opt('name_ar'),
        price: cell('price'),
        currency_code: cell('currency_code').trim().toUpperCase(),
        vat_rate: vatRate,
        category: opt('category'),
        favourite: flags[0] ?? false,
      });
      for (const [field, problems] of Object.entries(fields)) for (const p of problems) found.push({ field, problem: p });
      report.problems.push(...found.map((f) => ({ row, ...f })));
      if (!valid || found.length > 0) return;
      let clash = false;
      for (const [field, code] of [['sku', valid.sku], ['barcode', valid.barcode]] as const) {
        if (!code) continue;
        const first = seen.get(code);
        if (first !== undefined) {
          clash = true;
          report.problems.push({ row, field, problem: problem('csv_duplicate_in_file', { code, row: first }) });
        } else seen.set(code, row);
      }
      if (!clash) writes.push({ valid, archived: flags[1] ?? false, row });
    });
    if (report.problems.length > 0) return report;
    // One transaction in file order: the first code another item holds stops it all (the store).
    const stamp = now();
    let after = items;
    for (const w of writes) {
      const current = after.find((i) => i.sku === w.valid.sku);
      const saved: CatalogItem = current
        ? { ...current, ...w.valid, archived: w.archived, version: current.version + 1, updated_at: stamp }
        : { id: `item_${String(next++).padStart(16, '0')}`, ...w.valid, archived: w.archived, version: 1, created_at: stamp, updated_at: stamp };
      for (const [field, code] of [['sku', saved.sku], ['barcode', saved.barcode]] as const) {
        const other = code && after.find((i) => i.id !== saved.id && (i.sku === code || i.barcode === code));
        if (other) {
          report.problems.push({ row: w.row, field, problem: problem('catalog_code_taken', { code, other: other.sku }) });
          return { ...report, added: 0, updated: 0 };
        }
      }
      after = current ? after.map((i) => (i.id === current.id ? saved : i)) : [...after, saved];
      if (current) report.updated++;
      else report.added++;
    }
    items = after;
    report.applied = true;
    return report;
  }

  /** The shell's dialogs, as the fake's tests and demo pages set them. */
  const files = {
    /** The next import's file (its text), or null: the dialog is cancelled. */
    choose: (text: string | null) => void (chosenFile = text),
    /** What the last export wrote. */
    exported: () => exported,
  };

  /** The cart of an itemised sale, priced (pos-core's `Sales::price_cart`; the caller authorized). */
  const price = (cart: CartInput): CartTotals => priceCart(cart, pricesIncludeTax(), (id) => byId(id));
  /** An item's Arabic name for a receipt (`null`: none, or no such item any more). */
  const arabicName = (id: string): string | null => items.find((i) => i.id === id)?.name_ar ?? null;
  return { commands, price, files, arabicName };
}

/** pos-core's CartInput::resolve + Cart::price + CartTotals::new. */
export function priceCart(cart: CartInput, inclusive: boolean, item: (id: string) => CatalogItem): CartTotals {
  const fields: Fields = {};
  const add = (f: string, p: Problem) => (fields[f] ??= []).push(p);
  const currency = cart.currency_code.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) add('currency_code', problem('currency_invalid'));
  const d = currencyDecimals(currency);
  type Disc = { percent: boolean; value: bigint } | null;
  const discount = (f: string, v: CartInput['discount']): Disc => {
    if (!v) return null;
    if (!isNumber(v.value)) {
      add(f, problem('number_invalid'));
      return null;
    }
    const value = units(v.value, v.kind === 'percent' ? 2 : d);
    if (value === null || (v.kind === 'percent' && value > 10000n)) {
      add(f, problem('cart_discount_invalid', { decimals: d }));
      return null;
    }
    return { percent: v.kind === 'percent', value };
  };
  const resolved = cart.lines.map((l, i) => {
    const f = (n: string) => `lines.${i}.${n}`;
    const quantity = l.quantity ?? '1';
    const qty = isNumber(quantity) ? units(quantity, 3) : null;
    if (!isNumber(quantity)) add(f('quantity'), problem('number_invalid'));
    else if (qty === null || qty === 0n || qty >= 1_000_000_000n) add(f('quantity'), problem('cart_quantity_invalid'));
    let sku = 'CUSTOM';
    let description = l.name?.trim() || 'Custom amount';
    let vat = l.vat_rate ?? 0;
    let price = l.unit_price === undefined || l.unit_price === null ? null : units(l.unit_price, d);
    if (l.unit_price !== undefined && l.unit_price !== null && price === null) {
      add(f('unit_price'), isNumber(l.unit_price) ? problem('cart_price_invalid', { decimals: d }) : problem('number_invalid'));
    }
    if (l.item_id) {
      let it: CatalogItem;
      try {
        it = item(l.item_id);
      } catch (e) {
        add(f('item_id'), (e as CommandError).problem);
        return null;
      }
      if (it.archived) add(f('item_id'), problem('catalog_item_archived', { item: it.name_en }));
      if (it.currency_code !== currency) {
        add(f('item_id'), problem('catalog_item_other_currency', { item: it.name_en, item_currency: it.currency_code, currency: cart.currency_code }));
      }
      sku = it.sku;
      description = it.name_en;
      vat = l.vat_rate ?? it.vat_rate;
      price ??= units(it.price, d);
    } else if (l.unit_price === undefined || l.unit_price === null) {
      add(f('unit_price'), problem('amount_empty'));
    }
    if (!VAT_RATES.includes(vat)) add(f('vat_rate'), problem('vat_rate_invalid'));
    return { item_id: l.item_id ?? null, sku, description, qty: qty ?? 0n, price: price ?? 0n, vat, disc: discount(f('discount'), l.discount) };
  });
  const saleDisc = discount('discount', cart.discount);
  if (Object.keys(fields).length > 0) throw invalid(fields);
  const lines = resolved.filter((l) => l !== null);
  if (lines.length === 0) add('lines', problem('cart_empty'));
  else if (lines.length > MAX_LINES) add('lines', problem('cart_too_many_lines', { max: MAX_LINES }));
  if (Object.keys(fields).length > 0) throw invalid(fields);

  const gross = lines.map((l) => halfUp(l.qty * l.price, 1000n));
  const lineDisc = lines.map((l, i) => (l.disc === null ? 0n : l.disc.percent ? halfUp(at(gross, i) * l.disc.value, 10000n) : l.disc.value));
  lineDisc.forEach((x, i) => x > at(gross, i) && add(`lines.${i}.discount`, problem('cart_line_discount_too_large')));
  if (Object.keys(fields).length > 0) throw invalid(fields);
  const after = gross.map((g, i) => g - at(lineDisc, i));
  const afterSum = after.reduce((a, b) => a + b, 0n);
  const sale = saleDisc === null ? 0n : saleDisc.percent ? halfUp(afterSum * saleDisc.value, 10000n) : saleDisc.value;
  if (sale > afterSum) throw invalid({ discount: [problem('cart_discount_too_large')] });
  // Largest remainder: exact sum, ties to the earlier line.
  const shares = after.map((a) => (afterSum > 0n ? (sale * a) / afterSum : 0n));
  let left = sale - shares.reduce((a, b) => a + b, 0n);
  const order = after.map((_, i) => i).sort((a, b) => {
    const ra = afterSum > 0n ? (sale * at(after, a)) % afterSum : 0n;
    const rb = afterSum > 0n ? (sale * at(after, b)) % afterSum : 0n;
    return rb > ra ? 1 : rb < ra ? -1 : a - b;
  });
  for (const i of order) {
    if (left <= 0n) break;
    shares[i] = at(shares, i) + 1n;
    left -= 1n;
  }
  const ottuLine = (qty: bigint, unit: bigint, disc: bigint, vat: number) => {
    const qp = halfUp(qty * unit, 1000n);
    const excl = qp - disc;
    const tax = halfUp(excl * BigInt(vat), 100n);
    return { qp, excl, tax, incl: excl + tax };
  };
  const priced = lines.map((l, i) => {
    const share = at(shares, i);
    const disc = at(lineDisc, i) + share;
    const shelf = at(after, i) - share;
    const r = BigInt(100 + l.vat);
    let unit = l.price;
    let discExcl = disc;
    if (inclusive) {
      const start = halfUp(l.price * 100n, r);
      let best: [bigint, bigint] | null = null;
      for (let k = -4n; k <= 4n; k++) {
        const u = start + k;
        if (u < 0n) continue;
        const gap = abs(ottuLine(l.qty, u, 0n, l.vat).incl - at(gross, i));
        if (best === null || gap < best[0] || (gap === best[0] && u < best[1])) best = [gap, u];
      }
      unit = best ? best[1] : 0n;
      const qp = halfUp(l.qty * unit, 1000n);
      discExcl = 0n;
      if (disc !== 0n) {
        const e0 = halfUp(shelf * 100n, r);
        let bestE: [bigint, bigint] | null = null;
        for (let k = -4n; k <= 4n; k++) {
          const e = e0 + k;
          if (e < 0n || e > qp) continue;
          const gap = abs(e + halfUp(e * BigInt(l.vat), 100n) - shelf);
          if (bestE === null || gap < bestE[0] || (gap === bestE[0] && e > bestE[1])) bestE = [gap, e];
        }
        discExcl = bestE ? qp - bestE[1] : 0n;
      }
    }
    return { unit, discExcl, shelf, share, ottu: ottuLine(l.qty, unit, discExcl, l.vat) };
  });
  const total = priced.reduce((a, p) => a + p.ottu.incl, 0n);
  if (total <= 0n) throw invalid({ lines: [problem('cart_total_not_positive')] });
  const s = (v: bigint) => fromMinor(v, d);
  const vat: VatTotal[] = VAT_RATES.flatMap((rate) => {
    const atRate = priced.filter((_, i) => at(lines, i).vat === rate);
    if (atRate.length === 0) return [];
    return [{ rate, taxable: s(atRate.reduce((a, p) => a + p.ottu.excl, 0n)), tax: s(atRate.reduce((a, p) => a + p.ottu.tax, 0n)) }];
  });
  const shelfTotal = priced.reduce((a, p) => a + p.shelf, 0n);
  return {
    currency_code: currency,
    prices_include_tax: inclusive,
    lines: lines.map((l, i) => ({
      item_id: l.item_id,
      sku: l.sku,
      description: l.description,
      quantity: fromMinor(l.qty, 3).replace(/\.?0+$/, ''),
      vat_rate: l.vat,
      shelf_unit_price: s(l.price),
      line_discount: s(at(lineDisc, i)),
      sale_discount_share: s(at(priced, i).share),
      shelf_total: s(at(priced, i).shelf),
      unit_price_excl_tax: s(at(priced, i).unit),
      discount_excl_tax: s(at(priced, i).discExcl),
      total_excl_tax: s(at(priced, i).ottu.excl),
      tax_amount: s(at(priced, i).ottu.tax),
      total_incl_tax: s(at(priced, i).ottu.incl),
    })),
    sale_discount: s(sale),
    shelf_total: s(shelfTotal),
    total_excl_tax: s(priced.reduce((a, p) => a + p.ottu.excl, 0n)),
    tax_amount: s(priced.reduce((a, p) => a + p.ottu.tax, 0n)),
    vat,
    total: s(total),
    matches_shelf: !inclusive || total === shelfTotal,
  };
}
