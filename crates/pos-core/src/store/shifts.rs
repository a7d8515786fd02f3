//! Shifts, cash-in/out entries and cash sales: the drawer's ledger.
//!
//! - One open shift per profile: `shifts_one_open` is a partial unique index on `profile_id`
//!   where `closed_at IS NULL`, so two processes opening at once cannot both succeed.
//! - Closing is a compare-and-set on `version` and `closed_at IS NULL`: the Z report frozen with
//!   it was computed over what the closer read.
//! - A cash entry or a cash sale is written only while its shift is open, checked in the same
//!   statement or transaction as the write.

use rusqlite::{OptionalExtension, Row, params};

use super::{Store, insert_on};
use crate::dto::StaffRef;
use crate::error::{Error, Result};
use crate::store::SaleRecord;

/// A shift as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShiftRecord {
    /// Local id (`shift-…`).
    pub id: String,
    /// The profile whose sales it holds.
    pub profile_id: String,
    /// The drawer's currency (the profile's default currency when opened).
    pub currency_code: String,
    /// The cash in the drawer at opening.
    pub opening_float: String,
    /// When it was opened (RFC 3339 UTC).
    pub opened_at: String,
    /// Who opened it.
    pub opened_by: Option<StaffRef>,
    /// When it was closed; `None` while open.
    pub closed_at: Option<String>,
    /// Who closed it.
    pub closed_by: Option<StaffRef>,
    /// The cash counted at close.
    pub counted_cash: Option<String>,
    /// The cash the drawer should hold at close.
    pub expected_cash: Option<String>,
    /// `counted_cash - expected_cash` (negative: cash missing).
    pub variance: Option<String>,
    /// The Z report as computed at close, JSON.
    pub z_report_json: Option<String>,
    /// Bumped by every write.
    pub version: i64,
}

/// A cash-in or cash-out entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CashEntryRecord {
    /// Local id.
    pub id: String,
    /// Its shift.
    pub shift_id: String,
    /// `in` or `out`.
    pub kind: String,
    /// Positive, in the shift's currency.
    pub amount: String,
    /// Why (free text).
    pub reason: String,
    /// When (RFC 3339 UTC).
    pub created_at: String,
    /// Who.
    pub created_by: Option<StaffRef>,
}

/// A sale as the shift reports read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShiftSaleRow {
    /// Local id.
    pub id: String,
    /// Stored state name.
    pub state: String,
    /// Amount.
    pub amount: String,
    /// Currency.
    pub currency_code: String,
    /// `link` or `cash`.
    pub method: String,
    /// The gateways the link offered (Ottu `pg_codes`), empty for cash.
    pub pg_codes: Vec<String>,
    /// When it was made.
    pub created_at: String,
    /// Who made it.
    pub created_by: Option<StaffRef>,
    /// Its priced lines, for an itemised sale (discounts and VAT by rate come from them).
    pub cart: Option<crate::cart::CartTotals>,
}

/// A refund done while a shift was open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShiftRefundRow {
    /// The refunded sale.
    pub sale_id: String,
    /// The amount refunded.
    pub amount: String,
    /// Currency.
    pub currency_code: String,
    /// The refunded sale's method.
    pub method: String,
    /// The refunded sale's gateways.
    pub pg_codes: Vec<String>,
    /// When.
    pub created_at: String,
}

/// `(method, shift_id, tendered, change_given)` of a sale, as stored.
pub type SaleMethod = (String, Option<String>, Option<String>, Option<String>);

const SHIFT_COLUMNS: &str = "id, profile_id, currency_code, opening_float, opened_at, \
    opened_by_id, opened_by_name, closed_at, closed_by_id, closed_by_name, counted_cash, \
    expected_cash, variance, z_report_json, version";

fn staff(id: Option<String>, name: Option<String>) -> Option<StaffRef> {
    id.map(|id| StaffRef {
        id,
        name: name.unwrap_or_default(),
    })
}

fn shift_from_row(row: &Row<'_>) -> rusqlite::Result<ShiftRecord> {
    Ok(ShiftRecord {
        id: row.get(0)?,
        profile_id: row.get(1)?,
        currency_code: row.get(2)?,
        opening_float: row.get(3)?,
        opened_at: row.get(4)?,
        opened_by: staff(row.get(5)?, row.get(6)?),
        closed_at: row.get(7)?,
        closed_by: staff(row.get(8)?, row.get(9)?),
        counted_cash: row.get(10)?,
        expected_cash: row.get(11)?,
        variance: row.get(12)?,
        z_report_json: row.get(13)?,
        version: row.get(14)?,
    })
}

pub(super) fn pg_codes(request_json: &str) -> Vec<String> {
    serde_json::from_str::<serde_json::Value>(request_json)
        .ok()
        .and_then(|request| {
            request["pg_codes"].as_array().map(|codes| {
                codes
                    .iter()
                    .filter_map(|c| c.as_str().map(str::to_owned))
                    .collect()
            })
        })
        .unwrap_or_default()
}

fn is_constraint(error: &rusqlite::Error) -> bool {
    matches!(error, rusqlite::Error::SqliteFailure(e, _)
        if e.code == rusqlite::ErrorCode::ConstraintViolation)
}

impl Store {
    /// Writes a newly opened shift. Refused (`shift_already_open`) when the profile has an open
    /// shift already, by the unique index, whichever process opened it.
    pub fn open_shift(&self, shift: &ShiftRecord) -> Result<()> {
        let by = shift.opened_by.as_ref();
        let result = self.conn().execute(
            "INSERT INTO shifts (id, profile_id, currency_code, opening_float, opened_at,
                opened_by_id, opened_by_name, version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1)",
            params![
                shift.id,
                shift.profile_id,
                shift.currency_code,
                shift.opening_float,
                shift.opened_at,
                by.map(|b| &b.id),
                by.map(|b| &b.name),
            ],
        );
        match result {
            Ok(_) => Ok(()),
            Err(e) if is_constraint(&e) => {
                Err(Error::WrongState(crate::problem!(ShiftAlreadyOpen)))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// The profile's open shift, if any.
    pub fn open_shift_of(&self, profile_id: &str) -> Result<Option<ShiftRecord>> {
        Ok(self
            .conn()
            .query_row(
                &format!(
                    "SELECT {SHIFT_COLUMNS} FROM shifts WHERE profile_id = ?1 AND closed_at IS NULL"
                ),
                [profile_id],
                shift_from_row,
            )
            .optional()?)
    }

    /// One shift by id.
    pub fn get_shift(&self, id: &str) -> Result<Option<ShiftRecord>> {
        Ok(self
            .conn()
            .query_row(
                &format!("SELECT {SHIFT_COLUMNS} FROM shifts WHERE id = ?1"),
                [id],
                shift_from_row,
            )
            .optional()?)
    }

    /// The profile's shifts, newest first, at most `limit`.
    pub fn shifts(&self, profile_id: &str, limit: u32) -> Result<Vec<ShiftRecord>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {SHIFT_COLUMNS} FROM shifts WHERE profile_id = ?1
             ORDER BY opened_at DESC, id DESC LIMIT ?2"
        ))?;
        let rows = stmt.query_map(params![profile_id, limit], shift_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Compare-and-set close: writes the closing columns of `shift` only if the stored shift is
    /// still open at `shift.version`. `Ok(false)` when someone else changed or closed it.
    #[must_use = "a stale shift was not closed"]
    pub fn close_shift(&self, shift: &mut ShiftRecord) -> Result<bool> {
        let by = shift.closed_by.as_ref();
        let changed = self.conn().execute(
            "UPDATE shifts SET closed_at = ?3, closed_by_id = ?4, closed_by_name = ?5,
                counted_cash = ?6, expected_cash = ?7, variance = ?8, z_report_json = ?9,
                version = version + 1
             WHERE id = ?1 AND version = ?2 AND closed_at IS NULL",
            params![
                shift.id,
                shift.version,
                shift.closed_at,
                by.map(|b| &b.id),
                by.map(|b| &b.name),
                shift.counted_cash,
                shift.expected_cash,
                shift.variance,
                shift.z_report_json,
            ],
        )?;
        if changed == 1 {
            shift.version += 1;
        }
        Ok(changed == 1)
    }

    /// Writes a cash entry, only while its shift is open (`shift_closed` otherwise), and bumps
    /// the shift's `version` (a close computed without it fails its compare-and-set).
    pub fn add_cash_entry(&self, entry: &CashEntryRecord) -> Result<()> {
        let by = entry.created_by.as_ref();
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let changed = tx.execute(
            "INSERT INTO cash_entries (id, shift_id, kind, amount, reason, created_at,
                created_by_id, created_by_name)
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8
             WHERE EXISTS (SELECT 1 FROM shifts WHERE id = ?2 AND closed_at IS NULL)",
            params![
                entry.id,
                entry.shift_id,
                entry.kind,
                entry.amount,
                entry.reason,
                entry.created_at,
                by.map(|b| &b.id),
                by.map(|b| &b.name),
            ],
        )?;
        if changed != 1 {
            return Err(Error::WrongState(crate::problem!(ShiftClosed)));
        }
        tx.execute(
            "UPDATE shifts SET version = version + 1 WHERE id = ?1",
            [&entry.shift_id],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// A shift's cash entries, oldest first.
    pub fn cash_entries(&self, shift_id: &str) -> Result<Vec<CashEntryRecord>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT id, shift_id, kind, amount, reason, created_at, created_by_id, created_by_name
             FROM cash_entries WHERE shift_id = ?1 ORDER BY created_at, id",
        )?;
        let rows = stmt.query_map([shift_id], |row| {
            Ok(CashEntryRecord {
                id: row.get(0)?,
                shift_id: row.get(1)?,
                kind: row.get(2)?,
                amount: row.get(3)?,
                reason: row.get(4)?,
                created_at: row.get(5)?,
                created_by: staff(row.get(6)?, row.get(7)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Writes a cash sale (already `paid`) into shift `shift_id`, in one transaction that
    /// checks the shift is still the profile's open one (`no_open_shift` otherwise) and, for a
    /// part of a split bill, that it fits what the bill has left.
    pub fn insert_cash_sale(
        &self,
        record: &mut SaleRecord,
        shift_id: &str,
        tendered: &str,
        change: &str,
    ) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        if let Some(bill) = &record.sale.bill_id {
            let decimals = ottu_checkout::CurrencyCode::parse(&record.sale.currency_code)
                .map_or(3, |c| c.minor_units());
            super::check_part_fits(
                &tx,
                &record.sale.profile_id,
                bill,
                &record.sale.amount,
                decimals,
            )?;
        }
        insert_on(&tx, record)?;
        let marked = tx.execute(
            "UPDATE sales SET method = 'cash', tendered = ?3, change_given = ?4
             WHERE id = ?1 AND shift_id = ?2",
            params![record.sale.id, shift_id, tendered, change],
        )?;
        if marked != 1 {
            // Dropping the transaction rolls the insert back.
            return Err(Error::WrongState(crate::problem!(NoOpenShift)));
        }
        tx.commit()?;
        record.version = 1;
        Ok(())
    }

    /// `(method, shift_id, tendered, change_given)` of a sale.
    pub fn sale_method(&self, id: &str) -> Result<Option<SaleMethod>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT method, shift_id, tendered, change_given FROM sales WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?)
    }

    /// The sales made during shift `shift_id`, oldest first.
    pub fn shift_sales(&self, shift_id: &str) -> Result<Vec<ShiftSaleRow>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT id, state, amount, currency_code, method, request_json, created_at,
                created_by_id, created_by_name, cart_json
             FROM sales WHERE shift_id = ?1 ORDER BY created_at, id",
        )?;
        let rows = stmt.query_map([shift_id], |row| {
            let request: String = row.get(5)?;
            Ok(ShiftSaleRow {
                id: row.get(0)?,
                state: row.get(1)?,
                amount: row.get(2)?,
                currency_code: row.get(3)?,
                method: row.get(4)?,
                pg_codes: pg_codes(&request),
                created_at: row.get(6)?,
                created_by: staff(row.get(7)?, row.get(8)?),
                // Written from a `CartTotals`; a shape from a newer version reads as no lines.
                cart: row
                    .get::<_, Option<String>>(9)?
                    .and_then(|json| serde_json::from_str(&json).ok()),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The refunds of `profile_id` done between `from` and `until` (the shift's open time),
    /// whatever shift their sale belongs to.
    pub fn refunds_between(
        &self,
        profile_id: &str,
        from: &str,
        until: &str,
    ) -> Result<Vec<ShiftRefundRow>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT o.sale_id, COALESCE(o.result_amount, o.amount, s.amount), o.currency_code,
                s.method, s.request_json, o.created_at
             FROM operations o JOIN sales s ON s.id = o.sale_id
             WHERE o.profile_id = ?1 AND o.kind = 'refund' AND o.state = 'done'
               AND o.created_at >= ?2 AND o.created_at < ?3
             ORDER BY o.created_at, o.id",
        )?;
        let rows = stmt.query_map(params![profile_id, from, until], |row| {
            let request: String = row.get(4)?;
            Ok(ShiftRefundRow {
                sale_id: row.get(0)?,
                amount: row.get(1)?,
                currency_code: row.get(2)?,
                method: row.get(3)?,
                pg_codes: pg_codes(&request),
                created_at: row.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

#[cfg(test)]
mod tests;
