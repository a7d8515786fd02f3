//! Ottu's Reports API (`GET /b/api/v1/reports/files/` and `…/{token}/download/`): report files
//! made from the sandbox's transactions, listed with a download link, downloaded under a
//! per-user limit. Ottu documents the list and download endpoints but neither the files'
//! columns nor when its reports are made; the sandbox's choices (also in the crate docs):
//!
//! - **Schedule.** One `daily` report per UTC day, covering the transactions *created* that
//!   day. A day's report is made the first time reports are listed after the day has ended on
//!   the sandbox clock, and dated as if Ottu's nightly job had made it at 00:00 UTC the next day
//!   (`created_at`, `generated_at`); source `auto`. Days before the first transaction get none;
//!   at most [`MAX_CATCH_UP_DAYS`] days are caught up at once. `POST /_sandbox/reports/generate
//!   {"date"}` makes one now (source `manual`, dated now), also for a day not yet over.
//! - **Files are frozen**: a report keeps what was true when it was made; later payments show
//!   in later files only.
//! - **Columns** ([`CSV_COLUMNS`], CSV, UTF-8, comma-delimited, a header row): `order_no`,
//!   `session_id`, `reference_number`, `type`, `amount` (the transaction's amount, fees
//!   excluded, in the currency's decimals), `currency_code`, `state`, `pg_code` (the settled
//!   gateway, blank when none), `created_at`, `paid_at` (`YYYY-MM-DD HH:MM:SS` UTC, blank
//!   when unpaid). Soft-deleted transactions are included (they happened); hard-deleted ones
//!   are gone.
//! - **Download links**: `download_action` is `{"method": "GET", "url"}` as Ottu's description
//!   shows (its schema types it as a string); the token in the URL is a UUID bound to the user
//!   who listed, valid [`DOWNLOAD_TOKEN_TTL_SECONDS`]; tokens live in memory (a restart or
//!   reset forgets them). Malformed token 400, unknown or expired 410, another user's 403.
//! - **Limit**: 25 downloads an hour per user, 429 with DRF's throttle text and `Retry-After`.
//! - **Plants** (`crate::faults::ReportPlant`, `POST /_sandbox/faults/reports`) change the
//!   files made after them: a transaction left out, another amount or state.

use std::collections::HashMap;

use time::{Date, Duration, OffsetDateTime, Time};

use crate::faults::ReportPlant;
use crate::model::Txn;
use crate::state::AppState;
use crate::store::{NewReportFile, ReportFile, StoreError};

/// The report files' columns, in file order.
pub const CSV_COLUMNS: [&str; 10] = [
    "order_no",
    "session_id",
    "reference_number",
    "type",
    "amount",
    "currency_code",
    "state",
    "pg_code",
    "created_at",
    "paid_at",
];

/// How long a download token from the list is valid (Ottu: "configurable TTL").
pub const DOWNLOAD_TOKEN_TTL_SECONDS: i64 = 3600;

/// Most days of `auto` reports made by one listing (a clock moved far ahead).
pub const MAX_CATCH_UP_DAYS: i64 = 366;

/// A download token handed out by the list.
#[derive(Debug, Clone)]
struct Token {
    report_id: i64,
    user: String,
    expires_at: i64,
}

/// The download tokens handed out (in memory).
#[derive(Debug, Default)]
pub struct DownloadTokens(HashMap<String, Token>);

/// What a download token gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenCheck {
    /// The report's id.
    Valid(i64),
    /// Unknown or expired.
    Gone,
    /// Handed to another user.
    OtherUser,
}

impl DownloadTokens {
    /// A new token for `report_id`, bound to `user`; expired tokens are forgotten.
    pub fn issue(&mut self, report_id: i64, user: &str, now: i64) -> String {
        self.0.retain(|_, t| t.expires_at > now);
        let token = uuid::Uuid::new_v4().to_string();
        self.0.insert(
            token.clone(),
            Token {
                report_id,
                user: user.to_owned(),
                expires_at: now + DOWNLOAD_TOKEN_TTL_SECONDS,
            },
        );
        token
    }

    /// What `token` gives `user` at `now`.
    pub fn check(&self, token: &str, user: &str, now: i64) -> TokenCheck {
        match self.0.get(token) {
            Some(t) if t.expires_at <= now => TokenCheck::Gone,
            Some(t) if t.user != user => TokenCheck::OtherUser,
            Some(t) => TokenCheck::Valid(t.report_id),
            None => TokenCheck::Gone,
        }
    }

    /// Forgets every token (reset).
    pub fn clear(&mut self) {
        self.0.clear();
    }
}

/// Midnight UTC of `day`, in unix seconds.
fn day_start(day: Date) -> i64 {
    day.with_time(Time::MIDNIGHT).assume_utc().unix_timestamp()
}

fn day_of(unix: i64) -> Date {
    OffsetDateTime::from_unix_timestamp(unix)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .date()
}

/// `YYYY-MM-DD`.
pub fn format_day(day: Date) -> String {
    day.format(time::macros::format_description!("[year]-[month]-[day]"))
        .unwrap_or_default()
}

/// Parses `YYYY-MM-DD`.
pub fn parse_day(text: &str) -> Option<Date> {
    Date::parse(
        text,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}

/// The CSV of `txns` with `plants` applied, and its number of records.
pub fn render_csv(txns: &[Txn], plants: &[ReportPlant]) -> (Vec<u8>, u32) {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut records = 0u32;
    // Writing to a Vec cannot fail; the header and rows are well-formed.
    let _ = writer.write_record(CSV_COLUMNS);
    for txn in txns {
        let order_no = txn.order_no().unwrap_or_default();
        let plant = |wanted: fn(&ReportPlant) -> bool| {
            plants
                .iter()
                .rev()
                .find(|p| !order_no.is_empty() && p.order_no() == order_no && wanted(p))
        };
        if plant(|p| matches!(p, ReportPlant::Drop { .. })).is_some() {
            continue;
        }
        let amount = match plant(|p| matches!(p, ReportPlant::Amount { .. })) {
            Some(ReportPlant::Amount { amount, .. }) => amount.clone(),
            _ => txn.checkout.amount.to_string(),
        };
        let state = match plant(|p| matches!(p, ReportPlant::State { .. })) {
            Some(ReportPlant::State { state, .. }) => state.clone(),
            _ => txn.state.as_str().to_owned(),
        };
        let _ = writer.write_record([
            order_no,
            &txn.session_id,
            &txn.reference_number,
            txn.plugin().as_str(),
            &amount,
            txn.checkout.currency_code.code(),
            &state,
            txn.settled_pg_code().unwrap_or_default(),
            &crate::clock::format_timestamp(txn.created_at),
            &txn.paid_at
                .map(crate::clock::format_timestamp)
                .unwrap_or_default(),
        ]);
        records += 1;
    }
    (writer.into_inner().unwrap_or_default(), records)
}

/// Makes and stores the daily report of `day`, dated `at`, from `source` (`auto`/`manual`).
pub async fn generate(
    state: &AppState,
    day: Date,
    source: &str,
    at: i64,
) -> Result<ReportFile, StoreError> {
    let from = day_start(day);
    let txns = state
        .store
        .txns_created_between(from, from + 86_400)
        .await?;
    let plants = state
        .faults
        .lock()
        .map(|f| f.report_plants())
        .unwrap_or_default();
    let (content, records) = render_csv(&txns, &plants);
    let period = format_day(day);
    state
        .store
        .insert_report(NewReportFile {
            encrypted_id: crate::ids::random_alphanumeric(32),
            report_name: format!("Transactions {period} (daily)"),
            interval: "daily".to_owned(),
            source: source.to_owned(),
            period,
            records,
            at,
            content,
        })
        .await
}

/// Makes the `auto` reports due by the sandbox clock: each whole UTC day since the first
/// transaction (or after the last `auto` report) up to yesterday.
pub async fn generate_due(state: &AppState) -> Result<(), StoreError> {
    let today = day_of(state.clock.now_unix());
    let first = match state.store.last_auto_report_period().await? {
        Some(last) => match parse_day(&last) {
            Some(day) => day + Duration::days(1),
            None => return Ok(()),
        },
        None => match state.store.first_txn_created_at().await? {
            Some(created) => day_of(created),
            None => return Ok(()),
        },
    };
    let first = first.max(today - Duration::days(MAX_CATCH_UP_DAYS));
    let mut day = first;
    while day < today {
        let next = day + Duration::days(1);
        generate(state, day, "auto", day_start(next)).await?;
        day = next;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip_and_start_at_midnight_utc() {
        let day = parse_day("2026-12-03").unwrap();
        assert_eq!(format_day(day), "2026-12-03");
        assert_eq!(day_start(day), 1_796_256_000);
        assert_eq!(day_of(1_796_256_000 + 86_399), day);
        assert_eq!(parse_day("2026-13-01"), None);
    }

    #[test]
    fn tokens_are_bound_to_their_user_and_expire() {
        let mut tokens = DownloadTokens::default();
        let token = tokens.issue(7, "user:a", 1000);
        assert!(uuid::Uuid::parse_str(&token).is_ok());
        assert_eq!(tokens.check(&token, "user:a", 1000), TokenCheck::Valid(7));
        assert_eq!(tokens.check(&token, "user:b", 1000), TokenCheck::OtherUser);
        assert_eq!(
            tokens.check(&token, "user:a", 1000 + DOWNLOAD_TOKEN_TTL_SECONDS),
            TokenCheck::Gone
        );
        assert_eq!(tokens.check("nope", "user:a", 1000), TokenCheck::Gone);
    }
}
