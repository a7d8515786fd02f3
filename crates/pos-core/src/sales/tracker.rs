//! The status tracker: one Tokio task per engine that polls retrieve for open sales.
//!
//! - The sale on screen ([`super::Sales::watch`]) is polled every `focus_poll_interval`
//!   (500 ms by default), every other open sale every `background_poll_interval` (5 s).
//! - Only `created`/`pending`/`attempted` sales with a session id are polled; a sale stops being
//!   polled as soon as it reaches another state.
//! - Changes are stored and emitted by `Inner::refresh_record` under the engine's write lock,
//!   so each change is emitted once even when staff refresh by hand at the same moment.
//! - `unknown` sales are reconciled in the background too: first after
//!   [`FIRST_RECONCILE_AFTER`], then every [`RECONCILE_EVERY`], at most [`AUTO_RECONCILE_TRIES`]
//!   times (Ottu throttles its payment status query per transaction); after that only staff
//!   actions (refresh, retry, cancel) check again. Reconciling never sends a create.
//! - The task holds the engine only weakly while it sleeps, so dropping the last [`super::Sales`]
//!   ends it.

use std::collections::HashMap;
use std::sync::{Arc, Weak};
use std::time::Duration;

use tokio::sync::{Notify, watch};
use tokio::time::Instant;

use super::Inner;
use crate::dto::SaleState;

/// Delay before an `unknown` sale is looked up on its own.
pub const FIRST_RECONCILE_AFTER: Duration = Duration::from_secs(2);
/// Delay between automatic lookups of an `unknown` sale.
pub const RECONCILE_EVERY: Duration = Duration::from_secs(60);
/// Automatic lookups per `unknown` sale.
pub const AUTO_RECONCILE_TRIES: u32 = 3;

const OPEN: [SaleState; 3] = [SaleState::Created, SaleState::Pending, SaleState::Attempted];

pub(crate) async fn run(
    engine: Weak<Inner>,
    wake: Arc<Notify>,
    mut focus: watch::Receiver<Option<String>>,
) {
    let mut last_polled: HashMap<String, Instant> = HashMap::new();
    // Sale id → (automatic lookups done, when the next one is due).
    let mut lookups: HashMap<String, (u32, Instant)> = HashMap::new();
    loop {
        let Some(inner) = engine.upgrade() else {
            return;
        };
        let fast = inner
            .options
            .focus_poll_interval
            .max(Duration::from_millis(50));
        let slow = inner.options.background_poll_interval.max(fast);
        let focused = focus.borrow_and_update().clone();
        let open = inner
            .store
            .in_states(&inner.profile_id, &OPEN)
            .unwrap_or_default();
        last_polled.retain(|id, _| open.iter().any(|r| &r.sale.id == id));
        let mut wait = slow;
        // The focused sale first, so it is never queued behind background polls.
        let mut ids: Vec<String> = open
            .iter()
            .filter(|r| r.sale.session_id.is_some())
            .map(|r| r.sale.id.clone())
            .collect();
        ids.sort_by_key(|id| Some(id) != focused.as_ref());
        for id in ids {
            let interval = if Some(&id) == focused.as_ref() {
                fast
            } else {
                slow
            };
            let due_in = last_polled
                .get(&id)
                .map(|at| interval.saturating_sub(at.elapsed()))
                .unwrap_or(Duration::ZERO);
            if due_in.is_zero() {
                last_polled.insert(id.clone(), Instant::now());
                if let Err(error) = inner.refresh_record(&id).await {
                    tracing::debug!(sale = %id, %error, "status poll failed");
                }
                wait = wait.min(interval);
            } else {
                wait = wait.min(due_in);
            }
        }
        let unknown = inner
            .store
            .in_states(&inner.profile_id, &[SaleState::Unknown])
            .unwrap_or_default();
        lookups.retain(|id, _| unknown.iter().any(|r| &r.sale.id == id));
        for record in unknown {
            let id = record.sale.id;
            let (done, due) = *lookups
                .entry(id.clone())
                .or_insert((0, Instant::now() + FIRST_RECONCILE_AFTER));
            if done >= AUTO_RECONCILE_TRIES {
                continue;
            }
            let due_in = due.saturating_duration_since(Instant::now());
            if due_in.is_zero() {
                lookups.insert(id.clone(), (done + 1, Instant::now() + RECONCILE_EVERY));
                let engine = super::Sales {
                    inner: inner.clone(),
                };
                if let Err(error) = engine.reconcile(&id).await {
                    tracing::debug!(sale = %id, %error, "background reconciliation failed");
                }
            } else {
                wait = wait.min(due_in);
            }
        }
        drop(inner);
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = wake.notified() => {}
            changed = focus.changed() => {
                if changed.is_err() {
                    return;
                }
            }
        }
    }
}
