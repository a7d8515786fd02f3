//! The Invoice API: `POST /b/invoice/v1/invoice/` (with and without the trailing slash). The
//! invoice's PDF (`invoice_pdf_url`) is a payer route, in `hosted`.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::payload::Payload;
use crate::payments;
use crate::render;
use crate::state::AppState;

/// Routes of the invoice resource.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/b/invoice/v1/invoice/", post(create))
        .route("/b/invoice/v1/invoice", post(create))
}

async fn create(
    State(state): State<AppState>,
    principal: Result<Principal, ApiError>,
    payload: Result<Payload, ApiError>,
) -> Result<Response, ApiError> {
    let (txn, flags) = payments::create_invoice(&state, &principal?, &payload?).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(render::invoice(&state, &txn, flags)),
    )
        .into_response())
}
