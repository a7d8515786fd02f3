//! SQL for report files (`report_files`) and the transactions a daily report covers.

use rusqlite::{OptionalExtension, Row, params};

use super::{Store, StoreResult};
use crate::model::Txn;

/// One stored report file.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportFile {
    pub id: i64,
    pub encrypted_id: String,
    pub report_name: String,
    /// `daily` (the only interval the sandbox generates).
    pub interval: String,
    /// `auto` (generated on the sandbox's schedule) or `manual` (asked for by a control route).
    pub source: String,
    /// The UTC day covered, `YYYY-MM-DD`.
    pub period: String,
    pub records: u32,
    pub generated_at: i64,
    pub created_at: i64,
}

/// A report file to store.
#[derive(Debug, Clone)]
pub struct NewReportFile {
    pub encrypted_id: String,
    pub report_name: String,
    pub interval: String,
    pub source: String,
    pub period: String,
    pub records: u32,
    pub at: i64,
    pub content: Vec<u8>,
}

const COLUMNS: &str =
    "id, encrypted_id, report_name, interval, source, period, records, generated_at, created_at";

fn row_to_report(row: &Row<'_>) -> rusqlite::Result<ReportFile> {
    Ok(ReportFile {
        id: row.get(0)?,
        encrypted_id: row.get(1)?,
        report_name: row.get(2)?,
        interval: row.get(3)?,
        source: row.get(4)?,
        period: row.get(5)?,
        records: row.get(6)?,
        generated_at: row.get(7)?,
        created_at: row.get(8)?,
    })
}

impl Store {
    /// Stores a report file; returns it as listed.
    pub async fn insert_report(&self, new: NewReportFile) -> StoreResult<ReportFile> {
        self.write(move |conn| {
            conn.execute(
                "INSERT INTO report_files (encrypted_id, report_name, interval, source, period, \
                 records, generated_at, created_at, content) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8)",
                params![
                    new.encrypted_id,
                    new.report_name,
                    new.interval,
                    new.source,
                    new.period,
                    new.records,
                    new.at,
                    new.content
                ],
            )?;
            let id = conn.last_insert_rowid();
            let sql = format!("SELECT {COLUMNS} FROM report_files WHERE id = ?1");
            Ok(conn.query_row(&sql, [id], row_to_report)?)
        })
        .await
    }

    /// Every report file, newest first.
    pub async fn reports(&self) -> StoreResult<Vec<ReportFile>> {
        self.read(|conn| {
            let sql =
                format!("SELECT {COLUMNS} FROM report_files ORDER BY created_at DESC, id DESC");
            let mut stmt = conn.prepare(&sql)?;
            let rows = stmt.query_map([], row_to_report)?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
        .await
    }

    /// The newest day an `auto` report covers, if any.
    pub async fn last_auto_report_period(&self) -> StoreResult<Option<String>> {
        self.read(|conn| {
            Ok(conn
                .query_row(
                    "SELECT MAX(period) FROM report_files WHERE source = 'auto'",
                    [],
                    |r| r.get::<_, Option<String>>(0),
                )
                .optional()?
                .flatten())
        })
        .await
    }

    /// A report file's content.
    pub async fn report_content(&self, id: i64) -> StoreResult<Option<Vec<u8>>> {
        self.read(move |conn| {
            Ok(conn
                .query_row(
                    "SELECT content FROM report_files WHERE id = ?1",
                    [id],
                    |r| r.get(0),
                )
                .optional()?)
        })
        .await
    }

    /// Transactions created in `[from, until)` (unix seconds), oldest first, soft-deleted ones
    /// included.
    pub async fn txns_created_between(&self, from: i64, until: i64) -> StoreResult<Vec<Txn>> {
        self.read(move |conn| {
            let sql = format!(
                "SELECT {} FROM transactions WHERE created_at >= ?1 AND created_at < ?2 \
                 ORDER BY created_at, rowid",
                super::transactions::COLUMNS
            );
            let mut stmt = conn.prepare(&sql)?;
            let rows = stmt.query_map([from, until], super::transactions::row_to_txn)?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
        .await
    }

    /// When the oldest transaction was created, if there is one.
    pub async fn first_txn_created_at(&self) -> StoreResult<Option<i64>> {
        self.read(|conn| {
            Ok(
                conn.query_row("SELECT MIN(created_at) FROM transactions", [], |r| {
                    r.get::<_, Option<i64>>(0)
                })?,
            )
        })
        .await
    }
}
