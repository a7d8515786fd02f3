//! [`Error`]: everything a call can fail with, split by what the caller should do about it.
//!
//! Ottu answers errors in Django REST Framework shapes (CHECKOUT_API.md §6): `{"detail": "…"}`,
//! flat field errors `{"amount": ["…"]}`, nested ones `{"notifications": {"sms": ["…"]}}`, the
//! upload endpoint's plain strings `{"file": "…"}`, and operation failures
//! `{"detail": "…", "operation": "cancel", "result": "failed"}`. [`ErrorBody::parse`] reads all
//! of them (plus a non-JSON body, kept as raw text) into one structure.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use serde::Serialize;
use serde_json::Value;

use crate::ids::OrderNo;

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The errors of one field: either messages, or errors of its sub-fields (nested objects,
/// list items keyed by index).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum FieldError {
    /// Messages for this field, e.g. `["This field is required."]`.
    Messages(Vec<String>),
    /// Errors of nested fields, e.g. `notifications` → `sms` → messages.
    Nested(FieldErrors),
}

/// Field name → errors, in the server's own field names (and the same names for local checks).
///
/// Serialises back to the DRF shape (`{"field": ["msg"], "obj": {"sub": ["msg"]}}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct FieldErrors(BTreeMap<String, FieldError>);

impl FieldErrors {
    /// No errors yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether there are no field errors.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Number of top-level fields with errors.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Errors of one top-level field.
    pub fn get(&self, field: &str) -> Option<&FieldError> {
        self.0.get(field)
    }

    /// Top-level fields and their errors, sorted by field name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &FieldError)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Adds a message to a field given by a dotted path (`"amount"`, `"notifications.sms"`).
    pub fn add(&mut self, path: &str, message: impl Into<String>) {
        let message = message.into();
        match path.split_once('.') {
            None => match self
                .0
                .entry(path.to_owned())
                .or_insert_with(|| FieldError::Messages(Vec::new()))
            {
                FieldError::Messages(list) => list.push(message),
                FieldError::Nested(nested) => nested.add("non_field_errors", message),
            },
            Some((head, rest)) => {
                let entry = self
                    .0
                    .entry(head.to_owned())
                    .or_insert_with(|| FieldError::Nested(FieldErrors::new()));
                if let FieldError::Messages(existing) = entry {
                    let mut nested = FieldErrors::new();
                    for m in existing.drain(..) {
                        nested.add("non_field_errors", m);
                    }
                    *entry = FieldError::Nested(nested);
                }
                if let FieldError::Nested(nested) = entry {
                    nested.add(rest, message);
                }
            }
        }
    }

    /// Every message with its dotted path (`notifications.sms`, `pg_codes.0`), sorted by path.
    pub fn flatten(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        self.flatten_into("", &mut out);
        out
    }

    fn flatten_into(&self, prefix: &str, out: &mut Vec<(String, String)>) {
        for (key, error) in &self.0 {
            let path = if prefix.is_empty() {
                key.clone()
            } else {
                format!("{prefix}.{key}")
            };
            match error {
                FieldError::Messages(list) => {
                    out.extend(list.iter().map(|m| (path.clone(), m.clone())));
                }
                FieldError::Nested(nested) => nested.flatten_into(&path, out),
            }
        }
    }

    /// Messages at a dotted path (`"amount"`, `"notifications.sms"`); empty if none.
    pub fn messages(&self, path: &str) -> Vec<&str> {
        let (head, rest) = match path.split_once('.') {
            Some((h, r)) => (h, Some(r)),
            None => (path, None),
        };
        match (self.0.get(head), rest) {
            (Some(FieldError::Messages(list)), None) => list.iter().map(String::as_str).collect(),
            (Some(FieldError::Nested(nested)), Some(rest)) => nested.messages(rest),
            _ => Vec::new(),
        }
    }

    /// Whether any error is recorded at (or below) the dotted path.
    pub fn contains(&self, path: &str) -> bool {
        self.flatten()
            .iter()
            .any(|(p, _)| p == path || p.starts_with(&format!("{path}.")))
    }

    fn from_json_object(map: &serde_json::Map<String, Value>) -> Self {
        let mut errors = FieldErrors::new();
        for (key, value) in map {
            if let Some(error) = FieldError::from_json(value) {
                errors.0.insert(key.clone(), error);
            }
        }
        errors
    }
}

impl FieldError {
    fn from_json(value: &Value) -> Option<Self> {
        match value {
            Value::Null => None,
            Value::String(s) => Some(Self::Messages(vec![s.clone()])),
            Value::Object(map) => Some(Self::Nested(FieldErrors::from_json_object(map))),
            Value::Array(items) if items.iter().all(|v| !v.is_object() && !v.is_array()) => {
                Some(Self::Messages(items.iter().map(value_text).collect()))
            }
            Value::Array(items) => {
                // A list field's per-item errors: `[{}, {"code": ["…"]}]` → keys "0", "1"…
                let mut nested = FieldErrors::new();
                for (i, item) in items.iter().enumerate() {
                    if let Some(error) = FieldError::from_json(item) {
                        let empty = matches!(&error, FieldError::Nested(n) if n.is_empty());
                        if !empty {
                            nested.0.insert(i.to_string(), error);
                        }
                    }
                }
                Some(Self::Nested(nested))
            }
            other => Some(Self::Messages(vec![value_text(other)])),
        }
    }
}

fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A parsed error response body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ErrorBody {
    /// `detail` (a general message), when present.
    pub detail: Option<String>,
    /// Per-field errors (flat, nested, list-wrapped or plain-string messages).
    pub fields: FieldErrors,
    /// `result` of an operation failure (`"failed"`).
    pub result: Option<String>,
    /// `operation` of an operation failure (`"cancel"`, `"expire"`, …).
    pub operation: Option<String>,
    /// The raw body text (truncated to [`ErrorBody::RAW_LIMIT`] bytes); empty for local checks.
    pub raw: String,
}

impl ErrorBody {
    /// How much of a raw body is kept.
    pub const RAW_LIMIT: usize = 2048;

    /// Reads any error body: DRF JSON shapes, the `{"error": {…}}` envelope some docs show, a
    /// top-level JSON list, or non-JSON text (kept in `raw` only).
    pub fn parse(raw: &str) -> Self {
        let mut body = ErrorBody {
            raw: truncate(raw, Self::RAW_LIMIT).to_owned(),
            ..Default::default()
        };
        match serde_json::from_str::<Value>(raw) {
            Ok(Value::Object(map)) => body.read_object(&map),
            Ok(Value::Array(items)) => {
                for item in &items {
                    body.fields.add("non_field_errors", value_text(item));
                }
            }
            Ok(Value::String(s)) => body.detail = Some(s),
            _ => {}
        }
        body
    }

    fn read_object(&mut self, map: &serde_json::Map<String, Value>) {
        let mut rest = map.clone();
        match rest.remove("detail") {
            Some(Value::String(s)) => self.detail = Some(s),
            Some(Value::Array(items)) => {
                self.detail = Some(items.iter().map(value_text).collect::<Vec<_>>().join(" "));
            }
            Some(Value::Null) | None => {}
            Some(other) => {
                rest.insert("detail".into(), other);
            }
        }
        // `{"error": {"type", "code", "message", "field"}}` (error-codes.md; not seen in DRF).
        if let Some(Value::Object(envelope)) = rest.get("error").cloned()
            && let Some(Value::String(message)) = envelope.get("message")
        {
            rest.remove("error");
            match envelope.get("field") {
                Some(Value::String(field)) if !field.is_empty() => {
                    self.fields.add(field, message.clone())
                }
                _ => self.detail = Some(message.clone()),
            }
        }
        if self.detail.is_some() {
            // Operation failures carry these beside `detail`; without `detail` they are
            // field errors (`{"operation": ["This field is required."]}`).
            for key in ["result", "operation"] {
                if let Some(Value::String(s)) = rest.get(key) {
                    let s = s.clone();
                    rest.remove(key);
                    if key == "result" {
                        self.result = Some(s);
                    } else {
                        self.operation = Some(s);
                    }
                }
            }
            for key in ["failed_provider", "pg_response", "rollback"] {
                rest.remove(key);
            }
        }
        for (key, value) in rest {
            if let Some(error) = FieldError::from_json(&value) {
                self.fields.0.insert(key, error);
            }
        }
    }

    /// A body for a check made before sending.
    pub(crate) fn local(fields: FieldErrors) -> Self {
        ErrorBody {
            fields,
            ..Default::default()
        }
    }

    /// One line for `Display`: the detail and/or `field: message` pairs.
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        if let Some(d) = &self.detail {
            parts.push(d.clone());
        }
        for (path, msg) in self.fields.flatten() {
            parts.push(format!("{path}: {msg}"));
        }
        if parts.is_empty() {
            let raw = self.raw.trim();
            if raw.is_empty() {
                return "no details".to_owned();
            }
            return truncate(raw, 200).to_owned();
        }
        parts.join("; ")
    }
}

pub(crate) fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Everything a call can fail with.
///
/// Helpers so callers rarely need to match: [`Error::is_retryable`],
/// [`Error::may_have_been_applied`], [`Error::status`], [`Error::field_errors`].
///
/// No variant ever contains credentials: the `Authorization` header is never copied into an
/// error, and transport errors keep only the message of the underlying failure.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client was configured wrongly (bad base URL, plain `http://` to a non-loopback host,
    /// a credential that cannot go in a header); caught when the client is built.
    #[error("invalid client configuration: {message}")]
    Config {
        /// What is wrong.
        message: String,
    },
    /// The request was refused for its content: by a local check before sending
    /// (`status` is `None`, nothing was sent) or by the server with `400`.
    #[error("request rejected: {}", body.summary())]
    Validation {
        /// `Some(400)` from the server, `None` for a local check.
        status: Option<u16>,
        /// Field errors (same field names either way) and/or a detail message.
        body: Box<ErrorBody>,
    },
    /// `401`: credentials missing or wrong.
    #[error("unauthorized: {}", body.summary())]
    Unauthorized {
        /// The server's message.
        body: Box<ErrorBody>,
    },
    /// `403`: authenticated, but this user lacks a permission (plugin, gateway or operation).
    #[error("forbidden: {}", body.summary())]
    Forbidden {
        /// The server's message.
        body: Box<ErrorBody>,
    },
    /// `404`: no transaction with this `session_id` (or the path does not exist).
    #[error("not found: {}", body.summary())]
    NotFound {
        /// The server's message.
        body: Box<ErrorBody>,
    },
    /// `415`: the server did not accept the request's content type.
    #[error("unsupported media type: {}", body.summary())]
    UnsupportedMediaType {
        /// The server's message.
        body: Box<ErrorBody>,
    },
    /// `423`: the resource or the plugin's API access is locked.
    #[error("locked: {}", body.summary())]
    Locked {
        /// The server's message.
        body: Box<ErrorBody>,
    },
    /// `429`: too many requests; `retry_after` from the `Retry-After` header when sent.
    #[error("rate limited: {}", body.summary())]
    RateLimited {
        /// How long the server asked us to wait.
        retry_after: Option<Duration>,
        /// The server's message.
        body: Box<ErrorBody>,
    },
    /// The Payment Status Query refused this call under Ottu's inquiry throttle (10 minutes of
    /// grace after creation, then one call per 30 minutes, 3 in total, 30 a minute per
    /// merchant). Ottu does not document the answer: this is a `429` on the inquiry path, or a
    /// `400`/`200` whose `detail` says the request was throttled (`status` tells which).
    ///
    /// `retry_after` is the `Retry-After` header, else the wait in DRF's text ("Expected
    /// available in N seconds."); `None` when the server gave none (the sandbox: this
    /// transaction's inquiries are used up).
    #[error("inquiry throttled (status {status}): {}", body.summary())]
    Throttled {
        /// The HTTP status it came with.
        status: u16,
        /// How long the server asked us to wait.
        retry_after: Option<Duration>,
        /// The server's message.
        body: Box<ErrorBody>,
    },
    /// Any other `4xx` (e.g. `405`, `409`).
    #[error("request failed with status {status}: {}", body.summary())]
    Api {
        /// The HTTP status.
        status: u16,
        /// The parsed body.
        body: Box<ErrorBody>,
    },
    /// `5xx`: the server failed. **The request may have been applied.**
    #[error("server error {status}: {}", body.summary())]
    Server {
        /// The HTTP status.
        status: u16,
        /// The parsed body (often HTML or empty).
        body: Box<ErrorBody>,
    },
    /// No complete answer within the configured timeout. **The request may have been applied.**
    #[error("timed out waiting for the server")]
    Timeout,
    /// The connection failed. If `connect` is `true` the request never left this machine;
    /// otherwise **the request may have been applied**.
    #[error("network error: {message}")]
    Transport {
        /// The underlying failure, without URL credentials or headers.
        message: String,
        /// Whether it failed while connecting (nothing was sent).
        connect: bool,
    },
    /// A create call whose outcome is unknown: the transaction **may exist** on the server.
    ///
    /// Returned instead of `Timeout`, `Transport` (after connecting), `Server` (5xx) or
    /// `Decode` (of a 2xx body) by create, which is never retried automatically. Reconcile by
    /// `order_no` (the operations and inquiry APIs accept it) before creating again.
    #[error("the transaction may have been created (order_no {}): {source}", order_no.as_ref().map_or("not set", |o| o.as_str()))]
    Ambiguous {
        /// The `order_no` that was sent, if any.
        order_no: Option<OrderNo>,
        /// What went wrong.
        #[source]
        source: Box<Error>,
    },
    /// The response body did not match the expected shape.
    #[error("could not read the response (status {status}) at `{path}`: {message}")]
    Decode {
        /// The HTTP status of the response.
        status: u16,
        /// JSON path of the first mismatch (`payment_methods[0].amount`, `.` for the root).
        path: String,
        /// What was wrong there.
        message: String,
        /// The start of the body.
        body_snippet: String,
    },
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Display plus the cause chain: what a log line needs.
        write!(f, "{self}")?;
        let mut source = std::error::Error::source(self);
        while let Some(cause) = source {
            write!(f, "\n  caused by: {cause}")?;
            source = cause.source();
        }
        Ok(())
    }
}

impl Error {
    /// The HTTP status the server answered with, if it answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Validation { status, .. } => *status,
            Error::Unauthorized { .. } => Some(401),
            Error::Forbidden { .. } => Some(403),
            Error::NotFound { .. } => Some(404),
            Error::UnsupportedMediaType { .. } => Some(415),
            Error::Locked { .. } => Some(423),
            Error::RateLimited { .. } => Some(429),
            Error::Throttled { status, .. } => Some(*status),
            Error::Api { status, .. } | Error::Server { status, .. } => Some(*status),
            Error::Decode { status, .. } => Some(*status),
            Error::Ambiguous { source, .. } => source.status(),
            Error::Config { .. } | Error::Timeout | Error::Transport { .. } => None,
        }
    }

    /// The parsed error body, for variants that have one.
    pub fn body(&self) -> Option<&ErrorBody> {
        match self {
            Error::Validation { body, .. }
            | Error::Unauthorized { body }
            | Error::Forbidden { body }
            | Error::NotFound { body }
            | Error::UnsupportedMediaType { body }
            | Error::Locked { body }
            | Error::RateLimited { body, .. }
            | Error::Throttled { body, .. }
            | Error::Api { body, .. }
            | Error::Server { body, .. } => Some(body.as_ref()),
            Error::Ambiguous { source, .. } => source.body(),
            _ => None,
        }
    }

    /// Field errors of a [`Error::Validation`] (local or from the server).
    pub fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            Error::Validation { body, .. } => Some(&body.fields),
            _ => None,
        }
    }

    /// The server's `detail` message, if any.
    pub fn detail(&self) -> Option<&str> {
        self.body().and_then(|b| b.detail.as_deref())
    }

    /// How long the server asked to wait before asking again (`RateLimited`, `Throttled`).
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::RateLimited { retry_after, .. } | Error::Throttled { retry_after, .. } => {
                *retry_after
            }
            Error::Ambiguous { source, .. } => source.retry_after(),
            _ => None,
        }
    }

    /// Whether sending the *same* request again may succeed: `Timeout`, `Transport`, `Server`
    /// (5xx), `RateLimited` (429) and `Throttled` (later).
    ///
    /// This says nothing about safety: for a non-idempotent call (create) a retry after a
    /// timeout can duplicate the transaction, which is why create returns
    /// [`Error::Ambiguous`] (not retryable) instead. GET/PUT/PATCH, payment-methods and
    /// cancel/expire are retried by the client itself according to its
    /// [`RetryPolicy`](crate::RetryPolicy).
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Error::Timeout
                | Error::Transport { .. }
                | Error::Server { .. }
                | Error::RateLimited { .. }
                | Error::Throttled { .. }
        )
    }

    /// Whether the server may have carried out the request even though this is an error:
    /// timeouts, transport failures after connecting, 5xx answers, an unreadable success body,
    /// and [`Error::Ambiguous`]. `false` means the request certainly had no effect.
    pub fn may_have_been_applied(&self) -> bool {
        match self {
            Error::Timeout | Error::Server { .. } | Error::Ambiguous { .. } => true,
            Error::Transport { connect, .. } => !connect,
            Error::Decode { status, .. } => (200..300).contains(status),
            _ => false,
        }
    }

    /// Whether this is a local check that stopped the request before sending.
    pub fn is_local_validation(&self) -> bool {
        matches!(self, Error::Validation { status: None, .. })
    }

    pub(crate) fn config(message: impl Into<String>) -> Self {
        Error::Config {
            message: message.into(),
        }
    }

    pub(crate) fn local(fields: FieldErrors) -> Self {
        Error::Validation {
            status: None,
            body: Box::new(ErrorBody::local(fields)),
        }
    }

    /// Maps an error status and body to its variant.
    pub(crate) fn from_status(status: u16, raw: &str, retry_after: Option<Duration>) -> Self {
        let body = Box::new(ErrorBody::parse(raw));
        match status {
            400 => Error::Validation {
                status: Some(400),
                body,
            },
            401 => Error::Unauthorized { body },
            403 => Error::Forbidden { body },
            404 => Error::NotFound { body },
            415 => Error::UnsupportedMediaType { body },
            423 => Error::Locked { body },
            429 => Error::RateLimited {
                retry_after: retry_after.or_else(|| body.detail.as_deref().and_then(drf_wait)),
                body,
            },
            500..=599 => Error::Server { status, body },
            _ => Error::Api { status, body },
        }
    }
}

/// The wait in DRF's throttle text: "Request was throttled. Expected available in 12 seconds."
pub(crate) fn drf_wait(detail: &str) -> Option<Duration> {
    let (_, rest) = detail.split_once("available in ")?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok().map(Duration::from_secs)
}

/// Whether a refusal's `detail` says it was throttled.
pub(crate) fn says_throttled(body: &ErrorBody) -> bool {
    body.detail
        .as_deref()
        .is_some_and(|d| d.to_ascii_lowercase().contains("throttl"))
}

impl Error {
    /// Reads an inquiry refusal as [`Error::Throttled`]: a `429`, or a `400` whose `detail`
    /// says the request was throttled. Other errors are returned unchanged.
    pub(crate) fn into_inquiry_error(self) -> Self {
        match self {
            Error::RateLimited { retry_after, body } => Error::Throttled {
                status: 429,
                retry_after,
                body,
            },
            Error::Validation {
                status: Some(status),
                body,
            } if says_throttled(&body) => Error::Throttled {
                status,
                retry_after: body.detail.as_deref().and_then(drf_wait),
                body,
            },
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttle_answers_of_every_shape_become_throttled_for_inquiry() {
        let e = Error::from_status(429, "{}", Some(Duration::from_secs(1800))).into_inquiry_error();
        assert!(matches!(e, Error::Throttled { status: 429, .. }));
        assert_eq!(e.retry_after(), Some(Duration::from_secs(1800)));
        let drf = r#"{"detail": "Request was throttled. Expected available in 120 seconds."}"#;
        let e = Error::from_status(429, drf, None);
        assert_eq!(e.retry_after(), Some(Duration::from_secs(120)));
        let failed = r#"{"detail": "Request was throttled. Expected available in 1 second.", "result": "failed"}"#;
        let e = Error::from_status(400, failed, None).into_inquiry_error();
        assert!(matches!(e, Error::Throttled { status: 400, .. }));
        assert_eq!(e.retry_after(), Some(Duration::from_secs(1)));
        assert!(e.is_retryable() && !e.may_have_been_applied());
        let used_up = r#"{"detail": "Request was throttled. No more inquiries."}"#;
        let e = Error::from_status(429, used_up, None).into_inquiry_error();
        assert_eq!(e.retry_after(), None);
        // Other refusals stay what they are.
        let e = Error::from_status(400, r#"{"detail": "Invalid"}"#, None).into_inquiry_error();
        assert!(matches!(e, Error::Validation { .. }));
    }

    #[test]
    fn flat_field_errors_are_read() {
        let body = ErrorBody::parse(
            r#"{"amount": ["This field is required."], "currency_code": ["This field is required."]}"#,
        );
        assert_eq!(body.detail, None);
        assert_eq!(
            body.fields.messages("amount"),
            vec!["This field is required."]
        );
        assert_eq!(body.fields.len(), 2);
    }

    #[test]
    fn nested_field_errors_are_read_with_dotted_paths() {
        let body = ErrorBody::parse(
            r#"{"notifications": {"sms": ["To use sms notifications provide the `customer_phone` field."]}}"#,
        );
        assert_eq!(
            body.fields.flatten(),
            vec![(
                "notifications.sms".to_owned(),
                "To use sms notifications provide the `customer_phone` field.".to_owned()
            )]
        );
        assert!(body.fields.contains("notifications"));
    }

    #[test]
    fn plain_string_messages_and_list_items_are_read() {
        let body = ErrorBody::parse(r#"{"file": "No file was submitted."}"#);
        assert_eq!(body.fields.messages("file"), vec!["No file was submitted."]);
        let body = ErrorBody::parse(r#"{"pg_codes": [{}, {"code": ["bad"]}]}"#);
        assert_eq!(body.fields.messages("pg_codes.1.code"), vec!["bad"]);
    }

    #[test]
    fn detail_and_operation_failure_are_read() {
        let body = ErrorBody::parse(r#"{"detail": "Not found."}"#);
        assert_eq!(body.detail.as_deref(), Some("Not found."));
        assert!(body.fields.is_empty());
        let body = ErrorBody::parse(
            r#"{"detail":"Invalid state","operation":"cancel","result":"failed"}"#,
        );
        assert_eq!(body.operation.as_deref(), Some("cancel"));
        assert_eq!(body.result.as_deref(), Some("failed"));
        assert!(body.fields.is_empty());
        let body = ErrorBody::parse(r#"{"operation": ["This field is required."]}"#);
        assert_eq!(
            body.fields.messages("operation"),
            vec!["This field is required."]
        );
    }

    #[test]
    fn non_json_and_envelope_bodies_are_kept() {
        let body = ErrorBody::parse("<html>Bad Gateway</html>");
        assert_eq!(body.raw, "<html>Bad Gateway</html>");
        assert_eq!(body.summary(), "<html>Bad Gateway</html>");
        let body = ErrorBody::parse(
            r#"{"error":{"type":"invalid_request_error","code":"invalid_amount","message":"Bad amount","field":"amount"}}"#,
        );
        assert_eq!(body.fields.messages("amount"), vec!["Bad amount"]);
        let body = ErrorBody::parse(r#"["Something is wrong."]"#);
        assert_eq!(
            body.fields.messages("non_field_errors"),
            vec!["Something is wrong."]
        );
    }

    #[test]
    fn statuses_map_to_variants() {
        assert!(matches!(
            Error::from_status(400, "{}", None),
            Error::Validation {
                status: Some(400),
                ..
            }
        ));
        assert!(matches!(
            Error::from_status(401, "{}", None),
            Error::Unauthorized { .. }
        ));
        assert!(matches!(
            Error::from_status(403, "{}", None),
            Error::Forbidden { .. }
        ));
        assert!(matches!(
            Error::from_status(404, "{}", None),
            Error::NotFound { .. }
        ));
        assert!(matches!(
            Error::from_status(405, "{}", None),
            Error::Api { status: 405, .. }
        ));
        assert!(matches!(
            Error::from_status(415, "{}", None),
            Error::UnsupportedMediaType { .. }
        ));
        assert!(matches!(
            Error::from_status(423, "{}", None),
            Error::Locked { .. }
        ));
        assert!(matches!(
            Error::from_status(429, "{}", None),
            Error::RateLimited { .. }
        ));
        assert!(matches!(
            Error::from_status(503, "", None),
            Error::Server { status: 503, .. }
        ));
    }

    #[test]
    fn retry_and_applied_helpers() {
        assert!(Error::Timeout.is_retryable());
        assert!(Error::Timeout.may_have_been_applied());
        let connect = Error::Transport {
            message: "refused".into(),
            connect: true,
        };
        assert!(connect.is_retryable());
        assert!(!connect.may_have_been_applied());
        let reset = Error::Transport {
            message: "reset".into(),
            connect: false,
        };
        assert!(reset.may_have_been_applied());
        let v = Error::from_status(400, r#"{"amount":["x"]}"#, None);
        assert!(!v.is_retryable());
        assert!(!v.may_have_been_applied());
        let amb = Error::Ambiguous {
            order_no: None,
            source: Box::new(Error::Timeout),
        };
        assert!(!amb.is_retryable());
        assert!(amb.may_have_been_applied());
        assert!(Error::from_status(502, "", None).is_retryable());
    }

    #[test]
    fn local_field_errors_nest_like_the_server() {
        let mut f = FieldErrors::new();
        f.add(
            "notifications.sms",
            "To use sms notifications provide the `customer_phone` field.",
        );
        f.add("amount", "must be 0");
        let json = serde_json::to_value(&f).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "amount": ["must be 0"],
                "notifications": {"sms": ["To use sms notifications provide the `customer_phone` field."]}
            })
        );
    }
}
