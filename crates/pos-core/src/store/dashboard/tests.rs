//! The dashboard over a real SQLite history against an independent sum: random histories
//! (currencies with 0, 2 and 3 decimals, every state, cash and links, three staff, refunds done
//! and not, rows outside the window and of another profile) are written with plain SQL, read
//! through the store and [`compute`], and compared with sums of integer minor units made here
//! on a fixed UTC+3 clock.

use std::collections::BTreeMap;

use proptest::prelude::*;
use time::macros::date;
use time::{Date, Duration, OffsetDateTime};

use super::super::Store;
use crate::clock::{Zone, format_utc};
use crate::dashboard::{DashboardContext, DashboardScope, compute, window};
use crate::settings::WeekStart;

const CURRENCIES: [(&str, u32); 3] = [("KWD", 3), ("SAR", 2), ("JPY", 0)];
const STATES: [&str; 6] = [
    "paid", "refunded", "pending", "canceled", "failed", "sending",
];
const GATEWAYS: [&str; 3] = ["knet", "credit-card", "apple-pay"];
const STAFF: [Option<&str>; 3] = [None, Some("staff-1"), Some("staff-2")];

#[derive(Debug, Clone)]
struct GenSale {
    currency: usize,
    minor: i64,
    state: usize,
    cash: bool,
    gateways: Vec<usize>,
    staff: usize,
    /// Minutes from the start of the generated span.
    minute: i64,
    other_profile: bool,
    refund: Option<(i64, bool, i64)>,
}

fn sale_strategy() -> impl Strategy<Value = GenSale> {
    (
        0..CURRENCIES.len(),
        1i64..5_000_000,
        0..STATES.len(),
        any::<bool>(),
        proptest::collection::vec(0..GATEWAYS.len(), 1..3),
        0..STAFF.len(),
        0i64..(24 * 60 * 24),
        proptest::bool::weighted(0.1),
        proptest::option::weighted(0.3, (1i64..5_000_000, any::<bool>(), 0i64..(24 * 60 * 24))),
    )
        .prop_map(
            |(currency, minor, state, cash, gateways, staff, minute, other_profile, refund)| {
                GenSale {
                    currency,
                    minor,
                    state,
                    cash,
                    gateways,
                    staff,
                    minute,
                    other_profile,
                    refund,
                }
            },
        )
}

/// Minor units as the store writes amounts (`12.500`), made without any decimal library.
fn text(minor: i64, decimals: u32) -> String {
    if decimals == 0 {
        return minor.to_string();
    }
    let unit = 10i64.pow(decimals);
    let sign = if minor < 0 { "-" } else { "" };
    let minor = minor.abs();
    format!(
        "{sign}{}.{:0width$}",
        minor / unit,
        minor % unit,
        width = decimals as usize
    )
}

fn unique_gateways(indices: &[usize]) -> Vec<&'static str> {
    let mut codes = Vec::new();
    for &i in indices {
        if !codes.contains(&GATEWAYS[i]) {
            codes.push(GATEWAYS[i]);
        }
    }
    codes
}

/// Writes the history with plain SQL, as an older or another process might have.
fn write_history(store: &Store, span_start: OffsetDateTime, sales: &[GenSale]) {
    let conn = store.conn();
    for (n, sale) in sales.iter().enumerate() {
        let (code, decimals) = CURRENCIES[sale.currency];
        let created = format_utc(span_start + Duration::minutes(sale.minute));
        let codes = unique_gateways(&sale.gateways);
        let request = serde_json::json!({ "pg_codes": codes }).to_string();
        conn.execute(
            "INSERT INTO sales (id, profile_id, order_no, state, amount, currency_code, language,
                created_at, updated_at, request_json, search_text, method, created_by_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'en', ?7, ?7, ?8, '', ?9, ?10)",
            rusqlite::params![
                format!("s{n}"),
                if sale.other_profile { "p2" } else { "p1" },
                format!("POS-{n}"),
                STATES[sale.state],
                text(sale.minor, decimals),
                code,
                created,
                request,
                if sale.cash { "cash" } else { "link" },
                STAFF[sale.staff],
            ],
        )
        .unwrap();
        if let Some((minor, done, minute)) = sale.refund {
            conn.execute(
                "INSERT INTO operations (id, sale_id, profile_id, kind, amount, currency_code,
                    tracking_key, state, created_at, updated_at)
                 VALUES (?1, ?2, ?3, 'refund', ?4, ?5, ?1, ?6, ?7, ?7)",
                rusqlite::params![
                    format!("op{n}"),
                    format!("s{n}"),
                    if sale.other_profile { "p2" } else { "p1" },
                    text(minor, decimals),
                    code,
                    if done { "done" } else { "failed" },
                    format_utc(span_start + Duration::minutes(minute)),
                ],
            )
            .unwrap();
        }
    }
}

#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct Model {
    count: u32,
    minor: i64,
}

impl Model {
    fn add(&mut self, minor: i64) {
        self.count += 1;
        self.minor += minor;
    }
}

const OFFSET_HOURS: i64 = 3;

fn check_history(
    today: Date,
    week_start: WeekStart,
    sales: &[GenSale],
    staff: Option<&str>,
) -> Result<(), TestCaseError> {
    let zone = Zone::from_posix_rule("<+03>-3").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("h.sqlite")).unwrap();
    // The span: from 17 local days before today to 7 after, in UTC.
    let span_start =
        (today - Duration::days(17)).midnight().assume_utc() - Duration::hours(OFFSET_HOURS);
    write_history(&store, span_start, sales);

    let (first, end) = window(today, week_start);
    let utc = |day: Date| format_utc(day.midnight().assume_utc() - Duration::hours(OFFSET_HOURS));
    let rows = store
        .dashboard_sales("p1", &utc(first), &utc(end), staff)
        .unwrap();
    let refunds = store
        .dashboard_refunds("p1", &utc(today), &utc(today + Duration::days(1)), staff)
        .unwrap();
    let scope = if staff.is_some() {
        DashboardScope::Own
    } else {
        DashboardScope::Shop
    };
    let dashboard = compute(
        DashboardContext {
            zone: &zone,
            today,
            week_start,
            scope,
            generated_at: "2026-12-03T12:00:00.000Z",
        },
        &rows,
        &refunds,
    );

    // The independent model: local time is the span's minute plus three hours, on a clock that
    // starts at local midnight 17 days before today.
    let mut today_sum: BTreeMap<usize, Model> = BTreeMap::new();
    let mut refund_sum: BTreeMap<usize, Model> = BTreeMap::new();
    let mut hours: BTreeMap<(usize, i64), Model> = BTreeMap::new();
    let mut days: BTreeMap<(usize, i64), Model> = BTreeMap::new();
    let mut methods: BTreeMap<(usize, String), Model> = BTreeMap::new();
    let mut seen: BTreeMap<usize, ()> = BTreeMap::new();
    let first_offset = (first - (today - Duration::days(17))).whole_days();
    let today_offset = 17;
    for sale in sales.iter().filter(|s| !s.other_profile) {
        if staff.is_some() && STAFF[sale.staff] != staff {
            continue;
        }
        let local_day = sale.minute.div_euclid(24 * 60);
        let local_hour = sale.minute.rem_euclid(24 * 60) / 60;
        if let Some((minor, true, minute)) = sale.refund
            && minute.div_euclid(24 * 60) == today_offset
        {
            refund_sum.entry(sale.currency).or_default().add(minor);
            seen.insert(sale.currency, ());
        }
        if !matches!(STATES[sale.state], "paid" | "refunded") {
            continue;
        }
        let slot = local_day - first_offset;
        if !(0..14).contains(&slot) {
            continue;
        }
        seen.insert(sale.currency, ());
        days.entry((sale.currency, slot))
            .or_default()
            .add(sale.minor);
        if local_day == today_offset {
            today_sum.entry(sale.currency).or_default().add(sale.minor);
            hours
                .entry((sale.currency, local_hour))
                .or_default()
                .add(sale.minor);
            let key = if sale.cash {
                "cash".to_owned()
            } else {
                format!("link {}", unique_gateways(&sale.gateways).join("+"))
            };
            methods
                .entry((sale.currency, key))
                .or_default()
                .add(sale.minor);
        }
    }

    let codes: Vec<&str> = dashboard
        .currencies
        .iter()
        .map(|c| c.currency_code.as_str())
        .collect();
    let mut expected_codes: Vec<&str> = seen.keys().map(|&c| CURRENCIES[c].0).collect();
    expected_codes.sort();
    prop_assert_eq!(codes, expected_codes);
    for (index, (code, decimals)) in CURRENCIES.iter().enumerate() {
        let Some(line) = dashboard
            .currencies
            .iter()
            .find(|c| c.currency_code == *code)
        else {
            continue;
        };
        let paid = today_sum.get(&index).copied().unwrap_or_default();
        let refunded = refund_sum.get(&index).copied().unwrap_or_default();
        prop_assert_eq!(line.paid_count, paid.count);
        prop_assert_eq!(&line.paid_total, &text(paid.minor, *decimals));
        prop_assert_eq!(line.refund_count, refunded.count);
        prop_assert_eq!(&line.refund_total, &text(refunded.minor, *decimals));
        prop_assert_eq!(
            &line.net_total,
            &text(paid.minor - refunded.minor, *decimals)
        );
        // Half away from zero, in integers.
        let average = if paid.count == 0 {
            0
        } else {
            let count = i64::from(paid.count);
            (2 * paid.minor + count) / (2 * count)
        };
        prop_assert_eq!(&line.average_sale, &text(average, *decimals));
        for hour in 0..24 {
            let model = hours.get(&(index, hour)).copied().unwrap_or_default();
            prop_assert_eq!(
                line.by_hour[hour as usize].count,
                model.count,
                "hour {}",
                hour
            );
            prop_assert_eq!(
                &line.by_hour[hour as usize].total,
                &text(model.minor, *decimals)
            );
        }
        for slot in 0..14 {
            let model = days.get(&(index, slot)).copied().unwrap_or_default();
            let tally = if slot < 7 {
                &line.last_week[slot as usize]
            } else {
                &line.this_week[slot as usize - 7]
            };
            prop_assert_eq!(tally.count, model.count, "day slot {}", slot);
            prop_assert_eq!(&tally.total, &text(model.minor, *decimals));
        }
        let got: BTreeMap<(usize, String), Model> = line
            .by_method
            .iter()
            .map(|m| {
                let key = match &m.gateway {
                    Some(g) => format!("{} {g}", m.method),
                    None => m.method.clone(),
                };
                let minor = m.total.replace('.', "").parse::<i64>().unwrap();
                (
                    (index, key),
                    Model {
                        count: m.count,
                        minor,
                    },
                )
            })
            .collect();
        let want: BTreeMap<(usize, String), Model> = methods
            .iter()
            .filter(|((c, _), _)| *c == index)
            .map(|(k, v)| (k.clone(), *v))
            .collect();
        prop_assert_eq!(got, want);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn the_dashboard_equals_an_independent_sum(
        day in 0i64..365,
        start in 0usize..3,
        sales in proptest::collection::vec(sale_strategy(), 0..60),
        own in 0usize..3,
    ) {
        let today = date!(2026 - 01 - 01) + Duration::days(day);
        let week_start = [WeekStart::Saturday, WeekStart::Sunday, WeekStart::Monday][start];
        check_history(today, week_start, &sales, STAFF[own])?;
    }
}

#[test]
fn the_reads_use_a_created_at_range_not_a_table_scan() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("h.sqlite")).unwrap();
    let conn = store.conn();
    let plan = |sql: &str| -> String {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let rows = stmt
            .query_map(rusqlite::params!["p1", "a", "b", None::<String>], |r| {
                r.get::<_, String>(3)
            })
            .unwrap();
        rows.map(Result::unwrap).collect::<Vec<_>>().join("\n")
    };
    let sales = plan(super::SALES_SQL);
    assert!(
        sales.contains("SEARCH sales USING INDEX sales_profile_created (profile_id=? AND created_at>? AND created_at<?)"),
        "{sales}"
    );
    let refunds = plan(super::REFUNDS_SQL);
    assert!(!refunds.contains("SCAN"), "{refunds}");
}
