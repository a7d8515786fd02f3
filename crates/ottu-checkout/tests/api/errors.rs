//! Every documented error shape maps to its variant, with its messages readable.

use std::time::Duration;

use ottu_checkout::{Error, SessionId};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::helpers::{SESSION_ID, fixture, spawn};

/// Answers one GET with `status` and `body`, returns the client's error.
async fn error_for(status: u16, body: &str, content_type: &str) -> Error {
    let api = spawn().await;
    Mock::given(method("GET"))
        .and(path(format!("/b/checkout/v1/pymt-txn/{SESSION_ID}/")))
        .respond_with(
            ResponseTemplate::new(status)
                .set_body_raw(body.to_owned(), content_type)
                .insert_header("retry-after", "2"),
        )
        .mount(&api.server)
        .await;
    api.client
        .checkout()
        .retrieve(&SessionId::parse(SESSION_ID).unwrap())
        .await
        .unwrap_err()
}

async fn error_for_fixture(status: u16, name: &str) -> Error {
    error_for(status, &fixture(name), "application/json").await
}

#[tokio::test]
async fn field_errors_400() {
    let err = error_for_fixture(400, "error_400_field_errors.json").await;
    assert!(matches!(
        err,
        Error::Validation {
            status: Some(400),
            ..
        }
    ));
    let f = err.field_errors().unwrap();
    assert_eq!(f.messages("amount"), vec!["This field is required."]);
    assert_eq!(f.messages("currency_code"), vec!["This field is required."]);
    assert!(
        err.to_string()
            .starts_with("request rejected: amount: This field is required.")
    );
}

#[tokio::test]
async fn nested_field_errors_400() {
    let err = error_for_fixture(400, "error_400_nested_field_errors.json").await;
    assert_eq!(
        err.field_errors().unwrap().flatten(),
        vec![(
            "notifications.sms".to_owned(),
            "To use sms notifications provide the `customer_phone` field.".to_owned()
        )]
    );
}

#[tokio::test]
async fn operation_failure_400_keeps_operation_and_result() {
    let err = error_for_fixture(400, "error_400_operation_failure.json").await;
    let body = err.body().unwrap();
    assert_eq!(body.operation.as_deref(), Some("cancel"));
    assert_eq!(body.result.as_deref(), Some("failed"));
    assert!(body.fields.is_empty());
    assert!(err.detail().unwrap().contains("not allowed"));
}

#[tokio::test]
async fn envelope_error_is_read_defensively() {
    let err = error_for_fixture(400, "error_envelope.json").await;
    assert_eq!(
        err.field_errors().unwrap().messages("amount"),
        vec!["Amount has too many decimals."]
    );
}

#[tokio::test]
async fn auth_and_permission_errors() {
    let err = error_for_fixture(401, "error_401.json").await;
    assert!(matches!(err, Error::Unauthorized { .. }));
    assert_eq!(
        err.detail(),
        Some("Authentication credentials were not provided.")
    );
    let err = error_for_fixture(401, "error_401_invalid.json").await;
    assert!(matches!(err, Error::Unauthorized { .. }));
    let err = error_for_fixture(403, "error_403.json").await;
    assert!(matches!(err, Error::Forbidden { .. }));
    assert_eq!(err.status(), Some(403));
    assert!(!err.is_retryable() && !err.may_have_been_applied());
}

#[tokio::test]
async fn not_found_method_media_type_locked() {
    assert!(matches!(
        error_for_fixture(404, "error_404.json").await,
        Error::NotFound { .. }
    ));
    assert!(matches!(
        error_for_fixture(405, "error_405.json").await,
        Error::Api { status: 405, .. }
    ));
    let err = error_for_fixture(415, "error_415.json").await;
    assert!(matches!(err, Error::UnsupportedMediaType { .. }));
    assert!(err.detail().unwrap().contains("text/plain"));
    let err = error_for_fixture(423, "error_423.json").await;
    assert!(matches!(err, Error::Locked { .. }));
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn rate_limit_429_carries_retry_after() {
    let err = error_for_fixture(429, "error_429.json").await;
    match &err {
        Error::RateLimited { retry_after, body } => {
            assert_eq!(*retry_after, Some(Duration::from_secs(2)));
            assert!(
                body.detail
                    .as_deref()
                    .unwrap()
                    .starts_with("Request was throttled")
            );
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    assert!(err.is_retryable());
}

#[tokio::test]
async fn non_json_error_body_keeps_the_raw_text() {
    let err = error_for(502, "<html><h1>502 Bad Gateway</h1></html>", "text/html").await;
    let Error::Server { status, body } = &err else {
        panic!("expected Server, got {err:?}")
    };
    assert_eq!(*status, 502);
    assert_eq!(body.raw, "<html><h1>502 Bad Gateway</h1></html>");
    assert!(err.to_string().contains("502 Bad Gateway"));
    assert!(err.is_retryable() && err.may_have_been_applied());
}

#[tokio::test]
async fn non_json_client_error_is_kept_too() {
    let err = error_for(400, "Bad Request", "text/plain").await;
    assert!(matches!(
        err,
        Error::Validation {
            status: Some(400),
            ..
        }
    ));
    assert_eq!(err.body().unwrap().raw, "Bad Request");
    assert_eq!(err.to_string(), "request rejected: Bad Request");
}

#[tokio::test]
async fn an_answer_larger_than_the_cap_is_refused_not_buffered() {
    // A hostile or broken host (no Ottu answer comes near the cap); a stand-in server, since the
    // sandbox never answers like this.
    let huge = "x".repeat(ottu_checkout::client::MAX_RESPONSE_BYTES + 1);
    let err = error_for(200, &huge, "application/json").await;
    match err {
        Error::Decode { message, .. } => assert!(message.contains("larger than"), "{message}"),
        other => panic!("expected a decode error, got {other:?}"),
    }
    // Just under the cap is read (and then fails as the JSON it is not).
    let under = "x".repeat(1024);
    let err = error_for(200, &under, "application/json").await;
    assert!(
        matches!(&err, Error::Decode { message, .. } if !message.contains("larger than")),
        "{err:?}"
    );
}
