//! Fault injection on create: each kind stores (or not) and answers as documented; late
//! commits on the sandbox clock; the seeded random mode for chaos runs.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::helpers::{call, spawn_sandbox};

fn create_body(order_no: &str) -> serde_json::Value {
    json!({"type": "payment_request", "amount": "3", "currency_code": "KWD", "pg_codes": ["knet"], "order_no": order_no})
}

async fn post_create(
    sandbox: &ottu_sandbox::TestSandbox,
    order_no: &str,
) -> Result<reqwest::Response, reqwest::Error> {
    sandbox
        .http
        .post(format!("{}/b/checkout/v1/pymt-txn/", sandbox.base_url()))
        .header("Authorization", sandbox.api_key_header())
        .json(&create_body(order_no))
        .send()
        .await
}

#[tokio::test]
async fn drop_after_commit_stores_the_transaction_and_closes_the_connection_unanswered() {
    let sandbox = spawn_sandbox().await;
    sandbox.arm_fault("drop_after_commit", 1, None).await;
    let result = post_create(&sandbox, "F-DROP").await;
    assert!(result.is_err(), "no response expected, got {result:?}");
    assert_eq!(sandbox.sessions_by_order_no("F-DROP").await.len(), 1);
    // Only one request was affected.
    assert_eq!(
        post_create(&sandbox, "F-DROP-2")
            .await
            .unwrap()
            .status()
            .as_u16(),
        201
    );
}

#[tokio::test]
async fn status_500_stores_nothing() {
    let sandbox = spawn_sandbox().await;
    sandbox.arm_fault("status_500", 2, None).await;
    for _ in 0..2 {
        assert_eq!(
            post_create(&sandbox, "F-500")
                .await
                .unwrap()
                .status()
                .as_u16(),
            500
        );
    }
    assert!(sandbox.sessions_by_order_no("F-500").await.is_empty());
    assert_eq!(
        post_create(&sandbox, "F-500")
            .await
            .unwrap()
            .status()
            .as_u16(),
        201
    );
}

#[tokio::test]
async fn status_503_after_commit_stores_the_transaction() {
    let sandbox = spawn_sandbox().await;
    sandbox.arm_fault("status_503_after_commit", 1, None).await;
    let response = post_create(&sandbox, "F-503").await.unwrap();
    assert_eq!(response.status().as_u16(), 503);
    assert_eq!(sandbox.sessions_by_order_no("F-503").await.len(), 1);
}

#[tokio::test]
async fn malformed_after_commit_answers_201_with_a_body_that_is_not_json() {
    let sandbox = spawn_sandbox().await;
    sandbox.arm_fault("malformed_after_commit", 1, None).await;
    let response = post_create(&sandbox, "F-BAD").await.unwrap();
    assert_eq!(response.status().as_u16(), 201);
    let text = response.text().await.unwrap();
    assert!(
        serde_json::from_str::<serde_json::Value>(&text).is_err(),
        "{text}"
    );
    assert_eq!(sandbox.sessions_by_order_no("F-BAD").await.len(), 1);
}

#[tokio::test]
async fn delay_stores_first_and_answers_late() {
    let sandbox = spawn_sandbox().await;
    sandbox.arm_fault("delay", 1, Some(2000)).await;
    let client = sandbox.http.clone();
    let url = format!("{}/b/checkout/v1/pymt-txn/", sandbox.base_url());
    let auth = sandbox.api_key_header();
    let started = Instant::now();
    let pending = tokio::spawn(async move {
        client
            .post(url)
            .header("Authorization", auth)
            .json(&create_body("F-DELAY"))
            .send()
            .await
    });
    // The row appears while the answer is still being held back.
    loop {
        if !sandbox.sessions_by_order_no("F-DELAY").await.is_empty() {
            assert!(!pending.is_finished(), "stored before the answer");
            break;
        }
        assert!(
            started.elapsed() < Duration::from_millis(1900),
            "not stored within the delay"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let response = pending.await.unwrap().unwrap();
    assert_eq!(response.status().as_u16(), 201);
    assert!(started.elapsed() >= Duration::from_millis(2000));
}

#[tokio::test]
async fn clearing_faults_disarms_them() {
    let sandbox = spawn_sandbox().await;
    sandbox.arm_fault("status_500", 5, None).await;
    sandbox
        .http
        .delete(format!("{}/_sandbox/faults", sandbox.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        post_create(&sandbox, "F-CLEAR")
            .await
            .unwrap()
            .status()
            .as_u16(),
        201
    );
}

// ---- late commit ----

async fn operation(sandbox: &ottu_sandbox::TestSandbox, op: &str, order_no: &str) -> (u16, Value) {
    call(
        sandbox,
        "POST",
        "/b/pbl/v2/operation/",
        Some(json!({"operation": op, "order_no": order_no})),
    )
    .await
}

async fn inquiry(sandbox: &ottu_sandbox::TestSandbox, order_no: &str) -> (u16, Value) {
    call(
        sandbox,
        "POST",
        "/b/pbl/v2/inquiry/",
        Some(json!({"order_no": order_no})),
    )
    .await
}

#[tokio::test]
async fn late_commit_answers_nothing_and_stores_the_create_only_when_due_on_the_sandbox_clock() {
    let sandbox = spawn_sandbox().await;
    sandbox.arm_fault("late_commit", 1, Some(60_000)).await;
    let asked_at = sandbox.advance_clock(0).await["now_unix"].as_i64().unwrap();
    let result = post_create(&sandbox, "F-LATE").await;
    assert!(result.is_err(), "no response expected, got {result:?}");

    let faults = sandbox.faults().await;
    assert_eq!(faults["late_commits_pending"], 1, "{faults}");
    assert_eq!(faults["injected"]["late_commit"], 1, "{faults}");
    assert_eq!(faults["armed"], Value::Null, "used up");
    // Not there yet: nothing finds the order_no.
    assert!(sandbox.sessions_by_order_no("F-LATE").await.is_empty());
    let not_found = (404, json!({"detail": "Not found."}));
    assert_eq!(operation(&sandbox, "cancel", "F-LATE").await, not_found);
    assert_eq!(inquiry(&sandbox, "F-LATE").await, not_found);
    sandbox.advance_clock(58).await;
    assert!(sandbox.sessions_by_order_no("F-LATE").await.is_empty());
    assert_eq!(operation(&sandbox, "cancel", "F-LATE").await, not_found);

    // Past the due time it is stored, as asked, created at the due time.
    sandbox.advance_clock(3).await;
    let sessions = sandbox.sessions_by_order_no("F-LATE").await;
    assert_eq!(sessions.len(), 1, "{sessions:?}");
    let txn = &sessions[0];
    assert_eq!(
        (txn["state"].clone(), txn["amount"].clone()),
        (json!("created"), json!("3.000"))
    );
    let created_at = time::OffsetDateTime::parse(
        txn["created_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap()
    .unix_timestamp();
    assert!(
        (asked_at + 60..=asked_at + 61).contains(&created_at),
        "created_at {created_at}, asked at {asked_at}"
    );
    assert_eq!(sandbox.faults().await["late_commits_pending"], 0);
    let (status, body) = operation(&sandbox, "cancel", "F-LATE").await;
    assert_eq!(
        (status, body["result"].clone()),
        (200, json!("success")),
        "{body}"
    );
}

#[tokio::test]
async fn a_due_late_commit_is_stored_by_the_ticker_without_any_request() {
    let sandbox = spawn_sandbox().await;
    sandbox.arm_fault("late_commit", 1, Some(300)).await;
    assert!(post_create(&sandbox, "F-TICK").await.is_err());
    // Read the store directly: no request passes the middleware that commits due ones.
    let store = sandbox.handle().store().clone();
    let started = Instant::now();
    loop {
        let found = store.txns_by_order_no("F-TICK".to_owned()).await.unwrap();
        if !found.is_empty() {
            assert!(started.elapsed() >= Duration::from_millis(200), "too early");
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the ticker never stored the due late commit"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn an_invalid_create_does_not_use_up_a_late_commit_and_reset_drops_pending_ones() {
    let sandbox = spawn_sandbox().await;
    sandbox.arm_fault("late_commit", 1, Some(10_000)).await;
    let (status, _) = call(
        &sandbox,
        "POST",
        "/b/checkout/v1/pymt-txn/",
        Some(json!({"type": "payment_request", "amount": "-1", "currency_code": "KWD", "pg_codes": ["knet"]})),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(sandbox.faults().await["armed"]["remaining"], 1);
    assert!(post_create(&sandbox, "F-RESET").await.is_err());
    assert_eq!(sandbox.faults().await["late_commits_pending"], 1);
    sandbox.control("reset", json!({})).await;
    assert_eq!(sandbox.faults().await["late_commits_pending"], 0);
    sandbox.advance_clock(60).await;
    assert!(sandbox.sessions_by_order_no("F-RESET").await.is_empty());
}

#[tokio::test]
async fn late_commit_delays_are_capped_and_default_to_5_seconds() {
    let sandbox = spawn_sandbox().await;
    let max = ottu_sandbox::faults::LATE_COMMIT_MAX_MS;
    assert_eq!(max, 120_000);
    let (status, body) = sandbox
        .control(
            "faults",
            json!({"kind": "late_commit", "delay_ms": max + 1}),
        )
        .await;
    assert_eq!(
        (status, body),
        (
            400,
            json!({"delay_ms": ["A whole number between 0 and 120000 is required."]})
        )
    );
    let (status, body) = sandbox
        .control("faults", json!({"kind": "late_commit", "delay_ms": max}))
        .await;
    assert_eq!(
        (status, body["armed"]["delay_ms"].clone()),
        (200, json!(max))
    );
    let (_, body) = sandbox
        .control("faults", json!({"kind": "late_commit"}))
        .await;
    assert_eq!(
        body["armed"],
        json!({"kind": "late_commit", "remaining": 1, "delay_ms": 5000})
    );
    assert_eq!(body["late_commit_max_ms"], 120_000);
}

// ---- random mode ----

/// What a create's client saw, coarsely (a delayed 201 is `Created`: only its time differs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Seen {
    Created,
    Status500,
    Status503,
    Malformed,
    NoAnswer,
}

/// Sequential creates under the random mode: what each saw, how many 201s took at least the
/// delay, and `GET /_sandbox/faults` afterwards.
async fn chaos_run(
    seed: u64,
    creates: usize,
) -> (Vec<Seen>, u64, Value, ottu_sandbox::TestSandbox) {
    let sandbox = spawn_sandbox().await;
    let rates = json!({"drop_after_commit": 0.1, "delay": 0.1, "status_500": 0.1,
        "status_503_after_commit": 0.1, "malformed_after_commit": 0.1, "late_commit": 0.1});
    sandbox
        .arm_random_faults(
            json!({"seed": seed, "rates": rates, "delay_ms": 400, "late_commit_ms": [1000, 2000]}),
        )
        .await;
    let mut seen = Vec::with_capacity(creates);
    let mut slow = 0;
    for i in 0..creates {
        let started = Instant::now();
        let outcome = match post_create(&sandbox, &format!("CHAOS-{i}")).await {
            Err(_) => Seen::NoAnswer,
            Ok(response) => match response.status().as_u16() {
                500 => Seen::Status500,
                503 => Seen::Status503,
                201 => {
                    let text = response.text().await.unwrap();
                    if started.elapsed() >= Duration::from_millis(400) {
                        slow += 1;
                    }
                    if serde_json::from_str::<Value>(&text).is_err() {
                        Seen::Malformed
                    } else {
                        Seen::Created
                    }
                }
                other => panic!("unexpected {other}"),
            },
        };
        seen.push(outcome);
    }
    let faults = sandbox.faults().await;
    (seen, slow, faults, sandbox)
}

#[tokio::test]
async fn random_faults_are_reproducible_from_the_seed_and_counted_per_kind() {
    let creates = 60;
    let (seen, slow, faults, sandbox) = chaos_run(42, creates).await;
    let count = |what: Seen| seen.iter().filter(|s| **s == what).count() as u64;
    let injected = &faults["injected"];
    assert_eq!(injected["status_500"], count(Seen::Status500), "{faults}");
    assert_eq!(injected["status_503_after_commit"], count(Seen::Status503));
    assert_eq!(injected["malformed_after_commit"], count(Seen::Malformed));
    let total: u64 = injected
        .as_object()
        .unwrap()
        .values()
        .map(|n| n.as_u64().unwrap())
        .sum();
    let delayed = injected["delay"].as_u64().unwrap();
    // A delayed create is a 201 like a clean one, only later.
    assert_eq!(count(Seen::Created), creates as u64 - total + delayed);
    assert!(
        slow >= delayed,
        "{slow} slow answers, {delayed} delays injected"
    );
    let unanswered =
        injected["drop_after_commit"].as_u64().unwrap() + injected["late_commit"].as_u64().unwrap();
    assert_eq!(unanswered, count(Seen::NoAnswer));
    for kind in [
        "drop_after_commit",
        "delay",
        "status_500",
        "status_503_after_commit",
        "malformed_after_commit",
        "late_commit",
    ] {
        assert!(
            injected[kind].as_u64().unwrap() > 0,
            "{kind} never injected: {faults}"
        );
    }
    assert!(count(Seen::Created) > delayed, "no clean create");
    assert_eq!(faults["random"]["draws"], creates);
    assert_eq!(faults["random"]["seed"], 42);

    // Every create but the 500s is stored once the late commits are due.
    sandbox.advance_clock(3).await;
    assert_eq!(sandbox.faults().await["late_commits_pending"], 0);
    let stored = sandbox.handle().store().count_txns().await.unwrap();
    assert_eq!(stored, creates as u64 - count(Seen::Status500));

    // Disarming keeps the counts; creates are clean again.
    let cleared: Value = sandbox
        .http
        .delete(format!("{}/_sandbox/faults", sandbox.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (cleared["random"].clone(), cleared["armed"].clone()),
        (Value::Null, Value::Null)
    );
    assert_eq!(cleared["injected"], faults["injected"]);
    assert_eq!(
        post_create(&sandbox, "CLEAN")
            .await
            .unwrap()
            .status()
            .as_u16(),
        201
    );

    // The same seed gives the same faults to the same requests; another seed does not.
    let (again, _, again_faults, _) = chaos_run(42, creates).await;
    assert_eq!(again, seen);
    assert_eq!(again_faults["injected"], faults["injected"]);
    let (other, _, _, _) = chaos_run(7, creates).await;
    assert_ne!(other, seen);
}

#[tokio::test]
async fn random_mode_bodies_are_validated_field_by_field() {
    let sandbox = spawn_sandbox().await;
    let cases = [
        (
            json!({"random": {"rates": {}}}),
            json!({"random": {"seed": ["This field is required."]}}),
        ),
        (
            json!({"random": {"seed": 1, "rates": {"nope": 0.1, "delay": 2}}}),
            json!({"random": {"rates": {
                "nope": ["Not a fault kind: one of drop_after_commit, delay, status_500, status_503_after_commit, malformed_after_commit, late_commit."],
                "delay": ["A number between 0 and 1 is required."]}}}),
        ),
        (
            json!({"random": {"seed": 1, "rates": {"delay": 0.6, "late_commit": 0.5}}}),
            json!({"random": {"rates": ["The rates add up to more than 1."]}}),
        ),
        (
            json!({"random": {"seed": 1, "rates": {}, "late_commit_ms": [1000, 120_001]}}),
            json!({"random": {"late_commit_ms": ["Expected [min, max]: whole milliseconds, min <= max <= 120000."]}}),
        ),
        (
            json!({"random": {"seed": 1, "rates": {}, "late_commit_ms": [5, 4]}}),
            json!({"random": {"late_commit_ms": ["Expected [min, max]: whole milliseconds, min <= max <= 120000."]}}),
        ),
        (
            json!({"random": {"seed": 1, "rates": {}, "delay": 3}}),
            json!({"random": {"delay": ["Unknown field."]}}),
        ),
        (
            json!({"random": 3}),
            json!({"random": ["Expected an object with `seed` and `rates`."]}),
        ),
        (
            json!({"kind": "delay", "random": {"seed": 1, "rates": {}}}),
            json!({"non_field_errors": ["Give either `kind` or `random`, not both."]}),
        ),
    ];
    for (body, expected) in cases {
        assert_eq!(
            sandbox.control("faults", body.clone()).await,
            (400, expected),
            "{body}"
        );
    }
    assert_eq!(sandbox.faults().await["random"], Value::Null);
    let (status, body) = sandbox
        .control(
            "faults",
            json!({"random": {"seed": 5, "rates": {"late_commit": 0.25}}}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["random"],
        json!({"seed": 5, "rates": {"drop_after_commit": 0.0, "delay": 0.0, "status_500": 0.0,
            "status_503_after_commit": 0.0, "malformed_after_commit": 0.0, "late_commit": 0.25},
            "delay_ms": 1000, "late_commit_ms": [5000, 5000], "draws": 0})
    );
    // Arming one fault replaces the random mode.
    sandbox.arm_fault("status_500", 1, None).await;
    assert_eq!(sandbox.faults().await["random"], Value::Null);
}

/// A sandbox state without a server or ticker, driven request by request through its router.
struct Bare {
    state: ottu_sandbox::state::AppState,
    _dir: tempfile::TempDir,
}

impl Bare {
    async fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let config = ottu_sandbox::SandboxConfig::new(
            dir.path().join("sandbox.sqlite3"),
            ottu_sandbox::test_support::test_merchant(),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let state = ottu_sandbox::Sandbox::build(config, &listener)
            .await
            .unwrap();
        Self { state, _dir: dir }
    }

    /// Sends one request; `None` when the response body broke (a dropped answer).
    async fn send(&self, method: &str, path: &str, body: Option<Value>) -> Option<(u16, Value)> {
        use tower::ServiceExt as _;
        let router = ottu_sandbox::routes::router(self.state.clone());
        let request = axum::http::Request::builder()
            .method(method)
            .uri(path)
            // Control routes answer only requests addressed to the sandbox itself.
            .header("Host", self.state.listen_addr.to_string())
            .header(
                "Authorization",
                format!("Api-Key {}", ottu_sandbox::test_support::TEST_API_KEY),
            )
            .header("Content-Type", "application/json")
            .body(axum::body::Body::from(
                body.map(|b| b.to_string()).unwrap_or_default(),
            ))
            .unwrap();
        let response = router.oneshot(request).await.unwrap();
        let status = response.status().as_u16();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .ok()?;
        Some((
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        ))
    }

    async fn stored(&self, order_no: &str) -> usize {
        self.state
            .store
            .txns_by_order_no(order_no.to_owned())
            .await
            .unwrap()
            .len()
    }
}

#[tokio::test]
async fn due_late_commits_are_stored_before_the_next_request_and_by_the_clock_advance() {
    // No ticker here: only requests and the clock advance can store them.
    let bare = Bare::new().await;
    let arm = json!({"kind": "late_commit", "times": 2, "delay_ms": 1000});
    assert_eq!(
        bare.send("POST", "/_sandbox/faults", Some(arm))
            .await
            .unwrap()
            .0,
        200
    );
    assert_eq!(
        bare.send("POST", "/b/checkout/v1/pymt-txn/", Some(create_body("B-1")))
            .await,
        None
    );
    // The clock moves without the control route: the next request, whatever it is, stores it.
    bare.state.clock.set_offset(5);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(bare.stored("B-1").await, 0, "stored without any request");
    let (status, _) = bare.send("GET", "/_sandbox/clock", None).await.unwrap();
    assert_eq!(status, 200);
    assert_eq!(
        bare.stored("B-1").await,
        1,
        "not stored before the request was served"
    );

    // The clock advance stores those it makes due before it answers.
    assert_eq!(
        bare.send("POST", "/b/checkout/v1/pymt-txn/", Some(create_body("B-2")))
            .await,
        None
    );
    let (status, _) = bare
        .send(
            "POST",
            "/_sandbox/clock/advance",
            Some(json!({"seconds": 2})),
        )
        .await
        .unwrap();
    assert_eq!(status, 200);
    assert_eq!(
        bare.stored("B-2").await,
        1,
        "not stored by the clock advance"
    );
    assert_eq!(bare.state.late_commits.pending(), 0);
}

#[tokio::test]
async fn every_session_can_be_listed_a_page_at_a_time() {
    let sandbox = spawn_sandbox().await;
    for n in 0..5 {
        let created = post_create(&sandbox, &format!("PAGE-{n}")).await.unwrap();
        assert_eq!(created.status().as_u16(), 201);
    }
    let page = |after: Option<String>, limit: u32| {
        let sandbox = &sandbox;
        async move {
            let mut query = vec![("all", "true".to_owned()), ("limit", limit.to_string())];
            if let Some(after) = after {
                query.push(("after", after));
            }
            let response = sandbox
                .http
                .get(format!("{}/_sandbox/sessions", sandbox.base_url()))
                .query(&query)
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            (status, response.json::<Value>().await.unwrap())
        }
    };
    let mut seen = Vec::new();
    let mut after = None;
    let mut pages = 0;
    loop {
        let (status, body) = page(after.clone(), 2).await;
        assert_eq!(status, 200, "{body}");
        pages += 1;
        for session in body["sessions"].as_array().unwrap() {
            seen.push(session["order_no"].as_str().unwrap().to_owned());
        }
        match body["next"].as_str() {
            Some(next) => after = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    seen.sort();
    assert_eq!(seen, ["PAGE-0", "PAGE-1", "PAGE-2", "PAGE-3", "PAGE-4"]);
    assert_eq!(sandbox.all_sessions().await.len(), 5);
    let (status, body) = page(None, 0).await;
    assert_eq!(status, 400, "{body}");
}
