//! `POST /b/pbl/v2/operation/`: cancel and expire.

use ottu_checkout::operations::{OperationKind, OperationResult};
use ottu_checkout::{Error, OrderNo, SessionId};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::helpers::{SESSION_ID, api_key_header, fixture_json, spawn};

const OPERATION_PATH: &str = "/b/pbl/v2/operation/";

#[tokio::test]
async fn cancel_by_session_id_sends_the_documented_body() {
    let api = spawn().await;
    Mock::given(method("POST"))
        .and(path(OPERATION_PATH))
        .and(header("authorization", api_key_header().as_str()))
        .and(header("content-type", "application/json"))
        .and(body_json(fixture_json("operation_cancel_request.json")))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(fixture_json("operation_cancel_response.json")),
        )
        .expect(1)
        .mount(&api.server)
        .await;

    let outcome = api
        .client
        .operations()
        .cancel(SessionId::parse(SESSION_ID).unwrap())
        .await
        .unwrap();

    assert_eq!(outcome.operation, Some(OperationKind::Cancel));
    assert_eq!(outcome.result, Some(OperationResult::Success));
}

#[tokio::test]
async fn expire_by_order_no() {
    let api = spawn().await;
    Mock::given(method("POST"))
        .and(path(OPERATION_PATH))
        .and(body_json(fixture_json(
            "operation_expire_request_by_order_no.json",
        )))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(fixture_json("operation_expire_response.json")),
        )
        .expect(1)
        .mount(&api.server)
        .await;

    let outcome = api
        .client
        .operations()
        .expire(OrderNo::parse("POS-0001").unwrap())
        .await
        .unwrap();
    assert_eq!(outcome.operation, Some(OperationKind::Expire));
}

#[tokio::test]
async fn cancel_in_a_wrong_state_is_a_validation_error_naming_the_operation() {
    let api = spawn().await;
    Mock::given(method("POST"))
        .and(path(OPERATION_PATH))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(fixture_json("error_400_operation_failure.json")),
        )
        .expect(1)
        .mount(&api.server)
        .await;

    let err = api
        .client
        .operations()
        .cancel(SessionId::parse(SESSION_ID).unwrap())
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        Error::Validation {
            status: Some(400),
            ..
        }
    ));
    assert_eq!(err.body().unwrap().operation.as_deref(), Some("cancel"));
}

#[tokio::test]
async fn a_200_reporting_failure_is_an_error() {
    let api = spawn().await;
    Mock::given(method("POST"))
        .and(path(OPERATION_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "detail": "Could not cancel.", "operation": "cancel", "result": "failed"
        })))
        .mount(&api.server)
        .await;
    let err = api
        .client
        .operations()
        .cancel(SessionId::parse(SESSION_ID).unwrap())
        .await
        .unwrap_err();
    assert_eq!(err.detail(), Some("Could not cancel."));
}

#[tokio::test]
async fn missing_operation_field_error_and_forbidden() {
    let api = spawn().await;
    Mock::given(method("POST"))
        .and(path(OPERATION_PATH))
        .respond_with(
            ResponseTemplate::new(400).set_body_json(fixture_json("operation_error_field.json")),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&api.server)
        .await;
    Mock::given(method("POST"))
        .and(path(OPERATION_PATH))
        .respond_with(ResponseTemplate::new(403).set_body_json(fixture_json("error_403.json")))
        .mount(&api.server)
        .await;
    let ops = api.client.operations();
    let err = ops
        .cancel(SessionId::parse(SESSION_ID).unwrap())
        .await
        .unwrap_err();
    assert_eq!(
        err.field_errors().unwrap().messages("operation"),
        vec!["This field is required."]
    );
    let err = ops
        .expire(SessionId::parse(SESSION_ID).unwrap())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Forbidden { .. }));
}

#[tokio::test]
async fn cancel_is_retried_after_a_dropped_answer() {
    let api = spawn().await;
    Mock::given(method("POST"))
        .and(path(OPERATION_PATH))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .with_priority(1)
        .expect(1)
        .mount(&api.server)
        .await;
    Mock::given(method("POST"))
        .and(path(OPERATION_PATH))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(fixture_json("operation_cancel_response.json")),
        )
        .expect(1)
        .mount(&api.server)
        .await;
    api.client
        .operations()
        .cancel(SessionId::parse(SESSION_ID).unwrap())
        .await
        .unwrap();
}
