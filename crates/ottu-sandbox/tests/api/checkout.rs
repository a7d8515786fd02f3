//! Create, retrieve, PUT and PATCH over HTTP.

use serde_json::json;

use crate::helpers::{call, spawn_sandbox};

#[tokio::test]
async fn create_returns_201_with_a_normalised_kwd_amount_and_links() {
    let sandbox = spawn_sandbox().await;
    let (status, body) = call(
        &sandbox,
        "POST",
        "/b/checkout/v1/pymt-txn/",
        Some(json!({
            "type": "payment_request", "amount": "12.34", "currency_code": "KWD",
            "pg_codes": ["knet", "credit-card"], "order_no": "POS-0001",
            "generate_qr_code": true, "shortify_checkout_url": true,
        })),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["amount"], "12.340");
    assert_eq!(body["state"], "created");
    let session_id = body["session_id"].as_str().unwrap();
    assert_eq!(session_id.len(), 40);
    assert_eq!(
        body["checkout_url"],
        format!(
            "{}/b/checkout/redirect/start/?session_id={session_id}",
            sandbox.base_url()
        )
    );
    assert!(
        body["checkout_short_url"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{}/b/", sandbox.base_url()))
    );
    assert!(body["qr_code_url"].as_str().unwrap().ends_with(".png"));
    assert_eq!(body["payment_methods"].as_array().unwrap().len(), 2);
    assert!(
        body.get("generate_qr_code").is_none(),
        "write-only flags are never echoed"
    );
}

#[tokio::test]
async fn retrieve_works_with_and_without_the_trailing_slash() {
    let sandbox = spawn_sandbox().await;
    let created = sandbox.create_payment_request("5", json!({})).await;
    let sid = created["session_id"].as_str().unwrap();
    let (s1, with_slash) = call(
        &sandbox,
        "GET",
        &format!("/b/checkout/v1/pymt-txn/{sid}/"),
        None,
    )
    .await;
    let (s2, without) = call(
        &sandbox,
        "GET",
        &format!("/b/checkout/v1/pymt-txn/{sid}"),
        None,
    )
    .await;
    assert_eq!((s1, s2), (200, 200));
    assert_eq!(with_slash, without);
    assert_eq!(with_slash["amount"], "5.000");
}

#[tokio::test]
async fn patch_changes_the_amount_and_keeps_the_rest() {
    let sandbox = spawn_sandbox().await;
    let created = sandbox
        .create_payment_request("5", json!({"customer_first_name": "Sara"}))
        .await;
    let sid = created["session_id"].as_str().unwrap();
    let (status, body) = call(
        &sandbox,
        "PATCH",
        &format!("/b/checkout/v1/pymt-txn/{sid}"),
        Some(json!({"amount": "7.5"})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["amount"], "7.500");
    assert_eq!(body["customer_first_name"], "Sara");
    let (_, again) = call(
        &sandbox,
        "GET",
        &format!("/b/checkout/v1/pymt-txn/{sid}/"),
        None,
    )
    .await;
    assert_eq!(again["amount"], "7.500");
}

#[tokio::test]
async fn an_unknown_session_is_404_not_found() {
    let sandbox = spawn_sandbox().await;
    let (status, body) = call(
        &sandbox,
        "GET",
        "/b/checkout/v1/pymt-txn/0000000000000000000000000000000000000000/",
        None,
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(body, json!({"detail": "Not found."}));
}

#[tokio::test]
async fn a_restart_on_the_same_database_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sandbox.sqlite3");
    let mut config = ottu_sandbox::SandboxConfig::new(&db, ottu_sandbox::MerchantConfig::demo());
    config.durability = ottu_sandbox::Durability::Full;
    let first = ottu_sandbox::Sandbox::start(config.clone()).await.unwrap();
    let client = reqwest::Client::new();
    let created: serde_json::Value = client
        .post(format!("{}/b/checkout/v1/pymt-txn/", first.base_url()))
        .header("Authorization", format!("Api-Key {}", ottu_sandbox::config::DEMO_API_KEY))
        .json(&json!({"type": "payment_request", "amount": "1", "currency_code": "KWD", "pg_codes": ["knet"]}))
        .send().await.unwrap().json().await.unwrap();
    client
        .post(format!("{}/_sandbox/clock/advance", first.base_url()))
        .json(&json!({"seconds": 60}))
        .send()
        .await
        .unwrap();
    first.shutdown().await;

    let second = ottu_sandbox::Sandbox::start(config).await.unwrap();
    let sid = created["session_id"].as_str().unwrap();
    let response = client
        .get(format!(
            "{}/b/checkout/v1/pymt-txn/{sid}/",
            second.base_url()
        ))
        .header(
            "Authorization",
            format!("Api-Key {}", ottu_sandbox::config::DEMO_API_KEY),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let clock: serde_json::Value = client
        .get(format!("{}/_sandbox/clock", second.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(clock["offset_seconds"], 60);
    second.shutdown().await;
}
