-- Schema of the sandbox database. Statements are idempotent; run at every start.
CREATE TABLE IF NOT EXISTS transactions (
    session_id       TEXT PRIMARY KEY,
    order_no         TEXT,
    reference_number TEXT NOT NULL,
    short_code       TEXT NOT NULL UNIQUE,
    plugin           TEXT NOT NULL,
    state            TEXT NOT NULL,
    fields           TEXT NOT NULL,
    outputs          TEXT NOT NULL,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    expires_at       INTEGER NOT NULL,
    paid_at          INTEGER,
    deleted          INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS transactions_by_order_no ON transactions (order_no);

CREATE TABLE IF NOT EXISTS webhook_deliveries (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id  TEXT NOT NULL,
    url         TEXT NOT NULL,
    state       TEXT NOT NULL,
    payload     TEXT NOT NULL,
    attempt     INTEGER NOT NULL,
    status      INTEGER,
    outcome     TEXT NOT NULL,
    error       TEXT,
    at          INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS webhook_deliveries_by_session ON webhook_deliveries (session_id);

CREATE TABLE IF NOT EXISTS attachments (
    file_url          TEXT PRIMARY KEY,
    original_filename TEXT NOT NULL,
    content_type      TEXT NOT NULL,
    data              BLOB NOT NULL,
    created_at        INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Answered Payment Status Queries per transaction (the inquiry throttle's total and spacing),
-- so a restart does not hand out fresh inquiries.
CREATE TABLE IF NOT EXISTS inquiry_calls (
    session_id TEXT PRIMARY KEY,
    answered   INTEGER NOT NULL,
    last_at    INTEGER NOT NULL
);

-- Child transactions of external operations (refund, capture, void), each with its own
-- session_id; `tracking_key` is the operation's `Tracking-Key` header, unique per merchant.
CREATE TABLE IF NOT EXISTS child_txns (
    session_id        TEXT PRIMARY KEY,
    parent_session_id TEXT NOT NULL,
    operation         TEXT NOT NULL,
    state             TEXT NOT NULL,
    amount            TEXT NOT NULL,
    reference_number  TEXT NOT NULL,
    pg_code           TEXT NOT NULL,
    tracking_key      TEXT UNIQUE,
    requested_amount  TEXT,
    initiator_user    TEXT,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS child_txns_by_parent ON child_txns (parent_session_id);

-- Report files of the Reports API (`crate::reports`): generated once from the transactions of
-- one UTC day (`period`, `YYYY-MM-DD`) and kept as they were made, like Ottu's files.
CREATE TABLE IF NOT EXISTS report_files (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    encrypted_id  TEXT NOT NULL UNIQUE,
    report_name   TEXT NOT NULL,
    interval      TEXT NOT NULL,
    source        TEXT NOT NULL,
    period        TEXT NOT NULL,
    records       INTEGER NOT NULL,
    generated_at  INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    content       BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS report_files_by_period ON report_files (period);
