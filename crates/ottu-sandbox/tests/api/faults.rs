//! Fault injection on create: each kind stores (or not) and answers as documented.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::helpers::spawn_sandbox;

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
