//! The Invoice API: `POST /b/invoice/v1/invoice/` (with and without the trailing slash). The
//! invoice's PDF (`invoice_pdf_url`) is a payer route, in `hosted`.

use axum::Router;
use axum::extract::State;

use axum::response::{IntoResponse, Response};
use axum::routing::post;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::payload::Payload;
use crate::payments;
use crate::render;
use crate::routes::checkout::CreateFaults;
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
    // The create faults a payment request knows, so a lost invoice answer can be tested too.
    let faults = CreateFaults::begin(&state);
    if let Some(refused) = faults.refused_before_validation() {
        return refused;
    }
    let now_ms = state.clock.now_unix_ms();
    let prepared = async { payments::prepare_invoice(&state, &principal?, &payload?).await }.await;
    let (txn, flags) = match prepared {
        Ok(prepared) => prepared,
        Err(e) => return e.into_response(),
    };
    if let Some(delay_ms) = faults.late_commit() {
        return faults.commit_late(txn, now_ms, delay_ms, kill).await;
    }
    let txn = match payments::insert_invoice(&state, txn).await {
        Ok(txn) => txn,
        Err(e) => return e.into_response(),
    };
    let body = render::invoice(&state, &txn, flags);
    faults.answer_created(body, kill).await
}
