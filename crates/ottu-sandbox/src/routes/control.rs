//! Control routes under `/_sandbox/` (JSON, no auth, loopback only): act as the payer, move
//! the clock, read the webhook log, arm faults, list sessions by `order_no`, reset.
//! They are test and demo aids; Ottu has none of them.
//!
//! Shapes (JSON in, JSON out):
//! - `POST /_sandbox/sessions/{id}/{open|pay|decline|fail|cancel}` with an optional body
//!   `{"pg_code"?: "knet", "card_number"?: "..."}` → `{"session_id", "state", "webhook": null |
//!   {"outcome": "not_configured" | "answered" | "timed_out" | "failed", "status"?: 200}}`.
//!   The answer comes after the webhook delivery has ended. 404 unknown session; 409
//!   `{"detail", "state"}` when the transaction is no longer payable; 400 on a pg_code that is
//!   not the transaction's.
//! - `POST /_sandbox/sessions/{id}/late_success` (same body and answer): a gateway success that
//!   arrives late, as Ottu's auto inquiry finds it: `failed` or `expired` → `paid`, with the
//!   payment webhook as for any payment (the gateway is `pg_code`, else the one last tried,
//!   else the first). 409 `{"detail", "state"}` in any other state (an open one is paid with
//!   `pay`; `canceled` is final).
//! - `GET /_sandbox/sessions?order_no=X` → `{"sessions": [<checkout object> + reference_number,
//!   deleted, created_at, updated_at, expires_at, paid_at]}` (oldest first; without `order_no`,
//!   the 100 newest). `GET /_sandbox/sessions/{id}` → one such object, deleted ones included.
//! - `GET /_sandbox/clock` and `POST /_sandbox/clock/advance {"seconds": n}` →
//!   `{"now", "now_unix", "offset_seconds"}`.
//! - `GET /_sandbox/webhooks[?session_id=]` → `{"deliveries": [{"id", "session_id", "url",
//!   "state", "payload", "attempt", "status", "outcome", "error", "at"}]}`, oldest first;
//!   `outcome` is `delivered` (2xx), `rejected`, `timeout` or `error`.
//! - `POST /_sandbox/faults {"kind", "times"?: 1, "delay_ms"?: 0}`, `GET`, `DELETE` →
//!   `{"armed": null | {"kind", "remaining", "delay_ms"}}`.
//! - `POST /_sandbox/reset` → `{"reset": true}` (also forgets the request-limit counters).

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::clock::format_rfc3339;
use crate::error::ApiError;
use crate::faults::FaultKind;
use crate::payload::Payload;
use crate::payments::{self, PayerAction, PayerRefusal};
use crate::render;
use crate::state::AppState;
use crate::validation::Flags;
use crate::webhook::{self, Delivery};

/// The `/_sandbox/` routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/_sandbox/sessions", get(list_sessions))
        .route("/_sandbox/sessions/{session_id}", get(session))
        .route("/_sandbox/sessions/{session_id}/{action}", post(payer))
        .route("/_sandbox/clock", get(clock))
        .route("/_sandbox/clock/advance", post(advance_clock))
        .route("/_sandbox/webhooks", get(webhooks))
        .route("/_sandbox/reset", post(reset))
        .route(
            "/_sandbox/faults",
            get(faults).post(arm_fault).delete(clear_faults),
        )
}

/// Converts a webhook outcome to JSON for control responses.
pub fn delivery_json(delivery: &Delivery) -> Value {
    match delivery {
        Delivery::NotConfigured => json!({"outcome": "not_configured"}),
        Delivery::Answered(status) => json!({"outcome": "answered", "status": status}),
        Delivery::TimedOut => json!({"outcome": "timed_out"}),
        Delivery::Failed => json!({"outcome": "failed"}),
    }
}

fn text_field(payload: &Payload, key: &str) -> Result<Option<String>, ApiError> {
    match payload.fields.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(ApiError::field(key, "Not a valid string.")),
    }
}

async fn payer(
    State(state): State<AppState>,
    Path((session_id, action)): Path<(String, String)>,
    payload: Result<Payload, ApiError>,
) -> Result<Response, ApiError> {
    let action = match action.as_str() {
        "open" => PayerAction::Open,
        "pay" => PayerAction::Pay,
        "decline" => PayerAction::Decline,
        "fail" => PayerAction::Fail,
        "cancel" => PayerAction::Cancel,
        "late_success" => PayerAction::LateSuccess,
        _ => return Err(ApiError::not_found()),
    };
    let payload = payload?;
    let pg_code = text_field(&payload, "pg_code")?;
    let card = text_field(&payload, "card_number")?;
    let outcome = payments::payer_action(&state, &session_id, action, pg_code, card)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let txn = match outcome {
        Ok(txn) => txn,
        Err(PayerRefusal::NotPayable(s)) => {
            return Err(ApiError {
                status: StatusCode::CONFLICT,
                body: json!({"detail": format!("This payment can no longer be paid: it is {}.", s.as_str()), "state": s.as_str()}),
                retry_after: None,
            });
        }
        Err(PayerRefusal::NotLate(s)) => {
            return Err(ApiError {
                status: StatusCode::CONFLICT,
                body: json!({"detail": format!("Only a failed or expired payment can succeed late: this one is {}.", s.as_str()), "state": s.as_str()}),
                retry_after: None,
            });
        }
        Err(PayerRefusal::UnknownGateway(code)) => {
            return Err(ApiError::field(
                "pg_code",
                format!("{code} is not one of this transaction's pg_codes."),
            ));
        }
    };
    let delivery = if action == PayerAction::Open {
        None
    } else {
        // Deterministic for tests: answer after the webhook delivery has ended.
        let handle = webhook::dispatch(&state, &txn, None);
        Some(handle.await.unwrap_or(Delivery::Failed))
    };
    Ok(axum::Json(json!({
        "session_id": txn.session_id,
        "state": txn.state.as_str(),
        "webhook": delivery.as_ref().map(delivery_json),
    }))
    .into_response())
}

#[derive(Debug, Deserialize)]
struct SessionsQuery {
    order_no: Option<String>,
}

fn session_json(state: &AppState, txn: &crate::model::Txn) -> Value {
    let mut body = render::checkout(state, txn, Flags::default());
    body["reference_number"] = json!(txn.reference_number);
    body["deleted"] = json!(txn.deleted);
    body["created_at"] = json!(format_rfc3339(txn.created_at));
    body["updated_at"] = json!(format_rfc3339(txn.updated_at));
    body["expires_at"] = json!(format_rfc3339(txn.expires_at));
    body["paid_at"] = json!(txn.paid_at.map(format_rfc3339));
    body
}

async fn list_sessions(
    State(state): State<AppState>,
    query: Result<Query<SessionsQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let txns = match query.order_no {
        Some(order_no) => state.store.txns_by_order_no(order_no).await?,
        None => state.store.recent_txns(100).await?,
    };
    let now = state.clock.now_unix();
    let sessions: Vec<Value> = txns
        .into_iter()
        .map(|mut t| {
            t.expire_if_due(now);
            session_json(&state, &t)
        })
        .collect();
    Ok(axum::Json(json!({ "sessions": sessions })).into_response())
}

async fn session(
    State(state): State<AppState>,
    Path(session_id): Path<String>,
) -> Result<Response, ApiError> {
    let mut txn = state
        .store
        .txn(session_id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    txn.expire_if_due(state.clock.now_unix());
    Ok(axum::Json(session_json(&state, &txn)).into_response())
}

fn clock_json(state: &AppState) -> Value {
    let now = state.clock.now_unix();
    json!({"now": format_rfc3339(now), "now_unix": now, "offset_seconds": state.clock.offset()})
}

async fn clock(State(state): State<AppState>) -> Response {
    axum::Json(clock_json(&state)).into_response()
}

async fn advance_clock(
    State(state): State<AppState>,
    payload: Result<Payload, ApiError>,
) -> Result<Response, ApiError> {
    let payload = payload?;
    let seconds = match payload.fields.get("seconds") {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        None => return Err(ApiError::field("seconds", "This field is required.")),
        _ => None,
    };
    let Some(seconds) = seconds.filter(|s| (0..=3650 * 86_400).contains(s)) else {
        return Err(ApiError::field(
            "seconds",
            "A whole number of seconds between 0 and 315360000 is required.",
        ));
    };
    let offset = state.clock.offset().saturating_add(seconds);
    state.store.set_clock_offset(offset).await?;
    state.clock.set_offset(offset);
    Ok(axum::Json(clock_json(&state)).into_response())
}

#[derive(Debug, Deserialize)]
struct WebhooksQuery {
    session_id: Option<String>,
}

async fn webhooks(
    State(state): State<AppState>,
    query: Result<Query<WebhooksQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let deliveries = state.store.deliveries(query.session_id).await?;
    Ok(axum::Json(json!({ "deliveries": deliveries })).into_response())
}

async fn reset(State(state): State<AppState>) -> Result<Response, ApiError> {
    state.store.reset().await?;
    state.clock.set_offset(0);
    if let Ok(mut faults) = state.faults.lock() {
        faults.clear();
    }
    if let Ok(mut throttles) = state.throttles.lock() {
        throttles.clear();
    }
    Ok(axum::Json(json!({"reset": true})).into_response())
}

fn faults_json(state: &AppState) -> Value {
    let armed = state.faults.lock().ok().and_then(|f| f.armed());
    json!({ "armed": armed })
}

async fn faults(State(state): State<AppState>) -> Response {
    axum::Json(faults_json(&state)).into_response()
}

async fn arm_fault(
    State(state): State<AppState>,
    payload: Result<Payload, ApiError>,
) -> Result<Response, ApiError> {
    let payload = payload?;
    let mut errors = crate::error::FieldErrors::default();
    let kind = match payload.fields.get("kind") {
        Some(v) => match serde_json::from_value::<FaultKind>(v.clone()) {
            Ok(kind) => Some(kind),
            Err(_) => {
                errors.add("kind", format!("{v} is not one of drop_after_commit, delay, status_500, status_503_after_commit, malformed_after_commit."));
                None
            }
        },
        None => {
            errors.add("kind", "This field is required.");
            None
        }
    };
    let number = |key: &str, default: u64, errors: &mut crate::error::FieldErrors| match payload
        .fields
        .get(key)
    {
        None | Some(Value::Null) => default,
        Some(v) => match v.as_u64() {
            Some(n) if n <= 1_000_000 => n,
            _ => {
                errors.add(key, "A whole number between 0 and 1000000 is required.");
                default
            }
        },
    };
    let times = number("times", 1, &mut errors);
    let delay_ms = number("delay_ms", 0, &mut errors);
    errors.into_result()?;
    if let (Some(kind), Ok(mut faults)) = (kind, state.faults.lock()) {
        faults.arm(kind, times as u32, delay_ms);
    }
    Ok(axum::Json(faults_json(&state)).into_response())
}

async fn clear_faults(State(state): State<AppState>) -> Response {
    if let Ok(mut faults) = state.faults.lock() {
        faults.clear();
    }
    axum::Json(faults_json(&state)).into_response()
}
