//! A period's paid totals ([`Store::paid_totals`]): the whole UTC days inside the period from
//! `sales_paid_days` (one row per profile, day, currency and decimals, kept by triggers on
//! `sales`), the part-days at either end from the covering index `sales_profile_paid`. A month
//! reads about 31 rows per currency and at most two days of sales, whatever the period's time
//! zone: a period that does not start or end at UTC midnight only moves more of its edge days
//! to the index.

use std::collections::BTreeMap;

use rusqlite::{Connection, params};

use super::Store;
use crate::dto::Total;
use crate::error::Result;

/// Per `(currency, decimals)`: the minor units summed and how many sales.
type Sums = BTreeMap<(String, u32), (i64, u32)>;

impl Store {
    /// Per currency, the sum and count of the profile's `paid` sales whose `paid_at` falls in
    /// `[from, until)` (RFC 3339 UTC), in currency-code order: what [`crate::history::totals`]
    /// makes of [`Store::paid_amounts`]. Exact: every stored amount of a currency has that
    /// currency's decimals, so the digits without the point are the amount in minor units,
    /// summed as 64-bit integers. A currency whose stored amounts disagree on their decimals
    /// (never written by this code) is summed as decimals in Rust instead.
    pub fn paid_totals(&self, profile_id: &str, from: &str, until: &str) -> Result<Vec<Total>> {
        let sums = {
            let conn = self.conn();
            paid_sums(&conn, profile_id, from, until)?
        };
        self.totals_from_sums(profile_id, from, until, sums)
    }

    /// [`Store::paid_totals`] from the covering index alone, every paid sale of the period read
    /// (the query before `sales_paid_days`; tests compare both).
    #[cfg(test)]
    pub(crate) fn paid_totals_scanned(
        &self,
        profile_id: &str,
        from: &str,
        until: &str,
    ) -> Result<Vec<Total>> {
        let mut sums = Sums::new();
        {
            let conn = self.conn();
            add_scanned(&conn, profile_id, from, until, &mut sums)?;
        }
        self.totals_from_sums(profile_id, from, until, sums)
    }

    fn totals_from_sums(
        &self,
        profile_id: &str,
        from: &str,
        until: &str,
        sums: Sums,
    ) -> Result<Vec<Total>> {
        let mut by_currency: BTreeMap<String, Vec<(u32, i64, u32)>> = BTreeMap::new();
        for ((currency_code, decimals), (minor, count)) in sums {
            if count > 0 {
                by_currency
                    .entry(currency_code)
                    .or_default()
                    .push((decimals, minor, count));
            }
        }
        let mut totals = Vec::with_capacity(by_currency.len());
        for (currency_code, parts) in by_currency {
            if let [(decimals, minor, count)] = parts[..] {
                totals.push(Total {
                    amount: rust_decimal::Decimal::new(minor, decimals).to_string(),
                    currency_code,
                    count,
                });
            } else {
                let amounts = self
                    .paid_amounts(profile_id, from, until)?
                    .into_iter()
                    .filter(|(code, _)| *code == currency_code)
                    .collect::<Vec<_>>();
                totals.extend(crate::history::totals(&amounts)?);
            }
        }
        Ok(totals)
    }
}

/// The sums of `[from, until)`: whole days strictly between the first and the last day from
/// `sales_paid_days`, the rest of those two days from the index. Every `paid_at` of a day
/// between them starts with that day, so it lies inside the period whatever follows the date.
fn paid_sums(conn: &Connection, profile_id: &str, from: &str, until: &str) -> Result<Sums> {
    let mut sums = Sums::new();
    let (Some(first_day), Some(last_day)) = (day_of(from), day_of(until)) else {
        add_scanned(conn, profile_id, from, until, &mut sums)?;
        return Ok(sums);
    };
    let Some(after_first) = next_day(first_day) else {
        add_scanned(conn, profile_id, from, until, &mut sums)?;
        return Ok(sums);
    };
    if last_day <= first_day {
        add_scanned(conn, profile_id, from, until, &mut sums)?;
        return Ok(sums);
    }
    // The first day from `from` to its end ("YYYY-MM-DD" of the next day sorts after every
    // time of the first day and before every time of the next).
    add_scanned(conn, profile_id, from, &after_first, &mut sums)?;
    let mut stmt = conn.prepare_cached(
        "SELECT currency_code, decimals, SUM(minor), SUM(count) FROM sales_paid_days
         WHERE profile_id = ?1 AND day > ?2 AND day < ?3
         GROUP BY currency_code, decimals",
    )?;
    add_grouped(
        &mut stmt,
        params![profile_id, first_day, last_day],
        &mut sums,
    )?;
    // The last day from its start to `until`.
    add_scanned(conn, profile_id, last_day, until, &mut sums)?;
    Ok(sums)
}

/// Adds the paid sales of `[from, until)` read from the covering index `sales_profile_paid`.
fn add_scanned(
    conn: &Connection,
    profile_id: &str,
    from: &str,
    until: &str,
    sums: &mut Sums,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT currency_code,
             IIF(instr(amount, '.') = 0, 0, length(amount) - instr(amount, '.')) AS decimals,
             SUM(CAST(REPLACE(amount, '.', '') AS INTEGER)), COUNT(*)
         FROM sales
         WHERE profile_id = ?1 AND state = 'paid' AND paid_at >= ?2 AND paid_at < ?3
         GROUP BY currency_code, decimals",
    )?;
    add_grouped(&mut stmt, params![profile_id, from, until], sums)
}

/// Adds the rows of a query answering `(currency_code, decimals, minor units, count)` per group.
fn add_grouped(
    stmt: &mut rusqlite::CachedStatement<'_>,
    params: impl rusqlite::Params,
    sums: &mut Sums,
) -> Result<()> {
    let rows = stmt.query_map(params, |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, u32>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, u32>(3)?,
        ))
    })?;
    for row in rows {
        let (currency_code, decimals, minor, count) = row?;
        add(sums, currency_code, decimals, minor, count);
    }
    Ok(())
}

fn add(sums: &mut Sums, currency_code: String, decimals: u32, minor: i64, count: u32) {
    let entry = sums.entry((currency_code, decimals)).or_insert((0, 0));
    entry.0 += minor;
    entry.1 += count;
}

/// The `YYYY-MM-DD` a time string starts with, when it does.
fn day_of(time: &str) -> Option<&str> {
    let day = time.get(..10)?;
    parse_day(day).map(|_| day)
}

fn parse_day(day: &str) -> Option<time::Date> {
    let bytes = day.as_bytes();
    if !day.is_ascii() || bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year: i32 = day[..4].parse().ok()?;
    let month: u8 = day[5..7].parse().ok()?;
    let date: u8 = day[8..].parse().ok()?;
    time::Date::from_calendar_date(year, time::Month::try_from(month).ok()?, date).ok()
}

/// The day after `day`, as `YYYY-MM-DD`.
fn next_day(day: &str) -> Option<String> {
    let next = parse_day(day)?.next_day()?;
    Some(format!(
        "{:04}-{:02}-{:02}",
        next.year(),
        u8::from(next.month()),
        next.day()
    ))
}
