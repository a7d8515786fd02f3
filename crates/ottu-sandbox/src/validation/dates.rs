//! Dates and date-times as the checkout schema accepts and echoes them.

/// `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<time::Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    if text.len() != 10 {
        return None;
    }
    time::Date::parse(text, format).ok()
}

/// Accepts ISO 8601 (`2026-11-22T10:00[:00][Z|+03:00]`) and `DD/MM/YYYY HH:MM[:SS]`;
/// returns the UTC Unix time.
pub fn parse_due_datetime(text: &str) -> Option<i64> {
    use time::macros::format_description as fd;
    if let Ok(t) = time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
    {
        return Some(t.unix_timestamp());
    }
    let naive_formats: [&[time::format_description::BorrowedFormatItem<'_>]; 6] = [
        fd!("[year]-[month]-[day]T[hour]:[minute]:[second]"),
        fd!("[year]-[month]-[day]T[hour]:[minute]"),
        fd!("[year]-[month]-[day] [hour]:[minute]:[second]"),
        fd!("[year]-[month]-[day] [hour]:[minute]"),
        fd!("[day]/[month]/[year] [hour]:[minute]:[second]"),
        fd!("[day]/[month]/[year] [hour]:[minute]"),
    ];
    naive_formats
        .iter()
        .find_map(|f| time::PrimitiveDateTime::parse(text, f).ok())
        .map(|t| t.assume_utc().unix_timestamp())
}

/// `DD/MM/YYYY HH:MM:SS` in UTC, how `due_datetime` is echoed.
pub fn format_due_datetime(unix: i64) -> String {
    let t =
        time::OffsetDateTime::from_unix_timestamp(unix).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    t.format(time::macros::format_description!(
        "[day]/[month]/[year] [hour]:[minute]:[second]"
    ))
    .unwrap_or_default()
}

/// `YYYY-MM-DD` (UTC) of a Unix time.
pub fn format_date(unix: i64) -> String {
    let t =
        time::OffsetDateTime::from_unix_timestamp(unix).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    t.format(time::macros::format_description!("[year]-[month]-[day]"))
        .unwrap_or_default()
}
