//! Dates and times: the clock, the local time zone, and the stored time format. pos-core uses
//! `time`, like the rest of the workspace; this is its only own date code.
//!
//! # The local zone, read soundly from any thread
//!
//! "Today" in the history, local times in the CSV export and the local date in a new order
//! number need the local zone's offset at a given instant. `time`'s own
//! `UtcOffset::current_local_offset` refuses on Unix as soon as the process has a second thread
//! (libc's `localtime_r` reads the environment, which another thread may be changing), and the
//! till always has several (tokio, the shell's webview). So on Unix the zone is read the way
//! `localtime` reads it, but in Rust: the `TZ` variable (a zone name or a POSIX rule) or else
//! `/etc/localtime`, parsed by the `tz-rs` crate, with no libc call. It is read once, on first use, and kept:
//! a zone holds all its transitions and its DST rule, so offsets stay right across DST changes.
//! Elsewhere (Windows, where `time` asks the OS soundly) `time`'s answer is used. Where nothing can
//! be read, local time is UTC, as before.

use std::sync::OnceLock;

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, Duration, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// The sales engine's clock for settling and re-checking sales: when a lost create stops being
/// looked for, when Ottu's status query opens, when a closed sale is checked again.
///
/// The wall clock by default. Tests and chaos runs shift it by a shared number of seconds so it
/// follows the sandbox's movable clock and hours of Ottu's windows pass without waiting.
/// Claims on in-flight requests use the wall clock instead: they bound a real request.
///
/// Processes that cannot share an `AtomicI64` (the CLI in a chaos run) follow
/// [`Clock::offset_file`] instead: a file holding the offset, read at every use. Test-only.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_seconds: Option<std::sync::Arc<std::sync::atomic::AtomicI64>>,
    offset_file: Option<std::sync::Arc<std::path::PathBuf>>,
}

impl Clock {
    /// The wall clock.
    pub fn system() -> Clock {
        Clock::default()
    }

    /// The wall clock plus `offset_seconds` (read at every use, so moving it moves the clock).
    pub fn shifted(offset_seconds: std::sync::Arc<std::sync::atomic::AtomicI64>) -> Clock {
        Clock {
            offset_seconds: Some(offset_seconds),
            offset_file: None,
        }
    }

    /// The wall clock plus the whole number of seconds written in the file at `path`, read at
    /// every use (a missing or unreadable file counts as 0). **For tests only**: it lets
    /// processes that a test starts (the CLI's `OTTU_POS_CLOCK_OFFSET_FILE`) follow a sandbox
    /// clock the test moves. Write the file atomically (a new file renamed over it).
    pub fn offset_file(path: impl Into<std::path::PathBuf>) -> Clock {
        Clock {
            offset_seconds: None,
            offset_file: Some(std::sync::Arc::new(path.into())),
        }
    }

    /// The current instant.
    pub fn now(&self) -> OffsetDateTime {
        let now = OffsetDateTime::now_utc();
        let mut seconds = 0;
        if let Some(offset) = &self.offset_seconds {
            seconds += offset.load(std::sync::atomic::Ordering::SeqCst);
        }
        if let Some(path) = &self.offset_file {
            seconds += std::fs::read_to_string(path.as_path())
                .ok()
                .and_then(|text| text.trim().parse::<i64>().ok())
                .unwrap_or(0);
        }
        now + Duration::seconds(seconds)
    }

    /// The current instant as stored (RFC 3339 UTC with milliseconds).
    pub fn now_utc(&self) -> String {
        format_utc(self.now())
    }

    /// `after` from now, as stored.
    pub fn after(&self, after: std::time::Duration) -> String {
        format_utc(self.now() + after)
    }
}

/// A local time zone: the offset from UTC at any instant.
#[derive(Debug)]
pub struct Zone(ZoneKind);

#[derive(Debug)]
enum ZoneKind {
    /// A parsed zone (Unix, or a zone built from a POSIX rule).
    Tz(tz::TimeZone),
    /// Ask `time` (which asks the OS) at each instant; used where `tz-rs` cannot read the zone.
    System,
}

impl Zone {
    /// The zone this process runs in, read once (see the module docs).
    pub fn local() -> &'static Zone {
        static LOCAL: OnceLock<Zone> = OnceLock::new();
        LOCAL.get_or_init(|| {
            if cfg!(unix) {
                // As glibc reads it: `TZ` when set (a zone name, `:name` or a POSIX rule; empty or
                // unreadable is UTC), otherwise `/etc/localtime`.
                let zone = match std::env::var("TZ") {
                    Ok(rule) => tz::TimeZone::from_posix_tz(&rule),
                    Err(_) => tz::TimeZone::local(),
                };
                Zone(ZoneKind::Tz(zone.unwrap_or_else(|_| tz::TimeZone::utc())))
            } else {
                Zone(ZoneKind::System)
            }
        })
    }

    /// A zone from a POSIX `TZ` rule such as `"<+03>-3"` or `"EST5EDT,M3.2.0,M11.1.0"`.
    pub fn from_posix_rule(rule: &str) -> Option<Zone> {
        tz::TimeZone::from_posix_tz(rule)
            .ok()
            .map(|zone| Zone(ZoneKind::Tz(zone)))
    }

    /// The offset from UTC at the instant `at` (UTC when it cannot be told).
    pub fn offset_at(&self, at: OffsetDateTime) -> UtcOffset {
        match &self.0 {
            ZoneKind::Tz(zone) => zone
                .find_local_time_type(at.unix_timestamp())
                .ok()
                .and_then(|kind| UtcOffset::from_whole_seconds(kind.ut_offset()).ok())
                .unwrap_or(UtcOffset::UTC),
            ZoneKind::System => UtcOffset::local_offset_at(at).unwrap_or(UtcOffset::UTC),
        }
    }

    /// `at` on this zone's clock.
    pub fn to_local(&self, at: OffsetDateTime) -> OffsetDateTime {
        at.to_offset(self.offset_at(at))
    }

    /// Today's date on this zone's clock.
    pub fn today(&self) -> Date {
        self.to_local(OffsetDateTime::now_utc()).date()
    }

    /// The instant this zone's clock shows `wall`. Of a time shown twice (clocks going back) the
    /// earlier; a time never shown (clocks jumping forward) is read as UTC, off by at most the
    /// jump on a rare day.
    pub fn from_local(&self, wall: PrimitiveDateTime) -> OffsetDateTime {
        let as_utc = wall.assume_utc();
        let mut offsets: Vec<UtcOffset> = [-Duration::DAY, Duration::ZERO, Duration::DAY]
            .iter()
            .map(|shift| self.offset_at(as_utc + *shift))
            .collect();
        offsets.dedup();
        offsets
            .into_iter()
            .map(|offset| wall.assume_offset(offset))
            .filter(|candidate| self.offset_at(*candidate) == candidate.offset())
            .min()
            .map_or(as_utc, |at| at.to_offset(UtcOffset::UTC))
    }

    /// The UTC instant of the local midnight that starts `day`.
    pub fn midnight(&self, day: Date) -> OffsetDateTime {
        self.from_local(PrimitiveDateTime::new(day, Time::MIDNIGHT))
    }
}

/// Today's local date.
pub fn today() -> Date {
    Zone::local().today()
}

/// `YYYY-MM-DD`, as the history filters and the UI write dates.
pub fn format_day(day: Date) -> String {
    day.format(format_description!("[year]-[month]-[day]"))
        .unwrap_or_default()
}

/// Reads `YYYY-MM-DD` (month and day may have one digit).
pub fn parse_day(text: &str) -> Option<Date> {
    let mut parts = text.split('-');
    let mut number = |max_digits: usize| {
        parts
            .next()
            .filter(|p| !p.is_empty() && p.len() <= max_digits)
            .filter(|p| p.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|p| p.parse::<u32>().ok())
    };
    let (year, month, day) = (number(6)?, number(2)?, number(2)?);
    if parts.next().is_some() {
        return None;
    }
    let month = time::Month::try_from(u8::try_from(month).ok()?).ok()?;
    Date::from_calendar_date(i32::try_from(year).ok()?, month, u8::try_from(day).ok()?).ok()
}

/// Now as stored: RFC 3339 UTC with milliseconds.
pub fn now_utc() -> String {
    format_utc(OffsetDateTime::now_utc())
}

/// An instant as stored: RFC 3339 in UTC with milliseconds, `2026-03-01T09:30:00.000Z`.
pub fn format_utc(at: OffsetDateTime) -> String {
    at.to_offset(UtcOffset::UTC)
        .format(format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
        ))
        .unwrap_or_default()
}

/// Reads an RFC 3339 instant (`T` or a space between date and time).
pub fn parse_instant(text: &str) -> Option<OffsetDateTime> {
    let text = text.trim();
    if text.as_bytes().get(10) == Some(&b' ') {
        let mut fixed = text.to_owned();
        fixed.replace_range(10..11, "T");
        return OffsetDateTime::parse(&fixed, &Rfc3339).ok();
    }
    OffsetDateTime::parse(text, &Rfc3339).ok()
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    /// New York's rule: UTC-5, UTC-4 from the second Sunday of March to the first of November.
    fn new_york() -> Zone {
        Zone::from_posix_rule("EST5EDT,M3.2.0,M11.1.0").unwrap()
    }

    #[test]
    fn offsets_follow_the_zone_rule() {
        let zone = new_york();
        assert_eq!(
            zone.offset_at(datetime!(2026-01-15 12:00 UTC))
                .whole_hours(),
            -5
        );
        assert_eq!(
            zone.offset_at(datetime!(2026-07-15 12:00 UTC))
                .whole_hours(),
            -4
        );
        let kuwait = Zone::from_posix_rule("<+03>-3").unwrap();
        assert_eq!(
            kuwait
                .offset_at(datetime!(2026-07-15 12:00 UTC))
                .whole_hours(),
            3
        );
    }

    #[test]
    fn local_midnight_is_found_on_either_side_of_dst() {
        let zone = new_york();
        assert_eq!(
            zone.midnight(date!(2026 - 01 - 15)),
            datetime!(2026-01-15 05:00 UTC)
        );
        assert_eq!(
            zone.midnight(date!(2026 - 07 - 15)),
            datetime!(2026-07-15 04:00 UTC)
        );
        // The day clocks go forward (8 March 2026) is 23 hours long.
        let day = zone.midnight(date!(2026 - 03 - 08));
        let next = zone.midnight(date!(2026 - 03 - 09));
        assert_eq!((next - day).whole_hours(), 23);
    }

    #[test]
    fn a_skipped_midnight_is_read_as_utc_and_a_repeated_one_is_the_earlier() {
        // Clocks jump from 00:00 to 01:00 on the first Sunday of October (4 October 2026) and go
        // back from 01:00 to 00:00 on the third Sunday of February (15 February 2026).
        let zone = Zone::from_posix_rule("<-03>3<-02>,M10.1.0/0,M2.3.0/1").unwrap();
        assert_eq!(
            zone.midnight(date!(2026 - 10 - 04)),
            datetime!(2026-10-04 00:00 UTC)
        );
        assert_eq!(
            zone.midnight(date!(2026 - 02 - 15)),
            datetime!(2026-02-15 02:00 UTC)
        );
    }

    #[test]
    fn the_local_zone_answers_while_other_threads_run() {
        // `time`'s `UtcOffset::current_local_offset` refuses here on Unix: the test harness runs
        // tests on several threads. The zone read by `tz-rs` answers in each of them.
        let now = OffsetDateTime::now_utc();
        let expected = Zone::local().offset_at(now);
        let threads: Vec<_> = (0..4)
            .map(|_| std::thread::spawn(move || Zone::local().offset_at(now)))
            .collect();
        for thread in threads {
            assert_eq!(thread.join().unwrap(), expected);
        }
        assert_eq!(today(), Zone::local().to_local(now).date());
    }

    #[test]
    fn stored_instants_keep_their_format() {
        let at = datetime!(2026-03-01 09:30:05.123456 +03:00);
        assert_eq!(format_utc(at), "2026-03-01T06:30:05.123Z");
        assert_eq!(
            format_utc(datetime!(2026-03-01 00:00 UTC)),
            "2026-03-01T00:00:00.000Z"
        );
        assert_eq!(
            parse_instant("2026-03-01T06:30:05.123Z"),
            Some(datetime!(2026-03-01 06:30:05.123 UTC))
        );
        assert_eq!(
            parse_instant("2026-03-01 09:30:05+03:00"),
            Some(datetime!(2026-03-01 06:30:05 UTC))
        );
        assert_eq!(parse_instant("yesterday"), None);
    }

    #[test]
    fn days_read_and_write_as_iso_dates() {
        assert_eq!(parse_day("2026-03-01"), Some(date!(2026 - 03 - 01)));
        assert_eq!(parse_day("2026-3-1"), Some(date!(2026 - 03 - 01)));
        assert_eq!(parse_day("2026-02-30"), None);
        assert_eq!(parse_day("01/03/2026"), None);
        assert_eq!(parse_day("2026-03-01-1"), None);
        assert_eq!(format_day(date!(2026 - 03 - 01)), "2026-03-01");
    }

    #[test]
    fn a_clock_offset_file_is_read_at_every_use() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("offset");
        let clock = Clock::offset_file(&path);
        let drift = |clock: &Clock| (clock.now() - OffsetDateTime::now_utc()).whole_seconds();
        assert_eq!(drift(&clock), 0, "no file: the wall clock");
        std::fs::write(&path, "3600\n").unwrap();
        assert!((3599..=3600).contains(&drift(&clock)));
        std::fs::write(&path, "not a number").unwrap();
        assert_eq!(drift(&clock), 0);
    }
}
