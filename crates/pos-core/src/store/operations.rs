//! The ledger of refunds, captures and voids: one row per staff intent, written before the
//! request leaves, with the `Tracking-Key` it is always sent with, so a retry (a double click,
//! a lost answer, a restart) makes Ottu return the first operation instead of running another.

use rusqlite::{OptionalExtension, Row, params};

use super::{Claim, Store};
use crate::dto::{OperationKind, OperationState, SaleOperation, StaffRef};
use crate::error::Result;
use crate::problem::Problem;

/// An operation as stored: what the UI sees plus the ledger's bookkeeping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationRecord {
    /// The UI's view.
    pub op: SaleOperation,
    /// The profile of its sale.
    pub profile_id: String,
    /// Sent as the `Tracking-Key` header on every attempt.
    pub tracking_key: String,
    /// Bumped by every write (compare-and-set).
    pub version: i64,
    /// The task sending it right now, if any.
    pub claim: Option<Claim>,
    /// When an `unknown` one is sent again (engine clock).
    pub next_check_at: Option<String>,
    /// Attempts after a lost answer (drives the backoff).
    pub checks: u32,
}

const OP_COLUMNS: &str = "id, sale_id, profile_id, kind, amount, currency_code, tracking_key, \
    state, result_amount, reference_number, problem, created_at, updated_at, created_by_id, \
    created_by_name, approved_by_id, approved_by_name, version, claim_owner, claim_until, \
    next_check_at, checks";

impl Store {
    /// Writes a new operation (version 1). `Ok(false)` when its id exists already (the intent
    /// was sent before).
    pub fn insert_operation(&self, record: &mut OperationRecord) -> Result<bool> {
        let o = &record.op;
        let result = self.conn().execute(
            &format!(
                "INSERT INTO operations ({OP_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, \
                 ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, 1, ?18, ?19, ?20, ?21)"
            ),
            params![
                o.id,
                o.sale_id,
                record.profile_id,
                o.kind.as_str(),
                o.amount,
                o.currency_code,
                record.tracking_key,
                o.state.as_str(),
                o.result_amount,
                o.reference_number,
                o.problem.as_ref().map(Problem::to_stored),
                o.created_at,
                o.updated_at,
                o.created_by.as_ref().map(|s| &s.id),
                o.created_by.as_ref().map(|s| &s.name),
                o.approved_by.as_ref().map(|s| &s.id),
                o.approved_by.as_ref().map(|s| &s.name),
                record.claim.as_ref().map(|c| &c.owner),
                record.claim.as_ref().map(|c| &c.until),
                record.next_check_at,
                record.checks,
            ],
        );
        match result {
            Ok(_) => {
                record.version = 1;
                Ok(true)
            }
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                Ok(false)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Compare-and-set of an operation's mutable columns; `false` when it changed meanwhile.
    #[must_use = "a stale record was not written"]
    pub fn update_operation(&self, record: &mut OperationRecord) -> Result<bool> {
        let o = &record.op;
        let changed = self.conn().execute(
            "UPDATE operations SET state = ?3, result_amount = ?4, reference_number = ?5,
                problem = ?6, updated_at = ?7, claim_owner = ?8, claim_until = ?9,
                next_check_at = ?10, checks = ?11, version = version + 1
             WHERE id = ?1 AND version = ?2",
            params![
                o.id,
                record.version,
                o.state.as_str(),
                o.result_amount,
                o.reference_number,
                o.problem.as_ref().map(Problem::to_stored),
                o.updated_at,
                record.claim.as_ref().map(|c| &c.owner),
                record.claim.as_ref().map(|c| &c.until),
                record.next_check_at,
                record.checks,
            ],
        )?;
        if changed == 1 {
            record.version += 1;
        }
        Ok(changed == 1)
    }

    /// One operation by id.
    pub fn get_operation(&self, id: &str) -> Result<Option<OperationRecord>> {
        Ok(self
            .conn()
            .query_row(
                &format!("SELECT {OP_COLUMNS} FROM operations WHERE id = ?1"),
                [id],
                operation_from_row,
            )
            .optional()?)
    }

    /// A sale's operations, oldest first.
    pub fn operations_of(&self, sale_id: &str) -> Result<Vec<OperationRecord>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {OP_COLUMNS} FROM operations WHERE sale_id = ?1 ORDER BY created_at, id"
        ))?;
        let rows = stmt.query_map([sale_id], operation_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The profile's operations whose answer was lost (or whose sender died), due at `now`.
    pub fn operations_to_resend(
        &self,
        profile_id: &str,
        now: &str,
    ) -> Result<Vec<OperationRecord>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {OP_COLUMNS} FROM operations WHERE profile_id = ?1
             AND state IN ('sending', 'unknown')
             AND (next_check_at IS NULL OR next_check_at <= ?2) ORDER BY created_at LIMIT 200"
        ))?;
        let rows = stmt.query_map(params![profile_id, now], operation_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// `(currency_code, amount)` of the profile's refunds done in `[from, until)` (by when they
    /// were asked for), for net totals.
    pub fn refunded_amounts(
        &self,
        profile_id: &str,
        from: &str,
        until: &str,
    ) -> Result<Vec<(String, String)>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT currency_code, COALESCE(result_amount, amount) FROM operations
             WHERE profile_id = ?1 AND kind = 'refund' AND state = 'done'
             AND created_at >= ?2 AND created_at < ?3 AND COALESCE(result_amount, amount) IS NOT NULL",
        )?;
        let rows = stmt.query_map(params![profile_id, from, until], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

fn staff(id: Option<String>, name: Option<String>) -> Option<StaffRef> {
    id.map(|id| StaffRef {
        id,
        name: name.unwrap_or_default(),
    })
}

fn operation_from_row(row: &Row<'_>) -> rusqlite::Result<OperationRecord> {
    let kind: String = row.get(3)?;
    let state: String = row.get(7)?;
    let claim_owner: Option<String> = row.get(18)?;
    let claim_until: Option<String> = row.get(19)?;
    Ok(OperationRecord {
        op: SaleOperation {
            id: row.get(0)?,
            sale_id: row.get(1)?,
            kind: OperationKind::parse(&kind).unwrap_or(OperationKind::Refund),
            amount: row.get(4)?,
            currency_code: row.get(5)?,
            state: OperationState::parse(&state),
            result_amount: row.get(8)?,
            reference_number: row.get(9)?,
            problem: row
                .get::<_, Option<String>>(10)?
                .map(|text| Problem::from_stored(&text)),
            created_at: row.get(11)?,
            updated_at: row.get(12)?,
            created_by: staff(row.get(13)?, row.get(14)?),
            approved_by: staff(row.get(15)?, row.get(16)?),
        },
        profile_id: row.get(2)?,
        tracking_key: row.get(6)?,
        version: row.get(17)?,
        claim: Claim::from_columns(claim_owner, claim_until),
        next_check_at: row.get(20)?,
        checks: row.get(21)?,
    })
}
