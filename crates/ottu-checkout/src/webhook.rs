//! Webhook signatures (CHECKOUT_API.md §13.2): compute and verify the `signature` Ottu puts inside the
//! JSON body of payment (and operation) webhooks.
//!
//! Standard form: take the [`SIGNED_KEYS`] present with a non-empty value, sort them by name,
//! concatenate `key` + `value` with no separators, HMAC-SHA256 with the merchant's webhook key,
//! lower-case hex. Subscription form: the [`SUBSCRIPTION_SIGNED_PATHS`] (dotted paths are
//! nested lookups), each rendered `path=value`, sorted, joined with `\n`.
//! [`verify_signature`] accepts either, trying the standard form first.
//!
//! Values are rendered as strings are, numbers by their JSON text, booleans as `True`/`False`
//! (the reference implementation is Python); objects and lists are never part of a message.

use hmac::{Hmac, Mac};
use serde_json::{Map, Value};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The 18 top-level keys of the standard signature, sorted.
pub const SIGNED_KEYS: [&str; 18] = [
    "amount",
    "currency_code",
    "customer_address_city",
    "customer_address_country",
    "customer_address_line1",
    "customer_address_line2",
    "customer_address_postal_code",
    "customer_address_state",
    "customer_email",
    "customer_first_name",
    "customer_last_name",
    "customer_phone",
    "gateway_account",
    "gateway_name",
    "order_no",
    "reference_number",
    "result",
    "state",
];

/// Paths of the subscription (auto-pay) signature: the standard keys plus nested ones.
pub const SUBSCRIPTION_SIGNED_PATHS: [&str; 26] = [
    "agreement.id",
    "amount",
    "currency_code",
    "customer_address_city",
    "customer_address_country",
    "customer_address_line1",
    "customer_address_line2",
    "customer_address_postal_code",
    "customer_address_state",
    "customer_email",
    "customer_first_name",
    "customer_last_name",
    "customer_phone",
    "extra.autopay.subscription_id",
    "extra.merchant_id",
    "gateway_account",
    "gateway_name",
    "order_no",
    "payment_type",
    "reference_number",
    "result",
    "session_id",
    "state",
    "token.customer_id",
    "token.pg_code",
    "token.token",
];

/// Which message layout a signature was made with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureScheme {
    /// `key value` pairs concatenated (all merchants).
    Standard,
    /// `path=value` lines (subscription / auto-pay payloads).
    Subscription,
}

/// Why a webhook was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The body is not a JSON object.
    #[error("webhook body is not a JSON object")]
    NotAnObject,
    /// There is no `signature` string in the body.
    #[error("webhook body has no signature")]
    MissingSignature,
    /// The signature does not match the payload under either scheme.
    #[error("webhook signature does not match")]
    Mismatch,
    /// Signed correctly, but a field does not have the documented type.
    #[error("webhook payload does not match the documented shape: {0}")]
    Malformed(String),
}

fn render(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(true) => Some("True".to_owned()),
        Value::Bool(false) => Some("False".to_owned()),
        _ => None,
    }
}

fn lookup<'a>(payload: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    let mut parts = path.split('.');
    let mut current = payload.get(parts.next()?)?;
    for part in parts {
        current = current.as_object()?.get(part)?;
    }
    Some(current)
}

/// The exact string that is signed for `payload` under `scheme`.
pub fn signing_message(payload: &Map<String, Value>, scheme: SignatureScheme) -> String {
    match scheme {
        SignatureScheme::Standard => SIGNED_KEYS
            .iter()
            .filter_map(|key| {
                payload
                    .get(*key)
                    .and_then(render)
                    .map(|v| format!("{key}{v}"))
            })
            .collect(),
        SignatureScheme::Subscription => SUBSCRIPTION_SIGNED_PATHS
            .iter()
            .filter_map(|path| {
                lookup(payload, path)
                    .and_then(render)
                    .map(|v| format!("{path}={v}"))
            })
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

fn mac(key: &[u8]) -> HmacSha256 {
    // HMAC accepts keys of any length; this cannot fail.
    HmacSha256::new_from_slice(key).unwrap_or_else(|_| unreachable!("hmac takes any key length"))
}

/// The lower-case hex signature of `payload` under `scheme` with the webhook `key`.
pub fn compute_signature(
    payload: &Map<String, Value>,
    key: impl AsRef<[u8]>,
    scheme: SignatureScheme,
) -> String {
    let mut m = mac(key.as_ref());
    m.update(signing_message(payload, scheme).as_bytes());
    hex::encode(m.finalize().into_bytes())
}

/// Checks the `signature` inside `payload` (constant-time), trying the standard scheme, then
/// the subscription one. Returns the scheme that matched.
pub fn verify_signature(
    payload: &Value,
    key: impl AsRef<[u8]>,
) -> Result<SignatureScheme, WebhookError> {
    let map = payload.as_object().ok_or(WebhookError::NotAnObject)?;
    let signature = map
        .get("signature")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or(WebhookError::MissingSignature)?;
    let expected = hex::decode(signature.trim()).map_err(|_| WebhookError::Mismatch)?;
    for scheme in [SignatureScheme::Standard, SignatureScheme::Subscription] {
        let mut m = mac(key.as_ref());
        m.update(signing_message(map, scheme).as_bytes());
        if m.verify_slice(&expected).is_ok() {
            return Ok(scheme);
        }
    }
    Err(WebhookError::Mismatch)
}

/// Parses a raw webhook body and verifies it; returns the payload and the matching scheme.
pub fn verify_body(
    body: &[u8],
    key: impl AsRef<[u8]>,
) -> Result<(Value, SignatureScheme), WebhookError> {
    let payload: Value = serde_json::from_slice(body).map_err(|_| WebhookError::NotAnObject)?;
    let scheme = verify_signature(&payload, key)?;
    Ok((payload, scheme))
}

/// Verifies a raw webhook body and reads it as a [`PaymentStatus`].
///
/// [`PaymentStatus`]: crate::inquiry::PaymentStatus
pub fn parse_verified(
    body: &[u8],
    key: impl AsRef<[u8]>,
) -> Result<(crate::inquiry::PaymentStatus, SignatureScheme), WebhookError> {
    let (payload, scheme) = verify_body(body, key)?;
    let Value::Object(map) = payload else {
        return Err(WebhookError::NotAnObject);
    };
    let status = crate::inquiry::PaymentStatus::from_map(map)
        .map_err(|e| WebhookError::Malformed(e.to_string()))?;
    Ok((status, scheme))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn key_lists_are_sorted() {
        assert!(SIGNED_KEYS.windows(2).all(|w| w[0] < w[1]));
        assert!(SUBSCRIPTION_SIGNED_PATHS.windows(2).all(|w| w[0] < w[1]));
        for key in SIGNED_KEYS {
            assert!(SUBSCRIPTION_SIGNED_PATHS.contains(&key));
        }
    }

    #[test]
    fn vector_1_documentation_example() {
        let p = obj(json!({
            "amount": "86.000", "currency_code": "KWD", "customer_first_name": "example-customer"
        }));
        assert_eq!(
            signing_message(&p, SignatureScheme::Standard),
            "amount86.000currency_codeKWDcustomer_first_nameexample-customer"
        );
        assert_eq!(
            compute_signature(&p, "pu9MpX3yPR", SignatureScheme::Standard),
            "6143b8ad4bd283540721ab000f6de746e722231aaaa90bc38f639081d3ff9f67"
        );
    }

    #[test]
    fn vector_2_pos_payment_drops_empty_and_unsigned_keys() {
        let mut payload = json!({
            "amount": "12.500", "currency_code": "KWD", "customer_email": "",
            "customer_first_name": "Sara", "customer_phone": "+96599999999",
            "gateway_account": "knet", "gateway_name": "knet", "order_no": "POS-0001",
            "reference_number": "sandboxAB12C", "result": "success", "state": "paid",
            "session_id": "3f1c0e5b8a9d4c2e7f6a1b0c9d8e7f6a5b4c3d2e", "fee": "0.000 KWD",
            "timestamp_utc": "2026-11-22 02:00:00"
        });
        let p = obj(payload.clone());
        assert_eq!(
            signing_message(&p, SignatureScheme::Standard),
            "amount12.500currency_codeKWDcustomer_first_nameSaracustomer_phone+96599999999gateway_accountknetgateway_nameknetorder_noPOS-0001reference_numbersandboxAB12Cresultsuccessstatepaid"
        );
        let expected = "e01a3a5a36472236bd91e2c7789da8dcc302c814f4674d9b1911e4e7bc378007";
        assert_eq!(
            compute_signature(&p, "pos-demo-hmac-key", SignatureScheme::Standard),
            expected
        );
        payload["signature"] = json!(expected);
        assert_eq!(
            verify_signature(&payload, "pos-demo-hmac-key"),
            Ok(SignatureScheme::Standard)
        );
        assert_eq!(
            verify_signature(&payload, "wrong-key"),
            Err(WebhookError::Mismatch)
        );
        payload["amount"] = json!("12.600");
        assert_eq!(
            verify_signature(&payload, "pos-demo-hmac-key"),
            Err(WebhookError::Mismatch)
        );
    }

    #[test]
    fn vector_3_minimal_payment() {
        let p = obj(json!({
            "amount": "50.000", "currency_code": "KWD", "gateway_account": "default",
            "gateway_name": "knet", "order_no": "ord-1", "reference_number": "ref-1",
            "result": "success", "state": "paid"
        }));
        assert_eq!(
            signing_message(&p, SignatureScheme::Standard),
            "amount50.000currency_codeKWDgateway_accountdefaultgateway_nameknetorder_noord-1reference_numberref-1resultsuccessstatepaid"
        );
        assert_eq!(
            compute_signature(&p, "test-key", SignatureScheme::Standard),
            "5768ccbefbfc7a3872827d727567b75e6b3ce2cc24c64509dab2d09596def8c9"
        );
    }

    #[test]
    fn vector_4_subscription_form() {
        let mut payload = json!({
            "amount": "100.000", "result": "success", "session_id": "sess-1",
            "token": {"token": "tok-1"}, "state": ""
        });
        let p = obj(payload.clone());
        assert_eq!(
            signing_message(&p, SignatureScheme::Subscription),
            "amount=100.000\nresult=success\nsession_id=sess-1\ntoken.token=tok-1"
        );
        let expected = "46ba93a62680c8750567583bb8074e37ccaadc6f374268b78a0c574c8424baff";
        assert_eq!(
            compute_signature(&p, "test-key", SignatureScheme::Subscription),
            expected
        );
        payload["signature"] = json!(expected);
        assert_eq!(
            verify_signature(&payload, "test-key"),
            Ok(SignatureScheme::Subscription)
        );
        let body = serde_json::to_vec(&payload).unwrap();
        assert_eq!(
            verify_body(&body, "test-key").unwrap().1,
            SignatureScheme::Subscription
        );
    }

    #[test]
    fn missing_or_malformed_signatures_are_refused() {
        assert_eq!(
            verify_signature(&json!([1]), "k"),
            Err(WebhookError::NotAnObject)
        );
        assert_eq!(
            verify_signature(&json!({"amount": "1.000"}), "k"),
            Err(WebhookError::MissingSignature)
        );
        assert_eq!(
            verify_signature(&json!({"amount": "1.000", "signature": "zz"}), "k"),
            Err(WebhookError::Mismatch)
        );
        assert_eq!(
            verify_body(b"not json", "k"),
            Err(WebhookError::NotAnObject)
        );
    }
}
