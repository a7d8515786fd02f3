//! History queries, today's totals and the CSV export.
//!
//! Dates in a [`HistoryQuery`] are local calendar days (the shop's clock): `from`/`to` become the
//! UTC instants of local midnight, `to` inclusive. Totals are summed as decimals from the stored
//! amount strings (which already carry the currency's decimals), never as floats.
//!
//! CSV (written by the `csv` crate): RFC 4180 quoting (fields with `,` `"` or line breaks are
//! quoted, quotes doubled), CRLF line ends, UTF-8 **with a byte-order mark**: Excel (the spreadsheet most shops open it in)
//! needs the BOM to read UTF-8 and would otherwise garble Arabic names; LibreOffice, Numbers and
//! Google Sheets skip it. Amounts are written as the exact decimal strings (`12.500`). A text
//! cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'` so a
//! typed-in name is never run as a formula (phone numbers too: `'+965…` also keeps their `+`);
//! plain numbers, negative ones included, stay numbers.

use std::collections::BTreeMap;
use std::io::Write;

use rust_decimal::Decimal;
use time::Date;
use time::macros::format_description;

use crate::clock::{Zone, format_utc, parse_instant};
use crate::dto::{HistoryQuery, Sale, Total};
use crate::error::{Error, Result};
use crate::store::ListFilter;

/// How many sales a history page holds when the query names no limit.
pub const DEFAULT_LIMIT: u32 = 200;

/// Turns the UI's query into the store's filter (`limit` falls back to `default_limit`).
pub fn filter_for(query: &HistoryQuery, default_limit: u32) -> Result<ListFilter> {
    let from = query
        .from
        .as_deref()
        .filter(|d| !d.trim().is_empty())
        .map(|d| parse_day("from", d))
        .transpose()?;
    let to = query
        .to
        .as_deref()
        .filter(|d| !d.trim().is_empty())
        .map(|d| parse_day("to", d))
        .transpose()?;
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        return Err(Error::invalid_field(
            "to",
            crate::problem!(DateRangeReversed),
        ));
    }
    Ok(ListFilter {
        text: query
            .text
            .as_deref()
            .map(normalize_search)
            .filter(|t| !t.is_empty()),
        state: query.state,
        created_from: from.map(local_midnight_utc),
        created_until: to.and_then(Date::next_day).map(local_midnight_utc),
        staff_id: query
            .staff_id
            .as_deref()
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .map(str::to_owned),
        method: query.method,
        limit: query.limit.unwrap_or(default_limit).max(1),
    })
}

/// Lowercased and trimmed; a query that looks like a phone number loses its spaces and dashes
/// (stored phones are E.164 digits).
fn normalize_search(text: &str) -> String {
    let trimmed = text.trim().to_lowercase();
    let phone_like = !trimmed.is_empty()
        && trimmed
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '+' | '(' | ')'))
        && trimmed.chars().any(|c| c.is_ascii_digit());
    if phone_like {
        trimmed
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect()
    } else {
        trimmed
    }
}

fn parse_day(field: &str, text: &str) -> Result<Date> {
    crate::clock::parse_day(text.trim())
        .ok_or_else(|| Error::invalid_field(field, crate::problem!(DateFormat)))
}

/// The UTC instant (as stored) of the local midnight that starts `day`. A midnight that happens
/// twice is the earlier; one skipped by a DST jump falls back to reading the wall time as UTC,
/// off by at most the jump on a rare day.
pub fn local_midnight_utc(day: Date) -> String {
    format_utc(Zone::local().midnight(day))
}

/// Today's local date range as stored instants: `[start, end)`.
pub fn today_range() -> (String, String) {
    let today = crate::clock::today();
    let tomorrow = today.next_day().unwrap_or(today);
    (local_midnight_utc(today), local_midnight_utc(tomorrow))
}

/// Today's takings per currency: payments received less refunds made (`count` is the number of
/// payments). A currency whose refunds exceed its payments shows a negative amount.
pub fn net_totals(paid: &[(String, String)], refunded: &[(String, String)]) -> Result<Vec<Total>> {
    net_of(totals(paid)?, refunded)
}

/// [`net_totals`] from payments already summed per currency ([`crate::store::Store::paid_totals`]).
pub fn net_of(paid: Vec<Total>, refunded: &[(String, String)]) -> Result<Vec<Total>> {
    let mut totals = paid;
    for refund in self::totals(refunded)? {
        let value: Decimal = refund
            .amount
            .parse()
            .map_err(|_| Error::Internal(format!("refund total {:?}", refund.amount)))?;
        match totals
            .iter_mut()
            .find(|t| t.currency_code == refund.currency_code)
        {
            Some(total) => {
                let sum: Decimal = total
                    .amount
                    .parse()
                    .map_err(|_| Error::Internal(format!("total {:?}", total.amount)))?;
                total.amount = (sum - value).to_string();
            }
            None => totals.push(Total {
                currency_code: refund.currency_code,
                amount: (-value).to_string(),
                count: 0,
            }),
        }
    }
    totals.sort_by(|a, b| a.currency_code.cmp(&b.currency_code));
    Ok(totals)
}

/// Sums `(currency_code, amount)` pairs per currency, in currency-code order.
pub fn totals(amounts: &[(String, String)]) -> Result<Vec<Total>> {
    let mut sums: BTreeMap<&str, (Decimal, u32)> = BTreeMap::new();
    for (currency, amount) in amounts {
        let value: Decimal = amount
            .parse()
            .map_err(|_| Error::Internal(format!("stored amount {amount:?} is not a decimal")))?;
        let entry = sums.entry(currency).or_insert((Decimal::ZERO, 0));
        entry.0 += value;
        entry.1 += 1;
    }
    Ok(sums
        .into_iter()
        .map(|(currency, (sum, count))| Total {
            currency_code: currency.to_owned(),
            // Every stored amount has the currency's scale, so the sum keeps it ("13.500").
            amount: sum.to_string(),
            count,
        })
        .collect())
}

/// The CSV header, in column order.
pub const CSV_HEADER: [&str; 14] = [
    "created_at",
    "order_no",
    "state",
    "amount",
    "currency_code",
    "customer_name",
    "customer_phone",
    "customer_email",
    "note",
    "link",
    "session_id",
    "paid_at",
    "problem",
    "staff",
];

/// Writes the header and one row per sale; returns the number of sales written.
pub fn write_csv(sales: &[Sale], mut out: impl Write) -> Result<usize> {
    let io = |source| Error::Io {
        context: "could not write the csv export".into(),
        source,
    };
    out.write_all("\u{feff}".as_bytes()).map_err(io)?;
    let mut csv = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(&mut out);
    let csv_io = |error: csv::Error| io(error.into());
    csv.write_record(CSV_HEADER).map_err(csv_io)?;
    for sale in sales {
        let row = [
            local_time(&sale.created_at),
            sale.order_no.clone(),
            sale.state.as_str().to_owned(),
            sale.amount.clone(),
            sale.currency_code.clone(),
            sale.customer_name.clone().unwrap_or_default(),
            sale.customer_phone.clone().unwrap_or_default(),
            sale.customer_email.clone().unwrap_or_default(),
            sale.note.clone().unwrap_or_default(),
            sale.link.clone().unwrap_or_default(),
            sale.session_id.clone().unwrap_or_default(),
            sale.paid_at.as_deref().map(local_time).unwrap_or_default(),
            sale.problem
                .as_ref()
                .map(|p| p.message.clone())
                .unwrap_or_default(),
            sale.created_by
                .as_ref()
                .map(|by| by.name.clone())
                .unwrap_or_default(),
        ];
        csv.write_record(row.iter().map(|cell| formula_safe(cell)))
            .map_err(csv_io)?;
    }
    csv.flush().map_err(io)?;
    drop(csv);
    out.flush().map_err(io)?;
    Ok(sales.len())
}

/// A text cell a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or
/// a carriage return) gets a leading `'`, so it shows as text; a plain number (`-1.500`, a
/// refund) stays a number.
pub(crate) fn formula_safe(value: &str) -> String {
    let is_number = {
        let digits = value.strip_prefix('-').unwrap_or(value);
        !digits.is_empty()
            && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
            && digits.chars().filter(|c| *c == '.').count() <= 1
            && !digits.starts_with('.')
            && !digits.ends_with('.')
    };
    if !is_number && value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    }
}

/// A stored UTC time as local `YYYY-MM-DD HH:MM:SS` (the stored text when it does not parse).
pub fn local_time(stored: &str) -> String {
    local_time_in(Zone::local(), stored)
}

fn local_time_in(zone: &Zone, stored: &str) -> String {
    parse_instant(stored)
        .and_then(|at| {
            zone.to_local(at)
                .format(format_description!(
                    "[year]-[month]-[day] [hour]:[minute]:[second]"
                ))
                .ok()
        })
        .unwrap_or_else(|| stored.to_owned())
}

#[cfg(test)]
mod tests {
    #[test]
    fn formula_cells_are_neutralised_and_numbers_stay_numbers() {
        for (cell, shown) in [
            ("=1+1", "'=1+1"),
            ("+96599999999", "'+96599999999"),
            ("-cmd", "'-cmd"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("-1.500", "-1.500"),
            ("12.500", "12.500"),
            ("-", "'-"),
            ("-1.", "'-1."),
            ("Sara", "Sara"),
        ] {
            assert_eq!(formula_safe(cell), shown, "{cell:?}");
        }
    }

    use super::*;
    use crate::dto::SaleState;

    #[test]
    fn totals_add_decimals_exactly_per_currency() {
        let amounts = vec![
            ("KWD".to_owned(), "0.100".to_owned()),
            ("KWD".to_owned(), "0.200".to_owned()),
            ("USD".to_owned(), "19.99".to_owned()),
            ("KWD".to_owned(), "12.500".to_owned()),
        ];
        let totals = totals(&amounts).unwrap();
        assert_eq!(
            totals,
            vec![
                Total {
                    currency_code: "KWD".into(),
                    amount: "12.800".into(),
                    count: 3
                },
                Total {
                    currency_code: "USD".into(),
                    amount: "19.99".into(),
                    count: 1
                },
            ]
        );
    }

    #[test]
    fn filter_turns_local_days_into_a_half_open_utc_range() {
        let query = HistoryQuery {
            from: Some("2026-03-01".into()),
            to: Some("2026-03-01".into()),
            text: Some("  Sara ".into()),
            state: Some(SaleState::Paid),
            limit: None,
            staff_id: None,
            method: Some(crate::dto::PaymentMethod::Cash),
        };
        let filter = filter_for(&query, 50).unwrap();
        assert_eq!(filter.text.as_deref(), Some("sara"));
        assert_eq!(filter.method, Some(crate::dto::PaymentMethod::Cash));
        assert_eq!(filter.limit, 50);
        let from = parse_instant(filter.created_from.as_deref().unwrap()).unwrap();
        let until = parse_instant(filter.created_until.as_deref().unwrap()).unwrap();
        assert_eq!((until - from).whole_hours(), 24);
        assert_eq!(
            Zone::local().to_local(from).date(),
            Date::from_calendar_date(2026, time::Month::March, 1).unwrap()
        );
    }

    #[test]
    fn a_bad_date_names_its_field() {
        let query = HistoryQuery {
            from: Some("01/03/2026".into()),
            ..Default::default()
        };
        assert!(
            filter_for(&query, 10)
                .unwrap_err()
                .field_errors()
                .contains_key("from")
        );
        let query = HistoryQuery {
            from: Some("2026-03-02".into()),
            to: Some("2026-03-01".into()),
            ..Default::default()
        };
        assert!(
            filter_for(&query, 10)
                .unwrap_err()
                .field_errors()
                .contains_key("to")
        );
    }

    #[test]
    fn a_phone_like_search_drops_separators() {
        assert_eq!(normalize_search(" 9999-99 99 "), "99999999");
        assert_eq!(normalize_search("POS-20260101"), "pos-20260101");
    }

    /// The whole file, byte for byte, as the hand-written writer before the `csv` crate wrote it.
    #[test]
    fn csv_bytes_are_unchanged() {
        let tricky = Sale {
            id: "a".into(),
            order_no: "POS-1".into(),
            session_id: None,
            state: SaleState::Paid,
            method: crate::dto::PaymentMethod::Link,
            bill_id: None,
            amount: "1000.500".into(),
            currency_code: "KWD".into(),
            customer_name: Some("سارة \"Sue\", Ltd".into()),
            customer_phone: Some("+96599999999".into()),
            customer_email: Some("@evil".into()),
            note: Some("a\r\nb".into()),
            language: crate::dto::Language::Ar,
            checkout_url: None,
            short_url: None,
            link: Some("=HYPERLINK(\"x\",1)".into()),
            qr_svg: None,
            expires_at: None,
            created_at: "not a time".into(),
            updated_at: "not a time".into(),
            paid_at: None,
            profile_id: "p".into(),
            problem: Some(crate::problem::Problem::recorded("  spaced ")),
            settlement: Default::default(),
            created_by: None,
            operations: Vec::new(),
            refundable_amount: None,
            offered_operations: Vec::new(),
            cart: None,
        };
        let plain = Sale {
            order_no: "POS-2".into(),
            state: SaleState::Created,
            method: crate::dto::PaymentMethod::Link,
            bill_id: None,
            customer_name: None,
            customer_phone: None,
            customer_email: None,
            note: None,
            link: None,
            problem: None,
            session_id: Some("sess".into()),
            ..tricky.clone()
        };
        let mut out = Vec::new();
        assert_eq!(write_csv(&[tricky, plain], &mut out).unwrap(), 2);
        let expected = "\u{feff}created_at,order_no,state,amount,currency_code,customer_name,\
                        customer_phone,customer_email,note,link,session_id,paid_at,problem,staff\r\n\
                        not a time,POS-1,paid,1000.500,KWD,\"سارة \"\"Sue\"\", Ltd\",'+96599999999,\
                        '@evil,\"a\r\nb\",\"'=HYPERLINK(\"\"x\"\",1)\",,,  spaced ,\r\n\
                        not a time,POS-2,created,1000.500,KWD,,,,,,sess,,,\r\n";
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }

    #[test]
    fn csv_quotes_and_keeps_arabic() {
        let sale = Sale {
            id: "a".into(),
            order_no: "POS-1".into(),
            session_id: None,
            state: SaleState::Paid,
            method: crate::dto::PaymentMethod::Link,
            bill_id: None,
            amount: "1,000.500".replace(',', ""),
            currency_code: "KWD".into(),
            customer_name: Some("سارة \"Sue\", Ltd".into()),
            customer_phone: Some("+96599999999".into()),
            customer_email: None,
            note: Some("line1\nline2".into()),
            language: crate::dto::Language::Ar,
            checkout_url: None,
            short_url: None,
            link: None,
            qr_svg: None,
            expires_at: None,
            created_at: "2026-01-01T10:00:00.000Z".into(),
            updated_at: "2026-01-01T10:00:00.000Z".into(),
            paid_at: None,
            profile_id: "p".into(),
            problem: Some(crate::problem::Problem::recorded("=cmd")),
            settlement: Default::default(),
            created_by: None,
            operations: Vec::new(),
            refundable_amount: None,
            offered_operations: Vec::new(),
            cart: None,
        };
        let mut out = Vec::new();
        assert_eq!(write_csv(&[sale], &mut out).unwrap(), 1);
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with('\u{feff}'));
        let mut lines = text.trim_start_matches('\u{feff}').split("\r\n");
        assert_eq!(lines.next().unwrap(), CSV_HEADER.join(","));
        let row = lines.next().unwrap();
        assert!(row.contains(
            ",POS-1,paid,1000.500,KWD,\"سارة \"\"Sue\"\", Ltd\",'+96599999999,,\"line1\nline2\""
        ));
        assert!(row.ends_with(",'=cmd,"), "{row}");
    }
}
