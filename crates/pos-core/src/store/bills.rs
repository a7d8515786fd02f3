//! Split bills in the history file (rules in [`crate::bills`]).
//!
//! - `bills` holds each bill's total; its parts are sales with `bill_id` set.
//! - `sales_one_live_link_per_bill`, a partial unique index on `sales (bill_id)` over link parts
//!   not yet paid or dead, refuses a second live link part at the insert, in any process.
//! - A cash part is written in one transaction with the open-shift check and the remainder
//!   check ([`Store::insert_cash_sale`]).

use rusqlite::{Connection, OptionalExtension, params};

use super::{COLUMNS, Store, record_from_row};
use crate::bills::{BillRecord, sums};
use crate::dto::{PaymentMethod, Sale, SaleState};
use crate::error::{Error, Result};
use crate::shifts::{decimal, money};

impl Store {
    /// Writes a new bill.
    pub fn insert_bill(&self, bill: &BillRecord) -> Result<()> {
        self.conn().execute(
            "INSERT INTO bills (id, profile_id, amount, currency_code, created_at,
                created_by_id, created_by_name)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                bill.id,
                bill.profile_id,
                bill.amount,
                bill.currency_code,
                bill.created_at,
                bill.created_by.as_ref().map(|s| s.id.as_str()),
                bill.created_by.as_ref().map(|s| s.name.as_str()),
            ],
        )?;
        Ok(())
    }

    /// Bill `id` of `profile_id`, if any.
    pub fn get_bill(&self, profile_id: &str, id: &str) -> Result<Option<BillRecord>> {
        get_bill_on(&self.conn(), profile_id, id)
    }

    /// The parts of bill `id`, oldest first.
    pub fn bill_parts(&self, id: &str) -> Result<Vec<Sale>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {COLUMNS} FROM sales WHERE bill_id = ?1 ORDER BY created_at, id"
        ))?;
        let rows = stmt.query_map([id], |row| record_from_row(row).map(|r| r.sale))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

fn get_bill_on(conn: &Connection, profile_id: &str, id: &str) -> Result<Option<BillRecord>> {
    Ok(conn
        .query_row(
            "SELECT id, profile_id, amount, currency_code, created_at, created_by_id,
                created_by_name
             FROM bills WHERE id = ?1 AND profile_id = ?2",
            [id, profile_id],
            |r| {
                let by_id: Option<String> = r.get(5)?;
                let by_name: Option<String> = r.get(6)?;
                Ok(BillRecord {
                    id: r.get(0)?,
                    profile_id: r.get(1)?,
                    amount: r.get(2)?,
                    currency_code: r.get(3)?,
                    created_at: r.get(4)?,
                    created_by: by_id.map(|id| crate::dto::StaffRef {
                        id,
                        name: by_name.unwrap_or_default(),
                    }),
                })
            },
        )
        .optional()?)
}

/// Inside a cash part's transaction: refuses `amount` when it is more than bill `bill_id` has
/// left for a new part (`bill_part_too_big`, naming what is left), or when the bill is paid.
pub(crate) fn check_part_fits(
    conn: &Connection,
    profile_id: &str,
    bill_id: &str,
    amount: &str,
    decimals: u32,
) -> Result<()> {
    let bill = get_bill_on(conn, profile_id, bill_id)?
        .ok_or_else(|| Error::NotFound(crate::problem!(BillNotFound, id = bill_id)))?;
    let mut stmt = conn.prepare("SELECT method, state, amount FROM sales WHERE bill_id = ?1")?;
    let parts = stmt
        .query_map([bill_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let s = sums(parts.iter().map(|(method, state, amount)| {
        (
            PaymentMethod::parse(method).unwrap_or_default(),
            SaleState::parse(state).unwrap_or(SaleState::Unknown),
            amount.as_str(),
        )
    }));
    let total = decimal(&bill.amount);
    if s.paid >= total {
        return Err(Error::WrongState(crate::problem!(BillPaid)));
    }
    let left = total - s.paid - s.live;
    if decimal(amount) > left {
        return Err(Error::invalid_field(
            "amount",
            crate::problem!(
                BillPartTooBig,
                remaining = money(left.max(rust_decimal::Decimal::ZERO), decimals),
                currency = bill.currency_code
            ),
        ));
    }
    Ok(())
}
