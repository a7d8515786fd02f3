//! Control routes under `/_sandbox/` (JSON, no auth, loopback only): act as the payer, move
//! the clock (which also stores late commits it makes due), read the webhook log, arm faults
//! (one, or random for chaos runs), list sessions by `order_no` and a transaction's children,
//! settle or reject queued refunds, reset.
//! They are test and demo aids; Ottu has none of them.
//!
//! Lock-down: they answer 403 `{"detail"}` unless the request's `Host` is the sandbox's own
//! loopback address (`127.0.0.1:<port>`, `localhost:<port>` or `[::1]:<port>`, the port it
//! listens on) and its `Origin`, when present, is `http://` plus one of those. A web page
//! elsewhere (a drive-by page, or DNS rebinding a name to 127.0.0.1) can therefore not drive
//! them: its requests carry its own `Origin` or `Host`.
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
//!   the 100 newest). `GET /_sandbox/sessions/{id}` → one such object, deleted ones included,
//!   plus `children` (as below) and the totals `captured_amount`, `refunded_amount` (done),
//!   `refund_queued_amount`, `voided_amount`, `refundable_amount` and `capturable_amount`
//!   (what a refund or capture may still take; `"0.000"` when the state allows none).
//! - `GET /_sandbox/sessions/{id}/children` → `{"session_id", "children": [{"session_id",
//!   "parent_session_id", "operation", "state", "amount", "currency_code", "reference_number",
//!   "pg_code", "tracking_key", "created_at", "updated_at"}]}`, oldest first (refunds,
//!   captures, voids: digest §7.1 child transactions). 404 unknown session.
//! - `POST /_sandbox/children/{child_session_id}/{settle|reject}` (no body): a queued refund
//!   (`refund_queued`, gateways with `queue_refunds`) becomes `refunded` or `refund_rejected`
//!   and its operation webhook is sent (result `success` / `rejected`) → `{"child": {...},
//!   "webhook": {...}}` after the delivery has ended. 404 unknown child; 409 `{"detail",
//!   "state"}` when it is not queued.
//! - `GET /_sandbox/sessions?all=true[&after=<session_id>][&limit=n]` → every transaction, a
//!   page at a time: `{"sessions": [...], "next": <session_id> | null}` in `session_id` order
//!   (deleted ones included; `limit` 1..=1000, default 500). Pass `next` as `after` for the
//!   following page; `null` means this was the last one. For chaos runs that compare the whole
//!   server with a client's history.
//! - `GET /_sandbox/clock` and `POST /_sandbox/clock/advance {"seconds": n}` →
//!   `{"now", "now_unix", "offset_seconds"}`. `n` is a whole number from 0 to
//!   [`CLOCK_ADVANCE_MAX_SECONDS`] (31 days; longer moves take several calls), and the clock
//!   never passes the year 9999: 400 naming `seconds` otherwise.
//! - `GET /_sandbox/webhooks[?session_id=]` → `{"deliveries": [{"id", "event", "session_id",
//!   "url", "state", "payload", "attempt", "status", "outcome", "error", "at"}]}`, oldest
//!   first; `event` is `payment` or `operation` (then `session_id` is the parent's and
//!   `state` the child's); `outcome` is `delivered` (2xx), `rejected`, `timeout` or `error`.
//! - `POST /_sandbox/faults` arms one of two modes, replacing the other and resetting the
//!   counters (400 with the bad field named, nested under `random` for the random mode):
//!   - one fault: `{"kind", "times"?: 1, "delay_ms"?}` for the next `times` creates. `kind` is
//!     `drop_after_commit`, `delay`, `status_500`, `status_503_after_commit`,
//!     `malformed_after_commit` or `late_commit`. `delay_ms`: the answer's delay for `delay`
//!     (real time, default 0, at most 1000000); the commit's delay for `late_commit` (sandbox
//!     clock, default 5000, at most `LATE_COMMIT_MAX_MS` = 120000).
//!   - random: `{"random": {"seed": u64, "rates": {"<kind>": 0..1, ...}, "delay_ms"?: 1000,
//!     "late_commit_ms"?: [5000, 5000]}}`: each create draws one fault (or none) from an RNG
//!     seeded with `seed`; kinds left out have rate 0; the rates add up to at most 1. `delay`
//!     waits `delay_ms`; a late commit's delay is drawn uniformly from `late_commit_ms`
//!     (`[min, max]`, max at most 120000). Same seed, same sandbox build and the same sequence
//!     of creates: the same faults.
//! - `GET /_sandbox/faults`, and the answer of `POST` and `DELETE` → `{"armed": null | {"kind",
//!   "remaining", "delay_ms"}, "random": null | {"seed", "rates": {every kind: rate}, "delay_ms",
//!   "late_commit_ms": [min, max], "draws"}, "injected": {every kind: count},
//!   "late_commits_pending": n, "late_commit_max_ms": 120000}`. `injected` counts the faults
//!   applied since the last `POST` (or reset); a `status_500` counts on any create, the others
//!   only on valid ones. `DELETE` disarms both modes and keeps the counts and pending late
//!   commits.
//! - `POST /_sandbox/faults/reports` `{"change": "drop" | "amount" | "state", "order_no",
//!   "amount"? (for `amount`), "state"? (for `state`)}` plants a difference in the report files
//!   made from now on (`crate::reports`); `GET` lists the plants `{"plants": [...]}`, `DELETE`
//!   removes them all. 400 naming the bad field.
//! - `POST /_sandbox/reports/generate {"date": "YYYY-MM-DD"}` makes that day's report now
//!   (source `manual`) → the report as the Reports API lists it, without `download_action`.
//! - `POST /_sandbox/reset` → `{"reset": true}` (also forgets the request-limit counters, the
//!   fault counters, report plants, download tokens and pending late commits).

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::clock::format_rfc3339;
use crate::error::{ApiError, FieldErrors};
use crate::faults::{
    DELAY_MAX_MS, FaultKind, LATE_COMMIT_DEFAULT_MS, LATE_COMMIT_MAX_MS, RANDOM_DELAY_DEFAULT_MS,
    RandomSettings,
};
use crate::model::{Child, ChildTotals, State as TxnState, Txn};
use crate::money::Amount;
use crate::payload::Payload;
use crate::payments::{self, PayerAction, PayerRefusal};
use crate::render;
use crate::state::AppState;
use crate::validation::Flags;
use crate::webhook::{self, Delivery};

/// Largest clock advance of one `POST /_sandbox/clock/advance` (31 days).
pub const CLOCK_ADVANCE_MAX_SECONDS: i64 = 31 * 86_400;

/// The `/_sandbox/` routes, behind the Host/Origin lock-down.
pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/_sandbox/sessions", get(list_sessions))
        .route("/_sandbox/sessions/{session_id}", get(session))
        .route("/_sandbox/sessions/{session_id}/children", get(children))
        .route("/_sandbox/sessions/{session_id}/{action}", post(payer))
        .route(
            "/_sandbox/children/{child_id}/{action}",
            post(finish_refund),
        )
        .route("/_sandbox/clock", get(clock))
        .route("/_sandbox/clock/advance", post(advance_clock))
        .route("/_sandbox/webhooks", get(webhooks))
        .route("/_sandbox/reset", post(reset))
        .route(
            "/_sandbox/faults",
            get(faults).post(arm_fault).delete(clear_faults),
        )
        .route(
            "/_sandbox/faults/reports",
            get(report_plants)
                .post(plant_in_reports)
                .delete(clear_report_plants),
        )
        .route("/_sandbox/reports/generate", post(generate_report))
        .route_layer(axum::middleware::from_fn_with_state(state, loopback_only))
}

/// The `Host` values (and `Origin`s with `http://`) the control routes accept.
fn own_authorities(state: &AppState) -> [String; 3] {
    let port = state.listen_addr.port();
    [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ]
}

/// Refuses (403) control requests not addressed to the sandbox's own loopback address.
async fn loopback_only(
    State(state): State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let own = own_authorities(&state);
    let headers = request.headers();
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_ascii_lowercase)
        .or_else(|| {
            request
                .uri()
                .authority()
                .map(|a| a.as_str().to_ascii_lowercase())
        });
    let host_ok = host.is_some_and(|h| own.contains(&h));
    let origin_ok = match headers.get(axum::http::header::ORIGIN) {
        None => true,
        Some(origin) => origin.to_str().is_ok_and(|o| {
            let o = o.to_ascii_lowercase();
            own.iter().any(|a| o == format!("http://{a}"))
        }),
    };
    if !host_ok || !origin_ok {
        return ApiError {
            status: StatusCode::FORBIDDEN,
            body: json!({"detail": "Control routes answer only requests addressed to the sandbox's own loopback address (Host and Origin)."}),
            retry_after: None,
        }
        .into_response();
    }
    next.run(request).await
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
    /// Page through every transaction (`after`, `limit`) instead of the 100 newest.
    #[serde(default)]
    all: bool,
    after: Option<String>,
    limit: Option<u32>,
}

/// A child transaction for the control routes.
fn child_json(parent: &Txn, child: &Child) -> Value {
    json!({
        "session_id": child.session_id,
        "parent_session_id": child.parent_session_id,
        "operation": child.operation.as_str(),
        "state": child.state.as_str(),
        "amount": child.amount.to_string(),
        "currency_code": parent.checkout.currency_code.code(),
        "reference_number": child.reference_number,
        "pg_code": child.pg_code,
        "tracking_key": child.tracking_key,
        "created_at": format_rfc3339(child.created_at),
        "updated_at": format_rfc3339(child.updated_at),
    })
}

/// The totals of [`session`]: what was captured, refunded, voided, and what is left.
fn totals_json(txn: &Txn, children: &[Child]) -> Value {
    let d = txn.checkout.currency_code.decimals();
    let t = ChildTotals::of(children, d);
    let amount = txn.checkout.amount.rescaled(d).value();
    let zero = rust_decimal::Decimal::ZERO;
    let voided = !t.voided.value().is_zero();
    let refund_base = match txn.state {
        TxnState::Paid => amount,
        TxnState::Authorized => t.captured.value(),
        _ => zero,
    };
    let refundable = (refund_base - t.refunded.value() - t.refund_queued.value()).max(zero);
    let capturable = if txn.state == TxnState::Authorized && !voided {
        (amount - t.captured.value()).max(zero)
    } else {
        zero
    };
    json!({
        "captured_amount": t.captured.to_string(),
        "refunded_amount": t.refunded.to_string(),
        "refund_queued_amount": t.refund_queued.to_string(),
        "voided_amount": t.voided.to_string(),
        "refundable_amount": Amount::new(refundable, d).to_string(),
        "capturable_amount": Amount::new(capturable, d).to_string(),
    })
}

/// Page size of `GET /_sandbox/sessions?all=true` when none is given, and the largest allowed.
const PAGE_DEFAULT: u32 = 500;
const PAGE_MAX: u32 = 1000;

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
    let mut next = None;
    let txns = match query.order_no {
        Some(order_no) => state.store.txns_by_order_no(order_no).await?,
        None if query.all => {
            let limit = query.limit.unwrap_or(PAGE_DEFAULT);
            if !(1..=PAGE_MAX).contains(&limit) {
                return Err(ApiError::field(
                    "limit",
                    format!("Ensure this value is between 1 and {PAGE_MAX}."),
                ));
            }
            let page = state.store.txns_page(query.after, limit).await?;
            if page.len() == limit as usize {
                next = page.last().map(|t| t.session_id.clone());
            }
            page
        }
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
    let body = if query.all {
        json!({ "sessions": sessions, "next": next })
    } else {
        json!({ "sessions": sessions })
    };
    Ok(axum::Json(body).into_response())
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
    let children = state.store.children(txn.session_id.clone()).await?;
    let mut body = session_json(&state, &txn);
    body["children"] = children.iter().map(|c| child_json(&txn, c)).collect();
    if let (Value::Object(map), Value::Object(totals)) = (&mut body, totals_json(&txn, &children)) {
        map.extend(totals);
    }
    Ok(axum::Json(body).into_response())
}

async fn children(
    State(state): State<AppState>,
    Path(session_id): Path<String>,
) -> Result<Response, ApiError> {
    let txn = state
        .store
        .txn(session_id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let children = state.store.children(txn.session_id.clone()).await?;
    let list: Vec<Value> = children.iter().map(|c| child_json(&txn, c)).collect();
    Ok(axum::Json(json!({"session_id": txn.session_id, "children": list})).into_response())
}

/// `POST /_sandbox/children/{id}/settle|reject`: the gateway's answer to a queued refund.
async fn finish_refund(
    State(state): State<AppState>,
    Path((child_id, action)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let accept = match action.as_str() {
        "settle" => true,
        "reject" => false,
        _ => return Err(ApiError::not_found()),
    };
    let (parent, child) = match payments::finish_queued_refund(&state, &child_id, accept)
        .await?
        .ok_or_else(ApiError::not_found)?
    {
        Ok(done) => done,
        Err(child) => {
            return Err(ApiError {
                status: StatusCode::CONFLICT,
                body: json!({"detail": format!("Only a queued refund can be settled or rejected: this child is {}.", child.state.as_str()), "state": child.state.as_str()}),
                retry_after: None,
            });
        }
    };
    let delivery = webhook::dispatch_operation(&state, &parent, &child)
        .await
        .unwrap_or(Delivery::Failed);
    Ok(axum::Json(json!({
        "child": child_json(&parent, &child),
        "webhook": delivery_json(&delivery),
    }))
    .into_response())
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
    let Some(seconds) = seconds.filter(|s| (0..=CLOCK_ADVANCE_MAX_SECONDS).contains(s)) else {
        return Err(ApiError::field(
            "seconds",
            format!(
                "A whole number of seconds between 0 and {CLOCK_ADVANCE_MAX_SECONDS} (31 days) is \
                 required; advance in several calls for more."
            ),
        ));
    };
    // Checked: the offset never overflows, and the clock never passes what dates can show.
    let offset = state
        .clock
        .offset()
        .checked_add(seconds)
        .filter(|o| crate::clock::Clock::offset_is_representable(*o))
        .ok_or_else(|| {
            ApiError::field(
                "seconds",
                "The sandbox clock cannot be advanced that far (it would pass the year 9999).",
            )
        })?;
    state.store.set_clock_offset(offset).await?;
    state.clock.set_offset(offset);
    // Late commits now due are stored before this answer.
    crate::late_commit::commit_due(&state).await;
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
    state.late_commits.clear().await;
    state.store.reset().await?;
    state.clock.set_offset(0);
    if let Ok(mut faults) = state.faults.lock() {
        faults.reset();
    }
    if let Ok(mut throttles) = state.throttles.lock() {
        throttles.clear();
    }
    if let Ok(mut tokens) = state.download_tokens.lock() {
        tokens.clear();
    }
    Ok(axum::Json(json!({"reset": true})).into_response())
}

fn faults_json(state: &AppState) -> Value {
    let (armed, random, injected) = match state.faults.lock() {
        Ok(f) => (f.armed(), f.random(), f.injected()),
        Err(_) => (None, None, Default::default()),
    };
    let random = random.map(|(settings, draws)| {
        let rates: serde_json::Map<String, Value> = FaultKind::ALL
            .into_iter()
            .map(|k| {
                let rate = settings.rates.get(&k).copied().unwrap_or(0.0);
                (k.as_str().to_owned(), json!(rate))
            })
            .collect();
        json!({
            "seed": settings.seed,
            "rates": rates,
            "delay_ms": settings.delay_ms,
            "late_commit_ms": settings.late_commit_ms,
            "draws": draws,
        })
    });
    let injected: serde_json::Map<String, Value> = injected
        .into_iter()
        .map(|(k, n)| (k.as_str().to_owned(), json!(n)))
        .collect();
    json!({
        "armed": armed.map(|a| json!({"kind": a.kind.as_str(), "remaining": a.remaining, "delay_ms": a.delay_ms})),
        "random": random,
        "injected": injected,
        "late_commits_pending": state.late_commits.pending(),
        "late_commit_max_ms": LATE_COMMIT_MAX_MS,
    })
}

async fn faults(State(state): State<AppState>) -> Response {
    axum::Json(faults_json(&state)).into_response()
}

fn kind_names() -> String {
    let names: Vec<&str> = FaultKind::ALL.into_iter().map(FaultKind::as_str).collect();
    names.join(", ")
}

/// A whole number in `0..=max` (`default` when absent or null); the error names `key`.
fn whole_number(
    fields: &serde_json::Map<String, Value>,
    key: &str,
    max: u64,
    default: u64,
    errors: &mut FieldErrors,
) -> u64 {
    match fields.get(key) {
        None | Some(Value::Null) => default,
        Some(v) => match v.as_u64() {
            Some(n) if n <= max => n,
            _ => {
                errors.add(
                    key,
                    format!("A whole number between 0 and {max} is required."),
                );
                default
            }
        },
    }
}

async fn arm_fault(
    State(state): State<AppState>,
    payload: Result<Payload, ApiError>,
) -> Result<Response, ApiError> {
    let payload = payload?;
    if let Some(random) = payload.fields.get("random") {
        let mut errors = FieldErrors::default();
        if payload.fields.get("kind").is_some_and(|k| !k.is_null()) {
            errors.add(
                "non_field_errors",
                "Give either `kind` or `random`, not both.",
            );
        }
        let settings = random_settings(random, &mut errors);
        errors.into_result()?;
        if let (Some(settings), Ok(mut faults)) = (settings, state.faults.lock()) {
            faults.arm_random(settings);
        }
        return Ok(axum::Json(faults_json(&state)).into_response());
    }
    let mut errors = FieldErrors::default();
    let kind = match payload.fields.get("kind") {
        Some(v) => match v.as_str().and_then(FaultKind::parse) {
            Some(kind) => Some(kind),
            None => {
                errors.add("kind", format!("{v} is not one of {}.", kind_names()));
                None
            }
        },
        None => {
            errors.add("kind", "This field is required.");
            None
        }
    };
    let times = whole_number(&payload.fields, "times", 1_000_000, 1, &mut errors);
    let delay_ms = if kind == Some(FaultKind::LateCommit) {
        // On the sandbox clock, and capped so clients can choose a horizon beyond it.
        whole_number(
            &payload.fields,
            "delay_ms",
            LATE_COMMIT_MAX_MS,
            LATE_COMMIT_DEFAULT_MS,
            &mut errors,
        )
    } else {
        whole_number(&payload.fields, "delay_ms", DELAY_MAX_MS, 0, &mut errors)
    };
    errors.into_result()?;
    if let (Some(kind), Ok(mut faults)) = (kind, state.faults.lock()) {
        faults.arm(kind, times as u32, delay_ms);
    }
    Ok(axum::Json(faults_json(&state)).into_response())
}

/// Validates the `random` object; errors are nested under `random` (DRF style).
fn random_settings(random: &Value, outer: &mut FieldErrors) -> Option<RandomSettings> {
    let Some(fields) = random.as_object() else {
        outer.add("random", "Expected an object with `seed` and `rates`.");
        return None;
    };
    let mut errors = FieldErrors::default();
    for key in fields.keys() {
        if !["seed", "rates", "delay_ms", "late_commit_ms"].contains(&key.as_str()) {
            errors.add(key, "Unknown field.");
        }
    }
    let seed = match fields.get("seed") {
        None | Some(Value::Null) => {
            errors.add("seed", "This field is required.");
            None
        }
        Some(v) => {
            let seed = v.as_u64();
            if seed.is_none() {
                errors.add("seed", "A whole number between 0 and 2^64-1 is required.");
            }
            seed
        }
    };
    let mut rates = std::collections::BTreeMap::new();
    match fields.get("rates") {
        None | Some(Value::Null) => errors.add("rates", "This field is required."),
        Some(Value::Object(given)) => {
            let mut rate_errors = FieldErrors::default();
            for (name, rate) in given {
                let Some(kind) = FaultKind::parse(name) else {
                    rate_errors.add(name, format!("Not a fault kind: one of {}.", kind_names()));
                    continue;
                };
                match rate.as_f64().filter(|r| (0.0..=1.0).contains(r)) {
                    Some(r) => {
                        rates.insert(kind, r);
                    }
                    None => rate_errors.add(name, "A number between 0 and 1 is required."),
                }
            }
            if rate_errors.is_empty() && rates.values().sum::<f64>() > 1.0 + 1e-9 {
                errors.add("rates", "The rates add up to more than 1.");
            }
            errors.nested("rates", rate_errors);
        }
        Some(_) => errors.add("rates", "Expected an object of fault kinds to rates."),
    }
    let delay_ms = whole_number(
        fields,
        "delay_ms",
        DELAY_MAX_MS,
        RANDOM_DELAY_DEFAULT_MS,
        &mut errors,
    );
    let late_commit_ms = match fields.get("late_commit_ms") {
        None | Some(Value::Null) => Some([LATE_COMMIT_DEFAULT_MS; 2]),
        Some(Value::Array(range)) => match range.as_slice() {
            [lo, hi] => match (lo.as_u64(), hi.as_u64()) {
                (Some(lo), Some(hi)) if lo <= hi && hi <= LATE_COMMIT_MAX_MS => Some([lo, hi]),
                _ => None,
            },
            _ => None,
        },
        Some(_) => None,
    };
    if late_commit_ms.is_none() {
        errors.add(
            "late_commit_ms",
            format!("Expected [min, max]: whole milliseconds, min <= max <= {LATE_COMMIT_MAX_MS}."),
        );
    }
    let ok = errors.is_empty();
    outer.nested("random", errors);
    Some(RandomSettings {
        seed: seed?,
        rates,
        delay_ms,
        late_commit_ms: late_commit_ms?,
    })
    .filter(|_| ok)
}

async fn clear_faults(State(state): State<AppState>) -> Response {
    if let Ok(mut faults) = state.faults.lock() {
        faults.clear();
    }
    axum::Json(faults_json(&state)).into_response()
}

fn plants_json(state: &AppState) -> Value {
    let plants = state
        .faults
        .lock()
        .map(|f| f.report_plants())
        .unwrap_or_default();
    json!({ "plants": plants })
}

async fn report_plants(State(state): State<AppState>) -> Response {
    axum::Json(plants_json(&state)).into_response()
}

async fn plant_in_reports(
    State(state): State<AppState>,
    payload: Result<Payload, ApiError>,
) -> Result<Response, ApiError> {
    let fields = payload?.fields;
    let mut errors = FieldErrors::default();
    let text = |key: &str, errors: &mut FieldErrors| match fields.get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        _ => {
            errors.add(key, "This field is required.");
            None
        }
    };
    let order_no = text("order_no", &mut errors);
    let plant = match fields.get("change").and_then(Value::as_str) {
        Some("drop") => order_no.map(|order_no| crate::faults::ReportPlant::Drop { order_no }),
        Some("amount") => {
            let amount = text("amount", &mut errors);
            order_no
                .zip(amount)
                .map(|(order_no, amount)| crate::faults::ReportPlant::Amount { order_no, amount })
        }
        Some("state") => {
            let state = text("state", &mut errors);
            order_no
                .zip(state)
                .map(|(order_no, state)| crate::faults::ReportPlant::State { order_no, state })
        }
        _ => {
            errors.add("change", "One of drop, amount or state is required.");
            None
        }
    };
    errors.into_result()?;
    if let (Some(plant), Ok(mut faults)) = (plant, state.faults.lock()) {
        faults.plant_in_reports(plant);
    }
    Ok(axum::Json(plants_json(&state)).into_response())
}

async fn clear_report_plants(State(state): State<AppState>) -> Response {
    if let Ok(mut faults) = state.faults.lock() {
        faults.clear_report_plants();
    }
    axum::Json(plants_json(&state)).into_response()
}

async fn generate_report(
    State(state): State<AppState>,
    payload: Result<Payload, ApiError>,
) -> Result<Response, ApiError> {
    let fields = payload?.fields;
    let Some(day) = fields
        .get("date")
        .and_then(Value::as_str)
        .and_then(crate::reports::parse_day)
    else {
        return Err(ApiError::field(
            "date",
            "A date like 2026-12-03 is required.",
        ));
    };
    let report = crate::reports::generate(&state, day, "manual", state.clock.now_unix()).await?;
    Ok(axum::Json(json!({
        "encrypted_id": report.encrypted_id,
        "report_name": report.report_name,
        "interval": report.interval,
        "source": report.source,
        "period": report.period,
        "records_amount": report.records,
        "created_at": format_rfc3339(report.created_at),
    }))
    .into_response())
}
