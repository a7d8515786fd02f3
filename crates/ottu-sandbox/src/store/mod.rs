//! All SQL lives here. SQLite in WAL mode; a write is answered only after its commit. With
//! [`Durability::Full`](crate::config::Durability) (`synchronous=FULL`) every commit is fsynced
//! first, so a 201 survives power loss; with `Normal` (the default) it survives a crash of the
//! process and the WAL is fsynced at checkpoints.
//!
//! One writer thread owns the only write connection and applies *group commit*: it takes
//! every write queued while the previous commit was being synced and runs them in one
//! transaction (each inside its own savepoint, so one failing write does not undo the
//! others), then answers each caller once the commit is durable. Under load this turns
//! hundreds of fsyncs into a few. Reads go through a small pool of read-only connections
//! on blocking threads; WAL lets them run beside the writer. Nothing here blocks the async
//! runtime.
//!
//! Checkpoints (copying the WAL back into the database file) run on their own thread and
//! connection, passively, at most a few times a second and only after commits. SQLite's default would run them inside the
//! commit that crosses 1,000 WAL pages, and every write queued behind that commit would wait
//! for the copy and its fsync: the create benchmark's p99.

mod children;
mod reports;
mod transactions;
mod webhooks;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, mpsc};

use rusqlite::{Connection, OpenFlags};
use tokio::sync::{Semaphore, oneshot};

pub use children::ExternalOutcome;
pub use reports::{NewReportFile, ReportFile};
pub use transactions::{InsertOutcome, InvoiceInsert};
pub use webhooks::{DeliveryRecord, NewDelivery};

/// A store failure: SQLite errors or the writer thread having stopped.
#[derive(Debug, Clone, thiserror::Error)]
#[error("store error: {0}")]
pub struct StoreError(pub String);

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError(e.to_string())
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError(format!("stored JSON: {e}"))
    }
}

/// Result alias for store calls.
pub type StoreResult<T> = Result<T, StoreError>;

type Completion = Box<dyn FnOnce(StoreResult<()>) + Send>;
type WriteJob = Box<dyn FnOnce(&Connection) -> (bool, Completion) + Send>;

/// Largest number of writes committed together.
const MAX_BATCH: usize = 512;

/// How long the checkpoint thread gathers commits before copying the WAL back into the
/// database file.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_millis(200);

/// Handle to the database; cheap to clone.
#[derive(Clone)]
pub struct Store {
    writer: mpsc::Sender<WriteJob>,
    readers: Arc<ReadPool>,
    path: PathBuf,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

struct ReadPool {
    connections: Mutex<Vec<Connection>>,
    permits: Semaphore,
}

impl Store {
    /// Opens (creating when needed) the database at `path`, migrates it and starts the
    /// writer thread.
    pub fn open(
        path: &Path,
        read_connections: usize,
        durability: crate::config::Durability,
    ) -> StoreResult<Self> {
        if let Some(parent) = path.parent()
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(parent)
                .map_err(|e| StoreError(format!("cannot create {}: {e}", parent.display())))?;
        }
        let writer_conn = Connection::open(path)?;
        writer_conn.busy_timeout(std::time::Duration::from_secs(10))?;
        writer_conn.pragma_update(None, "journal_mode", "WAL")?;
        let synchronous = match durability {
            crate::config::Durability::Full => "FULL",
            crate::config::Durability::Normal => "NORMAL",
        };
        writer_conn.pragma_update(None, "synchronous", synchronous)?;
        writer_conn.pragma_update(None, "foreign_keys", "ON")?;
        writer_conn.execute_batch(include_str!("migrations.sql"))?;
        webhooks::migrate(&writer_conn)?;
        // Checkpoints happen on the checkpoint thread, never inside a commit.
        writer_conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        let checkpoint_conn = Connection::open(path)?;
        checkpoint_conn.busy_timeout(std::time::Duration::from_secs(10))?;

        let read_connections = read_connections.max(1);
        let mut readers = Vec::with_capacity(read_connections);
        for _ in 0..read_connections {
            let conn = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            conn.busy_timeout(std::time::Duration::from_secs(10))?;
            readers.push(conn);
        }

        // One pending "something was committed" is enough; the writer never waits on it.
        let (committed, commits) = mpsc::sync_channel::<()>(1);
        std::thread::Builder::new()
            .name("ottu-sandbox-checkpoint".to_owned())
            .spawn(move || run_checkpoints(checkpoint_conn, commits))
            .map_err(|e| StoreError(format!("cannot start the checkpoint thread: {e}")))?;
        let (tx, rx) = mpsc::channel::<WriteJob>();
        std::thread::Builder::new()
            .name("ottu-sandbox-writer".to_owned())
            .spawn(move || run_writer(writer_conn, rx, committed))
            .map_err(|e| StoreError(format!("cannot start the writer thread: {e}")))?;

        Ok(Self {
            writer: tx,
            readers: Arc::new(ReadPool {
                connections: Mutex::new(readers),
                permits: Semaphore::new(read_connections),
            }),
            path: path.to_owned(),
        })
    }

    /// Path of the database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` on the writer connection inside the current group transaction and answers
    /// once that transaction is durably committed. An `Err` from `f` rolls back only `f`'s
    /// changes.
    pub async fn write<R, F>(&self, f: F) -> StoreResult<R>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<R> + Send + 'static,
    {
        let (tx, rx) = oneshot::channel::<StoreResult<R>>();
        let job: WriteJob = Box::new(move |conn| {
            let result = f(conn);
            let ok = result.is_ok();
            let completion: Completion = Box::new(move |commit| {
                let _ = tx.send(commit.and(result));
            });
            (ok, completion)
        });
        self.writer
            .send(job)
            .map_err(|_| StoreError("the writer thread has stopped".to_owned()))?;
        rx.await
            .map_err(|_| StoreError("the writer thread dropped a write".to_owned()))?
    }

    /// Runs `f` on a read-only connection from the pool, on a blocking thread.
    pub async fn read<R, F>(&self, f: F) -> StoreResult<R>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<R> + Send + 'static,
    {
        let permit = self
            .readers
            .permits
            .acquire()
            .await
            .map_err(|_| StoreError("read pool closed".to_owned()))?;
        let pool = Arc::clone(&self.readers);
        let result = tokio::task::spawn_blocking(move || {
            let conn = pool
                .connections
                .lock()
                .map_err(|_| StoreError("read pool poisoned".to_owned()))?
                .pop()
                .ok_or_else(|| StoreError("read pool empty".to_owned()))?;
            let result = f(&conn);
            if let Ok(mut conns) = pool.connections.lock() {
                conns.push(conn);
            }
            result
        })
        .await
        .map_err(|e| StoreError(format!("read task failed: {e}")))?;
        drop(permit);
        result
    }

    /// The persisted clock offset in seconds (0 when never set).
    pub async fn clock_offset(&self) -> StoreResult<i64> {
        self.read(|conn| {
            let value: Option<String> = conn
                .query_row(
                    "SELECT value FROM meta WHERE key = 'clock_offset'",
                    [],
                    |r| r.get(0),
                )
                .map(Some)
                .or_else(|e| match e {
                    rusqlite::Error::QueryReturnedNoRows => Ok(None),
                    e => Err(e),
                })?;
            Ok(value.and_then(|v| v.parse().ok()).unwrap_or(0))
        })
        .await
    }

    /// Persists the clock offset.
    pub async fn set_clock_offset(&self, seconds: i64) -> StoreResult<()> {
        self.write(move |conn| {
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('clock_offset', ?1)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [seconds.to_string()],
            )?;
            Ok(())
        })
        .await
    }

    /// Records a transaction's answered inquiries (count and time of the last one).
    pub async fn record_inquiry(
        &self,
        session_id: String,
        answered: u32,
        last_at: i64,
    ) -> StoreResult<()> {
        self.write(move |conn| {
            conn.execute(
                "INSERT INTO inquiry_calls (session_id, answered, last_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (session_id) DO UPDATE
                 SET answered = excluded.answered, last_at = excluded.last_at",
                rusqlite::params![session_id, answered, last_at],
            )?;
            Ok(())
        })
        .await
    }

    /// Every transaction's answered inquiries: `(session_id, answered, last_at)`.
    pub async fn inquiry_calls(&self) -> StoreResult<Vec<(String, u32, i64)>> {
        self.read(|conn| {
            let mut stmt =
                conn.prepare("SELECT session_id, answered, last_at FROM inquiry_calls")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
        .await
    }

    /// Deletes every transaction (children and tracking keys included), attachment, delivery,
    /// inquiry count and the clock offset.
    pub async fn reset(&self) -> StoreResult<()> {
        self.write(|conn| {
            conn.execute_batch(
                "DELETE FROM transactions; DELETE FROM webhook_deliveries;
                 DELETE FROM attachments; DELETE FROM meta; DELETE FROM inquiry_calls;
                 DELETE FROM child_txns; DELETE FROM report_files;",
            )?;
            Ok(())
        })
        .await
    }

    /// Stores an uploaded file under `file_url`.
    pub async fn put_attachment(
        &self,
        file_url: String,
        original_filename: String,
        content_type: String,
        data: Vec<u8>,
        now: i64,
    ) -> StoreResult<()> {
        self.write(move |conn| {
            conn.execute(
                "INSERT INTO attachments (file_url, original_filename, content_type, data, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                rusqlite::params![file_url, original_filename, content_type, data, now],
            )?;
            Ok(())
        })
        .await
    }

    /// Whether a file is stored under `file_url`.
    pub async fn attachment_exists(&self, file_url: String) -> StoreResult<bool> {
        self.read(move |conn| {
            Ok(conn
                .query_row(
                    "SELECT 1 FROM attachments WHERE file_url = ?1",
                    [file_url],
                    |_| Ok(()),
                )
                .is_ok())
        })
        .await
    }

    /// A stored file: `(content_type, bytes)`.
    pub async fn attachment(&self, file_url: String) -> StoreResult<Option<(String, Vec<u8>)>> {
        self.read(move |conn| {
            match conn.query_row(
                "SELECT content_type, data FROM attachments WHERE file_url = ?1",
                [file_url],
                |r| Ok((r.get(0)?, r.get(1)?)),
            ) {
                Ok(v) => Ok(Some(v)),
                Err(rusqlite::Error::QueryReturnedNoRows) => Ok(None),
                Err(e) => Err(e.into()),
            }
        })
        .await
    }
}

/// A passive checkpoint [`CHECKPOINT_EVERY`] after a commit (the commits in between share it);
/// asleep while nothing is written. Passive: it copies what no reader still needs and never
/// blocks the writer or a reader. Ends with the writer thread, i.e. when the store is dropped.
fn run_checkpoints(conn: Connection, commits: mpsc::Receiver<()>) {
    while commits.recv().is_ok() {
        std::thread::sleep(CHECKPOINT_EVERY);
        let _ = commits.try_recv();
        if let Err(error) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
            tracing::warn!(%error, "WAL checkpoint failed");
        }
    }
}

fn run_writer(conn: Connection, rx: mpsc::Receiver<WriteJob>, committed: mpsc::SyncSender<()>) {
    while let Ok(first) = rx.recv() {
        let mut jobs = Vec::with_capacity(64);
        jobs.push(first);
        while jobs.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        let mut completions = Vec::with_capacity(jobs.len());
        if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
            // Dropping the jobs unblocks their callers with an error.
            tracing::error!(error = %e, "cannot begin a write transaction");
            drop(jobs);
            continue;
        }
        for job in jobs {
            let savepoint = conn.execute_batch("SAVEPOINT job");
            let (ok, completion) = job(&conn);
            if savepoint.is_ok() {
                if !ok {
                    let _ = conn.execute_batch("ROLLBACK TO job");
                }
                let _ = conn.execute_batch("RELEASE job");
            }
            completions.push(completion);
        }
        let commit = conn.execute_batch("COMMIT").map_err(StoreError::from);
        if commit.is_err() {
            let _ = conn.execute_batch("ROLLBACK");
        } else {
            // Full means a checkpoint is already due; it will cover this commit too.
            let _ = committed.try_send(());
        }
        for completion in completions {
            completion(commit.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Durability;

    /// Test rows in `meta` when only the database file is read (a copy without its `-wal` file).
    fn rows_in_the_database_file_alone(path: &Path, dir: &Path) -> i64 {
        let copy = dir.join("main-file-only.sqlite3");
        std::fs::copy(path, &copy).unwrap();
        let conn = Connection::open(&copy).unwrap();
        // Before the first checkpoint even the schema is only in the WAL.
        conn.query_row(
            "SELECT count(*) FROM meta WHERE key LIKE 'checkpoint-%'",
            [],
            |r| r.get(0),
        )
        .unwrap_or(0)
    }

    #[tokio::test]
    async fn committed_writes_reach_the_database_file_without_a_commit_doing_the_checkpoint() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sandbox.sqlite3");
        let store = Store::open(&path, 1, Durability::Normal).unwrap();
        for i in 0..50 {
            store
                .write(move |conn| {
                    conn.execute(
                        "INSERT INTO meta (key, value) VALUES (?1, 'x')",
                        [format!("checkpoint-{i}")],
                    )?;
                    Ok(())
                })
                .await
                .unwrap();
        }
        // The writer never checkpoints (wal_autocheckpoint=0), so the rows are in the WAL only
        // until the checkpoint thread copies them.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while rows_in_the_database_file_alone(&path, dir.path()) < 50 {
            assert!(
                std::time::Instant::now() < deadline,
                "the checkpoint thread never copied the WAL into the database file"
            );
            tokio::time::sleep(CHECKPOINT_EVERY).await;
        }
        let autocheckpoint: i64 = store
            .write(|conn| Ok(conn.query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0))?))
            .await
            .unwrap();
        assert_eq!(autocheckpoint, 0, "commits must not run checkpoints");
    }
}
