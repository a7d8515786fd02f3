//! `GET /b/checkout/v1/pymt-txn/{session_id}/`: lenient reading, retries, decode errors.

use std::time::Duration;

use ottu_checkout::checkout::{CheckoutType, GatewayOperation, PaymentState, PaymentType};
use ottu_checkout::{Auth, Error, SessionId};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::helpers::{SESSION_ID, api_key_header, fixture_json, spawn, spawn_with};

fn session_path() -> String {
    format!("/b/checkout/v1/pymt-txn/{SESSION_ID}/")
}

fn sid() -> SessionId {
    SessionId::parse(SESSION_ID).unwrap()
}

#[tokio::test]
async fn retrieve_gets_the_path_with_trailing_slash_and_reads_a_sparse_body() {
    let api = spawn().await;
    Mock::given(method("GET"))
        .and(path(session_path()))
        .and(header("authorization", api_key_header().as_str()))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(fixture_json("retrieve_response_paid_sparse.json")),
        )
        .expect(1)
        .mount(&api.server)
        .await;

    let s = api.client.checkout().retrieve(&sid()).await.unwrap();

    assert_eq!(s.state, Some(PaymentState::Paid));
    assert_eq!(s.customer_email, None, "\"\" reads as None");
    assert_eq!(s.customer_phone, None, "null reads as None");
    assert_eq!(s.checkout_short_url, None);
    assert_eq!(s.qr_code_url, None);
    // The seed spec's single-object form, with a `type` outside the enum.
    assert_eq!(s.payment_methods.len(), 1);
    assert_eq!(
        s.payment_methods[0].method_type,
        Some(CheckoutType::Unknown)
    );
    assert_eq!(s.payment_methods[0].pg.as_deref(), Some("Ottu PG"));
    assert_eq!(s.payment_methods[0].fee_description, None);
    assert_eq!(s.sdk_setup_preload_payload, None, "false reads as None");
    assert_eq!(s.billing_address, None);
    assert_eq!(s.settled_pg_code.as_deref(), Some("knet"));
    assert!(s.notifications.unwrap().is_empty());
    let sent = &api.requests().await[0];
    assert!(sent.body.is_empty());
    assert!(sent.headers.get("content-type").is_none());
}

#[tokio::test]
async fn unknown_server_enum_values_read_as_unknown() {
    let api = spawn().await;
    Mock::given(method("GET"))
        .and(path(session_path()))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(fixture_json("retrieve_response_unknown_state.json")),
        )
        .mount(&api.server)
        .await;

    let s = api.client.checkout().retrieve(&sid()).await.unwrap();

    assert_eq!(s.state, Some(PaymentState::Unknown));
    assert_eq!(s.payment_type, Some(PaymentType::Unknown));
    assert_eq!(s.operation, Some(GatewayOperation::Unknown));
    assert_eq!(s.checkout_type, Some(CheckoutType::PaymentRequest));
}

#[tokio::test]
async fn retrieve_retries_a_5xx_then_succeeds() {
    let api = spawn().await;
    Mock::given(method("GET"))
        .and(path(session_path()))
        .respond_with(ResponseTemplate::new(502).set_body_string("bad gateway"))
        .up_to_n_times(1)
        .with_priority(1)
        .expect(1)
        .mount(&api.server)
        .await;
    Mock::given(method("GET"))
        .and(path(session_path()))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(fixture_json("create_response_201.json")),
        )
        .expect(1)
        .mount(&api.server)
        .await;

    let s = api.client.checkout().retrieve(&sid()).await.unwrap();
    assert_eq!(s.state, Some(PaymentState::Created));
}

#[tokio::test]
async fn retrieve_gives_up_after_the_policy_attempts() {
    let api = spawn().await;
    Mock::given(method("GET"))
        .and(path(session_path()))
        .respond_with(
            ResponseTemplate::new(500).set_body_json(serde_json::json!({"detail": "boom"})),
        )
        .expect(3)
        .mount(&api.server)
        .await;

    let err = api.client.checkout().retrieve(&sid()).await.unwrap_err();
    assert!(matches!(err, Error::Server { status: 500, .. }));
    assert_eq!(err.detail(), Some("boom"));
}

#[tokio::test]
async fn retrieve_does_not_retry_a_404() {
    let api = spawn().await;
    Mock::given(method("GET"))
        .and(path(session_path()))
        .respond_with(ResponseTemplate::new(404).set_body_json(fixture_json("error_404.json")))
        .expect(1)
        .mount(&api.server)
        .await;

    let err = api.client.checkout().retrieve(&sid()).await.unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }));
    assert_eq!(err.detail(), Some("Not found."));
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn retrieve_timeouts_are_retried_then_reported() {
    let api = spawn_with(Auth::api_key("k.v"), Duration::from_millis(200)).await;
    Mock::given(method("GET"))
        .and(path(session_path()))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(2)))
        .expect(3)
        .mount(&api.server)
        .await;

    let err = api.client.checkout().retrieve(&sid()).await.unwrap_err();
    assert!(matches!(err, Error::Timeout), "{err:?}");
    assert!(err.may_have_been_applied());
}

#[tokio::test]
async fn decode_errors_name_the_json_path() {
    let api = spawn().await;
    let mut body = fixture_json("create_response_201.json");
    body["payment_methods"][1]["amount"] = serde_json::json!("12,750");
    Mock::given(method("GET"))
        .and(path(session_path()))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&api.server)
        .await;

    let err = api.client.checkout().retrieve(&sid()).await.unwrap_err();
    let Error::Decode {
        path,
        status,
        message,
        body_snippet,
    } = &err
    else {
        panic!("expected Decode, got {err:?}")
    };
    assert_eq!(path, "payment_methods[1].amount");
    assert_eq!(*status, 200);
    assert!(message.contains("12,750"), "{message}");
    assert!(body_snippet.starts_with('{'));
    assert!(!err.may_have_been_applied() || *status == 200);
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_decode_error_at_the_root() {
    let api = spawn().await;
    Mock::given(method("GET"))
        .and(path(session_path()))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>maintenance</html>"))
        .mount(&api.server)
        .await;

    let err = api.client.checkout().retrieve(&sid()).await.unwrap_err();
    assert!(
        matches!(&err, Error::Decode { path, body_snippet, .. } if path == "." && body_snippet.contains("maintenance")),
        "{err:?}"
    );
}

#[tokio::test]
async fn missing_session_id_is_a_decode_error_naming_it() {
    let api = spawn().await;
    Mock::given(method("GET"))
        .and(path(session_path()))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"state": "paid"})),
        )
        .mount(&api.server)
        .await;

    let err = api.client.checkout().retrieve(&sid()).await.unwrap_err();
    assert!(err.to_string().contains("session_id"), "{err}");
}
