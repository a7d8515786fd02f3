//! Ottu's request limits over HTTP, on the sandbox's movable clock: the Payment Status Query
//! throttle (grace, spacing, total, per merchant) and the per-user request limit (429 with
//! `Retry-After`).

use ottu_sandbox::{Limits, RateLimit};
use serde_json::{Value, json};

use crate::helpers::{TestSandbox, spawn_sandbox, spawn_sandbox_with};

const INQUIRY: &str = "/b/pbl/v2/inquiry/";

/// Sends a JSON POST with the API key; returns status, `Retry-After` (seconds) and body.
async fn post(sandbox: &TestSandbox, auth: &str, path: &str, body: Value) -> Answer {
    send(sandbox, auth, reqwest::Method::POST, path, Some(body)).await
}

#[derive(Debug)]
struct Answer {
    status: u16,
    retry_after: Option<i64>,
    body: Value,
}

async fn send(
    sandbox: &TestSandbox,
    auth: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> Answer {
    let mut request = sandbox
        .http
        .request(method, format!("{}{path}", sandbox.base_url()))
        .header("Authorization", auth);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("sent");
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().parse().expect("whole seconds"));
    let text = response.text().await.unwrap();
    Answer {
        status,
        retry_after,
        body: serde_json::from_str(&text).unwrap_or(Value::String(text)),
    }
}

async fn inquire(sandbox: &TestSandbox, order_no: &str) -> Answer {
    post(
        sandbox,
        &sandbox.api_key_header(),
        INQUIRY,
        json!({"order_no": order_no}),
    )
    .await
}

/// `Retry-After` is whole seconds from now; the wall clock may tick between the request and
/// the check, so allow one second less.
fn assert_wait(answer: &Answer, seconds: i64) {
    assert_eq!(answer.status, 429, "{answer:?}");
    let wait = answer.retry_after.expect("a Retry-After header");
    assert!(
        (seconds - 2..=seconds).contains(&wait),
        "Retry-After {wait}, expected about {seconds}: {answer:?}"
    );
    let detail = answer.body["detail"].as_str().unwrap();
    assert!(
        detail.starts_with("Request was throttled. Expected available in "),
        "{detail}"
    );
}

#[tokio::test]
async fn inquiry_is_refused_for_10_minutes_then_answered_once_per_30_minutes_3_times() {
    let sandbox = spawn_sandbox().await;
    sandbox
        .create_payment_request("2", json!({"order_no": "THR-1"}))
        .await;

    assert_wait(&inquire(&sandbox, "THR-1").await, 600);
    sandbox.advance_clock(540).await;
    assert_wait(&inquire(&sandbox, "THR-1").await, 60);
    sandbox.advance_clock(60).await;
    let first = inquire(&sandbox, "THR-1").await;
    assert_eq!(first.status, 200, "{first:?}");
    assert_eq!(first.body["state"], "created");

    assert_wait(&inquire(&sandbox, "THR-1").await, 1800);
    sandbox.advance_clock(1000).await;
    assert_wait(&inquire(&sandbox, "THR-1").await, 800);
    sandbox.advance_clock(800).await;
    assert_eq!(inquire(&sandbox, "THR-1").await.status, 200, "second call");
    sandbox.advance_clock(1800).await;
    assert_eq!(inquire(&sandbox, "THR-1").await.status, 200, "third call");

    // A fourth is refused for good: no Retry-After, even a day later.
    sandbox.advance_clock(86_400).await;
    let fourth = inquire(&sandbox, "THR-1").await;
    assert_eq!(fourth.status, 429, "{fourth:?}");
    assert_eq!(fourth.retry_after, None);
    assert!(
        fourth.body["detail"]
            .as_str()
            .unwrap()
            .contains("all of its")
    );

    // The throttle is per transaction: a newer one has its own grace period and count.
    sandbox
        .create_payment_request("3", json!({"order_no": "THR-2"}))
        .await;
    assert_wait(&inquire(&sandbox, "THR-2").await, 600);
    // By session_id the same transaction shares the count made by order_no.
    let sid = first.body["session_id"].as_str().unwrap();
    let by_sid = post(
        &sandbox,
        &sandbox.api_key_header(),
        INQUIRY,
        json!({"session_id": sid}),
    )
    .await;
    assert_eq!((by_sid.status, by_sid.retry_after), (429, None));
}

#[tokio::test]
async fn inquiry_allows_30_requests_a_minute_per_merchant() {
    let sandbox = spawn_sandbox().await;
    sandbox
        .create_payment_request("2", json!({"order_no": "MIN-1"}))
        .await;
    sandbox.advance_clock(600).await;
    // Every inquiry request counts, also those for unknown orders and throttled ones.
    for i in 0..29 {
        let answer = inquire(&sandbox, &format!("NONE-{i}")).await;
        assert_eq!(answer.status, 404, "{answer:?}");
    }
    assert_eq!(inquire(&sandbox, "MIN-1").await.status, 200, "the 30th");
    let over = inquire(&sandbox, "NONE-x").await;
    assert!(over.retry_after.is_some_and(|s| (1..=60).contains(&s)));
    assert_wait(&over, over.retry_after.unwrap());
    sandbox.advance_clock(60).await;
    assert_eq!(inquire(&sandbox, "NONE-y").await.status, 404);
    // Validation and permission come first and are not counted.
    let cashier = post(
        &sandbox,
        &sandbox.basic_header("cashier"),
        INQUIRY,
        json!({"order_no": "MIN-1"}),
    )
    .await;
    assert_eq!(cashier.status, 403);
}

#[tokio::test]
async fn the_throttle_can_be_switched_off_for_tests_that_need_plain_inquiry() {
    let sandbox = spawn_sandbox_with(|c| c.limits.inquiry = None).await;
    sandbox
        .create_payment_request("2", json!({"order_no": "OFF-1"}))
        .await;
    for _ in 0..5 {
        assert_eq!(inquire(&sandbox, "OFF-1").await.status, 200);
    }
}

#[tokio::test]
async fn the_default_limits_are_ottus() {
    let limits = Limits::default();
    assert_eq!(
        limits.per_user,
        Some(RateLimit {
            requests: 90_000,
            per_seconds: 86_400
        })
    );
    let inquiry = limits.inquiry.unwrap();
    assert_eq!(
        (
            inquiry.grace_seconds,
            inquiry.spacing_seconds,
            inquiry.max_calls
        ),
        (600, 1800, 3)
    );
    assert_eq!(
        inquiry.per_merchant,
        RateLimit {
            requests: 30,
            per_seconds: 60
        }
    );
}

#[tokio::test]
async fn past_the_per_user_limit_every_api_path_answers_429_with_retry_after() {
    let sandbox = spawn_sandbox_with(|c| {
        c.limits.per_user = Some(RateLimit {
            requests: 3,
            per_seconds: 3600,
        })
    })
    .await;
    let key = sandbox.api_key_header();
    let created = sandbox.create_payment_request("1", json!({})).await;
    let path = format!(
        "/b/checkout/v1/pymt-txn/{}/",
        created["session_id"].as_str().unwrap()
    );
    for _ in 0..2 {
        let ok = send(&sandbox, &key, reqwest::Method::GET, &path, None).await;
        assert_eq!(ok.status, 200);
    }
    // Failed authentication is not counted against anybody.
    let wrong = send(&sandbox, "Api-Key nope", reqwest::Method::GET, &path, None).await;
    assert_eq!(wrong.status, 401);
    let over = send(&sandbox, &key, reqwest::Method::GET, &path, None).await;
    assert_wait(&over, 3600);
    let methods = post(
        &sandbox,
        &key,
        "/b/pbl/v2/payment-methods/",
        json!({"plugin": "payment_request"}),
    )
    .await;
    assert_eq!(methods.status, 429);
    // Per user: a Basic user has its own count; control routes and pages are not limited.
    let cashier = send(
        &sandbox,
        &sandbox.basic_header("cashier"),
        reqwest::Method::GET,
        &path,
        None,
    )
    .await;
    assert_ne!(cashier.status, 429);
    assert_eq!(sandbox.sessions_by_order_no("x").await.len(), 0);
    // The window slides on the sandbox clock.
    sandbox.advance_clock(3600).await;
    let later = send(&sandbox, &key, reqwest::Method::GET, &path, None).await;
    assert_eq!(later.status, 200);
}

// ---- the ottu-checkout client against these limits ----

fn client_with(sandbox: &TestSandbox, max_backoff: std::time::Duration) -> ottu_checkout::Client {
    ottu_checkout::Client::builder()
        .base_url(sandbox.base_url())
        .api_key(ottu_sandbox::test_support::TEST_API_KEY)
        .retry_policy(ottu_checkout::RetryPolicy {
            max_attempts: 4,
            base_backoff: std::time::Duration::from_millis(100),
            max_backoff,
        })
        .build()
        .unwrap()
}

#[tokio::test]
async fn the_client_reads_the_inquiry_throttle_and_asks_again_once_the_clock_allows() {
    use ottu_checkout::{Error, OrderNo};
    let sandbox = spawn_sandbox().await;
    sandbox
        .create_payment_request("2", json!({"order_no": "CLI-1"}))
        .await;
    let client = sandbox.client();
    let order = || OrderNo::parse("CLI-1").unwrap();
    let started = std::time::Instant::now();
    let refused = client.inquiry().status(order()).await.unwrap_err();
    assert!(
        matches!(refused, Error::Throttled { status: 429, .. }),
        "{refused:?}"
    );
    let wait = refused.retry_after().unwrap().as_secs();
    assert!((598..=600).contains(&wait), "{wait}");
    assert!(started.elapsed().as_secs() < 2, "a long wait is not waited");
    sandbox.advance_clock(600).await;
    let status = client.inquiry().status(order()).await.unwrap();
    assert_eq!(status.order_no.unwrap().as_str(), "CLI-1");
    let again = client.inquiry().status(order()).await.unwrap_err();
    assert!((1798..=1800).contains(&again.retry_after().unwrap().as_secs()));
}

#[tokio::test]
async fn the_client_backs_off_for_retry_after_and_then_succeeds() {
    let sandbox = spawn_sandbox_with(|c| {
        c.limits.per_user = Some(RateLimit {
            requests: 2,
            per_seconds: 2,
        })
    })
    .await;
    let created = sandbox.create_payment_request("1", json!({})).await;
    let sid = ottu_checkout::SessionId::parse(created["session_id"].as_str().unwrap()).unwrap();
    let client = client_with(&sandbox, std::time::Duration::from_secs(3));
    // One request is spent by the create above; the next one fits, the third must wait.
    let started = std::time::Instant::now();
    client.checkout().retrieve(&sid).await.unwrap();
    client.checkout().retrieve(&sid).await.unwrap();
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(900),
        "the client waited for Retry-After: {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_create_refused_with_429_is_sent_again_after_the_wait_and_made_once() {
    let sandbox = spawn_sandbox_with(|c| {
        c.limits.per_user = Some(RateLimit {
            requests: 1,
            per_seconds: 2,
        })
    })
    .await;
    let client = client_with(&sandbox, std::time::Duration::from_secs(3));
    let kwd = ottu_checkout::CurrencyCode::KWD;
    let request = |order: &str| {
        let mut r = ottu_checkout::checkout::CreateCheckoutSession::new(
            ottu_checkout::checkout::CheckoutType::PaymentRequest,
            ottu_checkout::Amount::parse("1", &kwd).unwrap(),
            kwd,
            vec![ottu_checkout::PgCode::parse("knet").unwrap()],
        );
        r.order_no = Some(ottu_checkout::OrderNo::parse(order).unwrap());
        r
    };
    client.checkout().create(&request("RL-1")).await.unwrap();
    client.checkout().create(&request("RL-2")).await.unwrap();
    assert_eq!(sandbox.sessions_by_order_no("RL-2").await.len(), 1);
}

#[tokio::test]
async fn past_a_long_retry_after_the_client_gives_up_at_once_with_the_wait() {
    let sandbox = spawn_sandbox_with(|c| {
        c.limits.per_user = Some(RateLimit {
            requests: 1,
            per_seconds: 3600,
        })
    })
    .await;
    let created = sandbox.create_payment_request("1", json!({})).await;
    let sid = ottu_checkout::SessionId::parse(created["session_id"].as_str().unwrap()).unwrap();
    let client = client_with(&sandbox, std::time::Duration::from_secs(3));
    let started = std::time::Instant::now();
    let err = client.checkout().retrieve(&sid).await.unwrap_err();
    assert!(
        matches!(err, ottu_checkout::Error::RateLimited { .. }),
        "{err:?}"
    );
    assert!(err.retry_after().unwrap().as_secs() > 3000);
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
}

#[tokio::test]
async fn a_restart_keeps_each_transactions_answered_inquiries() {
    let dir = tempfile::tempdir().unwrap();
    let config = ottu_sandbox::SandboxConfig::new(
        dir.path().join("sandbox.sqlite3"),
        ottu_sandbox::test_support::test_merchant(),
    );
    let http = reqwest::Client::new();
    let key = format!("Api-Key {}", ottu_sandbox::test_support::TEST_API_KEY);
    let inquire = |base: String| {
        let request = http
            .post(format!("{base}/b/pbl/v2/inquiry/"))
            .header("Authorization", &key)
            .json(&json!({"order_no": "RS-1"}));
        async move {
            let response = request.send().await.unwrap();
            let wait: Option<i64> = response
                .headers()
                .get("retry-after")
                .map(|v| v.to_str().unwrap().parse().unwrap());
            (response.status().as_u16(), wait)
        }
    };
    let first = ottu_sandbox::Sandbox::start(config.clone()).await.unwrap();
    let base = first.base_url().to_owned();
    let created = http
        .post(format!("{base}/b/checkout/v1/pymt-txn/"))
        .header("Authorization", &key)
        .json(
            &json!({"type": "payment_request", "amount": "1", "currency_code": "KWD",
                      "pg_codes": ["knet"], "order_no": "RS-1"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(created.status().as_u16(), 201);
    http.post(format!("{base}/_sandbox/clock/advance"))
        .json(&json!({"seconds": 600}))
        .send()
        .await
        .unwrap();
    assert_eq!(inquire(base).await.0, 200);
    first.shutdown().await;

    let second = ottu_sandbox::Sandbox::start(config).await.unwrap();
    let (status, wait) = inquire(second.base_url().to_owned()).await;
    assert_eq!(status, 429, "the answered call survived the restart");
    assert!(wait.is_some_and(|w| (1790..=1800).contains(&w)), "{wait:?}");
    second.shutdown().await;
}
