//! The local sales history: one SQLite file, the ledger the create flow writes to first.
//!
//! - WAL journal and `synchronous=FULL`: a row written before a request leaves is on disk when the
//!   request goes out, so a crash right after can never lose a sale the server may have created.
//! - A `migrations` table records which schema steps ran; opening applies the missing ones.
//! - Times are RFC 3339 UTC strings with milliseconds (`2026-11-22T02:30:00.123Z`), so string
//!   order is time order and range filters are plain comparisons.
//! - `search_text` holds the lowercased name, phone, email, order number, session id, note and
//!   cart item names, lowercased in Rust like the query (SQLite's own `lower()` and `LIKE` fold
//!   ASCII only; Arabic has no case and is matched as is). Search finds the substring through
//!   the FTS5 trigram index `sales_search`, kept in step by triggers, or by `LIKE` on the
//!   newest sales when the text is short or common ([`Store::list`]; docs/architecture.md,
//!   "History at scale").
//! - The request body sent to Ottu is stored with the sale, so a retry after a crash resends the
//!   very same request (same `order_no`).
//!
//! All SQL of the crate lives here, in `store/operations.rs` (the refund, capture and void
//! ledger, same discipline: written before sending, compare-and-set on `version`, claims) and in
//! `store/catalog.rs` (the shop's items), `store/shifts.rs` (shifts and the drawer) and
//! `store/bills.rs` (split bills).
//! `store/catalog.rs` (the shop's items), `store/shifts.rs` (the drawer) and `store/dashboard.rs`
//! (the dashboard's two range reads).
//!
//! Over 400 lines on purpose: the schema, its migrations and every query on it stay in one file
//! so the SQL can be read against the table (tests are in `store/tests.rs`).

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::dto::{Language, PaymentMethod, Sale, SaleState, Settlement, StaffRef};
use crate::error::{Error, FieldErrors, Result};
use crate::problem::Problem;

/// A sale as stored: what the UI sees plus the ledger's bookkeeping.
#[derive(Debug, Clone, PartialEq)]
pub struct SaleRecord {
    /// The UI's view (its `qr_svg` is always `None` here; the engine renders it).
    pub sale: Sale,
    /// The create request body as (to be) sent, JSON.
    pub request: serde_json::Value,
    /// Field errors of a rejected create, keyed by draft field names.
    pub field_errors: FieldErrors,
    /// How many times the create request was sent.
    pub send_attempts: u32,
    /// Bumped by every write: [`Store::update`] writes only over the version it read.
    pub version: i64,
    /// The process working on the sale's request right now, if any (see [`Claim`]).
    pub claim: Option<Claim>,
    /// When the create request was last sent, on the engine's clock (RFC 3339, UTC).
    pub sent_at: Option<String>,
    /// Automatic checks made since the sale last changed phase (drives the backoff).
    pub checks: u32,
    /// What settling a lost create has found out so far.
    pub finding: Option<Finding>,
    /// Until when a `failed`/`expired` sale is re-checked for a late payment.
    pub recheck_until: Option<String>,
}

/// A process's claim on a sale while one of its requests about it is on the wire: other
/// processes (and engines) on the same history leave the sale alone until `until` has passed.
/// `until` is wall-clock time (RFC 3339, UTC), not the engine's clock: it bounds a real request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// Who holds it (process id and a random engine token).
    pub owner: String,
    /// When it lapses if its owner never comes back (it crashed or was killed).
    pub until: String,
}

impl Claim {
    /// The claim stored in a row's `claim_owner` and `claim_until` columns, if any.
    pub(crate) fn from_columns(owner: Option<String>, until: Option<String>) -> Option<Claim> {
        Some(Claim {
            owner: owner?,
            until: until?,
        })
    }

    /// Whether it still holds at `now` (wall clock, RFC 3339).
    pub fn holds_at(&self, now: &str) -> bool {
        self.until.as_str() > now
    }
}

/// What settling a lost create has found out about the sale's `order_no` on the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finding {
    /// Ottu has no transaction with the order number (yet): a late one is cancelled on sight.
    Absent,
    /// A transaction existed and the till cancelled it: no link of the sale can be paid.
    Cancelled,
    /// A transaction exists and refused the cancel (paid, or closed): the status query decides.
    Uncancellable,
    /// The transaction found differs in amount or currency: not adopted, staff must look.
    Mismatch,
}

impl Finding {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Finding::Absent => "absent",
            Finding::Cancelled => "cancelled",
            Finding::Uncancellable => "uncancellable",
            Finding::Mismatch => "mismatch",
        }
    }

    /// Reads a stored name.
    pub fn parse(text: &str) -> Option<Finding> {
        match text {
            "absent" => Some(Finding::Absent),
            "cancelled" => Some(Finding::Cancelled),
            "uncancellable" => Some(Finding::Uncancellable),
            "mismatch" => Some(Finding::Mismatch),
            _ => None,
        }
    }
}

impl SaleRecord {
    /// A new record for `sale` and its request, never written yet.
    pub fn new(sale: Sale, request: serde_json::Value) -> SaleRecord {
        SaleRecord {
            sale,
            request,
            field_errors: FieldErrors::new(),
            send_attempts: 0,
            version: 0,
            claim: None,
            sent_at: None,
            checks: 0,
            finding: None,
            recheck_until: None,
        }
    }

    /// Whether someone other than the holder of claim `owner` (`""`: a caller holding none)
    /// holds a claim that has not lapsed at `now` (wall clock, RFC 3339).
    pub fn claimed_by_other(&self, owner: &str, now: &str) -> bool {
        self.claim
            .as_ref()
            .is_some_and(|c| c.owner != owner && c.holds_at(now))
    }

    /// Fills in the `settlement` flags the UI reads from the state and the findings.
    pub fn refresh_flags(&mut self) {
        let state = self.sale.state;
        let settlement = &mut self.sale.settlement;
        settlement.mismatch = self.finding == Some(Finding::Mismatch);
        settlement.can_check = self.sale.session_id.is_some() || state.needs_reconciliation();
        settlement.can_replace = settlement.replaced_by.is_none()
            && match state {
                SaleState::Rejected | SaleState::Canceled => true,
                SaleState::Unknown => self.finding == Some(Finding::Absent),
                _ => false,
            };
    }
}

/// Schema steps, applied in order; the index + 1 is the version.
pub(crate) const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE sales (
    id             TEXT PRIMARY KEY,
    profile_id     TEXT NOT NULL,
    order_no       TEXT NOT NULL,
    session_id     TEXT,
    state          TEXT NOT NULL,
    amount         TEXT NOT NULL,
    currency_code  TEXT NOT NULL,
    customer_name  TEXT,
    customer_phone TEXT,
    customer_email TEXT,
    note           TEXT,
    language       TEXT NOT NULL,
    checkout_url   TEXT,
    short_url      TEXT,
    expires_at     TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    paid_at        TEXT,
    problem        TEXT,
    request_json   TEXT NOT NULL,
    field_errors   TEXT NOT NULL DEFAULT '{}',
    send_attempts  INTEGER NOT NULL DEFAULT 0,
    search_text    TEXT NOT NULL
);
CREATE UNIQUE INDEX sales_profile_order_no ON sales (profile_id, order_no);
CREATE INDEX sales_profile_created ON sales (profile_id, created_at);
CREATE INDEX sales_profile_state ON sales (profile_id, state);
CREATE INDEX sales_session ON sales (session_id);
"#,
    r#"
ALTER TABLE sales ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sales ADD COLUMN claim_owner TEXT;
ALTER TABLE sales ADD COLUMN claim_until TEXT;
ALTER TABLE sales ADD COLUMN sent_at TEXT;
ALTER TABLE sales ADD COLUMN checks INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sales ADD COLUMN finding TEXT;
ALTER TABLE sales ADD COLUMN watch_until TEXT;
ALTER TABLE sales ADD COLUMN next_check_at TEXT;
ALTER TABLE sales ADD COLUMN replaced_by TEXT;
ALTER TABLE sales ADD COLUMN replaces TEXT;
ALTER TABLE sales ADD COLUMN recheck_until TEXT;
CREATE INDEX sales_profile_next_check ON sales (profile_id, next_check_at);
"#,
    r#"
ALTER TABLE sales ADD COLUMN created_by_id TEXT;
ALTER TABLE sales ADD COLUMN created_by_name TEXT;
CREATE INDEX sales_profile_created_by ON sales (profile_id, created_by_id);
"#,
    r#"
CREATE TABLE operations (
    id              TEXT PRIMARY KEY,
    sale_id         TEXT NOT NULL REFERENCES sales (id),
    profile_id      TEXT NOT NULL,
    kind            TEXT NOT NULL,
    amount          TEXT,
    currency_code   TEXT NOT NULL,
    tracking_key    TEXT NOT NULL UNIQUE,
    state           TEXT NOT NULL,
    result_amount   TEXT,
    reference_number TEXT,
    problem         TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    created_by_id   TEXT,
    created_by_name TEXT,
    approved_by_id  TEXT,
    approved_by_name TEXT,
    version         INTEGER NOT NULL DEFAULT 1,
    claim_owner     TEXT,
    claim_until     TEXT,
    next_check_at   TEXT,
    checks          INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX operations_sale ON operations (sale_id, created_at);
CREATE INDEX operations_profile_state ON operations (profile_id, state);
"#,
    // The shop's catalog (`catalog.rs`; SQL in `store/catalog.rs`). A code (SKU or barcode) may
    // not equal another item's SKU or barcode either; the store checks that across the two
    // columns inside the writing transaction.
    r#"
CREATE TABLE catalog_items (
    id            TEXT PRIMARY KEY,
    sku           TEXT NOT NULL,
    barcode       TEXT,
    name_en       TEXT NOT NULL,
    name_ar       TEXT,
    price         TEXT NOT NULL,
    currency_code TEXT NOT NULL,
    vat_rate      INTEGER NOT NULL,
    category      TEXT,
    favourite     INTEGER NOT NULL DEFAULT 0,
    archived      INTEGER NOT NULL DEFAULT 0,
    search_text   TEXT NOT NULL,
    version       INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX catalog_items_sku ON catalog_items (sku);
CREATE UNIQUE INDEX catalog_items_barcode ON catalog_items (barcode) WHERE barcode IS NOT NULL;
CREATE INDEX catalog_items_category ON catalog_items (category, name_en);
"#,
    // An itemised sale's priced lines (`Sale::cart`, JSON of `CartTotals`), kept for receipts.
    r#"
ALTER TABLE sales ADD COLUMN cart_json TEXT;
"#,
    // Shifts and cash (store/shifts.rs). At most one open shift per profile: the partial unique
    // index makes a second `open` fail even from another process on the same file.
    r#"
CREATE TABLE shifts (
    id              TEXT PRIMARY KEY,
    profile_id      TEXT NOT NULL,
    currency_code   TEXT NOT NULL,
    opening_float   TEXT NOT NULL,
    opened_at       TEXT NOT NULL,
    opened_by_id    TEXT,
    opened_by_name  TEXT,
    closed_at       TEXT,
    closed_by_id    TEXT,
    closed_by_name  TEXT,
    counted_cash    TEXT,
    expected_cash   TEXT,
    variance        TEXT,
    z_report_json   TEXT,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX shifts_one_open ON shifts (profile_id) WHERE closed_at IS NULL;
CREATE INDEX shifts_profile_opened ON shifts (profile_id, opened_at);
CREATE TABLE cash_entries (
    id              TEXT PRIMARY KEY,
    shift_id        TEXT NOT NULL REFERENCES shifts (id),
    kind            TEXT NOT NULL,
    amount          TEXT NOT NULL,
    reason          TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    created_by_id   TEXT,
    created_by_name TEXT
);
CREATE INDEX cash_entries_shift ON cash_entries (shift_id, created_at);
ALTER TABLE sales ADD COLUMN shift_id TEXT;
ALTER TABLE sales ADD COLUMN method TEXT NOT NULL DEFAULT 'link';
ALTER TABLE sales ADD COLUMN tendered TEXT;
ALTER TABLE sales ADD COLUMN change_given TEXT;
CREATE INDEX sales_shift ON sales (shift_id);
"#,
    // Split bills: the bill's total; its parts are sales with `bill_id`. At most one live link
    // part per bill (the states left out are crate::bills::NOT_LIVE_STATES).
    r#"
CREATE TABLE bills (
    id              TEXT PRIMARY KEY,
    profile_id      TEXT NOT NULL,
    amount          TEXT NOT NULL,
    currency_code   TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    created_by_id   TEXT,
    created_by_name TEXT
);
ALTER TABLE sales ADD COLUMN bill_id TEXT REFERENCES bills (id);
CREATE INDEX sales_bill ON sales (bill_id);
CREATE UNIQUE INDEX sales_one_live_link_per_bill ON sales (bill_id)
    WHERE bill_id IS NOT NULL AND method = 'link'
      AND state NOT IN ('paid', 'refunded', 'canceled', 'expired', 'failed', 'rejected', 'invalided');
"#,
    // Ottu's side of cash sales and reconciliation: per profile, the gateway marked as Ottu's
    // cash method and this till's id (its order-number prefix); per cash sale, where its record
    // at Ottu stands (`store/cash_ottu.rs`).
    r#"
CREATE TABLE ottu_cash_settings (
    profile_id    TEXT PRIMARY KEY,
    cash_pg_code  TEXT,
    till_id       TEXT
);
CREATE TABLE cash_ottu_records (
    sale_id        TEXT PRIMARY KEY REFERENCES sales (id),
    profile_id     TEXT NOT NULL,
    status         TEXT NOT NULL,
    pg_code        TEXT,
    session_id     TEXT,
    attempts       INTEGER NOT NULL DEFAULT 0,
    first_sent_at  TEXT,
    last_problem   TEXT,
    updated_at     TEXT NOT NULL
);
CREATE INDEX cash_ottu_records_status ON cash_ottu_records (profile_id, status);
"#,
    // A history that scales to a million sales (docs/architecture.md, "History at scale").
    // - `sales_search`: FTS5 trigram index over `search_text` (external content: the text is
    //   stored once, in `sales`; the triggers keep the index in step with every insert, update
    //   and delete). Trigrams answer substring searches, which is what the `LIKE '%…%'` scan
    //   answered. It is keyed by the rowid of `sales`: a VACUUM, which may renumber it, must be
    //   followed by `INSERT INTO sales_search(sales_search) VALUES ('rebuild')`.
    // - `search_fields`: which fields `search_text` holds (0: name, phone, email and order
    //   number, as written before this step; 1: also Ottu's session id, the note and the cart's
    //   item names). `Store::open` rewrites the rows still at 0 (found by a partial index).
    // - Indexes that let every history filter read its rows in `created_at` order, the day's
    //   and month's totals read a covering index, and refunds be found by date.
    r#"
ALTER TABLE sales ADD COLUMN search_fields INTEGER NOT NULL DEFAULT 0;
CREATE INDEX sales_search_stale ON sales (id) WHERE search_fields = 0;
CREATE VIRTUAL TABLE sales_search USING fts5(
    search_text, content = 'sales', content_rowid = 'rowid',
    tokenize = 'trigram case_sensitive 1'
);
INSERT INTO sales_search (sales_search) VALUES ('rebuild');
CREATE TRIGGER sales_search_insert AFTER INSERT ON sales BEGIN
    INSERT INTO sales_search (rowid, search_text) VALUES (new.rowid, new.search_text);
END;
CREATE TRIGGER sales_search_delete AFTER DELETE ON sales BEGIN
    INSERT INTO sales_search (sales_search, rowid, search_text)
    VALUES ('delete', old.rowid, old.search_text);
END;
CREATE TRIGGER sales_search_update AFTER UPDATE OF search_text ON sales
WHEN old.search_text IS NOT new.search_text BEGIN
    INSERT INTO sales_search (sales_search, rowid, search_text)
    VALUES ('delete', old.rowid, old.search_text);
    INSERT INTO sales_search (rowid, search_text) VALUES (new.rowid, new.search_text);
END;
DROP INDEX sales_profile_state;
DROP INDEX sales_profile_created_by;
CREATE INDEX sales_profile_state_created ON sales (profile_id, state, created_at);
CREATE INDEX sales_profile_staff_created ON sales (profile_id, created_by_id, created_at);
CREATE INDEX sales_profile_method_created ON sales (profile_id, method, created_at);
CREATE INDEX sales_profile_paid ON sales (profile_id, state, paid_at, currency_code, amount);
CREATE INDEX operations_profile_kind_created
    ON operations (profile_id, kind, state, created_at);
CREATE INDEX sales_polled_by_age ON sales (profile_id, created_at, id)
    WHERE state IN ('created', 'pending', 'attempted') AND session_id IS NOT NULL;
"#,
    // Paid sums per UTC day (`store/paid_days.rs`): per profile, day (`paid_at`'s first ten
    // characters), currency and decimals, the paid sales' count and their amounts in minor units
    // (the digits without the point, as `paid_totals` summed them), kept by triggers on every
    // insert, delete and change of what decides it. A month's totals read 31 rows per currency
    // instead of every paid sale of the month.
    // `sales_profile_created_text`: a search matching many sales reads the sales newest first
    // and tests each one's `search_text`; from this index it reads neither the rows nor their
    // request and cart JSON, and needs no sort (`id` breaks ties in the page's order).
    // Partial on `search_text <> ''` (which no searched text can match anyway) so that only a
    // search naming that condition may use it; the other reads by date keep their indexes.
    r#"
CREATE TABLE sales_paid_days (
    profile_id     TEXT NOT NULL,
    day            TEXT NOT NULL,
    currency_code  TEXT NOT NULL,
    decimals       INTEGER NOT NULL,
    minor          INTEGER NOT NULL,
    count          INTEGER NOT NULL,
    PRIMARY KEY (profile_id, day, currency_code, decimals)
) WITHOUT ROWID;
INSERT INTO sales_paid_days (profile_id, day, currency_code, decimals, minor, count)
    SELECT profile_id, substr(paid_at, 1, 10), currency_code,
        IIF(instr(amount, '.') = 0, 0, length(amount) - instr(amount, '.')),
        SUM(CAST(REPLACE(amount, '.', '') AS INTEGER)), COUNT(*)
    FROM sales WHERE state = 'paid' AND paid_at IS NOT NULL
    GROUP BY 1, 2, 3, 4;
CREATE TRIGGER sales_paid_days_insert AFTER INSERT ON sales
WHEN new.state = 'paid' AND new.paid_at IS NOT NULL BEGIN
    INSERT INTO sales_paid_days (profile_id, day, currency_code, decimals, minor, count)
    VALUES (new.profile_id, substr(new.paid_at, 1, 10), new.currency_code,
        IIF(instr(new.amount, '.') = 0, 0, length(new.amount) - instr(new.amount, '.')),
        CAST(REPLACE(new.amount, '.', '') AS INTEGER), 1)
    ON CONFLICT (profile_id, day, currency_code, decimals)
    DO UPDATE SET minor = minor + excluded.minor, count = count + 1;
END;
CREATE TRIGGER sales_paid_days_delete AFTER DELETE ON sales
WHEN old.state = 'paid' AND old.paid_at IS NOT NULL BEGIN
    UPDATE sales_paid_days
    SET minor = minor - CAST(REPLACE(old.amount, '.', '') AS INTEGER), count = count - 1
    WHERE profile_id = old.profile_id AND day = substr(old.paid_at, 1, 10)
        AND currency_code = old.currency_code
        AND decimals = IIF(instr(old.amount, '.') = 0, 0,
            length(old.amount) - instr(old.amount, '.'));
END;
CREATE TRIGGER sales_paid_days_update
AFTER UPDATE OF profile_id, state, paid_at, amount, currency_code ON sales
WHEN (old.state = 'paid' AND old.paid_at IS NOT NULL)
    OR (new.state = 'paid' AND new.paid_at IS NOT NULL) BEGIN
    UPDATE sales_paid_days
    SET minor = minor - CAST(REPLACE(old.amount, '.', '') AS INTEGER), count = count - 1
    WHERE old.state = 'paid' AND old.paid_at IS NOT NULL
        AND profile_id = old.profile_id AND day = substr(old.paid_at, 1, 10)
        AND currency_code = old.currency_code
        AND decimals = IIF(instr(old.amount, '.') = 0, 0,
            length(old.amount) - instr(old.amount, '.'));
    INSERT INTO sales_paid_days (profile_id, day, currency_code, decimals, minor, count)
    SELECT new.profile_id, substr(new.paid_at, 1, 10), new.currency_code,
        IIF(instr(new.amount, '.') = 0, 0, length(new.amount) - instr(new.amount, '.')),
        CAST(REPLACE(new.amount, '.', '') AS INTEGER), 1
    WHERE new.state = 'paid' AND new.paid_at IS NOT NULL
    ON CONFLICT (profile_id, day, currency_code, decimals)
    DO UPDATE SET minor = minor + excluded.minor, count = count + 1;
END;
CREATE INDEX sales_profile_created_text ON sales (profile_id, created_at, id, search_text)
    WHERE search_text <> '';
"#,
];

/// The sales the status tracker polls: a customer may still pay them and Ottu knows them. The
/// same condition as the partial index `sales_polled_by_age`, word for word, so SQLite uses it.
const POLLED: &str = "state IN ('created', 'pending', 'attempted') AND session_id IS NOT NULL";

/// A search matching at most this many sales reads them by rowid and sorts them; one matching
/// more reads the sales newest first (see [`Store::list`]).
pub const SELECTIVE_MATCHES: u32 = 5_000;

/// What [`search_text`] holds now; rows written with an older set are rewritten on open.
const SEARCH_FIELDS: i64 = 1;

/// The history database.
#[derive(Debug)]
pub struct Store {
    conn: Mutex<Connection>,
}

/// Filters the store understands (the engine turns a `HistoryQuery` into this).
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Lowercased search text (matched anywhere).
    pub text: Option<String>,
    /// Only this state.
    pub state: Option<SaleState>,
    /// `created_at >= from` (RFC 3339 UTC).
    pub created_from: Option<String>,
    /// `created_at < until` (RFC 3339 UTC).
    pub created_until: Option<String>,
    /// Only sales made by this staff id.
    pub staff_id: Option<String>,
    /// Only sales paid this way.
    pub method: Option<PaymentMethod>,
    /// Maximum rows.
    pub limit: u32,
}

const COLUMNS: &str = "id, profile_id, order_no, session_id, state, amount, currency_code, \
    customer_name, customer_phone, customer_email, note, language, checkout_url, short_url, \
    expires_at, created_at, updated_at, paid_at, problem, request_json, field_errors, send_attempts, \
    version, claim_owner, claim_until, sent_at, checks, finding, watch_until, next_check_at, \
    replaced_by, replaces, recheck_until, created_by_id, created_by_name, cart_json, method, bill_id";

impl Store {
    /// Opens (or creates) the history file and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        // Several processes (or the app's own connections) opening a brand-new file at once can
        // meet a plain SQLITE_BUSY the busy timeout does not wait out: while one switches the
        // file to WAL, the others' first lock attempt is refused at once. Opening again a moment
        // later sees the finished file; nothing was written by the refused attempt.
        let mut attempt = 0;
        loop {
            match Self::open_once(path) {
                Err(Error::Store(rusqlite::Error::SqliteFailure(e, _)))
                    if e.code == rusqlite::ErrorCode::DatabaseBusy && attempt < 50 =>
                {
                    attempt += 1;
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                opened => return opened,
            }
        }
    }

    fn open_once(path: &Path) -> Result<Store> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| Error::Io {
                context: format!("could not create the folder {}", parent.display()),
                source,
            })?;
        }
        let mut conn = Connection::open(path)?;
        // Every transaction takes the write lock when it begins (waiting out the busy timeout):
        // a deferred one that reads and then writes fails at once with SQLITE_BUSY_SNAPSHOT when
        // another process (a CLI, a second till) wrote in between, which the busy timeout
        // cannot wait out. The transactions here all write, so nothing is lost by it.
        conn.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
        // Customers' names and phones: readable by this user only. SQLite gives the `-wal` and
        // `-shm` files the database file's permissions.
        restrict_to_owner(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let store = Store {
            conn: Mutex::new(conn),
        };
        store.migrate()?;
        store.refresh_stale_search_text()?;
        Ok(store)
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves SQLite consistent (every write is one statement
        // or a transaction), so the poisoned guard is still safe to use.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn migrate(&self) -> Result<()> {
        let mut conn = self.conn();
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS migrations (
                version    INTEGER PRIMARY KEY,
                applied_at TEXT NOT NULL
            );",
        )?;
        // Every open but the first of a new version finds nothing to do: a plain read, no lock.
        let current: i64 = conn.query_row(
            "SELECT COALESCE(MAX(version), 0) FROM migrations",
            [],
            |r| r.get(0),
        )?;
        if current >= MIGRATIONS.len() as i64 {
            return Ok(());
        }
        for (index, step) in MIGRATIONS.iter().enumerate() {
            let version = index as i64 + 1;
            // Read the version inside the step's write transaction (IMMEDIATE: it takes the write
            // lock first): two connections opening a new file at once (the sales engine and the
            // catalog at start-up, or the app and a CLI) then apply each step once, the second
            // seeing the first's, instead of both reading 0 and one failing on "already exists".
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let current: i64 = tx.query_row(
                "SELECT COALESCE(MAX(version), 0) FROM migrations",
                [],
                |r| r.get(0),
            )?;
            if version <= current {
                continue;
            }
            tx.execute_batch(step)?;
            tx.execute(
                "INSERT INTO migrations (version, applied_at) VALUES (?1, ?2)",
                params![version, now_utc()],
            )?;
            tx.commit()?;
        }
        Ok(())
    }

    /// Rewrites `search_text` of the rows written before it held every searched field, a
    /// thousand per transaction (the triggers update the search index). Finds them through a
    /// partial index, so an up-to-date history costs one empty index lookup and no lock.
    fn refresh_stale_search_text(&self) -> Result<()> {
        let mut conn = self.conn();
        loop {
            // A plain read first: an up-to-date history (every open but the first after the
            // upgrade) takes no write lock, so processes opening it at once never wait.
            let any_stale: bool = conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM sales WHERE search_fields = 0)",
                [],
                |r| r.get(0),
            )?;
            if !any_stale {
                return Ok(());
            }
            // Immediate: the write lock is taken (waiting out the busy timeout) before the read,
            // since a read transaction upgraded to a write fails at once when another process
            // wrote in between.
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let stale = {
                let mut stmt = tx.prepare(&format!(
                    "SELECT {COLUMNS} FROM sales WHERE search_fields = 0 LIMIT 1000"
                ))?;
                stmt.query_map([], record_from_row)?
                    .collect::<rusqlite::Result<Vec<_>>>()?
            };
            if stale.is_empty() {
                return Ok(());
            }
            for record in &stale {
                tx.execute(
                    "UPDATE sales SET search_text = ?1, search_fields = ?2 WHERE id = ?3",
                    params![search_text(&record.sale), SEARCH_FIELDS, record.sale.id],
                )?;
            }
            tx.commit()?;
        }
    }

    /// The schema version in use.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn()
            .query_row("SELECT MAX(version) FROM migrations", [], |r| r.get(0))?)
    }

    /// Writes a new sale (its `version` becomes 1). An `order_no` already used by the profile is
    /// refused on `order_no`: the unique index makes this safe across processes. The sale
    /// belongs to the profile's open shift, if any, looked up in the same statement (so a shift
    /// closing meanwhile cannot be half-seen).
    pub fn insert(&self, record: &mut SaleRecord) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        insert_on(&tx, record)?;
        tx.commit()?;
        record.version = 1;
        Ok(())
    }

    /// Writes many new sales in one transaction, as [`Store::insert`] writes one (same columns,
    /// shift, search index); all or none. For imports and the history benchmark's generator
    /// (`crates/pos-core/examples/history_bench.rs`), where a commit per sale would cost a disk
    /// flush each.
    pub fn insert_batch(&self, records: &mut [SaleRecord]) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        for record in records.iter() {
            insert_on(&tx, record)?;
        }
        tx.commit()?;
        for record in records.iter_mut() {
            record.version = 1;
        }
        Ok(())
    }

    /// Compare-and-set: rewrites every mutable column of the sale (the id, profile and creation
    /// time stay) only if its stored `version` is still `record.version`, and bumps it.
    /// Answers `false`, writing nothing, when another writer (this process or another one on
    /// the same file) changed the sale since it was read: reload and decide again.
    #[must_use = "a stale record was not written"]
    pub fn update(&self, record: &mut SaleRecord) -> Result<bool> {
        let next = record.version + 1;
        let values = column_values(record, next);
        // Columns 2.. of COLUMNS (all but id, profile_id) are set; created_at stays.
        let names: Vec<&str> = COLUMNS
            .split(',')
            .map(str::trim)
            .chain(std::iter::once("search_text"))
            .collect();
        let mut sets = Vec::new();
        for (index, name) in names.iter().enumerate() {
            if matches!(*name, "id" | "profile_id" | "created_at") {
                continue;
            }
            sets.push(format!("{name} = ?{}", index + 1));
        }
        let sql = format!(
            "UPDATE sales SET {}, search_fields = {SEARCH_FIELDS} WHERE id = ?1 AND version = ?{}",
            sets.join(", "),
            values.len() + 1
        );
        let mut params: Vec<rusqlite::types::Value> = values;
        params.push(rusqlite::types::Value::Integer(record.version));
        let conn = self.conn();
        let changed = conn.execute(&sql, rusqlite::params_from_iter(params.iter()))?;
        if changed == 1 {
            record.version = next;
            return Ok(true);
        }
        let exists = conn
            .query_row(
                "SELECT 1 FROM sales WHERE id = ?1",
                [&record.sale.id],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
        if exists {
            Ok(false)
        } else {
            Err(Error::NotFound(crate::problem!(
                SaleNotFound,
                id = record.sale.id
            )))
        }
    }

    /// One sale by local id.
    pub fn get(&self, id: &str) -> Result<Option<SaleRecord>> {
        Ok(self
            .conn()
            .query_row(
                &format!("SELECT {COLUMNS} FROM sales WHERE id = ?1"),
                [id],
                record_from_row,
            )
            .optional()?)
    }

    /// One sale by the profile's order number.
    pub fn get_by_order_no(&self, profile_id: &str, order_no: &str) -> Result<Option<SaleRecord>> {
        Ok(self
            .conn()
            .query_row(
                &format!("SELECT {COLUMNS} FROM sales WHERE profile_id = ?1 AND order_no = ?2"),
                [profile_id, order_no],
                record_from_row,
            )
            .optional()?)
    }

    /// Whether the profile already has a sale with this order number.
    pub fn order_no_exists(&self, profile_id: &str, order_no: &str) -> Result<bool> {
        Ok(self
            .conn()
            .query_row(
                "SELECT 1 FROM sales WHERE profile_id = ?1 AND order_no = ?2",
                [profile_id, order_no],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// The profile's sales in any of `states`, oldest first.
    pub fn in_states(&self, profile_id: &str, states: &[SaleState]) -> Result<Vec<SaleRecord>> {
        if states.is_empty() {
            return Ok(Vec::new());
        }
        let marks = vec!["?"; states.len()].join(", ");
        let sql = format!(
            "SELECT {COLUMNS} FROM sales WHERE profile_id = ? AND state IN ({marks}) ORDER BY created_at"
        );
        let conn = self.conn();
        let mut stmt = conn.prepare(&sql)?;
        let mut values: Vec<String> = vec![profile_id.to_owned()];
        values.extend(states.iter().map(|s| s.as_str().to_owned()));
        let rows = stmt.query_map(rusqlite::params_from_iter(values.iter()), record_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// How many of the profile's sales are in any of `states` (counted, not loaded).
    pub fn count_in_states(&self, profile_id: &str, states: &[SaleState]) -> Result<usize> {
        if states.is_empty() {
            return Ok(0);
        }
        let marks = vec!["?"; states.len()].join(", ");
        let mut values: Vec<String> = vec![profile_id.to_owned()];
        values.extend(states.iter().map(|s| s.as_str().to_owned()));
        let count: i64 = self.conn().query_row(
            &format!("SELECT COUNT(*) FROM sales WHERE profile_id = ? AND state IN ({marks})"),
            rusqlite::params_from_iter(values.iter()),
            |r| r.get(0),
        )?;
        Ok(count as usize)
    }

    /// The oldest `limit` of the profile's sales in any of `states`, oldest first.
    pub fn oldest_in_states(
        &self,
        profile_id: &str,
        states: &[SaleState],
        limit: u32,
    ) -> Result<Vec<SaleRecord>> {
        if states.is_empty() {
            return Ok(Vec::new());
        }
        let marks = vec!["?"; states.len()].join(", ");
        let sql = format!(
            "SELECT {COLUMNS} FROM sales WHERE profile_id = ? AND state IN ({marks})
             ORDER BY created_at, id LIMIT {limit}"
        );
        let conn = self.conn();
        let mut stmt = conn.prepare(&sql)?;
        let mut values: Vec<String> = vec![profile_id.to_owned()];
        values.extend(states.iter().map(|s| s.as_str().to_owned()));
        let rows = stmt.query_map(rusqlite::params_from_iter(values.iter()), record_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The profile's newest polled sales (`created`, `pending`, `attempted`, with a session id)
    /// made at or after `since`, at most `limit`, newest first.
    pub fn polled_since(
        &self,
        profile_id: &str,
        since: &str,
        limit: u32,
    ) -> Result<Vec<SaleRecord>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {COLUMNS} FROM sales WHERE profile_id = ?1 AND {POLLED}
             AND created_at >= ?2 ORDER BY created_at DESC, id DESC LIMIT ?3"
        ))?;
        let rows = stmt.query_map(params![profile_id, since, limit], record_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// A batch of the profile's polled sales made before `before`, oldest first, starting after
    /// `after` (`(created_at, id)` of the previous batch's last sale; `None`: from the oldest).
    /// Keyset paging on the partial index: each batch reads only its own rows.
    pub fn polled_before(
        &self,
        profile_id: &str,
        before: &str,
        after: Option<&(String, String)>,
        limit: u32,
    ) -> Result<Vec<SaleRecord>> {
        let (after_at, after_id) = after
            .map(|(at, id)| (at.as_str(), id.as_str()))
            .unwrap_or(("", ""));
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {COLUMNS} FROM sales WHERE profile_id = ?1 AND {POLLED}
             AND created_at < ?2 AND (created_at, id) > (?3, ?4)
             ORDER BY created_at, id LIMIT ?5"
        ))?;
        let rows = stmt.query_map(
            params![profile_id, before, after_at, after_id, limit],
            record_from_row,
        )?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The profile's sales whose `next_check_at` is at or before `now`, most overdue first.
    pub fn due_checks(&self, profile_id: &str, now: &str) -> Result<Vec<SaleRecord>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {COLUMNS} FROM sales WHERE profile_id = ?1 AND next_check_at IS NOT NULL
             AND next_check_at <= ?2 ORDER BY next_check_at LIMIT 500"
        ))?;
        let rows = stmt.query_map(params![profile_id, now], record_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The earliest `next_check_at` of the profile's sales.
    pub fn next_check_due(&self, profile_id: &str) -> Result<Option<String>> {
        Ok(self.conn().query_row(
            "SELECT MIN(next_check_at) FROM sales WHERE profile_id = ?1",
            [profile_id],
            |r| r.get(0),
        )?)
    }

    /// The profile's sales matching `filter`, newest first.
    ///
    /// A search of three characters or more asks the trigram index first for at most
    /// [`SELECTIVE_MATCHES`] + 1 matching rows. When that is all of them (an order number, a
    /// phone, an email, a rare name: a few rows), those rows are read by rowid and sorted;
    /// otherwise (a common name or item: one sale in 200 of a million or more) the sales are
    /// read newest first, each matched by `LIKE`, and the first `limit` matches end the read.
    /// Either way the result is the same; docs/architecture.md ("History at scale") has the
    /// plans and their costs.
    pub fn list(&self, profile_id: &str, filter: &ListFilter) -> Result<Vec<Sale>> {
        self.list_with(profile_id, filter, SELECTIVE_MATCHES)
    }

    /// [`Store::list`] with the threshold between its two search plans as given (tests run
    /// both plans on small histories).
    pub(crate) fn list_with(
        &self,
        profile_id: &str,
        filter: &ListFilter,
        selective_matches: u32,
    ) -> Result<Vec<Sale>> {
        let conn = self.conn();
        let mut from = "sales AS s".to_owned();
        let mut values: Vec<String> = Vec::new();
        let mut conditions: Vec<&str> = vec!["s.profile_id = ?"];
        let mut condition_values: Vec<String> = vec![profile_id.to_owned()];
        let mut scans_text = false;
        if let Some(text) = filter.text.as_deref().filter(|t| !t.is_empty()) {
            if text.chars().count() >= 3 {
                // A quoted phrase of trigrams matches the rows holding the text as a
                // substring, exactly what the `LIKE` below matches.
                let phrase = format!("\"{}\"", text.replace('"', "\"\""));
                let mut stmt = conn.prepare_cached(
                    "SELECT rowid FROM sales_search WHERE sales_search MATCH ?1 LIMIT ?2",
                )?;
                let rowids = stmt
                    .query_map(params![phrase, selective_matches + 1], |r| {
                        r.get::<_, i64>(0)
                    })?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                if rowids.len() <= selective_matches as usize {
                    // CROSS JOIN keeps this order: the few matches first, then their rows.
                    from = "json_each(?) AS m CROSS JOIN sales AS s ON s.rowid = m.value".into();
                    values.push(serde_json::to_string(&rowids).unwrap_or_else(|_| "[]".into()));
                } else {
                    // Common text: the newest sales hold a page of matches soon.
                    conditions.push("s.search_text LIKE ? ESCAPE '\\'");
                    condition_values.push(format!("%{}%", escape_like(text)));
                    scans_text = true;
                }
            } else {
                // One or two characters have no trigram; they match many sales, so reading
                // newest first and stopping at the page's limit ends early.
                conditions.push("s.search_text LIKE ? ESCAPE '\\'");
                condition_values.push(format!("%{}%", escape_like(text)));
                scans_text = true;
            }
        }
        let mut add = |condition: &'static str, value: Option<String>| {
            if let Some(value) = value {
                conditions.push(condition);
                condition_values.push(value);
            }
        };
        add("s.state = ?", filter.state.map(|s| s.as_str().to_owned()));
        add("s.created_by_id = ?", filter.staff_id.clone());
        add(
            "s.method = ?",
            filter
                .method
                .filter(|m| *m != PaymentMethod::Split)
                .map(|m| m.as_str().to_owned()),
        );
        add("s.created_at >= ?", filter.created_from.clone());
        add("s.created_at < ?", filter.created_until.clone());
        if filter.method == Some(PaymentMethod::Split) {
            // The parts of split bills, each whatever its own method.
            conditions.push("s.bill_id IS NOT NULL");
        }
        if scans_text
            && filter.state.is_none()
            && filter.staff_id.is_none()
            && filter.method.is_none()
        {
            // Only the text (and maybe dates) to test: the covering index answers it alone,
            // newest first. With another filter, that filter's own index reads fewer sales.
            from = "sales AS s INDEXED BY sales_profile_created_text".into();
            // The partial index's condition, which SQLite must see to use it; a row with no
            // text matches no search, so it changes nothing.
            conditions.push("s.search_text <> ''");
        }
        values.extend(condition_values);
        let columns = COLUMNS
            .split(',')
            .map(|c| format!("o.{}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ");
        // The page's rowids are chosen first and only then its rows read whole, so sorting
        // thousands of matches moves their keys, not their request and cart JSON.
        let sql = format!(
            "SELECT {columns} FROM sales AS o WHERE o.rowid IN (
                 SELECT s.rowid FROM {from} WHERE {}
                 ORDER BY s.created_at DESC, s.id DESC LIMIT {})
             ORDER BY o.created_at DESC, o.id DESC",
            conditions.join(" AND "),
            filter.limit
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(values.iter()), |row| {
            record_from_row(row).map(|r| r.sale)
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// `(currency_code, amount)` of the profile's sales in `state` whose `paid_at` falls in
    /// `[from, until)`.
    pub fn paid_amounts(
        &self,
        profile_id: &str,
        from: &str,
        until: &str,
    ) -> Result<Vec<(String, String)>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT currency_code, amount FROM sales
             WHERE profile_id = ?1 AND state = 'paid' AND paid_at >= ?2 AND paid_at < ?3
             ORDER BY currency_code",
        )?;
        let rows = stmt.query_map(params![profile_id, from, until], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

/// The INSERT of [`Store::insert`], in a transaction the caller commits. It also bumps the open
/// shift's `version`, so a close computed before this sale existed fails its compare-and-set.
pub(crate) fn insert_on(conn: &Connection, record: &SaleRecord) -> Result<()> {
    let values = column_values(record, 1);
    let marks = (1..=values.len())
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ");
    // ?2 is the profile id (second of COLUMNS).
    let result = conn.execute(
        &format!(
            "INSERT INTO sales ({COLUMNS}, search_text, shift_id, search_fields) VALUES ({marks}, \
             (SELECT id FROM shifts WHERE profile_id = ?2 AND closed_at IS NULL), {SEARCH_FIELDS})"
        ),
        rusqlite::params_from_iter(values.iter()),
    );
    match result {
        Ok(_) => {
            conn.execute(
                "UPDATE shifts SET version = version + 1
                 WHERE profile_id = ?1 AND closed_at IS NULL",
                [&record.sale.profile_id],
            )?;
            Ok(())
        }
        // `sales_one_live_link_per_bill`: another link part of the bill is live.
        Err(rusqlite::Error::SqliteFailure(e, Some(message)))
            if e.code == rusqlite::ErrorCode::ConstraintViolation
                && message.contains("sales.bill_id") =>
        {
            Err(Error::WrongState(crate::problem!(BillLinkLive)))
        }
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            Err(Error::invalid_field(
                "order_no",
                crate::problem!(OrderNoUsed),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// Makes `path` readable and writable by its owner only (Unix; elsewhere the user's profile
/// folder already is private).
pub(crate) fn restrict_to_owner(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(
            |source| Error::Io {
                context: format!("could not make {} private", path.display()),
                source,
            },
        )?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

fn record_from_row(row: &Row<'_>) -> rusqlite::Result<SaleRecord> {
    let state: String = row.get(4)?;
    let language: String = row.get(11)?;
    let checkout_url: Option<String> = row.get(12)?;
    let short_url: Option<String> = row.get(13)?;
    let request: String = row.get(19)?;
    let fields: String = row.get(20)?;
    let claim_owner: Option<String> = row.get(23)?;
    let claim_until: Option<String> = row.get(24)?;
    let finding: Option<String> = row.get(27)?;
    let created_by_id: Option<String> = row.get(33)?;
    let created_by_name: Option<String> = row.get(34)?;
    let cart_json: Option<String> = row.get(35)?;
    let method: String = row.get(36)?;
    let link = short_url.clone().or_else(|| checkout_url.clone());
    let mut record = SaleRecord {
        sale: Sale {
            id: row.get(0)?,
            profile_id: row.get(1)?,
            order_no: row.get(2)?,
            session_id: row.get(3)?,
            // A state written by a newer version reads as `unknown`, which gets reconciled.
            state: SaleState::parse(&state).unwrap_or(SaleState::Unknown),
            // A method written by a newer version reads as a link: the sale still lists.
            method: PaymentMethod::parse(&method).unwrap_or_default(),
            bill_id: row.get(37)?,
            amount: row.get(5)?,
            currency_code: row.get(6)?,
            customer_name: row.get(7)?,
            customer_phone: row.get(8)?,
            customer_email: row.get(9)?,
            note: row.get(10)?,
            language: Language::parse(&language).unwrap_or_default(),
            checkout_url,
            short_url,
            link,
            qr_svg: None,
            expires_at: row.get(14)?,
            created_at: row.get(15)?,
            updated_at: row.get(16)?,
            paid_at: row.get(17)?,
            problem: row
                .get::<_, Option<String>>(18)?
                .map(|text| Problem::from_stored(&text)),
            settlement: Settlement {
                watch_until: row.get(28)?,
                next_check_at: row.get(29)?,
                replaced_by: row.get(30)?,
                replaces: row.get(31)?,
                ..Settlement::default()
            },
            created_by: created_by_id.map(|id| StaffRef {
                name: created_by_name.unwrap_or_default(),
                id,
            }),
            operations: Vec::new(),
            refundable_amount: None,
            offered_operations: Vec::new(),
            // Written by this code from a `CartTotals`; unreadable only if a newer version
            // changed its shape, and then the sale still reads, without its lines.
            cart: cart_json.and_then(|json| serde_json::from_str(&json).ok()),
        },
        request: serde_json::from_str(&request).unwrap_or(serde_json::Value::Null),
        field_errors: serde_json::from_str(&fields).unwrap_or_default(),
        send_attempts: row.get(21)?,
        version: row.get(22)?,
        claim: Claim::from_columns(claim_owner, claim_until),
        sent_at: row.get(25)?,
        checks: row.get(26)?,
        finding: finding.as_deref().and_then(Finding::parse),
        recheck_until: row.get(32)?,
    };
    record.refresh_flags();
    Ok(record)
}

/// The values of COLUMNS (then `search_text`) for `record`, with `version` as given.
fn column_values(record: &SaleRecord, version: i64) -> Vec<rusqlite::types::Value> {
    use rusqlite::types::Value;
    let text = |v: &str| Value::Text(v.to_owned());
    let opt = |v: &Option<String>| v.as_deref().map_or(Value::Null, text);
    let s = &record.sale;
    let settlement = &s.settlement;
    vec![
        text(&s.id),
        text(&s.profile_id),
        text(&s.order_no),
        opt(&s.session_id),
        text(s.state.as_str()),
        text(&s.amount),
        text(&s.currency_code),
        opt(&s.customer_name),
        opt(&s.customer_phone),
        opt(&s.customer_email),
        opt(&s.note),
        text(s.language.as_str()),
        opt(&s.checkout_url),
        opt(&s.short_url),
        opt(&s.expires_at),
        text(&s.created_at),
        text(&s.updated_at),
        opt(&s.paid_at),
        opt(&s.problem.as_ref().map(Problem::to_stored)),
        Value::Text(record.request.to_string()),
        Value::Text(serde_json::to_string(&record.field_errors).unwrap_or_else(|_| "{}".into())),
        Value::Integer(i64::from(record.send_attempts)),
        Value::Integer(version),
        opt(&record.claim.as_ref().map(|c| c.owner.clone())),
        opt(&record.claim.as_ref().map(|c| c.until.clone())),
        opt(&record.sent_at),
        Value::Integer(i64::from(record.checks)),
        opt(&record.finding.map(|f| f.as_str().to_owned())),
        opt(&settlement.watch_until),
        opt(&settlement.next_check_at),
        opt(&settlement.replaced_by),
        opt(&settlement.replaces),
        opt(&record.recheck_until),
        opt(&s.created_by.as_ref().map(|by| by.id.clone())),
        opt(&s.created_by.as_ref().map(|by| by.name.clone())),
        opt(&s
            .cart
            .as_ref()
            .and_then(|cart| serde_json::to_string(cart).ok())),
        text(s.method.as_str()),
        opt(&s.bill_id),
        Value::Text(search_text(s)),
    ]
}

/// What history search looks in, lowercased, one field per line: the customer's name, phone
/// and email, the order number, Ottu's session id, the note and the cart's item names.
pub(crate) fn search_text(sale: &Sale) -> String {
    let items = sale
        .cart
        .iter()
        .flat_map(|cart| cart.lines.iter().map(|line| line.description.as_str()));
    [
        sale.customer_name.as_deref(),
        sale.customer_phone.as_deref(),
        sale.customer_email.as_deref(),
        Some(sale.order_no.as_str()),
        sale.session_id.as_deref(),
        sale.note.as_deref(),
    ]
    .into_iter()
    .flatten()
    .chain(items)
    .map(str::to_lowercase)
    .collect::<Vec<_>>()
    .join("\n")
}

fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

// Instants are stored as RFC 3339 UTC with milliseconds; `clock` writes them.
pub use crate::clock::{format_utc, now_utc};

mod catalog;
mod operations;
pub use catalog::CatalogWrite;
pub use operations::OperationRecord;

mod bills;
pub(crate) use bills::check_part_fits;
mod cash_ottu;
pub use cash_ottu::{CashOttuRecord, CashOttuStatus, OttuCashSettings};
mod dashboard;
mod paid_days;
mod shifts;
pub use shifts::{CashEntryRecord, ShiftRecord, ShiftRefundRow, ShiftSaleRow};

#[cfg(test)]
mod search_tests;
#[cfg(test)]
pub(crate) mod tests;
