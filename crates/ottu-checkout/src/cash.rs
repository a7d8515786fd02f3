//! The cash acknowledgement: `POST /b/pbl/v2/payment/cash/` (Ottu deprecates its older path
//! `/b/pbl/v2/cash-payment/`; this client calls the new one). It tells Ottu that a created
//! transaction offering a cash gateway was paid in cash; the answer is the payment-webhook
//! body ([`PaymentStatus`]), state `cod` on the local sandbox.
//!
//! Not idempotent in its answer: a second acknowledgement of the same transaction is refused
//! (400 `{"detail", "result": "failed"}`). So the call is sent once (a 429 is waited out like
//! every refusal); when its answer is lost or it is refused, read the transaction
//! ([`Checkout::retrieve`](crate::checkout::Checkout::retrieve)) before concluding: state `cod`
//! means it was acknowledged.

use reqwest::Method;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::client::{Client, Payload};
use crate::error::{Error, Result};
use crate::ids::SessionId;
use crate::inquiry::PaymentStatus;

const CASH_PATH: &str = "b/pbl/v2/payment/cash/";

#[derive(Serialize)]
struct CashRequest<'a> {
    session_id: &'a SessionId,
}

/// Handler for the cash acknowledgement; get one with [`Client::cash`].
#[derive(Debug, Clone, Copy)]
pub struct Cash<'c> {
    client: &'c Client,
}

impl<'c> Cash<'c> {
    pub(crate) fn new(client: &'c Client) -> Self {
        Self { client }
    }

    /// Acknowledges the transaction `session_id` as paid in cash. A refusal (no cash gateway,
    /// a state that does not allow it, already acknowledged) is [`Error::Validation`] with the
    /// server's `detail`; an unknown `session_id` is a field error on `session_id`.
    pub async fn acknowledge(&self, session_id: &SessionId) -> Result<PaymentStatus> {
        let body = serde_json::to_vec(&CashRequest { session_id })
            .map_err(|e| Error::config(format!("cannot serialise the request: {e}")))?;
        let raw: Map<String, Value> = self
            .client
            .send_retrying_refusals(Method::POST, CASH_PATH, &Payload::Json(body), false)
            .await?;
        let text = serde_json::to_vec(&raw).unwrap_or_default();
        let mut status: PaymentStatus = crate::client::decode_json(200, &text)?;
        status.raw = raw;
        Ok(status)
    }
}
