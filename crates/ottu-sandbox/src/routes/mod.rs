//! The HTTP surface: Ottu's paths (`/b/...`, the Invoice API in `invoice`), the hosted pages, the control routes under
//! `/_sandbox/`, and the docs (`/`, `/openapi.json`). Layers: panic catcher (a panic becomes a
//! JSON 500, never a dropped connection), body limit, JSON 404/405 fallbacks.

pub mod checkout;
pub mod control;
pub mod docs;
pub mod hosted;
pub mod invoice;
pub mod pbl;
pub mod reports;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower_http::catch_panic::CatchPanicLayer;

use crate::error::ApiError;
use crate::state::AppState;

/// The complete router for `state`.
pub fn router(state: AppState) -> Router {
    let limit = state.config.body_limit_bytes;
    // Ottu's per-user request limit covers Ottu's API paths only (not the payer's pages, the
    // control routes or the docs).
    let api = checkout::router()
        .merge(pbl::router())
        .merge(invoice::router())
        .merge(reports::router())
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::throttle::per_user,
        ));
    Router::new()
        .merge(api)
        .merge(hosted::router())
        .merge(control::router(state.clone()))
        .merge(docs::router())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        // Late commits due on the sandbox clock are stored before any request is served.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::late_commit::commit_due_first,
        ))
        .layer(DefaultBodyLimit::max(limit))
        .layer(CatchPanicLayer::custom(panic_response))
        .with_state(state)
}

/// Only the payer's pages, for the address phones on the local network reach
/// (`SandboxConfig::payer_listen`): no Ottu API, no control routes, no docs.
pub fn payer_router(state: AppState) -> Router {
    let limit = state.config.body_limit_bytes;
    Router::new()
        .merge(hosted::router())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::late_commit::commit_due_first,
        ))
        .layer(DefaultBodyLimit::max(limit))
        .layer(CatchPanicLayer::custom(panic_response))
        .with_state(state)
}

async fn not_found() -> ApiError {
    ApiError::not_found()
}

async fn method_not_allowed(method: Method) -> ApiError {
    ApiError::method_not_allowed(method.as_str())
}

fn panic_response(cause: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let text = cause
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| cause.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default();
    tracing::error!(panic = %text, "handler panicked");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "application/json")],
        r#"{"detail": "A server error occurred."}"#,
    )
        .into_response()
}
