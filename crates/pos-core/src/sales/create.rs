//! Creating a payment link: ledger first, then the request; and the deliberate retry.
//!
//! 1. The draft is checked locally ([`super::draft`]); an order number is generated when blank.
//!    A draft with a cart is priced first and becomes an invoice (`super::invoice`).
//! 2. An attachment, if any, is uploaded stand-alone and referenced by `attachment_upload_url`
//!    (a JSON create keeps the nested `notifications`, which multipart would drop).
//! 3. The sale is written as `sending` with the full request body (SQLite, synchronous), and
//!    only then is the request sent.
//! 4. The answer decides the state: 201 → the server's state and links; a definite refusal →
//!    `rejected` with the server's field errors mapped to draft fields; no usable answer →
//!    `unknown` and an `ambiguous` error. Connection refused means nothing left this machine, so
//!    that sale is `rejected` (nothing exists server-side) and may simply be retried.
//!
//! Over 400 lines on purpose: the create flow and its retry are one sequence (ledger, send,
//! classify, store) whose steps share the outcome type; the tests are in `create/tests.rs`.

use ottu_checkout::attachment::{AttachmentFile, UploadAttachment};
use ottu_checkout::checkout::{
    CheckoutType, CreateCheckoutSession, Language as ApiLanguage, NotificationEvent, Notifications,
};
use ottu_checkout::{Error as ApiError, OrderNo};

use super::Sales;
use super::draft::{self, ValidDraft};
use super::invoice::{self, CreateRequest};
use crate::dto::{Language, PaymentMethod, Sale, SaleDraft, SaleState, StaffRef};
use crate::error::{Error, FieldErrors, Result, map_server_fields, server_validation};
use crate::problem;
use crate::problem::Problem;
use crate::store::{Finding, SaleRecord, now_utc};

/// How many generated order numbers are tried before giving up (collisions are ~1 in 10^9).
const ORDER_NO_TRIES: usize = 5;

impl Sales {
    /// Creates a payment link for `draft` (see the crate docs, "Ledger and recovery").
    ///
    /// Errors: `invalid_input` with field errors (nothing stored), `api_rejected` (stored as
    /// `rejected`), `network` (nothing reached the server; stored as `rejected`, retry is safe),
    /// `ambiguous` (stored as `unknown`; it is reconciled, never re-sent blindly).
    pub async fn create(&self, draft: SaleDraft) -> Result<Sale> {
        self.create_as(draft, None).await
    }

    /// [`Sales::create`], recording the staff member who made the sale.
    pub async fn create_as(&self, draft: SaleDraft, by: Option<&StaffRef>) -> Result<Sale> {
        self.create_part(draft, by, None).await
    }

    /// [`Sales::create_as`] for a sale that is part of split bill `bill` (checked by the
    /// caller, `sales/bills.rs`; the insert refuses a second live link part of the bill).
    pub(crate) async fn create_part(
        &self,
        mut draft: SaleDraft,
        by: Option<&StaffRef>,
        bill: Option<&str>,
    ) -> Result<Sale> {
        let inner = &self.inner;
        let options = &inner.options;
        // An itemised sale: its amount and currency are the priced cart's.
        let cart = self.price_draft_cart(&mut draft)?;
        let mut valid =
            draft::validate(&draft, options.default_language, &options.default_pg_codes)?;
        if !valid.notify.is_empty() && !options.notifications_allowed {
            return Err(Error::invalid_field("notify", problem!(NotifyUnsupported)));
        }
        if cart.is_some() {
            // The Invoice API takes none of these payment-request options.
            for (field, used) in [
                ("notify", !valid.notify.is_empty()),
                ("attachment_path", valid.attachment.is_some()),
                ("expires_in_minutes", valid.expires_in_minutes.is_some()),
            ] {
                if used {
                    return Err(Error::invalid_field(
                        field,
                        problem!(InvoiceOptionUnsupported),
                    ));
                }
            }
        }

        // Checked before any upload; the insert below decides for good (unique index).
        if let Some(order_no) = &valid.order_no
            && let Some(existing) = inner
                .store
                .get_by_order_no(&inner.profile_id, order_no.as_str())?
            && existing.sale.state != SaleState::Rejected
        {
            return Err(Error::invalid_field(
                "order_no",
                if existing.sale.state.needs_reconciliation() {
                    problem!(OrderNoMayExist)
                } else {
                    problem!(OrderNoUsed)
                },
            ));
        }
        let attachment_url = match &valid.attachment {
            Some(path) => Some(self.upload_attachment(path).await?),
            None => None,
        };
        let typed_order_no = valid.order_no.take();
        let order_no = match &typed_order_no {
            Some(order_no) => order_no.clone(),
            None => self.unused_order_no()?,
        };
        let now = now_utc();
        let sale = Sale {
            id: new_sale_id(),
            order_no: order_no.as_str().to_owned(),
            session_id: None,
            state: SaleState::Sending,
            method: PaymentMethod::Link,
            bill_id: bill.map(str::to_owned),
            amount: valid.amount.as_str().to_owned(),
            currency_code: valid.currency.as_str().to_owned(),
            customer_name: valid.customer_name.clone(),
            customer_phone: valid.customer_phone.clone(),
            customer_email: valid.customer_email.clone(),
            note: valid.note.clone(),
            language: valid.language,
            checkout_url: None,
            short_url: None,
            link: None,
            qr_svg: None,
            expires_at: None,
            created_at: now.clone(),
            updated_at: now,
            paid_at: None,
            profile_id: inner.profile_id.clone(),
            problem: None,
            settlement: Default::default(),
            created_by: by.cloned(),
            operations: Vec::new(),
            refundable_amount: None,
            offered_operations: Vec::new(),
            cart,
        };
        let request = match &sale.cart {
            None => CreateRequest::Session(Box::new(build_request(
                &valid,
                order_no.clone(),
                attachment_url,
            ))),
            Some(cart) => CreateRequest::Invoice(Box::new(invoice::invoice(
                &sale,
                cart,
                valid.pg_codes.clone(),
                order_no.clone(),
                &due_date(&valid),
            )?)),
        };
        let mut record = SaleRecord::new(sale, request.to_json()?);
        self.prepare_send(&mut record);
        {
            let _guard = inner.write_lock.lock().await;
            match inner.store.insert(&mut record) {
                Ok(()) => {}
                // A typed order number may reuse a sale that was refused (nothing exists
                // server-side); any other sale with it keeps it.
                Err(error)
                    if typed_order_no.is_some()
                        && error.field_errors().contains_key("order_no") =>
                {
                    record = self.reuse_refused(record)?;
                }
                Err(error) => return Err(error),
            }
        }
        self.send(record, &request).await
    }

    /// Takes over the `rejected` sale that holds a typed order number, as one compare-and-set
    /// from its `rejected` row (two processes typing the same number cannot both win).
    fn reuse_refused(&self, mut fresh: SaleRecord) -> Result<SaleRecord> {
        let inner = &self.inner;
        let existing = inner
            .store
            .get_by_order_no(&inner.profile_id, &fresh.sale.order_no)?
            .ok_or_else(|| Error::invalid_field("order_no", problem!(TryAgain)))?;
        match existing.sale.state {
            SaleState::Rejected if existing.sale.session_id.is_none() => {}
            state if state.needs_reconciliation() => {
                return Err(Error::invalid_field("order_no", problem!(OrderNoMayExist)));
            }
            _ => {
                return Err(Error::invalid_field("order_no", problem!(OrderNoUsed)));
            }
        }
        fresh.sale.id = existing.sale.id;
        fresh.sale.created_at = existing.sale.created_at;
        fresh.send_attempts = existing.send_attempts + 1;
        fresh.version = existing.version;
        fresh.sale.settlement.replaces = existing.sale.settlement.replaces;
        fresh.refresh_flags();
        if !inner.store.update(&mut fresh)? {
            return Err(Error::invalid_field("order_no", problem!(OrderNoBusy)));
        }
        Ok(fresh)
    }

    /// Sends a `rejected` sale again with the very same request (same `order_no`), on purpose:
    /// the server refused it or it never left this machine, so nothing exists server-side.
    ///
    /// A sale whose create answer was lost is never sent again: it is settled instead (this
    /// answers [`Sales::check`]); once the till has made sure no link of it can be paid,
    /// [`Sales::replace`] makes a new one with a new order number.
    pub async fn retry(&self, id: &str) -> Result<Sale> {
        let record = self.inner.load(id)?;
        match record.sale.state {
            SaleState::Rejected if record.sale.session_id.is_none() => {}
            SaleState::Unknown | SaleState::Sending => return self.check(id).await,
            other => {
                return Err(Error::WrongState(problem!(SaleHasLink, link = other)));
            }
        }
        if record.sale.settlement.replaced_by.is_some() {
            return Err(Error::WrongState(problem!(SaleReplaced)));
        }
        let request = CreateRequest::of_record(&record)?;
        let mut claimed = None;
        self.inner
            .mutate(id, |stored| {
                if stored.sale.state != SaleState::Rejected
                    || stored.claimed_by_other("", &self.inner.wall_now())
                {
                    return Err(Error::WrongState(problem!(SaleChanged)));
                }
                stored.send_attempts += 1;
                self.prepare_send(stored);
                claimed = Some(stored.clone());
                Ok(true)
            })
            .await?;
        let mut record = claimed.ok_or_else(|| Error::Internal("retry lost its claim".into()))?;
        record.version += 1;
        self.send(record, &request).await
    }

    /// Marks a record as being sent now by this engine: `sending`, claimed, `sent_at` now.
    pub(crate) fn prepare_send(&self, record: &mut SaleRecord) {
        let inner = &self.inner;
        record.sale.state = SaleState::Sending;
        record.sale.problem = None;
        record.field_errors = FieldErrors::new();
        record.sale.updated_at = now_utc();
        record.claim = Some(inner.new_claim());
        record.sent_at = Some(inner.options.clock.now_utc());
        record.finding = None;
        record.checks = 0;
        record.sale.settlement.watch_until = None;
        record.sale.settlement.next_check_at = None;
        if record.send_attempts == 0 {
            record.send_attempts = 1;
        }
        record.refresh_flags();
    }

    /// Sends the create of a record already stored as `sending` under this engine's claim, and
    /// stores the outcome.
    pub(crate) async fn send(&self, record: SaleRecord, request: &CreateRequest) -> Result<Sale> {
        let inner = &self.inner;
        let id = record.sale.id.clone();
        let result = request.send(&inner.client).await;
        match result {
            Ok(session) => self.store_created(record, &session, request).await,
            Err(error) => {
                let outcome = classify(error, &id);
                let horizon = self.horizon_from_now();
                let now = inner.options.clock.now_utc();
                inner
                    .mutate(&id, |stored| {
                        if stored.sale.state != SaleState::Sending {
                            // Settled meanwhile by someone else: theirs stands.
                            return Ok(false);
                        }
                        stored.claim = None;
                        stored.sale.state = outcome.state;
                        stored.sale.problem = Some(outcome.problem.clone());
                        stored.field_errors = outcome.error.field_errors();
                        stored.sale.updated_at = now_utc();
                        if outcome.state == SaleState::Unknown {
                            // Settle at once, then keep looking until the horizon.
                            stored.sale.settlement.watch_until = Some(horizon.clone());
                            stored.sale.settlement.next_check_at = Some(now.clone());
                            stored.checks = 0;
                        }
                        Ok(true)
                    })
                    .await?;
                Err(outcome.error)
            }
        }
    }

    /// The end of the late-commit horizon of a create sent now, on the engine's clock.
    pub(crate) fn horizon_from_now(&self) -> String {
        self.inner
            .options
            .clock
            .after(super::schedule::LATE_COMMIT_HORIZON)
    }

    /// Stores a `201`. The link is never hidden from the cashier: if the history cannot be
    /// written, the sale is still answered with its link (and a problem saying so), and the
    /// row left `sending` is settled later like any lost answer.
    async fn store_created(
        &self,
        record: SaleRecord,
        session: &ottu_checkout::checkout::CheckoutSession,
        request: &CreateRequest,
    ) -> Result<Sale> {
        let inner = &self.inner;
        let id = record.sale.id.clone();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let written = inner
                .mutate(&id, |stored| {
                    if stored.finding == Some(Finding::Cancelled) {
                        // Our claim lapsed and another engine cancelled this link: it is dead.
                        return Ok(false);
                    }
                    super::actions::apply_session(stored, session);
                    stored.claim = None;
                    stored.finding = None;
                    stored.sale.settlement.watch_until = None;
                    stored.sale.settlement.next_check_at = None;
                    if stored.sale.expires_at.is_none() {
                        stored.sale.expires_at = Some(expires_at(request));
                    }
                    Ok(true)
                })
                .await;
            match written {
                Ok(sale) => return Ok(sale),
                Err(error) if attempt >= 3 => {
                    tracing::error!(sale = %id, %error, "a created link could not be saved to the history");
                    let mut shown = record.clone();
                    super::actions::apply_session(&mut shown, session);
                    shown.sale.problem = Some(problem!(LinkNotSaved, detail = error));
                    shown.refresh_flags();
                    return Ok(inner.emit(&shown));
                }
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
            }
        }
    }

    /// This till's id: the one set for the profile, else derived from the profile's id.
    pub fn till_id(&self) -> Result<String> {
        Ok(self
            .inner
            .store
            .ottu_cash_settings(&self.inner.profile_id)?
            .till_id
            .unwrap_or_else(|| draft::default_till_id(&self.inner.profile_id)))
    }

    /// A generated order number of this till (`kind` `POS` or `CASH`) no sale uses yet.
    pub(crate) fn unused_order_no_of(&self, kind: &str) -> Result<OrderNo> {
        let till_id = self.till_id()?;
        for _ in 0..ORDER_NO_TRIES {
            let candidate = draft::generate_order_no(kind, &till_id);
            if !self
                .inner
                .store
                .order_no_exists(&self.inner.profile_id, &candidate)?
            {
                return OrderNo::parse(candidate)
                    .map_err(|e| Error::Internal(format!("generated order number refused: {e}")));
            }
        }
        Err(Error::Internal(
            "could not find an unused order number".into(),
        ))
    }

    pub(crate) fn unused_order_no(&self) -> Result<OrderNo> {
        self.unused_order_no_of("POS")
    }

    async fn upload_attachment(&self, path: &std::path::Path) -> Result<String> {
        let to_field = |error: ApiError| match error {
            ApiError::Validation { body, .. } => {
                let messages: Vec<_> = body
                    .fields
                    .flatten()
                    .into_iter()
                    .map(|(_, m)| m)
                    .chain(body.detail.clone())
                    .map(|m| problem!(ServerFieldRefused, server_text = m))
                    .collect();
                let mut fields = FieldErrors::new();
                fields.insert(
                    "attachment_path".into(),
                    if messages.is_empty() {
                        vec![problem!(AttachmentRefused)]
                    } else {
                        messages
                    },
                );
                Error::InvalidInput {
                    problem: problem!(AttachmentRefused),
                    fields,
                }
            }
            other => Error::from(other),
        };
        let file = AttachmentFile::from_path(path).await.map_err(to_field)?;
        let uploaded = self
            .inner
            .client
            .attachments()
            .upload(&UploadAttachment::new(file))
            .await
            .map_err(to_field)?;
        Ok(uploaded.file_url)
    }
}

/// The create body: a payment request with a QR code and a short link.
pub(crate) fn build_request(
    valid: &ValidDraft,
    order_no: OrderNo,
    attachment_upload_url: Option<String>,
) -> CreateCheckoutSession {
    let mut request = CreateCheckoutSession::new(
        CheckoutType::PaymentRequest,
        valid.amount.clone(),
        valid.currency,
        valid.pg_codes.clone(),
    );
    request.order_no = Some(order_no);
    request.customer_first_name = valid.customer_name.clone();
    request.customer_phone = valid.customer_phone.clone();
    request.customer_email = valid.customer_email.clone();
    request.language = Some(match valid.language {
        Language::En => ApiLanguage::En,
        Language::Ar => ApiLanguage::Ar,
    });
    request.expiration_time = valid.expires_in_minutes.map(draft::expiration_time);
    // The docs' `DD/MM/YYYY hh:mm` form (UTC); the end of the due day.
    request.due_datetime = valid.due_date.and_then(|d| {
        d.format(time::macros::format_description!(
            "[day]/[month]/[year] 23:59"
        ))
        .ok()
    });
    if !valid.notify.is_empty() {
        let events = || vec![NotificationEvent::Created, NotificationEvent::Paid];
        let mut notifications = Notifications::default();
        if valid.notify.sms {
            notifications.sms = events();
        }
        if valid.notify.email {
            notifications.email = events();
        }
        if valid.notify.whatsapp {
            notifications.whatsapp = events();
        }
        request.notifications = Some(notifications);
    }
    request.generate_qr_code = true;
    request.shortify_checkout_url = true;
    request.attachment_upload_url = attachment_upload_url;
    request
}

/// An invoice's due date: the draft's, else today (UTC), `YYYY-MM-DD`.
fn due_date(valid: &ValidDraft) -> String {
    valid
        .due_date
        .unwrap_or_else(|| time::OffsetDateTime::now_utc().date())
        .format(time::macros::format_description!("[year]-[month]-[day]"))
        .unwrap_or_default()
}

/// When the link stops working: now plus `expiration_time` (24 h when not sent).
fn expires_at(request: &CreateRequest) -> String {
    let minutes = request.expiration_minutes().unwrap_or(24 * 60);
    crate::store::format_utc(
        time::OffsetDateTime::now_utc() + time::Duration::minutes(i64::from(minutes)),
    )
}

/// Reads `HH:MM:SS` or `D HH:MM:SS` back into minutes.
pub(crate) fn parse_duration_minutes(text: &str) -> Option<u32> {
    let (days, clock) = match text.trim().split_once(' ') {
        Some((d, c)) => (d.parse::<u32>().ok()?, c),
        None => (0, text.trim()),
    };
    let mut parts = clock.split(':');
    let hours: u32 = parts.next()?.parse().ok()?;
    let minutes: u32 = parts.next()?.parse().ok()?;
    Some(days * 24 * 60 + hours * 60 + minutes)
}

pub(crate) fn new_sale_id() -> String {
    use rand::Rng;
    let mut rng = rand::thread_rng();
    let random: u64 = rng.r#gen();
    let now = time::OffsetDateTime::now_utc()
        .format(time::macros::format_description!(
            "[year][month][day][hour][minute][second]"
        ))
        .unwrap_or_default();
    format!("sale_{now}_{random:016x}")
}

struct Outcome {
    state: SaleState,
    problem: Problem,
    error: Error,
}

/// What a failed create means for the sale.
fn classify(error: ApiError, sale_id: &str) -> Outcome {
    match error {
        ApiError::Ambiguous { source, .. } => ambiguous(&source, sale_id),
        error @ (ApiError::Timeout
        | ApiError::Server { .. }
        | ApiError::Decode { .. }
        | ApiError::Transport { connect: false, .. }) => ambiguous(&error, sale_id),
        ApiError::Transport {
            connect: true,
            message,
        } => Outcome {
            state: SaleState::Rejected,
            problem: problem!(CreateNotSent),
            error: Error::network(message),
        },
        ApiError::Validation { status, body } => {
            let error = server_validation(
                status.is_some(),
                body.detail.as_deref(),
                map_server_fields(&body.fields),
            );
            Outcome {
                state: SaleState::Rejected,
                problem: error.problem(),
                error,
            }
        }
        other => {
            let error = Error::from(other);
            Outcome {
                state: SaleState::Rejected,
                problem: error.problem(),
                error,
            }
        }
    }
}

fn ambiguous(error: &ApiError, sale_id: &str) -> Outcome {
    let detail = match error {
        ApiError::Timeout => "no answer in time".to_owned(),
        ApiError::Server { status, .. } => format!("server error {status}"),
        ApiError::Decode { .. } => "an unreadable answer".to_owned(),
        ApiError::Transport { .. } => "the connection was lost after sending".to_owned(),
        other => other.to_string(),
    };
    Outcome {
        state: SaleState::Unknown,
        problem: problem!(CreateUnclear, detail = detail),
        error: Error::Ambiguous {
            sale_id: sale_id.to_owned(),
            detail,
        },
    }
}

#[cfg(test)]
mod tests;
