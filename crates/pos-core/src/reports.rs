//! X and Z reports: what a shift took, by method, staff and hour, and the drawer's cash.
//!
//! [`compute`] is a pure function of a shift, its sales, the refunds done while it was open and
//! its cash entries; the till reads those from the history and calls it. An **X report** is
//! computed on demand while the shift is open (nothing stored); the **Z report** is computed at
//! close and stored, frozen, with the shift (`shifts.z_report_json`).
//!
//! Definitions (docs/architecture.md, "Shifts and cash"):
//! - A sale is *taken* when its state is `paid` or `refunded` (it was paid; a refund is listed
//!   under refunds). Other sales of the shift are counted in `not_taken_count`.
//! - `by_method`: taken sales per method, `cash`, or `link` with the Ottu gateway (pg code; the
//!   codes joined with `+` when the link offered several, since the history does not record
//!   which one the customer used), and currency.
//! - `refunds`: refunds done (state `done`) while the shift was open, per method of the refunded
//!   sale.
//! - `by_staff` and `hourly`: taken sales per staff member who made the sale, and per UTC hour of
//!   the sale's creation (`2026-12-03T14`).
//! - Cash: expected = float + cash sales taken − cash refunds + cash in − cash out, in the
//!   shift's currency; variance = counted − expected.
//! - `discounts`: taken itemised sales with a discount, per currency: the count and the sum of
//!   their lines' own discounts and shares of the whole-sale discount (shelf basis, as the
//!   cashier gave them).
//! - `vat`: taken itemised sales per VAT rate and currency: the taxable amount and the tax, as
//!   sent to Ottu (each sale's `vat` lines). Sales by amount (no lines) carry neither.

use std::collections::BTreeMap;

use ottu_checkout::CurrencyCode;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::dto::StaffRef;
use crate::error::{Error, Result};
use crate::shifts::{decimal, money};
use crate::store::{CashEntryRecord, ShiftRecord, ShiftRefundRow, ShiftSaleRow};

/// Which report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// So far, shift still open; not stored.
    X,
    /// At close; stored with the shift.
    Z,
}

/// A shift's report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ShiftReport {
    /// X or Z.
    pub kind: ReportKind,
    /// The shift.
    pub shift_id: String,
    /// The drawer's currency.
    pub currency_code: String,
    /// When the shift opened.
    pub opened_at: String,
    /// Who opened it.
    pub opened_by: Option<StaffRef>,
    /// When it closed (Z only).
    pub closed_at: Option<String>,
    /// Who closed it (Z only).
    pub closed_by: Option<StaffRef>,
    /// When this report was computed.
    pub generated_at: String,
    /// Taken sales per method and currency.
    pub by_method: Vec<MethodTotal>,
    /// Refunds done during the shift per method and currency.
    pub refunds: Vec<MethodTotal>,
    /// Taken sales per staff member and currency.
    pub by_staff: Vec<StaffTotal>,
    /// Taken sales per UTC hour and currency.
    pub hourly: Vec<HourTotal>,
    /// Sales of the shift not (or not yet) paid.
    pub not_taken_count: u32,
    /// The drawer.
    pub cash: CashSummary,
    /// Discounts given on taken itemised sales, per currency. Absent from Z reports stored
    /// before discounts were reported: read as none.
    #[serde(default)]
    pub discounts: Vec<DiscountTotal>,
    /// VAT of taken itemised sales per rate and currency (same default).
    #[serde(default)]
    pub vat: Vec<VatRateTotal>,
}

/// The discounts of one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DiscountTotal {
    /// Currency.
    pub currency_code: String,
    /// Sales with a discount.
    pub count: u32,
    /// Sum of the discounts.
    pub total: String,
}

/// VAT at one rate in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct VatRateTotal {
    /// Percent.
    pub rate: u8,
    /// Currency.
    pub currency_code: String,
    /// Sales with lines at this rate.
    pub count: u32,
    /// Σ taxable (excluding tax).
    pub taxable: String,
    /// Σ tax.
    pub tax: String,
}

/// Count and total of one method.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MethodTotal {
    /// `cash` or `link`.
    pub method: String,
    /// For links: the Ottu pg code(s) offered.
    pub gateway: Option<String>,
    /// Currency.
    pub currency_code: String,
    /// How many.
    pub count: u32,
    /// Sum.
    pub total: String,
}

/// Count and total of one staff member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StaffTotal {
    /// Who (`null`: sales made before staff existed).
    pub staff: Option<StaffRef>,
    /// Currency.
    pub currency_code: String,
    /// How many.
    pub count: u32,
    /// Sum.
    pub total: String,
}

/// Count and total of one hour.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HourTotal {
    /// The UTC hour, `2026-12-03T14`.
    pub hour: String,
    /// Currency.
    pub currency_code: String,
    /// How many.
    pub count: u32,
    /// Sum.
    pub total: String,
}

/// The drawer's cash, in the shift's currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CashSummary {
    /// At opening.
    pub opening_float: String,
    /// Cash sales taken.
    pub cash_sales: String,
    /// Cash refunded.
    pub cash_refunds: String,
    /// Cash put in.
    pub cash_in: String,
    /// Cash taken out.
    pub cash_out: String,
    /// What the drawer should hold.
    pub expected: String,
    /// What was counted (Z only).
    pub counted: Option<String>,
    /// Counted − expected (Z only; negative: missing).
    pub variance: Option<String>,
}

/// What a report is computed from.
#[derive(Debug, Clone, Copy)]
pub struct ReportInput<'a> {
    /// X or Z.
    pub kind: ReportKind,
    /// The shift (for Z, with its closing columns filled in except the report).
    pub shift: &'a ShiftRecord,
    /// Its sales.
    pub sales: &'a [ShiftSaleRow],
    /// Refunds done while it was open.
    pub refunds: &'a [ShiftRefundRow],
    /// Its cash entries.
    pub entries: &'a [CashEntryRecord],
    /// The count at close.
    pub counted_cash: Option<&'a str>,
    /// Now.
    pub generated_at: &'a str,
}

/// Whether a sale in `state` was paid.
pub fn is_taken(state: &str) -> bool {
    matches!(state, "paid" | "refunded")
}

fn decimals_of(currency: &str) -> u32 {
    CurrencyCode::parse(currency).map_or(3, |c| c.minor_units())
}

fn gateway_of(method: &str, pg_codes: &[String]) -> Option<String> {
    (method != "cash" && !pg_codes.is_empty()).then(|| pg_codes.join("+"))
}

#[derive(Default)]
struct Tally {
    count: u32,
    total: Decimal,
}

impl Tally {
    fn add(&mut self, amount: Decimal) {
        self.count += 1;
        self.total += amount;
    }
}

/// The report (see the module's definitions).
pub fn compute(input: ReportInput<'_>) -> ShiftReport {
    let shift = input.shift;
    let currency = shift.currency_code.as_str();
    let mut by_method: BTreeMap<(String, Option<String>, String), Tally> = BTreeMap::new();
    let mut by_staff: BTreeMap<(Option<String>, String), (Option<StaffRef>, Tally)> =
        BTreeMap::new();
    let mut hourly: BTreeMap<(String, String), Tally> = BTreeMap::new();
    let mut not_taken_count = 0;
    let mut cash_sales = Decimal::ZERO;
    let mut discounts: BTreeMap<String, Tally> = BTreeMap::new();
    let mut vat: BTreeMap<(u8, String), (u32, Decimal, Decimal)> = BTreeMap::new();
    for sale in input.sales {
        if !is_taken(&sale.state) {
            not_taken_count += 1;
            continue;
        }
        let amount = decimal(&sale.amount);
        let code = sale.currency_code.clone();
        by_method
            .entry((
                sale.method.clone(),
                gateway_of(&sale.method, &sale.pg_codes),
                code.clone(),
            ))
            .or_default()
            .add(amount);
        by_staff
            .entry((sale.created_by.as_ref().map(|s| s.id.clone()), code.clone()))
            .or_insert_with(|| (sale.created_by.clone(), Tally::default()))
            .1
            .add(amount);
        let hour = sale
            .created_at
            .get(..13)
            .unwrap_or(&sale.created_at)
            .to_owned();
        hourly.entry((hour, code.clone())).or_default().add(amount);
        if sale.method == "cash" && code == currency {
            cash_sales += amount;
        }
        if let Some(cart) = &sale.cart {
            let discount: Decimal = cart
                .lines
                .iter()
                .map(|l| decimal(&l.line_discount) + decimal(&l.sale_discount_share))
                .sum();
            if discount > Decimal::ZERO {
                discounts.entry(code.clone()).or_default().add(discount);
            }
            for line in &cart.vat {
                let (count, taxable, tax) = vat.entry((line.rate, code.clone())).or_default();
                *count += 1;
                *taxable += decimal(&line.taxable);
                *tax += decimal(&line.tax);
            }
        }
    }
    let mut refunds: BTreeMap<(String, Option<String>, String), Tally> = BTreeMap::new();
    let mut cash_refunds = Decimal::ZERO;
    for refund in input.refunds {
        let amount = decimal(&refund.amount);
        refunds
            .entry((
                refund.method.clone(),
                gateway_of(&refund.method, &refund.pg_codes),
                refund.currency_code.clone(),
            ))
            .or_default()
            .add(amount);
        if refund.method == "cash" && refund.currency_code == currency {
            cash_refunds += amount;
        }
    }
    let (mut cash_in, mut cash_out) = (Decimal::ZERO, Decimal::ZERO);
    for entry in input.entries {
        match entry.kind.as_str() {
            "out" => cash_out += decimal(&entry.amount),
            _ => cash_in += decimal(&entry.amount),
        }
    }
    let float = decimal(&shift.opening_float);
    let expected = float + cash_sales - cash_refunds + cash_in - cash_out;
    let counted = input.counted_cash.map(decimal);
    let dp = decimals_of(currency);
    let method_lines = |map: BTreeMap<(String, Option<String>, String), Tally>| {
        map.into_iter()
            .map(|((method, gateway, code), tally)| MethodTotal {
                total: money(tally.total, decimals_of(&code)),
                method,
                gateway,
                currency_code: code,
                count: tally.count,
            })
            .collect()
    };
    ShiftReport {
        kind: input.kind,
        shift_id: shift.id.clone(),
        currency_code: currency.to_owned(),
        opened_at: shift.opened_at.clone(),
        opened_by: shift.opened_by.clone(),
        closed_at: shift.closed_at.clone(),
        closed_by: shift.closed_by.clone(),
        generated_at: input.generated_at.to_owned(),
        by_method: method_lines(by_method),
        refunds: method_lines(refunds),
        by_staff: by_staff
            .into_iter()
            .map(|((_, code), (staff, tally))| StaffTotal {
                staff,
                total: money(tally.total, decimals_of(&code)),
                currency_code: code,
                count: tally.count,
            })
            .collect(),
        hourly: hourly
            .into_iter()
            .map(|((hour, code), tally)| HourTotal {
                hour,
                total: money(tally.total, decimals_of(&code)),
                currency_code: code,
                count: tally.count,
            })
            .collect(),
        not_taken_count,
        cash: CashSummary {
            opening_float: money(float, dp),
            cash_sales: money(cash_sales, dp),
            cash_refunds: money(cash_refunds, dp),
            cash_in: money(cash_in, dp),
            cash_out: money(cash_out, dp),
            expected: money(expected, dp),
            counted: counted.map(|c| money(c, dp)),
            variance: counted.map(|c| money(c - expected, dp)),
        },
        discounts: discounts
            .into_iter()
            .map(|(code, tally)| DiscountTotal {
                total: money(tally.total, decimals_of(&code)),
                currency_code: code,
                count: tally.count,
            })
            .collect(),
        vat: vat
            .into_iter()
            .map(|((rate, code), (count, taxable, tax))| VatRateTotal {
                rate,
                taxable: money(taxable, decimals_of(&code)),
                tax: money(tax, decimals_of(&code)),
                currency_code: code,
                count,
            })
            .collect(),
    }
}

/// The report as CSV: one row per line, `section,key,detail,currency,count,amount`.
pub fn to_csv(report: &ShiftReport) -> Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let csv_error = |e: csv::Error| Error::Internal(format!("report CSV: {e}"));
    writer
        .write_record(["section", "key", "detail", "currency", "count", "amount"])
        .map_err(csv_error)?;
    let kind = match report.kind {
        ReportKind::X => "X",
        ReportKind::Z => "Z",
    };
    let mut row = |fields: [&str; 6]| writer.write_record(fields).map_err(csv_error);
    row([
        "report",
        kind,
        &report.shift_id,
        &report.currency_code,
        "",
        "",
    ])?;
    row(["report", "opened_at", &report.opened_at, "", "", ""])?;
    if let Some(closed_at) = &report.closed_at {
        row(["report", "closed_at", closed_at, "", "", ""])?;
    }
    row(["report", "generated_at", &report.generated_at, "", "", ""])?;
    for (section, lines) in [("method", &report.by_method), ("refund", &report.refunds)] {
        for line in lines {
            row([
                section,
                &line.method,
                line.gateway.as_deref().unwrap_or(""),
                &line.currency_code,
                &line.count.to_string(),
                &line.total,
            ])?;
        }
    }
    for line in &report.by_staff {
        let (id, name) = line
            .staff
            .as_ref()
            .map_or(("", ""), |s| (s.id.as_str(), s.name.as_str()));
        row([
            "staff",
            id,
            name,
            &line.currency_code,
            &line.count.to_string(),
            &line.total,
        ])?;
    }
    for line in &report.hourly {
        row([
            "hour",
            &line.hour,
            "",
            &line.currency_code,
            &line.count.to_string(),
            &line.total,
        ])?;
    }
    for line in &report.discounts {
        row([
            "discount",
            "",
            "",
            &line.currency_code,
            &line.count.to_string(),
            &line.total,
        ])?;
    }
    // Two amounts: the taxable sum in `detail`, the tax in `amount`.
    for line in &report.vat {
        row([
            "vat",
            &line.rate.to_string(),
            &line.taxable,
            &line.currency_code,
            &line.count.to_string(),
            &line.tax,
        ])?;
    }
    row([
        "not_taken",
        "",
        "",
        "",
        &report.not_taken_count.to_string(),
        "",
    ])?;
    let cash = &report.cash;
    let code = report.currency_code.as_str();
    for (key, amount) in [
        ("opening_float", Some(&cash.opening_float)),
        ("cash_sales", Some(&cash.cash_sales)),
        ("cash_refunds", Some(&cash.cash_refunds)),
        ("cash_in", Some(&cash.cash_in)),
        ("cash_out", Some(&cash.cash_out)),
        ("expected", Some(&cash.expected)),
        ("counted", cash.counted.as_ref()),
        ("variance", cash.variance.as_ref()),
    ] {
        if let Some(amount) = amount {
            row(["cash", key, "", code, "", amount])?;
        }
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| Error::Internal(format!("report CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|e| Error::Internal(format!("report CSV: {e}")))
}

#[cfg(test)]
mod tests;
