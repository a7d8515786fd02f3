//! SQL for payment transactions. A row holds the typed [`Txn`]: its scalars in columns, the
//! checkout as the JSON it is served as (`fields`) and the links and last attempt as a small
//! JSON object (`outputs`, [`StoredOutputs`]); both are (de)serialised from typed structs.

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};

use super::{Store, StoreError, StoreResult};
use crate::model::{Attempt, AttemptResult, Invoice, Links, State, Txn};

pub(super) const COLUMNS: &str = "session_id, order_no, reference_number, short_code, plugin, state, fields, \
                       outputs, created_at, updated_at, expires_at, paid_at, deleted";

/// What happened to an insert.
#[derive(Debug, Clone, PartialEq)]
pub enum InsertOutcome {
    /// Stored and committed.
    Inserted,
    /// Refused: another transaction already uses this `order_no` (reject mode only).
    DuplicateOrderNo,
}

/// The `outputs` column: links and the last attempt, flat (the layout of earlier databases).
#[derive(Debug, Default, Serialize, Deserialize)]
struct StoredOutputs {
    #[serde(default)]
    qr: bool,
    #[serde(default)]
    short: bool,
    #[serde(default)]
    attachment_file_url: Option<String>,
    #[serde(default)]
    attachment_short: bool,
    #[serde(default)]
    settled_pg_code: Option<String>,
    #[serde(default)]
    last_result: Option<AttemptResult>,
    #[serde(default)]
    attempts: u32,
    #[serde(default)]
    card_last4: Option<String>,
    #[serde(default)]
    initiator_user: Option<String>,
    /// Transactions created by the Invoice API only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    invoice: Option<Box<Invoice>>,
}

impl StoredOutputs {
    fn of(txn: &Txn) -> Self {
        let attempt = txn.attempt.as_ref();
        Self {
            qr: txn.links.qr,
            short: txn.links.short,
            attachment_file_url: txn.links.attachment_file_url.clone(),
            attachment_short: txn.links.attachment_short,
            settled_pg_code: attempt.map(|a| a.pg_code.clone()),
            last_result: attempt.map(|a| a.result),
            attempts: txn.attempts,
            card_last4: attempt.and_then(|a| a.card_last4.clone()),
            initiator_user: txn.initiator_user.clone(),
            invoice: txn.invoice.clone(),
        }
    }

    fn links(&self) -> Links {
        Links {
            qr: self.qr,
            short: self.short,
            attachment_file_url: self.attachment_file_url.clone(),
            attachment_short: self.attachment_short,
        }
    }

    fn attempt(&self) -> Option<Attempt> {
        Some(Attempt {
            pg_code: self.settled_pg_code.clone()?,
            result: self.last_result.unwrap_or(AttemptResult::Failed),
            card_last4: self.card_last4.clone(),
        })
    }
}

/// The two JSON columns of a transaction.
fn encode(txn: &Txn) -> StoreResult<(String, String)> {
    Ok((
        serde_json::to_string(&txn.checkout)?,
        serde_json::to_string(&StoredOutputs::of(txn))?,
    ))
}

pub(super) fn row_to_txn(row: &Row<'_>) -> rusqlite::Result<Txn> {
    let state: String = row.get(5)?;
    let fields: String = row.get(6)?;
    let outputs: String = row.get(7)?;
    let bad = |what: &str| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("bad stored {what}").into(),
        )
    };
    let mut outputs: StoredOutputs = serde_json::from_str(&outputs).map_err(|_| bad("outputs"))?;
    Ok(Txn {
        session_id: row.get(0)?,
        reference_number: row.get(2)?,
        short_code: row.get(3)?,
        state: State::parse(&state).ok_or_else(|| bad("state"))?,
        checkout: serde_json::from_str(&fields).map_err(|_| bad("fields"))?,
        links: outputs.links(),
        attempt: outputs.attempt(),
        attempts: outputs.attempts,
        initiator_user: outputs.initiator_user,
        created_at: row.get(8)?,
        updated_at: row.get(9)?,
        expires_at: row.get(10)?,
        paid_at: row.get(11)?,
        deleted: row.get::<_, i64>(12)? != 0,
        invoice: outputs.invoice.take(),
    })
}

pub(crate) fn load(conn: &Connection, session_id: &str) -> StoreResult<Option<Txn>> {
    let sql = format!("SELECT {COLUMNS} FROM transactions WHERE session_id = ?1");
    Ok(conn.query_row(&sql, [session_id], row_to_txn).optional()?)
}

fn save(conn: &Connection, txn: &Txn) -> StoreResult<()> {
    let (fields, outputs) = encode(txn)?;
    conn.execute(
        "UPDATE transactions SET order_no = ?2, state = ?3, fields = ?4, outputs = ?5,
         updated_at = ?6, expires_at = ?7, paid_at = ?8, deleted = ?9 WHERE session_id = ?1",
        params![
            txn.session_id,
            txn.order_no(),
            txn.state.as_str(),
            fields,
            outputs,
            txn.updated_at,
            txn.expires_at,
            txn.paid_at,
            txn.deleted as i64,
        ],
    )?;
    Ok(())
}

/// The `INSERT` of a new transaction row.
fn insert_row(conn: &Connection, txn: &Txn, fields: &str, outputs: &str) -> StoreResult<()> {
    let mut stmt = conn.prepare_cached(&format!(
        "INSERT INTO transactions ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
    ))?;
    stmt.execute(params![
        txn.session_id,
        txn.order_no(),
        txn.reference_number,
        txn.short_code,
        txn.plugin().as_str(),
        txn.state.as_str(),
        fields,
        outputs,
        txn.created_at,
        txn.updated_at,
        txn.expires_at,
        txn.paid_at,
        txn.deleted as i64,
    ])?;
    Ok(())
}

/// The answer of [`Store::insert_invoice_txn`].
#[derive(Debug)]
pub enum InvoiceInsert {
    /// Stored, with its `invoice_id` and item ids assigned.
    Inserted(Box<Txn>),
    /// Another invoice has this `invoice_number`.
    DuplicateInvoiceNumber,
    /// Another transaction has this `order_no` (reject mode only).
    DuplicateOrderNo,
}

impl Store {
    /// Inserts a transaction created by the Invoice API: refuses an `invoice_number` already
    /// used, assigns `invoice_id` and the item ids (sandbox-wide sequences), all in one write.
    pub async fn insert_invoice_txn(
        &self,
        mut txn: Txn,
        reject_duplicate_order_no: bool,
    ) -> StoreResult<InvoiceInsert> {
        self.write(move |conn| {
            if reject_duplicate_order_no
                && let Some(order_no) = txn.order_no()
                && conn
                    .query_row(
                        "SELECT 1 FROM transactions WHERE order_no = ?1 AND deleted = 0 LIMIT 1",
                        [order_no],
                        |_| Ok(()),
                    )
                    .optional()?
                    .is_some()
            {
                return Ok(InvoiceInsert::DuplicateOrderNo);
            }
            let Some(invoice) = txn.invoice.as_mut() else {
                return Err(StoreError("insert_invoice_txn: not an invoice".to_owned()));
            };
            let taken = conn
                .query_row(
                    "SELECT 1 FROM transactions
                     WHERE json_extract(outputs, '$.invoice.invoice_number') = ?1 LIMIT 1",
                    [&invoice.invoice_number],
                    |_| Ok(()),
                )
                .optional()?
                .is_some();
            if taken {
                return Ok(InvoiceInsert::DuplicateInvoiceNumber);
            }
            let (last_id, last_item): (i64, i64) = conn.query_row(
                "SELECT COALESCE(MAX(json_extract(outputs, '$.invoice.invoice_id')), 0),
                        COALESCE(MAX(json_extract(outputs, '$.invoice.first_item_id')
                                     + json_array_length(outputs, '$.invoice.items') - 1), 0)
                 FROM transactions WHERE json_extract(outputs, '$.invoice') IS NOT NULL",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )?;
            invoice.invoice_id = last_id + 1;
            invoice.first_item_id = last_item + 1;
            let (fields, outputs) = encode(&txn)?;
            insert_row(conn, &txn, &fields, &outputs)?;
            Ok(InvoiceInsert::Inserted(Box::new(txn)))
        })
        .await
    }
}

impl Store {
    /// Inserts a new transaction; with `reject_duplicate_order_no`, refuses an `order_no`
    /// already in use (checked inside the same write, so two racing creates cannot both win).
    pub async fn insert_txn(
        &self,
        txn: Txn,
        reject_duplicate_order_no: bool,
    ) -> StoreResult<InsertOutcome> {
        // Serialise here, on the caller's task, so the single writer thread only runs SQL.
        let (fields, outputs) = encode(&txn)?;
        self.write(move |conn| {
            if reject_duplicate_order_no && let Some(order_no) = txn.order_no() {
                let taken = conn
                    .query_row(
                        "SELECT 1 FROM transactions WHERE order_no = ?1 AND deleted = 0 LIMIT 1",
                        [order_no],
                        |_| Ok(()),
                    )
                    .optional()?
                    .is_some();
                if taken {
                    return Ok(InsertOutcome::DuplicateOrderNo);
                }
            }
            insert_row(conn, &txn, &fields, &outputs)?;
            Ok(InsertOutcome::Inserted)
        })
        .await
    }

    /// The transaction with `session_id`, deleted ones included.
    pub async fn txn(&self, session_id: String) -> StoreResult<Option<Txn>> {
        self.read(move |conn| load(conn, &session_id)).await
    }

    /// The transaction behind a short-link code.
    pub async fn txn_by_short_code(&self, code: String) -> StoreResult<Option<Txn>> {
        self.read(move |conn| {
            let sql = format!("SELECT {COLUMNS} FROM transactions WHERE short_code = ?1");
            Ok(conn.query_row(&sql, [code], row_to_txn).optional()?)
        })
        .await
    }

    /// Transactions with this `order_no`, oldest first, deleted ones included.
    pub async fn txns_by_order_no(&self, order_no: String) -> StoreResult<Vec<Txn>> {
        self.read(move |conn| {
            let sql = format!(
                "SELECT {COLUMNS} FROM transactions WHERE order_no = ?1 ORDER BY created_at, rowid"
            );
            let mut stmt = conn.prepare(&sql)?;
            let rows = stmt.query_map([order_no], row_to_txn)?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
        .await
    }

    /// The most recent transactions (newest first), at most `limit`.
    pub async fn recent_txns(&self, limit: u32) -> StoreResult<Vec<Txn>> {
        self.read(move |conn| {
            let sql = format!(
                "SELECT {COLUMNS} FROM transactions ORDER BY created_at DESC, rowid DESC LIMIT ?1"
            );
            let mut stmt = conn.prepare(&sql)?;
            let rows = stmt.query_map([limit], row_to_txn)?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
        .await
    }

    /// Every transaction (deleted ones included) in `session_id` order, after `after` (the
    /// previous page's last `session_id`; `None` from the start), at most `limit`.
    pub async fn txns_page(&self, after: Option<String>, limit: u32) -> StoreResult<Vec<Txn>> {
        self.read(move |conn| {
            let sql = format!(
                "SELECT {COLUMNS} FROM transactions WHERE session_id > ?1 ORDER BY session_id LIMIT ?2"
            );
            let mut stmt = conn.prepare(&sql)?;
            let rows = stmt.query_map(
                rusqlite::params![after.unwrap_or_default(), limit],
                row_to_txn,
            )?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
        .await
    }

    /// Number of stored transactions (deleted ones included).
    pub async fn count_txns(&self) -> StoreResult<u64> {
        self.read(|conn| {
            Ok(
                conn.query_row("SELECT COUNT(*) FROM transactions", [], |r| {
                    r.get::<_, i64>(0)
                })? as u64,
            )
        })
        .await
    }

    /// Loads, changes and saves one transaction atomically. `change` returns `(keep, value)`:
    /// the transaction is saved only when `keep` is true. `None` when no such transaction.
    pub async fn modify_txn<T, F>(&self, session_id: String, change: F) -> StoreResult<Option<T>>
    where
        T: Send + 'static,
        F: FnOnce(&mut Txn) -> (bool, T) + Send + 'static,
    {
        self.write(move |conn| {
            let Some(mut txn) = load(conn, &session_id)? else {
                return Ok(None);
            };
            let (keep, value) = change(&mut txn);
            if keep {
                save(conn, &txn)?;
            }
            Ok(Some(value))
        })
        .await
    }

    /// Removes a transaction for good (hard `delete` operation).
    pub async fn delete_txn(&self, session_id: String) -> StoreResult<bool> {
        self.write(move |conn| {
            Ok(conn.execute(
                "DELETE FROM transactions WHERE session_id = ?1",
                [session_id],
            )? > 0)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_written_by_earlier_versions_still_load() {
        let stored = r#"{"qr":true,"short":false,"attachment_file_url":null,"attachment_short":false,
            "settled_pg_code":"knet","last_result":"canceled","attempts":2,"card_last4":"0002",
            "initiator_user":"cashier"}"#;
        let outputs: StoredOutputs = serde_json::from_str(stored).unwrap();
        assert_eq!(
            outputs.attempt(),
            Some(Attempt {
                pg_code: "knet".to_owned(),
                result: AttemptResult::Canceled,
                card_last4: Some("0002".to_owned()),
            })
        );
        assert!(outputs.links().qr);
        let never_paid: StoredOutputs = serde_json::from_str(r#"{"qr":false}"#).unwrap();
        assert_eq!(never_paid.attempt(), None);
    }
}
