//! Late commits (the `late_commit` fault): a validated create whose answer was lost and whose
//! transaction is stored only `delay_ms` later on the sandbox's movable clock.
//!
//! The pending creates are kept in memory, ordered by due time; nothing is stored until they
//! are due, so until then the `order_no` matches nothing (operations and inquiry answer 404).
//! Every due one is committed
//! - before any request is served ([`commit_due_first`], a middleware over the whole router), so
//!   a client asking after the due time always sees it;
//! - by a background ticker every [`TICK`] of real time ([`spawn_ticker`]);
//! - right after `POST /_sandbox/clock/advance`.
//!
//! Pending late commits live in memory only: a restart of the sandbox loses them (as if the
//! request had never reached the server). `POST /_sandbox/reset` drops them too;
//! `DELETE /_sandbox/faults` does not (they are requests the server already took).

use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use tokio::sync::{Mutex, watch};

use crate::model::Txn;
use crate::state::AppState;
use crate::store::{InsertOutcome, InvoiceInsert, Store};

/// How often the background ticker looks for due late commits (real time).
pub const TICK: Duration = Duration::from_millis(100);

#[derive(Debug)]
struct Pending {
    /// Due time on the sandbox clock, Unix milliseconds.
    due_ms: i64,
    txn: Txn,
    reject_duplicate_order_no: bool,
}

/// The pending late commits; shared through `AppState`.
#[derive(Debug)]
pub struct LateCommits {
    /// Earliest due time (Unix ms) or `i64::MAX`: the fast path of every request reads only this.
    next_due_ms: AtomicI64,
    count: AtomicUsize,
    /// Held while due ones are being inserted, so a request that finds nothing due (because
    /// another took them) waits until those are committed.
    pending: Mutex<Vec<Pending>>,
}

impl Default for LateCommits {
    fn default() -> Self {
        Self {
            next_due_ms: AtomicI64::new(i64::MAX),
            count: AtomicUsize::new(0),
            pending: Mutex::new(Vec::new()),
        }
    }
}

impl LateCommits {
    /// Schedules `txn` (built at request time `now_ms`) to be stored at `now_ms + delay_ms`.
    /// Its `created_at` and `updated_at` become the due time and its deadline moves with them.
    pub async fn schedule(
        &self,
        mut txn: Txn,
        now_ms: i64,
        delay_ms: u64,
        reject_duplicate_order_no: bool,
    ) {
        let due_ms = now_ms.saturating_add(i64::try_from(delay_ms).unwrap_or(i64::MAX));
        let due = due_ms.div_euclid(1000);
        txn.expires_at = due.saturating_add(txn.expires_at.saturating_sub(txn.created_at));
        txn.created_at = due;
        txn.updated_at = due;
        let mut pending = self.pending.lock().await;
        // Stable by due time: equal due times commit in request order.
        let at = pending.partition_point(|p| p.due_ms <= due_ms);
        pending.insert(
            at,
            Pending {
                due_ms,
                txn,
                reject_duplicate_order_no,
            },
        );
        self.publish(&pending);
    }

    /// How many late commits are still pending.
    pub fn pending(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }

    /// Drops every pending late commit (`POST /_sandbox/reset`).
    pub async fn clear(&self) {
        let mut pending = self.pending.lock().await;
        pending.clear();
        self.publish(&pending);
    }

    fn publish(&self, pending: &[Pending]) {
        let next = pending.first().map_or(i64::MAX, |p| p.due_ms);
        self.next_due_ms.store(next, Ordering::SeqCst);
        self.count.store(pending.len(), Ordering::SeqCst);
    }

    /// Stores every late commit due at `now_ms`, oldest first; returns how many were stored.
    /// A due one whose `order_no` is refused by the duplicate rule (`reject` mode) is dropped.
    pub async fn commit_due(&self, store: &Store, now_ms: i64) -> usize {
        // `next_due_ms` is only moved after the due ones are inserted, so a request that comes
        // while another one inserts them waits on the lock below until they are committed.
        if self.next_due_ms.load(Ordering::SeqCst) > now_ms {
            return 0;
        }
        let mut pending = self.pending.lock().await;
        let due = pending.partition_point(|p| p.due_ms <= now_ms);
        let mut stored = 0;
        for late in pending.drain(..due) {
            let session_id = late.txn.session_id.clone();
            // An invoice is stored with its lines and its number's uniqueness, as at once.
            let outcome = if late.txn.invoice.is_some() {
                store
                    .insert_invoice_txn(late.txn, late.reject_duplicate_order_no)
                    .await
                    .map(|outcome| match outcome {
                        InvoiceInsert::Inserted(_) => Ok(()),
                        InvoiceInsert::DuplicateOrderNo => Err("duplicate order_no"),
                        InvoiceInsert::DuplicateInvoiceNumber => Err("duplicate invoice_number"),
                    })
            } else {
                store
                    .insert_txn(late.txn, late.reject_duplicate_order_no)
                    .await
                    .map(|outcome| match outcome {
                        InsertOutcome::Inserted => Ok(()),
                        InsertOutcome::DuplicateOrderNo => Err("duplicate order_no"),
                    })
            };
            match outcome {
                Ok(Ok(())) => stored += 1,
                Ok(Err(why)) => tracing::info!(%session_id, why, "late commit refused"),
                Err(error) => tracing::warn!(%session_id, %error, "late commit failed"),
            }
        }
        self.publish(&pending);
        stored
    }
}

/// Middleware: commits every due late commit before the request is served.
pub async fn commit_due_first(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    commit_due(&state).await;
    next.run(request).await
}

/// Commits every late commit due on the sandbox clock now.
pub async fn commit_due(state: &AppState) -> usize {
    state
        .late_commits
        .commit_due(&state.store, state.clock.now_unix_ms())
        .await
}

/// Commits due late commits every [`TICK`] until `stopped` turns true (or its sender is gone).
pub fn spawn_ticker(state: AppState, mut stopped: watch::Receiver<bool>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = tick.tick() => {
                    commit_due(&state).await;
                }
                changed = stopped.changed() => {
                    if changed.is_err() || *stopped.borrow() {
                        break;
                    }
                }
            }
        }
    });
}
