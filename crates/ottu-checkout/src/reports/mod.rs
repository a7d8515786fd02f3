//! Ottu's Reports API: the list of finished report files (`GET /b/api/v1/reports/files/`) and
//! their download (`GET /b/api/v1/reports/files/{token}/download/`, the URL the list hands out
//! in `download_action`), and a tolerant reader of the CSV files ([`parse`]).
//!
//! Limits: Ottu allows 25 downloads an hour per user. A refused download is
//! [`Error::RateLimited`] with the wait ([`Error::retry_after`]); the client never repeats a
//! download by itself, since every attempt counts. Download URLs carry a token bound to the
//! user who listed and valid for a limited time: list again for fresh ones. The client only
//! follows download URLs on its own base URL (the token and the credentials are not sent
//! elsewhere).

pub mod parse;

use reqwest::Method;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::client::{Client, Payload};
use crate::de;
use crate::error::{Error, FieldErrors, Result};

pub use parse::{ParsedReport, ReportColumn, ReportRecord, RowProblem, parse_report};

const LIST_PATH: &str = "b/api/v1/reports/files/";

/// Most pages [`Reports::list_all`] follows (a guard against a server whose `next` never ends).
pub const MAX_PAGES: usize = 100;

crate::checkout::types::server_enum!(
    /// A report's `interval`.
    ReportInterval {
        /// `daily`.
        Daily => "daily",
        /// `weekly`.
        Weekly => "weekly",
        /// `monthly`.
        Monthly => "monthly",
        /// `yearly`.
        Yearly => "yearly",
    }
);

crate::checkout::types::server_enum!(
    /// Who made a report: `auto` (Ottu's schedule) or `manual`.
    ReportSource {
        /// `auto`.
        Auto => "auto",
        /// `manual`.
        Manual => "manual",
    }
);

/// Filters of the list. Dates are `YYYY-MM-DD` and inclusive; they filter on when the report
/// was created, not on the period it covers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportQuery {
    /// Reports created on or after this day (`YYYY-MM-DD`).
    pub created_after: Option<String>,
    /// Reports created on or before this day (`YYYY-MM-DD`).
    pub created_before: Option<String>,
    /// Only reports of this interval.
    pub interval: Option<ReportInterval>,
    /// Only reports from this source.
    pub source: Option<ReportSource>,
    /// Page size (the server's default when `None`).
    pub limit: Option<u32>,
    /// Index of the first report returned.
    pub offset: Option<u32>,
}

fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

impl ReportQuery {
    fn pairs(&self) -> Result<Vec<(&'static str, String)>> {
        let mut errors = FieldErrors::new();
        let mut pairs = Vec::new();
        for (key, value) in [
            ("created_after", &self.created_after),
            ("created_before", &self.created_before),
        ] {
            if let Some(value) = value {
                if is_date(value) {
                    pairs.push((key, value.clone()));
                } else {
                    errors.add(key, "Enter a valid date (YYYY-MM-DD).");
                }
            }
        }
        if !errors.is_empty() {
            return Err(Error::local(errors));
        }
        if let Some(interval) = &self.interval {
            pairs.push(("interval", interval.as_str().to_owned()));
        }
        if let Some(source) = &self.source {
            pairs.push(("source", source.as_str().to_owned()));
        }
        if let Some(limit) = self.limit {
            pairs.push(("limit", limit.to_string()));
        }
        if let Some(offset) = self.offset {
            pairs.push(("offset", offset.to_string()));
        }
        Ok(pairs)
    }
}

/// `download_action`: where and how to fetch the file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct DownloadAction {
    /// Always `GET`.
    #[serde(default, deserialize_with = "de::opt")]
    pub method: Option<String>,
    /// The download URL with its token.
    pub url: String,
}

/// One report file of the list (`ReportAPIList`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ReportFile {
    /// Ottu's opaque identifier of the report.
    pub encrypted_id: String,
    /// Display name.
    #[serde(default, deserialize_with = "de::opt")]
    pub report_name: Option<String>,
    /// Only reports of this interval.
    #[serde(default, deserialize_with = "de::opt")]
    pub interval: Option<ReportInterval>,
    /// Only reports from this source.
    #[serde(default, deserialize_with = "de::opt")]
    pub source: Option<ReportSource>,
    /// `csv` or `xlsx`.
    #[serde(default, deserialize_with = "de::opt")]
    pub file_format: Option<String>,
    /// Number of records in the file.
    #[serde(default, deserialize_with = "de::opt")]
    pub records_amount: Option<u64>,
    /// `finished` (the list shows finished ones only).
    #[serde(default, deserialize_with = "de::opt")]
    pub status: Option<String>,
    /// When its content was made (ISO 8601).
    #[serde(default, deserialize_with = "de::opt")]
    pub generated_at: Option<String>,
    /// When it was made (ISO 8601); what `created_after`/`created_before` filter on.
    #[serde(default, deserialize_with = "de::opt")]
    pub created_at: Option<String>,
    /// Where to download the file.
    pub download_action: DownloadAction,
}

/// A page of the list.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ReportPage {
    /// Reports matching the query, over all pages.
    pub count: u64,
    /// URL of the next page, if any.
    #[serde(default, deserialize_with = "de::opt")]
    pub next: Option<String>,
    /// URL of the previous page, if any.
    #[serde(default, deserialize_with = "de::opt")]
    pub previous: Option<String>,
    /// This page's reports, newest first.
    pub results: Vec<ReportFile>,
}

/// Handler for the Reports API; get one with [`Client::reports`].
#[derive(Debug, Clone, Copy)]
pub struct Reports<'c> {
    client: &'c Client,
}

impl<'c> Reports<'c> {
    pub(crate) fn new(client: &'c Client) -> Self {
        Self { client }
    }

    /// One page of report files, newest first. Retried like the other reads.
    pub async fn list(&self, query: &ReportQuery) -> Result<ReportPage> {
        let pairs = query.pairs()?;
        let path = if pairs.is_empty() {
            LIST_PATH.to_owned()
        } else {
            let encoded = serde_urlencoded::to_string(&pairs)
                .map_err(|e| Error::config(format!("cannot encode the query: {e}")))?;
            format!("{LIST_PATH}?{encoded}")
        };
        self.client
            .send_idempotent(Method::GET, &path, &Payload::Empty, &[])
            .await
    }

    /// Every report file matching `query` (its `offset` is the start), following `next` for
    /// at most [`MAX_PAGES`] pages.
    pub async fn list_all(&self, query: &ReportQuery) -> Result<Vec<ReportFile>> {
        let mut query = query.clone();
        let mut files = Vec::new();
        for _ in 0..MAX_PAGES {
            let page = self.list(&query).await?;
            let got = page.results.len() as u32;
            files.extend(page.results);
            if page.next.is_none() || got == 0 {
                return Ok(files);
            }
            query.offset = Some(query.offset.unwrap_or(0) + got);
        }
        Ok(files)
    }

    /// Downloads a listed file's bytes. Sent once: a 429 comes back as
    /// [`Error::RateLimited`] with the wait; an expired link is [`Error::Api`] with status
    /// 410 (list again for a fresh one). A URL off the client's base URL is refused before
    /// anything is sent ([`Error::Config`]).
    pub async fn download(&self, file: &ReportFile) -> Result<Vec<u8>> {
        let path = self.relative_path(&file.download_action.url)?;
        let raw = self
            .client
            .send_raw(Method::GET, &path, &Payload::Empty, &[])
            .await?;
        if !raw.status.is_success() {
            let text = String::from_utf8_lossy(&raw.body);
            return Err(Error::from_status(
                raw.status.as_u16(),
                &text,
                raw.retry_after,
            ));
        }
        Ok(raw.body)
    }

    /// `url` as a path under the base URL, or a config error when it points elsewhere.
    fn relative_path(&self, url: &str) -> Result<String> {
        let base = self.client.base_url();
        let target = Url::parse(url)
            .or_else(|_| base.join(url))
            .map_err(|_| Error::config("the report's download URL is not a URL"))?;
        let same_origin = target.scheme() == base.scheme()
            && target.host_str() == base.host_str()
            && target.port_or_known_default() == base.port_or_known_default();
        let base_path = base.path().trim_end_matches('/');
        match target.path().strip_prefix(base_path) {
            Some(rest) if same_origin && rest.starts_with('/') => Ok(match target.query() {
                Some(q) => format!("{rest}?{q}"),
                None => rest.to_owned(),
            }),
            _ => Err(Error::config(
                "the report's download URL is not on this Ottu server",
            )),
        }
    }
}
