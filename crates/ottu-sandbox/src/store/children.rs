//! SQL for child transactions (refund, capture, void) and their `Tracking-Key`s.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{Store, StoreResult};
use crate::model::{Child, ChildState, Operation, Txn};

const COLUMNS: &str = "session_id, parent_session_id, operation, state, amount, reference_number, \
                       pg_code, tracking_key, requested_amount, initiator_user, created_at, \
                       updated_at";

fn row_to_child(row: &Row<'_>) -> rusqlite::Result<Child> {
    let bad = |what: &str| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("bad stored child {what}").into(),
        )
    };
    let operation: String = row.get(2)?;
    let state: String = row.get(3)?;
    let amount: String = row.get(4)?;
    Ok(Child {
        session_id: row.get(0)?,
        parent_session_id: row.get(1)?,
        operation: Operation::parse(&operation).ok_or_else(|| bad("operation"))?,
        state: ChildState::parse(&state).ok_or_else(|| bad("state"))?,
        amount: serde_json::from_value(serde_json::Value::String(amount))
            .map_err(|_| bad("amount"))?,
        reference_number: row.get(5)?,
        pg_code: row.get(6)?,
        tracking_key: row.get(7)?,
        requested_amount: row.get(8)?,
        initiator_user: row.get(9)?,
        created_at: row.get(10)?,
        updated_at: row.get(11)?,
    })
}

fn children_of(conn: &Connection, parent: &str) -> StoreResult<Vec<Child>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM child_txns WHERE parent_session_id = ?1 ORDER BY created_at, rowid"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([parent], row_to_child)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

fn insert(conn: &Connection, c: &Child) -> StoreResult<()> {
    conn.execute(
        &format!(
            "INSERT INTO child_txns ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
        ),
        params![
            c.session_id,
            c.parent_session_id,
            c.operation.as_str(),
            c.state.as_str(),
            c.amount.to_string(),
            c.reference_number,
            c.pg_code,
            c.tracking_key,
            c.requested_amount,
            c.initiator_user,
            c.created_at,
            c.updated_at,
        ],
    )?;
    Ok(())
}

/// What an external operation did, decided atomically with the parent and its children.
#[derive(Debug, Clone)]
pub enum ExternalOutcome<R> {
    /// A new child was stored.
    Created(Child),
    /// The `Tracking-Key` was used before for this parent: the child it made (latest state).
    Replayed(Child),
    /// The `Tracking-Key` was used before for another transaction, operation or amount.
    KeyConflict(Child),
    /// The decision refused it (wrong state, amount too high…).
    Refused(R),
}

impl Store {
    /// The children of `parent`, oldest first.
    pub async fn children(&self, parent: String) -> StoreResult<Vec<Child>> {
        self.read(move |conn| children_of(conn, &parent)).await
    }

    /// One child by its own `session_id`.
    pub async fn child(&self, session_id: String) -> StoreResult<Option<Child>> {
        self.read(move |conn| {
            let sql = format!("SELECT {COLUMNS} FROM child_txns WHERE session_id = ?1");
            Ok(conn
                .query_row(&sql, [session_id], row_to_child)
                .optional()?)
        })
        .await
    }

    /// Runs an external operation in one write: a `tracking_key` already stored answers
    /// `Replayed` (same parent, operation and requested amount) or `KeyConflict`; otherwise
    /// `decide` sees the parent and its children and returns the child to store (or a refusal).
    /// `None` when the parent does not exist.
    pub async fn external_operation<R, F>(
        &self,
        parent: String,
        tracking_key: Option<String>,
        same_request: impl Fn(&Child) -> bool + Send + 'static,
        decide: F,
    ) -> StoreResult<Option<ExternalOutcome<R>>>
    where
        R: Send + 'static,
        F: FnOnce(&Txn, &[Child]) -> Result<Child, R> + Send + 'static,
    {
        self.write(move |conn| {
            if let Some(key) = &tracking_key {
                let sql = format!("SELECT {COLUMNS} FROM child_txns WHERE tracking_key = ?1");
                if let Some(old) = conn.query_row(&sql, [key], row_to_child).optional()? {
                    return Ok(Some(
                        if old.parent_session_id == parent && same_request(&old) {
                            ExternalOutcome::Replayed(old)
                        } else {
                            ExternalOutcome::KeyConflict(old)
                        },
                    ));
                }
            }
            let Some(txn) = super::transactions::load(conn, &parent)? else {
                return Ok(None);
            };
            let children = children_of(conn, &parent)?;
            match decide(&txn, &children) {
                Ok(child) => {
                    insert(conn, &child)?;
                    Ok(Some(ExternalOutcome::Created(child)))
                }
                Err(refusal) => Ok(Some(ExternalOutcome::Refused(refusal))),
            }
        })
        .await
    }

    /// Moves a child from `from` to `to` (a queued refund settled or rejected); the child
    /// after the change, `Err` with it unchanged when it was not in `from`, `None` when unknown.
    pub async fn move_child(
        &self,
        session_id: String,
        from: ChildState,
        to: ChildState,
        now: i64,
    ) -> StoreResult<Option<Result<Child, Child>>> {
        self.write(move |conn| {
            let sql = format!("SELECT {COLUMNS} FROM child_txns WHERE session_id = ?1");
            let Some(mut child) = conn
                .query_row(&sql, [&session_id], row_to_child)
                .optional()?
            else {
                return Ok(None);
            };
            if child.state != from {
                return Ok(Some(Err(child)));
            }
            conn.execute(
                "UPDATE child_txns SET state = ?2, updated_at = ?3 WHERE session_id = ?1",
                params![session_id, to.as_str(), now],
            )?;
            child.state = to;
            child.updated_at = now;
            Ok(Some(Ok(child)))
        })
        .await
    }
}
