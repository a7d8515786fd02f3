//! The status tracker: one Tokio task per engine that polls retrieve for open sales.
//!
//! - The sale on screen ([`super::Sales::watch`]) is polled every `focus_poll_interval`
//!   (500 ms by default), every other open sale every `background_poll_interval` (15 s).
//! - Only `created`/`pending`/`attempted` sales with a session id are polled; a sale stops being
//!   polled as soon as it reaches another state.
//! - Nothing loads every open sale: a pass reads the sale on screen, the open sales of the last
//!   two hours (at most [`RECENT_LIMIT`], newest first) and, every
//!   [`SalesOptions::old_poll_every`](super::SalesOptions), one batch of
//!   [`SalesOptions::old_poll_batch`](super::SalesOptions) older open sales, oldest first (a
//!   keyset cursor on `(created_at, id)`). A round over the old ones starts again from the
//!   oldest, at most every 10 minutes (their interval in [`schedule::background_interval`]).
//!   So a history with tens of thousands of open sales left from days the app was closed costs
//!   one batch of requests a minute (25 by default: 36,000 a day at most, within
//!   [`schedule::DAILY_AUTOMATIC_BUDGET`]) and a page of rows in memory, never all of them.
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
use crate::store::SaleRecord;

/// Open sales younger than this are polled on their own schedule; older ones in batches.
const RECENT: Duration = Duration::from_secs(2 * 60 * 60);

/// At most this many recent open sales are polled on their own schedule (newest first); older
/// ones wait for the batches.
pub const RECENT_LIMIT: u32 = 500;

/// The sweep over old open sales: where the next batch starts and when it is due.
struct OldSweep {
    after: Option<(String, String)>,
    next_at: Instant,
    round_started: Instant,
}

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
    let mut old = OldSweep {
        after: None,
        next_at: Instant::now(),
        round_started: Instant::now(),
    };
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
        let recent_since = crate::clock::format_utc(now - RECENT);
        let mut open = inner
            .store
            .polled_since(&inner.profile_id, &recent_since, RECENT_LIMIT)
            .unwrap_or_default();
        // Older sales than a full page of recent ones go to the batches.
        let old_before = match open.last() {
            Some(oldest) if open.len() as u32 == RECENT_LIMIT => oldest.sale.created_at.clone(),
            _ => recent_since,
        };
        if let Some(id) = focused
            .as_ref()
            .filter(|id| !open.iter().any(|r| &r.sale.id == *id))
            && let Ok(Some(record)) = inner.store.get(id)
            && is_polled(&record)
        {
            open.push(record);
        }
        last_polled.retain(|id, _| open.iter().any(|r| &r.sale.id == id));
        let mut wait = slow;
        // The focused sale first, so it is never queued behind background polls.
        let mut ids: Vec<String> = open.iter().map(|r| r.sale.id.clone()).collect();
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
        if old.next_at <= Instant::now() {
            let every = if spent.1 >= schedule::DAILY_AUTOMATIC_BUDGET {
                schedule::over_budget(inner.options.old_poll_every, false)
            } else {
                inner.options.old_poll_every
            };
            let batch = inner
                .store
                .polled_before(
                    &inner.profile_id,
                    &old_before,
                    old.after.as_ref(),
                    inner.options.old_poll_batch.max(1),
                )
                .unwrap_or_default();
            match batch.last() {
                Some(last) => {
                    old.after = Some((last.sale.created_at.clone(), last.sale.id.clone()));
                    old.next_at = Instant::now() + every;
                }
                None => {
                    // Round done: the next starts from the oldest, once old sales are due.
                    old.after = None;
                    let round = schedule::background_interval(slow, RECENT).max(every);
                    old.next_at = (old.round_started + round).max(Instant::now() + every);
                    old.round_started = old.next_at;
                }
            }
            for record in batch {
                if Some(&record.sale.id) == focused.as_ref() {
                    continue;
                }
                spent.1 += 1;
                if let Err(error) = inner.refresh_record(&record.sale.id).await {
                    tracing::debug!(sale = %record.sale.id, %error, "status poll failed");
                }
            }
        }
        wait = wait.min(old.next_at.saturating_duration_since(Instant::now()));
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

/// Whether the tracker polls this sale (the store's `polled_*` queries select the same).
fn is_polled(record: &SaleRecord) -> bool {
    use crate::dto::SaleState;
    record.sale.session_id.is_some()
        && matches!(
            record.sale.state,
            SaleState::Created | SaleState::Pending | SaleState::Attempted
        )
}
