//! A tolerant reader of Ottu's report CSV files. Ottu does not document the columns, so the
//! reader finds them by name in the header row, whatever their order, case, spacing or
//! punctuation (`Order No`, `order_no`, `ORDER-NO`), under the names in
//! [`ReportColumn::aliases`]; it skips a UTF-8 byte-order mark, takes quoted fields (commas,
//! quotes and line breaks inside them) and rows of any length. Unknown columns are listed and
//! ignored; missing ones are listed and read as absent.
//!
//! A bad row does not fail the file: it becomes a [`RowProblem`] (with its line and the
//! column at fault), and every other row is still returned. A row naming neither an
//! `order_no` nor a `session_id` cannot be matched to anything and is left out with a problem;
//! a row whose amount or currency cannot be read is kept with that field absent and a problem.
//! Only a file with no usable header (empty, or neither an order-number nor a session column)
//! is an error.

use serde::Serialize;

use crate::money::{Amount, CurrencyCode};

/// A column the reader knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportColumn {
    /// `order_no`.
    OrderNo,
    /// `session_id`.
    SessionId,
    /// `amount`.
    Amount,
    /// `currency_code`.
    Currency,
    /// `state`.
    State,
    /// `pg_code` (the settled gateway).
    PgCode,
    /// `created_at`.
    CreatedAt,
    /// `paid_at`.
    PaidAt,
}

impl ReportColumn {
    /// Every known column.
    pub const ALL: [ReportColumn; 8] = [
        ReportColumn::OrderNo,
        ReportColumn::SessionId,
        ReportColumn::Amount,
        ReportColumn::Currency,
        ReportColumn::State,
        ReportColumn::PgCode,
        ReportColumn::CreatedAt,
        ReportColumn::PaidAt,
    ];

    /// The name used in problems (and the local sandbox's header).
    pub fn name(self) -> &'static str {
        match self {
            ReportColumn::OrderNo => "order_no",
            ReportColumn::SessionId => "session_id",
            ReportColumn::Amount => "amount",
            ReportColumn::Currency => "currency_code",
            ReportColumn::State => "state",
            ReportColumn::PgCode => "pg_code",
            ReportColumn::CreatedAt => "created_at",
            ReportColumn::PaidAt => "paid_at",
        }
    }

    /// Header names read as this column, normalised (lower case, words joined by `_`).
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            ReportColumn::OrderNo => &["order_no", "order_number", "order", "merchant_order_no"],
            ReportColumn::SessionId => &["session_id", "session", "payment_session_id"],
            ReportColumn::Amount => &["amount", "transaction_amount", "order_amount"],
            ReportColumn::Currency => &["currency_code", "currency"],
            ReportColumn::State => &["state", "status", "transaction_state", "payment_state"],
            ReportColumn::PgCode => &[
                "pg_code",
                "gateway_code",
                "gateway",
                "settled_pg_code",
                "gateway_account",
                "payment_gateway",
            ],
            ReportColumn::CreatedAt => &["created_at", "created", "creation_date", "created_date"],
            ReportColumn::PaidAt => &["paid_at", "payment_date", "paid_date"],
        }
    }

    fn of_header(header: &str) -> Option<ReportColumn> {
        let normal = normalise(header);
        ReportColumn::ALL
            .into_iter()
            .find(|c| c.aliases().contains(&normal.as_str()))
    }
}

/// `Order No.` → `order_no`: lower case, runs of anything but letters and digits become one `_`.
fn normalise(header: &str) -> String {
    let mut out = String::new();
    for c in header.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_owned()
}

/// One transaction of a report. Text fields are trimmed; blanks read as `None`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportRecord {
    /// 1-based line of the file where the row starts (the header is line 1).
    pub line: u64,
    /// The merchant's order number.
    pub order_no: Option<String>,
    /// Ottu's `session_id`.
    pub session_id: Option<String>,
    /// In the currency's decimals when the currency is known (`1.5` KWD reads `1.500`).
    pub amount: Option<Amount>,
    /// ISO 4217 currency.
    pub currency: Option<CurrencyCode>,
    /// Ottu's state as written (lower case), e.g. `paid`, `cod`.
    pub state: Option<String>,
    /// The gateway the transaction settled on, if any.
    pub pg_code: Option<String>,
    /// As written (the local sandbox: `YYYY-MM-DD HH:MM:SS` UTC).
    pub created_at: Option<String>,
    /// As written; absent when unpaid.
    pub paid_at: Option<String>,
}

impl ReportRecord {
    /// The `YYYY-MM-DD` day `created_at` starts with, if it does.
    pub fn created_on(&self) -> Option<&str> {
        let text = self.created_at.as_deref()?;
        let day = text.get(..10)?;
        let b = day.as_bytes();
        (b[4] == b'-' && b[7] == b'-' && day.chars().filter(char::is_ascii_digit).count() == 8)
            .then_some(day)
    }
}

/// Why a row (or part of it) could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowProblem {
    /// 1-based line where the row starts.
    pub line: u64,
    /// The column at fault, when it is one column.
    pub column: Option<ReportColumn>,
    /// What is wrong, in English (for logs and support).
    pub message: String,
}

/// What a report file held.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ParsedReport {
    /// The rows read, in file order.
    pub records: Vec<ReportRecord>,
    /// Rows (or fields) that could not be read.
    pub problems: Vec<RowProblem>,
    /// Header names the reader does not know (ignored).
    pub unknown_columns: Vec<String>,
    /// Known columns the file does not have (read as absent).
    pub missing_columns: Vec<ReportColumn>,
}

/// A file that has no usable header.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportParseError {
    /// Nothing but whitespace.
    #[error("the report file is empty")]
    Empty,
    /// No column says which transaction a row is.
    #[error("the report file has neither an order number nor a session column")]
    NoIdentifyingColumn,
    /// The header row is not CSV.
    #[error("the report file's header cannot be read: {0}")]
    Header(String),
}

/// Reads a report CSV (see the module docs for what is tolerated).
pub fn parse_report(bytes: &[u8]) -> Result<ParsedReport, ReportParseError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ReportParseError::Empty);
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(bytes);
    let headers = reader
        .byte_headers()
        .map_err(|e| ReportParseError::Header(e.to_string()))?
        .clone();
    let mut positions: Vec<(ReportColumn, usize)> = Vec::new();
    let mut unknown_columns = Vec::new();
    for (index, raw) in headers.iter().enumerate() {
        let name = String::from_utf8_lossy(raw).into_owned();
        match ReportColumn::of_header(&name) {
            // The first column of a name wins; a repeat is reported as unknown.
            Some(column) if !positions.iter().any(|(c, _)| *c == column) => {
                positions.push((column, index))
            }
            _ if name.trim().is_empty() => {}
            _ => unknown_columns.push(name.trim().to_owned()),
        }
    }
    let has = |c: ReportColumn| positions.iter().any(|(p, _)| *p == c);
    if !has(ReportColumn::OrderNo) && !has(ReportColumn::SessionId) {
        return Err(ReportParseError::NoIdentifyingColumn);
    }
    let missing_columns = ReportColumn::ALL.into_iter().filter(|c| !has(*c)).collect();
    let mut parsed = ParsedReport {
        unknown_columns,
        missing_columns,
        ..ParsedReport::default()
    };
    let mut row = csv::ByteRecord::new();
    loop {
        let before = reader.position().line();
        match reader.read_byte_record(&mut row) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                parsed.problems.push(RowProblem {
                    line: e.position().map_or(before, csv::Position::line),
                    column: None,
                    message: format!("unreadable row: {e}"),
                });
                continue;
            }
        }
        if row.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        let line = row.position().map_or(before, |p| first_line_of(bytes, p));
        read_row(&row, line, &positions, &mut parsed);
    }
    Ok(parsed)
}

/// The line a record really starts on: the reader's position counts from the end of the
/// previous record, so blank lines skipped before it are added here.
fn first_line_of(bytes: &[u8], position: &csv::Position) -> u64 {
    let mut line = position.line();
    for byte in bytes.iter().skip(position.byte() as usize) {
        match byte {
            b'\n' => line += 1,
            b'\r' | b' ' | b'\t' => {}
            _ => break,
        }
    }
    line
}

fn read_row(
    row: &csv::ByteRecord,
    line: u64,
    positions: &[(ReportColumn, usize)],
    parsed: &mut ParsedReport,
) {
    let mut problems = Vec::new();
    let mut field = |column: ReportColumn| -> Option<String> {
        let index = positions.iter().find(|(c, _)| *c == column)?.1;
        let raw = row.get(index)?;
        match std::str::from_utf8(raw) {
            Ok(text) => Some(text.trim().to_owned()).filter(|t| !t.is_empty()),
            Err(_) => {
                problems.push(RowProblem {
                    line,
                    column: Some(column),
                    message: "not UTF-8 text".to_owned(),
                });
                None
            }
        }
    };
    let order_no = field(ReportColumn::OrderNo);
    let session_id = field(ReportColumn::SessionId);
    let amount_text = field(ReportColumn::Amount);
    let currency_text = field(ReportColumn::Currency);
    let state = field(ReportColumn::State).map(|s| s.to_lowercase());
    let pg_code = field(ReportColumn::PgCode);
    let created_at = field(ReportColumn::CreatedAt);
    let paid_at = field(ReportColumn::PaidAt);
    if order_no.is_none() && session_id.is_none() {
        problems.push(RowProblem {
            line,
            column: None,
            message: "the row has neither an order number nor a session id".to_owned(),
        });
        parsed.problems.extend(problems);
        return;
    }
    let currency =
        currency_text
            .as_deref()
            .and_then(|code| match CurrencyCode::parse(&code.to_uppercase()) {
                Ok(c) => Some(c),
                Err(e) => {
                    problems.push(RowProblem {
                        line,
                        column: Some(ReportColumn::Currency),
                        message: format!("{code:?}: {e}"),
                    });
                    None
                }
            });
    let amount = amount_text.as_deref().and_then(|text| {
        // Thousands separators are a spreadsheet's habit, not part of the number.
        let plain = text.replace(',', "");
        let read = match &currency {
            Some(c) => Amount::parse(&plain, c),
            None => Amount::parse_unchecked(&plain),
        };
        match read {
            Ok(a) => Some(a),
            Err(e) => {
                problems.push(RowProblem {
                    line,
                    column: Some(ReportColumn::Amount),
                    message: format!("{text:?}: {e}"),
                });
                None
            }
        }
    });
    parsed.problems.extend(problems);
    parsed.records.push(ReportRecord {
        line,
        order_no,
        session_id,
        amount,
        currency,
        state,
        pg_code,
        created_at,
        paid_at,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_matched_whatever_their_spelling() {
        assert_eq!(normalise("  Order No. "), "order_no");
        assert_eq!(normalise("ORDER-NO"), "order_no");
        assert_eq!(
            ReportColumn::of_header("Currency Code"),
            Some(ReportColumn::Currency)
        );
        assert_eq!(ReportColumn::of_header("Customer email"), None);
    }

    #[test]
    fn created_on_is_the_leading_date_only() {
        let mut r = ReportRecord {
            line: 2,
            order_no: None,
            session_id: Some("s".into()),
            amount: None,
            currency: None,
            state: None,
            pg_code: None,
            created_at: Some("2026-12-03 10:00:00".into()),
            paid_at: None,
        };
        assert_eq!(r.created_on(), Some("2026-12-03"));
        r.created_at = Some("03/12/2026".into());
        assert_eq!(r.created_on(), None);
    }
}
