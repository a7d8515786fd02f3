//! No duplicates, nothing lost: every fault the sandbox can inject, plus restarts.
//!
//! In each case the create's outcome is unknown to the app; the engine must keep the sale,
//! refuse to send it again on its own, and settle it by `order_no` so the server ends up with
//! exactly one live transaction for the sale.

use std::time::Duration;

use ottu_sandbox::test_support::{TEST_API_KEY, test_merchant};
use ottu_sandbox::{Sandbox, SandboxConfig};
use pos_core::dto::SaleState;
use pos_core::{OrderLookup, Sales};
use serde_json::json;

use crate::helpers::{
    client_with_timeout, draft, options, server_sessions, spawn_unthrottled_sandbox,
    unthrottled_env as env, unthrottled_env_with as env_with, without_inquiry_throttle,
};

/// Arms `fault`, creates a sale, and checks it is kept `unknown` with an `ambiguous` error and
/// that nothing was sent a second time.
async fn ambiguous_create(env: &crate::helpers::Env, fault: &str) -> pos_core::dto::Sale {
    env.sandbox.arm_fault(fault, 1, None).await;
    let error = env.sales.create(draft("4.750")).await.unwrap_err();
    assert_eq!(error.code(), "ambiguous", "{fault}: {error}");
    let history = env.sales.history(Default::default()).await.unwrap();
    assert_eq!(history.sales.len(), 1, "{fault}: the sale is kept");
    let sale = history.sales[0].clone();
    assert_eq!(sale.state, SaleState::Unknown, "{fault}");
    assert!(sale.problem.is_some());
    sale
}

#[tokio::test]
async fn a_response_lost_after_the_server_applied_the_create_is_adopted() {
    let env = env().await;
    let sale = ambiguous_create(&env, "drop_after_commit").await;
    assert_eq!(server_sessions(&env.sandbox, &sale.order_no).await.len(), 1);

    let settled = env.sales.reconcile(&sale.id).await.unwrap();
    assert_eq!(settled.state, SaleState::Created);
    let sessions = server_sessions(&env.sandbox, &sale.order_no).await;
    assert_eq!(sessions.len(), 1, "never created twice");
    assert_eq!(
        settled.session_id.as_deref(),
        sessions[0]["session_id"].as_str()
    );
    assert!(settled.link.is_some() && settled.qr_svg.is_some());
    assert!(settled.problem.is_none());
}

#[tokio::test]
async fn a_503_after_commit_is_ambiguous_and_adopted() {
    let env = env().await;
    let sale = ambiguous_create(&env, "status_503_after_commit").await;
    let settled = env.sales.reconcile(&sale.id).await.unwrap();
    assert_eq!(settled.state, SaleState::Created);
    assert_eq!(server_sessions(&env.sandbox, &sale.order_no).await.len(), 1);
}

#[tokio::test]
async fn a_malformed_body_after_commit_is_ambiguous_and_adopted() {
    let env = env().await;
    let sale = ambiguous_create(&env, "malformed_after_commit").await;
    let settled = env.sales.reconcile(&sale.id).await.unwrap();
    assert_eq!(settled.state, SaleState::Created);
    assert_eq!(server_sessions(&env.sandbox, &sale.order_no).await.len(), 1);
}

#[tokio::test]
async fn a_500_that_stored_nothing_is_found_absent_and_retried_with_the_same_order_no() {
    let env = env().await;
    let sale = ambiguous_create(&env, "status_500").await;
    assert!(
        server_sessions(&env.sandbox, &sale.order_no)
            .await
            .is_empty()
    );

    let checked = env.sales.reconcile(&sale.id).await.unwrap();
    assert_eq!(checked.state, SaleState::Rejected);
    assert!(checked.problem.unwrap().contains("nothing was created"));

    let sent = env.sales.retry(&sale.id).await.unwrap();
    assert_eq!(sent.state, SaleState::Created);
    assert_eq!(sent.id, sale.id);
    assert_eq!(sent.order_no, sale.order_no);
    assert_eq!(server_sessions(&env.sandbox, &sale.order_no).await.len(), 1);
}

#[tokio::test]
async fn retry_of_an_unknown_sale_adopts_instead_of_sending_again() {
    let env = env().await;
    let sale = ambiguous_create(&env, "drop_after_commit").await;
    let after = env.sales.retry(&sale.id).await.unwrap();
    assert_eq!(after.state, SaleState::Created);
    assert_eq!(server_sessions(&env.sandbox, &sale.order_no).await.len(), 1);
}

#[tokio::test]
async fn a_timeout_is_ambiguous_and_the_late_transaction_is_adopted() {
    let sandbox = spawn_unthrottled_sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let sales = Sales::open(
        dir.path().join("h.sqlite3"),
        client_with_timeout(&sandbox, Duration::from_millis(700)),
        "demo",
        options(),
    )
    .await
    .unwrap();
    sandbox.arm_fault("delay", 1, Some(2_000)).await;
    let error = sales.create(draft("9")).await.unwrap_err();
    assert_eq!(error.code(), "ambiguous", "{error}");
    let sale = sales.history(Default::default()).await.unwrap().sales[0].clone();
    assert_eq!(sale.state, SaleState::Unknown);

    let settled = sales.reconcile(&sale.id).await.unwrap();
    assert_eq!(settled.state, SaleState::Created);
    assert_eq!(sandbox.sessions_by_order_no(&sale.order_no).await.len(), 1);
}

#[tokio::test]
async fn connection_refused_means_nothing_was_sent_and_retry_is_safe() {
    // A port with nothing listening: bind, note it, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sandbox.sqlite3");
    let client = ottu_checkout::Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .api_key(TEST_API_KEY)
        .build()
        .unwrap();
    let sales = Sales::open(dir.path().join("h.sqlite3"), client, "demo", options())
        .await
        .unwrap();
    let error = sales.create(draft("2")).await.unwrap_err();
    assert_eq!(error.code(), "network", "{error}");
    let sale = sales.history(Default::default()).await.unwrap().sales[0].clone();
    assert_eq!(sale.state, SaleState::Rejected);

    // The server comes up on that port; the deliberate retry sends the same order number once.
    let mut config = SandboxConfig::new(db, test_merchant());
    without_inquiry_throttle(&mut config);
    config.port = port;
    let sandbox = Sandbox::start(config).await.unwrap();
    let sent = sales.retry(&sale.id).await.unwrap();
    assert_eq!(sent.state, SaleState::Created);
    assert_eq!(sent.order_no, sale.order_no);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_sale_cut_off_mid_request_is_settled_after_an_app_restart() {
    let env = env().await;
    env.sandbox.arm_fault("delay", 1, Some(5_000)).await;
    // The app "crashes" while the request is on the wire: the create future is dropped once the
    // server has stored the transaction (its answer is held back by the fault).
    cut_off_once_stored(&env, "CUT-1").await;
    let left = env.sales.history(Default::default()).await.unwrap().sales[0].clone();
    assert_eq!(
        left.state,
        SaleState::Sending,
        "written before the request left"
    );
    drop(env.sales);

    let restarted = Sales::open(&env.history, env.sandbox.client(), "demo", options())
        .await
        .unwrap();
    let settled = restarted.reconcile_pending().await.unwrap();
    assert_eq!(settled.len(), 1);
    assert_eq!(settled[0].id, left.id);
    assert_eq!(settled[0].state, SaleState::Created);
    assert_eq!(server_sessions(&env.sandbox, &left.order_no).await.len(), 1);
}

#[tokio::test]
async fn a_sandbox_restart_mid_sale_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sandbox.sqlite3");
    let mut config = SandboxConfig::new(db.clone(), test_merchant());
    without_inquiry_throttle(&mut config);
    let first = Sandbox::start(config).await.unwrap();
    let port = first.addr().port();
    let client = ottu_checkout::Client::builder()
        .base_url(first.base_url())
        .api_key(TEST_API_KEY)
        .build()
        .unwrap();
    let sales = Sales::open(dir.path().join("h.sqlite3"), client, "demo", options())
        .await
        .unwrap();
    let mut events = sales.subscribe();

    // The answer to this create is lost, then the server goes away.
    let http = reqwest::Client::new();
    http.post(format!("{}/_sandbox/faults", first.base_url()))
        .json(&json!({"kind": "drop_after_commit", "times": 1}))
        .send()
        .await
        .unwrap();
    let error = sales.create(draft("15")).await.unwrap_err();
    assert_eq!(error.code(), "ambiguous");
    let sale = sales.history(Default::default()).await.unwrap().sales[0].clone();
    first.shutdown().await;

    // While it is down the sale cannot be checked and stays unknown.
    assert!(sales.reconcile(&sale.id).await.is_err());
    assert_eq!(sales.get(&sale.id).await.unwrap().state, SaleState::Unknown);

    // Same database, same port: the transaction is still there and is adopted.
    let mut config = SandboxConfig::new(db, test_merchant());
    without_inquiry_throttle(&mut config);
    config.port = port;
    let second = Sandbox::start(config).await.unwrap();
    let settled = sales.reconcile(&sale.id).await.unwrap();
    assert_eq!(settled.state, SaleState::Created);
    let session_id = settled.session_id.clone().unwrap();

    // And the tracker follows it to paid on the restarted server.
    sales.watch(Some(&sale.id));
    http.post(format!(
        "{}/_sandbox/sessions/{session_id}/pay",
        second.base_url()
    ))
    .json(&json!({}))
    .send()
    .await
    .unwrap();
    let paid = crate::helpers::wait_for(&mut events, &sale.id, SaleState::Paid).await;
    assert!(paid.paid_at.is_some());
    second.shutdown().await;
}

#[tokio::test]
async fn a_second_transaction_for_one_sale_is_cancelled() {
    let env = env_with(|o| o.order_lookup = OrderLookup::SandboxControl).await;
    let sale = ambiguous_create(&env, "drop_after_commit").await;
    // Another transaction with the same order number appears (a duplicate send elsewhere).
    env.sandbox
        .create_payment_request("4.750", json!({"order_no": sale.order_no}))
        .await;
    assert_eq!(server_sessions(&env.sandbox, &sale.order_no).await.len(), 2);

    let settled = env.sales.reconcile(&sale.id).await.unwrap();
    assert_eq!(settled.state, SaleState::Created);
    let sessions = server_sessions(&env.sandbox, &sale.order_no).await;
    let live: Vec<_> = sessions
        .iter()
        .filter(|s| {
            ["created", "pending", "attempted"].contains(&s["state"].as_str().unwrap_or(""))
        })
        .collect();
    assert_eq!(live.len(), 1, "{sessions:?}");
    assert_eq!(
        live[0]["session_id"].as_str(),
        settled.session_id.as_deref()
    );
    assert!(sessions.iter().any(|s| s["state"] == "canceled"));
}

#[tokio::test]
async fn reconciliation_keeps_the_paid_one_when_duplicates_exist() {
    let env = env_with(|o| o.order_lookup = OrderLookup::SandboxControl).await;
    let sale = ambiguous_create(&env, "drop_after_commit").await;
    let other = env
        .sandbox
        .create_payment_request("4.750", json!({"order_no": sale.order_no}))
        .await;
    let other_id = other["session_id"].as_str().unwrap().to_owned();
    env.sandbox.pay(&other_id, None).await;

    let settled = env.sales.reconcile(&sale.id).await.unwrap();
    assert_eq!(settled.state, SaleState::Paid);
    assert_eq!(settled.session_id.as_deref(), Some(other_id.as_str()));
    let sessions = server_sessions(&env.sandbox, &sale.order_no).await;
    assert!(
        sessions
            .iter()
            .all(|s| s["state"] == "paid" || s["state"] == "canceled")
    );
}

#[tokio::test]
async fn an_unknown_sale_is_settled_in_the_background() {
    let env = env().await;
    let mut events = env.sales.subscribe();
    let sale = ambiguous_create(&env, "drop_after_commit").await;
    // Nobody calls reconcile: the tracker looks it up by itself, once, without re-sending.
    let settled = crate::helpers::wait_for(&mut events, &sale.id, SaleState::Created).await;
    assert!(settled.session_id.is_some());
    assert_eq!(server_sessions(&env.sandbox, &sale.order_no).await.len(), 1);
}

#[tokio::test]
async fn a_create_abandoned_mid_request_is_settled_without_a_restart() {
    let env = env().await;
    env.sandbox.arm_fault("delay", 1, Some(5_000)).await;
    cut_off_once_stored(&env, "CUT-2").await;
    let left = env.sales.history(Default::default()).await.unwrap().sales[0].clone();
    assert_eq!(left.state, SaleState::Sending);
    let settled = env.sales.reconcile(&left.id).await.unwrap();
    assert_eq!(settled.state, SaleState::Created);
    assert_eq!(server_sessions(&env.sandbox, &left.order_no).await.len(), 1);
}

#[tokio::test]
async fn without_the_inquiry_permission_an_unknown_sale_stays_unknown_and_says_why() {
    let sandbox = spawn_unthrottled_sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let sales = Sales::open(
        dir.path().join("h.sqlite3"),
        sandbox.client_as("cashier"),
        "demo",
        options(),
    )
    .await
    .unwrap();
    sandbox.arm_fault("drop_after_commit", 1, None).await;
    assert_eq!(
        sales.create(draft("3")).await.unwrap_err().code(),
        "ambiguous"
    );
    let sale = sales.history(Default::default()).await.unwrap().sales[0].clone();
    let error = sales.reconcile(&sale.id).await.unwrap_err();
    assert_eq!(error.code(), "forbidden", "{error}");
    let kept = sales.get(&sale.id).await.unwrap();
    assert_eq!(kept.state, SaleState::Unknown);
    assert!(kept.problem.unwrap().contains("could not check"));
    // Nothing was sent again, and retry refuses to send blind.
    assert!(sales.retry(&sale.id).await.is_err());
    assert_eq!(sandbox.sessions_by_order_no(&sale.order_no).await.len(), 1);
}

/// Starts a create with `order_no` and drops it as soon as the server has stored it.
async fn cut_off_once_stored(env: &crate::helpers::Env, order_no: &str) {
    let create = env.sales.create(pos_core::dto::SaleDraft {
        order_no: Some(order_no.into()),
        ..draft("8")
    });
    let stored = async {
        while server_sessions(&env.sandbox, order_no).await.is_empty() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    tokio::select! {
        result = create => panic!("the create finished despite the held-back answer: {result:?}"),
        () = stored => {}
    }
}
