//! The cash acknowledgement (`POST /b/pbl/v2/payment/cash/`, and its deprecated path
//! `/b/pbl/v2/cash-payment/`, which behaves the same): the merchant tells Ottu that a created
//! transaction was paid in cash at the counter. Ottu documents the request (`session_id`) and
//! the answer's shape (the payment webhook body); what the sandbox chose for everything else
//! is listed in the crate docs ("Undocumented behaviours chosen here"):
//! - the state it leaves is `cod` (see [`crate::model::State::acknowledge_cash`]);
//! - the transaction must offer a cash gateway (a configured gateway whose family `pg` is
//!   `cod`, Ottu's code for "Cash"), which becomes its settled gateway;
//! - permissions: `Can change` on the transaction's plugin and `Can use` of that gateway;
//! - the payment webhook is sent as for a payment.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::auth::{Action, Principal};
use crate::error::{ApiError, FieldErrors};
use crate::model::{Attempt, AttemptResult, State as TxnState, Txn};
use crate::payload::Payload;
use crate::state::AppState;

/// The gateway family (`pg`) Ottu calls "Cash" (`cod` in its gateway enum).
pub const CASH_FAMILY: &str = "cod";

/// Longest `session_id` accepted (`CashPayment.session_id.maxLength`).
const SESSION_ID_MAX: usize = 128;

/// Text of the 400 on an unknown `session_id` (Ottu's lookup serializer answers on the field).
pub const UNKNOWN_SESSION: &str = "Payment transaction with this session_id does not exist.";

/// The cash gateway among the transaction's `pg_codes`, if any.
pub fn cash_gateway_of<'a>(
    state: &'a AppState,
    txn: &Txn,
) -> Option<&'a crate::config::GatewayConfig> {
    txn.pg_codes()
        .iter()
        .filter_map(|code| state.gateway(code))
        .find(|g| g.family() == CASH_FAMILY)
}

fn failed(detail: String) -> ApiError {
    ApiError::fields(
        json!({"detail": detail, "result": "failed"})
            .as_object()
            .cloned()
            .unwrap_or_default(),
    )
}

/// The handler of both paths. Order: 401, 403 without any change permission, 400 on the
/// fields (`session_id` required, at most 128 characters, known), 403 on the transaction's
/// plugin or its cash gateway, 400 `{"detail", "result": "failed"}` when the transaction has no
/// cash gateway or its state refuses, then 200 with the payment webhook body.
pub async fn acknowledge(
    State(state): State<AppState>,
    principal: Result<Principal, ApiError>,
    payload: Result<Payload, ApiError>,
) -> Result<Response, ApiError> {
    let principal = principal?;
    if !principal.may_on_any_plugin(Action::Change) {
        return Err(ApiError::permission_denied());
    }
    let payload = payload?;
    let mut errors = FieldErrors::default();
    let session_id = match payload.fields.get("session_id") {
        None | Some(Value::Null) => {
            errors.add("session_id", "This field is required.");
            None
        }
        Some(Value::String(s)) if s.trim().is_empty() => {
            errors.add("session_id", "This field may not be blank.");
            None
        }
        Some(Value::String(s)) if s.chars().count() > SESSION_ID_MAX => {
            errors.add(
                "session_id",
                format!("Ensure this field has no more than {SESSION_ID_MAX} characters."),
            );
            None
        }
        Some(Value::String(s)) => Some(s.trim().to_owned()),
        Some(_) => {
            errors.add("session_id", "Not a valid string.");
            None
        }
    };
    errors.into_result()?;
    let session_id = session_id.expect("validated");
    let txn = match crate::payments::load(&state, &session_id).await {
        Ok(txn) => txn,
        Err(e) if e.status == axum::http::StatusCode::NOT_FOUND => {
            return Err(ApiError::field("session_id", UNKNOWN_SESSION));
        }
        Err(e) => return Err(e),
    };
    if !principal.may(Action::Change, txn.plugin()) {
        return Err(ApiError::permission_denied());
    }
    let Some(gateway) = cash_gateway_of(&state, &txn) else {
        return Err(failed(
            "This payment transaction does not offer a cash payment method.".to_owned(),
        ));
    };
    if !principal.may_use(gateway) {
        return Err(ApiError::permission_denied());
    }
    let pg_code = gateway.pg_code.clone();
    let now = state.clock.now_unix();
    let outcome = state
        .store
        .modify_txn(session_id, move |t| {
            let expired = t.expire_if_due(now);
            match t.state.acknowledge_cash() {
                Ok(next) => {
                    t.state = next;
                    t.attempt = Some(Attempt {
                        pg_code,
                        result: AttemptResult::Success,
                        card_last4: None,
                    });
                    t.updated_at = now;
                    (true, Ok(t.clone()))
                }
                Err(current) => (expired, Err(current)),
            }
        })
        .await?
        .ok_or_else(|| ApiError::field("session_id", UNKNOWN_SESSION))?;
    let txn = match outcome {
        Ok(txn) => txn,
        Err(current) => {
            return Err(failed(refusal(current)));
        }
    };
    let children = state.store.children(txn.session_id.clone()).await?;
    let body = crate::render::webhook_payload(&state, &txn, &children, now);
    // Fire and forget, as after a payment on the hosted page.
    drop(crate::webhook::dispatch(&state, &txn, None));
    Ok(axum::Json(body).into_response())
}

/// The `detail` of a refused acknowledgement.
fn refusal(current: TxnState) -> String {
    if current == TxnState::Cod {
        "The cash payment of this payment transaction has already been acknowledged.".to_owned()
    } else {
        format!(
            "A payment transaction in the {} state cannot be acknowledged as paid in cash.",
            current.as_str()
        )
    }
}
