//! The dashboard: today at a glance, and this week against last week.
//!
//! [`compute`] is a pure function of the sales taken and refunds done in a window of local days,
//! the local zone, today's date and the shop's first day of the week; the till reads the rows
//! ([`crate::store::Store::dashboard_sales`], one range on the `sales_profile_created` index) and
//! calls it. Definitions (docs/architecture.md, "Dashboard"):
//!
//! - A sale counts when it was *taken* (state `paid` or `refunded`, as in the shift reports), on
//!   the local day and hour it was **made** (`created_at`): a link paid after midnight counts on
//!   the day it was made. This keeps every figure one indexed range over `created_at`.
//! - Refunds count on the local day they were done (refund operations in state `done`).
//! - `paid_total` / `paid_count` are today's taken sales; `average_sale` is their mean, rounded
//!   half away from zero to the currency's decimals; `net_total` = paid − refunds.
//! - `by_method`: today's taken sales per `cash`, or `link` with the Ottu gateway (pg code; codes
//!   joined with `+` when the link offered several: the history does not record which one paid).
//! - `by_hour`: 24 slots, local wall-clock hour of the sale (an hour that happens twice when
//!   clocks go back is one slot).
//! - `this_week`: 7 days from the most recent `week_start` day on or before today; `last_week`:
//!   the 7 days before it. Days after today are zero.
//! - Every figure is per currency: amounts are never added across currencies.
//! - Scope: managers and owners see the whole shop; a cashier sees only the sales they made and
//!   refunds of those sales (enforced by the till, not the window).

use std::collections::BTreeMap;

use ottu_checkout::CurrencyCode;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use time::{Date, Duration, Weekday};

use crate::clock::{Zone, format_day, parse_instant};
use crate::reports::{MethodTotal, is_taken};
use crate::settings::WeekStart;
use crate::shifts::{decimal, money};

/// Whose sales the dashboard adds up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum DashboardScope {
    /// Every staff member's (manager, owner).
    Shop,
    /// Only the signed-in staff member's (cashier).
    Own,
}

/// Today at a glance, and this week against last week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Dashboard {
    /// Today, local (`YYYY-MM-DD`).
    pub today: String,
    /// Whose sales.
    pub scope: DashboardScope,
    /// The shop's first day of the week (settings).
    pub week_start: WeekStart,
    /// The 7 days of this week, local (`YYYY-MM-DD`), from its first day.
    pub this_week_days: Vec<String>,
    /// The 7 days of last week.
    pub last_week_days: Vec<String>,
    /// One entry per currency with a taken sale or a refund in the two weeks, by code.
    pub currencies: Vec<CurrencyDashboard>,
    /// When it was computed (RFC 3339, UTC).
    pub generated_at: String,
}

/// The figures of one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CurrencyDashboard {
    /// ISO 4217 code.
    pub currency_code: String,
    /// Taken sales made today.
    pub paid_count: u32,
    /// Their sum.
    pub paid_total: String,
    /// Refunds done today.
    pub refund_count: u32,
    /// Their sum.
    pub refund_total: String,
    /// Paid − refunds.
    pub net_total: String,
    /// Mean taken sale today (zero when none).
    pub average_sale: String,
    /// 24 slots, index = local hour.
    pub by_hour: Vec<Tally>,
    /// Today's taken sales per method and gateway.
    pub by_method: Vec<MethodTotal>,
    /// 7 slots, index = day of this week.
    pub this_week: Vec<Tally>,
    /// 7 slots, index = day of last week.
    pub last_week: Vec<Tally>,
}

/// A count and a sum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Tally {
    /// How many.
    pub count: u32,
    /// Sum, with the currency's decimals.
    pub total: String,
}

/// A taken sale as the dashboard reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DashboardSale {
    /// Amount.
    pub amount: String,
    /// Currency.
    pub currency_code: String,
    /// `link` or `cash`.
    pub method: String,
    /// The gateways the link offered.
    pub pg_codes: Vec<String>,
    /// Stored state (only taken ones count).
    pub state: String,
    /// When it was made (RFC 3339, UTC).
    pub created_at: String,
}

/// A done refund as the dashboard reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DashboardRefund {
    /// Amount refunded.
    pub amount: String,
    /// Currency.
    pub currency_code: String,
    /// When (RFC 3339, UTC).
    pub created_at: String,
}

/// The first day of the week holding `today`.
pub fn week_start_on_or_before(today: Date, start: WeekStart) -> Date {
    let first = match start {
        WeekStart::Saturday => Weekday::Saturday,
        WeekStart::Sunday => Weekday::Sunday,
        WeekStart::Monday => Weekday::Monday,
    };
    let back = (i64::from(today.weekday().number_days_from_monday())
        - i64::from(first.number_days_from_monday()))
    .rem_euclid(7);
    today - Duration::days(back)
}

/// The local days `[first day of last week, day after the end of this week)`: the window whose
/// rows [`compute`] needs.
pub fn window(today: Date, start: WeekStart) -> (Date, Date) {
    let this_week = week_start_on_or_before(today, start);
    (this_week - Duration::days(7), this_week + Duration::days(7))
}

fn decimals_of(currency: &str) -> u32 {
    CurrencyCode::parse(currency).map_or(3, |c| c.minor_units())
}

#[derive(Default, Clone, Copy)]
struct Sum {
    count: u32,
    total: Decimal,
}

impl Sum {
    fn add(&mut self, amount: Decimal) {
        self.count += 1;
        self.total += amount;
    }

    fn tally(self, decimals: u32) -> Tally {
        Tally {
            count: self.count,
            total: money(self.total, decimals),
        }
    }
}

#[derive(Default)]
struct Figures {
    today: Sum,
    refunds: Sum,
    by_hour: [Sum; 24],
    by_method: BTreeMap<(String, Option<String>), Sum>,
    weeks: [Sum; 14],
}

/// What [`compute`] needs besides the rows.
#[derive(Debug, Clone, Copy)]
pub struct DashboardContext<'a> {
    /// The local zone.
    pub zone: &'a Zone,
    /// Today, local.
    pub today: Date,
    /// The shop's first day of the week.
    pub week_start: WeekStart,
    /// Whose sales the rows are.
    pub scope: DashboardScope,
    /// Now (RFC 3339, UTC).
    pub generated_at: &'a str,
}

/// The dashboard (see the module's definitions). Rows outside the window are ignored.
pub fn compute(
    context: DashboardContext<'_>,
    sales: &[DashboardSale],
    refunds: &[DashboardRefund],
) -> Dashboard {
    let (first, _) = window(context.today, context.week_start);
    let local = |stored: &str| parse_instant(stored).map(|at| context.zone.to_local(at));
    let mut currencies: BTreeMap<String, Figures> = BTreeMap::new();
    for sale in sales.iter().filter(|s| is_taken(&s.state)) {
        let Some(at) = local(&sale.created_at) else {
            continue;
        };
        let slot = (at.date() - first).whole_days();
        if !(0..14).contains(&slot) {
            continue;
        }
        let amount = decimal(&sale.amount);
        let figures = currencies.entry(sale.currency_code.clone()).or_default();
        figures.weeks[slot as usize].add(amount);
        if at.date() == context.today {
            figures.today.add(amount);
            figures.by_hour[usize::from(at.hour())].add(amount);
            let gateway = (sale.method != "cash" && !sale.pg_codes.is_empty())
                .then(|| sale.pg_codes.join("+"));
            figures
                .by_method
                .entry((sale.method.clone(), gateway))
                .or_default()
                .add(amount);
        }
    }
    for refund in refunds {
        if local(&refund.created_at).is_some_and(|at| at.date() == context.today) {
            currencies
                .entry(refund.currency_code.clone())
                .or_default()
                .refunds
                .add(decimal(&refund.amount));
        }
    }
    let days = |from: Date| {
        (0..7)
            .map(|d| format_day(from + Duration::days(d)))
            .collect()
    };
    Dashboard {
        today: format_day(context.today),
        scope: context.scope,
        week_start: context.week_start,
        this_week_days: days(first + Duration::days(7)),
        last_week_days: days(first),
        currencies: currencies
            .into_iter()
            .map(|(code, figures)| currency_dashboard(code, figures))
            .collect(),
        generated_at: context.generated_at.to_owned(),
    }
}

fn currency_dashboard(code: String, figures: Figures) -> CurrencyDashboard {
    let dp = decimals_of(&code);
    let average = if figures.today.count == 0 {
        Decimal::ZERO
    } else {
        (figures.today.total / Decimal::from(figures.today.count))
            .round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
    };
    CurrencyDashboard {
        paid_count: figures.today.count,
        paid_total: money(figures.today.total, dp),
        refund_count: figures.refunds.count,
        refund_total: money(figures.refunds.total, dp),
        net_total: money(figures.today.total - figures.refunds.total, dp),
        average_sale: money(average, dp),
        by_hour: figures.by_hour.iter().map(|s| s.tally(dp)).collect(),
        by_method: figures
            .by_method
            .into_iter()
            .map(|((method, gateway), sum)| MethodTotal {
                method,
                gateway,
                currency_code: code.clone(),
                count: sum.count,
                total: money(sum.total, dp),
            })
            .collect(),
        last_week: figures.weeks[..7].iter().map(|s| s.tally(dp)).collect(),
        this_week: figures.weeks[7..].iter().map(|s| s.tally(dp)).collect(),
        currency_code: code,
    }
}

#[cfg(test)]
mod tests;
