//! Shifts and cash: the drawer's float, cash in and out, cash sales and the count at close.
//!
//! Pure rules here (what the inputs must be, the change due, the expected cash); the SQL is in
//! `store/shifts.rs`, the role checks and the flow in `till/shifts.rs`, the X and Z reports in
//! [`crate::reports`].
//!
//! - A shift belongs to one profile (the demo's drawer never mixes with a merchant's) and has
//!   one currency, the profile's default currency when it opened; the float, entries, cash sales
//!   and the count are in it.
//! - Expected cash = float + cash sales paid − cash refunds + cash in − cash out. Cash sales
//!   cannot be refunded yet, so cash refunds are zero until they can.
//! - Variance = counted − expected: negative when cash is missing.

use ottu_checkout::{Amount, CurrencyCode};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::dto::{Sale, StaffRef};
use crate::error::{Error, Result};
use crate::problem::Problem;
use crate::sales::draft::check_amount;
use crate::store::{CashEntryRecord, ShiftRecord};

/// A shift as the UI and the CLI see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Shift {
    /// Local id.
    pub id: String,
    /// The drawer's currency.
    pub currency_code: String,
    /// Cash in the drawer at opening.
    pub opening_float: String,
    /// When it opened (RFC 3339 UTC).
    pub opened_at: String,
    /// Who opened it.
    pub opened_by: Option<StaffRef>,
    /// When it closed; `null` while open.
    pub closed_at: Option<String>,
    /// Who closed it.
    pub closed_by: Option<StaffRef>,
    /// Cash counted at close.
    pub counted_cash: Option<String>,
    /// Cash the drawer should have held at close.
    pub expected_cash: Option<String>,
    /// Counted − expected (negative: missing).
    pub variance: Option<String>,
    /// Cash put in or taken out, oldest first.
    pub cash_entries: Vec<CashEntry>,
}

/// Cash put into or taken out of the drawer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CashEntry {
    /// Local id.
    pub id: String,
    /// In or out.
    pub kind: CashEntryKind,
    /// Positive, in the shift's currency.
    pub amount: String,
    /// Why.
    pub reason: String,
    /// When (RFC 3339 UTC).
    pub created_at: String,
    /// Who.
    pub created_by: Option<StaffRef>,
}

/// Which way cash moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum CashEntryKind {
    /// Into the drawer (more change).
    In,
    /// Out of the drawer (a supplier paid, a bank drop).
    Out,
}

impl CashEntryKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            CashEntryKind::In => "in",
            CashEntryKind::Out => "out",
        }
    }

    /// Reads a stored name.
    pub fn parse(text: &str) -> Option<CashEntryKind> {
        match text {
            "in" => Some(CashEntryKind::In),
            "out" => Some(CashEntryKind::Out),
            _ => None,
        }
    }
}

/// A cash entry to record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CashEntryInput {
    /// In or out.
    pub kind: CashEntryKind,
    /// As typed.
    pub amount: String,
    /// Why (required).
    pub reason: String,
}

/// A cash sale to record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CashSaleInput {
    /// The price, as typed, in the shift's currency.
    pub amount: String,
    /// The cash the customer handed over, as typed.
    pub tendered: String,
    /// Optional note.
    #[serde(default)]
    pub note: Option<String>,
    /// The cart it pays, for an itemised sale: priced by the till, its total is the amount (a
    /// typed amount must equal it) and its lines give the reports' discounts and VAT.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub cart: Option<crate::cart::CartInput>,
}

/// A recorded cash sale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CashSale {
    /// The sale in the history (state `paid`, no link, no Ottu transaction).
    pub sale: Sale,
    /// The cash handed over.
    pub tendered: String,
    /// The change to give back.
    pub change: String,
    /// The shift it belongs to.
    pub shift_id: String,
}

/// An amount of cash in `currency`: zero allowed (an empty drawer, nothing counted), never
/// negative, at most the currency's decimals. Errors name `field`.
pub fn check_cash(field: &str, raw: &str, currency: &CurrencyCode) -> Result<Amount> {
    match check_amount(raw, currency) {
        Ok(amount) => Ok(amount),
        Err(problem) if problem.code == crate::problem::ProblemCode::AmountZero => {
            Ok(Amount::zero(currency))
        }
        Err(problem) => Err(Error::invalid_field(field, problem)),
    }
}

/// Validated cash sale: the amount (greater than zero), what was tendered and the change.
#[derive(Debug, Clone)]
pub struct ValidCashSale {
    /// The price.
    pub amount: Amount,
    /// Cash handed over.
    pub tendered: Amount,
    /// `tendered - amount`, exact in the currency's decimals.
    pub change: Amount,
}

/// Checks a cash sale: an amount above zero and tendered cash at least the amount. Errors name
/// `amount` or `tendered`.
pub fn check_cash_sale(input: &CashSaleInput, currency: &CurrencyCode) -> Result<ValidCashSale> {
    let mut fields = crate::error::FieldErrors::new();
    let amount = check_amount(&input.amount, currency)
        .map_err(|problem| fields.insert("amount".into(), vec![problem]))
        .ok();
    let tendered = check_amount(&input.tendered, currency)
        .map_err(|problem| fields.insert("tendered".into(), vec![problem]))
        .ok();
    if !fields.is_empty() {
        return Err(Error::invalid_fields(fields));
    }
    let (amount, tendered) = (amount.expect("checked"), tendered.expect("checked"));
    let change = change_due(&amount, &tendered, currency)
        .map_err(|problem| Error::invalid_field("tendered", problem))?;
    Ok(ValidCashSale {
        amount,
        tendered,
        change,
    })
}

/// The change for `tendered` against `amount`; `tendered_short` when less was given.
pub fn change_due(
    amount: &Amount,
    tendered: &Amount,
    currency: &CurrencyCode,
) -> std::result::Result<Amount, Problem> {
    tendered.checked_sub(amount, currency).ok_or_else(|| {
        crate::problem!(TenderedShort, amount = amount.as_str(), currency = currency)
    })
}

/// A reason, trimmed; `cash_reason_empty` on `reason` when blank, `too_long` past 200 characters.
pub fn check_reason(reason: &str) -> Result<String> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::invalid_field(
            "reason",
            crate::problem!(CashReasonEmpty),
        ));
    }
    if reason.chars().count() > 200 {
        return Err(Error::invalid_field(
            "reason",
            crate::problem!(TooLong, max = 200),
        ));
    }
    Ok(reason.to_owned())
}

/// `value` written with exactly `decimals` decimals (`-1.500`, `0.00`).
pub fn money(value: Decimal, decimals: u32) -> String {
    let mut value = value;
    value.rescale(decimals);
    if value.is_zero() {
        value.set_sign_positive(true);
    }
    value.to_string()
}

/// A stored amount as a decimal (a row this version cannot read counts as zero and is logged).
pub fn decimal(text: &str) -> Decimal {
    text.parse::<Decimal>().unwrap_or_else(|_| {
        tracing::warn!(amount = text, "unreadable stored amount counted as zero");
        Decimal::ZERO
    })
}

/// A new local id, `<prefix>_<UTC time>_<random>` like sale ids.
pub(crate) fn new_id(prefix: &str) -> String {
    use rand::Rng;
    let random: u64 = rand::thread_rng().r#gen();
    let now = time::OffsetDateTime::now_utc()
        .format(time::macros::format_description!(
            "[year][month][day][hour][minute][second]"
        ))
        .unwrap_or_default();
    format!("{prefix}_{now}_{random:016x}")
}

impl From<CashEntryRecord> for CashEntry {
    fn from(record: CashEntryRecord) -> Self {
        CashEntry {
            id: record.id,
            kind: CashEntryKind::parse(&record.kind).unwrap_or(CashEntryKind::In),
            amount: record.amount,
            reason: record.reason,
            created_at: record.created_at,
            created_by: record.created_by,
        }
    }
}

impl Shift {
    /// The UI's view of a stored shift and its entries.
    pub fn from_record(record: ShiftRecord, entries: Vec<CashEntryRecord>) -> Shift {
        Shift {
            id: record.id,
            currency_code: record.currency_code,
            opening_float: record.opening_float,
            opened_at: record.opened_at,
            opened_by: record.opened_by,
            closed_at: record.closed_at,
            closed_by: record.closed_by,
            counted_cash: record.counted_cash,
            expected_cash: record.expected_cash,
            variance: record.variance,
            cash_entries: entries.into_iter().map(CashEntry::from).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kwd() -> CurrencyCode {
        CurrencyCode::parse("KWD").unwrap()
    }

    fn input(amount: &str, tendered: &str) -> CashSaleInput {
        CashSaleInput {
            amount: amount.into(),
            tendered: tendered.into(),
            note: None,
            cart: None,
        }
    }

    #[test]
    fn change_is_exact_in_the_currencys_decimals() {
        let valid = check_cash_sale(&input("12.345", "20"), &kwd()).unwrap();
        assert_eq!(valid.change.as_str(), "7.655");
        assert_eq!(valid.tendered.as_str(), "20.000");
        let exact = check_cash_sale(&input("5", "5.000"), &kwd()).unwrap();
        assert_eq!(exact.change.as_str(), "0.000");
        let jpy = CurrencyCode::parse("JPY").unwrap();
        assert_eq!(
            check_cash_sale(&input("1,500", "2000"), &jpy)
                .unwrap()
                .change
                .as_str(),
            "500"
        );
    }

    #[test]
    fn too_little_cash_is_refused_on_tendered() {
        let error = check_cash_sale(&input("12.345", "12.344"), &kwd()).unwrap_err();
        let fields = error.field_errors();
        assert_eq!(
            fields["tendered"][0].code,
            crate::problem::ProblemCode::TenderedShort
        );
        assert!(!fields.contains_key("amount"));
    }

    #[test]
    fn bad_amounts_name_their_fields() {
        let error = check_cash_sale(&input("0", "1.2345"), &kwd()).unwrap_err();
        let fields = error.field_errors();
        assert_eq!(
            fields["amount"][0].code,
            crate::problem::ProblemCode::AmountZero
        );
        assert_eq!(
            fields["tendered"][0].code,
            crate::problem::ProblemCode::AmountTooManyDecimals
        );
    }

    #[test]
    fn a_float_may_be_zero_but_not_negative_or_text() {
        assert_eq!(
            check_cash("opening_float", "0", &kwd()).unwrap().as_str(),
            "0.000"
        );
        for bad in ["-1", "abc", ""] {
            let error = check_cash("opening_float", bad, &kwd()).unwrap_err();
            assert!(error.field_errors().contains_key("opening_float"), "{bad}");
        }
    }

    #[test]
    fn reasons_are_required() {
        assert!(
            check_reason("  ")
                .unwrap_err()
                .field_errors()
                .contains_key("reason")
        );
        assert_eq!(check_reason(" change ").unwrap(), "change");
    }

    #[test]
    fn money_keeps_the_decimals_and_the_sign() {
        assert_eq!(money(Decimal::new(-15, 1), 3), "-1.500");
        assert_eq!(money(Decimal::ZERO, 2), "0.00");
        assert_eq!(money(Decimal::new(-0, 0), 3), "0.000");
    }
}
