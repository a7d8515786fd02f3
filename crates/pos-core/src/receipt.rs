//! The customer's receipt of a paid sale: what the UI shows and prints, and the CLI's plain text.
//!
//! [`build`] is a pure function of the sale (as `get_sale` answers it, with its operations), the
//! shop's settings and the catalog's Arabic names; the till reads those and calls it
//! (`Till::sale_receipt`). Only a sale that was paid has a receipt (`paid`, or `refunded`; a
//! partly refunded sale stays `paid`): its refunds are listed and the amount kept is shown.
//!
//! - An itemised sale's lines, discounts and VAT are the ones stored with the sale
//!   (`Sale.cart`, priced as Ottu's invoice), so the receipt repeats what was charged. A line's
//!   name is the catalog's Arabic name on an Arabic receipt when the item has one.
//! - A typed-amount sale is one line, "Custom amount", with no VAT.
//! - A sale in SAR carries the Saudi simplified-tax-invoice QR ([`crate::zatca`]): the shop's
//!   name, its VAT number, the payment's time (UTC, ISO 8601), the total and the VAT. Without a
//!   VAT number in the settings the receipt still shows, with the problem
//!   `receipt_vat_number_missing` naming the setting instead of a QR.
//! - Times are stored UTC; `paid_at_local` is the shop's wall clock, as the history's CSV
//!   writes it ([`crate::history::local_time`]).

use std::str::FromStr;

use ottu_checkout::CurrencyCode;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::cart::VatTotal;
use crate::cart::dto::CUSTOM_LINE_NAME;
use crate::clock::parse_instant;
use crate::dto::{Language, OperationKind, OperationState, Sale, SaleState, StaffRef};
use crate::error::{Error, Result};
use crate::problem::Problem;
use crate::zatca::SimplifiedInvoice;

/// The Arabic name of a line without one.
pub const CUSTOM_LINE_NAME_AR: &str = "مبلغ مخصص";

/// The currency whose receipts carry the Saudi simplified-tax-invoice QR.
pub const SAUDI_CURRENCY: &str = "SAR";

/// A paid sale's receipt. Amounts are decimal strings in the currency's decimals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Receipt {
    /// The sale's local id.
    pub sale_id: String,
    /// The language of the lines' names.
    pub language: Language,
    /// The shop's name from the settings.
    pub shop_name: String,
    /// The shop's VAT registration number, when set.
    pub vat_number: Option<String>,
    /// The sale's currency (ISO 4217).
    pub currency_code: String,
    /// What was sold.
    pub lines: Vec<ReceiptLine>,
    /// The whole-sale discount ("0.000": none).
    pub sale_discount: String,
    /// The total before VAT.
    pub subtotal: String,
    /// VAT per rate, rates in use only, ascending (empty for a sale without VAT).
    pub vat: Vec<VatTotal>,
    /// All the VAT.
    pub vat_total: String,
    /// What the customer paid, VAT included.
    pub total: String,
    /// Whether the shop's prices include VAT (lines then show VAT-inclusive prices).
    pub prices_include_tax: bool,
    /// Refunds done, oldest first.
    pub refunds: Vec<ReceiptRefund>,
    /// The total minus the refunds (equals `total` when nothing was refunded).
    pub net_total: String,
    /// Ottu's reference of the payment (its `session_id`).
    pub ottu_reference: Option<String>,
    /// The merchant order number sent to Ottu.
    pub order_no: String,
    /// The Ottu invoice's (or payment request's) link, to share.
    pub invoice_link: Option<String>,
    /// Who sold it.
    pub staff: Option<StaffRef>,
    /// When it was paid (RFC 3339, UTC).
    pub paid_at: String,
    /// When it was paid on the shop's clock, `YYYY-MM-DD HH:MM:SS`.
    pub paid_at_local: String,
    /// The Saudi simplified tax invoice's QR (SAR sales with a VAT number).
    pub tax_qr: Option<TaxInvoiceQr>,
    /// Why a SAR sale's receipt has no tax QR.
    pub tax_qr_problem: Option<Problem>,
}

/// One line of a receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReceiptLine {
    /// The item's name in the receipt's language.
    pub name: String,
    /// Decimal string.
    pub quantity: String,
    /// The shelf price per unit.
    pub unit_price: String,
    /// The line's own discount ("0.000": none).
    pub line_discount: String,
    /// Quantity × unit price − the line's discount (before the whole-sale discount).
    pub amount: String,
    /// VAT in percent.
    pub vat_rate: u8,
}

/// A refund shown on a receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReceiptRefund {
    /// How much was refunded.
    pub amount: String,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// When, on the shop's clock.
    pub at_local: String,
    /// Ottu's reference of the refund.
    pub reference: Option<String>,
}

/// The Saudi simplified tax invoice's QR.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TaxInvoiceQr {
    /// What the QR encodes: the five TLV fields in base64.
    pub payload: String,
    /// The QR as SVG markup, rendered locally.
    pub svg: String,
}

/// What [`build`] needs besides the sale.
#[derive(Debug, Clone, Copy)]
pub struct ReceiptContext<'a> {
    /// The receipt's language.
    pub language: Language,
    /// The shop's name.
    pub shop_name: &'a str,
    /// The shop's VAT registration number.
    pub vat_number: Option<&'a str>,
}

/// The receipt of `sale`. `arabic_name` answers a catalog item's Arabic name by id.
pub fn build(
    sale: &Sale,
    context: ReceiptContext<'_>,
    arabic_name: impl Fn(&str) -> Option<String>,
) -> Result<Receipt> {
    if !matches!(sale.state, SaleState::Paid | SaleState::Refunded) {
        return Err(Error::WrongState(crate::problem!(
            ReceiptNotPaid,
            state = sale.state.as_str()
        )));
    }
    let currency = CurrencyCode::parse(&sale.currency_code)
        .map_err(|_| Error::Internal(format!("sale {} has no currency", sale.id)))?;
    let decimals = currency.minor_units();
    let money = |v: Decimal| ottu_checkout::invoice::totals::round(v, decimals).to_string();
    let number = |text: &str| {
        Decimal::from_str(text)
            .map_err(|_| Error::Internal(format!("sale {}: {text:?} is not a number", sale.id)))
    };
    let custom_name = match context.language {
        Language::En => CUSTOM_LINE_NAME,
        Language::Ar => CUSTOM_LINE_NAME_AR,
    };

    let (lines, sale_discount, subtotal, vat, vat_total, total, prices_include_tax) =
        match &sale.cart {
            Some(cart) => {
                let mut lines = Vec::with_capacity(cart.lines.len());
                for line in &cart.lines {
                    let name = match (context.language, &line.item_id) {
                        (Language::Ar, Some(id)) => {
                            arabic_name(id).unwrap_or_else(|| line.description.clone())
                        }
                        (Language::Ar, None) if line.description == CUSTOM_LINE_NAME => {
                            custom_name.to_owned()
                        }
                        _ => line.description.clone(),
                    };
                    let amount = number(&line.shelf_total)? + number(&line.sale_discount_share)?;
                    lines.push(ReceiptLine {
                        name,
                        quantity: line.quantity.clone(),
                        unit_price: line.shelf_unit_price.clone(),
                        line_discount: line.line_discount.clone(),
                        amount: money(amount),
                        vat_rate: line.vat_rate,
                    });
                }
                (
                    lines,
                    cart.sale_discount.clone(),
                    cart.total_excl_tax.clone(),
                    cart.vat.clone(),
                    cart.tax_amount.clone(),
                    cart.total.clone(),
                    cart.prices_include_tax,
                )
            }
            None => {
                let zero = money(Decimal::ZERO);
                let line = ReceiptLine {
                    name: custom_name.to_owned(),
                    quantity: "1".to_owned(),
                    unit_price: sale.amount.clone(),
                    line_discount: zero.clone(),
                    amount: sale.amount.clone(),
                    vat_rate: 0,
                };
                (
                    vec![line],
                    zero.clone(),
                    sale.amount.clone(),
                    Vec::new(),
                    zero,
                    sale.amount.clone(),
                    false,
                )
            }
        };

    let mut refunds = Vec::new();
    let mut refunded = Decimal::ZERO;
    for op in &sale.operations {
        if op.kind != OperationKind::Refund || op.state != OperationState::Done {
            continue;
        }
        let Some(amount) = op.result_amount.as_deref().or(op.amount.as_deref()) else {
            continue;
        };
        refunded += number(amount)?;
        refunds.push(ReceiptRefund {
            amount: money(number(amount)?),
            at: op.updated_at.clone(),
            at_local: crate::history::local_time(&op.updated_at),
            reference: op.reference_number.clone(),
        });
    }
    let net_total = money(number(&total)? - refunded);

    let paid_at = sale
        .paid_at
        .clone()
        .unwrap_or_else(|| sale.updated_at.clone());
    let vat_number = context.vat_number.map(str::trim).filter(|v| !v.is_empty());
    let (tax_qr, tax_qr_problem) = if currency.as_str() == SAUDI_CURRENCY {
        match vat_number {
            None => (None, Some(crate::problem!(ReceiptVatNumberMissing))),
            Some(vat_number) => {
                let payload = SimplifiedInvoice {
                    seller_name: context.shop_name,
                    vat_number,
                    timestamp: &zatca_time(&paid_at),
                    total_with_vat: &total,
                    vat_total: &vat_total,
                }
                .qr_payload()
                .map_err(|e| Error::Internal(e.to_string()))?;
                let svg = crate::qr::svg(&payload)?;
                (Some(TaxInvoiceQr { payload, svg }), None)
            }
        }
    } else {
        (None, None)
    };

    Ok(Receipt {
        sale_id: sale.id.clone(),
        language: context.language,
        shop_name: context.shop_name.to_owned(),
        vat_number: vat_number.map(str::to_owned),
        currency_code: currency.as_str().to_owned(),
        lines,
        sale_discount,
        subtotal,
        vat,
        vat_total,
        total,
        prices_include_tax,
        refunds,
        net_total,
        ottu_reference: sale.session_id.clone(),
        order_no: sale.order_no.clone(),
        invoice_link: sale.link.clone(),
        staff: sale.created_by.clone(),
        paid_at_local: crate::history::local_time(&paid_at),
        paid_at,
        tax_qr,
        tax_qr_problem,
    })
}

/// A stored instant as ZATCA's examples write it: `2026-12-03T21:00:00Z` (UTC, no fraction).
fn zatca_time(stored: &str) -> String {
    parse_instant(stored)
        .and_then(|at| {
            at.to_offset(time::UtcOffset::UTC)
                .format(time::macros::format_description!(
                    "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
                ))
                .ok()
        })
        .unwrap_or_else(|| stored.to_owned())
}

impl Receipt {
    /// The receipt as plain text for a terminal or a text printer (labels in English; names
    /// as the receipt has them).
    pub fn plain_text(&self) -> String {
        use std::fmt::Write as _;
        let c = &self.currency_code;
        let mut out = String::new();
        let _ = writeln!(out, "{}", self.shop_name);
        if let Some(vat) = &self.vat_number {
            let _ = writeln!(out, "VAT number: {vat}");
        }
        let _ = writeln!(out, "Receipt  {}", self.paid_at_local);
        let _ = writeln!(out, "Order {}", self.order_no);
        if let Some(reference) = &self.ottu_reference {
            let _ = writeln!(out, "Ottu reference {reference}");
        }
        if let Some(staff) = &self.staff {
            let _ = writeln!(out, "Served by {}", staff.name);
        }
        out.push('\n');
        for line in &self.lines {
            let _ = writeln!(out, "{}", line.name);
            let _ = writeln!(
                out,
                "  {} x {} = {} {c}",
                line.quantity, line.unit_price, line.amount
            );
            if !is_zero(&line.line_discount) {
                let _ = writeln!(out, "  discount -{} {c}", line.line_discount);
            }
        }
        out.push('\n');
        if !is_zero(&self.sale_discount) {
            let _ = writeln!(out, "Discount      -{} {c}", self.sale_discount);
        }
        let _ = writeln!(out, "Subtotal       {} {c}", self.subtotal);
        for vat in &self.vat {
            let _ = writeln!(out, "VAT {}%        {} {c}", vat.rate, vat.tax);
        }
        let _ = writeln!(out, "VAT            {} {c}", self.vat_total);
        let _ = writeln!(out, "Total          {} {c}", self.total);
        for refund in &self.refunds {
            let _ = writeln!(
                out,
                "Refunded      -{} {c}  {}",
                refund.amount, refund.at_local
            );
        }
        if !self.refunds.is_empty() {
            let _ = writeln!(out, "Kept           {} {c}", self.net_total);
        }
        if let Some(link) = &self.invoice_link {
            let _ = writeln!(out, "\n{link}");
        }
        if let Some(qr) = &self.tax_qr {
            let _ = writeln!(out, "\nSimplified tax invoice QR: {}", qr.payload);
        }
        if let Some(problem) = &self.tax_qr_problem {
            let _ = writeln!(out, "\nNo tax-invoice QR: {}", problem.message);
        }
        out
    }
}

fn is_zero(amount: &str) -> bool {
    Decimal::from_str(amount).is_ok_and(|d| d.is_zero())
}

#[cfg(test)]
mod tests;
