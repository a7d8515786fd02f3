//! Creating a payment link: ledger first, then the request; and the deliberate retry.
//!
//! 1. The draft is checked locally ([`super::draft`]); an order number is generated when blank.
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
use crate::dto::{Language, Sale, SaleDraft, SaleState};
use crate::error::{Error, FieldErrors, Result, map_server_fields, summarize_fields};
use crate::store::{SaleRecord, now_utc};

/// How many generated order numbers are tried before giving up (collisions are ~1 in 10^9).
const ORDER_NO_TRIES: usize = 5;

impl Sales {
    /// Creates a payment link for `draft` (see the crate docs, "Ledger and recovery").
    ///
    /// Errors: `invalid_input` with field errors (nothing stored), `api_rejected` (stored as
    /// `rejected`), `network` (nothing reached the server; stored as `rejected`, retry is safe),
    /// `ambiguous` (stored as `unknown`; it is reconciled, never re-sent blindly).
    pub async fn create(&self, draft: SaleDraft) -> Result<Sale> {
        let inner = &self.inner;
        let options = &inner.options;
        let mut valid =
            draft::validate(&draft, options.default_language, &options.default_pg_codes)?;
        if !valid.notify.is_empty() && !options.notifications_allowed {
            return Err(Error::invalid_field(
                "notify",
                "this connection does not send notifications from Ottu: share the link instead",
            ));
        }

        // A typed order number may reuse a sale that was refused (nothing exists server-side);
        // any other sale with it keeps it.
        let (order_no, reuse) = match valid.order_no.take() {
            Some(order_no) => {
                match inner
                    .store
                    .get_by_order_no(&inner.profile_id, order_no.as_str())?
                {
                    None => (order_no, None),
                    Some(existing) if existing.sale.state == SaleState::Rejected => {
                        (order_no, Some(existing))
                    }
                    Some(existing) if existing.sale.state.needs_reconciliation() => {
                        return Err(Error::invalid_field(
                            "order_no",
                            "a sale with this order number may already exist on the payment server: \
                             open it from history and check it before sending again",
                        ));
                    }
                    Some(_) => {
                        return Err(Error::invalid_field(
                            "order_no",
                            "this order number is already used by another sale: leave it blank or pick another",
                        ));
                    }
                }
            }
            None => (self.unused_order_no()?, None),
        };

        let attachment_url = match &valid.attachment {
            Some(path) => Some(self.upload_attachment(path).await?),
            None => None,
        };
        let request = build_request(&valid, order_no.clone(), attachment_url);
        let now = now_utc();
        let mut record = SaleRecord {
            sale: Sale {
                id: new_sale_id(),
                order_no: order_no.into_inner(),
                session_id: None,
                state: SaleState::Sending,
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
            },
            request: serde_json::to_value(&request)
                .map_err(|e| Error::Internal(format!("could not store the request: {e}")))?,
            field_errors: FieldErrors::new(),
            send_attempts: 0,
        };
        {
            let _guard = inner.write_lock.lock().await;
            match reuse {
                Some(existing) => {
                    record.sale.id = existing.sale.id;
                    record.sale.created_at = existing.sale.created_at;
                    record.send_attempts = existing.send_attempts;
                    inner.store.update(&record)?;
                }
                None => inner.store.insert(&record)?,
            }
        }
        self.send(record, &request).await
    }

    /// Sends a sale again with the very same request (same `order_no`), on purpose.
    ///
    /// Allowed for `rejected` sales (nothing exists server-side) and for `unknown`/`sending`
    /// ones only after reconciliation has found nothing on the server; a sale that turns out to
    /// exist is adopted instead of being sent again.
    pub async fn retry(&self, id: &str) -> Result<Sale> {
        let record = self.inner.load(id)?;
        let record = match record.sale.state {
            SaleState::Rejected => record,
            SaleState::Unknown | SaleState::Sending => {
                let checked = self.reconcile(id).await?;
                if checked.state != SaleState::Rejected {
                    // Found on the server (adopted) or still not settled: never send twice.
                    return Ok(checked);
                }
                self.inner.load(id)?
            }
            other => {
                return Err(Error::WrongState {
                    message: format!(
                        "this sale already has a payment link ({other}): nothing to retry"
                    ),
                });
            }
        };
        let request: CreateCheckoutSession = serde_json::from_value(record.request.clone())
            .map_err(|e| Error::Internal(format!("the stored request cannot be read: {e}")))?;
        self.send(record, &request).await
    }

    /// Marks the sale `sending` (durably), sends the create, and stores the outcome.
    async fn send(&self, mut record: SaleRecord, request: &CreateCheckoutSession) -> Result<Sale> {
        let inner = &self.inner;
        record.sale.state = SaleState::Sending;
        record.sale.problem = None;
        record.field_errors = FieldErrors::new();
        record.send_attempts += 1;
        record.sale.updated_at = now_utc();
        {
            let _guard = inner.write_lock.lock().await;
            inner.store.update(&record)?;
        }
        let result = {
            // Cleared on drop too, so a cancelled call does not block reconciliation.
            let _flying = InFlight::new(inner, &record.sale.id);
            inner.client.checkout().create(request).await
        };

        let _guard = inner.write_lock.lock().await;
        match result {
            Ok(session) => {
                super::actions::apply_session(&mut record, &session);
                if record.sale.expires_at.is_none() {
                    record.sale.expires_at = Some(expires_at(request));
                }
                let sale = inner.save_and_emit(&record)?;
                Ok(sale)
            }
            Err(error) => {
                let outcome = classify(error, &record.sale.id);
                record.sale.state = outcome.state;
                record.sale.problem = Some(outcome.problem);
                record.field_errors = outcome.error.field_errors();
                record.sale.updated_at = now_utc();
                inner.save_and_emit(&record)?;
                Err(outcome.error)
            }
        }
    }

    fn unused_order_no(&self) -> Result<OrderNo> {
        for _ in 0..ORDER_NO_TRIES {
            let candidate = draft::generate_order_no();
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

    async fn upload_attachment(&self, path: &std::path::Path) -> Result<String> {
        let to_field = |error: ApiError| match error {
            ApiError::Validation { body, .. } => {
                let messages: Vec<String> = body
                    .fields
                    .flatten()
                    .into_iter()
                    .map(|(_, m)| m)
                    .chain(body.detail.clone())
                    .collect();
                let mut fields = FieldErrors::new();
                fields.insert(
                    "attachment_path".into(),
                    if messages.is_empty() {
                        vec!["the file was refused".into()]
                    } else {
                        messages
                    },
                );
                Error::InvalidInput {
                    message: "the attachment was refused".into(),
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

/// Marks a sale's create request as on the wire for as long as it lives.
struct InFlight<'a> {
    inner: &'a super::Inner,
    id: String,
}

impl<'a> InFlight<'a> {
    fn new(inner: &'a super::Inner, id: &str) -> Self {
        inner.mark_in_flight(id, true);
        InFlight {
            inner,
            id: id.to_owned(),
        }
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.inner.mark_in_flight(&self.id, false);
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

/// When the link stops working: now plus `expiration_time` (24 h when not sent).
fn expires_at(request: &CreateCheckoutSession) -> String {
    let minutes = request
        .expiration_time
        .as_deref()
        .and_then(parse_duration_minutes)
        .unwrap_or(24 * 60);
    crate::store::format_utc(
        time::OffsetDateTime::now_utc() + time::Duration::minutes(i64::from(minutes)),
    )
}

/// Reads `HH:MM:SS` or `D HH:MM:SS` back into minutes.
fn parse_duration_minutes(text: &str) -> Option<u32> {
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
    problem: String,
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
            problem: "could not reach the payment server, so nothing was created: check the connection and retry".into(),
            error: Error::Network { detail: message },
        },
        ApiError::Validation { status, body } => {
            let fields = map_server_fields(&body.fields);
            let lead = if status.is_some() {
                "the payment server refused the sale"
            } else {
                "please fix"
            };
            let message = match &body.detail {
                Some(detail) if fields.is_empty() => format!("{lead}: {detail}"),
                _ => summarize_fields(lead, &fields),
            };
            let error = if status.is_some() {
                Error::ApiRejected {
                    message: message.clone(),
                    fields,
                }
            } else {
                Error::InvalidInput {
                    message: message.clone(),
                    fields,
                }
            };
            Outcome {
                state: SaleState::Rejected,
                problem: message,
                error,
            }
        }
        other => {
            let error = Error::from(other);
            Outcome {
                state: SaleState::Rejected,
                problem: error.to_string(),
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
        problem: format!(
            "the payment server did not answer clearly ({detail}); the link may exist and is being checked, do not create it again"
        ),
        error: Error::Ambiguous {
            sale_id: sale_id.to_owned(),
            detail,
        },
    }
}

#[cfg(test)]
mod tests;
