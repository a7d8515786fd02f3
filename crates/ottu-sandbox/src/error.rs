//! `ApiError`: every error the sandbox answers, in the real API's (Django REST Framework's)
//! JSON shapes: `{"detail": "..."}`, `{"<field>": ["..."]}` and nested field objects.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::store::StoreError;

/// An error response. Build it with the constructors; they carry DRF's default texts.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// JSON body.
    pub body: Value,
    /// `Retry-After` in seconds (429 only).
    pub retry_after: Option<u64>,
}

impl ApiError {
    /// 400 with a field error object (`{"amount": ["..."], "billing_address": {...}}`).
    pub fn fields(errors: Map<String, Value>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            body: Value::Object(errors),
            retry_after: None,
        }
    }

    /// 400 with one field error.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let mut errors = Map::new();
        errors.insert(field.to_owned(), json!([message.into()]));
        Self::fields(errors)
    }

    /// Any status with `{"detail": ...}`.
    pub fn detail(status: StatusCode, detail: impl Into<String>) -> Self {
        Self {
            status,
            body: json!({ "detail": detail.into() }),
            retry_after: None,
        }
    }

    /// 429 `{"detail": ...}` with `Retry-After` when a wait is known.
    pub fn throttled(detail: String, retry_after: Option<u64>) -> Self {
        Self {
            retry_after,
            ..Self::detail(StatusCode::TOO_MANY_REQUESTS, detail)
        }
    }

    /// 400 `{"detail": ...}` (business rule, wrong state).
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::detail(StatusCode::BAD_REQUEST, detail)
    }

    /// 401: no credentials at all.
    pub fn not_authenticated() -> Self {
        Self::detail(
            StatusCode::UNAUTHORIZED,
            "Authentication credentials were not provided.",
        )
    }

    /// 401: credentials given but wrong.
    pub fn authentication_failed(detail: impl Into<String>) -> Self {
        Self::detail(StatusCode::UNAUTHORIZED, detail)
    }

    /// 403.
    pub fn permission_denied() -> Self {
        Self::detail(
            StatusCode::FORBIDDEN,
            "You do not have permission to perform this action.",
        )
    }

    /// 404.
    pub fn not_found() -> Self {
        Self::detail(StatusCode::NOT_FOUND, "Not found.")
    }

    /// 405.
    pub fn method_not_allowed(method: &str) -> Self {
        Self::detail(
            StatusCode::METHOD_NOT_ALLOWED,
            format!("Method \"{method}\" not allowed."),
        )
    }

    /// 415.
    pub fn unsupported_media_type(content_type: &str) -> Self {
        Self::detail(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!("Unsupported media type \"{content_type}\" in request."),
        )
    }

    /// 413.
    pub fn payload_too_large(limit: usize) -> Self {
        Self::detail(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("Request body is larger than the limit of {limit} bytes."),
        )
    }

    /// 500 with a generic body; the cause goes to the log only.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(%cause, "internal error");
        Self::detail(
            StatusCode::INTERNAL_SERVER_ERROR,
            "A server error occurred.",
        )
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        ApiError::internal(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, axum::Json(self.body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"api\""),
            );
        }
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// Collects field errors the way a DRF serializer does: every problem of a request in one body.
#[derive(Debug, Default, Clone)]
pub struct FieldErrors(pub Map<String, Value>);

impl FieldErrors {
    /// Adds a message to a field's list.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        let entry = self
            .0
            .entry(field.to_owned())
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(list) = entry {
            list.push(Value::String(message.into()));
        }
    }

    /// Adds a nested object of errors under `field`.
    pub fn nested(&mut self, field: &str, inner: FieldErrors) {
        if !inner.is_empty() {
            self.0.insert(field.to_owned(), Value::Object(inner.0));
        }
    }

    /// Whether `field` has an error already.
    pub fn has(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }

    /// No errors collected.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Err(400)` when any error was collected.
    pub fn into_result(self) -> Result<(), ApiError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(ApiError::fields(self.0))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_errors_collect_into_lists_and_nested_objects() {
        let mut errors = FieldErrors::default();
        errors.add("amount", "This field is required.");
        errors.add("amount", "Second.");
        let mut inner = FieldErrors::default();
        inner.add("city", "This field is required.");
        errors.nested("billing_address", inner);
        errors.nested("shipping_address", FieldErrors::default());
        assert_eq!(
            Value::Object(errors.0),
            json!({"amount": ["This field is required.", "Second."],
                   "billing_address": {"city": ["This field is required."]}})
        );
    }
}
