//! The worked signature vectors from the fixture (CHECKOUT_API.md §13.2), through the public API.

use ottu_checkout::checkout::PaymentState;
use ottu_checkout::webhook::{
    SignatureScheme, WebhookError, compute_signature, parse_verified, signing_message, verify_body,
};

use crate::helpers::fixture_json;

#[test]
fn all_fixture_vectors_sign_and_verify() {
    let vectors = fixture_json("webhook_signature_vectors.json");
    let vectors = vectors.as_array().unwrap();
    assert_eq!(vectors.len(), 4);
    for v in vectors {
        let name = v["name"].as_str().unwrap();
        let key = v["key"].as_str().unwrap();
        let scheme = match v["scheme"].as_str().unwrap() {
            "standard" => SignatureScheme::Standard,
            _ => SignatureScheme::Subscription,
        };
        let payload = v["payload"].as_object().unwrap();
        assert_eq!(
            signing_message(payload, scheme),
            v["message"].as_str().unwrap(),
            "{name}"
        );
        let signature = compute_signature(payload, key, scheme);
        assert_eq!(signature, v["signature"].as_str().unwrap(), "{name}");

        let mut signed = payload.clone();
        signed.insert("signature".into(), signature.into());
        let body = serde_json::to_vec(&signed).unwrap();
        assert_eq!(verify_body(&body, key).unwrap().1, scheme, "{name}");
        assert!(verify_body(&body, format!("{key}x")).is_err(), "{name}");
    }
}

#[test]
fn a_signed_payment_webhook_parses_into_a_payment_status() {
    let body = crate::helpers::fixture("webhook_payment_paid.json");
    let (status, scheme) = parse_verified(body.as_bytes(), "pos-demo-hmac-key").unwrap();
    assert_eq!(scheme, SignatureScheme::Standard);
    assert_eq!(status.state, Some(PaymentState::Paid));
    assert_eq!(status.order_no.as_ref().unwrap().as_str(), "POS-0001");
    assert_eq!(status.raw["customer_email"], "");

    let tampered = body.replace("\"12.500\"", "\"1.500\"");
    assert_eq!(
        parse_verified(tampered.as_bytes(), "pos-demo-hmac-key").unwrap_err(),
        WebhookError::Mismatch
    );
}
