//! Rules across fields: the amount against the currency's decimals and the payment type, the
//! gateways against currency, plugin and tokenisation, `payment_type`'s required fields,
//! notification channels against the customer's contact.

use rust_decimal::Decimal;
use serde_json::Value;

use super::Context;
use super::fields::Obj;
use crate::error::FieldErrors;
use crate::money::{Amount, currency_decimals, parse_number};

/// Rules across fields, run after every field has been read (DRF's `validate()`).
pub(super) fn cross_field_rules(obj: &mut Obj<'_>, ctx: Context<'_>, codes: &[String]) {
    let currency = obj
        .out
        .get("currency_code")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let decimals = match &currency {
        Some(code) if !obj.errors.has("currency_code") => match currency_decimals(code) {
            Some(d) => Some(d),
            None => {
                obj.errors.add(
                    "currency_code",
                    format!("\"{code}\" is not a valid choice."),
                );
                None
            }
        },
        _ => None,
    };
    let payment_type = obj
        .out
        .get("payment_type")
        .and_then(Value::as_str)
        .unwrap_or("one_off")
        .to_owned();
    let plugin = obj
        .out
        .get("type")
        .and_then(Value::as_str)
        .map(str::to_owned);

    // Amount: fits the currency's decimals, positive (zero for save_card).
    if let (Some(d), Some(text)) = (
        decimals,
        obj.out
            .get("amount")
            .and_then(Value::as_str)
            .map(str::to_owned),
    ) && !obj.errors.has("amount")
    {
        let save_card = payment_type == "save_card";
        match parse_number(&text).and_then(|v| v.to_decimals(d)) {
            None => obj.errors.add(
                "amount",
                format!("Ensure that there are no more than {d} decimal places."),
            ),
            Some(value) if save_card && !value.is_zero() => obj
                .errors
                .add("amount", "The amount must be 0 for save_card payments."),
            Some(value) if !save_card && value <= Decimal::ZERO => obj.errors.add(
                "amount",
                format!(
                    "Ensure this value is greater than or equal to {}.",
                    Amount::smallest(d)
                ),
            ),
            Some(value) => {
                let amount = Amount::new(value, d).to_string();
                obj.out.insert("amount".to_owned(), Value::String(amount));
            }
        }
    }

    // Gateways: currency, plugin and tokenisation support.
    if !obj.errors.has("pg_codes") {
        for code in codes {
            let Some(gateway) = ctx.gateways.iter().find(|g| g.pg_code == *code) else {
                continue;
            };
            if let (Some(currency), Some(_)) = (&currency, decimals)
                && !gateway.accepts(currency)
            {
                obj.errors.add(
                    "pg_codes",
                    format!("The gateway {code} does not accept {currency}."),
                );
            }
            if let Some(plugin) = &plugin
                && !gateway.serves(plugin)
            {
                obj.errors.add(
                    "pg_codes",
                    format!("The gateway {code} is not available for {plugin}."),
                );
            }
            if payment_type != "one_off" && !gateway.tokenizable {
                obj.errors.add(
                    "pg_codes",
                    format!("The gateway {code} cannot save cards, which {payment_type} needs."),
                );
            }
            if gateway.family() == "mpgs"
                && let Some(order_no) = obj.out.get("order_no").and_then(Value::as_str)
                && order_no.chars().count() > 37
                && !obj.errors.has("order_no")
            {
                obj.errors.add(
                    "order_no",
                    "Ensure this field has no more than 37 characters.",
                );
            }
        }
    }

    // payment_type rules (digest §9).
    let has = |obj: &Obj<'_>, key: &str| {
        obj.out
            .get(key)
            .is_some_and(|v| !v.is_null() && v.as_str() != Some(""))
    };
    match payment_type.as_str() {
        "auto_debit" => {
            if !has(obj, "agreement") && !obj.errors.has("agreement") {
                obj.errors.add(
                    "agreement",
                    "This field is required when payment_type is auto_debit.",
                );
            }
            if !has(obj, "customer_id") && !obj.errors.has("customer_id") {
                obj.errors.add(
                    "customer_id",
                    "This field is required when payment_type is auto_debit.",
                );
            }
            obj.out
                .entry("card_acceptance_criteria")
                .or_insert_with(|| serde_json::json!({"min_expiry_time": 30}));
        }
        "save_card" => {
            if !has(obj, "customer_id") && !obj.errors.has("customer_id") {
                obj.errors.add(
                    "customer_id",
                    "This field is required when payment_type is save_card.",
                );
            }
        }
        _ => {
            if has(obj, "agreement") && !obj.errors.has("agreement") {
                obj.errors.add(
                    "agreement",
                    "An agreement can only be sent with payment_type auto_debit.",
                );
            }
        }
    }

    // Notification channels need the customer's contact (digest §10).
    if let Some(Value::Object(channels)) = obj.out.get("notifications").cloned() {
        let mut errors = FieldErrors::default();
        let wants = |k: &str| {
            channels
                .get(k)
                .and_then(Value::as_array)
                .is_some_and(|a| !a.is_empty())
        };
        if wants("email") && !has(obj, "customer_email") {
            errors.add(
                "email",
                "To use email notifications provide the `customer_email` field.",
            );
        }
        if wants("sms") && !has(obj, "customer_phone") {
            errors.add(
                "sms",
                "To use sms notifications provide the `customer_phone` field.",
            );
        }
        if wants("whatsapp") && !has(obj, "customer_phone") {
            errors.add(
                "whatsapp",
                "To use whatsapp notifications provide the `customer_phone` field.",
            );
        }
        obj.errors.nested("notifications", errors);
    }
}
