//! Refresh, edit, cancel and expire; and applying a server answer to a stored sale.

use ottu_checkout::checkout::{CheckoutSession, UpdateCheckoutSession};
use ottu_checkout::{CurrencyCode, SessionId};

use super::draft;
use super::{Inner, Sales, is_editable, with_qr};
use crate::dto::{Sale, SaleEdit, SaleState};
use crate::error::{Error, Result};
use crate::store::{SaleRecord, now_utc};

/// Copies what the server says into the record; returns whether anything the UI shows changed.
///
/// Links are only ever added, never removed: `checkout_short_url` comes back only on the answer
/// to the request that asked for it, so a later retrieve without it keeps the stored one.
pub(crate) fn apply_session(record: &mut SaleRecord, session: &CheckoutSession) -> bool {
    let before = record.sale.clone();
    let sale = &mut record.sale;
    sale.session_id = Some(session.session_id.as_str().to_owned());
    if let Some(state) = session.state.and_then(|s| SaleState::parse(s.as_str())) {
        sale.state = state;
    } else if sale.state.needs_reconciliation() || sale.state == SaleState::Rejected {
        // A transaction exists: without a readable state it is at least created.
        sale.state = SaleState::Created;
    }
    if let Some(amount) = &session.amount {
        sale.amount = amount.as_str().to_owned();
    }
    if let Some(currency) = &session.currency_code {
        sale.currency_code = currency.as_str().to_owned();
    }
    if session.customer_first_name.is_some() {
        sale.customer_name = session.customer_first_name.clone();
    }
    if session.customer_phone.is_some() {
        sale.customer_phone = session.customer_phone.clone();
    }
    if session.customer_email.is_some() {
        sale.customer_email = session.customer_email.clone();
    }
    if let Some(url) = &session.checkout_url {
        sale.checkout_url = Some(url.clone());
    }
    if let Some(url) = &session.checkout_short_url {
        sale.short_url = Some(url.clone());
    }
    sale.link = sale.short_url.clone().or_else(|| sale.checkout_url.clone());
    if sale.state == SaleState::Paid && sale.paid_at.is_none() {
        sale.paid_at = Some(now_utc());
    }
    if matches!(
        sale.state,
        SaleState::Created | SaleState::Pending | SaleState::Attempted
    ) || sale.state.is_final()
    {
        sale.problem = None;
    }
    let changed = *sale != before;
    if changed {
        sale.updated_at = now_utc();
    }
    changed
}

impl Inner {
    /// Retrieves an open sale and stores the answer; emits when something changed.
    pub(crate) async fn refresh_record(&self, id: &str) -> Result<Sale> {
        let record = self.load(id)?;
        let Some(session_id) = record.sale.session_id.clone() else {
            return Ok(with_qr(record.sale));
        };
        let session_id = SessionId::parse(session_id)
            .map_err(|e| Error::Internal(format!("stored session id is not usable: {e}")))?;
        let session = self.client.checkout().retrieve(&session_id).await?;
        let _guard = self.write_lock.lock().await;
        let mut record = self.load(id)?;
        if apply_session(&mut record, &session) {
            self.save_and_emit(&record)
        } else {
            Ok(with_qr(record.sale))
        }
    }
}

impl Sales {
    /// Asks the server for the sale's current state now (reconciles `sending`/`unknown` sales).
    pub async fn refresh(&self, id: &str) -> Result<Sale> {
        let record = self.inner.load(id)?;
        if record.sale.state.needs_reconciliation() {
            return self.reconcile(id).await;
        }
        self.inner.refresh_record(id).await
    }

    /// Changes the amount or customer details of an unpaid sale (PATCH: same `session_id`, same
    /// link, same QR). Blank fields in `edit` are left as they are.
    pub async fn edit(&self, id: &str, edit: SaleEdit) -> Result<Sale> {
        let record = self.inner.load(id)?;
        if !is_editable(record.sale.state) {
            return Err(Error::WrongState {
                message: format!(
                    "only an unpaid, open sale can be changed; this one is {}",
                    record.sale.state
                ),
            });
        }
        let currency = CurrencyCode::parse(&record.sale.currency_code)
            .map_err(|e| Error::Internal(format!("stored currency is not usable: {e}")))?;
        let valid = draft::validate_edit(&edit, &currency)?;
        let patch = UpdateCheckoutSession {
            amount: valid.amount,
            customer_first_name: valid.customer_name.flatten(),
            customer_phone: valid.customer_phone.flatten(),
            customer_email: valid.customer_email.flatten(),
            ..Default::default()
        };
        if patch.amount.is_none()
            && patch.customer_first_name.is_none()
            && patch.customer_phone.is_none()
            && patch.customer_email.is_none()
        {
            return Ok(with_qr(record.sale));
        }
        let session_id = session_id_of(&record)?;
        let session = self
            .inner
            .client
            .checkout()
            .update(&session_id, &patch)
            .await
            .map_err(Error::from)?;
        let _guard = self.inner.write_lock.lock().await;
        let mut record = self.inner.load(id)?;
        apply_session(&mut record, &session);
        // The server echoes the fields it stored; fill in what it left out.
        if let Some(amount) = &patch.amount {
            record.sale.amount = amount.as_str().to_owned();
        }
        if patch.customer_first_name.is_some() {
            record.sale.customer_name = patch.customer_first_name.clone();
        }
        if patch.customer_phone.is_some() {
            record.sale.customer_phone = patch.customer_phone.clone();
        }
        if patch.customer_email.is_some() {
            record.sale.customer_email = patch.customer_email.clone();
        }
        record.sale.updated_at = now_utc();
        self.inner.save_and_emit(&record)
    }

    /// Cancels an unpaid sale (the link stops working).
    pub async fn cancel(&self, id: &str) -> Result<Sale> {
        self.end(id, Ending::Cancel).await
    }

    /// Expires an unpaid sale now.
    pub async fn expire(&self, id: &str) -> Result<Sale> {
        self.end(id, Ending::Expire).await
    }

    async fn end(&self, id: &str, ending: Ending) -> Result<Sale> {
        let mut record = self.inner.load(id)?;
        if record.sale.state.needs_reconciliation() {
            // Find out first whether a link exists; never leave a live link behind.
            self.reconcile(id).await?;
            record = self.inner.load(id)?;
            if record.sale.state.needs_reconciliation() {
                return Err(Error::WrongState {
                    message: "the payment server could not be checked yet: try again in a moment"
                        .into(),
                });
            }
        }
        if record.sale.state == SaleState::Rejected {
            // Nothing exists server-side: close the sale locally.
            let _guard = self.inner.write_lock.lock().await;
            let mut record = self.inner.load(id)?;
            record.sale.state = ending.state();
            record.sale.problem = Some("nothing had been created on the payment server".into());
            record.sale.updated_at = now_utc();
            return self.inner.save_and_emit(&record);
        }
        if !is_editable(record.sale.state) {
            return Err(Error::WrongState {
                message: format!(
                    "only an unpaid, open sale can be {}; this one is {}",
                    ending.past_tense(),
                    record.sale.state
                ),
            });
        }
        let session_id = session_id_of(&record)?;
        let operations = self.inner.client.operations();
        let result = match ending {
            Ending::Cancel => operations.cancel(session_id.clone()).await,
            Ending::Expire => operations.expire(session_id.clone()).await,
        };
        if let Err(error) = result {
            // The customer may have paid meanwhile: the refreshed state explains the refusal.
            if let Ok(sale) = self.inner.refresh_record(id).await
                && !is_editable(sale.state)
            {
                return Err(Error::WrongState {
                    message: format!(
                        "the sale could not be {}: it is now {}",
                        ending.past_tense(),
                        sale.state
                    ),
                });
            }
            return Err(Error::from(error));
        }
        match self.inner.client.checkout().retrieve(&session_id).await {
            Ok(session) => {
                let _guard = self.inner.write_lock.lock().await;
                let mut record = self.inner.load(id)?;
                apply_session(&mut record, &session);
                if is_editable(record.sale.state) {
                    record.sale.state = ending.state();
                }
                record.sale.updated_at = now_utc();
                self.inner.save_and_emit(&record)
            }
            Err(_) => {
                let _guard = self.inner.write_lock.lock().await;
                let mut record = self.inner.load(id)?;
                record.sale.state = ending.state();
                record.sale.updated_at = now_utc();
                self.inner.save_and_emit(&record)
            }
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Ending {
    Cancel,
    Expire,
}

impl Ending {
    fn state(self) -> SaleState {
        match self {
            Ending::Cancel => SaleState::Canceled,
            Ending::Expire => SaleState::Expired,
        }
    }

    fn past_tense(self) -> &'static str {
        match self {
            Ending::Cancel => "canceled",
            Ending::Expire => "expired",
        }
    }
}

fn session_id_of(record: &SaleRecord) -> Result<SessionId> {
    let raw = record
        .sale
        .session_id
        .clone()
        .ok_or_else(|| Error::WrongState {
            message: "this sale has no payment link on the server".into(),
        })?;
    SessionId::parse(raw)
        .map_err(|e| Error::Internal(format!("stored session id is not usable: {e}")))
}
