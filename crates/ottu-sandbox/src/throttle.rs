//! Ottu's request limits, on the sandbox's movable clock (`POST /_sandbox/clock/advance`):
//! - the Payment Status Query throttle (digest §17, OA:1229-1248, psq.mdx): refused in the first
//!   10 minutes after the transaction's creation, then one answered call per 30 minutes, 3
//!   answered calls per transaction in total, and at most 30 inquiry requests a minute per
//!   merchant;
//! - the general per-user limit (digest §1, api-fundamentals.md:186-194): 90,000 requests a day
//!   per user on Ottu's API paths;
//! - report file downloads (same source): 25 an hour per user.
//!
//! Refusals are 429 with DRF's throttle body and a `Retry-After` header (whole seconds), except
//! once a transaction's 3 inquiries are used up: then 429 without `Retry-After`, since waiting
//! does not help. Each transaction's answered inquiries are also stored (a restart keeps them);
//! the per-minute and per-user windows live in memory only (a restart forgets them).
//! `POST /_sandbox/reset` forgets everything.
//! See the crate docs ("Undocumented behaviours chosen here") for every choice made.

use std::collections::{HashMap, VecDeque};

use axum::extract::{FromRequestParts, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::state::AppState;

/// `requests` per sliding window of `per_seconds` (on the sandbox clock).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub requests: u32,
    pub per_seconds: i64,
}

/// The Payment Status Query throttle. [`InquiryThrottle::default`] is Ottu's documented rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InquiryThrottle {
    /// No call is answered this long after the transaction's creation (Ottu: 600 s).
    pub grace_seconds: i64,
    /// After an answered call, the next one is refused for this long (Ottu: 1800 s).
    pub spacing_seconds: i64,
    /// Answered calls per transaction, ever (Ottu: 3).
    pub max_calls: u32,
    /// Inquiry requests per merchant, over all transactions (Ottu: 30 a minute).
    pub per_merchant: RateLimit,
}

impl Default for InquiryThrottle {
    fn default() -> Self {
        Self {
            grace_seconds: 600,
            spacing_seconds: 1800,
            max_calls: 3,
            per_merchant: RateLimit {
                requests: 30,
                per_seconds: 60,
            },
        }
    }
}

/// Ottu's report download limit: 25 an hour per user (digest §1, api-fundamentals.md:186-194).
pub const REPORT_DOWNLOADS: RateLimit = RateLimit {
    requests: 25,
    per_seconds: 3600,
};

/// Which limits the sandbox applies; [`Limits::default`] is Ottu's documented set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Requests per user (API key or Basic user) on Ottu's API paths; `None` turns it off.
    pub per_user: Option<RateLimit>,
    /// The inquiry throttle; `None` answers every inquiry (for tests that need plain inquiry).
    pub inquiry: Option<InquiryThrottle>,
    /// Report file downloads per user (Ottu: 25 an hour); `None` turns it off.
    pub report_downloads: Option<RateLimit>,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            per_user: Some(RateLimit {
                requests: 90_000,
                per_seconds: 86_400,
            }),
            inquiry: Some(InquiryThrottle::default()),
            report_downloads: Some(REPORT_DOWNLOADS),
        }
    }
}

impl Limits {
    /// No limit at all.
    pub fn off() -> Self {
        Self {
            per_user: None,
            inquiry: None,
            report_downloads: None,
        }
    }
}

/// What a limit says about one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Go ahead (and it has been counted).
    Allowed,
    /// Refused; allowed again in this many seconds.
    Wait(i64),
    /// Refused for good (the transaction's inquiries are used up).
    Denied,
}

/// A sliding window of request times.
#[derive(Debug, Default)]
struct Window(VecDeque<i64>);

impl Window {
    /// Counts the request at `now` if the window has room.
    fn take(&mut self, limit: RateLimit, now: i64) -> Verdict {
        while self
            .0
            .front()
            .is_some_and(|t| *t <= now - limit.per_seconds || *t > now)
        {
            self.0.pop_front();
        }
        if self.0.len() < limit.requests as usize {
            self.0.push_back(now);
            return Verdict::Allowed;
        }
        match self.0.front() {
            Some(oldest) => Verdict::Wait((oldest + limit.per_seconds - now).max(1)),
            None => Verdict::Denied,
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct Inquiries {
    answered: u32,
    last: i64,
}

/// Every counter; one per sandbox, behind a mutex in [`AppState`].
#[derive(Debug, Default)]
pub struct Throttles {
    per_user: HashMap<String, Window>,
    /// Requests refused by the per-user limit so far (tests check a client kept within it).
    per_user_refused: u64,
    inquiry_merchant: Window,
    inquiry_txn: HashMap<String, Inquiries>,
    report_downloads: HashMap<String, Window>,
}

impl Throttles {
    /// Forgets every count (reset, clock moved back).
    pub fn clear(&mut self) {
        *self = Self::default();
    }

    /// Restores answered inquiries saved by the store (at start-up).
    pub fn restore_inquiries(&mut self, rows: impl IntoIterator<Item = (String, u32, i64)>) {
        for (session_id, answered, last) in rows {
            self.inquiry_txn
                .insert(session_id, Inquiries { answered, last });
        }
    }

    /// A transaction's answered inquiries and the time of the last one.
    pub fn inquiries_of(&self, session_id: &str) -> Option<(u32, i64)> {
        self.inquiry_txn
            .get(session_id)
            .map(|i| (i.answered, i.last))
    }

    /// Counts a request of `user` against the per-user limit.
    pub fn user(&mut self, limit: RateLimit, user: &str, now: i64) -> Verdict {
        let verdict = self
            .per_user
            .entry(user.to_owned())
            .or_default()
            .take(limit, now);
        if verdict != Verdict::Allowed {
            self.per_user_refused += 1;
        }
        verdict
    }

    /// How many requests the per-user limit has refused since the start or the last reset.
    pub fn per_user_refused(&self) -> u64 {
        self.per_user_refused
    }

    /// Counts a report download of `user` against the download limit.
    pub fn report_download(&mut self, limit: RateLimit, user: &str, now: i64) -> Verdict {
        self.report_downloads
            .entry(user.to_owned())
            .or_default()
            .take(limit, now)
    }

    /// Counts an inquiry request against the merchant's per-minute limit.
    pub fn inquiry_merchant(&mut self, rules: InquiryThrottle, now: i64) -> Verdict {
        self.inquiry_merchant.take(rules.per_merchant, now)
    }

    /// The per-transaction rule: grace after creation, spacing, total. Only answered calls
    /// count and move the spacing.
    pub fn inquiry_txn(
        &mut self,
        rules: InquiryThrottle,
        session_id: &str,
        created_at: i64,
        now: i64,
    ) -> Verdict {
        let open_at = created_at.saturating_add(rules.grace_seconds);
        if now < open_at {
            return Verdict::Wait(open_at - now);
        }
        let seen = self.inquiry_txn.entry(session_id.to_owned()).or_default();
        if seen.answered >= rules.max_calls {
            return Verdict::Denied;
        }
        if seen.answered > 0 {
            let next = seen.last.saturating_add(rules.spacing_seconds);
            if now < next {
                return Verdict::Wait(next - now);
            }
        }
        seen.answered += 1;
        seen.last = now;
        Verdict::Allowed
    }
}

/// DRF's throttle text.
fn wait_detail(seconds: i64) -> String {
    let unit = if seconds == 1 { "second" } else { "seconds" };
    format!("Request was throttled. Expected available in {seconds} {unit}.")
}

impl Verdict {
    /// `Ok` when allowed, else the 429 to answer.
    pub fn check(self) -> Result<(), ApiError> {
        match self {
            Verdict::Allowed => Ok(()),
            Verdict::Wait(seconds) => Err(ApiError::throttled(
                wait_detail(seconds),
                Some(seconds.max(1) as u64),
            )),
            Verdict::Denied => Err(ApiError::throttled(
                "Request was throttled. This payment transaction has used all of its status \
                 inquiries."
                    .to_owned(),
                None,
            )),
        }
    }
}

/// The per-user key: the Basic username, or a digest of the API key (never the key itself).
pub fn user_key(principal: &Principal, authorization: Option<&str>) -> String {
    match principal {
        Principal::User(user) => format!("user:{}", user.username),
        Principal::ApiKey => {
            let digest = Sha256::digest(authorization.unwrap_or_default().trim().as_bytes());
            format!("api-key:{}", hex::encode(&digest[..8]))
        }
    }
}

/// Middleware on Ottu's API paths: the per-user limit. Requests that fail authentication pass
/// through uncounted (the handler answers 401).
pub async fn per_user(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(limit) = state.config.limits.per_user else {
        return next.run(request).await;
    };
    let (mut parts, body) = request.into_parts();
    let principal = Principal::from_request_parts(&mut parts, &state).await;
    let authorization = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let request = Request::from_parts(parts, body);
    let Ok(principal) = principal else {
        return next.run(request).await;
    };
    let key = user_key(&principal, authorization.as_deref());
    let now = state.clock.now_unix();
    let verdict = match state.throttles.lock() {
        Ok(mut throttles) => throttles.user(limit, &key, now),
        Err(_) => Verdict::Allowed,
    };
    match verdict.check() {
        Ok(()) => next.run(request).await,
        Err(refusal) => refusal.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_000_000;

    #[test]
    fn inquiry_follows_grace_spacing_and_total() {
        let rules = InquiryThrottle::default();
        let mut t = Throttles::default();
        let sid = "a";
        assert_eq!(t.inquiry_txn(rules, sid, T0, T0), Verdict::Wait(600));
        assert_eq!(t.inquiry_txn(rules, sid, T0, T0 + 599), Verdict::Wait(1));
        assert_eq!(t.inquiry_txn(rules, sid, T0, T0 + 600), Verdict::Allowed);
        assert_eq!(t.inquiry_txn(rules, sid, T0, T0 + 601), Verdict::Wait(1799));
        assert_eq!(
            t.inquiry_txn(rules, sid, T0, T0 + 2399),
            Verdict::Wait(1),
            "refused calls do not move the spacing"
        );
        assert_eq!(t.inquiry_txn(rules, sid, T0, T0 + 2400), Verdict::Allowed);
        assert_eq!(t.inquiry_txn(rules, sid, T0, T0 + 4200), Verdict::Allowed);
        assert_eq!(t.inquiry_txn(rules, sid, T0, T0 + 99_999), Verdict::Denied);
        // Another transaction has its own count.
        assert_eq!(t.inquiry_txn(rules, "b", T0, T0 + 600), Verdict::Allowed);
    }

    #[test]
    fn a_window_refuses_past_its_size_and_says_when_room_comes() {
        let limit = RateLimit {
            requests: 2,
            per_seconds: 60,
        };
        let mut w = Window::default();
        assert_eq!(w.take(limit, T0), Verdict::Allowed);
        assert_eq!(w.take(limit, T0 + 10), Verdict::Allowed);
        assert_eq!(w.take(limit, T0 + 20), Verdict::Wait(40));
        assert_eq!(w.take(limit, T0 + 60), Verdict::Allowed);
        assert_eq!(w.take(limit, T0 + 61), Verdict::Wait(9));
    }

    #[test]
    fn throttle_bodies_are_drfs() {
        let e = Verdict::Wait(1).check().unwrap_err();
        assert_eq!(e.status.as_u16(), 429);
        assert_eq!(
            e.body["detail"],
            "Request was throttled. Expected available in 1 second."
        );
        assert_eq!(e.retry_after, Some(1));
        assert_eq!(Verdict::Denied.check().unwrap_err().retry_after, None);
    }
}
