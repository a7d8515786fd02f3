//! The dashboard's reads: taken sales made in a window, and refunds done in one.
//!
//! Both are one range over an index whose leading columns are `(profile_id, created_at)`:
//! `sales_profile_created` for sales (the window is two weeks, so the rows read stay a few
//! thousand however long the history), and `operations_profile_state` then `created_at` for
//! refunds (few rows). The staff filter is a plain condition on the rows the range returns, and
//! the unary `+` on `state` keeps the planner off `sales_profile_state` (every paid sale ever).
//! `tests.rs` checks the plans: neither read may scan its whole table.

use rusqlite::params;

use super::Store;
use super::shifts::pg_codes;
use crate::dashboard::{DashboardRefund, DashboardSale};
use crate::error::Result;

impl Store {
    /// The profile's taken sales (`paid`, `refunded`) made in `[from, until)`; only those made
    /// by `staff_id` when given.
    pub fn dashboard_sales(
        &self,
        profile_id: &str,
        from: &str,
        until: &str,
        staff_id: Option<&str>,
    ) -> Result<Vec<DashboardSale>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(SALES_SQL)?;
        let rows = stmt.query_map(params![profile_id, from, until, staff_id], |row| {
            let request: String = row.get(4)?;
            Ok(DashboardSale {
                state: row.get(0)?,
                amount: row.get(1)?,
                currency_code: row.get(2)?,
                method: row.get(3)?,
                pg_codes: pg_codes(&request),
                created_at: row.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The profile's refunds done in `[from, until)`; only refunds of sales made by `staff_id`
    /// when given.
    pub fn dashboard_refunds(
        &self,
        profile_id: &str,
        from: &str,
        until: &str,
        staff_id: Option<&str>,
    ) -> Result<Vec<DashboardRefund>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(REFUNDS_SQL)?;
        let rows = stmt.query_map(params![profile_id, from, until, staff_id], |row| {
            Ok(DashboardRefund {
                amount: row.get(0)?,
                currency_code: row.get(1)?,
                created_at: row.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

const SALES_SQL: &str = "SELECT state, amount, currency_code, method, request_json, created_at
     FROM sales
     WHERE profile_id = ?1 AND created_at >= ?2 AND created_at < ?3
       AND +state IN ('paid', 'refunded')
       AND (?4 IS NULL OR created_by_id = ?4)";

const REFUNDS_SQL: &str = "SELECT COALESCE(o.result_amount, o.amount, s.amount), o.currency_code,
        o.created_at
     FROM operations o JOIN sales s ON s.id = o.sale_id
     WHERE o.profile_id = ?1 AND o.kind = 'refund' AND o.state = 'done'
       AND o.created_at >= ?2 AND o.created_at < ?3
       AND (?4 IS NULL OR s.created_by_id = ?4)";

#[cfg(test)]
mod tests;
