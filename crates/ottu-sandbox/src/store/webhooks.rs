//! SQL for the webhook delivery log.

use rusqlite::{Connection, params};
use serde::Serialize;

use super::{Store, StoreResult};

/// Adds the `event` column to logs of databases made before operation webhooks.
pub(super) fn migrate(conn: &Connection) -> rusqlite::Result<()> {
    let has_event = conn
        .prepare("SELECT 1 FROM pragma_table_info('webhook_deliveries') WHERE name = 'event'")?
        .exists([])?;
    if !has_event {
        conn.execute_batch(
            "ALTER TABLE webhook_deliveries ADD COLUMN event TEXT NOT NULL DEFAULT 'payment'",
        )?;
    }
    Ok(())
}

/// One delivery attempt to log.
#[derive(Debug, Clone)]
pub struct NewDelivery {
    /// `payment` (digest §13.1) or `operation` (§13.3).
    pub event: &'static str,
    /// The (parent) transaction's `session_id`.
    pub session_id: String,
    pub url: String,
    pub state: String,
    pub payload: String,
    pub attempt: u32,
    pub status: Option<u16>,
    /// `delivered` (2xx), `rejected` (other status), `timeout`, `error` (connection failure).
    pub outcome: &'static str,
    pub error: Option<String>,
    pub at: i64,
}

/// A logged delivery attempt, as `GET /_sandbox/webhooks` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct DeliveryRecord {
    pub id: i64,
    /// `payment` or `operation`.
    pub event: String,
    pub session_id: String,
    pub url: String,
    pub state: String,
    pub payload: serde_json::Value,
    pub attempt: u32,
    pub status: Option<u16>,
    pub outcome: String,
    pub error: Option<String>,
    pub at: i64,
}

impl Store {
    /// Appends a delivery attempt to the log.
    pub async fn log_delivery(&self, d: NewDelivery) -> StoreResult<()> {
        self.write(move |conn| {
            conn.execute(
                "INSERT INTO webhook_deliveries
                 (session_id, url, state, payload, attempt, status, outcome, error, at, event)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    d.session_id,
                    d.url,
                    d.state,
                    d.payload,
                    d.attempt,
                    d.status,
                    d.outcome,
                    d.error,
                    d.at,
                    d.event
                ],
            )?;
            Ok(())
        })
        .await
    }

    /// Logged deliveries, oldest first, optionally for one session.
    pub async fn deliveries(&self, session_id: Option<String>) -> StoreResult<Vec<DeliveryRecord>> {
        self.read(move |conn| {
            let mut stmt = conn.prepare(
                "SELECT id, session_id, url, state, payload, attempt, status, outcome, error, at,
                 event FROM webhook_deliveries WHERE (?1 IS NULL OR session_id = ?1) ORDER BY id",
            )?;
            let rows = stmt.query_map([session_id], |r| {
                let payload: String = r.get(4)?;
                Ok(DeliveryRecord {
                    id: r.get(0)?,
                    session_id: r.get(1)?,
                    url: r.get(2)?,
                    state: r.get(3)?,
                    payload: serde_json::from_str(&payload)
                        .unwrap_or(serde_json::Value::String(payload)),
                    attempt: r.get(5)?,
                    status: r.get(6)?,
                    outcome: r.get(7)?,
                    error: r.get(8)?,
                    at: r.get(9)?,
                    event: r.get(10)?,
                })
            })?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
        .await
    }
}
