//! The Invoice API: `POST /b/invoice/v1/invoice/` (with and without the trailing slash). The
//! invoice's PDF (`invoice_pdf_url`) is a payer route, in `hosted`.

use axum::Router;
use axum::extract::State;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::faults::{FaultKind, Phase};
use crate::payload::Payload;
use crate::payments;
use crate::render;
use crate::startup::ConnectionKill;
use crate::state::AppState;

/// Routes of the invoice resource.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/b/invoice/v1/invoice/", post(create))
        .route("/b/invoice/v1/invoice", post(create))
}

async fn create(
    State(state): State<AppState>,
    kill: Option<axum::Extension<ConnectionKill>>,
    principal: Result<Principal, ApiError>,
    payload: Result<Payload, ApiError>,
) -> Response {
    // The create faults a payment request knows, so a lost invoice answer can be tested too:
    // one draw per request, then each phase takes its fault if any.
    let draw = state.faults.lock().ok().map(|mut f| f.begin());
    let take = |phase: Phase| {
        let draw = draw?;
        state.faults.lock().ok()?.take(draw, phase)
    };
    if take(Phase::BeforeValidation).is_some_and(|f| f.kind == FaultKind::Status500) {
        return ApiError::detail(
            StatusCode::INTERNAL_SERVER_ERROR,
            "A server error occurred.",
        )
        .into_response();
    }
    let now_ms = state.clock.now_unix_ms();
    let prepared = async { payments::prepare_invoice(&state, &principal?, &payload?).await }.await;
    let (txn, flags) = match prepared {
        Ok(prepared) => prepared,
        Err(e) => return e.into_response(),
    };
    if let Some(late) = take(Phase::AfterValidation) {
        // Validated, answer lost, stored with its invoice only `delay_ms` later.
        let reject = payments::rejects_duplicate_order_no(&state);
        state
            .late_commits
            .schedule(txn, now_ms, late.delay_ms, reject)
            .await;
        return super::checkout::drop_connection(kill).await;
    }
    let txn = match payments::insert_invoice(&state, txn).await {
        Ok(txn) => txn,
        Err(e) => return e.into_response(),
    };
    let body = render::invoice(&state, &txn, flags);
    let fault = take(Phase::AfterCommit).map(|f| (f.kind, f.delay_ms));
    super::checkout::answer_created(body, fault, kill).await
}
