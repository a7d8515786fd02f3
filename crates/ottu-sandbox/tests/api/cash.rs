//! The cash acknowledgement over HTTP (`/b/pbl/v2/payment/cash/` and the deprecated
//! `/b/pbl/v2/cash-payment/`): the chosen state table, the transaction's cash gateway, the
//! permission order and DRF-shaped errors.

use serde_json::json;

use crate::helpers::{call, call_as, spawn_sandbox};

const CASH: &str = "/b/pbl/v2/payment/cash/";
const DEPRECATED: &str = "/b/pbl/v2/cash-payment/";

#[tokio::test]
async fn a_created_transaction_with_a_cash_gateway_becomes_cod_on_both_paths() {
    let sandbox = spawn_sandbox().await;
    for path in [CASH, DEPRECATED, "/b/pbl/v2/payment/cash"] {
        let created = sandbox
            .create_payment_request(
                "4.500",
                json!({"pg_codes": ["knet", "cash"], "order_no": path}),
            )
            .await;
        let sid = created["session_id"].as_str().unwrap();
        let (status, body) = call(&sandbox, "POST", path, Some(json!({"session_id": sid}))).await;
        assert_eq!(status, 200, "{path}: {body}");
        assert_eq!(body["state"], "cod", "{path}");
        assert_eq!(body["result"], "cod");
        assert_eq!(body["session_id"], sid);
        assert_eq!(body["amount"], "4.500");
        assert_eq!(body["gateway_account"], "cash");
        assert_eq!(sandbox.session(sid).await["state"], "cod");
        // A second acknowledgement is refused in Ottu's operation-error shape.
        let (status, again) = call(&sandbox, "POST", path, Some(json!({"session_id": sid}))).await;
        assert_eq!(status, 400);
        assert_eq!(again["result"], "failed");
        assert!(
            again["detail"].as_str().unwrap().contains("already"),
            "{again}"
        );
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn refusals_name_the_field_the_gateway_or_the_state() {
    let sandbox = spawn_sandbox().await;
    let (status, body) = call(&sandbox, "POST", CASH, Some(json!({}))).await;
    assert_eq!(
        (status, body),
        (400, json!({"session_id": ["This field is required."]}))
    );
    let long = "a".repeat(129);
    let (status, body) = call(&sandbox, "POST", CASH, Some(json!({"session_id": long}))).await;
    assert_eq!(status, 400);
    assert_eq!(
        body["session_id"][0],
        "Ensure this field has no more than 128 characters."
    );
    let (status, body) = call(&sandbox, "POST", CASH, Some(json!({"session_id": "f00d"}))).await;
    assert_eq!(
        (status, body),
        (
            400,
            json!({"session_id": ["Payment transaction with this session_id does not exist."]})
        )
    );
    // No cash gateway among its pg_codes.
    let card_only = sandbox.create_payment_request("1.000", json!({})).await;
    let sid = card_only["session_id"].as_str().unwrap();
    let (status, body) = call(&sandbox, "POST", CASH, Some(json!({"session_id": sid}))).await;
    assert_eq!(status, 400);
    assert_eq!(body["result"], "failed");
    assert!(body["detail"].as_str().unwrap().contains("cash"), "{body}");
    // Paid on the hosted page: no longer acknowledgeable.
    let paid = sandbox
        .create_payment_request("1.000", json!({"pg_codes": ["knet", "cash"]}))
        .await;
    let sid = paid["session_id"].as_str().unwrap();
    sandbox.pay(sid, Some("knet")).await;
    let (status, body) = call(&sandbox, "POST", CASH, Some(json!({"session_id": sid}))).await;
    assert_eq!(status, 400);
    assert_eq!(
        body["detail"],
        "A payment transaction in the paid state cannot be acknowledged as paid in cash."
    );
    assert_eq!(sandbox.session(sid).await["state"], "paid");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn permissions_are_change_on_the_plugin_and_use_of_the_cash_gateway() {
    let sandbox = spawn_sandbox().await;
    let created = sandbox
        .create_payment_request("2.000", json!({"pg_codes": ["knet", "cash"]}))
        .await;
    let sid = created["session_id"].as_str().unwrap();
    let body = Some(json!({"session_id": sid}));
    let (status, answer) = call_as(&sandbox, "", "POST", CASH, body.clone()).await;
    assert_eq!(status, 401, "{answer}");
    // View only: no change permission at all.
    let (status, _) = call_as(
        &sandbox,
        &sandbox.basic_header("viewer"),
        "POST",
        CASH,
        body.clone(),
    )
    .await;
    assert_eq!(status, 403);
    // Change payment requests, but no `Can use Cash`.
    let (status, answer) = call_as(
        &sandbox,
        &sandbox.basic_header("cashier"),
        "POST",
        DEPRECATED,
        body.clone(),
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(
        answer["detail"],
        "You do not have permission to perform this action."
    );
    assert_eq!(sandbox.session(sid).await["state"], "created");
    let (status, answer) = call_as(
        &sandbox,
        &sandbox.basic_header("counter"),
        "POST",
        CASH,
        body,
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["state"], "cod");
    sandbox.shutdown().await;
}
