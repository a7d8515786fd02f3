//! Settling a sale whose create answer was lost, "Check now", "Make a new link", and re-checks
//! of closed sales (the timeline is in `docs/architecture.md`, "Settling a lost create").
//!
//! A sale is `unknown` when its create may or may not have reached Ottu (a timeout, a lost
//! connection, a `5xx`, an unreadable `201`), or `sending` with a claim whose process died. Ottu
//! has no unthrottled lookup by `order_no` (its status query refuses the first 10 minutes), but
//! its `cancel` operation takes an `order_no` and answers at once, and `canceled` is final. So:
//!
//! 1. **Cancel by order number**, right away:
//!    - `200`: a transaction existed and is now cancelled: no link of the sale can be paid. The
//!      sale is `canceled`; "Make a new link" makes a fresh one with a new order number.
//!    - not found (`404`; a `400` saying "not found" is read the same): nothing exists *yet*.
//!      That is no proof while a late commit is possible, so the till keeps cancelling by the
//!      order number with backoff ([`super::schedule::settle_delay`]) until the horizon
//!      ([`super::schedule::LATE_COMMIT_HORIZON`] after the send); meanwhile a new link may be
//!      made, because anything that turns up is cancelled. Not found at the horizon → `rejected`.
//!    - refused (`400`, `result: failed`): a transaction exists that cannot be cancelled (the
//!      customer paid it, or it closed). Only the status query tells which.
//!    - anything else (no answer, `5xx`, `429`): proves nothing; try again with backoff.
//! 2. **Status query** (`POST /b/pbl/v2/inquiry/` by `order_no`) for the refused case, once Ottu
//!    allows it (10 minutes after the send, then every 30 minutes, 3 in all). A transaction whose
//!    amount and currency match the sale is adopted (its session, links and state); one that
//!    differs is flagged to staff and never adopted. An answer without `session_id` proves
//!    nothing.
//!
//! Every step runs under a claim on the sale's row and writes by compare-and-set, so engines in
//! several processes never settle one sale twice at the same time; the result of a cancel that
//! succeeded always wins, since nothing is more certain than a cancelled link.

use ottu_checkout::checkout::CheckoutSession;
use ottu_checkout::{Error as ApiError, OrderNo};
use rust_decimal::Decimal;

use super::Sales;
use super::actions::apply_session;
use super::create::new_sale_id;
use super::invoice::CreateRequest;
use super::schedule::{INQUIRY_LIMIT, INQUIRY_OPENS_AFTER, INQUIRY_SPACING, settle_delay};
use crate::clock::{format_utc, parse_instant};
use crate::dto::{Sale, SaleState};
use crate::error::{Error, Result};
use crate::problem;
use crate::store::{Finding, SaleRecord, now_utc};

/// Whether the status query may confirm a lost create whose cancel was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum OrderLookup {
    /// Ottu's payment status query, `POST /b/pbl/v2/inquiry/` by `order_no`. Needs the
    /// `payment.inquiry` permission for Basic users.
    #[default]
    Inquiry,
    /// No status query: such a sale waits for staff to check it on the dashboard.
    Unavailable,
}

/// What a cancel by order number told.
enum CancelAnswer {
    Cancelled,
    NotFound,
    Refused,
    NoAnswer(Error),
}

/// What the status query told.
enum InquiryAnswer {
    Found(Box<CheckoutSession>),
    NoProof(String),
    Throttled(Option<std::time::Duration>),
    Failed(Error),
}

impl Sales {
    /// "Check now": settles a lost create right away, or retrieves a sale that has a
    /// transaction (a `failed` or `expired` one may have been paid late).
    pub async fn check(&self, id: &str) -> Result<Sale> {
        let record = self.inner.load(id)?;
        let sale = if record.sale.state.needs_reconciliation() {
            self.settle(id, true).await?;
            self.after_other_claims(id).await?
        } else if record.sale.session_id.is_some() {
            self.inner.refresh_record(id).await?
        } else {
            super::with_qr(record.sale)
        };
        self.with_operations(sale)
    }

    /// When another task or process holds the sale (it is sending or settling it right now),
    /// waits for it to finish (at most one claim lease) and answers what it found.
    async fn after_other_claims(&self, id: &str) -> Result<Sale> {
        let inner = &self.inner;
        let deadline = tokio::time::Instant::now() + inner.options.claim_lease;
        let mut record = inner.load(id)?;
        while record.claimed_by_other("", &inner.wall_now())
            && tokio::time::Instant::now() < deadline
        {
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
            record = inner.load(id)?;
        }
        Ok(super::with_qr(record.sale))
    }

    /// Runs every automatic check that is due on the engine's clock: settling steps of lost
    /// creates (including `sending` rows whose process died), and re-checks of `failed` and
    /// `expired` sales. The tracker calls it; answers how many sales were checked.
    pub async fn settle_due(&self) -> Result<usize> {
        let inner = &self.inner;
        let wall = inner.wall_now();
        let mut done = 0;
        // Bounded: a history with many orphans settles them a page per pass, oldest first.
        let orphans =
            inner
                .store
                .oldest_in_states(&inner.profile_id, &[SaleState::Sending], 100)?;
        for record in orphans {
            if record.claim.as_ref().is_none_or(|c| !c.holds_at(&wall)) {
                if let Err(error) = self.settle(&record.sale.id, false).await {
                    tracing::debug!(sale = %record.sale.id, %error, "settling failed");
                }
                done += 1;
            }
        }
        let now = inner.options.clock.now_utc();
        for record in inner.store.due_checks(&inner.profile_id, &now)? {
            let id = record.sale.id.clone();
            let result = match record.sale.state {
                SaleState::Sending | SaleState::Unknown => self.settle(&id, false).await,
                SaleState::Failed | SaleState::Expired => self.recheck(&id).await,
                _ => {
                    inner
                        .mutate(&id, |stored| {
                            stored.sale.settlement.next_check_at = None;
                            Ok(true)
                        })
                        .await
                }
            };
            if let Err(error) = result {
                tracing::debug!(sale = %id, %error, "automatic check failed");
            }
            done += 1;
        }
        done += self.resend_operations().await?;
        Ok(done)
    }

    /// The earliest automatic check, on the engine's clock.
    pub(crate) fn next_check_due(&self) -> Option<time::OffsetDateTime> {
        self.inner
            .store
            .next_check_due(&self.inner.profile_id)
            .ok()
            .flatten()
            .and_then(|at| parse_instant(&at))
    }

    /// One re-check of a closed sale for a late gateway success, then the next one scheduled.
    async fn recheck(&self, id: &str) -> Result<Sale> {
        let inner = &self.inner;
        let result = inner.refresh_record(id).await;
        let clock = &inner.options.clock;
        let now = clock.now_utc();
        let sale = inner
            .mutate(id, |stored| {
                if !matches!(stored.sale.state, SaleState::Failed | SaleState::Expired) {
                    stored.sale.settlement.next_check_at = None;
                    return Ok(true);
                }
                stored.checks += 1;
                let next = clock.after(super::schedule::recheck_delay(stored.checks));
                stored.sale.settlement.next_check_at = match &stored.recheck_until {
                    Some(until) if until.as_str() > now.as_str() => Some(next),
                    _ => None,
                };
                Ok(true)
            })
            .await?;
        result.map(|_| sale)
    }

    /// One settling step of a lost create (see the module docs). `forced`: run it now even if
    /// the next automatic step is not due (staff pressed "Check now").
    async fn settle(&self, id: &str, forced: bool) -> Result<Sale> {
        let inner = &self.inner;
        let clock = &inner.options.clock;
        let now = clock.now_utc();
        let wall = inner.wall_now();
        let horizon = self.horizon_from_now();
        let mut claimed: Option<SaleRecord> = None;
        let claim = inner.new_claim();
        let sale = inner
            .mutate(id, |stored| {
                claimed = None;
                if !stored.sale.state.needs_reconciliation()
                    || stored.claimed_by_other("", &wall)
                    || stored.finding == Some(Finding::Mismatch)
                {
                    return Ok(false);
                }
                let due = stored
                    .sale
                    .settlement
                    .next_check_at
                    .as_deref()
                    .is_none_or(|at| at <= now.as_str());
                if !forced && !due && stored.sale.state == SaleState::Unknown {
                    return Ok(false);
                }
                if stored.sale.state == SaleState::Sending {
                    // Its process died mid-request: from here on it is a lost create.
                    stored.sale.state = SaleState::Unknown;
                    stored.sale.problem = Some(problem!(TillStoppedWhileCreating));
                }
                if stored.sale.settlement.watch_until.is_none() {
                    stored.sale.settlement.watch_until = Some(
                        stored
                            .sent_at
                            .as_deref()
                            .and_then(parse_instant)
                            .map(|sent| format_utc(sent + super::schedule::LATE_COMMIT_HORIZON))
                            .unwrap_or_else(|| horizon.clone()),
                    );
                }
                stored.claim = Some(claim.clone());
                claimed = Some(stored.clone());
                Ok(true)
            })
            .await?;
        let Some(record) = claimed else {
            return Ok(sale);
        };
        match record.finding {
            Some(Finding::Uncancellable) => {
                if inquiry_opens(&record, clock).as_str() > now.as_str() {
                    // Ottu would refuse (and count it against the merchant's minute): wait.
                    return inner
                        .mutate(id, |stored| {
                            if stored.claim == record.claim {
                                stored.claim = None;
                                Ok(true)
                            } else {
                                Ok(false)
                            }
                        })
                        .await;
                }
                self.settle_by_inquiry(&record).await
            }
            _ => self.settle_by_cancel(&record).await,
        }
    }

    async fn settle_by_cancel(&self, record: &SaleRecord) -> Result<Sale> {
        let inner = &self.inner;
        // "Not found" proves absence as of when the question left, not when the answer came:
        // the horizon is compared with this instant.
        let asked_at = inner.options.clock.now_utc();
        let answer = match OrderNo::parse(record.sale.order_no.clone()) {
            Ok(order_no) => match inner.client.operations().cancel(order_no).await {
                Ok(_) => CancelAnswer::Cancelled,
                Err(error) => read_cancel_error(error),
            },
            Err(error) => CancelAnswer::NoAnswer(Error::Internal(format!(
                "stored order number unusable: {error}"
            ))),
        };
        let clock = &inner.options.clock;
        let now = clock.now_utc();
        let id = record.sale.id.as_str();
        let lookup = inner.options.order_lookup;
        let mut failure = None;
        let sale = inner
            .mutate(id, |stored| {
                let ours = stored.claim == record.claim;
                if !ours && !matches!(answer, CancelAnswer::Cancelled) {
                    // Another engine took over after our claim lapsed: its findings stand.
                    return Ok(false);
                }
                if !stored.sale.state.needs_reconciliation()
                    && !matches!(answer, CancelAnswer::Cancelled)
                {
                    return Ok(false);
                }
                stored.claim = None;
                stored.sale.updated_at = now_utc();
                let replaced = stored.sale.settlement.replaced_by.is_some();
                match &answer {
                    CancelAnswer::Cancelled => {
                        if stored.sale.state.needs_reconciliation()
                            || stored.sale.state == SaleState::Rejected
                        {
                            stored.sale.state = SaleState::Canceled;
                        }
                        stored.finding = Some(Finding::Cancelled);
                        stored.sale.settlement.watch_until = None;
                        stored.sale.settlement.next_check_at = None;
                        stored.sale.problem = Some(if replaced {
                            problem!(LateLinkCanceledReplaced)
                        } else {
                            problem!(LostLinkCanceled)
                        });
                    }
                    CancelAnswer::NotFound => {
                        let watch_until = stored
                            .sale
                            .settlement
                            .watch_until
                            .clone()
                            .unwrap_or_default();
                        if asked_at.as_str() >= watch_until.as_str() {
                            stored.sale.state = SaleState::Rejected;
                            stored.finding = None;
                            stored.sale.settlement.watch_until = None;
                            stored.sale.settlement.next_check_at = None;
                            let time = short_time(&watch_until);
                            stored.sale.problem = Some(if replaced {
                                problem!(NeverMadeLinkReplaced, time = time)
                            } else {
                                problem!(NeverMadeLink, time = time)
                            });
                        } else {
                            stored.finding = Some(Finding::Absent);
                            let next = clock
                                .after(settle_delay(stored.checks))
                                .min(watch_until.clone());
                            stored.checks += 1;
                            stored.sale.settlement.next_check_at = Some(next);
                            let time = short_time(&watch_until);
                            stored.sale.problem = Some(if replaced {
                                problem!(NoLinkWatchingReplaced, time = time)
                            } else {
                                problem!(NoLinkWatching, time = time)
                            });
                        }
                    }
                    CancelAnswer::Refused => {
                        stored.finding = Some(Finding::Uncancellable);
                        stored.checks = 0;
                        let at = inquiry_opens(stored, clock).max(now.clone());
                        stored.sale.settlement.next_check_at =
                            (lookup == OrderLookup::Inquiry).then(|| at.clone());
                        stored.sale.problem = Some(if lookup == OrderLookup::Inquiry {
                            problem!(LinkMayBePaidConfirming, time = short_time(&at))
                        } else {
                            problem!(LinkMayBePaid)
                        });
                    }
                    CancelAnswer::NoAnswer(error) => {
                        let next = clock.after(settle_delay(stored.checks));
                        stored.checks += 1;
                        stored.sale.settlement.next_check_at = Some(next.clone());
                        stored.sale.problem = Some(problem!(
                            SettleUnreachable,
                            detail = error,
                            time = short_time(&next)
                        ));
                        failure = Some(error.to_string());
                    }
                }
                Ok(true)
            })
            .await?;
        if let Some(detail) = failure {
            tracing::debug!(sale = %id, %detail, "settling could not reach the server");
        }
        Ok(sale)
    }

    async fn settle_by_inquiry(&self, record: &SaleRecord) -> Result<Sale> {
        let inner = &self.inner;
        let answer = match OrderNo::parse(record.sale.order_no.clone()) {
            Ok(order_no) => match inner.client.inquiry().status(order_no).await {
                Ok(status) => match status.session_id {
                    Some(session_id) => match inner.client.checkout().retrieve(&session_id).await {
                        Ok(session) => InquiryAnswer::Found(Box::new(session)),
                        Err(error) => InquiryAnswer::Failed(Error::from(error)),
                    },
                    None => InquiryAnswer::NoProof("Ottu's answer named no transaction".into()),
                },
                Err(ApiError::NotFound { .. }) => {
                    InquiryAnswer::NoProof("Ottu's status query found no transaction".into())
                }
                Err(error @ (ApiError::Throttled { .. } | ApiError::RateLimited { .. })) => {
                    InquiryAnswer::Throttled(error.retry_after())
                }
                Err(error) => InquiryAnswer::Failed(Error::from(error)),
            },
            Err(error) => InquiryAnswer::Failed(Error::Internal(format!(
                "stored order number unusable: {error}"
            ))),
        };
        let clock = &inner.options.clock;
        let id = record.sale.id.as_str();
        inner
            .mutate(id, |stored| {
                let found = matches!(answer, InquiryAnswer::Found(_));
                // A transaction found is certain knowledge and is applied even if another
                // task took the sale over meanwhile; anything else only by the claim's holder.
                if !stored.sale.state.needs_reconciliation()
                    || (stored.claim != record.claim && !found)
                {
                    return Ok(false);
                }
                stored.claim = None;
                stored.sale.updated_at = now_utc();
                match &answer {
                    InquiryAnswer::Found(session) => {
                        if let Some(difference) = differs(&stored.sale, session) {
                            stored.finding = Some(Finding::Mismatch);
                            stored.sale.settlement.next_check_at = None;
                            stored.sale.problem = Some(problem!(
                                OtherTransaction,
                                session = session.session_id,
                                detail = difference
                            ));
                            return Ok(true);
                        }
                        apply_session(stored, session);
                        stored.finding = None;
                        stored.checks = 0;
                        stored.sale.settlement.watch_until = None;
                        stored.sale.settlement.next_check_at = None;
                        if stored.sale.settlement.replaced_by.is_some()
                            && !matches!(
                                stored.sale.state,
                                SaleState::Canceled | SaleState::Expired | SaleState::Failed
                            )
                        {
                            stored.sale.problem =
                                Some(problem!(FirstLinkTurnedOut, state = stored.sale.state));
                        }
                        inner.schedule_rechecks(stored);
                    }
                    InquiryAnswer::NoProof(why) => {
                        stored.checks += 1;
                        schedule_inquiry(stored, clock.after(INQUIRY_SPACING), why);
                    }
                    InquiryAnswer::Failed(error @ Error::Network(_)) => {
                        stored.checks += 1;
                        schedule_inquiry(stored, clock.after(INQUIRY_SPACING), &error.to_string());
                    }
                    InquiryAnswer::Throttled(retry_after) => {
                        // Inside the first 10 minutes Ottu opens at a known time; after them a
                        // refusal means "once per 30 minutes".
                        let opens = inquiry_opens(stored, clock);
                        let at = if opens.as_str() > clock.now_utc().as_str() {
                            opens
                        } else {
                            clock.after(INQUIRY_SPACING)
                        };
                        let at = match retry_after {
                            Some(wait) => at.max(clock.after(*wait)),
                            None => at,
                        };
                        schedule_inquiry(stored, at, "Ottu asked to wait before asking again");
                    }
                    InquiryAnswer::Failed(error) => {
                        stored.checks += 1;
                        schedule_inquiry(
                            stored,
                            clock.after(settle_delay(stored.checks)),
                            &error.to_string(),
                        );
                    }
                }
                Ok(true)
            })
            .await
    }

    /// "Make a new link": a fresh sale with the same details and a new order number, for a sale
    /// none of whose links can be paid (see [`crate::dto::Settlement::can_replace`]). Answers
    /// the new sale (which may itself end `unknown`, and is settled the same way).
    pub async fn replace(&self, id: &str) -> Result<Sale> {
        self.replace_as(id, None).await
    }

    /// [`Sales::replace`], recording the staff member who made the new link (else the old
    /// sale's).
    pub async fn replace_as(&self, id: &str, by: Option<&crate::dto::StaffRef>) -> Result<Sale> {
        self.replace_changed(id, by, |_| {}).await
    }

    /// [`Sales::replace_as`] with `change` applied to the new sale's details first (an
    /// itemised sale's edit: its customer).
    pub(crate) async fn replace_changed(
        &self,
        id: &str,
        by: Option<&crate::dto::StaffRef>,
        change: impl FnOnce(&mut Sale),
    ) -> Result<Sale> {
        let inner = &self.inner;
        let old = inner.load(id)?;
        if !old.sale.settlement.can_replace {
            return Err(Error::WrongState(match &old.sale.settlement.replaced_by {
                Some(_) => crate::problem!(SaleReplaced),
                None => crate::problem!(SaleMayBePaid, state = old.sale.state),
            }));
        }
        // A part of a split bill stays one: its new link must still fit what the bill has left.
        if let Some(bill) = &old.sale.bill_id {
            let left = self.bill(bill)?;
            if crate::shifts::decimal(&old.sale.amount) > crate::shifts::decimal(&left.available) {
                return Err(Error::WrongState(crate::problem!(
                    BillPartTooBig,
                    remaining = left.available,
                    currency = left.currency_code
                )));
            }
        }
        let order_no = self.unused_order_no()?;
        let new_id = new_sale_id();
        inner
            .mutate(id, |stored| {
                if !stored.sale.settlement.can_replace {
                    return Err(Error::WrongState(crate::problem!(SaleChanged)));
                }
                stored.sale.settlement.replaced_by = Some(new_id.clone());
                Ok(true)
            })
            .await?;
        let now = now_utc();
        let mut sale = old.sale.clone();
        sale.id = new_id.clone();
        sale.order_no = order_no.as_str().to_owned();
        sale.session_id = None;
        sale.checkout_url = None;
        sale.short_url = None;
        sale.link = None;
        sale.qr_svg = None;
        sale.expires_at = None;
        sale.paid_at = None;
        sale.problem = None;
        sale.created_at = now.clone();
        sale.updated_at = now;
        sale.settlement = crate::dto::Settlement {
            replaces: Some(id.to_owned()),
            ..Default::default()
        };
        if let Some(by) = by {
            sale.created_by = Some(by.clone());
        }
        change(&mut sale);
        // The same body (an invoice: the same lines) under the new order number.
        let mut record = SaleRecord::new(sale, old.request.clone());
        if let Some(body) = record.request.as_object_mut() {
            body.insert("order_no".into(), order_no.as_str().into());
        }
        let request = CreateRequest::of_record(&record)?;
        record.request = request.to_json()?;
        self.prepare_send(&mut record);
        let inserted = {
            let _guard = inner.write_lock.lock().await;
            inner.store.insert(&mut record)
        };
        if let Err(error) = inserted {
            // Undo the link to a sale that was never written.
            let _ = inner
                .mutate(id, |stored| {
                    stored.sale.settlement.replaced_by = None;
                    Ok(true)
                })
                .await;
            return Err(error);
        }
        self.send(record, &request).await
    }
}

/// Reads a failed cancel by order number.
fn read_cancel_error(error: ApiError) -> CancelAnswer {
    match error {
        ApiError::NotFound { .. } => CancelAnswer::NotFound,
        // Ottu documents no answer for an order number nobody has; a 400 that says so in
        // words is read as "not found" too.
        ApiError::Validation {
            status: Some(_),
            ref body,
        } if body.detail.as_deref().is_some_and(says_not_found) => CancelAnswer::NotFound,
        ApiError::Validation {
            status: Some(_), ..
        } => CancelAnswer::Refused,
        other => CancelAnswer::NoAnswer(Error::from(other)),
    }
}

fn says_not_found(detail: &str) -> bool {
    let detail = detail.to_lowercase();
    [
        "not found",
        "does not exist",
        "no paymenttransaction",
        "no transaction",
    ]
    .iter()
    .any(|phrase| detail.contains(phrase))
}

/// Why a found transaction is not this sale's, if it is not: amount or currency differ.
fn differs(sale: &Sale, session: &CheckoutSession) -> Option<String> {
    let decimal = |text: &str| text.parse::<Decimal>().ok();
    if let Some(currency) = &session.currency_code
        && currency.as_str() != sale.currency_code
    {
        return Some(format!(
            "its currency is {} and the sale's is {}",
            currency.as_str(),
            sale.currency_code
        ));
    }
    if let Some(amount) = &session.amount
        && decimal(amount.as_str()) != decimal(&sale.amount)
    {
        return Some(format!(
            "its amount is {} {} and the sale's is {} {}",
            amount.as_str(),
            sale.currency_code,
            sale.amount,
            sale.currency_code
        ));
    }
    None
}

/// The next status query at `at`, unless Ottu's limit of queries is reached.
fn schedule_inquiry(stored: &mut SaleRecord, at: String, why: &str) {
    if stored.checks >= INQUIRY_LIMIT {
        stored.sale.settlement.next_check_at = None;
        stored.sale.problem = Some(problem!(LinkUnconfirmed, detail = why));
    } else {
        stored.sale.problem = Some(problem!(
            LinkConfirming,
            detail = why,
            time = short_time(&at)
        ));
        stored.sale.settlement.next_check_at = Some(at);
    }
}

/// When Ottu first answers the status query about the sale's transaction: 10 minutes after
/// the create was sent (the transaction cannot be older than that).
fn inquiry_opens(stored: &SaleRecord, clock: &crate::clock::Clock) -> String {
    stored
        .sent_at
        .as_deref()
        .and_then(parse_instant)
        .map(|sent| format_utc(sent + INQUIRY_OPENS_AFTER))
        .unwrap_or_else(|| clock.after(INQUIRY_OPENS_AFTER))
}

/// `HH:MM` UTC of a stored instant, for messages (the UI shows `watch_until` in local time).
fn short_time(at: &str) -> String {
    parse_instant(at)
        .and_then(|t| {
            t.format(time::macros::format_description!("[hour]:[minute] UTC"))
                .ok()
        })
        .unwrap_or_else(|| at.to_owned())
}

#[cfg(test)]
mod tests {
    use ottu_checkout::error::ErrorBody;

    use super::*;

    fn answer_to(status: u16, body: &str) -> CancelAnswer {
        let error = if status == 404 {
            ApiError::NotFound {
                body: Box::new(ErrorBody::parse(body)),
            }
        } else {
            ApiError::Validation {
                status: Some(status),
                body: Box::new(ErrorBody::parse(body)),
            }
        };
        read_cancel_error(error)
    }

    #[test]
    fn not_found_is_read_from_a_404_or_from_a_400_that_says_so() {
        assert!(matches!(
            answer_to(404, r#"{"detail": "Not found."}"#),
            CancelAnswer::NotFound
        ));
        assert!(matches!(answer_to(404, ""), CancelAnswer::NotFound));
        for detail in [
            "Not found.",
            "Payment transaction does not exist.",
            "No PaymentTransaction matches the given query.",
        ] {
            let body =
                serde_json::json!({"detail": detail, "operation": "cancel", "result": "failed"});
            assert!(
                matches!(answer_to(400, &body.to_string()), CancelAnswer::NotFound),
                "{detail}"
            );
        }
    }

    #[test]
    fn a_refusal_in_another_state_means_a_transaction_exists() {
        let body = r#"{"detail": "A payment transaction in the paid state cannot be canceled.", "operation": "cancel", "result": "failed"}"#;
        assert!(matches!(answer_to(400, body), CancelAnswer::Refused));
    }

    #[test]
    fn no_answer_proves_nothing() {
        assert!(matches!(
            read_cancel_error(ApiError::Timeout),
            CancelAnswer::NoAnswer(_)
        ));
        assert!(matches!(
            read_cancel_error(ApiError::Server {
                status: 503,
                body: Box::new(ErrorBody::parse("")),
            }),
            CancelAnswer::NoAnswer(_)
        ));
    }
}
