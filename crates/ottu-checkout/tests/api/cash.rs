//! `POST /b/pbl/v2/payment/cash/`: the cash acknowledgement, sent once.

use ottu_checkout::checkout::PaymentState;
use ottu_checkout::inquiry::AttemptResult;
use ottu_checkout::{Error, SessionId};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::helpers::{SESSION_ID, api_key_header, fixture_json, spawn};

const CASH_PATH: &str = "/b/pbl/v2/payment/cash/";

fn session() -> SessionId {
    SessionId::parse(SESSION_ID).unwrap()
}

#[tokio::test]
async fn acknowledge_sends_the_session_and_reads_the_cod_answer() {
    let api = spawn().await;
    Mock::given(method("POST"))
        .and(path(CASH_PATH))
        .and(header("authorization", api_key_header().as_str()))
        .and(header("content-type", "application/json"))
        .and(body_json(fixture_json("cash_request.json")))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(fixture_json("cash_response_cod.json")),
        )
        .expect(1)
        .mount(&api.server)
        .await;
    let status = api.client.cash().acknowledge(&session()).await.unwrap();
    assert_eq!(status.state, Some(PaymentState::Cod));
    assert_eq!(status.result, Some(AttemptResult::Cod));
    assert_eq!(status.gateway_account.as_deref(), Some("cash"));
    assert_eq!(status.amount.as_ref().unwrap().as_str(), "4.500");
    assert_eq!(status.raw["message"], "Cash payment acknowledged");
}

#[tokio::test]
async fn refusals_are_validation_errors_and_never_repeated() {
    let api = spawn().await;
    Mock::given(method("POST"))
        .and(path(CASH_PATH))
        .respond_with(
            ResponseTemplate::new(400).set_body_json(fixture_json("cash_error_already.json")),
        )
        .expect(1)
        .mount(&api.server)
        .await;
    let error = api.client.cash().acknowledge(&session()).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Validation {
                status: Some(400),
                ..
            }
        ),
        "{error:?}"
    );
    assert!(
        error
            .detail()
            .unwrap()
            .contains("already been acknowledged")
    );
}

#[tokio::test]
async fn an_unknown_session_names_the_field() {
    let api = spawn().await;
    Mock::given(method("POST"))
        .and(path(CASH_PATH))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(fixture_json("cash_error_unknown_session.json")),
        )
        .expect(1)
        .mount(&api.server)
        .await;
    let error = api.client.cash().acknowledge(&session()).await.unwrap_err();
    let fields = error.field_errors().expect("field errors");
    assert_eq!(
        fields.messages("session_id"),
        vec!["Payment transaction with this session_id does not exist."]
    );
}

#[tokio::test]
async fn a_server_error_is_not_repeated() {
    let api = spawn().await;
    Mock::given(method("POST"))
        .and(path(CASH_PATH))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&api.server)
        .await;
    let error = api.client.cash().acknowledge(&session()).await.unwrap_err();
    assert_eq!(error.status(), Some(503));
}
