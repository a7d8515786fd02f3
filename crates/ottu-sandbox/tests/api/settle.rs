//! The answers a client settles a sale with: operations by an `order_no` that matches nothing,
//! cancel of a settled transaction, and the inquiry of a transaction still `created`.

use serde_json::{Value, json};

use crate::helpers::{call, spawn_sandbox};

const OPERATION: &str = "/b/pbl/v2/operation/";

async fn operate(sandbox: &ottu_sandbox::TestSandbox, body: Value) -> (u16, Value) {
    call(sandbox, "POST", OPERATION, Some(body)).await
}

#[tokio::test]
async fn operations_by_an_order_no_that_matches_nothing_are_404_not_found() {
    let sandbox = spawn_sandbox().await;
    // One other transaction exists, so "nothing" is not "an empty database".
    sandbox
        .create_payment_request("1", json!({"order_no": "THERE"}))
        .await;
    for op in ["cancel", "expire", "delete"] {
        assert_eq!(
            operate(&sandbox, json!({"operation": op, "order_no": "NOPE"})).await,
            (404, json!({"detail": "Not found."})),
            "{op}"
        );
    }
    // A deleted transaction's order_no matches nothing either.
    assert_eq!(
        operate(
            &sandbox,
            json!({"operation": "delete", "order_no": "THERE"})
        )
        .await
        .0,
        200
    );
    assert_eq!(
        operate(
            &sandbox,
            json!({"operation": "cancel", "order_no": "THERE"})
        )
        .await,
        (404, json!({"detail": "Not found."}))
    );
}

#[tokio::test]
async fn cancel_of_a_paid_canceled_expired_or_failed_transaction_is_400_failed() {
    let sandbox = spawn_sandbox().await;
    let create = |order_no: &'static str| {
        let sandbox = &sandbox;
        async move {
            sandbox
                .create_payment_request("1", json!({"order_no": order_no}))
                .await["session_id"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    let paid = create("S-PAID").await;
    sandbox.pay(&paid, None).await;
    let failed = create("S-FAILED").await;
    sandbox.fail(&failed).await;
    create("S-CANCELED").await;
    assert_eq!(
        operate(
            &sandbox,
            json!({"operation": "cancel", "order_no": "S-CANCELED"})
        )
        .await
        .0,
        200
    );
    create("S-EXPIRED").await;
    assert_eq!(
        operate(
            &sandbox,
            json!({"operation": "expire", "order_no": "S-EXPIRED"})
        )
        .await
        .0,
        200
    );
    for (order_no, state) in [
        ("S-PAID", "paid"),
        ("S-FAILED", "failed"),
        ("S-CANCELED", "canceled"),
        ("S-EXPIRED", "expired"),
    ] {
        assert_eq!(
            operate(
                &sandbox,
                json!({"operation": "cancel", "order_no": order_no})
            )
            .await,
            (
                400,
                json!({
                    "detail": format!("A payment transaction in the {state} state cannot be canceled."),
                    "operation": "cancel",
                    "result": "failed",
                })
            ),
            "{order_no}"
        );
    }
}

#[tokio::test]
async fn inquiry_of_a_created_transaction_is_200_with_the_webhook_shaped_body() {
    let sandbox = spawn_sandbox().await;
    let sid = sandbox
        .create_payment_request("4.5", json!({"order_no": "S-CREATED"}))
        .await["session_id"]
        .as_str()
        .unwrap()
        .to_owned();
    sandbox.advance_clock(600).await;
    let (status, body) = call(
        &sandbox,
        "POST",
        "/b/pbl/v2/inquiry/",
        Some(json!({"order_no": "S-CREATED"})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["session_id"], sid);
    assert_eq!(body["order_no"], "S-CREATED");
    assert_eq!(body["state"], "created");
    assert_eq!(body["result"], "pending");
    assert_eq!(body["amount"], "4.500");
    assert_eq!(body["paid_amount"], "0.000");
    assert_eq!(
        body["signature"],
        crate::helpers::expected_signature(&body, crate::helpers::TEST_WEBHOOK_KEY)
    );
}
