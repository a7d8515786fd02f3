//! Cancel and expire through `POST /b/pbl/v2/operation/`.
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
