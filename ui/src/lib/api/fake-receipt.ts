// pos-core's receipt::build for the in-memory backend: a paid sale's receipt, with the Saudi
// simplified-tax-invoice QR (zatca.rs: five TLV fields, base64) for SAR sales.
import type { Language, Problem, Receipt, ReceiptLine, Sale } from './bindings';
import { fromMinor, toMinor } from '../format/money';
import { problem } from './fake-problems';

/** pos-core's CUSTOM_LINE_NAME and its Arabic. */
const CUSTOM_NAME: Record<Language, string> = { en: 'Custom amount', ar: 'مبلغ مخصص' };

/** pos-core's zatca::SimplifiedInvoice::qr_payload. */
export function zatcaPayload(fields: readonly string[]): string {
  const bytes: number[] = [];
  fields.forEach((value, i) => {
    const encoded = new TextEncoder().encode(value);
    bytes.push(i + 1, encoded.length, ...encoded);
  });
  return btoa(String.fromCharCode(...bytes));
}

/** `2026-12-03T21:00:00.250Z` → `2026-12-03T21:00:00Z`. */
function zatcaTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 19)}Z`;
}

/** The shop's wall clock, `YYYY-MM-DD HH:MM:SS` (pos-core's history::local_time). */
function localTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export interface ReceiptContext {
  language: Language;
  shopName: string;
  vatNumber: string | null;
  decimals: number;
  arabicName: (itemId: string) => string | null;
  qrSvg: (text: string) => string;
}

/** The receipt of `sale`, or the problem why it has none. */
export function fakeReceipt(sale: Sale, ctx: ReceiptContext): Receipt | Problem {
  if (sale.state !== 'paid' && sale.state !== 'refunded') return problem('receipt_not_paid', { state: sale.state });
  const d = ctx.decimals;
  const money = (minor: bigint) => fromMinor(minor, d);
  const zero = money(0n);
  const custom = CUSTOM_NAME[ctx.language];
  let lines: ReceiptLine[];
  let saleDiscount = zero;
  let subtotal = sale.amount;
  let vat: Receipt['vat'] = [];
  let vatTotal = zero;
  let total = sale.amount;
  let inclusive = false;
  if (sale.cart) {
    const cart = sale.cart;
    lines = cart.lines.map((l) => ({
      name:
        ctx.language === 'ar'
          ? l.item_id
            ? (ctx.arabicName(l.item_id) ?? l.description)
            : l.description === CUSTOM_NAME.en
              ? custom
              : l.description
          : l.description,
      quantity: l.quantity,
      unit_price: l.shelf_unit_price,
      line_discount: l.line_discount,
      amount: money(toMinor(l.shelf_total, d) + toMinor(l.sale_discount_share, d)),
      vat_rate: l.vat_rate,
    }));
    saleDiscount = cart.sale_discount;
    subtotal = cart.total_excl_tax;
    vat = structuredClone(cart.vat);
    vatTotal = cart.tax_amount;
    total = cart.total;
    inclusive = cart.prices_include_tax;
  } else {
    lines = [{ name: custom, quantity: '1', unit_price: sale.amount, line_discount: zero, amount: sale.amount, vat_rate: 0 }];
  }
  const refunds = sale.operations
    .filter((o) => o.kind === 'refund' && o.state === 'done' && (o.result_amount ?? o.amount) !== null)
    .map((o) => ({
      amount: money(toMinor(o.result_amount ?? o.amount ?? '0', d)),
      at: o.updated_at,
      at_local: localTime(o.updated_at),
      reference: o.reference_number,
    }));
  const refunded = refunds.reduce((sum, r) => sum + toMinor(r.amount, d), 0n);
  const paidAt = sale.paid_at ?? sale.updated_at;
  const vatNumber = ctx.vatNumber?.trim() || null;
  let taxQr: Receipt['tax_qr'] = null;
  let taxQrProblem: Problem | null = null;
  if (sale.currency_code === 'SAR') {
    if (vatNumber === null) taxQrProblem = problem('receipt_vat_number_missing');
    else {
      const payload = zatcaPayload([ctx.shopName, vatNumber, zatcaTime(paidAt), total, vatTotal]);
      taxQr = { payload, svg: ctx.qrSvg(payload) };
    }
  }
  return {
    sale_id: sale.id,
    language: ctx.language,
    shop_name: ctx.shopName,
    vat_number: vatNumber,
    currency_code: sale.currency_code,
    lines,
    sale_discount: saleDiscount,
    subtotal,
    vat,
    vat_total: vatTotal,
    total,
    prices_include_tax: inclusive,
    refunds,
    net_total: money(toMinor(total, d) - refunded),
    ottu_reference: sale.session_id,
    order_no: sale.order_no,
    invoice_link: sale.link,
    staff: sale.created_by,
    paid_at: paidAt,
    paid_at_local: localTime(paidAt),
    tax_qr: taxQr,
    tax_qr_problem: taxQrProblem,
  };
}
