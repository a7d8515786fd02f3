//! `PUT` (full) and `PATCH` (partial) of `/b/checkout/v1/pymt-txn/{session_id}/`.

use ottu_checkout::checkout::{PaymentState, UpdateCheckoutSession};
use ottu_checkout::{Amount, CurrencyCode, Error, SessionId};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::create::pos_request;
use crate::helpers::{SESSION_ID, api_key_header, fixture_json, spawn};

fn session_path() -> String {
    format!("/b/checkout/v1/pymt-txn/{SESSION_ID}/")
}

fn sid() -> SessionId {
    SessionId::parse(SESSION_ID).unwrap()
}

#[tokio::test]
async fn patch_sends_only_the_fields_that_are_set() {
    let api = spawn().await;
    Mock::given(method("PATCH"))
        .and(path(session_path()))
        .and(header("authorization", api_key_header().as_str()))
        .and(header("content-type", "application/json"))
        .and(body_json(serde_json::json!({
            "amount": "15.000", "currency_code": "KWD", "customer_first_name": "Noura"
        })))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(fixture_json("create_response_201.json")),
        )
        .expect(1)
        .mount(&api.server)
        .await;
    let edit = UpdateCheckoutSession {
        amount: Some(Amount::parse("15", &CurrencyCode::KWD).unwrap()),
        currency_code: Some(CurrencyCode::KWD),
        customer_first_name: Some("Noura".into()),
        ..Default::default()
    };

    let s = api.client.checkout().update(&sid(), &edit).await.unwrap();
    assert_eq!(s.state, Some(PaymentState::Created));
}

#[tokio::test]
async fn put_sends_the_full_create_body() {
    let api = spawn().await;
    Mock::given(method("PUT"))
        .and(path(session_path()))
        .and(header("content-type", "application/json"))
        .and(body_json(fixture_json("create_request_pos.json")))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(fixture_json("create_response_201.json")),
        )
        .expect(1)
        .mount(&api.server)
        .await;

    api.client
        .checkout()
        .replace(&sid(), &pos_request())
        .await
        .unwrap();
}

#[tokio::test]
async fn patch_state_error_is_a_validation_error_with_detail() {
    let api = spawn().await;
    Mock::given(method("PATCH"))
        .and(path(session_path()))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(fixture_json("error_400_list_wrapped_detail.json")),
        )
        .expect(1)
        .mount(&api.server)
        .await;
    let edit = UpdateCheckoutSession {
        customer_first_name: Some("Noura".into()),
        ..Default::default()
    };

    let err = api
        .client
        .checkout()
        .update(&sid(), &edit)
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        Error::Validation {
            status: Some(400),
            ..
        }
    ));
    assert_eq!(
        err.detail(),
        Some("Transaction in state paid cannot be updated.")
    );
}

#[tokio::test]
async fn patch_is_retried_after_a_5xx() {
    let api = spawn().await;
    Mock::given(method("PATCH"))
        .and(path(session_path()))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .with_priority(1)
        .expect(2)
        .mount(&api.server)
        .await;
    Mock::given(method("PATCH"))
        .and(path(session_path()))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(fixture_json("create_response_201.json")),
        )
        .expect(1)
        .mount(&api.server)
        .await;
    let edit = UpdateCheckoutSession {
        customer_phone: Some("+96511111111".into()),
        ..Default::default()
    };
    api.client.checkout().update(&sid(), &edit).await.unwrap();
}

#[tokio::test]
async fn patch_checks_set_fields_locally() {
    let api = spawn().await;
    let edit = UpdateCheckoutSession {
        amount: Some(Amount::parse_unchecked("1.2345").unwrap()),
        customer_email: Some("nope".into()),
        ..Default::default()
    };
    let err = api
        .client
        .checkout()
        .update(&sid(), &edit)
        .await
        .unwrap_err();
    assert!(err.is_local_validation());
    let fields = err.field_errors().unwrap();
    assert!(fields.contains("amount") && fields.contains("customer_email"));
    assert!(api.requests().await.is_empty());
}
