//! [`RetryPolicy`]: how often and how patiently idempotent calls are repeated.
//!
//! Applied to retrieve (GET), full and partial update (PUT/PATCH), the payment-methods list and
//! the cancel/expire operations (repeating them aims at the same final state). Never applied to
//! create: a repeated create can make a second transaction (see [`Error::Ambiguous`]).
//!
//! [`Error::Ambiguous`]: crate::Error::Ambiguous

use std::time::Duration;

use crate::error::Error;

/// Retry settings: up to `max_attempts` tries in total, waiting `base_backoff`, then twice
/// that, and so on (capped at `max_backoff`), between them.
///
/// Retried: [`Error::is_retryable`] errors (timeouts, transport failures, 5xx, 429). A 429's
/// `Retry-After` is honoured when it is not longer than `max_backoff`; a longer one ends the
/// retries at once (the error carries it, see [`Error::retry_after`]), so no call waits longer
/// than `max_backoff` between attempts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Total attempts including the first (1 = no retries).
    pub max_attempts: u32,
    /// Wait before the second attempt.
    pub base_backoff: Duration,
    /// Upper bound for any single wait.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    /// Three attempts, 200 ms then 400 ms apart.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// How long to wait after failed attempt number `attempt` (1-based) before the next one,
    /// or `None` if the error is final or the attempts are used up.
    pub fn backoff_after(&self, attempt: u32, error: &Error) -> Option<Duration> {
        if attempt >= self.max_attempts || !error.is_retryable() {
            return None;
        }
        if let Some(wait) = error.retry_after() {
            return (wait <= self.max_backoff).then_some(wait);
        }
        let factor = 2u32.saturating_pow(attempt.saturating_sub(1));
        Some(
            self.base_backoff
                .saturating_mul(factor)
                .min(self.max_backoff),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_stops_after_max_attempts() {
        let p = RetryPolicy {
            max_attempts: 4,
            base_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(250),
        };
        assert_eq!(
            p.backoff_after(1, &Error::Timeout),
            Some(Duration::from_millis(100))
        );
        assert_eq!(
            p.backoff_after(2, &Error::Timeout),
            Some(Duration::from_millis(200))
        );
        assert_eq!(
            p.backoff_after(3, &Error::Timeout),
            Some(Duration::from_millis(250))
        );
        assert_eq!(p.backoff_after(4, &Error::Timeout), None);
    }

    #[test]
    fn final_errors_are_not_retried() {
        let p = RetryPolicy::default();
        assert_eq!(
            p.backoff_after(1, &Error::from_status(400, "{}", None)),
            None
        );
        assert_eq!(
            p.backoff_after(1, &Error::from_status(404, "{}", None)),
            None
        );
        assert!(
            p.backoff_after(1, &Error::from_status(503, "", None))
                .is_some()
        );
        assert_eq!(RetryPolicy::none().backoff_after(1, &Error::Timeout), None);
    }

    #[test]
    fn retry_after_is_honoured_within_the_cap() {
        let p = RetryPolicy::default();
        let short = Error::RateLimited {
            retry_after: Some(Duration::from_secs(1)),
            body: Box::default(),
        };
        assert_eq!(p.backoff_after(1, &short), Some(Duration::from_secs(1)));
        let long = Error::RateLimited {
            retry_after: Some(Duration::from_secs(60)),
            body: Box::default(),
        };
        assert_eq!(p.backoff_after(1, &long), None);
    }
}
