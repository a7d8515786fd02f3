//! `POST /b/checkout/v1/pymt-txn/`: request shape, success, errors, and the never-retry rule.

use std::time::Duration;

use ottu_checkout::attachment::AttachmentFile;
use ottu_checkout::checkout::{
    Agreement, AgreementType, CheckoutType, CreateCheckoutSession, NotificationEvent,
    Notifications, PaymentState, PaymentType,
};
use ottu_checkout::{Amount, Auth, Client, CurrencyCode, Error, OrderNo, PgCode};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::helpers::{SESSION_ID, api_key_header, fixture_json, spawn, spawn_with};

const CREATE_PATH: &str = "/b/checkout/v1/pymt-txn/";

/// The body of `create_request_pos.json`, built through the typed API.
pub fn pos_request() -> CreateCheckoutSession {
    let kwd = CurrencyCode::KWD;
    let mut r = CreateCheckoutSession::new(
        CheckoutType::PaymentRequest,
        Amount::parse("12.5", &kwd).unwrap(),
        kwd,
        vec![
            PgCode::parse("knet").unwrap(),
            PgCode::parse("credit-card").unwrap(),
        ],
    );
    r.order_no = Some(OrderNo::parse("POS-0001").unwrap());
    r.customer_phone = Some("+96599999999".into());
    r.customer_first_name = Some("Sara".into());
    r.expiration_time = Some("01:00:00".into());
    r.webhook_url = Some("https://merchant.example/ottu/webhook".into());
    r.generate_qr_code = true;
    r.shortify_checkout_url = true;
    r
}

#[tokio::test]
async fn create_sends_the_documented_request_and_reads_the_201_body() {
    let api = spawn().await;
    Mock::given(method("POST"))
        .and(path(CREATE_PATH))
        .and(header("authorization", api_key_header().as_str()))
        .and(header("content-type", "application/json"))
        .and(header("accept", "application/json"))
        .and(body_json(fixture_json("create_request_pos.json")))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(fixture_json("create_response_201.json")),
        )
        .expect(1)
        .mount(&api.server)
        .await;

    let session = api.client.checkout().create(&pos_request()).await.unwrap();

    assert_eq!(session.session_id.as_str(), SESSION_ID);
    assert_eq!(session.state, Some(PaymentState::Created));
    assert_eq!(session.amount.as_ref().unwrap().as_str(), "12.500");
    assert_eq!(session.currency_code, Some(CurrencyCode::KWD));
    assert_eq!(
        session.share_url(),
        Some("https://merchant.ottu.net/b/Xy12ab")
    );
    assert!(session.qr_code_url.as_deref().unwrap().ends_with(".png"));
    assert_eq!(session.payment_methods.len(), 2);
    assert_eq!(
        session.payment_methods[1].fee.as_ref().unwrap().as_str(),
        "0.250"
    );
    assert_eq!(session.payment_methods[1].redirect_url, None);
}

#[tokio::test]
async fn create_sends_each_auth_kind_in_its_documented_header() {
    for (auth, expected) in [
        (
            Auth::basic("cashier", "p@ss word"),
            "Basic Y2FzaGllcjpwQHNzIHdvcmQ=",
        ),
        (
            Auth::bearer("eyJhbGciOi.J9.sig"),
            "Bearer eyJhbGciOi.J9.sig",
        ),
        (Auth::api_key("abc.def"), "Api-Key abc.def"),
    ] {
        let api = spawn_with(auth, Duration::from_secs(5)).await;
        Mock::given(method("POST"))
            .and(path(CREATE_PATH))
            .and(header("authorization", expected))
            .respond_with(
                ResponseTemplate::new(201).set_body_json(fixture_json("create_response_201.json")),
            )
            .expect(1)
            .mount(&api.server)
            .await;
        api.client.checkout().create(&pos_request()).await.unwrap();
    }
}

#[tokio::test]
async fn create_is_never_retried_and_a_5xx_is_ambiguous_with_the_order_no() {
    let api = spawn().await;
    Mock::given(method("POST"))
        .and(path(CREATE_PATH))
        .respond_with(ResponseTemplate::new(503).set_body_string("<html>busy</html>"))
        .expect(1)
        .mount(&api.server)
        .await;

    let err = api
        .client
        .checkout()
        .create(&pos_request())
        .await
        .unwrap_err();

    match &err {
        Error::Ambiguous { order_no, source } => {
            assert_eq!(order_no.as_ref().unwrap().as_str(), "POS-0001");
            assert!(matches!(**source, Error::Server { status: 503, .. }));
        }
        other => panic!("expected Ambiguous, got {other:?}"),
    }
    assert!(err.may_have_been_applied());
    assert!(!err.is_retryable());
    assert!(err.to_string().contains("POS-0001"));
}

#[tokio::test]
async fn create_timeout_is_ambiguous() {
    let api = spawn_with(Auth::api_key("k.v"), Duration::from_millis(300)).await;
    Mock::given(method("POST"))
        .and(path(CREATE_PATH))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(fixture_json("create_response_201.json"))
                .set_delay(Duration::from_secs(3)),
        )
        .expect(1)
        .mount(&api.server)
        .await;

    let err = api
        .client
        .checkout()
        .create(&pos_request())
        .await
        .unwrap_err();

    assert!(
        matches!(&err, Error::Ambiguous { source, .. } if matches!(**source, Error::Timeout)),
        "{err:?}"
    );
}

#[tokio::test]
async fn create_with_an_unreadable_201_body_is_ambiguous() {
    let api = spawn().await;
    Mock::given(method("POST"))
        .and(path(CREATE_PATH))
        .respond_with(
            ResponseTemplate::new(201).set_body_raw("{\"session_id\": ", "application/json"),
        )
        .expect(1)
        .mount(&api.server)
        .await;

    let err = api
        .client
        .checkout()
        .create(&pos_request())
        .await
        .unwrap_err();

    let Error::Ambiguous { source, .. } = &err else {
        panic!("expected Ambiguous, got {err:?}")
    };
    let Error::Decode {
        status,
        body_snippet,
        ..
    } = source.as_ref()
    else {
        panic!("expected Decode, got {source:?}")
    };
    assert_eq!(*status, 201);
    assert!(body_snippet.contains("session_id"));
}

#[tokio::test]
async fn create_refused_connection_is_not_ambiguous() {
    // Bind then drop a listener so the port is closed.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let client = Client::new(format!("http://127.0.0.1:{port}"), Auth::api_key("k.v")).unwrap();

    let err = client.checkout().create(&pos_request()).await.unwrap_err();

    assert!(
        matches!(err, Error::Transport { connect: true, .. }),
        "{err:?}"
    );
    assert!(!err.may_have_been_applied());
    assert!(err.is_retryable());
}

#[tokio::test]
async fn create_validation_error_is_not_ambiguous() {
    let api = spawn().await;
    Mock::given(method("POST"))
        .and(path(CREATE_PATH))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(fixture_json("error_400_nested_field_errors.json")),
        )
        .expect(1)
        .mount(&api.server)
        .await;

    let err = api
        .client
        .checkout()
        .create(&pos_request())
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
        err.field_errors().unwrap().messages("notifications.sms"),
        vec!["To use sms notifications provide the `customer_phone` field."]
    );
    assert!(!err.may_have_been_applied());
}

/// Runs a request that must be stopped locally: nothing may reach the server.
async fn refused_locally(request: &CreateCheckoutSession) -> ottu_checkout::FieldErrors {
    let api = spawn().await;
    let err = api.client.checkout().create(request).await.unwrap_err();
    assert!(err.is_local_validation(), "{err:?}");
    assert!(api.requests().await.is_empty(), "a request was sent");
    err.field_errors().unwrap().clone()
}

#[tokio::test]
async fn save_card_needs_a_zero_amount() {
    let mut r = pos_request();
    r.payment_type = Some(PaymentType::SaveCard);
    r.customer_id = Some("cust-1".into());
    let errors = refused_locally(&r).await;
    assert_eq!(errors.flatten().len(), 1, "{errors:?}");
    assert!(errors.contains("amount"));

    r.amount = Amount::parse("0", &CurrencyCode::KWD).unwrap();
    assert!(r.validate().is_ok());
}

#[tokio::test]
async fn auto_debit_needs_agreement_and_customer_id() {
    let mut r = pos_request();
    r.payment_type = Some(PaymentType::AutoDebit);
    let errors = refused_locally(&r).await;
    assert!(errors.contains("agreement"));
    assert!(errors.contains("customer_id"));
}

#[tokio::test]
async fn recurring_agreement_needs_its_mandatory_fields() {
    let mut r = pos_request();
    r.payment_type = Some(PaymentType::AutoDebit);
    r.customer_id = Some("cust-1".into());
    r.agreement = Some(Agreement {
        id: Some("agr-1".into()),
        ..Default::default()
    });
    let errors = refused_locally(&r).await;
    for field in [
        "agreement.amount_variability",
        "agreement.cycle_interval_days",
        "agreement.expiry_date",
        "agreement.frequency",
        "agreement.total_cycles",
    ] {
        assert_eq!(
            errors.messages(field),
            vec!["This field is required."],
            "{field}"
        );
    }
    assert!(!errors.contains("agreement.id"));

    // An unscheduled agreement needs only id, frequency and type.
    r.agreement = Some(Agreement {
        id: Some("agr-1".into()),
        agreement_type: Some(AgreementType::Unscheduled),
        frequency: Some(ottu_checkout::checkout::AgreementFrequency::Irregular),
        ..Default::default()
    });
    assert!(r.validate().is_ok(), "{:?}", r.field_errors());
}

#[tokio::test]
async fn notifications_need_the_matching_contact_field() {
    let mut r = pos_request();
    r.customer_phone = None;
    r.notifications = Some(Notifications {
        sms: vec![NotificationEvent::Paid],
        email: vec![NotificationEvent::Created],
        whatsapp: vec![NotificationEvent::Refunded],
    });
    let errors = refused_locally(&r).await;
    assert_eq!(
        errors.messages("notifications.sms"),
        vec!["To use sms notifications provide the `customer_phone` field."]
    );
    assert_eq!(
        errors.messages("notifications.email"),
        vec!["To use email notifications provide the `customer_email` field."]
    );
    // WhatsApp has no `refunded` event, and also needs the phone.
    assert_eq!(errors.messages("notifications.whatsapp").len(), 2);
}

#[tokio::test]
async fn limits_and_formats_are_checked_before_sending() {
    let mut r = pos_request();
    r.customer_phone = Some("+9659999999999999".into()); // 17 chars
    r.customer_email = Some("not-an-email".into());
    r.customer_birthdate = Some("17/05/1990".into());
    r.expiration_time = Some("1 hour".into());
    r.webhook_url = Some("ftp://merchant.example/hook".into());
    r.attachment_upload_url = Some("payment_transactions/attachments/a.zip".into());
    r.due_datetime = Some("next friday".into());
    r.pg_codes.clear();
    let errors = refused_locally(&r).await;
    for field in [
        "customer_phone",
        "customer_email",
        "customer_birthdate",
        "expiration_time",
        "webhook_url",
        "attachment_upload_url",
        "due_datetime",
        "pg_codes",
    ] {
        assert!(errors.contains(field), "{field} not reported: {errors:?}");
    }
}

#[tokio::test]
async fn create_with_attachment_sends_multipart_with_the_file() {
    let api = spawn().await;
    Mock::given(method("POST"))
        .and(path(CREATE_PATH))
        .and(header("authorization", api_key_header().as_str()))
        .and(|req: &wiremock::Request| {
            let ct = req
                .headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            let body = String::from_utf8_lossy(&req.body);
            ct.starts_with("multipart/form-data; boundary=")
                && body.contains("name=\"attachment\"; filename=\"invoice.pdf\"")
                && body.contains("%PDF-1.4 test")
                && body.contains("name=\"amount\"\r\n\r\n12.500\r\n")
                && body.matches("name=\"pg_codes\"").count() == 2
                && body.contains("name=\"generate_qr_code\"\r\n\r\ntrue\r\n")
        })
        .respond_with(
            ResponseTemplate::new(201).set_body_json(fixture_json("create_response_201.json")),
        )
        .expect(1)
        .mount(&api.server)
        .await;
    let file = AttachmentFile::new("invoice.pdf", b"%PDF-1.4 test".to_vec()).unwrap();

    let session = api
        .client
        .checkout()
        .create_with_attachment(&pos_request(), &file)
        .await
        .unwrap();

    assert_eq!(session.session_id.as_str(), SESSION_ID);
}

#[tokio::test]
async fn create_with_attachment_refuses_nested_fields() {
    let mut r = pos_request();
    r.notifications = Some(Notifications {
        sms: vec![NotificationEvent::Paid],
        ..Default::default()
    });
    let api = spawn().await;
    let file = AttachmentFile::new("invoice.pdf", b"%PDF".to_vec()).unwrap();
    let err = api
        .client
        .checkout()
        .create_with_attachment(&r, &file)
        .await
        .unwrap_err();
    assert!(err.field_errors().unwrap().contains("notifications"));
    assert!(api.requests().await.is_empty());
}

#[tokio::test]
async fn a_429_on_create_is_waited_out_and_sent_again_because_nothing_was_created() {
    let api = spawn().await;
    Mock::given(method("POST"))
        .and(path("/b/checkout/v1/pymt-txn/"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .with_priority(1)
        .expect(1)
        .mount(&api.server)
        .await;
    Mock::given(method("POST"))
        .and(path("/b/checkout/v1/pymt-txn/"))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(fixture_json("create_response_201.json")),
        )
        .expect(1)
        .mount(&api.server)
        .await;
    let session = api.client.checkout().create(&pos_request()).await.unwrap();
    assert_eq!(session.session_id.as_str(), SESSION_ID);
}

#[tokio::test]
async fn a_429_on_create_with_a_long_wait_comes_back_as_rate_limited_not_ambiguous() {
    let api = spawn().await;
    Mock::given(method("POST"))
        .and(path("/b/checkout/v1/pymt-txn/"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "3600"))
        .expect(1)
        .mount(&api.server)
        .await;
    let started = std::time::Instant::now();
    let err = api
        .client
        .checkout()
        .create(&pos_request())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::RateLimited { .. }), "{err:?}");
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    assert!(!err.may_have_been_applied());
    assert!(started.elapsed() < Duration::from_secs(2), "bounded");
}
