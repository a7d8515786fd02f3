//! Every field of the seed's create schema survives the typed request and response structs.

use ottu_checkout::checkout::{
    AgreementFrequency, CheckoutSession, CreateCheckoutSession, Language, NotificationEvent,
    PaymentType, UpdateCheckoutSession,
};
use serde_json::Value;

use crate::helpers::fixture_json;

/// Writable properties of `CheckoutPOSTRequest` in `seed-create-openapi.json` (plus
/// `preload_checkout_page` from the current spec). `attachment` is a file and travels only in
/// multipart bodies (covered by `create_with_attachment_sends_multipart_with_the_file`).
const SEED_REQUEST_FIELDS: &[&str] = &[
    "agreement",
    "amount",
    "attachment_upload_url",
    "billing_address",
    "card_acceptance_criteria",
    "currency_code",
    "customer_birthdate",
    "customer_email",
    "customer_first_name",
    "customer_id",
    "customer_last_name",
    "customer_phone",
    "customer_phone_2",
    "due_datetime",
    "email_recipients",
    "expiration_time",
    "extra",
    "generate_qr_code",
    "include_sdk_setup_preload",
    "initiator_id",
    "language",
    "notifications",
    "order_no",
    "payment_type",
    "pg_codes",
    "preload_checkout_page",
    "product_type",
    "redirect_url",
    "shipping_address",
    "shortify_attachment_url",
    "shortify_checkout_url",
    "type",
    "unit_code",
    "vendor_name",
    "webhook_url",
];

/// Properties of `CheckoutPOSTResponse` that are not write-only.
const SEED_RESPONSE_FIELDS: &[&str] = &[
    "agreement",
    "amount",
    "attachment",
    "attachment_short_url",
    "attachment_upload_url",
    "billing_address",
    "card_acceptance_criteria",
    "checkout_short_url",
    "checkout_url",
    "currency_code",
    "customer_birthdate",
    "customer_email",
    "customer_first_name",
    "customer_id",
    "customer_last_name",
    "customer_phone",
    "customer_phone_2",
    "due_datetime",
    "email_recipients",
    "expiration_time",
    "extra",
    "initiator_id",
    "language",
    "notifications",
    "operation",
    "order_no",
    "payment_methods",
    "payment_type",
    "pg_codes",
    "product_type",
    "qr_code_url",
    "redirect_url",
    "sdk_setup_preload_payload",
    "session_id",
    "settled_pg_code",
    "shipping_address",
    "state",
    "type",
    "vendor_name",
    "webhook_url",
];

#[test]
fn every_seed_request_field_round_trips_through_create_checkout_session() {
    let fixture = fixture_json("create_request_all_fields.json");
    let object = fixture.as_object().unwrap();
    for field in SEED_REQUEST_FIELDS {
        assert!(object.contains_key(*field), "fixture lacks {field}");
    }
    assert_eq!(
        object.len(),
        SEED_REQUEST_FIELDS.len(),
        "fixture has extra keys"
    );

    let typed: CreateCheckoutSession = serde_json::from_value(fixture.clone()).unwrap();
    typed
        .validate()
        .expect("the all-fields fixture is a valid request");
    assert_eq!(typed.payment_type, Some(PaymentType::AutoDebit));
    assert_eq!(typed.language, Some(Language::Ar));
    assert_eq!(
        typed.agreement.as_ref().unwrap().frequency,
        Some(AgreementFrequency::Monthly)
    );
    assert_eq!(
        typed.notifications.as_ref().unwrap().email,
        vec![
            NotificationEvent::Created,
            NotificationEvent::Paid,
            NotificationEvent::Refunded
        ]
    );
    assert_eq!(
        typed.shipping_address.as_ref().unwrap().address.country,
        "KW"
    );

    let back = serde_json::to_value(&typed).unwrap();
    assert_eq!(back, fixture, "serialised request differs from the fixture");
    assert!(back["amount"].is_string() && back["agreement"]["total_cycles"].is_u64());
    assert!(back["generate_qr_code"].is_boolean() && back["initiator_id"].is_i64());
}

#[test]
fn every_seed_request_field_round_trips_through_the_patch_body() {
    let fixture = fixture_json("create_request_all_fields.json");
    let mut typed: UpdateCheckoutSession = serde_json::from_value(fixture.clone()).unwrap();
    // `preload_checkout_page` is create-only; the PATCH body has no such field.
    let mut expected = fixture;
    expected
        .as_object_mut()
        .unwrap()
        .remove("preload_checkout_page");
    assert_eq!(serde_json::to_value(&typed).unwrap(), expected);
    typed.validate().unwrap();
    typed = UpdateCheckoutSession::default();
    assert!(typed.is_empty());
    assert_eq!(serde_json::to_string(&typed).unwrap(), "{}");
}

/// Drops `null` and `""` recursively: the client reads both as "absent".
fn without_empty(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null() && v.as_str() != Some(""))
                .map(|(k, v)| (k.clone(), without_empty(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_empty).collect()),
        other => other.clone(),
    }
}

#[test]
fn every_seed_response_field_round_trips_through_checkout_session() {
    let fixture = fixture_json("create_response_all_fields.json");
    let object = fixture.as_object().unwrap();
    for field in SEED_RESPONSE_FIELDS {
        assert!(object.contains_key(*field), "fixture lacks {field}");
    }

    let typed: CheckoutSession = serde_json::from_value(fixture.clone()).unwrap();
    assert_eq!(typed.settled_pg_code, None);
    assert_eq!(
        typed.payment_methods[0]
            .pg_icons
            .as_ref()
            .unwrap()
            .label
            .as_deref(),
        Some("KNET")
    );
    let sdk = typed.sdk_setup_preload_payload.as_ref().unwrap();
    assert_eq!(sdk.is_amount_editable, Some(false));
    assert!(sdk.cancel_url.as_deref().unwrap().ends_with("/cancel/"));

    let back = without_empty(&serde_json::to_value(&typed).unwrap());
    let expected = without_empty(&fixture);
    for (key, value) in expected.as_object().unwrap() {
        assert_eq!(
            back.get(key),
            Some(value),
            "field {key} changed in the round trip"
        );
    }
}
