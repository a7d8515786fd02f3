//! The status tracker: one Tokio task per engine that polls retrieve for open sales.
//!
//! - The sale on screen ([`super::Sales::watch`]) is polled every `focus_poll_interval`
//!   (500 ms by default), every other open sale every `background_poll_interval` (15 s).
//! - Only `created`/`pending`/`attempted` sales with a session id are polled; a sale stops being
//!   polled as soon as it reaches another state.
//! - Changes are stored and emitted by `Inner::refresh_record` under the engine's write lock,
//!   so each change is emitted once even when staff refresh by hand at the same moment.
//! - Polling slows down as a sale ages and as it stays on screen ([`super::schedule`]), and drops
//!   to floor rates once the engine has sent [`schedule::DAILY_AUTOMATIC_BUDGET`] automatic
//!   requests in a UTC day, so the till stays within Ottu's per-user daily limit.
//! - Every pass also runs [`super::Sales::settle_due`]: settling steps of lost creates and
//!   re-checks of `failed`/`expired` sales whose time has come on the engine's clock. The task
//!   sleeps until the next one is due (at most a second, since tests move that clock).
//! - The task holds the engine only weakly while it sleeps, so dropping the last [`super::Sales`]
//!   ends it.

use std::collections::HashMap;
use std::sync::{Arc, Weak};
use std::time::Duration;

use tokio::sync::{Notify, watch};
use tokio::time::Instant;

use super::{Inner, schedule};
use crate::dto::SaleState;

const OPEN: [SaleState; 3] = [SaleState::Created, SaleState::Pending, SaleState::Attempted];

pub(crate) async fn run(
    engine: Weak<Inner>,
    wake: Arc<Notify>,
    mut focus: watch::Receiver<Option<String>>,
) {
    let mut last_polled: HashMap<String, Instant> = HashMap::new();
    // When the sale on screen came on screen.
    let mut focused_since: Option<(String, Instant)> = None;
    // Automatic requests sent today (UTC day of the wall clock).
    let mut spent: (time::Date, u64) = (time::OffsetDateTime::now_utc().date(), 0);
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
        if focused_since.as_ref().map(|(id, _)| id) != focused.as_ref() {
            focused_since = focused.clone().map(|id| (id, Instant::now()));
        }
        let on_screen = focused_since
            .as_ref()
            .map(|(_, since)| since.elapsed())
            .unwrap_or_default();
        let now = inner.options.clock.now();
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
            let age = open
                .iter()
                .find(|r| r.sale.id == id)
                .and_then(|r| crate::clock::parse_instant(&r.sale.created_at))
                .map(|created| (now - created).try_into().unwrap_or_default())
                .unwrap_or_default();
            let today = time::OffsetDateTime::now_utc().date();
            if spent.0 != today {
                spent = (today, 0);
            }
            let is_focused = Some(&id) == focused.as_ref();
            let mut interval = if is_focused {
                schedule::focus_interval(fast, on_screen)
            } else {
                schedule::background_interval(slow, age)
            };
            if spent.1 >= schedule::DAILY_AUTOMATIC_BUDGET {
                interval = schedule::over_budget(interval, is_focused);
            }
            let due_in = last_polled
                .get(&id)
                .map(|at| interval.saturating_sub(at.elapsed()))
                .unwrap_or(Duration::ZERO);
            if due_in.is_zero() {
                last_polled.insert(id.clone(), Instant::now());
                spent.1 += 1;
                if let Err(error) = inner.refresh_record(&id).await {
                    tracing::debug!(sale = %id, %error, "status poll failed");
                }
                wait = wait.min(interval);
            } else {
                wait = wait.min(due_in);
            }
        }
        let engine = super::Sales {
            inner: inner.clone(),
        };
        match engine.settle_due().await {
            Ok(checked) => spent.1 += checked as u64,
            Err(error) => tracing::debug!(%error, "automatic checks failed"),
        }
        if let Some(next) = engine.next_check_due() {
            let due_in: Duration = (next - inner.options.clock.now())
                .try_into()
                .unwrap_or_default();
            wait = wait.min(due_in.max(Duration::from_millis(20)));
        }
        // The engine's clock may be moved by tests: look again at least every second.
        wait = wait.min(Duration::from_secs(1));
        drop(engine);
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
