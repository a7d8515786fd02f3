//! Reconciliation with Ottu's reports: the till's own sales of a date range compared with the
//! transactions in Ottu's report files. A pure computation; fetching the files (and the
//! download limit) is `till/reconcile.rs`.
//!
//! - **Whose sales.** Each till stamps its order numbers with its id
//!   (`POS-<TILL>-YYYYMMDD-XXXXXX`, cash sales `CASH-<TILL>-…`, see [`till_prefixes`]). A report
//!   row belongs to this till when its order number carries this till's prefix or is one of
//!   this till's sales (older numbers without a till id stay readable that way). Rows of other
//!   tills are counted, never differences.
//! - **What is compared.** The till's link sales Ottu knows of (a `session_id`) and its cash
//!   sales acknowledged at Ottu (expected state `cod`), created in the range; cash sales still
//!   waiting for Ottu, or local only, are counted apart.
//! - **Differences.** Missing here (Ottu has a transaction of this till the history lacks),
//!   missing at Ottu, amount differs, state differs (both values given). Matching is by order
//!   number, else by `session_id`.
//! - **Days** are UTC days (Ottu's report files are per UTC day). Report rows one day either
//!   side of the range are read too, so a sale made just before midnight whose Ottu record is
//!   stamped just after it is not reported missing; only rows created inside the range can be
//!   "missing here".

use std::collections::{HashMap, HashSet};

use ottu_checkout::Amount;
use ottu_checkout::reports::ReportRecord;
use serde::{Deserialize, Serialize};

/// A sale of this till, as Ottu should know it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TillSale {
    /// Its order number.
    pub order_no: String,
    /// Ottu's transaction, when known.
    pub session_id: Option<String>,
    /// The amount, in the currency's decimals.
    pub amount: Amount,
    /// ISO 4217.
    pub currency_code: String,
    /// The state Ottu should report (`paid`, `cod`, …).
    pub state: String,
    /// The UTC day it was made, `YYYY-MM-DD`.
    pub day: String,
}

/// What kind of difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum DifferenceKind {
    /// Ottu has a transaction of this till that the till's history lacks.
    MissingHere,
    /// The till has a sale Ottu's reports lack.
    MissingAtOttu,
    /// Both have it, with different amounts.
    AmountDiffers,
    /// Both have it, in different states.
    StateDiffers,
}

/// One difference between the till and Ottu.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Difference {
    /// What differs.
    pub kind: DifferenceKind,
    /// The order number, when either side has one.
    pub order_no: Option<String>,
    /// Ottu's transaction, when either side knows it.
    pub session_id: Option<String>,
    /// The currency of the amounts.
    pub currency_code: Option<String>,
    /// The till's value (amount or state; the amount for a missing-at-Ottu sale).
    pub ours: Option<String>,
    /// Ottu's value (amount or state; the amount for a missing-here transaction).
    pub ottu: Option<String>,
}

/// The outcome of a reconciliation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Reconciliation {
    /// First day, `YYYY-MM-DD` (UTC).
    pub from: String,
    /// Last day, inclusive.
    pub to: String,
    /// This till's id, as in its order numbers.
    pub till_id: String,
    /// The till's sales compared.
    pub compared: u32,
    /// Of those, found at Ottu with the same amount and state.
    pub matched: u32,
    /// Rows of Ottu's reports in the range that belong to other tills.
    pub other_tills: u32,
    /// Cash sales whose record at Ottu is still to be made (retried later).
    pub cash_pending: u32,
    /// Cash sales kept here only (no gateway marked as Ottu's cash method).
    pub cash_local_only: u32,
    /// Report files read.
    pub report_files: u32,
    /// Report rows that could not be read (skipped, see the log).
    pub unreadable_rows: u32,
    /// Every difference, by order number.
    pub differences: Vec<Difference>,
}

/// The order-number prefixes of till `till_id`: link sales and cash sales.
pub fn till_prefixes(till_id: &str) -> [String; 2] {
    [format!("POS-{till_id}-"), format!("CASH-{till_id}-")]
}

/// Counts and differences of `ours` against Ottu's `rows` for the days `from..=to`.
pub fn compare(
    from: &str,
    to: &str,
    till_id: &str,
    ours: &[TillSale],
    rows: &[ReportRecord],
) -> Reconciliation {
    let prefixes = till_prefixes(till_id);
    let in_range = |day: Option<&str>| day.is_some_and(|d| d >= from && d <= to);
    let our_orders: HashSet<&str> = ours.iter().map(|s| s.order_no.as_str()).collect();
    let our_sessions: HashSet<&str> = ours
        .iter()
        .filter_map(|s| s.session_id.as_deref())
        .collect();
    // Ottu's rows of this till, by order number and session; rows of other tills counted.
    let mut by_order: HashMap<&str, &ReportRecord> = HashMap::new();
    let mut by_session: HashMap<&str, &ReportRecord> = HashMap::new();
    let mut other_tills = 0u32;
    for row in rows {
        let order = row.order_no.as_deref();
        let mine = order.is_some_and(|o| {
            prefixes.iter().any(|p| o.starts_with(p.as_str())) || our_orders.contains(o)
        }) || row
            .session_id
            .as_deref()
            .is_some_and(|s| our_sessions.contains(s));
        if !mine {
            if in_range(row.created_on()) {
                other_tills += 1;
            }
            continue;
        }
        if let Some(o) = order {
            by_order.entry(o).or_insert(row);
        }
        if let Some(s) = row.session_id.as_deref() {
            by_session.entry(s).or_insert(row);
        }
    }
    let mut differences = Vec::new();
    let mut seen: HashSet<*const ReportRecord> = HashSet::new();
    let mut matched = 0u32;
    let mut compared = 0u32;
    for sale in ours.iter().filter(|s| in_range(Some(&s.day))) {
        compared += 1;
        let found = by_order.get(sale.order_no.as_str()).copied().or_else(|| {
            sale.session_id
                .as_deref()
                .and_then(|s| by_session.get(s).copied())
        });
        let Some(row) = found else {
            differences.push(Difference {
                kind: DifferenceKind::MissingAtOttu,
                order_no: Some(sale.order_no.clone()),
                session_id: sale.session_id.clone(),
                currency_code: Some(sale.currency_code.clone()),
                ours: Some(sale.amount.as_str().to_owned()),
                ottu: None,
            });
            continue;
        };
        seen.insert(row as *const ReportRecord);
        let mut same = true;
        let amounts_differ = match &row.amount {
            Some(theirs) => theirs.to_decimal() != sale.amount.to_decimal(),
            None => true,
        };
        if amounts_differ {
            same = false;
            differences.push(Difference {
                kind: DifferenceKind::AmountDiffers,
                order_no: Some(sale.order_no.clone()),
                session_id: sale.session_id.clone().or_else(|| row.session_id.clone()),
                currency_code: Some(sale.currency_code.clone()),
                ours: Some(sale.amount.as_str().to_owned()),
                ottu: row.amount.as_ref().map(|a| a.as_str().to_owned()),
            });
        }
        if row.state.as_deref() != Some(sale.state.as_str()) {
            same = false;
            differences.push(Difference {
                kind: DifferenceKind::StateDiffers,
                order_no: Some(sale.order_no.clone()),
                session_id: sale.session_id.clone().or_else(|| row.session_id.clone()),
                currency_code: Some(sale.currency_code.clone()),
                ours: Some(sale.state.clone()),
                ottu: row.state.clone(),
            });
        }
        if same {
            matched += 1;
        }
    }
    // Ottu's rows of this till created in the range that no sale here matched.
    let mut reported: HashSet<*const ReportRecord> = HashSet::new();
    for row in by_order.values().chain(by_session.values()) {
        let key = *row as *const ReportRecord;
        if seen.contains(&key) || !in_range(row.created_on()) || !reported.insert(key) {
            continue;
        }
        differences.push(Difference {
            kind: DifferenceKind::MissingHere,
            order_no: row.order_no.clone(),
            session_id: row.session_id.clone(),
            currency_code: row.currency.as_ref().map(|c| c.as_str().to_owned()),
            ours: None,
            ottu: row.amount.as_ref().map(|a| a.as_str().to_owned()),
        });
    }
    differences.sort_by(|a, b| (&a.order_no, a.kind as u8).cmp(&(&b.order_no, b.kind as u8)));
    Reconciliation {
        from: from.to_owned(),
        to: to.to_owned(),
        till_id: till_id.to_owned(),
        compared,
        matched,
        other_tills,
        cash_pending: 0,
        cash_local_only: 0,
        report_files: 0,
        unreadable_rows: 0,
        differences,
    }
}

#[cfg(test)]
mod tests;
