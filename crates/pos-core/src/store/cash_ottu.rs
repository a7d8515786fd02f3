//! SQL for Ottu's side of cash sales: the per-profile settings (the gateway marked as Ottu's
//! cash method, this till's id) and, per cash sale, how far its record at Ottu got.

use rusqlite::{OptionalExtension, Row, params};

use super::Store;
use crate::error::Result;

/// Where a cash sale's record at Ottu stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum CashOttuStatus {
    /// No gateway is marked as Ottu's cash method: the sale exists here only.
    LocalOnly,
    /// To be created at Ottu (nothing was sent yet, or nothing reached Ottu).
    ToCreate,
    /// A create was sent and its answer lost: Ottu may hold it. Never created again before an
    /// inquiry by its order number says it does not.
    CreateUnknown,
    /// Created at Ottu (`session_id` known); the acknowledgement is still to be made.
    ToAcknowledge,
    /// Acknowledged at Ottu as paid in cash (state `cod`).
    Acknowledged,
    /// Ottu refused it for good (the problem says why); reconciliation shows it.
    Refused,
}

impl CashOttuStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            CashOttuStatus::LocalOnly => "local_only",
            CashOttuStatus::ToCreate => "to_create",
            CashOttuStatus::CreateUnknown => "create_unknown",
            CashOttuStatus::ToAcknowledge => "to_acknowledge",
            CashOttuStatus::Acknowledged => "acknowledged",
            CashOttuStatus::Refused => "refused",
        }
    }

    /// Reads a stored name.
    pub fn parse(text: &str) -> Option<CashOttuStatus> {
        [
            CashOttuStatus::LocalOnly,
            CashOttuStatus::ToCreate,
            CashOttuStatus::CreateUnknown,
            CashOttuStatus::ToAcknowledge,
            CashOttuStatus::Acknowledged,
            CashOttuStatus::Refused,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }

    /// Whether work at Ottu is still to be done (a retry later may finish it).
    pub fn is_pending(self) -> bool {
        matches!(
            self,
            CashOttuStatus::ToCreate
                | CashOttuStatus::CreateUnknown
                | CashOttuStatus::ToAcknowledge
        )
    }
}

/// One cash sale's record at Ottu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CashOttuRecord {
    /// The cash sale (`sales.id`).
    pub sale_id: String,
    /// Its profile.
    pub profile_id: String,
    /// How far it got at Ottu.
    pub status: CashOttuStatus,
    /// The cash gateway it is (to be) created with.
    pub pg_code: Option<String>,
    /// Ottu's transaction, once created.
    pub session_id: Option<String>,
    /// Requests made for it so far.
    pub attempts: u32,
    /// When its first create was sent (RFC 3339 UTC).
    pub first_sent_at: Option<String>,
    /// The last problem's code, for the history and support.
    pub last_problem: Option<String>,
    /// Last change (RFC 3339 UTC).
    pub updated_at: String,
}

/// A profile's Ottu cash settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OttuCashSettings {
    /// The gateway marked as Ottu's cash method; `None`: cash sales stay local.
    pub cash_pg_code: Option<String>,
    /// This till's id (its order-number prefix); `None`: derived from the profile.
    pub till_id: Option<String>,
}

const COLUMNS: &str = "sale_id, profile_id, status, pg_code, session_id, attempts, first_sent_at, last_problem, updated_at";

fn row_to_record(row: &Row<'_>) -> rusqlite::Result<CashOttuRecord> {
    let status: String = row.get(2)?;
    Ok(CashOttuRecord {
        sale_id: row.get(0)?,
        profile_id: row.get(1)?,
        status: CashOttuStatus::parse(&status).unwrap_or(CashOttuStatus::Refused),
        pg_code: row.get(3)?,
        session_id: row.get(4)?,
        attempts: row.get(5)?,
        first_sent_at: row.get(6)?,
        last_problem: row.get(7)?,
        updated_at: row.get(8)?,
    })
}

impl Store {
    /// The profile's Ottu cash settings (defaults when never saved).
    pub fn ottu_cash_settings(&self, profile_id: &str) -> Result<OttuCashSettings> {
        Ok(self
            .conn()
            .query_row(
                "SELECT cash_pg_code, till_id FROM ottu_cash_settings WHERE profile_id = ?1",
                [profile_id],
                |r| {
                    Ok(OttuCashSettings {
                        cash_pg_code: r.get(0)?,
                        till_id: r.get(1)?,
                    })
                },
            )
            .optional()?
            .unwrap_or_default())
    }

    /// Saves the profile's Ottu cash settings.
    pub fn set_ottu_cash_settings(
        &self,
        profile_id: &str,
        settings: &OttuCashSettings,
    ) -> Result<()> {
        self.conn().execute(
            "INSERT INTO ottu_cash_settings (profile_id, cash_pg_code, till_id) VALUES (?1, ?2, ?3)
             ON CONFLICT (profile_id) DO UPDATE SET cash_pg_code = ?2, till_id = ?3",
            params![profile_id, settings.cash_pg_code, settings.till_id],
        )?;
        Ok(())
    }

    /// Writes (or replaces) a cash sale's record at Ottu.
    pub fn put_cash_ottu_record(&self, record: &CashOttuRecord) -> Result<()> {
        self.conn().execute(
            "INSERT INTO cash_ottu_records (sale_id, profile_id, status, pg_code, session_id,
                attempts, first_sent_at, last_problem, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (sale_id) DO UPDATE SET status = ?3, pg_code = ?4, session_id = ?5,
                attempts = ?6, first_sent_at = ?7, last_problem = ?8, updated_at = ?9",
            params![
                record.sale_id,
                record.profile_id,
                record.status.as_str(),
                record.pg_code,
                record.session_id,
                record.attempts,
                record.first_sent_at,
                record.last_problem,
                record.updated_at
            ],
        )?;
        Ok(())
    }

    /// A cash sale's record at Ottu, if it has one.
    pub fn cash_ottu_record(&self, sale_id: &str) -> Result<Option<CashOttuRecord>> {
        let sql = format!("SELECT {COLUMNS} FROM cash_ottu_records WHERE sale_id = ?1");
        Ok(self
            .conn()
            .query_row(&sql, [sale_id], row_to_record)
            .optional()?)
    }

    /// The profile's cash sales whose record at Ottu is still to be finished, oldest first.
    pub fn pending_cash_ottu_records(&self, profile_id: &str) -> Result<Vec<CashOttuRecord>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM cash_ottu_records WHERE profile_id = ?1
             AND status IN ('to_create', 'create_unknown', 'to_acknowledge') ORDER BY updated_at"
        );
        let conn = self.conn();
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map([profile_id], row_to_record)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Every cash-sale record of the profile, keyed by sale id.
    pub fn cash_ottu_records(&self, profile_id: &str) -> Result<Vec<CashOttuRecord>> {
        let sql = format!("SELECT {COLUMNS} FROM cash_ottu_records WHERE profile_id = ?1");
        let conn = self.conn();
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map([profile_id], row_to_record)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}
