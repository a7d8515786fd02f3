//! When the engine talks to Ottu about a sale by itself: the settling timeline of a lost create,
//! the re-checks of closed sales, the poll intervals of open ones, and the daily request budget
//! they add up to (`docs/architecture.md`, "Settling a lost create" and "Request budget").
//!
//! Ottu limits each API user to 90,000 requests a day and its payment status query to three
//! calls per transaction (none in the first 10 minutes, then one per 30 minutes), so every
//! automatic request here backs off, and the status query is only used where nothing else tells.

use std::time::Duration;

/// How long after a create whose answer was lost the till keeps looking for its order number.
///
/// A "not found" is proof only once a late commit is no longer possible. A server that got the
/// request commits it within seconds, or under heavy load within a minute or two; ten minutes
/// covers that with room to spare (the sandbox's late-commit fault lands within 2 minutes) and
/// is also when Ottu's status query first answers for a transaction made at the send.
pub const LATE_COMMIT_HORIZON: Duration = Duration::from_secs(10 * 60);

/// Ottu refuses the status query in the first 10 minutes of a transaction; a margin for clocks.
pub const INQUIRY_OPENS_AFTER: Duration = Duration::from_secs(10 * 60 + 15);

/// Ottu allows one status query per 30 minutes per transaction; a margin for clocks.
pub const INQUIRY_SPACING: Duration = Duration::from_secs(30 * 60 + 15);

/// Ottu answers at most this many status queries per transaction.
pub const INQUIRY_LIMIT: u32 = 3;

/// How long a `failed` or `expired` sale is re-checked for a late gateway success.
pub const RECHECK_GRACE: Duration = Duration::from_secs(24 * 60 * 60);

/// Automatic requests one engine may send in a UTC day before it slows to the floor rates
/// ([`over_budget`]): two thirds of Ottu's 90,000 a day per user, leaving room for staff actions
/// and a second till on the same user.
pub const DAILY_AUTOMATIC_BUDGET: u64 = 60_000;

/// A poll interval once the day's budget is spent: the sale on screen every 5 s, others every
/// 10 minutes.
pub fn over_budget(interval: Duration, focused: bool) -> Duration {
    interval.max(if focused {
        Duration::from_secs(5)
    } else {
        Duration::from_secs(10 * 60)
    })
}

/// The delay before the next look for a lost create's order number, after `checks` looks:
/// 2 s, 5 s, 15 s, 30 s, 1 min, then every 2 minutes until the horizon.
pub fn settle_delay(checks: u32) -> Duration {
    const STEPS: [u64; 6] = [2, 5, 15, 30, 60, 120];
    Duration::from_secs(STEPS[(checks as usize).min(STEPS.len() - 1)])
}

/// The delay before a `failed`/`expired` sale is checked again, after `checks` re-checks:
/// 1, 2, 4, ... minutes, at most an hour.
pub fn recheck_delay(checks: u32) -> Duration {
    Duration::from_secs((60u64 << checks.min(6)).min(60 * 60))
}

/// How often the open sale on screen is polled, by how long it has been on screen: every `base`
/// (half a second) for the first 2 minutes (the customer is paying now), every 2 seconds up to
/// 10 minutes, then every 5 seconds.
pub fn focus_interval(base: Duration, on_screen: Duration) -> Duration {
    if on_screen < Duration::from_secs(2 * 60) {
        base
    } else if on_screen < Duration::from_secs(10 * 60) {
        base.max(Duration::from_secs(2))
    } else {
        base.max(Duration::from_secs(5))
    }
}

/// How often an open sale that is not on screen is polled, by its age: every `base` (15 s) for
/// 15 minutes, every minute up to 2 hours, then every 10 minutes until it closes.
pub fn background_interval(base: Duration, age: Duration) -> Duration {
    if age < Duration::from_secs(15 * 60) {
        base
    } else if age < Duration::from_secs(2 * 60 * 60) {
        base.max(Duration::from_secs(60))
    } else {
        base.max(Duration::from_secs(10 * 60))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settling_looks_often_at_first_then_every_two_minutes() {
        let total: Duration = (0..20).map(settle_delay).sum();
        assert_eq!(settle_delay(0), Duration::from_secs(2));
        assert_eq!(settle_delay(5), Duration::from_secs(120));
        assert_eq!(settle_delay(50), Duration::from_secs(120));
        // The horizon is reached within ten looks or so, not hundreds.
        let looks_to_horizon = (0..)
            .scan(Duration::ZERO, |at, n| {
                *at += settle_delay(n);
                Some(*at)
            })
            .take_while(|at| *at < LATE_COMMIT_HORIZON)
            .count();
        assert!(looks_to_horizon <= 10, "{looks_to_horizon}");
        assert!(total > LATE_COMMIT_HORIZON);
    }

    #[test]
    fn rechecks_of_a_closed_sale_stay_within_forty_a_day() {
        let mut at = Duration::ZERO;
        let mut checks = 0;
        while at < RECHECK_GRACE {
            at += recheck_delay(checks);
            checks += 1;
        }
        assert!(checks <= 40, "{checks} re-checks in the grace period");
        assert_eq!(recheck_delay(0), Duration::from_secs(60));
        assert_eq!(recheck_delay(30), Duration::from_secs(3600));
    }

    #[test]
    fn past_the_daily_budget_polling_drops_to_the_floor_rates() {
        let fast = Duration::from_millis(500);
        assert_eq!(over_budget(fast, true), Duration::from_secs(5));
        assert_eq!(over_budget(fast, false), Duration::from_secs(600));
        // A day at the floor rates cannot go far past the budget: one sale on screen all day.
        let floor_per_day = 24 * 60 * 60 / 5;
        assert!(DAILY_AUTOMATIC_BUDGET + floor_per_day < 90_000);
    }

    #[test]
    fn open_sales_are_polled_less_as_they_age() {
        let base = Duration::from_secs(15);
        assert_eq!(background_interval(base, Duration::from_secs(60)), base);
        assert_eq!(
            background_interval(base, Duration::from_secs(3600)),
            Duration::from_secs(60)
        );
        assert_eq!(
            background_interval(base, Duration::from_secs(5 * 3600)),
            Duration::from_secs(600)
        );
        let fast = Duration::from_millis(500);
        assert_eq!(focus_interval(fast, Duration::from_secs(30)), fast);
        assert_eq!(
            focus_interval(fast, Duration::from_secs(300)),
            Duration::from_secs(2)
        );
        assert_eq!(
            focus_interval(fast, Duration::from_secs(3600)),
            Duration::from_secs(5)
        );
    }
}
