//! Reconciliation: settling sales whose create outcome is unknown, by their `order_no`.
//!
//! A sale is `sending` (the app stopped mid-request) or `unknown` (the answer was lost). The
//! server is asked which transactions carry the sale's `order_no`:
//! - none: nothing was created; the sale becomes `rejected` with a problem saying so, and
//!   [`Sales::retry`] may send the same request (same `order_no`) on purpose;
//! - one: it is adopted (session id, links, state) as if the create had answered;
//! - several (only possible if a request was sent twice): the one furthest along (paid before
//!   pending before created; oldest first) is adopted and every other still-open one is
//!   cancelled, so a sale never has two live payment links.
//!
//! How the server is asked is [`OrderLookup`]: Ottu's payment status query
//! (`POST /b/pbl/v2/inquiry/` with `order_no`; it returns one transaction), or, for the embedded
//! sandbox, its control route `GET /_sandbox/sessions?order_no=` (which lists all of them).

use std::cmp::Reverse;

use ottu_checkout::OrderNo;
use ottu_checkout::checkout::CheckoutSession;
use serde_json::Value;

use super::Sales;
use super::actions::apply_session;
use crate::dto::{Sale, SaleState};
use crate::error::{Error, Result};
use crate::store::now_utc;

/// How transactions are found by `order_no` on the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum OrderLookup {
    /// Ottu's payment status query, `POST /b/pbl/v2/inquiry/` by `order_no` (the real API; finds
    /// one transaction). Needs the `payment.inquiry` permission for Basic users.
    #[default]
    Inquiry,
    /// The local sandbox's `GET /_sandbox/sessions?order_no=` (demo profile, tests).
    SandboxControl,
    /// No lookup: unknown sales stay `unknown` until checked on the dashboard.
    Unavailable,
}

impl Sales {
    /// Reconciles every `sending`/`unknown` sale of the profile (call once at start-up).
    /// Returns the sales after the attempt; a sale that could not be checked stays as it was,
    /// with a `problem` saying why.
    pub async fn reconcile_pending(&self) -> Result<Vec<Sale>> {
        let pending = self.inner.store.in_states(
            &self.inner.profile_id,
            &[SaleState::Sending, SaleState::Unknown],
        )?;
        let mut out = Vec::with_capacity(pending.len());
        for record in pending {
            match self.reconcile(&record.sale.id).await {
                Ok(sale) => out.push(sale),
                Err(_) => out.push(self.get(&record.sale.id).await?),
            }
        }
        Ok(out)
    }

    /// Settles one `sending`/`unknown` sale by asking the server for its `order_no`.
    /// Other sales come back unchanged.
    pub async fn reconcile(&self, id: &str) -> Result<Sale> {
        let inner = &self.inner;
        let record = inner.load(id)?;
        if !record.sale.state.needs_reconciliation() || inner.is_in_flight(id) {
            return self.get(id).await;
        }
        let found = match self.find_by_order_no(&record.sale.order_no).await {
            Ok(found) => found,
            Err(error) => {
                let _guard = inner.write_lock.lock().await;
                let mut record = inner.load(id)?;
                record.sale.problem = Some(format!(
                    "could not check the payment server for this sale yet: {error}"
                ));
                record.sale.updated_at = now_utc();
                inner.save_and_emit(&record)?;
                return Err(error);
            }
        };

        let mut sessions = found;
        // Furthest along first; among equals the oldest (lookup order) stays first.
        sessions.sort_by_key(|s| Reverse(progress(s)));
        let mut orphans_left = Vec::new();
        if sessions.len() > 1 {
            for orphan in &sessions[1..] {
                let open = orphan
                    .state
                    .and_then(|s| SaleState::parse(s.as_str()))
                    .is_some_and(SaleState::is_open);
                if open
                    && inner
                        .client
                        .operations()
                        .cancel(orphan.session_id.clone())
                        .await
                        .is_err()
                {
                    orphans_left.push(orphan.session_id.to_string());
                }
            }
        }

        let _guard = inner.write_lock.lock().await;
        let mut record = inner.load(id)?;
        if !record.sale.state.needs_reconciliation() {
            return Ok(super::with_qr(record.sale));
        }
        match sessions.first() {
            None => {
                record.sale.state = SaleState::Rejected;
                record.sale.problem = Some(
                    "the payment server has no transaction for this sale, so nothing was created: retry to send it again"
                        .into(),
                );
                record.sale.updated_at = now_utc();
            }
            Some(best) => {
                // The lookup may omit the short link; the full transaction has what was stored.
                let full = inner
                    .client
                    .checkout()
                    .retrieve(&best.session_id)
                    .await
                    .unwrap_or_else(|_| best.clone());
                apply_session(&mut record, &full);
                if !orphans_left.is_empty() {
                    record.sale.problem = Some(format!(
                        "a second payment link exists for this sale and could not be cancelled ({}): cancel it on the dashboard",
                        orphans_left.join(", ")
                    ));
                }
                record.sale.updated_at = now_utc();
            }
        }
        inner.save_and_emit(&record)
    }

    /// Every transaction the server has with `order_no` (oldest first where the lookup says).
    async fn find_by_order_no(&self, order_no: &str) -> Result<Vec<CheckoutSession>> {
        let inner = &self.inner;
        let base = inner
            .client
            .base_url()
            .as_str()
            .trim_end_matches('/')
            .to_owned();
        match &inner.options.order_lookup {
            OrderLookup::Unavailable => Err(Error::NotConfigured(
                "this connection cannot look sales up by order number: check the sale on the Ottu dashboard"
                    .into(),
            )),
            OrderLookup::SandboxControl => {
                let response = inner
                    .http
                    .get(format!("{base}/_sandbox/sessions"))
                    .query(&[("order_no", order_no)])
                    .send()
                    .await
                    .map_err(network)?;
                if !response.status().is_success() {
                    return Err(Error::Network {
                        detail: format!("the lookup answered {}", response.status()),
                    });
                }
                let body: Value = response.json().await.map_err(network)?;
                let sessions = body["sessions"].as_array().cloned().unwrap_or_default();
                Ok(sessions
                    .into_iter()
                    .filter_map(|s| serde_json::from_value::<CheckoutSession>(s).ok())
                    .filter(|s| s.order_no.as_ref().is_some_and(|o| o.as_str() == order_no))
                    .collect())
            }
            OrderLookup::Inquiry => {
                let order_no = OrderNo::parse(order_no)
                    .map_err(|e| Error::Internal(format!("stored order number unusable: {e}")))?;
                let status = match inner.client.inquiry().status(order_no).await {
                    Ok(status) => status,
                    // 404: no transaction carries this order number.
                    Err(ottu_checkout::Error::NotFound { .. }) => return Ok(Vec::new()),
                    // Anything else (400 "throttled", 5xx, timeout) is not proof of absence.
                    Err(error) => return Err(Error::from(error)),
                };
                let Some(session_id) = status.session_id else {
                    return Ok(Vec::new());
                };
                Ok(vec![inner.client.checkout().retrieve(&session_id).await?])
            }
        }
    }
}

/// How far a transaction got: a paid one is kept over an open one, an open one over a dead one.
fn progress(session: &CheckoutSession) -> u8 {
    match session.state.and_then(|s| SaleState::parse(s.as_str())) {
        Some(SaleState::Paid | SaleState::Authorized | SaleState::Cod | SaleState::Refunded) => 4,
        Some(SaleState::Attempted) => 3,
        Some(SaleState::Pending) => 2,
        Some(SaleState::Created) => 1,
        _ => 0,
    }
}

fn network(error: reqwest::Error) -> Error {
    Error::Network {
        detail: if error.is_timeout() {
            "the lookup timed out".into()
        } else if error.is_connect() {
            "could not connect for the lookup".into()
        } else {
            "the lookup failed".into()
        },
    }
}
