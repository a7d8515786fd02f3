//! The sandbox clock: wall time plus an offset that tests move forward with
//! `POST /_sandbox/clock/advance`. The offset is persisted so a restart keeps it.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use time::OffsetDateTime;

/// Shared, cheaply cloned clock.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_seconds: Arc<AtomicI64>,
}

impl Clock {
    /// A clock `offset_seconds` ahead of the wall clock.
    pub fn with_offset(offset_seconds: i64) -> Self {
        Self {
            offset_seconds: Arc::new(AtomicI64::new(offset_seconds)),
        }
    }

    /// Current sandbox time.
    pub fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc() + time::Duration::seconds(self.offset())
    }

    /// Current sandbox time as Unix seconds.
    pub fn now_unix(&self) -> i64 {
        self.now().unix_timestamp()
    }

    /// Current sandbox time as Unix milliseconds.
    pub fn now_unix_ms(&self) -> i64 {
        i64::try_from(self.now().unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
    }

    /// Seconds the clock is ahead of wall time.
    pub fn offset(&self) -> i64 {
        self.offset_seconds.load(Ordering::SeqCst)
    }

    /// Whether a clock `offset_seconds` ahead stays within what dates can show (year 9999),
    /// with a day to spare.
    pub fn offset_is_representable(offset_seconds: i64) -> bool {
        offset_seconds
            .checked_add(86_400)
            .and_then(|o| OffsetDateTime::now_utc().checked_add(time::Duration::seconds(o)))
            .is_some_and(|t| t.year() <= 9999)
    }

    /// Sets the offset (the store persists it first).
    pub fn set_offset(&self, seconds: i64) {
        self.offset_seconds.store(seconds, Ordering::SeqCst);
    }
}

/// `YYYY-MM-DD HH:MM:SS` in UTC, the webhook `timestamp_utc` format.
pub fn format_timestamp(unix: i64) -> String {
    let t = OffsetDateTime::from_unix_timestamp(unix).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    t.format(time::macros::format_description!(
        "[year]-[month]-[day] [hour]:[minute]:[second]"
    ))
    .unwrap_or_default()
}

/// RFC 3339 in UTC, for control routes.
pub fn format_rfc3339(unix: i64) -> String {
    let t = OffsetDateTime::from_unix_timestamp(unix).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_past_the_year_9999_are_not_representable() {
        assert!(Clock::offset_is_representable(0));
        assert!(Clock::offset_is_representable(31 * 86_400));
        assert!(!Clock::offset_is_representable(i64::MAX));
        assert!(!Clock::offset_is_representable(i64::MAX - 10));
        assert!(!Clock::offset_is_representable(9_000 * 366 * 86_400));
    }
}
