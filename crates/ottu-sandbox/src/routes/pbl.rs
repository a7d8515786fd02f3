//! `/b/pbl/v2/`: operations (internal: cancel, expire, delete; external: refund, capture,
//! void with the `Tracking-Key` header), payment methods, the payment status inquiry and the
//! cash acknowledgement (`crate::cash`, both its paths).

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};

use crate::auth::{Action, Principal};
use crate::config::{GATEWAY_OPERATIONS, GATEWAY_TAGS};
use crate::error::{ApiError, FieldErrors};
use crate::model::{Operation, Plugin, Txn};
use crate::payload::Payload;
use crate::payments::{self, ExternalDone, ExternalFailure, ExternalRequest};
use crate::render;
use crate::state::AppState;
use crate::throttle::Verdict;
use crate::webhook;

/// The `/b/pbl/v2/` routes (with and without trailing slash).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/b/pbl/v2/operation/", post(operation))
        .route("/b/pbl/v2/operation", post(operation))
        .route("/b/pbl/v2/payment-methods/", post(payment_methods))
        .route("/b/pbl/v2/payment-methods", post(payment_methods))
        .route("/b/pbl/v2/inquiry/", post(inquiry))
        .route("/b/pbl/v2/inquiry", post(inquiry))
        .route("/b/pbl/v2/payment/cash/", post(crate::cash::acknowledge))
        .route("/b/pbl/v2/payment/cash", post(crate::cash::acknowledge))
        // Deprecated by Ottu in favour of `payment/cash/`; the same behaviour.
        .route("/b/pbl/v2/cash-payment/", post(crate::cash::acknowledge))
        .route("/b/pbl/v2/cash-payment", post(crate::cash::acknowledge))
}

fn string_of(payload: &Payload, key: &str, max: usize, errors: &mut FieldErrors) -> Option<String> {
    match payload.fields.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::String(s)) if s.chars().count() > max => {
            errors.add(
                key,
                format!("Ensure this field has no more than {max} characters."),
            );
            None
        }
        Some(Value::String(s)) => Some(s.trim().to_owned()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(_) => {
            errors.add(key, "Not a valid string.");
            None
        }
    }
}

/// Finds the transaction named by `session_id` or `order_no` (the newest one for an
/// `order_no` used more than once).
async fn locate(
    state: &AppState,
    session_id: Option<&str>,
    order_no: Option<&str>,
) -> Result<Option<Txn>, ApiError> {
    if let Some(sid) = session_id {
        return match payments::load(state, sid).await {
            Ok(txn) => Ok(Some(txn)),
            Err(e) if e.status == axum::http::StatusCode::NOT_FOUND => Ok(None),
            Err(e) => Err(e),
        };
    }
    if let Some(order_no) = order_no {
        let found = state.store.txns_by_order_no(order_no.to_owned()).await?;
        if let Some(txn) = found.into_iter().rev().find(|t| !t.deleted) {
            return payments::load(state, &txn.session_id).await.map(Some);
        }
    }
    Ok(None)
}

fn op_failure(operation: &str, detail: String) -> ApiError {
    ApiError::fields(
        json!({"detail": detail, "operation": operation, "result": "failed"})
            .as_object()
            .cloned()
            .unwrap_or_default(),
    )
}

/// Longest `Tracking-Key` accepted (Ottu documents none; a 400 on the header beyond it).
pub const TRACKING_KEY_MAX: usize = 255;

/// The `Tracking-Key` header: absent or blank → `None`; not visible ASCII or too long → a
/// field error on `Tracking-Key`.
fn tracking_key(headers: &HeaderMap, errors: &mut FieldErrors) -> Option<String> {
    let value = headers.get("tracking-key")?;
    match value.to_str() {
        Ok(text) if text.trim().is_empty() => None,
        Ok(text) if text.trim().chars().count() > TRACKING_KEY_MAX => {
            errors.add(
                "Tracking-Key",
                format!("Ensure this header has no more than {TRACKING_KEY_MAX} characters."),
            );
            None
        }
        Ok(text) => Some(text.trim().to_owned()),
        Err(_) => {
            errors.add("Tracking-Key", "Not a valid string.");
            None
        }
    }
}

async fn operation(
    State(state): State<AppState>,
    headers: HeaderMap,
    principal: Result<Principal, ApiError>,
    payload: Result<Payload, ApiError>,
) -> Result<Response, ApiError> {
    let principal = principal?;
    let payload = payload?;
    let mut errors = FieldErrors::default();
    let tracking_key = tracking_key(&headers, &mut errors);
    let op = match payload.fields.get("operation") {
        None | Some(Value::Null) => {
            errors.add("operation", "This field is required.");
            None
        }
        Some(Value::String(s)) if Operation::parse(s).is_some() => Operation::parse(s),
        Some(v) => {
            let shown = v
                .as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| v.to_string());
            errors.add("operation", format!("\"{shown}\" is not a valid choice."));
            None
        }
    };
    let session_id = string_of(&payload, "session_id", 128, &mut errors);
    let order_no = string_of(&payload, "order_no", 128, &mut errors);
    if let Some(amount) = payload.fields.get("amount").filter(|v| !v.is_null()) {
        let text = amount
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| amount.to_string());
        let ok = crate::money::parse_number(&text)
            .is_some_and(|d| d.integer_digits() <= 13 && d.scale() <= 3);
        if !ok {
            errors.add("amount", "A valid number is required.");
        }
    }
    if session_id.is_none()
        && order_no.is_none()
        && !errors.has("session_id")
        && !errors.has("order_no")
    {
        errors.add(
            "non_field_errors",
            "Either `session_id` or `order_no` is required.",
        );
    }
    errors.into_result()?;
    let op = op.expect("validated");
    if !principal.may_operate(op.as_str()) {
        return Err(ApiError::permission_denied());
    }
    let txn = locate(&state, session_id.as_deref(), order_no.as_deref())
        .await?
        .ok_or_else(ApiError::not_found)?;
    if !op.is_internal() {
        return external(&state, &principal, &payload, txn, op, tracking_key).await;
    }
    let done = if op == Operation::Delete && !txn.state.is_settled() {
        // Unpaid transactions are removed for good; paid ones are hidden (soft delete).
        state.store.delete_txn(txn.session_id.clone()).await?;
        Ok(())
    } else {
        payments::operate(&state, &txn.session_id, op)
            .await?
            .ok_or_else(ApiError::not_found)?
    };
    match done {
        Ok(()) => {
            let detail = format!("The payment transaction has been {}.", op.past_tense());
            Ok(
                axum::Json(
                    json!({"detail": detail, "operation": op.as_str(), "result": "success"}),
                )
                .into_response(),
            )
        }
        Err(current) => Err(op_failure(
            op.as_str(),
            format!(
                "A payment transaction in the {} state cannot be {}.",
                current.as_str(),
                op.past_tense()
            ),
        )),
    }
}

/// `refund`, `capture`, `void` on a located transaction: the amount in its currency's
/// decimals (400 on `amount`), then the atomic operation; 200 with the external-operation body
/// (also for a replayed `Tracking-Key`), 400 `{"detail", "operation", "result": "failed"}` when
/// refused, 409 in that shape for a `Tracking-Key` used for something else.
async fn external(
    state: &AppState,
    principal: &Principal,
    payload: &Payload,
    txn: Txn,
    op: Operation,
    tracking_key: Option<String>,
) -> Result<Response, ApiError> {
    let d = txn.checkout.currency_code.decimals();
    let amount = match payload.fields.get("amount").filter(|v| !v.is_null()) {
        Some(value) if op != Operation::Void => {
            let text = value
                .as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| value.to_string());
            let number = crate::money::parse_number(&text).expect("validated");
            let Some(decimal) = number.to_decimals(d) else {
                return Err(ApiError::field(
                    "amount",
                    format!("Ensure that there are no more than {d} decimal places."),
                ));
            };
            if decimal <= rust_decimal::Decimal::ZERO {
                return Err(ApiError::field(
                    "amount",
                    "Ensure this value is greater than 0.",
                ));
            }
            Some(crate::money::Amount::new(decimal, d))
        }
        _ => None,
    };
    let request = ExternalRequest {
        operation: op,
        amount,
        tracking_key,
        initiator_user: principal.user().map(|u| u.username.clone()),
    };
    let currency = txn.checkout.currency_code.code();
    match payments::external_operation(state, &txn, request).await? {
        Ok(ExternalDone::Created(child)) => {
            let now = state.clock.now_unix();
            let body = render::external_operation(state, &txn, &child, now);
            // Fire and forget, like the payment webhook of an inquiry.
            drop(webhook::dispatch_operation(state, &txn, &child));
            Ok(axum::Json(body).into_response())
        }
        Ok(ExternalDone::Replayed(child)) => {
            // The original operation's latest status, as of its last change.
            let body = render::external_operation(state, &txn, &child, child.updated_at);
            Ok(axum::Json(body).into_response())
        }
        Err(ExternalFailure::Refused(why)) => {
            Err(op_failure(op.as_str(), why.detail(op, currency)))
        }
        Err(ExternalFailure::KeyConflict(old)) => {
            let mut error = op_failure(
                op.as_str(),
                format!(
                    "This Tracking-Key was already used for a {} of {} on another request; use a new key for a new operation.",
                    old.operation.as_str(),
                    if old.parent_session_id == txn.session_id {
                        "this payment transaction"
                    } else {
                        "another payment transaction"
                    }
                ),
            );
            error.status = StatusCode::CONFLICT;
            Err(error)
        }
        Err(ExternalFailure::NotFound) => Err(ApiError::not_found()),
    }
}

/// The `payment_services` Ottu's payment-methods API knows (OA:8216-8229).
const PAYMENT_SERVICES: &[&str] = &["apple_pay", "google_pay", "samsung_pay", "wallet"];

/// `POST /b/pbl/v2/payment-methods/`: every filter of Ottu's request validated (400 with all
/// field errors) and applied: `plugin`, `currencies` (any), `pg_names` (any; pg_code or
/// family), `type`, `operation`, `tokenizable`, `auto_debit`, `tags` (any),
/// `payment_services` (any; no sandbox gateway has one).
async fn payment_methods(
    State(state): State<AppState>,
    principal: Result<Principal, ApiError>,
    payload: Result<Payload, ApiError>,
) -> Result<Response, ApiError> {
    let principal = principal?;
    let payload = payload?;
    let mut errors = FieldErrors::default();
    let plugin = match payload.fields.get("plugin") {
        None | Some(Value::Null) => {
            errors.add("plugin", "This field is required.");
            None
        }
        Some(Value::String(s)) => match Plugin::parse(s) {
            Some(p) => Some(p),
            None => {
                errors.add("plugin", format!("\"{s}\" is not a valid choice."));
                None
            }
        },
        Some(v) => {
            errors.add("plugin", format!("\"{v}\" is not a valid choice."));
            None
        }
    };
    let list = |key: &str, errors: &mut FieldErrors| -> Option<Vec<String>> {
        match payload.fields.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::Array(items)) => {
                let strings: Option<Vec<String>> = items
                    .iter()
                    .map(|i| i.as_str().map(str::to_owned))
                    .collect();
                if strings.is_none() {
                    errors.add(key, "Not a valid string.");
                }
                strings
            }
            Some(v) => {
                errors.add(
                    key,
                    format!(
                        "Expected a list of items but got type \"{}\".",
                        crate::payload::python_type_name(v)
                    ),
                );
                None
            }
        }
    };
    let currencies = list("currencies", &mut errors);
    let pg_names = list("pg_names", &mut errors);
    if let Some(kind) = payload.fields.get("type").and_then(Value::as_str)
        && kind != "sandbox"
        && kind != "production"
    {
        errors.add("type", format!("\"{kind}\" is not a valid choice."));
    }
    let choice = |key: &str, choices: &[&str], errors: &mut FieldErrors| -> Option<String> {
        match payload.fields.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if choices.contains(&s.as_str()) => Some(s.clone()),
            Some(v) => {
                let shown = v
                    .as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| v.to_string());
                errors.add(key, format!("\"{shown}\" is not a valid choice."));
                None
            }
        }
    };
    let operation = choice("operation", GATEWAY_OPERATIONS, &mut errors);
    let boolean = |key: &str, errors: &mut FieldErrors| -> Option<bool> {
        match payload.fields.get(key) {
            None | Some(Value::Null) => None,
            Some(v) => {
                let b = crate::validation::as_bool(v);
                if b.is_none() {
                    errors.add(key, "Must be a valid boolean.");
                }
                b
            }
        }
    };
    // Accepted and checked; the sandbox keeps no customer history to filter on.
    let _customer_id = string_of(&payload, "customer_id", 64, &mut errors);
    let tokenizable = boolean("tokenizable", &mut errors);
    let auto_debit = boolean("auto_debit", &mut errors);
    let choices = |key: &str, allowed: &[&str], errors: &mut FieldErrors| {
        let items = list(key, errors)?;
        let mut ok = true;
        for item in &items {
            if !allowed.contains(&item.as_str()) {
                errors.add(key, format!("\"{item}\" is not a valid choice."));
                ok = false;
            }
        }
        ok.then_some(items)
    };
    let tags = choices("tags", GATEWAY_TAGS, &mut errors);
    let services = choices("payment_services", PAYMENT_SERVICES, &mut errors);
    errors.into_result()?;
    let plugin = plugin.expect("validated");
    if !principal.may(Action::View, plugin) {
        return Err(ApiError::permission_denied());
    }
    let only_production = payload.fields.get("type").and_then(Value::as_str) == Some("production");
    let methods: Vec<Value> = state
        .config
        .merchant
        .gateways
        .iter()
        .filter(|_| !only_production)
        .filter(|g| g.serves(plugin.as_str()))
        .filter(|g| principal.may_use(g))
        .filter(|g| {
            currencies
                .as_ref()
                .is_none_or(|cs| cs.iter().any(|c| g.accepts(c)))
        })
        .filter(|g| {
            pg_names
                .as_ref()
                .is_none_or(|names| names.iter().any(|n| n == g.family() || n == &g.pg_code))
        })
        .filter(|g| operation.as_ref().is_none_or(|op| op == &g.operation))
        // Both flags ask whether the gateway can tokenize cards (for auto-debit); the sandbox
        // has no separate auto-debit switch.
        .filter(|g| tokenizable.is_none_or(|t| t == g.tokenizable))
        .filter(|g| auto_debit.is_none_or(|a| a == g.tokenizable))
        // Any of the tags (OR); an empty list filters nothing.
        .filter(|g| {
            tags.as_ref()
                .is_none_or(|ts| ts.is_empty() || ts.iter().any(|t| g.tags.contains(t)))
        })
        // No sandbox gateway has Apple Pay, Google Pay, Samsung Pay or a wallet attached.
        .filter(|_| services.as_ref().is_none_or(Vec::is_empty))
        .map(|g| {
            json!({
                "code": g.pg_code,
                "name": g.name,
                "is_sandbox": true,
                "logo": render::gateway_icon(&state, g),
                "wallets": [],
                "payment_services": [],
                "default_currency": g.currencies.first(),
                "accepted_currencies": g.currencies,
                "operation": g.operation,
                "operations": g.operations(),
                "is_tokenizable": g.tokenizable,
                "auto_debit_enabled": g.tokenizable,
                "tags": g.tags,
            })
        })
        .collect();
    Ok(
        axum::Json(json!({"customer_payment_methods": [], "payment_methods": methods}))
            .into_response(),
    )
}

/// Applies one of the inquiry limits (`crate::throttle`): `Err` is the 429 to answer.
fn throttle(
    state: &AppState,
    rule: impl FnOnce(&mut crate::throttle::Throttles) -> Verdict,
) -> Result<(), ApiError> {
    match state.throttles.lock() {
        Ok(mut throttles) => rule(&mut throttles).check(),
        Err(_) => Ok(()),
    }
}

/// `POST /b/pbl/v2/inquiry/`: validation (400), permission (403), the merchant's per-minute
/// limit (429), lookup (404), the transaction's throttle (429), then the webhook-shaped answer.
async fn inquiry(
    State(state): State<AppState>,
    principal: Result<Principal, ApiError>,
    payload: Result<Payload, ApiError>,
) -> Result<Response, ApiError> {
    let principal = principal?;
    let payload = payload?;
    let mut errors = FieldErrors::default();
    let session_id = string_of(&payload, "session_id", 128, &mut errors);
    let order_no = string_of(&payload, "order_no", 128, &mut errors);
    let notify = match payload.fields.get("notify_webhook_url") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) if s == "true" || s == "false" => s == "true",
        Some(_) => {
            errors.add("notify_webhook_url", "Must be a valid boolean.");
            false
        }
    };
    let target = string_of(&payload, "webhook_url", 200, &mut errors);
    if let Some(url) = &target
        && !crate::validation::is_url(url)
    {
        errors.add("webhook_url", "Enter a valid URL.");
    }
    if session_id.is_none() && order_no.is_none() && errors.is_empty() {
        errors.add(
            "non_field_errors",
            "Either `session_id` or `order_no` is required.",
        );
    }
    errors.into_result()?;
    if !principal.may_operate("inquiry") {
        return Err(ApiError::permission_denied());
    }
    let rules = state.config.limits.inquiry;
    if let Some(rules) = rules {
        let now = state.clock.now_unix();
        throttle(&state, |t| t.inquiry_merchant(rules, now))?;
    }
    let txn = locate(&state, session_id.as_deref(), order_no.as_deref())
        .await?
        .ok_or_else(ApiError::not_found)?;
    if let Some(rules) = rules {
        let now = state.clock.now_unix();
        let mut counted = None;
        throttle(&state, |t| {
            let verdict = t.inquiry_txn(rules, &txn.session_id, txn.created_at, now);
            counted = t.inquiries_of(&txn.session_id);
            verdict
        })?;
        if let Some((answered, last)) = counted {
            // Kept across restarts (the per-minute window is not).
            state
                .store
                .record_inquiry(txn.session_id.clone(), answered, last)
                .await?;
        }
    }
    let children = state.store.children(txn.session_id.clone()).await?;
    let body = render::webhook_payload(&state, &txn, &children, state.clock.now_unix());
    if notify {
        // Fire and forget, like Ottu: the answer does not wait for the receiver.
        drop(webhook::dispatch(&state, &txn, target));
    }
    Ok(axum::Json(body).into_response())
}
