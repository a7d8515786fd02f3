//! Retrieve: `GET /b/checkout/v1/pymt-txn/{session_id}/`.

use reqwest::Method;

use crate::client::Payload;
use crate::error::Result;
use crate::ids::SessionId;

use super::types::CheckoutSession;
use super::{Checkout, session_path};

impl Checkout<'_> {
    /// Reads a transaction's current state. Retried on timeouts, transport errors, 5xx and 429
    /// according to the client's [`RetryPolicy`](crate::RetryPolicy).
    pub async fn retrieve(&self, session_id: &SessionId) -> Result<CheckoutSession> {
        self.client
            .send_idempotent(Method::GET, &session_path(session_id), &Payload::Empty, &[])
            .await
    }
}
