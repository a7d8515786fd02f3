//! The Checkout resource: `/b/checkout/v1/pymt-txn/` (create, retrieve, PUT, PATCH) and
//! `/b/checkout/v1/upload-attachment/`. Every path works with and without its trailing slash.

use std::time::Duration;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use crate::auth::{Action, Principal};
use crate::error::ApiError;
use crate::faults::{Draw, FaultKind, Phase, Planned};
use crate::payload::{BodyKind, Payload};
use crate::payments;
use crate::render;
use crate::startup::ConnectionKill;
use crate::state::AppState;
use crate::validation::Flags;

/// Routes of the checkout resource.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/b/checkout/v1/pymt-txn/", post(create))
        .route("/b/checkout/v1/pymt-txn", post(create))
        .route(
            "/b/checkout/v1/pymt-txn/{session_id}/",
            get(retrieve).put(put).patch(patch),
        )
        .route(
            "/b/checkout/v1/pymt-txn/{session_id}",
            get(retrieve).put(put).patch(patch),
        )
        .route("/b/checkout/v1/upload-attachment/", post(upload_attachment))
        .route("/b/checkout/v1/upload-attachment", post(upload_attachment))
}

async fn create(
    State(state): State<AppState>,
    kill: Option<axum::Extension<ConnectionKill>>,
    principal: Result<Principal, ApiError>,
    payload: Result<Payload, ApiError>,
) -> Response {
    let faults = CreateFaults::begin(&state);
    if let Some(refused) = faults.refused_before_validation() {
        return refused;
    }
    let now_ms = state.clock.now_unix_ms();
    let result = async {
        let principal = principal?;
        let payload = payload?;
        payments::prepare_create(&state, &principal, &payload).await
    }
    .await;
    let (txn, flags) = match result {
        Ok(prepared) => prepared,
        Err(e) => return e.into_response(),
    };
    if let Some(delay_ms) = faults.late_commit() {
        return faults.commit_late(txn, now_ms, delay_ms, kill).await;
    }
    if let Err(e) = payments::insert_created(&state, &txn).await {
        return e.into_response();
    }
    let body = render::checkout(&state, &txn, flags);
    faults.answer_created(body, kill).await
}

/// The create faults of one request (a payment request or an invoice): one draw per request
/// (random mode), then each phase takes its fault if any.
pub(crate) struct CreateFaults<'a> {
    state: &'a AppState,
    draw: Option<Draw>,
}

impl<'a> CreateFaults<'a> {
    pub(crate) fn begin(state: &'a AppState) -> Self {
        let draw = state.faults.lock().ok().map(|mut f| f.begin());
        Self { state, draw }
    }

    fn take(&self, phase: Phase) -> Option<Planned> {
        let draw = self.draw?;
        self.state.faults.lock().ok()?.take(draw, phase)
    }

    /// The 500 of a `status_500` fault, before anything is validated or stored.
    pub(crate) fn refused_before_validation(&self) -> Option<Response> {
        self.take(Phase::BeforeValidation)
            .is_some_and(|f| f.kind == FaultKind::Status500)
            .then(|| {
                ApiError::detail(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "A server error occurred.",
                )
                .into_response()
            })
    }

    /// The delay of a `late_commit` fault, taken after validation.
    pub(crate) fn late_commit(&self) -> Option<u64> {
        self.take(Phase::AfterValidation).map(|f| f.delay_ms)
    }

    /// Validated, answer lost: `txn` (built at `now_ms`) is stored only `delay_ms` later on the
    /// sandbox clock (with its invoice, if it has one), and the connection is dropped.
    pub(crate) async fn commit_late(
        &self,
        txn: crate::model::Txn,
        now_ms: i64,
        delay_ms: u64,
        kill: Option<axum::Extension<ConnectionKill>>,
    ) -> Response {
        let reject = payments::rejects_duplicate_order_no(self.state);
        self.state
            .late_commits
            .schedule(txn, now_ms, delay_ms, reject)
            .await;
        drop_connection(kill).await
    }

    /// The 201 with `body` (the transaction is stored), or what an after-commit fault makes of it.
    pub(crate) async fn answer_created(
        &self,
        body: serde_json::Value,
        kill: Option<axum::Extension<ConnectionKill>>,
    ) -> Response {
        let fault = self.take(Phase::AfterCommit).map(|f| (f.kind, f.delay_ms));
        answer_created(body, fault, kill).await
    }
}

/// The 201 answer to a create, or what an after-commit fault makes of it: the transaction is
/// stored either way.
async fn answer_created(
    body: serde_json::Value,
    fault: Option<(FaultKind, u64)>,
    kill: Option<axum::Extension<ConnectionKill>>,
) -> Response {
    match fault {
        None => (StatusCode::CREATED, axum::Json(body)).into_response(),
        Some((FaultKind::Delay, delay_ms)) => {
            tokio::time::sleep(Duration::from_millis(delay_ms)).await;
            (StatusCode::CREATED, axum::Json(body)).into_response()
        }
        Some((FaultKind::Status503AfterCommit, _)) => ApiError::detail(
            StatusCode::SERVICE_UNAVAILABLE,
            "Service temporarily unavailable, try again later.",
        )
        .into_response(),
        Some((FaultKind::MalformedAfterCommit, _)) => {
            let text = body.to_string();
            let cut = text.len() / 2;
            (
                StatusCode::CREATED,
                [(header::CONTENT_TYPE, "application/json")],
                text[..cut].to_owned(),
            )
                .into_response()
        }
        Some((FaultKind::DropAfterCommit | FaultKind::LateCommit, _)) => {
            drop_connection(kill).await
        }
        Some((FaultKind::Status500, _)) => ApiError::detail(
            StatusCode::INTERNAL_SERVER_ERROR,
            "A server error occurred.",
        )
        .into_response(),
    }
}

/// Closes the request's connection without any response. In-process router tests have no
/// connection to drop: the response body fails instead.
pub(crate) async fn drop_connection(kill: Option<axum::Extension<ConnectionKill>>) -> Response {
    match kill {
        Some(axum::Extension(kill)) => {
            kill.kill();
            std::future::pending::<Response>().await
        }
        None => Response::builder()
            .status(StatusCode::CREATED)
            .body(axum::body::Body::new(FailingBody))
            .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response()),
    }
}

/// A response body that fails at once, so the client sees a broken response.
#[derive(Debug)]
struct FailingBody;

impl hyper::body::Body for FailingBody {
    type Data = axum::body::Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<hyper::body::Frame<Self::Data>, Self::Error>>> {
        std::task::Poll::Ready(Some(Err(std::io::Error::other(
            "connection dropped by fault injection",
        ))))
    }
}

async fn retrieve(
    State(state): State<AppState>,
    principal: Result<Principal, ApiError>,
    Path(session_id): Path<String>,
) -> Result<Response, ApiError> {
    let principal = principal?;
    if !principal.may_on_any_plugin(Action::View) {
        return Err(ApiError::permission_denied());
    }
    let txn = payments::load(&state, &session_id).await?;
    payments::check_view(&principal, &txn)?;
    Ok(axum::Json(render::checkout(&state, &txn, Flags::default())).into_response())
}

async fn put(
    State(state): State<AppState>,
    principal: Result<Principal, ApiError>,
    Path(session_id): Path<String>,
    payload: Result<Payload, ApiError>,
) -> Result<Response, ApiError> {
    update(state, principal?, session_id, payload?, true).await
}

async fn patch(
    State(state): State<AppState>,
    principal: Result<Principal, ApiError>,
    Path(session_id): Path<String>,
    payload: Result<Payload, ApiError>,
) -> Result<Response, ApiError> {
    update(state, principal?, session_id, payload?, false).await
}

async fn update(
    state: AppState,
    principal: Principal,
    session_id: String,
    payload: Payload,
    full: bool,
) -> Result<Response, ApiError> {
    if !principal.may_on_any_plugin(Action::Change) {
        return Err(ApiError::permission_denied());
    }
    let (txn, flags) = payments::update(&state, &principal, &session_id, &payload, full).await?;
    Ok(axum::Json(render::checkout(&state, &txn, flags)).into_response())
}

async fn upload_attachment(
    State(state): State<AppState>,
    principal: Result<Principal, ApiError>,
    payload: Result<Payload, ApiError>,
) -> Result<Response, ApiError> {
    let principal = principal?;
    if !principal.may_on_any_plugin(Action::Add) {
        return Err(ApiError::permission_denied());
    }
    let payload = payload?;
    if payload.kind != BodyKind::Multipart {
        let shown = match payload.kind {
            BodyKind::Json => "application/json",
            BodyKind::Form => "application/x-www-form-urlencoded",
            _ => "",
        };
        return Err(ApiError::unsupported_media_type(shown));
    }
    let text = |k: &str| {
        payload
            .fields
            .get(k)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    let session_id = text("session_id");
    let order_no = text("order_no");
    let shortify = text("shortify_attachment_url")
        .is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "true" | "1" | "yes" | "on"));

    let Some(file) = payload.files.iter().find(|f| f.field == "file") else {
        return Err(string_error("file", "No file was submitted."));
    };
    if session_id.is_some() && order_no.is_some() {
        let message = "Please provide only `order_no` or `session_id`, not both.";
        return Err(ApiError::fields(
            json!({"session_id": message, "order_no": message})
                .as_object()
                .cloned()
                .unwrap_or_default(),
        ));
    }
    if shortify && session_id.is_none() && order_no.is_none() {
        return Err(string_error(
            "attachment_short_url",
            "You must provide either `session_id` or `order_no` to identify the PaymentTransaction.",
        ));
    }
    let target = match (session_id, order_no) {
        (Some(sid), _) => match payments::load(&state, sid).await {
            Ok(txn) => Some(txn),
            Err(_) => {
                return Err(string_error(
                    "session_id",
                    &format!("No PaymentTransaction found with `session_id` of {sid}."),
                ));
            }
        },
        (None, Some(order)) => {
            let found = state.store.txns_by_order_no(order.to_owned()).await?;
            match found.into_iter().rev().find(|t| !t.deleted) {
                Some(txn) => Some(txn),
                None => {
                    return Err(string_error(
                        "order_no",
                        &format!("No PaymentTransaction found with `order_no` of {order}."),
                    ));
                }
            }
        }
        (None, None) => None,
    };
    if let Some(txn) = &target
        && !principal.may(Action::Add, txn.plugin())
    {
        return Err(ApiError::permission_denied());
    }
    // The upload endpoint's errors are plain strings, as Ottu's schema documents.
    let file_url = payments::store_file(&state, file, "file")
        .await
        .map_err(|e| {
            match e
                .body
                .get("file")
                .and_then(|v| v.get(0))
                .and_then(Value::as_str)
            {
                Some(message) => string_error("file", message),
                None => e,
            }
        })?;
    let mut body = json!({"file_url": file_url, "original_filename": file.basename()});
    if let Some(txn) = target {
        let url = file_url.clone();
        let now = state.clock.now_unix();
        state
            .store
            .modify_txn(txn.session_id.clone(), move |t| {
                t.links.attachment_file_url = Some(url);
                t.links.attachment_short |= shortify;
                t.updated_at = now;
                (true, ())
            })
            .await?;
        if shortify {
            body["attachment_short_url"] = json!(render::media_url(&state, &file_url));
        }
    }
    Ok(axum::Json(body).into_response())
}

fn string_error(field: &str, message: &str) -> ApiError {
    let mut map = serde_json::Map::new();
    map.insert(field.to_owned(), Value::String(message.to_owned()));
    ApiError::fields(map)
}
