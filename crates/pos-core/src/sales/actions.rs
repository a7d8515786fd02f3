//! Refresh, edit, cancel and expire; and applying a server answer to a stored sale.

use ottu_checkout::checkout::{CheckoutSession, UpdateCheckoutSession};
use ottu_checkout::{CurrencyCode, SessionId};

use super::draft;
use super::schedule::{RECHECK_GRACE, recheck_delay};
use super::{Inner, Sales, is_editable, with_qr};
use crate::dto::{Sale, SaleEdit, SaleState};
use crate::error::{Error, Result};
use crate::problem;
use crate::problem::{Problem, ProblemCode};
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
    /// Retrieves a sale that has a transaction and stores the answer; emits when something
    /// changed.
    pub(crate) async fn refresh_record(&self, id: &str) -> Result<Sale> {
        let record = self.load(id)?;
        let Some(session_id) = record.sale.session_id.clone() else {
            return Ok(with_qr(record.sale));
        };
        let session_id = SessionId::parse(session_id)
            .map_err(|e| Error::Internal(format!("stored session id is not usable: {e}")))?;
        let session = self.client.checkout().retrieve(&session_id).await?;
        self.mutate(id, |stored| {
            let changed = apply_session(stored, &session);
            let scheduled = self.schedule_rechecks(stored);
            Ok(changed || scheduled)
        })
        .await
    }

    /// Keeps the re-check schedule in step with the state: a `failed` or `expired` sale is
    /// checked again for a late gateway success for [`RECHECK_GRACE`] with backoff; any other
    /// settled state stops that. Answers whether anything changed.
    pub(crate) fn schedule_rechecks(&self, record: &mut SaleRecord) -> bool {
        let before = (
            record.recheck_until.clone(),
            record.sale.settlement.next_check_at.clone(),
        );
        let clock = &self.options.clock;
        match record.sale.state {
            SaleState::Failed | SaleState::Expired if record.sale.session_id.is_some() => {
                if record.recheck_until.is_none() {
                    record.recheck_until = Some(clock.after(RECHECK_GRACE));
                    record.checks = 0;
                    record.sale.settlement.next_check_at = Some(clock.after(recheck_delay(0)));
                }
            }
            SaleState::Sending | SaleState::Unknown => {}
            _ => record.sale.settlement.next_check_at = None,
        }
        before
            != (
                record.recheck_until.clone(),
                record.sale.settlement.next_check_at.clone(),
            )
    }
}

impl Sales {
    /// Asks the server for the sale's current state now (the same as [`Sales::check`]).
    pub async fn refresh(&self, id: &str) -> Result<Sale> {
        self.check(id).await
    }

    /// Changes the amount or customer details of an unpaid sale (PATCH: same `session_id`, same
    /// link, same QR). Blank fields in `edit` are left as they are.
    pub async fn edit(&self, id: &str, edit: SaleEdit) -> Result<Sale> {
        let record = self.inner.load(id)?;
        if !is_editable(record.sale.state) {
            return Err(Error::WrongState(problem!(
                SaleNotEditable,
                state = record.sale.state
            )));
        }
        let currency = CurrencyCode::parse(&record.sale.currency_code)
            .map_err(|e| Error::Internal(format!("stored currency is not usable: {e}")))?;
        let valid = draft::validate_edit(&edit, &currency)?;
        if record.sale.cart.is_some() {
            return self.edit_invoice(record, valid).await;
        }
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
        self.inner
            .mutate(id, |record| {
                apply_session(record, &session);
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
                self.inner.schedule_rechecks(record);
                Ok(true)
            })
            .await
    }

    /// An itemised sale's edit: Ottu's invoices cannot be changed, so the sale is cancelled (its
    /// link stops working; a cancel that comes too late, e.g. paid meanwhile, stops here) and a
    /// new sale with the same lines, the new customer details and a new order number replaces
    /// it (`settlement.replaces`). The answer is the new sale: its link is new and must be
    /// shared again.
    async fn edit_invoice(&self, record: SaleRecord, valid: draft::ValidEdit) -> Result<Sale> {
        let sale = &record.sale;
        if let Some(amount) = &valid.amount
            && amount.as_str() != sale.amount
        {
            return Err(Error::invalid_field("amount", problem!(InvoiceAmountFixed)));
        }
        let changed = |new: &Option<Option<String>>, old: &Option<String>| {
            new.as_ref().is_some_and(|new| new.is_some() && new != old)
        };
        if !changed(&valid.customer_name, &sale.customer_name)
            && !changed(&valid.customer_phone, &sale.customer_phone)
            && !changed(&valid.customer_email, &sale.customer_email)
        {
            return Ok(with_qr(record.sale));
        }
        let by = sale.created_by.clone();
        self.cancel(&sale.id).await?;
        self.replace_changed(&sale.id, by.as_ref(), |new| {
            for (field, value) in [
                (&mut new.customer_name, valid.customer_name),
                (&mut new.customer_phone, valid.customer_phone),
                (&mut new.customer_email, valid.customer_email),
            ] {
                if let Some(Some(value)) = value {
                    *field = Some(value);
                }
            }
        })
        .await
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
        let record = self.inner.load(id)?;
        if record.sale.state.needs_reconciliation() {
            // A lost create: settling it is what closes any link it may have.
            let settled = self.check(id).await?;
            if settled.state == SaleState::Unknown
                && settled.settlement.can_replace
                && ending == Ending::Cancel
            {
                // Nothing on the server so far; the till keeps cancelling anything that turns
                // up until the horizon, so the sale may be closed now.
                return self
                    .inner
                    .mutate(id, |stored| {
                        stored.sale.problem = Some(problem!(CanceledBeforeLink));
                        Ok(true)
                    })
                    .await;
            }
            if settled.state.needs_reconciliation() {
                return Err(Error::WrongState(problem!(NotCheckedYet)));
            }
            if !is_editable(settled.state) {
                return Ok(settled);
            }
        }
        let record = self.inner.load(id)?;
        if record.sale.state == SaleState::Rejected {
            // Nothing exists server-side: close the sale locally.
            return self
                .inner
                .mutate(id, |stored| {
                    if stored.sale.state != SaleState::Rejected {
                        return Ok(false);
                    }
                    stored.sale.state = ending.state();
                    stored.sale.problem = Some(problem!(NothingCreated));
                    stored.sale.updated_at = now_utc();
                    Ok(true)
                })
                .await;
        }
        if !is_editable(record.sale.state) {
            return Err(Error::WrongState(Problem::new(
                ending.not_open_code(),
                [("state", record.sale.state)],
            )));
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
                return Err(Error::WrongState(Problem::new(
                    ending.too_late_code(),
                    [("state", sale.state)],
                )));
            }
            return Err(Error::from(error));
        }
        let session = self
            .inner
            .client
            .checkout()
            .retrieve(&session_id)
            .await
            .ok();
        self.inner
            .mutate(id, |stored| {
                if let Some(session) = &session {
                    apply_session(stored, session);
                }
                if is_editable(stored.sale.state) {
                    stored.sale.state = ending.state();
                }
                stored.sale.updated_at = now_utc();
                self.inner.schedule_rechecks(stored);
                Ok(true)
            })
            .await
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

    fn not_open_code(self) -> ProblemCode {
        match self {
            Ending::Cancel => ProblemCode::SaleNotCancelable,
            Ending::Expire => ProblemCode::SaleNotExpirable,
        }
    }

    fn too_late_code(self) -> ProblemCode {
        match self {
            Ending::Cancel => ProblemCode::CancelTooLate,
            Ending::Expire => ProblemCode::ExpireTooLate,
        }
    }
}

fn session_id_of(record: &SaleRecord) -> Result<SessionId> {
    let raw = record
        .sale
        .session_id
        .clone()
        .ok_or_else(|| Error::WrongState(problem!(NoPaymentLink)))?;
    SessionId::parse(raw)
        .map_err(|e| Error::Internal(format!("stored session id is not usable: {e}")))
}
