//! The model rendered into Ottu's shapes: the checkout object (digest §5), the payment methods,
//! the SDK preload payload and the signed webhook payload (§13.1). Everything the sandbox
//! serves about a transaction is built here, from [`Txn`].

use serde_json::{Map, Value, json};

use crate::clock::{format_rfc3339, format_timestamp};
use crate::config::GatewayConfig;
use crate::model::{AttemptResult, Child, ChildTotals, Invoice, State, Txn};
use crate::money::Amount;
use crate::state::AppState;
use crate::validation::Flags;

/// `checkout_url` of a transaction.
pub fn checkout_url(state: &AppState, session_id: &str) -> String {
    state.url(&format!(
        "/b/checkout/redirect/start/?session_id={session_id}"
    ))
}

/// `checkout_short_url` of a transaction.
pub fn short_url(state: &AppState, txn: &Txn) -> String {
    state.url(&format!("/b/{}", txn.short_code))
}

/// `qr_code_url` of a transaction: a PNG the sandbox renders.
pub fn qr_code_url(state: &AppState, session_id: &str) -> String {
    state.url(&format!("/b/checkout/qr/{session_id}.png"))
}

/// Absolute URL of an attachment's media path.
pub fn media_url(state: &AppState, file_url: &str) -> String {
    state.url(&format!("/media/{file_url}"))
}

/// Where the hosted page sends the payer after a payment: the transaction's `redirect_url`
/// (or the merchant's default) with `order_no`, `reference_number`, `session_id` and the
/// `extra` keys added to its query. `None` without a redirect URL, or with one that is not a
/// URL after all (the validation's check is more lenient than the URL standard).
pub fn payer_redirect_url(state: &AppState, txn: &Txn) -> Option<String> {
    let base = txn
        .checkout
        .redirect_url()
        .map(str::to_owned)
        .or_else(|| state.config.merchant.default_redirect_url.clone())?;
    let mut url = url::Url::parse(&base).ok()?;
    {
        let mut query = url.query_pairs_mut();
        query.append_pair("order_no", txn.order_no().unwrap_or_default());
        query.append_pair("reference_number", &txn.reference_number);
        query.append_pair("session_id", &txn.session_id);
        for (key, value) in txn.checkout.extra.iter().flatten() {
            match value.as_str() {
                Some(text) => query.append_pair(key, text),
                None => query.append_pair(key, &value.to_string()),
            };
        }
    }
    Some(url.into())
}

/// Icon URL of a gateway: the configured one or an SVG the sandbox serves.
pub fn gateway_icon(state: &AppState, gateway: &GatewayConfig) -> String {
    gateway
        .icon
        .clone()
        .unwrap_or_else(|| state.url(&format!("/static/gateways/{}.svg", gateway.pg_code)))
}

fn decimals_of(txn: &Txn) -> u32 {
    txn.checkout.currency_code.decimals()
}

/// Amount plus the gateway's flat fee, and the fee, both in the currency's decimals.
fn amount_with_fee(txn: &Txn, gateway: &GatewayConfig) -> (Amount, Amount) {
    let d = decimals_of(txn);
    let amount = txn.checkout.amount.rescaled(d);
    let fee = gateway.fee(d);
    let total = amount.checked_add(fee).unwrap_or(amount);
    (total, fee)
}

/// The `payment_methods` array: one entry per pg_code of the transaction.
pub fn payment_methods(state: &AppState, txn: &Txn) -> Vec<Value> {
    txn.pg_codes()
        .iter()
        .filter_map(|code| state.gateway(code))
        .map(|gateway| {
            let (amount, fee) = amount_with_fee(txn, gateway);
            let icon = gateway_icon(state, gateway);
            json!({
                "code": gateway.pg_code,
                "name": gateway.name,
                "pg": gateway.family(),
                "type": txn.plugin().as_str(),
                "amount": amount.to_string(),
                "currency_code": txn.checkout.currency_code.code(),
                "fee": fee.to_string(),
                "fee_description": "",
                "icon": icon,
                "icons": {"svg": icon, "webp": icon},
                "flow": "redirect",
                "redirect_url": state.url(&format!(
                    "/b/checkout/redirect/start/?session_id={}&pg_code={}",
                    txn.session_id, gateway.pg_code
                )),
            })
        })
        .collect()
}

/// The checkout object returned by create, retrieve, PUT and PATCH.
pub fn checkout(state: &AppState, txn: &Txn, flags: Flags) -> Value {
    let mut body = txn.checkout.to_json();
    body.insert("session_id".into(), json!(txn.session_id));
    body.insert("state".into(), json!(txn.state.as_str()));
    body.insert(
        "checkout_url".into(),
        json!(checkout_url(state, &txn.session_id)),
    );
    if txn.links.short {
        body.insert("checkout_short_url".into(), json!(short_url(state, txn)));
    }
    if txn.links.qr {
        body.insert(
            "qr_code_url".into(),
            json!(qr_code_url(state, &txn.session_id)),
        );
    }
    if let Some(file_url) = &txn.links.attachment_file_url {
        let url = media_url(state, file_url);
        if txn.links.attachment_short {
            body.insert("attachment_short_url".into(), json!(url));
        }
        body.insert("attachment".into(), json!(url));
    }
    body.insert("operation".into(), json!("purchase"));
    body.insert(
        "payment_methods".into(),
        Value::Array(payment_methods(state, txn)),
    );
    if let Some(pg) = txn.settled_pg_code() {
        body.insert("settled_pg_code".into(), json!(pg));
    }
    if flags.include_sdk_setup_preload {
        body.insert("sdk_setup_preload_payload".into(), sdk_payload(state, txn));
    }
    Value::Object(body)
}

/// Where an invoice's PDF is served (`invoice_pdf_url`).
pub fn invoice_pdf_url(state: &AppState, session_id: &str) -> String {
    format!("{}/invoice/pdf/{session_id}", state.public_base)
}

/// The invoice's status on `today` (`YYYY-MM-DD`): `paid` once paid or authorized, `canceled`
/// when canceled, `overdue` when still unpaid after its due date, else `sent`.
pub fn invoice_status(txn: &Txn, invoice: &Invoice, today: &str) -> &'static str {
    match txn.state {
        State::Paid | State::Authorized => "paid",
        State::Canceled => "canceled",
        _ if invoice.due_date.as_str() < today => "overdue",
        _ => "sent",
    }
}

/// `InvoicePOSTResponse`: the checkout body plus the invoice's fields and its PDF link.
pub fn invoice(state: &AppState, txn: &Txn, flags: Flags) -> Value {
    let mut body = checkout(state, txn, flags);
    let Some(inv) = &txn.invoice else {
        return body;
    };
    let currency = txn.checkout.currency_code.code();
    let items: Vec<Value> = inv
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let mut v = match serde_json::to_value(item) {
                Ok(Value::Object(map)) => map,
                _ => Map::new(),
            };
            v.insert("id".into(), json!(inv.first_item_id + i as i64));
            v.insert("invoice".into(), json!(inv.invoice_id));
            v.insert("currency_code".into(), json!(currency));
            Value::Object(v)
        })
        .collect();
    let mut fields = match serde_json::to_value(inv.as_ref()) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    fields.remove("items");
    fields.remove("first_item_id");
    fields.insert("invoice_items".into(), Value::Array(items));
    let today = crate::validation::dates::format_date(state.clock.now_unix());
    fields.insert("status".into(), json!(invoice_status(txn, inv, &today)));
    fields.insert(
        "invoice_pdf_url".into(),
        json!(invoice_pdf_url(state, &txn.session_id)),
    );
    if let Value::Object(map) = &mut body {
        map.extend(fields);
    }
    body
}

fn sdk_payload(state: &AppState, txn: &Txn) -> Value {
    let c = &txn.checkout;
    let mut payload = json!({
        "amount": c.amount.to_string(),
        "currency_code": c.currency_code.code(),
        "customer_id": c.customer_id,
        "customer_phone": c.customer_phone,
        "expiration_time": format_rfc3339(txn.expires_at),
        "language": c.language().as_str(),
        "operation": "purchase",
        "payment_type": c.payment_type().as_str(),
        "payment_methods": payment_methods(state, txn),
        "payment_services": [],
        "flex_methods": [],
        "cards": [],
        "state": txn.state.as_str(),
        "type": txn.plugin().as_str(),
        "session_id": txn.session_id,
        "is_amount_editable": false,
        "sdk_studio": {},
        // Required by Ottu's CheckoutSDK schema; its content is undocumented.
        "billing": "",
        "response": {},
        "cancel_url": state.url(&format!("/b/checkout/redirect/cancel/?session_id={}", txn.session_id)),
    });
    if let Value::Object(map) = &mut payload {
        map.retain(|_, v| !v.is_null());
    }
    payload
}

/// The 18 keys of the standard webhook signature (digest §13.2), sorted.
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

/// The standard signature: sorted signed keys, empty/null dropped, `key` + `value`
/// concatenated, HMAC-SHA256 with `key`, lower-case hex.
pub fn sign(payload: &Map<String, Value>, key: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut message = String::new();
    for k in SIGNED_KEYS {
        let text = match payload.get(k) {
            None | Some(Value::Null) => continue,
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
        };
        if text.is_empty() {
            continue;
        }
        message.push_str(k);
        message.push_str(&text);
    }
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes()).expect("any key length");
    mac.update(message.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// `result` of the payer's last attempt as webhooks report it.
pub fn result_of(txn: &Txn) -> &'static str {
    match txn.state {
        State::Paid | State::Authorized => "success",
        State::Cod => "cod",
        State::Created | State::Pending => "pending",
        _ => txn.attempt.as_ref().map_or("failed", |a| a.result.as_str()),
    }
}

/// A child transaction as Ottu's `ChildPayment` (`txn` of an operation, an item of
/// `transactions`): `{amount, currency_code, order_no, session_id, state}`.
pub fn child_payment(parent: &Txn, child: &Child) -> Value {
    json!({
        "amount": child.amount.to_string(),
        "currency_code": parent.checkout.currency_code.code(),
        "order_no": parent.order_no(),
        "session_id": child.session_id,
        "state": child.state.as_str(),
    })
}

/// `initiator` of a Basic user (`InitiatorUser`), by username.
fn initiator(state: &AppState, username: &str) -> Option<Value> {
    let users = &state.config.merchant.users;
    let (index, user) = users
        .iter()
        .enumerate()
        .find(|(_, u)| u.username == username)?;
    let mut body = json!({
        "id": index as i64 + 1,
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
    });
    if let Value::Object(map) = &mut body {
        map.retain(|_, v| !v.is_null());
    }
    Some(body)
}

/// The external-operation body (digest §15's 200 for `refund`/`capture`/`void`, and the
/// operation webhook of §13.3), signed with the standard algorithm of §13.2: of its keys,
/// `amount`, `order_no`, `reference_number` and `result` are among the signed ones.
/// `session_id`/`order_no` are the parent's; `reference_number`, `amount` and `txn` the
/// child's; `result` is `success`, `queued` or `rejected` by the child's state.
pub fn external_operation(state: &AppState, parent: &Txn, child: &Child, now: i64) -> Value {
    let result = child.state.result();
    let gateway = state.gateway(&child.pg_code);
    let mut body = json!({
        "amount": child.amount.to_string(),
        "session_id": parent.session_id,
        "order_no": parent.order_no().unwrap_or_default(),
        "initiator": child.initiator_user.as_deref().and_then(|u| initiator(state, u)),
        "is_sandbox": true,
        "operation": child.operation.as_str(),
        "pg_code": child.pg_code,
        "pg_response": {"sandbox": true, "pg": gateway.map(GatewayConfig::family), "operation": child.operation.as_str(), "status": result},
        "pg_params": {"result": result, "transaction_id": format!("SBX{}", &child.session_id[..12.min(child.session_id.len())])},
        "reference_number": child.reference_number,
        "source": "input",
        "success": result == "success",
        "result": result,
        "timestamp_utc": format_timestamp(now),
        "txn": child_payment(parent, child),
    });
    let map = body.as_object_mut().expect("an object");
    map.retain(|_, v| !v.is_null());
    let signature = sign(map, &state.config.merchant.webhook_hmac_key);
    map.insert("signature".into(), Value::String(signature));
    body
}

/// The payment webhook / inquiry body (`SchemaWebhook`), signed. `children` are the
/// transaction's child transactions: their totals give `refunded_amount` and
/// `voided_amount`, and they are listed in `transactions` (`ChildPayment`).
pub fn webhook_payload(state: &AppState, txn: &Txn, children: &[Child], now: i64) -> Value {
    let c = &txn.checkout;
    let d = decimals_of(txn);
    let currency = c.currency_code.code();
    let amount = c.amount.to_string();
    let zero = Amount::zero(d).to_string();
    let gateway = txn.settled_pg_code().and_then(|code| state.gateway(code));
    let (total, fee) = gateway.map_or_else(
        || (amount.clone(), zero.clone()),
        |g| {
            let (total, fee) = amount_with_fee(txn, g);
            (total.to_string(), fee.to_string())
        },
    );
    let paid = matches!(txn.state, State::Paid | State::Authorized);
    let totals = ChildTotals::of(children, d);
    let transactions: Vec<Value> = children.iter().map(|c| child_payment(txn, c)).collect();
    let billing = c.billing_address.as_ref();
    let result = result_of(txn);
    let mut body = json!({
        "amount": amount,
        "amount_details": {"currency_code": currency, "amount": amount, "total": total, "fee": fee, "exchange_rate": "1.0"},
        "currency_code": currency,
        "customer_email": c.customer_email,
        "customer_first_name": c.customer_first_name,
        "customer_last_name": c.customer_last_name,
        "customer_id": c.customer_id,
        "customer_phone": c.customer_phone,
        "customer_birthdate": c.customer_birthdate,
        "customer_address_line1": billing.map(|b| &b.line1),
        "customer_address_line2": billing.and_then(|b| b.line2.as_ref()),
        "customer_address_city": billing.map(|b| &b.city),
        "customer_address_state": billing.and_then(|b| b.state.as_ref()),
        "customer_address_country": billing.map(|b| &b.country),
        "customer_address_postal_code": billing.and_then(|b| b.postal_code.as_ref()),
        "extra": c.extra.clone().map_or_else(|| json!({}), Value::Object),
        "fee": format!("{fee} {currency}"),
        "gateway_account": txn.settled_pg_code(),
        "gateway_name": gateway.map(|g| g.family().to_owned()),
        "gateway_response": gateway.map(|g| json!({"sandbox": true, "pg": g.family(), "result": result})),
        "pg_params": gateway.map(|_| json!({
            "result": result,
            "card_number": txn.attempt.as_ref().and_then(|a| a.card_last4.as_ref()).map(|l| format!("XXXXXXXXXXXX{l}")),
            "transaction_id": format!("SBX{}", &txn.session_id[..12.min(txn.session_id.len())]),
        })),
        "is_sandbox": true,
        "message": message_for(txn),
        "order_no": txn.order_no(),
        "paid_amount": if paid { &amount } else { &zero },
        "payment_type": c.payment_type().as_str(),
        "reference_number": txn.reference_number,
        "refunded_amount": totals.refunded.to_string(),
        "remaining_amount": if paid { &zero } else { &amount },
        "result": result,
        "session_id": txn.session_id,
        "settled_amount": if paid { &amount } else { &zero },
        "state": txn.state.as_str(),
        "timestamp_utc": format_timestamp(now),
        "transactions": transactions,
        "voided_amount": totals.voided.to_string(),
    });
    let map = body.as_object_mut().expect("an object");
    map.retain(|_, v| !v.is_null());
    let signature = sign(map, &state.config.merchant.webhook_hmac_key);
    map.insert("signature".into(), Value::String(signature));
    body
}

fn message_for(txn: &Txn) -> &'static str {
    let canceled = txn
        .attempt
        .as_ref()
        .is_some_and(|a| a.result == AttemptResult::Canceled);
    match txn.state {
        State::Paid => "Payment successful.",
        State::Authorized => "Payment authorized.",
        State::Attempted if canceled => "Payment canceled by the customer.",
        State::Attempted => "Payment declined by the gateway.",
        State::Failed => "Payment failed.",
        State::Canceled => "Payment canceled.",
        State::Expired => "Payment link expired.",
        State::Pending | State::Created => "Payment pending.",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signed(pairs: &[(&str, &str)], key: &str) -> String {
        let map: Map<String, Value> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect();
        sign(&map, key)
    }

    #[test]
    fn the_documented_signature_vector_passes() {
        assert_eq!(
            signed(
                &[
                    ("amount", "86.000"),
                    ("currency_code", "KWD"),
                    ("customer_first_name", "example-customer")
                ],
                "pu9MpX3yPR"
            ),
            "6143b8ad4bd283540721ab000f6de746e722231aaaa90bc38f639081d3ff9f67"
        );
    }

    #[test]
    fn the_pos_signature_vector_passes_with_empty_and_unsigned_keys() {
        assert_eq!(
            signed(
                &[
                    ("amount", "12.500"),
                    ("currency_code", "KWD"),
                    ("customer_email", ""),
                    ("customer_first_name", "Sara"),
                    ("customer_phone", "+96599999999"),
                    ("gateway_account", "knet"),
                    ("gateway_name", "knet"),
                    ("order_no", "POS-0001"),
                    ("reference_number", "sandboxAB12C"),
                    ("result", "success"),
                    ("state", "paid"),
                    ("session_id", "abc"),
                    ("fee", "0.000 KWD"),
                    ("timestamp_utc", "2026-01-01 00:00:00"),
                ],
                "pos-demo-hmac-key"
            ),
            "e01a3a5a36472236bd91e2c7789da8dcc302c814f4674d9b1911e4e7bc378007"
        );
    }

    #[test]
    fn the_third_signature_vector_passes() {
        assert_eq!(
            signed(
                &[
                    ("amount", "50.000"),
                    ("currency_code", "KWD"),
                    ("gateway_account", "default"),
                    ("gateway_name", "knet"),
                    ("order_no", "ord-1"),
                    ("reference_number", "ref-1"),
                    ("result", "success"),
                    ("state", "paid"),
                ],
                "test-key"
            ),
            "5768ccbefbfc7a3872827d727567b75e6b3ce2cc24c64509dab2d09596def8c9"
        );
    }
}
