use super::*;
use crate::dto::Notify;

#[test]
fn the_request_is_a_payment_request_with_qr_and_short_link() {
    let draft = SaleDraft {
        amount: "12.5".into(),
        currency_code: "KWD".into(),
        customer_name: Some("سارة".into()),
        customer_phone: Some("99999999".into()),
        expires_in_minutes: Some(90),
        due_date: Some("2999-01-31".into()),
        notify: Some(Notify {
            sms: true,
            email: false,
            whatsapp: true,
        }),
        language: Some(Language::Ar),
        ..Default::default()
    };
    let valid = draft::validate(&draft, Language::En, &["knet".into()]).unwrap();
    let request = build_request(&valid, OrderNo::parse("POS-1").unwrap(), None);
    let json = serde_json::to_value(&request).unwrap();
    assert_eq!(json["type"], "payment_request");
    assert_eq!(json["amount"], "12.500");
    assert_eq!(json["currency_code"], "KWD");
    assert_eq!(json["pg_codes"], serde_json::json!(["knet"]));
    assert_eq!(json["order_no"], "POS-1");
    assert_eq!(json["customer_first_name"], "سارة");
    assert_eq!(json["customer_phone"], "+96599999999");
    assert_eq!(json["language"], "ar");
    assert_eq!(json["expiration_time"], "01:30:00");
    assert_eq!(json["due_datetime"], "31/01/2999 23:59");
    assert_eq!(json["generate_qr_code"], true);
    assert_eq!(json["shortify_checkout_url"], true);
    assert_eq!(
        json["notifications"],
        serde_json::json!({"sms": ["created", "paid"], "whatsapp": ["created", "paid"]})
    );
    // The stored form reads back into the same request (retry after a restart).
    let back: CreateCheckoutSession = serde_json::from_value(json).unwrap();
    assert_eq!(back, request);
}

#[test]
fn durations_read_back_into_minutes() {
    assert_eq!(parse_duration_minutes("01:30:00"), Some(90));
    assert_eq!(parse_duration_minutes("1 00:00:00"), Some(1440));
    assert_eq!(parse_duration_minutes("x"), None);
}

#[test]
fn failures_are_classified_by_what_the_server_may_have_done() {
    let refused = classify(
        ApiError::Transport {
            message: "connection refused".into(),
            connect: true,
        },
        "s1",
    );
    assert_eq!(refused.state, SaleState::Rejected);
    assert_eq!(refused.error.code(), "network");

    let lost = classify(ApiError::Timeout, "s1");
    assert_eq!(lost.state, SaleState::Unknown);
    assert_eq!(lost.error.code(), "ambiguous");

    let body = ottu_checkout::ErrorBody::parse(
        r#"{"customer_first_name": ["Ensure this field has no more than 64 characters."],
                "notifications": {"sms": ["To use sms notifications provide the `customer_phone` field."]}}"#,
    );
    let rejected = classify(
        ApiError::Validation {
            status: Some(400),
            body: Box::new(body),
        },
        "s1",
    );
    assert_eq!(rejected.state, SaleState::Rejected);
    assert_eq!(rejected.error.code(), "api_rejected");
    let mapped = rejected.error.field_errors();
    assert!(mapped.contains_key("customer_name"));
    assert!(mapped.contains_key("notify"));
}
