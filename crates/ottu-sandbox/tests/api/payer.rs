//! The payer's actions through the control routes, expiry on the movable clock, webhooks.

use std::time::Duration;

use serde_json::json;

use crate::helpers::{TEST_WEBHOOK_KEY, call, expected_signature, spawn_sandbox, webhook_receiver};

#[tokio::test]
async fn paying_moves_created_to_pending_to_paid_and_sends_a_signed_webhook() {
    let sandbox = spawn_sandbox().await;
    let receiver = webhook_receiver(200, Duration::ZERO).await;
    let created = sandbox.create_payment_request("12.5", json!({"webhook_url": receiver.url, "order_no": "POS-1", "customer_first_name": "Sara"})).await;
    let sid = created["session_id"].as_str().unwrap();
    assert_eq!(sandbox.open(sid).await["state"], "pending");
    let paid = sandbox.pay(sid, Some("knet")).await;
    assert_eq!(paid["state"], "paid");
    assert_eq!(
        paid["webhook"],
        json!({"outcome": "answered", "status": 200})
    );
    let (_, body) = call(
        &sandbox,
        "GET",
        &format!("/b/checkout/v1/pymt-txn/{sid}/"),
        None,
    )
    .await;
    assert_eq!(body["state"], "paid");
    assert_eq!(body["settled_pg_code"], "knet");

    let bodies = receiver.bodies.lock().unwrap().clone();
    assert_eq!(bodies.len(), 1);
    let hook = &bodies[0];
    assert_eq!(hook["state"], "paid");
    assert_eq!(hook["result"], "success");
    assert_eq!(hook["amount"], "12.500");
    assert_eq!(hook["order_no"], "POS-1");
    assert_eq!(hook["gateway_account"], "knet");
    assert_eq!(
        hook["signature"],
        expected_signature(hook, TEST_WEBHOOK_KEY)
    );
    let log = sandbox.webhooks().await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["outcome"], "delivered");
}

#[tokio::test]
async fn a_declined_card_leaves_the_link_payable_and_a_failed_one_does_not() {
    let sandbox = spawn_sandbox().await;
    let sid = sandbox.create_payment_request("1", json!({})).await["session_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(sandbox.decline(&sid).await["state"], "attempted");
    assert_eq!(sandbox.fail(&sid).await["state"], "failed");
    let (status, body) = sandbox
        .control(&format!("sessions/{sid}/pay"), json!({}))
        .await;
    assert_eq!(status, 409);
    assert_eq!(body["state"], "failed");
}

#[tokio::test]
async fn moving_the_clock_past_the_expiration_time_expires_the_link() {
    let sandbox = spawn_sandbox().await;
    let sid = sandbox
        .create_payment_request("1", json!({"expiration_time": "00:10:00"}))
        .await["session_id"]
        .as_str()
        .unwrap()
        .to_owned();
    // 590 s, not 599: real seconds also pass while the test runs on a busy machine.
    sandbox.advance_clock(590).await;
    let (_, body) = call(
        &sandbox,
        "GET",
        &format!("/b/checkout/v1/pymt-txn/{sid}/"),
        None,
    )
    .await;
    assert_eq!(body["state"], "created");
    sandbox.advance_clock(10).await;
    let (_, body) = call(
        &sandbox,
        "GET",
        &format!("/b/checkout/v1/pymt-txn/{sid}/"),
        None,
    )
    .await;
    assert_eq!(body["state"], "expired");
    let (status, _) = sandbox
        .control(&format!("sessions/{sid}/pay"), json!({}))
        .await;
    assert_eq!(status, 409);
}

#[tokio::test]
async fn a_timed_out_webhook_is_retried_and_a_500_is_not() {
    let sandbox = spawn_sandbox().await;
    let slow = webhook_receiver(200, Duration::from_secs(3)).await;
    let sid = sandbox
        .create_payment_request("1", json!({"webhook_url": slow.url}))
        .await["session_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let paid = sandbox.pay(&sid, None).await;
    assert_eq!(paid["webhook"]["outcome"], "timed_out");
    let log = sandbox.webhooks().await;
    assert_eq!(log.len(), 2, "one attempt and one retry: {log:?}");
    assert!(log.iter().all(|d| d["outcome"] == "timeout"));

    let failing = webhook_receiver(500, Duration::ZERO).await;
    let sid = sandbox
        .create_payment_request("1", json!({"webhook_url": failing.url}))
        .await["session_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let paid = sandbox.pay(&sid, None).await;
    assert_eq!(
        paid["webhook"],
        json!({"outcome": "answered", "status": 500})
    );
    assert_eq!(failing.bodies.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_late_gateway_success_turns_failed_and_expired_into_paid_with_the_webhook() {
    let sandbox = spawn_sandbox().await;
    let receiver = webhook_receiver(200, Duration::ZERO).await;
    let hook = |order: &str| json!({"webhook_url": receiver.url, "order_no": order});

    // failed → paid, on the gateway that failed.
    let failed = sandbox.create_payment_request("3", hook("LATE-1")).await;
    let sid = failed["session_id"].as_str().unwrap();
    sandbox.open(sid).await;
    assert_eq!(sandbox.fail(sid).await["state"], "failed");
    let (status, late) = sandbox.late_success(sid).await;
    assert_eq!(status, 200, "{late}");
    assert_eq!(late["state"], "paid");
    assert_eq!(
        late["webhook"],
        json!({"outcome": "answered", "status": 200})
    );
    let (_, body) = call(
        &sandbox,
        "GET",
        &format!("/b/checkout/v1/pymt-txn/{sid}/"),
        None,
    )
    .await;
    assert_eq!(body["state"], "paid");
    assert_eq!(body["settled_pg_code"], "knet");
    let last = receiver.bodies.lock().unwrap().last().cloned().unwrap();
    assert_eq!(
        (last["state"].as_str(), last["result"].as_str()),
        (Some("paid"), Some("success"))
    );
    assert_eq!(last["session_id"], sid);
    assert_eq!(
        last["signature"],
        expected_signature(&last, TEST_WEBHOOK_KEY)
    );

    // expired (lazily, on the movable clock) → paid.
    let expiring = sandbox
        .create_payment_request("4", json!({"expiration_time": "00:10:00"}))
        .await;
    let sid = expiring["session_id"].as_str().unwrap();
    sandbox.advance_clock(601).await;
    let (status, late) = sandbox.late_success(sid).await;
    assert_eq!(
        (status, late["state"].as_str()),
        (200, Some("paid")),
        "{late}"
    );
    assert_eq!(late["webhook"], json!({"outcome": "not_configured"}));

    // Expired by the `expire` operation → paid too.
    let ended = sandbox.create_payment_request("5", json!({})).await;
    let sid = ended["session_id"].as_str().unwrap();
    let (status, _) = call(
        &sandbox,
        "POST",
        "/b/pbl/v2/operation/",
        Some(json!({"operation": "expire", "session_id": sid})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(sandbox.late_success(sid).await.1["state"], "paid");
}

#[tokio::test]
async fn a_late_success_is_refused_for_open_canceled_and_paid_transactions() {
    let sandbox = spawn_sandbox().await;
    let open = sandbox.create_payment_request("3", json!({})).await;
    let sid = open["session_id"].as_str().unwrap().to_owned();
    let (status, body) = sandbox.late_success(&sid).await;
    assert_eq!(
        (status, body["state"].as_str()),
        (409, Some("created")),
        "{body}"
    );
    let (status, _) = call(
        &sandbox,
        "POST",
        "/b/pbl/v2/operation/",
        Some(json!({"operation": "cancel", "session_id": sid})),
    )
    .await;
    assert_eq!(status, 200);
    let (status, body) = sandbox.late_success(&sid).await;
    assert_eq!(
        (status, body["state"].as_str()),
        (409, Some("canceled")),
        "canceled is final"
    );
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("failed or expired")
    );

    let paid = sandbox.create_payment_request("3", json!({})).await;
    let sid = paid["session_id"].as_str().unwrap();
    sandbox.pay(sid, None).await;
    assert_eq!(sandbox.late_success(sid).await.0, 409);
    assert_eq!(sandbox.late_success(&"0".repeat(40)).await.0, 404);
    // Sent no webhook for the refusals.
    assert!(
        sandbox
            .webhooks()
            .await
            .iter()
            .all(|d| d["state"] == "paid")
    );
}
