//! Validation of the checkout create/update schema (digest §4), DRF style: every problem of a
//! request is collected into one 400 body; nested objects report nested errors.
//!
//! Validation works on the request's JSON object (the edge) and builds the typed
//! [`Checkout`] once, merged over the stored one for PUT and PATCH, plus the write-only flags
//! of this request.
//!
//! - `fields`: the field primitives (`Obj`) and DRF's coercions.
//! - `scalars`: top-level fields with rules of their own (`pg_codes`, `expiration_time`, ...).
//! - `objects`: nested objects (addresses, agreement, notifications, branding).
//! - `cross`: rules across fields (amount and currency, gateways, `payment_type`).
//! - `dates`: the date and date-time formats.
//! - `invoice`: the Invoice API's create (items, totals, VAL CALC), around the checkout half.

mod cross;
pub mod dates;
mod fields;
mod invoice;
mod objects;
mod scalars;

use serde_json::{Map, Value};

pub use fields::{as_bool, is_email, is_url};
pub use invoice::{MAX_ITEMS as MAX_INVOICE_ITEMS, ValidatedInvoice, validate_invoice};

use crate::config::GatewayConfig;
use crate::error::ApiError;
use crate::model::{Checkout, Language, PaymentType, Plugin, Txn};
use fields::{Input, Obj, REQUIRED};

/// Which operation is being validated.
#[derive(Debug, Clone, Copy)]
pub enum Mode<'a> {
    Create,
    /// Full update: the four required fields must be sent again.
    Put(&'a Txn),
    /// Partial update: every field optional.
    Patch(&'a Txn),
}

/// What validation needs from the merchant config.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub gateways: &'a [GatewayConfig],
    pub default_expiration_seconds: i64,
    pub user_count: usize,
}

/// Write-only flags of one request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Flags {
    pub generate_qr_code: bool,
    pub shortify_checkout_url: bool,
    pub shortify_attachment_url: bool,
    pub include_sdk_setup_preload: bool,
    pub preload_checkout_page: bool,
}

/// A valid request.
#[derive(Debug, Clone)]
pub struct Validated {
    /// The echoed fields, normalised (amount padded, durations and dates re-rendered).
    pub checkout: Checkout,
    pub flags: Flags,
    pub expiration_seconds: i64,
    /// Set when this request sent `attachment_upload_url` (existence is checked by the caller).
    pub new_attachment_upload_url: Option<String>,
}

/// Validates a create, PUT or PATCH body.
pub fn validate_checkout(
    input: &Map<String, Value>,
    mode: Mode<'_>,
    ctx: Context<'_>,
) -> Result<Validated, ApiError> {
    let stored = match mode {
        Mode::Create => None,
        Mode::Put(t) | Mode::Patch(t) => Some(t),
    };
    let partial = matches!(mode, Mode::Patch(_));
    let stored_json = stored.map(|t| t.checkout.to_json()).unwrap_or_default();
    let mut obj = Obj::new(input, stored_json.clone(), partial);
    if matches!(mode, Mode::Put(_)) {
        // A full update must restate the required fields.
        for key in ["type", "amount", "currency_code", "pg_codes"] {
            if matches!(obj.input_of(key), Input::Absent) {
                obj.errors.add(key, REQUIRED);
            }
        }
    }

    let kind = obj.choice("type", Plugin::NAMES, true);
    obj.decimal("amount", true);
    obj.string("currency_code", 3, true);
    let codes = scalars::pg_codes(&mut obj, ctx.gateways)
        .or_else(|| stored.map(|t| t.checkout.pg_codes.clone()))
        .unwrap_or_default();
    let payment_type = obj.choice("payment_type", PaymentType::NAMES, false);
    if stored.is_some() {
        for (key, new) in [("type", &kind), ("payment_type", &payment_type)] {
            if let Some(new) = new {
                let before = stored_json.get(key);
                if before.and_then(Value::as_str) != Some(new.as_str()) {
                    obj.out
                        .insert(key.to_owned(), before.cloned().unwrap_or(Value::Null));
                    obj.errors.add(
                        key,
                        "This field cannot be changed once the transaction exists.",
                    );
                }
            }
        }
    }
    obj.string("order_no", 128, false);
    obj.string("customer_id", 64, false);
    obj.email("customer_email", 128, false);
    obj.string("customer_phone", 16, false);
    obj.string("customer_phone_2", 16, false);
    obj.string("customer_first_name", 64, false);
    obj.string("customer_last_name", 64, false);
    obj.date("customer_birthdate", false);
    obj.object("billing_address", false, objects::address);
    obj.object("shipping_address", false, objects::shipping_address);
    obj.object("agreement", false, objects::agreement);
    obj.object("card_acceptance_criteria", false, |c| {
        c.integer("min_expiry_time", 1, 365, false);
    });
    obj.object("notifications", false, objects::notifications);
    scalars::email_recipients(&mut obj);
    obj.choice("language", Language::NAMES, false);
    let expiration_seconds =
        scalars::expiration_time(&mut obj, stored, ctx.default_expiration_seconds);
    scalars::due_datetime(&mut obj);
    obj.url("redirect_url", 2000);
    obj.url("webhook_url", 2000);
    let flags = Flags {
        generate_qr_code: obj.flag("generate_qr_code"),
        shortify_checkout_url: obj.flag("shortify_checkout_url"),
        shortify_attachment_url: obj.flag("shortify_attachment_url"),
        include_sdk_setup_preload: obj.flag("include_sdk_setup_preload"),
        preload_checkout_page: obj.flag("preload_checkout_page"),
    };
    let new_attachment_upload_url = scalars::attachment_upload_url(&mut obj);
    obj.any_object("extra");
    obj.string("product_type", 128, false);
    obj.string("vendor_name", 64, false);
    scalars::initiator_id(&mut obj, ctx.user_count);
    if let Some(value) = obj.take("unit_code", false)
        && let Some(text) = obj.text("unit_code", value)
        && (text.len() > 50
            || !text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
    {
        obj.errors.add(
            "unit_code",
            "Enter a valid \"slug\" consisting of letters, numbers, underscores or hyphens.",
        );
    }
    match obj.input_of("loyalty") {
        Input::Null => {
            obj.out.insert("loyalty".to_owned(), Value::Null);
        }
        _ => obj.object("loyalty", false, |l| {
            l.boolean("enabled", true);
            l.string("reference", 128, false);
            l.any_object("metadata");
        }),
    }
    let mut branding = Obj::new(input, Map::new(), true);
    branding.object("branding_options", false, objects::branding_options);
    obj.errors.0.extend(branding.errors.0);
    if matches!(obj.input_of("payment_instrument"), Input::Present(_)) {
        obj.errors.add(
            "payment_instrument",
            "One-step checkout with payment_instrument is not available in the sandbox.",
        );
    }
    if matches!(mode, Mode::Create) {
        obj.out
            .entry("payment_type")
            .or_insert_with(|| Value::String("one_off".to_owned()));
        obj.out
            .entry("language")
            .or_insert_with(|| Value::String("en".to_owned()));
    }

    cross::cross_field_rules(&mut obj, ctx, &codes);

    let Obj { out, errors, .. } = obj;
    errors.into_result()?;
    // The validated object has the model's shape; a mismatch is a bug here, not a bad request.
    let checkout: Checkout =
        serde_json::from_value(Value::Object(out)).map_err(ApiError::internal)?;
    Ok(Validated {
        checkout,
        flags,
        expiration_seconds,
        new_attachment_upload_url,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::MerchantConfig;
    use serde_json::json;

    fn ctx(merchant: &MerchantConfig) -> Context<'_> {
        Context {
            gateways: &merchant.gateways,
            default_expiration_seconds: 86_400,
            user_count: 1,
        }
    }

    fn create(body: Value) -> Result<Validated, ApiError> {
        let merchant = MerchantConfig::demo();
        validate_checkout(body.as_object().unwrap(), Mode::Create, ctx(&merchant))
    }

    #[test]
    fn a_minimal_kwd_request_is_normalised() {
        let v = create(json!({"type": "payment_request", "amount": "12.34", "currency_code": "KWD", "pg_codes": ["knet"]})).unwrap();
        let fields = v.checkout.to_json();
        assert_eq!(fields["amount"], "12.340");
        assert_eq!(fields["expiration_time"], "1 00:00:00");
        assert_eq!(fields["payment_type"], "one_off");
        assert_eq!(v.checkout.plugin, Plugin::PaymentRequest);
    }

    #[test]
    fn the_all_fields_fixture_is_stored_as_the_json_it_is_served_as() {
        let text = include_str!("../../../../fixtures/checkout/create_request_all_fields.json");
        let mut body: Value = serde_json::from_str(text).unwrap();
        // The demo merchant has one user and only credit-card saves cards.
        body["initiator_id"] = json!(1);
        body["pg_codes"] = json!(["credit-card"]);
        body.as_object_mut()
            .unwrap()
            .remove("attachment_upload_url");
        let v = create(body).unwrap();
        let stored = serde_json::to_string(&v.checkout).unwrap();
        let loaded: Checkout = serde_json::from_str(&stored).unwrap();
        assert_eq!(loaded, v.checkout);
        let fields = v.checkout.to_json();
        assert_eq!(fields["amount"], "86.000");
        assert_eq!(fields["due_datetime"], "31/12/2026 12:00:00");
        assert_eq!(fields["agreement"]["seller"]["short_name"], "OttuCafe");
        assert!(
            !fields.contains_key("unit_code"),
            "unit_code is validated, not echoed"
        );
    }

    #[test]
    fn every_missing_required_field_is_reported_at_once() {
        let err = create(json!({})).unwrap_err();
        assert_eq!(
            err.body,
            json!({"type": [REQUIRED], "amount": [REQUIRED], "currency_code": [REQUIRED], "pg_codes": [REQUIRED]})
        );
    }

    #[test]
    fn too_many_decimals_for_the_currency_are_refused() {
        let err = create(json!({"type": "payment_request", "amount": "1.2345", "currency_code": "KWD", "pg_codes": ["knet"]})).unwrap_err();
        assert_eq!(
            err.body,
            json!({"amount": ["Ensure that there are no more than 3 decimal places."]})
        );
    }

    #[test]
    fn nested_address_errors_are_nested() {
        let err = create(json!({"type": "payment_request", "amount": "1", "currency_code": "KWD", "pg_codes": ["knet"],
            "billing_address": {"line1": "x", "country": "XX"}})).unwrap_err();
        assert_eq!(
            err.body,
            json!({"billing_address": {"city": [REQUIRED], "country": ["\"XX\" is not a valid choice."]}})
        );
    }

    #[test]
    fn sms_notifications_need_a_phone() {
        let err = create(json!({"type": "payment_request", "amount": "1", "currency_code": "KWD", "pg_codes": ["knet"],
            "notifications": {"sms": ["paid"]}})).unwrap_err();
        assert_eq!(
            err.body,
            json!({"notifications": {"sms": ["To use sms notifications provide the `customer_phone` field."]}})
        );
    }

    #[test]
    fn an_unknown_gateway_and_a_long_phone_are_reported_together() {
        let err = create(json!({"type": "payment_request", "amount": "1", "currency_code": "KWD", "pg_codes": ["nope"],
            "customer_phone": "12345678901234567"})).unwrap_err();
        assert_eq!(
            err.body,
            json!({"pg_codes": ["Object with code=nope does not exist."],
            "customer_phone": ["Ensure this field has no more than 16 characters."]})
        );
    }
}
