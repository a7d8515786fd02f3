//! Split bills: one bill paid in parts, by cash and by one or more Ottu links, with a running
//! remainder.
//!
//! Each part is an ordinary sale of the history with the bill's id (`sales.bill_id`): a link
//! part is created exactly as any sale is (`sales/create.rs`: its own order number, written
//! before it is sent, never sent twice, settled when its answer is lost), a cash part is a cash
//! sale of the open shift. Reports count each part under its own method.
//!
//! Rules (enforced where they cannot race):
//! - A bill never has two live links: a link part is *live* until it is paid or dead
//!   (cancelled, expired, failed, rejected, unpayable); `unknown` and `sending` are live, since
//!   Ottu may hold them. The history's partial unique index `sales_one_live_link_per_bill`
//!   refuses a second one whatever process writes it.
//! - A part is at most what is left: the total less the paid parts and the live link's amount.
//!   A cash part checks it in the transaction that writes it.
//! - The bill is paid when its paid parts add up to the total exactly (the currency's decimals).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::dto::{PaymentMethod, Sale, SaleState, StaffRef};
use crate::shifts::{decimal, money};

/// Where a bill stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum BillState {
    /// Parts still to come.
    Open,
    /// The paid parts cover the total exactly.
    Paid,
}

/// A split bill as the UI and the CLI see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Bill {
    /// Local id (`bill-…`).
    pub id: String,
    /// The total to pay.
    pub amount: String,
    /// Its currency (the profile's default currency, the drawer's).
    pub currency_code: String,
    /// Open or paid.
    pub state: BillState,
    /// Σ of the paid parts.
    pub paid: String,
    /// What is still to pay: the total less the paid parts (never below zero).
    pub remaining: String,
    /// What a new part may be at most: the remainder less a live link's amount (zero while a
    /// link is live, since no second one may start).
    pub available: String,
    /// The live link part, if one is waiting to be paid.
    pub live_link: Option<String>,
    /// Every part, oldest first.
    pub parts: Vec<Sale>,
    /// When it was opened (RFC 3339 UTC).
    pub created_at: String,
    /// Who opened it.
    pub created_by: Option<StaffRef>,
}

/// A bill as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillRecord {
    /// Local id.
    pub id: String,
    /// Its profile.
    pub profile_id: String,
    /// Total, in the currency's decimals.
    pub amount: String,
    /// Currency.
    pub currency_code: String,
    /// RFC 3339 UTC.
    pub created_at: String,
    /// Who opened it.
    pub created_by: Option<StaffRef>,
}

/// Whether a link part in `state` may still be paid (or Ottu may hold it).
pub fn is_live_link(state: SaleState) -> bool {
    !matches!(
        state,
        SaleState::Paid
            | SaleState::Refunded
            | SaleState::Canceled
            | SaleState::Expired
            | SaleState::Failed
            | SaleState::Rejected
            | SaleState::Invalided
    )
}

/// The states [`is_live_link`] calls dead or paid, as stored; the partial unique index lists
/// the same ones (kept together by the `live_states_match_the_index` test).
pub const NOT_LIVE_STATES: [&str; 7] = [
    "paid",
    "refunded",
    "canceled",
    "expired",
    "failed",
    "rejected",
    "invalided",
];

/// The sums of a bill's parts, in its currency's `decimals`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartSums {
    /// Σ paid parts.
    pub paid: Decimal,
    /// The live link part's amount (zero when none).
    pub live: Decimal,
}

/// Paid and live sums of `parts` (`(method, state, amount)`).
pub fn sums<'a>(parts: impl IntoIterator<Item = (PaymentMethod, SaleState, &'a str)>) -> PartSums {
    let mut out = PartSums {
        paid: Decimal::ZERO,
        live: Decimal::ZERO,
    };
    for (method, state, amount) in parts {
        if state == SaleState::Paid {
            out.paid += decimal(amount);
        } else if method == PaymentMethod::Link && is_live_link(state) {
            out.live += decimal(amount);
        }
    }
    out
}

/// The bill as shown, from its record and its parts (oldest first).
pub fn summarize(record: BillRecord, parts: Vec<Sale>, decimals: u32) -> Bill {
    let total = decimal(&record.amount);
    let s = sums(parts.iter().map(|p| (p.method, p.state, p.amount.as_str())));
    let remaining = (total - s.paid).max(Decimal::ZERO);
    let available = (remaining - s.live).max(Decimal::ZERO);
    let live_link = parts
        .iter()
        .find(|p| p.method == PaymentMethod::Link && is_live_link(p.state))
        .map(|p| p.id.clone());
    Bill {
        id: record.id,
        state: if s.paid >= total {
            BillState::Paid
        } else {
            BillState::Open
        },
        amount: money(total, decimals),
        currency_code: record.currency_code,
        paid: money(s.paid, decimals),
        remaining: money(remaining, decimals),
        available: money(available, decimals),
        live_link,
        parts,
        created_at: record.created_at,
        created_by: record.created_by,
    }
}

#[cfg(test)]
mod tests;
