//! What a payer sees: the hosted checkout page at `checkout_url` (plain server-rendered HTML),
//! the payment form it posts, short links (`/b/<code>`, 302 to `checkout_url`), the QR PNG,
//! attachments under `/media/` and gateway icons.
//!
//! Test cards: `4111 1111 1111 1111` pays, `4000 0000 0000 0002` is declined (the link stays
//! payable: `attempted`), `4000 0000 0000 0119` fails for good (`failed`).

use std::io::Cursor;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::Value;

mod page;

use crate::error::ApiError;
use crate::model::{Operation, State as TxnState};
use crate::payload::Payload;
use crate::payments::{self, PayerAction, PayerRefusal};
use crate::render;
use crate::state::AppState;
use crate::webhook::{self, Delivery};
use page::{checkout_form, closed_message, escape, status_page};

/// Card number that pays.
pub const CARD_SUCCESS: &str = "4111111111111111";
/// Card number the gateway declines (`attempted`).
pub const CARD_DECLINED: &str = "4000000000000002";
/// Card number that fails for good (`failed`).
pub const CARD_FAILED: &str = "4000000000000119";

/// The payer-facing routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/b/checkout/redirect/start/", get(start))
        .route("/b/checkout/redirect/start", get(start))
        .route("/b/checkout/redirect/pay/", post(pay))
        .route("/b/checkout/redirect/pay", post(pay))
        .route(
            "/b/checkout/redirect/cancel/",
            get(sdk_cancel).post(sdk_cancel),
        )
        .route("/b/checkout/qr/{file}", get(qr_png))
        .route("/b/{code}", get(short_link))
        .route("/media/{*path}", get(media))
        .route("/invoice/pdf/{session_id}", get(invoice_pdf))
        .route("/static/gateways/{file}", get(gateway_icon))
}

/// `invoice_pdf_url`: the invoice as a PDF (404 for transactions that are no invoice).
async fn invoice_pdf(State(state): State<AppState>, Path(session_id): Path<String>) -> Response {
    let txn = match payments::load(&state, &session_id).await {
        Ok(txn) => txn,
        Err(e) => return e.into_response(),
    };
    let Some(invoice) = &txn.invoice else {
        return ApiError::not_found().into_response();
    };
    let filename: String = invoice
        .invoice_number
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"invoice-{filename}.pdf\""),
            ),
        ],
        crate::invoice_pdf::render(&txn, invoice),
    )
        .into_response()
}

#[derive(Debug, Deserialize)]
struct StartQuery {
    session_id: Option<String>,
    pg_code: Option<String>,
}

async fn start(State(state): State<AppState>, Query(query): Query<StartQuery>) -> Response {
    let Some(session_id) = query.session_id else {
        return status_page(
            StatusCode::NOT_FOUND,
            "Not found",
            "This payment link is not valid.",
        );
    };
    match payments::payer_action(&state, &session_id, PayerAction::Open, None, None).await {
        Ok(Some(Ok(txn))) => {
            Html(checkout_form(&state, &txn, query.pg_code.as_deref(), None)).into_response()
        }
        Ok(Some(Err(PayerRefusal::NotPayable(s)))) => {
            let (title, message) = closed_message(s);
            status_page(StatusCode::OK, title, message)
        }
        Ok(_) => status_page(
            StatusCode::NOT_FOUND,
            "Not found",
            "This payment link is not valid.",
        ),
        Err(e) => e.into_response(),
    }
}

async fn pay(State(state): State<AppState>, payload: Result<Payload, ApiError>) -> Response {
    let Ok(payload) = payload else {
        return status_page(
            StatusCode::BAD_REQUEST,
            "Bad request",
            "The payment form could not be read.",
        );
    };
    let field = |k: &str| {
        payload
            .fields
            .get(k)
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let Some(session_id) = field("session_id") else {
        return status_page(
            StatusCode::BAD_REQUEST,
            "Bad request",
            "The payment form has no session.",
        );
    };
    let card: String = field("card_number")
        .unwrap_or_default()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let action = if field("action").as_deref() == Some("cancel") {
        PayerAction::Cancel
    } else {
        match card.as_str() {
            CARD_SUCCESS => PayerAction::Pay,
            CARD_DECLINED => PayerAction::Decline,
            CARD_FAILED => PayerAction::Fail,
            _ => {
                return match payments::load(&state, &session_id).await {
                    Ok(txn) => (
                        StatusCode::BAD_REQUEST,
                        Html(checkout_form(
                            &state,
                            &txn,
                            field("pg_code").as_deref(),
                            Some("Use one of the sandbox test cards."),
                        )),
                    )
                        .into_response(),
                    Err(_) => status_page(
                        StatusCode::NOT_FOUND,
                        "Not found",
                        "This payment link is not valid.",
                    ),
                };
            }
        }
    };
    let txn =
        match payments::payer_action(&state, &session_id, action, field("pg_code"), Some(card))
            .await
        {
            Ok(Some(Ok(txn))) => txn,
            Ok(Some(Err(PayerRefusal::NotPayable(s) | PayerRefusal::NotLate(s)))) => {
                // The page never asks for a late success; kept total for the compiler.
                let (title, message) = closed_message(s);
                return status_page(StatusCode::CONFLICT, title, message);
            }
            Ok(Some(Err(PayerRefusal::UnknownGateway(_)))) => {
                return status_page(
                    StatusCode::BAD_REQUEST,
                    "Bad request",
                    "Choose one of the listed payment methods.",
                );
            }
            Ok(None) => {
                return status_page(
                    StatusCode::NOT_FOUND,
                    "Not found",
                    "This payment link is not valid.",
                );
            }
            Err(e) => return e.into_response(),
        };
    let delivery = webhook::dispatch(&state, &txn, None)
        .await
        .unwrap_or(Delivery::Failed);
    // Ottu redirects only after a 200 from the webhook (or when none is configured).
    let may_redirect = matches!(delivery, Delivery::NotConfigured | Delivery::Answered(200));
    if let (true, Some(url)) = (may_redirect, render::payer_redirect_url(&state, &txn)) {
        return Redirect::to(&url).into_response();
    }
    if txn.state.is_open() {
        let message = if action == PayerAction::Cancel {
            "Payment canceled. You can try again."
        } else {
            "The card was declined. You can try again."
        };
        return Html(checkout_form(
            &state,
            &txn,
            txn.settled_pg_code(),
            Some(message),
        ))
        .into_response();
    }
    let (title, message) = match txn.state {
        TxnState::Paid => (
            "Payment successful",
            "Thank you, your payment has been received.",
        ),
        _ => closed_message(txn.state),
    };
    status_page(StatusCode::OK, title, message)
}

/// The SDK's `cancel_url`: cancels an open transaction and fires the webhook.
async fn sdk_cancel(State(state): State<AppState>, Query(query): Query<StartQuery>) -> Response {
    let Some(session_id) = query.session_id else {
        return ApiError::not_found().into_response();
    };
    match payments::operate(&state, &session_id, Operation::Cancel).await {
        Ok(Some(Ok(()))) => {
            if let Ok(txn) = payments::load(&state, &session_id).await {
                drop(webhook::dispatch(&state, &txn, None));
            }
            axum::Json(serde_json::json!({"detail": "The payment transaction has been canceled.", "state": "canceled"}))
                .into_response()
        }
        Ok(Some(Err(current))) => ApiError::bad_request(format!(
            "A payment transaction in the {} state cannot be canceled.",
            current.as_str()
        ))
        .into_response(),
        Ok(None) => ApiError::not_found().into_response(),
        Err(e) => e.into_response(),
    }
}

async fn short_link(State(state): State<AppState>, Path(code): Path<String>) -> Response {
    if code.is_empty() || code.len() > 32 || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return ApiError::not_found().into_response();
    }
    match state.store.txn_by_short_code(code).await {
        Ok(Some(txn)) if !txn.deleted => (
            StatusCode::FOUND,
            [(
                header::LOCATION,
                render::checkout_url(&state, &txn.session_id),
            )],
        )
            .into_response(),
        Ok(_) => ApiError::not_found().into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}

async fn qr_png(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some(session_id) = file.strip_suffix(".png") else {
        return ApiError::not_found().into_response();
    };
    let txn = match payments::load(&state, session_id).await {
        Ok(txn) => txn,
        Err(e) => return e.into_response(),
    };
    let link = if txn.links.short {
        render::short_url(&state, &txn)
    } else {
        render::checkout_url(&state, &txn.session_id)
    };
    match tokio::task::spawn_blocking(move || qr_png_bytes(&link)).await {
        Ok(Ok(png)) => (
            [
                (header::CONTENT_TYPE, "image/png"),
                (header::CACHE_CONTROL, "max-age=3600"),
            ],
            png,
        )
            .into_response(),
        Ok(Err(e)) => ApiError::internal(e).into_response(),
        Err(e) => ApiError::internal(e).into_response(),
    }
}

/// Renders `text` as a QR code PNG (black on white, quiet zone included).
pub fn qr_png_bytes(text: &str) -> Result<Vec<u8>, String> {
    let code = qrcode::QrCode::new(text.as_bytes()).map_err(|e| e.to_string())?;
    let image = code
        .render::<image::Luma<u8>>()
        .min_dimensions(320, 320)
        .build();
    let mut out = Cursor::new(Vec::new());
    image::DynamicImage::ImageLuma8(image)
        .write_to(&mut out, image::ImageFormat::Png)
        .map_err(|e| e.to_string())?;
    Ok(out.into_inner())
}

/// `/media/...`: a stored attachment, always as a download (`Content-Disposition:
/// attachment` with a safe file name), with `X-Content-Type-Options: nosniff` and a CSP that
/// forbids everything, so an uploaded file (whatever type it claims) never runs as a page on
/// the sandbox's origin.
async fn media(State(state): State<AppState>, Path(path): Path<String>) -> Response {
    let name: String = path
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect();
    let name = if name.trim_matches('.').is_empty() {
        "attachment".to_owned()
    } else {
        name
    };
    match state.store.attachment(path).await {
        Ok(Some((content_type, data))) => {
            let content_type = axum::http::HeaderValue::from_str(&content_type).unwrap_or(
                axum::http::HeaderValue::from_static("application/octet-stream"),
            );
            (
                [
                    (header::CONTENT_TYPE, content_type),
                    (
                        header::X_CONTENT_TYPE_OPTIONS,
                        axum::http::HeaderValue::from_static("nosniff"),
                    ),
                    (
                        header::CONTENT_DISPOSITION,
                        axum::http::HeaderValue::from_str(&format!(
                            "attachment; filename=\"{name}\""
                        ))
                        .unwrap_or(axum::http::HeaderValue::from_static("attachment")),
                    ),
                    (
                        header::CONTENT_SECURITY_POLICY,
                        axum::http::HeaderValue::from_static("default-src 'none'; sandbox"),
                    ),
                ],
                data,
            )
                .into_response()
        }
        Ok(None) => ApiError::not_found().into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}

async fn gateway_icon(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some(gateway) = file
        .strip_suffix(".svg")
        .and_then(|code| state.gateway(code))
    else {
        return ApiError::not_found().into_response();
    };
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"96\" height=\"48\" viewBox=\"0 0 96 48\">\
         <rect width=\"96\" height=\"48\" rx=\"8\" fill=\"#0b4f8a\"/>\
         <text x=\"48\" y=\"30\" font-family=\"sans-serif\" font-size=\"14\" fill=\"#fff\" text-anchor=\"middle\">{}</text></svg>",
        escape(&gateway.name)
    );
    ([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response()
}
