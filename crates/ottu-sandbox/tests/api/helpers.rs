//! Shared helpers for the integration tests.

use serde_json::Value;

pub use ottu_sandbox::test_support::{
    TEST_WEBHOOK_KEY, TestSandbox, spawn_sandbox, spawn_sandbox_with,
};

/// Sends `method path` with the API key and optional JSON body; returns status and JSON.
pub async fn call(
    sandbox: &TestSandbox,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    call_as(sandbox, &sandbox.api_key_header(), method, path, body).await
}

/// Like [`call`] with an explicit `Authorization` header.
pub async fn call_as(
    sandbox: &TestSandbox,
    auth: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("a method");
    let mut request = sandbox
        .http
        .request(method, format!("{}{path}", sandbox.base_url()));
    if !auth.is_empty() {
        request = request.header("Authorization", auth);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("request sent");
    let status = response.status().as_u16();
    let text = response.text().await.expect("a body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// A local webhook receiver that records every body and answers `status`.
#[derive(Debug, Clone)]
pub struct Receiver {
    pub url: String,
    pub bodies: std::sync::Arc<std::sync::Mutex<Vec<Value>>>,
}

/// Starts a receiver answering `status` after `delay`.
pub async fn webhook_receiver(status: u16, delay: std::time::Duration) -> Receiver {
    use axum::routing::post;
    let bodies = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let recorded = bodies.clone();
    let app = axum::Router::new().route(
        "/hook",
        post(move |axum::Json(body): axum::Json<Value>| {
            let recorded = recorded.clone();
            async move {
                recorded.lock().unwrap().push(body);
                tokio::time::sleep(delay).await;
                axum::http::StatusCode::from_u16(status).unwrap()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Receiver { url, bodies }
}

/// Recomputes the standard webhook signature (digest §13.2) independently of the sandbox.
pub fn expected_signature(payload: &Value, key: &str) -> String {
    use hmac::{Hmac, Mac};
    let keys = [
        "amount",
        "currency_code",
        "customer_address_city",
        "customer_address_country",
        "customer_address_line1",
        "customer_address_line2",
        "customer_address_postal_code",
        "customer_address_state",
        "customer_email",
        "customer_first_name",
        "customer_last_name",
        "customer_phone",
        "gateway_account",
        "gateway_name",
        "order_no",
        "reference_number",
        "result",
        "state",
    ];
    let mut message = String::new();
    for k in keys {
        if let Some(Value::String(v)) = payload.get(k)
            && !v.is_empty()
        {
            message.push_str(k);
            message.push_str(v);
        }
    }
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(message.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}
