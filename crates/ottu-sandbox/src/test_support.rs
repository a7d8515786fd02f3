//! `spawn_sandbox()`: a sandbox on a random port with a temporary SQLite file and a seeded
//! merchant, plus payer and clock helpers. For tests of this and other crates
//! (`features = ["test-support"]`).
//!
//! `KEEP_SANDBOX=1` keeps the temporary directory (its path is printed) for inspection.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::{Value, json};

use crate::config::{DEMO_API_KEY, GatewayConfig, MerchantConfig, SandboxConfig, UserConfig};
use crate::password::PasswordHash;
use crate::startup::{Sandbox, SandboxHandle};

/// The API key of the seeded test merchant.
pub const TEST_API_KEY: &str = DEMO_API_KEY;
/// The webhook HMAC key of the seeded test merchant.
pub const TEST_WEBHOOK_KEY: &str = crate::config::DEMO_WEBHOOK_HMAC_KEY;
/// Password of every seeded Basic user.
pub const TEST_PASSWORD: &str = "sandbox-pass";

/// A running sandbox for a test; stops and deletes its files when dropped.
#[derive(Debug)]
pub struct TestSandbox {
    handle: Option<SandboxHandle>,
    dir: Option<tempfile::TempDir>,
    /// Plain HTTP client for raw requests.
    pub http: reqwest::Client,
}

/// The seeded test merchant: the demo merchant plus Basic users covering the permission
/// matrix (`cashier`: payment requests + KNET; `viewer`: view only; `ecom`: e-commerce + all
/// gateways; `nogateway`: add/change payment requests without any gateway; `operator`: every
/// payment-request permission and operation; `refunder`: view and `payment.refund` only, no
/// capture or void; `counter`: payment requests and the `cash` gateway, for the cash
/// acknowledgement; `reporter`: `report.view_report` only). The demo's `card-auth` (and `mpgs-test`) authorize: a payment on them
/// gives `authorized`.
pub fn test_merchant() -> MerchantConfig {
    let mut merchant = MerchantConfig::demo();
    let hash = PasswordHash::new(TEST_PASSWORD);
    let user = |name: &str, perms: &[&str]| UserConfig {
        username: name.to_owned(),
        password_hash: hash.clone(),
        permissions: perms.iter().map(|p| (*p).to_owned()).collect(),
        email: Some(format!("{name}@shop.example")),
        first_name: Some(name.to_owned()),
        last_name: None,
    };
    merchant.users = vec![
        user(
            "cashier",
            &[
                "Can add payment requests",
                "Can change payment requests",
                "Can use KNET",
            ],
        ),
        user("viewer", &["Can view payment requests"]),
        user(
            "ecom",
            &[
                "Can add e-commerce payments",
                "Can change e-commerce payments",
                "Can use KNET",
                "Can use credit-card",
            ],
        ),
        user(
            "nogateway",
            &["Can add payment requests", "Can change payment requests"],
        ),
        user(
            "operator",
            &[
                "Can add payment requests",
                "Can change payment requests",
                "Can view payment requests",
                "Can use KNET",
                "Can use Credit Card",
                "payment.cancel",
                "payment.expire",
                "payment.delete",
                "payment.inquiry",
                "payment.refund",
                "payment.capture",
                "payment.void",
            ],
        ),
        user("refunder", &["Can view payment requests", "payment.refund"]),
        user(
            "counter",
            &[
                "Can add payment requests",
                "Can change payment requests",
                "Can use Cash",
            ],
        ),
        user("reporter", &["report.view_report"]),
        user(
            "invoicer",
            &[
                "Can add payment requests",
                "Can add Invoice",
                "Can use KNET",
            ],
        ),
    ];
    merchant.gateways.push(GatewayConfig {
        pg_code: "mpgs-test".to_owned(),
        name: "MPGS Test".to_owned(),
        pg: Some("mpgs".to_owned()),
        icon: None,
        currencies: vec!["KWD".to_owned(), "USD".to_owned()],
        plugins: vec!["e_commerce".to_owned()],
        fee: Some("0.250".to_owned()),
        tokenizable: true,
        operation: "authorize".to_owned(),
        tags: vec!["e_commerce".to_owned(), "test".to_owned()],
        operations: None,
        queue_refunds: false,
    });
    merchant
}

/// Starts a sandbox with the test merchant, short webhook timeouts and a temp database.
pub async fn spawn_sandbox() -> TestSandbox {
    spawn_sandbox_with(|_| {}).await
}

/// Like [`spawn_sandbox`], letting the test adjust the config first.
pub async fn spawn_sandbox_with(adjust: impl FnOnce(&mut SandboxConfig)) -> TestSandbox {
    let dir = tempfile::Builder::new()
        .prefix("ottu-sandbox-test")
        .tempdir()
        .expect("a temp dir");
    let mut config = SandboxConfig::new(dir.path().join("sandbox.sqlite3"), test_merchant());
    config.webhooks.timeout = Duration::from_millis(1500);
    config.webhooks.retries = 1;
    config.webhooks.backoff = Duration::from_millis(50);
    adjust(&mut config);
    let handle = Sandbox::start(config).await.expect("the sandbox starts");
    let dir = if std::env::var_os("KEEP_SANDBOX").is_some() {
        eprintln!(
            "KEEP_SANDBOX: sandbox files kept in {}",
            dir.path().display()
        );
        let _ = dir.keep();
        None
    } else {
        Some(dir)
    };
    TestSandbox {
        handle: Some(handle),
        dir,
        http: reqwest::Client::new(),
    }
}

impl TestSandbox {
    /// The running handle.
    pub fn handle(&self) -> &SandboxHandle {
        self.handle.as_ref().expect("running")
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> &str {
        self.handle().base_url()
    }

    /// Directory holding the database (None when `KEEP_SANDBOX` kept it elsewhere).
    pub fn dir(&self) -> Option<PathBuf> {
        self.dir.as_ref().map(|d| d.path().to_owned())
    }

    /// A ready `ottu_checkout::Client` for this sandbox, authenticated with the test API key.
    pub fn client(&self) -> ottu_checkout::Client {
        ottu_checkout::Client::builder()
            .base_url(self.base_url())
            .api_key(TEST_API_KEY)
            .build()
            .expect("a client for the local sandbox")
    }

    /// A ready `ottu_checkout::Client` for a seeded Basic user.
    pub fn client_as(&self, username: &str) -> ottu_checkout::Client {
        ottu_checkout::Client::builder()
            .base_url(self.base_url())
            .basic_auth(username, TEST_PASSWORD)
            .build()
            .expect("a client for the local sandbox")
    }

    /// `Authorization` header value for the test API key.
    pub fn api_key_header(&self) -> String {
        format!("Api-Key {TEST_API_KEY}")
    }

    /// `Authorization` header value for a seeded Basic user.
    pub fn basic_header(&self, username: &str) -> String {
        use base64::Engine as _;
        let token =
            base64::engine::general_purpose::STANDARD.encode(format!("{username}:{TEST_PASSWORD}"));
        format!("Basic {token}")
    }

    /// Creates a KWD payment request with the API key; returns the 201 body.
    pub async fn create_payment_request(&self, amount: &str, extra: Value) -> Value {
        let mut body = json!({"type": "payment_request", "amount": amount, "currency_code": "KWD", "pg_codes": ["knet", "credit-card"]});
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            b.extend(e.clone());
        }
        let response = self
            .http
            .post(format!("{}/b/checkout/v1/pymt-txn/", self.base_url()))
            .header("Authorization", self.api_key_header())
            .json(&body)
            .send()
            .await
            .expect("create request sent");
        assert_eq!(response.status().as_u16(), 201, "create failed");
        response.json().await.expect("create body is JSON")
    }

    /// POSTs to a control route and returns its JSON.
    pub async fn control(&self, path: &str, body: Value) -> (u16, Value) {
        let response = self
            .http
            .post(format!("{}/_sandbox/{path}", self.base_url()))
            .json(&body)
            .send()
            .await
            .expect("control request sent");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// The payer opens the link (`created` → `pending`).
    pub async fn open(&self, session_id: &str) -> Value {
        self.control(&format!("sessions/{session_id}/open"), json!({}))
            .await
            .1
    }

    /// The payer pays with `pg_code` (or the first pg_code).
    pub async fn pay(&self, session_id: &str, pg_code: Option<&str>) -> Value {
        self.control(
            &format!("sessions/{session_id}/pay"),
            json!({"pg_code": pg_code}),
        )
        .await
        .1
    }

    /// The gateway declines (`attempted`).
    pub async fn decline(&self, session_id: &str) -> Value {
        self.control(&format!("sessions/{session_id}/decline"), json!({}))
            .await
            .1
    }

    /// The gateway fails (`failed`).
    pub async fn fail(&self, session_id: &str) -> Value {
        self.control(&format!("sessions/{session_id}/fail"), json!({}))
            .await
            .1
    }

    /// A late gateway success: `failed`/`expired` → `paid` (with the webhook); status and body.
    pub async fn late_success(&self, session_id: &str) -> (u16, Value) {
        self.control(&format!("sessions/{session_id}/late_success"), json!({}))
            .await
    }

    /// Moves the sandbox clock forward (in steps of at most 31 days, the control route's
    /// bound); the last answer.
    pub async fn advance_clock(&self, seconds: i64) -> Value {
        let step = crate::routes::control::CLOCK_ADVANCE_MAX_SECONDS;
        let mut left = seconds;
        loop {
            let now = left.min(step);
            let answer = self
                .control("clock/advance", json!({"seconds": now}))
                .await
                .1;
            left -= now;
            if left <= 0 {
                return answer;
            }
        }
    }

    /// `GET /_sandbox/sessions/{id}`: the stored transaction with its `children` and totals.
    pub async fn session(&self, session_id: &str) -> Value {
        let response = self
            .http
            .get(format!(
                "{}/_sandbox/sessions/{session_id}",
                self.base_url()
            ))
            .send()
            .await
            .expect("session request sent");
        response.json().await.expect("session body is JSON")
    }

    /// Arms a create fault (`drop_after_commit`, `delay`, `status_500`, `late_commit`, ...).
    pub async fn arm_fault(&self, kind: &str, times: u32, delay_ms: Option<u64>) {
        let (status, body) = self
            .control(
                "faults",
                json!({"kind": kind, "times": times, "delay_ms": delay_ms}),
            )
            .await;
        assert_eq!(status, 200, "arming {kind}: {body}");
    }

    /// Starts the random fault mode: `random` is the `{"seed", "rates", "delay_ms"?,
    /// "late_commit_ms"?}` object of `POST /_sandbox/faults`.
    pub async fn arm_random_faults(&self, random: Value) {
        let (status, body) = self.control("faults", json!({ "random": random })).await;
        assert_eq!(status, 200, "arming random faults: {body}");
    }

    /// `GET /_sandbox/faults`: the armed fault, the random mode, faults injected per kind and
    /// the late commits still pending.
    pub async fn faults(&self) -> Value {
        let response = self
            .http
            .get(format!("{}/_sandbox/faults", self.base_url()))
            .send()
            .await
            .expect("faults request sent");
        response.json().await.expect("faults body is JSON")
    }

    /// The webhook delivery log.
    pub async fn webhooks(&self) -> Vec<Value> {
        let response = self
            .http
            .get(format!("{}/_sandbox/webhooks", self.base_url()))
            .send()
            .await
            .expect("webhook log request sent");
        let body: Value = response.json().await.expect("webhook log is JSON");
        body["deliveries"].as_array().cloned().unwrap_or_default()
    }

    /// Stored transactions with `order_no`.
    pub async fn sessions_by_order_no(&self, order_no: &str) -> Vec<Value> {
        let response = self
            .http
            .get(format!("{}/_sandbox/sessions", self.base_url()))
            .query(&[("order_no", order_no)])
            .send()
            .await
            .expect("sessions request sent");
        let body: Value = response.json().await.expect("sessions body is JSON");
        body["sessions"].as_array().cloned().unwrap_or_default()
    }

    /// Every stored transaction (deleted ones included), read page by page through
    /// `GET /_sandbox/sessions?all=true`, in `session_id` order.
    pub async fn all_sessions(&self) -> Vec<Value> {
        let mut all = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let mut query = vec![("all", "true".to_owned()), ("limit", "1000".to_owned())];
            if let Some(after) = &after {
                query.push(("after", after.clone()));
            }
            let response = self
                .http
                .get(format!("{}/_sandbox/sessions", self.base_url()))
                .query(&query)
                .send()
                .await
                .expect("sessions request sent");
            let body: Value = response.json().await.expect("sessions body is JSON");
            all.extend(body["sessions"].as_array().cloned().unwrap_or_default());
            match body["next"].as_str() {
                Some(next) => after = Some(next.to_owned()),
                None => return all,
            }
        }
    }

    /// Stops the server (the files go when this value is dropped).
    pub async fn shutdown(mut self) {
        if let Some(handle) = self.handle.take() {
            handle.shutdown().await;
        }
    }
}
