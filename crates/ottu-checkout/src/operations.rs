//! Operations through `POST /b/pbl/v2/operation/`: internal (cancel, expire) and external
//! (refund, capture, void; CHECKOUT_API.md §15).
//!
//! External operations answer an [`ExternalOperation`]: the child transaction they made
//! (`txn`) and a `result` of `success`, `queued` (the gateway will answer later; an operation
//! webhook follows) or `rejected`, all returned as values. A refusal (wrong state, amount
//! above what is left, operation the gateway does not support) is an error
//! ([`Error::Validation`] with the server's `detail`).
//!
//! **`Tracking-Key`**: pass one per intended operation (e.g. a UUID stored with the refund
//! before sending). With it the call is retried like the idempotent ones, since the server
//! answers a repeated key with the original operation's latest status instead of acting
//! twice; reusing a key for another transaction, operation or amount is refused (the local
//! sandbox answers 409). Without it the call is sent once (a 429 is still waited out): a lost
//! answer may hide a done refund.
//!
//! Both are internal operations with a fixed target state (`canceled`, `expired`), so they are
//! retried on timeouts, transport errors, 5xx and 429 like the other idempotent calls. If an
//! earlier attempt was applied but its answer lost, the retry is refused with a 400
//! `{"detail", "operation", "result": "failed"}` (wrong state): confirm with
//! [`Checkout::retrieve`](crate::checkout::Checkout::retrieve) before reporting a failure.

use reqwest::Method;
use serde::{Deserialize, Serialize};

use crate::checkout::types::server_enum;
use crate::client::{Client, Payload};
use crate::de;
use crate::error::{Error, Result};
use crate::ids::{OrderNo, SessionId};
use crate::money::{Amount, CurrencyCode};
use serde_json::{Map, Value};

const OPERATION_PATH: &str = "b/pbl/v2/operation/";

server_enum!(
    /// `operation` of the operations API.
    OperationKind {
        /// `delete`.
        Delete => "delete",
        /// `cancel`: `created`/`pending`/`attempted`/`cod` → `canceled`.
        Cancel => "cancel",
        /// `expire`: `created`/`pending`/`attempted` → `expired`.
        Expire => "expire",
        /// `refund`.
        Refund => "refund",
        /// `capture`.
        Capture => "capture",
        /// `void`.
        Void => "void",
        /// `operation_tracking`.
        OperationTracking => "operation_tracking",
    }
);

server_enum!(
    /// `result` of an operation.
    OperationResult {
        /// `success`.
        Success => "success",
        /// `failed`.
        Failed => "failed",
        /// `queued` (external operations).
        Queued => "queued",
        /// `rejected` (external operations).
        Rejected => "rejected",
    }
);

server_enum!(
    /// `state` of a child transaction (`ChildPayment.state`).
    ChildState {
        /// `paid`: a capture.
        Paid => "paid",
        /// `refunded`.
        Refunded => "refunded",
        /// `refund_queued`: the gateway has not answered yet.
        RefundQueued => "refund_queued",
        /// `refund_rejected`.
        RefundRejected => "refund_rejected",
        /// `voided`.
        Voided => "voided",
    }
);

/// A child transaction (`txn` of an external operation, items of `transactions` in
/// [`PaymentStatus`](crate::inquiry::PaymentStatus)).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ChildTransaction {
    /// The child's own `session_id`.
    #[serde(default, deserialize_with = "de::opt")]
    pub session_id: Option<SessionId>,
    /// Its amount.
    #[serde(default, deserialize_with = "de::opt")]
    pub amount: Option<Amount>,
    /// Currency (the parent's).
    #[serde(default, deserialize_with = "de::opt")]
    pub currency_code: Option<CurrencyCode>,
    /// The parent's `order_no`.
    #[serde(default, deserialize_with = "de::opt")]
    pub order_no: Option<String>,
    /// Its state.
    #[serde(default, deserialize_with = "de::opt")]
    pub state: Option<ChildState>,
}

/// The answer to `refund`, `capture` and `void` (Ottu's `ExternalOperation`), also the body of
/// operation webhooks. Unknown keys are kept in `raw` (which the signature covers).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct ExternalOperation {
    /// Which operation.
    #[serde(default, deserialize_with = "de::opt")]
    pub operation: Option<OperationKind>,
    /// `success`, `queued` or `rejected`.
    #[serde(default, deserialize_with = "de::opt")]
    pub result: Option<OperationResult>,
    /// Whether it succeeded (`false` for queued and rejected ones).
    #[serde(default, deserialize_with = "de::opt")]
    pub success: Option<bool>,
    /// The amount operated on.
    #[serde(default, deserialize_with = "de::opt")]
    pub amount: Option<Amount>,
    /// The parent transaction.
    #[serde(default, deserialize_with = "de::opt")]
    pub session_id: Option<SessionId>,
    /// The parent's `order_no`.
    #[serde(default, deserialize_with = "de::opt")]
    pub order_no: Option<String>,
    /// The gateway that performed it.
    #[serde(default, deserialize_with = "de::opt")]
    pub pg_code: Option<String>,
    /// Ottu's reference for this operation.
    #[serde(default, deserialize_with = "de::opt")]
    pub reference_number: Option<String>,
    /// `input` (API call) or `pg` (gateway dashboard, webhooks only).
    #[serde(default, deserialize_with = "de::opt")]
    pub source: Option<String>,
    /// The child transaction it made.
    #[serde(default, deserialize_with = "de::opt")]
    pub txn: Option<ChildTransaction>,
    /// `YYYY-MM-DD HH:MM:SS` (UTC).
    #[serde(default, deserialize_with = "de::opt")]
    pub timestamp_utc: Option<String>,
    /// HMAC signature (see [`webhook`](crate::webhook)).
    #[serde(default, deserialize_with = "de::opt")]
    pub signature: Option<String>,
    /// The whole object as received.
    #[serde(skip)]
    pub raw: Map<String, Value>,
}

impl ExternalOperation {
    /// Reads an operation object (an answer or an operation webhook), keeping the raw map.
    pub fn from_map(raw: Map<String, Value>) -> std::result::Result<Self, serde_json::Error> {
        let mut op: ExternalOperation = serde_json::from_value(Value::Object(raw.clone()))?;
        op.raw = raw;
        Ok(op)
    }
}

impl Serialize for ExternalOperation {
    /// Serialises the object as received.
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.raw.serialize(s)
    }
}

#[derive(Serialize)]
struct ExternalRequest<'a> {
    operation: OperationKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    session_id: Option<&'a SessionId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    order_no: Option<&'a OrderNo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    amount: Option<&'a Amount>,
}

/// The transaction an operation applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OperationTarget {
    /// By `session_id` (preferred).
    SessionId(SessionId),
    /// By `order_no`.
    OrderNo(OrderNo),
}

impl From<SessionId> for OperationTarget {
    fn from(id: SessionId) -> Self {
        Self::SessionId(id)
    }
}

impl From<OrderNo> for OperationTarget {
    fn from(no: OrderNo) -> Self {
        Self::OrderNo(no)
    }
}

#[derive(Serialize)]
struct OperationRequest<'a> {
    operation: OperationKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    session_id: Option<&'a SessionId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    order_no: Option<&'a OrderNo>,
}

/// The answer to an internal operation: `{"detail", "operation", "result"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OperationOutcome {
    /// Human-readable text.
    #[serde(default, deserialize_with = "de::opt")]
    pub detail: Option<String>,
    /// Which operation ran.
    #[serde(default, deserialize_with = "de::opt")]
    pub operation: Option<OperationKind>,
    /// `success` (a failure comes back as an error instead).
    #[serde(default, deserialize_with = "de::opt")]
    pub result: Option<OperationResult>,
}

/// Handler for operations; get one with [`Client::operations`].
#[derive(Debug, Clone, Copy)]
pub struct Operations<'c> {
    client: &'c Client,
}

impl<'c> Operations<'c> {
    pub(crate) fn new(client: &'c Client) -> Self {
        Self { client }
    }

    /// Cancels an unpaid transaction (`{"operation": "cancel", "session_id"|"order_no": …}`).
    pub async fn cancel(&self, target: impl Into<OperationTarget>) -> Result<OperationOutcome> {
        self.run(OperationKind::Cancel, &target.into()).await
    }

    /// Expires an unpaid transaction (`{"operation": "expire", …}`).
    pub async fn expire(&self, target: impl Into<OperationTarget>) -> Result<OperationOutcome> {
        self.run(OperationKind::Expire, &target.into()).await
    }

    /// Refunds a paid transaction: `amount` (partial) or, with `None`, what is left to refund.
    /// See the module documentation for `tracking_key`.
    pub async fn refund(
        &self,
        target: impl Into<OperationTarget>,
        amount: Option<Amount>,
        tracking_key: Option<&str>,
    ) -> Result<ExternalOperation> {
        self.external(
            OperationKind::Refund,
            &target.into(),
            amount.as_ref(),
            tracking_key,
        )
        .await
    }

    /// Captures an authorized transaction: `amount` (partial) or, with `None`, what is left.
    pub async fn capture(
        &self,
        target: impl Into<OperationTarget>,
        amount: Option<Amount>,
        tracking_key: Option<&str>,
    ) -> Result<ExternalOperation> {
        self.external(
            OperationKind::Capture,
            &target.into(),
            amount.as_ref(),
            tracking_key,
        )
        .await
    }

    /// Voids an authorized transaction (always the full amount; never after a capture).
    pub async fn void(
        &self,
        target: impl Into<OperationTarget>,
        tracking_key: Option<&str>,
    ) -> Result<ExternalOperation> {
        self.external(OperationKind::Void, &target.into(), None, tracking_key)
            .await
    }

    async fn external(
        &self,
        operation: OperationKind,
        target: &OperationTarget,
        amount: Option<&Amount>,
        tracking_key: Option<&str>,
    ) -> Result<ExternalOperation> {
        let (session_id, order_no) = match target {
            OperationTarget::SessionId(id) => (Some(id), None),
            OperationTarget::OrderNo(no) => (None, Some(no)),
        };
        if let Some(key) = tracking_key
            && (key.trim().is_empty() || !key.bytes().all(|b| b.is_ascii_graphic() || b == b' '))
        {
            return Err(Error::config(
                "a Tracking-Key must be non-blank visible ASCII".to_owned(),
            ));
        }
        let body = serde_json::to_vec(&ExternalRequest {
            operation,
            session_id,
            order_no,
            amount,
        })
        .map_err(|e| Error::config(format!("cannot serialise the request: {e}")))?;
        let payload = Payload::Json(body);
        let raw: Map<String, Value> = match tracking_key {
            Some(key) => {
                let headers = [("Tracking-Key", key.trim().to_owned())];
                self.client
                    .send_idempotent(Method::POST, OPERATION_PATH, &payload, &headers)
                    .await?
            }
            None => {
                self.client
                    .send_retrying_refusals(Method::POST, OPERATION_PATH, &payload, false)
                    .await?
            }
        };
        let text = Value::Object(raw.clone()).to_string();
        let typed: ExternalOperation = serde_path_to_error::deserialize(Value::Object(raw.clone()))
            .map_err(|e| Error::Decode {
                status: 200,
                path: e.path().to_string(),
                message: e.inner().to_string(),
                body_snippet: text.chars().take(300).collect(),
            })?;
        let outcome = ExternalOperation {
            raw: raw.clone(),
            ..typed
        };
        if outcome.result == Some(OperationResult::Failed) {
            // A 200 that reports failure is still a refusal.
            return Err(Error::from_status(
                400,
                &Value::Object(raw).to_string(),
                None,
            ));
        }
        Ok(outcome)
    }

    async fn run(
        &self,
        operation: OperationKind,
        target: &OperationTarget,
    ) -> Result<OperationOutcome> {
        let (session_id, order_no) = match target {
            OperationTarget::SessionId(id) => (Some(id), None),
            OperationTarget::OrderNo(no) => (None, Some(no)),
        };
        let body = serde_json::to_vec(&OperationRequest {
            operation,
            session_id,
            order_no,
        })
        .map_err(|e| Error::config(format!("cannot serialise the request: {e}")))?;
        let outcome: OperationOutcome = self
            .client
            .send_idempotent(Method::POST, OPERATION_PATH, &Payload::Json(body), &[])
            .await?;
        if outcome.result == Some(OperationResult::Failed) {
            // A 200 that reports failure is still a refusal.
            let raw = serde_json::to_string(&outcome).unwrap_or_default();
            return Err(Error::from_status(400, &raw, None));
        }
        Ok(outcome)
    }
}
