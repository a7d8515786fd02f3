//! Payment status query: `POST /b/pbl/v2/inquiry/`, and [`PaymentStatus`], the webhook-shaped
//! body it (and the payment webhook) carries.
//!
//! It is the only documented way to find a transaction by `order_no`, which is how a create
//! that ended in [`Error::Ambiguous`] is reconciled. Ottu throttles it: no answer in the first
//! 10 minutes after the transaction's creation, then one call per 30 minutes, 3 in total, and
//! 30 calls a minute per merchant. A refusal is [`Error::Throttled`] (from a `429`, or from a
//! `400`/`200` saying "throttled": Ottu documents no status), with the wait when the server
//! gave one. The client repeats a call only after a `429` whose `Retry-After` is within its
//! [`RetryPolicy`](crate::RetryPolicy)'s `max_backoff` (a refused call was not answered);
//! anything longer comes back at once for the caller to schedule. Use retrieve for live
//! state.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::checkout::types::{PaymentState, PaymentType};
use crate::client::{Client, Payload};
use crate::de;
use crate::error::{Error, FieldErrors, Result};
use crate::ids::{OrderNo, SessionId};
use crate::money::{Amount, CurrencyCode};
use crate::operations::OperationTarget;

const INQUIRY_PATH: &str = "b/pbl/v2/inquiry/";

crate::checkout::types::server_enum!(
    /// `result` of the latest payment attempt.
    AttemptResult {
        /// `pending`.
        Pending => "pending",
        /// `success`.
        Success => "success",
        /// `failed`.
        Failed => "failed",
        /// `canceled`.
        Canceled => "canceled",
        /// `error`.
        Error => "error",
        /// `cod`.
        Cod => "cod",
    }
);

/// A payment result as Ottu reports it in webhooks and inquiry answers (`SchemaWebhook`).
///
/// The commonly used keys are typed (absent, `null` and `""` read as `None`); `raw` keeps the
/// whole object, which is what the webhook signature is computed over.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct PaymentStatus {
    /// The transaction.
    #[serde(default, deserialize_with = "de::opt")]
    pub session_id: Option<SessionId>,
    /// Merchant reference.
    #[serde(default, deserialize_with = "de::opt")]
    pub order_no: Option<OrderNo>,
    /// Transaction state.
    #[serde(default, deserialize_with = "de::opt")]
    pub state: Option<PaymentState>,
    /// Result of the latest attempt.
    #[serde(default, deserialize_with = "de::opt")]
    pub result: Option<AttemptResult>,
    /// Amount (without fees).
    #[serde(default, deserialize_with = "de::opt")]
    pub amount: Option<Amount>,
    /// Currency.
    #[serde(default, deserialize_with = "de::opt")]
    pub currency_code: Option<CurrencyCode>,
    /// Amount paid so far.
    #[serde(default, deserialize_with = "de::opt")]
    pub paid_amount: Option<Amount>,
    /// Fee with the currency appended, e.g. `"0.250 KWD"`.
    #[serde(default, deserialize_with = "de::opt")]
    pub fee: Option<String>,
    /// Gateway reference of the attempt.
    #[serde(default, deserialize_with = "de::opt")]
    pub reference_number: Option<String>,
    /// The pg_code used.
    #[serde(default, deserialize_with = "de::opt")]
    pub gateway_account: Option<String>,
    /// Gateway family, e.g. `knet`.
    #[serde(default, deserialize_with = "de::opt")]
    pub gateway_name: Option<String>,
    /// Payment type.
    #[serde(default, deserialize_with = "de::opt")]
    pub payment_type: Option<PaymentType>,
    /// Human-readable message.
    #[serde(default, deserialize_with = "de::opt")]
    pub message: Option<String>,
    /// `YYYY-MM-DD HH:MM:SS` (UTC).
    #[serde(default, deserialize_with = "de::opt")]
    pub timestamp_utc: Option<String>,
    /// Whether a sandbox gateway was used.
    #[serde(default, deserialize_with = "de::opt")]
    pub is_sandbox: Option<bool>,
    /// HMAC signature (see [`webhook`](crate::webhook)).
    #[serde(default, deserialize_with = "de::opt")]
    pub signature: Option<String>,
    /// The whole object as received.
    #[serde(skip)]
    pub raw: Map<String, Value>,
}

impl PaymentStatus {
    /// Reads a status object, keeping the raw map.
    pub fn from_map(raw: Map<String, Value>) -> std::result::Result<Self, serde_json::Error> {
        let mut status: PaymentStatus = serde_json::from_value(Value::Object(raw.clone()))?;
        status.raw = raw;
        Ok(status)
    }
}

impl Serialize for PaymentStatus {
    /// Serialises the object as received.
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.raw.serialize(s)
    }
}

#[derive(Serialize)]
struct InquiryRequest<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    session_id: Option<&'a SessionId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    order_no: Option<&'a OrderNo>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    notify_webhook_url: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    webhook_url: Option<&'a str>,
}

/// Handler for the payment status query; get one with [`Client::inquiry`].
#[derive(Debug, Clone, Copy)]
pub struct Inquiry<'c> {
    client: &'c Client,
}

impl<'c> Inquiry<'c> {
    pub(crate) fn new(client: &'c Client) -> Self {
        Self { client }
    }

    /// Asks for the status of the transaction with this `session_id` or `order_no`. A 404 means
    /// no such transaction ([`Error::NotFound`]); a throttled call is [`Error::Throttled`].
    /// Repeated only after a short `Retry-After` (see the module docs).
    pub async fn status(&self, target: impl Into<OperationTarget>) -> Result<PaymentStatus> {
        self.send(&target.into(), false, None).await
    }

    /// Like [`Inquiry::status`], and also has Ottu post the result to the transaction's webhook
    /// (or to `webhook_url`, at most 200 characters).
    pub async fn status_and_notify(
        &self,
        target: impl Into<OperationTarget>,
        webhook_url: Option<&str>,
    ) -> Result<PaymentStatus> {
        if let Some(url) = webhook_url {
            let mut errors = FieldErrors::new();
            crate::checkout::validate::url(&mut errors, "webhook_url", &Some(url.to_owned()));
            if url.chars().count() > 200 {
                errors.add(
                    "webhook_url",
                    "Ensure this field has no more than 200 characters.",
                );
            }
            if !errors.is_empty() {
                return Err(Error::local(errors));
            }
        }
        self.send(&target.into(), true, webhook_url).await
    }

    async fn send(
        &self,
        target: &OperationTarget,
        notify_webhook_url: bool,
        webhook_url: Option<&str>,
    ) -> Result<PaymentStatus> {
        let (session_id, order_no) = match target {
            OperationTarget::SessionId(id) => (Some(id), None),
            OperationTarget::OrderNo(no) => (None, Some(no)),
        };
        let body = serde_json::to_vec(&InquiryRequest {
            session_id,
            order_no,
            notify_webhook_url,
            webhook_url,
        })
        .map_err(|e| Error::config(format!("cannot serialise the request: {e}")))?;
        let raw: Map<String, Value> = self
            .client
            .send_retrying_refusals(Method::POST, INQUIRY_PATH, &Payload::Json(body), true)
            .await
            .map_err(Error::into_inquiry_error)?;
        if raw.get("result").and_then(Value::as_str) == Some("failed")
            && raw.get("session_id").is_none()
        {
            // `{"detail", "result": "failed"}` with 200 is a refusal, not a payment result.
            let text = serde_json::to_string(&raw).unwrap_or_default();
            return Err(
                match Error::from_status(400, &text, None).into_inquiry_error() {
                    Error::Throttled {
                        retry_after, body, ..
                    } => Error::Throttled {
                        status: 200,
                        retry_after,
                        body,
                    },
                    other => other,
                },
            );
        }
        let text = serde_json::to_vec(&raw).unwrap_or_default();
        let mut status: PaymentStatus = crate::client::decode_json(200, &text)?;
        status.raw = raw;
        Ok(status)
    }
}
