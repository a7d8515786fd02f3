//! `POST /b/pbl/v2/inquiry/`: finding a transaction by `order_no`.

use ottu_checkout::checkout::PaymentState;
use ottu_checkout::inquiry::AttemptResult;
use ottu_checkout::{Error, OrderNo};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::helpers::{SESSION_ID, api_key_header, fixture_json, spawn};

const INQUIRY_PATH: &str = "/b/pbl/v2/inquiry/";

fn order() -> OrderNo {
    OrderNo::parse("POS-0001").unwrap()
}

#[tokio::test]
async fn status_by_order_no_reads_the_webhook_shaped_answer() {
    let api = spawn().await;
    Mock::given(method("POST"))
        .and(path(INQUIRY_PATH))
        .and(header("authorization", api_key_header().as_str()))
        .and(header("content-type", "application/json"))
        .and(body_json(fixture_json("inquiry_request_by_order_no.json")))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(fixture_json("inquiry_response_paid.json")),
        )
        .expect(1)
        .mount(&api.server)
        .await;

    let status = api.client.inquiry().status(order()).await.unwrap();

    assert_eq!(status.session_id.as_ref().unwrap().as_str(), SESSION_ID);
    assert_eq!(status.state, Some(PaymentState::Paid));
    assert_eq!(status.result, Some(AttemptResult::Success));
    assert_eq!(status.amount.as_ref().unwrap().as_str(), "12.500");
    assert_eq!(status.raw["customer_email"], "");
    assert_eq!(
        serde_json::to_value(&status).unwrap(),
        fixture_json("inquiry_response_paid.json")
    );
}

#[tokio::test]
async fn unknown_order_is_an_error_and_never_repeated() {
    let api = spawn().await;
    Mock::given(method("POST"))
        .and(path(INQUIRY_PATH))
        .respond_with(
            ResponseTemplate::new(400).set_body_json(fixture_json("inquiry_error_400.json")),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .expect(1)
        .mount(&api.server)
        .await;
    Mock::given(method("POST"))
        .and(path(INQUIRY_PATH))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&api.server)
        .await;

    let err = api.client.inquiry().status(order()).await.unwrap_err();
    assert!(matches!(
        err,
        Error::Validation {
            status: Some(400),
            ..
        }
    ));
    assert_eq!(err.body().unwrap().result.as_deref(), Some("failed"));
    let err = api.client.inquiry().status(order()).await.unwrap_err();
    assert!(matches!(err, Error::Server { status: 503, .. }));
}

#[tokio::test]
async fn notify_sends_the_flag_and_checks_the_url() {
    let api = spawn().await;
    Mock::given(method("POST"))
        .and(path(INQUIRY_PATH))
        .and(body_json(serde_json::json!({
            "order_no": "POS-0001", "notify_webhook_url": true,
            "webhook_url": "https://merchant.example/hook"
        })))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(fixture_json("inquiry_response_paid.json")),
        )
        .expect(1)
        .mount(&api.server)
        .await;
    let inquiry = api.client.inquiry();
    inquiry
        .status_and_notify(order(), Some("https://merchant.example/hook"))
        .await
        .unwrap();
    let err = inquiry
        .status_and_notify(order(), Some("not a url"))
        .await
        .unwrap_err();
    assert!(err.is_local_validation());
}

#[tokio::test]
async fn a_throttled_inquiry_is_typed_in_every_shape_and_not_repeated_for_a_long_wait() {
    let api = spawn().await;
    let drf = |n: u32| serde_json::json!({"detail": format!("Request was throttled. Expected available in {n} seconds.")});
    // 429 with Retry-After far beyond the retry policy: returned at once, sent once.
    Mock::given(method("POST"))
        .and(path(INQUIRY_PATH))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "1800")
                .set_body_json(drf(1800)),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .expect(1)
        .mount(&api.server)
        .await;
    // 400 InquiryFailure saying "throttled" (what a server with no 429 may send).
    let mut failed = drf(120);
    failed["result"] = "failed".into();
    Mock::given(method("POST"))
        .and(path(INQUIRY_PATH))
        .respond_with(ResponseTemplate::new(400).set_body_json(failed.clone()))
        .up_to_n_times(1)
        .with_priority(2)
        .expect(1)
        .mount(&api.server)
        .await;
    // 200 with the same refusal body.
    Mock::given(method("POST"))
        .and(path(INQUIRY_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(failed))
        .up_to_n_times(1)
        .with_priority(3)
        .expect(1)
        .mount(&api.server)
        .await;
    // 429 with no wait at all (limit used up): not repeated either.
    Mock::given(method("POST"))
        .and(path(INQUIRY_PATH))
        .respond_with(ResponseTemplate::new(429).set_body_json(
            serde_json::json!({"detail": "Request was throttled. No more inquiries."}),
        ))
        .with_priority(4)
        .expect(1)
        .mount(&api.server)
        .await;

    let inquiry = api.client.inquiry();
    let secs = |n| Some(std::time::Duration::from_secs(n));
    let e = inquiry.status(order()).await.unwrap_err();
    assert!(matches!(e, Error::Throttled { status: 429, .. }), "{e:?}");
    assert_eq!(e.retry_after(), secs(1800));
    let e = inquiry.status(order()).await.unwrap_err();
    assert!(matches!(e, Error::Throttled { status: 400, .. }), "{e:?}");
    assert_eq!(e.retry_after(), secs(120));
    let e = inquiry.status(order()).await.unwrap_err();
    assert!(matches!(e, Error::Throttled { status: 200, .. }), "{e:?}");
    let e = inquiry.status(order()).await.unwrap_err();
    assert!(matches!(e, Error::Throttled { status: 429, .. }), "{e:?}");
    assert_eq!(e.retry_after(), None);
    assert!(!e.may_have_been_applied());
}

#[tokio::test]
async fn a_short_retry_after_is_waited_for_and_the_inquiry_repeated() {
    let api = spawn().await;
    Mock::given(method("POST"))
        .and(path(INQUIRY_PATH))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .with_priority(1)
        .expect(1)
        .mount(&api.server)
        .await;
    Mock::given(method("POST"))
        .and(path(INQUIRY_PATH))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(fixture_json("inquiry_response_paid.json")),
        )
        .expect(1)
        .mount(&api.server)
        .await;
    let status = api.client.inquiry().status(order()).await.unwrap();
    assert_eq!(status.state, Some(PaymentState::Paid));
}
