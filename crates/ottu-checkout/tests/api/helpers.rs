//! Shared test helpers: fixtures, a mock server with a loud catch-all, and clients for it.

use std::path::PathBuf;
use std::time::Duration;

use ottu_checkout::{Auth, Client, RetryPolicy};
use serde_json::Value;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

pub const API_KEY: &str = "Xk3dP9qL.sandboxkey0123456789abcdef01234567";
pub const SESSION_ID: &str = "3f1c0e5b8a9d4c2e7f6a1b0c9d8e7f6a5b4c3d2e";

/// Raw text of `fixtures/checkout/<name>`.
pub fn fixture(name: &str) -> String {
    let path = manifest_dir().join("../../fixtures/checkout").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("fixture {}: {e}", path.display()))
}

/// Parsed JSON of a fixture.
pub fn fixture_json(name: &str) -> Value {
    serde_json::from_str(&fixture(name)).unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

/// Answers any request no other mock matched with a 599 naming it, so a test that sent the
/// wrong method, path, header or body fails with a message saying what was actually sent.
struct NameTheRequest;

impl Respond for NameTheRequest {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let headers: Vec<String> = request
            .headers
            .iter()
            .filter(|(name, _)| name.as_str() != "authorization")
            .map(|(name, value)| format!("{name}: {}", value.to_str().unwrap_or("?")))
            .collect();
        ResponseTemplate::new(599).set_body_string(format!(
            "no mock matched {} {} [{}] body={}",
            request.method,
            request.url.path(),
            headers.join(", "),
            String::from_utf8_lossy(&request.body)
        ))
    }
}

pub struct TestApi {
    pub server: MockServer,
    pub client: Client,
}

/// Fast retries, short timeout: tests never wait long.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        base_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
    }
}

pub async fn spawn() -> TestApi {
    spawn_with(Auth::api_key(API_KEY), Duration::from_secs(5)).await
}

pub async fn spawn_with(auth: Auth, timeout: Duration) -> TestApi {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(NameTheRequest)
        .with_priority(u8::MAX)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .auth(auth)
        .timeout(timeout)
        .retry_policy(fast_retry())
        .build()
        .expect("client for the mock server");
    TestApi { server, client }
}

impl TestApi {
    /// Requests the server saw.
    pub async fn requests(&self) -> Vec<Request> {
        self.server.received_requests().await.unwrap_or_default()
    }
}

/// `Authorization` value for the test API key.
pub fn api_key_header() -> String {
    format!("Api-Key {API_KEY}")
}

/// This crate's directory. Cargo names it when it runs the test; the compile-time value is only
/// the fallback, because a test binary built by another checkout sharing the target dir would
/// point there.
pub fn manifest_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}
