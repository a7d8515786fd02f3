//! `reconcile`: the till's sales of a date range against Ottu's report files (manager and
//! owner). Fetching and the download limit here; the comparison is [`crate::reconcile`].
//!
//! Ottu makes one daily report file per day, dated the next day, and allows 25 downloads an
//! hour: a range is therefore limited to [`MAX_DAYS`] days (its files plus one each side), and
//! a refused download ends the run with `reconcile_throttled` saying when to try again.

use ottu_checkout::reports::{ReportInterval, ReportQuery, parse_report};
use ottu_checkout::{Amount, CurrencyCode};
use time::Duration;

use super::Till;
use crate::clock::{format_day, parse_day};
use crate::dto::SaleState;
use crate::error::{Error, FieldErrors, Result};
use crate::problem;
use crate::reconcile::{Reconciliation, TillSale, compare};
use crate::staff::Action;
use crate::store::{CashOttuStatus, ListFilter};

/// Longest range reconciled at once (its report files stay within Ottu's hourly download limit).
pub const MAX_DAYS: i64 = 14;

/// Most sales of the range read from the history.
const MAX_SALES: u32 = 100_000;

impl Till {
    /// `reconcile {from, to}` (manager+): the differences between this till's sales created
    /// from `from` to `to` (UTC days, `YYYY-MM-DD`, inclusive) and Ottu's reports.
    pub async fn reconcile(&self, from: &str, to: &str) -> Result<Reconciliation> {
        self.authorize(Action::Reconcile)?;
        let mut fields = FieldErrors::new();
        let first = parse_day(from.trim());
        let last = parse_day(to.trim());
        if first.is_none() {
            fields.insert("from".into(), vec![problem!(ReconcileDateInvalid)]);
        }
        if last.is_none() {
            fields.insert("to".into(), vec![problem!(ReconcileDateInvalid)]);
        }
        let (Some(first), Some(last)) = (first, last) else {
            return Err(Error::invalid_fields(fields));
        };
        if last < first {
            return Err(Error::invalid_field(
                "to",
                problem!(ReconcileRangeBackwards),
            ));
        }
        if (last - first).whole_days() + 1 > MAX_DAYS {
            return Err(Error::invalid_field(
                "to",
                problem!(ReconcileRangeTooLong, max = MAX_DAYS),
            ));
        }
        let (from, to) = (format_day(first), format_day(last));
        // Cash sales still waiting for Ottu get their chance first.
        let _ = self.retry_cash_at_ottu().await;
        let (profile_id, sales, client) = self.engine().await?;
        let till_id = sales.till_id()?;

        // Ottu's side: the daily files of the range, a day either side.
        let query = ReportQuery {
            created_after: Some(format_day(first)),
            created_before: Some(format_day(last + Duration::days(2))),
            interval: Some(ReportInterval::Daily),
            ..ReportQuery::default()
        };
        let files = client.reports().list_all(&query).await?;
        let mut rows = Vec::new();
        let mut unreadable_rows = 0u32;
        for file in &files {
            let bytes = match client.reports().download(file).await {
                Ok(bytes) => bytes,
                Err(e @ ottu_checkout::Error::RateLimited { .. }) => {
                    let minutes = e
                        .retry_after()
                        .map_or(60, |wait| wait.as_secs().div_ceil(60).max(1));
                    return Err(Error::WrongState(problem!(
                        ReconcileThrottled,
                        minutes = minutes
                    )));
                }
                Err(e) => return Err(e.into()),
            };
            match parse_report(&bytes) {
                Ok(parsed) => {
                    unreadable_rows += parsed.problems.len() as u32;
                    for problem in &parsed.problems {
                        tracing::warn!(line = problem.line, message = %problem.message, "report row");
                    }
                    rows.extend(parsed.records);
                }
                Err(e) => {
                    return Err(Error::WrongState(problem!(
                        ReconcileReportUnreadable,
                        detail = e
                    )));
                }
            }
        }

        // The till's side: link sales Ottu knows of, cash sales acknowledged there.
        let store = sales.store();
        let cash: std::collections::HashMap<String, crate::store::CashOttuRecord> = store
            .cash_ottu_records(&profile_id)?
            .into_iter()
            .map(|r| (r.sale_id.clone(), r))
            .collect();
        let filter = ListFilter {
            created_from: Some(format!("{}T00:00:00Z", format_day(first))),
            created_until: Some(format!(
                "{}T00:00:00Z",
                format_day(last + Duration::days(1))
            )),
            limit: MAX_SALES,
            ..ListFilter::default()
        };
        let mut ours = Vec::new();
        let (mut cash_pending, mut cash_local_only) = (0u32, 0u32);
        for sale in store.list(&profile_id, &filter)? {
            let Ok(currency) = CurrencyCode::parse(&sale.currency_code) else {
                continue;
            };
            let Ok(amount) = Amount::parse(&sale.amount, &currency) else {
                continue;
            };
            let day = sale.created_at.get(..10).unwrap_or_default().to_owned();
            let (session_id, state) = match cash.get(&sale.id) {
                Some(record) => match record.status {
                    CashOttuStatus::Acknowledged => (record.session_id.clone(), "cod".to_owned()),
                    CashOttuStatus::LocalOnly => {
                        cash_local_only += 1;
                        continue;
                    }
                    _ => {
                        cash_pending += 1;
                        continue;
                    }
                },
                // A cash sale made before its record existed: local only.
                None if sale.order_no.starts_with("CASH-") => {
                    cash_local_only += 1;
                    continue;
                }
                None => {
                    if sale.session_id.is_none()
                        || matches!(
                            sale.state,
                            SaleState::Sending | SaleState::Unknown | SaleState::Rejected
                        )
                    {
                        continue;
                    }
                    (sale.session_id.clone(), sale.state.as_str().to_owned())
                }
            };
            ours.push(TillSale {
                order_no: sale.order_no.clone(),
                session_id,
                amount,
                currency_code: sale.currency_code.clone(),
                state,
                day,
            });
        }
        let mut result = compare(&from, &to, &till_id, &ours, &rows);
        result.cash_pending = cash_pending;
        result.cash_local_only = cash_local_only;
        result.report_files = files.len() as u32;
        result.unreadable_rows = unreadable_rows;
        Ok(result)
    }
}

#[cfg(test)]
mod tests;
