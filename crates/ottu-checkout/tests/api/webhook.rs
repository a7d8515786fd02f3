//! The worked signature vectors from the fixture (digest §13.2), through the public API.

use ottu_checkout::webhook::{SignatureScheme, compute_signature, signing_message, verify_body};

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
