//! Webhook delivery (digest §13): a POST of the signed payment payload to the transaction's
//! `webhook_url` after each payer-driven change, and of the signed operation payload (§13.3,
//! the `ExternalOperation` body) after each refund, capture or void and each queued refund's
//! outcome. Each attempt has a timeout (15 s by
//! default); only timeouts are retried (3 times, backoff 5 s × 2^n by default); any answer,
//! even a 500, ends the delivery. Every attempt goes to the delivery log.

use serde_json::{Map, Value};
use tokio::task::JoinHandle;

use crate::config::WebhookSettings;
use crate::model::{Child, Txn};
use crate::state::AppState;
use crate::store::NewDelivery;

/// HTTP client for deliveries.
#[derive(Debug, Clone)]
pub struct WebhookClient {
    http: reqwest::Client,
    settings: WebhookSettings,
}

/// How a delivery ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// No `webhook_url` (and no instance default): nothing sent.
    NotConfigured,
    /// The receiver answered with this status.
    Answered(u16),
    /// Every attempt timed out.
    TimedOut,
    /// The connection failed (not retried).
    Failed,
}

impl WebhookClient {
    /// A client with the given settings.
    pub fn new(settings: WebhookSettings) -> Self {
        let http = reqwest::Client::builder()
            .user_agent("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 ottu-sandbox")
            .danger_accept_invalid_certs(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("a reqwest client with rustls builds");
        Self { http, settings }
    }
}

/// Sends the payment webhook for `txn` in the background; the handle yields how it ended.
/// The payload (with the children's totals) is built when the task starts.
pub fn dispatch(state: &AppState, txn: &Txn, target: Option<String>) -> JoinHandle<Delivery> {
    let url = target_url(state, txn, target);
    let state = state.clone();
    let txn = txn.clone();
    tokio::spawn(async move {
        let Some(url) = url else {
            return Delivery::NotConfigured;
        };
        let children = match state.store.children(txn.session_id.clone()).await {
            Ok(children) => children,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read child transactions for a webhook");
                Vec::new()
            }
        };
        let payload =
            crate::render::webhook_payload(&state, &txn, &children, state.clock.now_unix());
        let logged = Logged {
            event: "payment",
            session_id: txn.session_id.clone(),
            state: txn.state.as_str().to_owned(),
        };
        deliver(&state, url, logged, payload).await
    })
}

/// Sends the operation webhook (§13.3) for `child` of `parent` in the background: the
/// external-operation body of [`crate::render::external_operation`], signed.
pub fn dispatch_operation(state: &AppState, parent: &Txn, child: &Child) -> JoinHandle<Delivery> {
    let url = target_url(state, parent, None);
    let payload = crate::render::external_operation(state, parent, child, state.clock.now_unix());
    let state = state.clone();
    let logged = Logged {
        event: "operation",
        session_id: parent.session_id.clone(),
        state: child.state.as_str().to_owned(),
    };
    tokio::spawn(async move {
        let Some(url) = url else {
            return Delivery::NotConfigured;
        };
        deliver(&state, url, logged, payload).await
    })
}

fn target_url(state: &AppState, txn: &Txn, target: Option<String>) -> Option<String> {
    target
        .or_else(|| txn.checkout.webhook_url().map(str::to_owned))
        .or_else(|| state.config.merchant.default_webhook_url.clone())
}

/// What the delivery log records beside each attempt.
struct Logged {
    event: &'static str,
    session_id: String,
    state: String,
}

async fn deliver(state: &AppState, url: String, logged: Logged, payload: Value) -> Delivery {
    let client = &state.webhooks;
    let body = payload.to_string();
    let attempts = client.settings.retries + 1;
    for attempt in 1..=attempts {
        let sent = client
            .http
            .post(&url)
            .timeout(client.settings.timeout)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.clone())
            .send()
            .await;
        let (outcome, status, error, delivery) = match sent {
            Ok(response) => {
                let code = response.status().as_u16();
                let outcome = if response.status().is_success() {
                    "delivered"
                } else {
                    "rejected"
                };
                (outcome, Some(code), None, Some(Delivery::Answered(code)))
            }
            Err(e) if e.is_timeout() => ("timeout", None, Some("timed out".to_owned()), None),
            Err(e) => ("error", None, Some(error_chain(&e)), Some(Delivery::Failed)),
        };
        let logged = state
            .store
            .log_delivery(NewDelivery {
                event: logged.event,
                session_id: logged.session_id.clone(),
                url: url.clone(),
                state: logged.state.clone(),
                payload: body.clone(),
                attempt,
                status,
                outcome,
                error,
                at: state.clock.now_unix(),
            })
            .await;
        if let Err(e) = logged {
            tracing::warn!(error = %e, "cannot log a webhook delivery");
        }
        if let Some(delivery) = delivery {
            return delivery;
        }
        if attempt < attempts {
            let factor = 2u32.saturating_pow(attempt - 1);
            tokio::time::sleep(client.settings.backoff.saturating_mul(factor)).await;
        }
    }
    Delivery::TimedOut
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// The subscription/auto-debit signature form (ottu-py ≥ 1.10): the standard keys plus
/// nested ones, `path=value` parts sorted and joined with `\n`. Kept for receivers that
/// verify with it; the sandbox signs with the standard form.
pub fn sign_extended(payload: &Map<String, Value>, key: &str) -> String {
    use hmac::{Hmac, Mac};
    const EXTRA: [&str; 8] = [
        "agreement.id",
        "extra.autopay.subscription_id",
        "extra.merchant_id",
        "payment_type",
        "session_id",
        "token.customer_id",
        "token.pg_code",
        "token.token",
    ];
    let mut paths: Vec<&str> = crate::render::SIGNED_KEYS
        .iter()
        .chain(EXTRA.iter())
        .copied()
        .collect();
    paths.sort_unstable();
    let lookup = |path: &str| -> Option<String> {
        let mut current: Option<&Value> = None;
        for (i, part) in path.split('.').enumerate() {
            current = if i == 0 {
                payload.get(part)
            } else {
                current?.get(part)
            };
        }
        match current? {
            Value::Null => None,
            Value::String(s) if s.is_empty() => None,
            Value::String(s) => Some(s.clone()),
            other => Some(other.to_string()),
        }
    };
    let message: Vec<String> = paths
        .iter()
        .filter_map(|p| lookup(p).map(|v| format!("{p}={v}")))
        .collect();
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes()).expect("any key length");
    mac.update(message.join("\n").as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_subscription_signature_vector_passes() {
        let payload = json!({"amount": "100.000", "result": "success", "session_id": "sess-1",
            "token": {"token": "tok-1"}, "state": ""});
        assert_eq!(
            sign_extended(payload.as_object().unwrap(), "test-key"),
            "46ba93a62680c8750567583bb8074e37ccaadc6f374268b78a0c574c8424baff"
        );
    }
}
