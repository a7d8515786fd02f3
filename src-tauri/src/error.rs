//! `CommandError`: the one error shape every command returns to the UI.
//!
//! The UI branches on `code` and shows `message` (plain words, says what to do next);
//! `fields` maps form field names (`SaleDraft` / `ProfileInput` JSON names) to their errors.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What kind of failure a command hit; the UI picks its reaction from this, never from text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The input failed validation; `fields` says which fields and why.
    InvalidInput,
    /// The payment platform refused the request.
    ApiRejected,
    /// The credentials were refused.
    Unauthorized,
    /// The credentials lack a permission the request needs.
    Forbidden,
    /// The sale, profile or file does not exist.
    NotFound,
    /// The platform could not be reached.
    Network,
    /// The request may or may not have reached the platform; the app is checking.
    Ambiguous,
    /// Something must be set up first (a profile, a secret).
    NotConfigured,
    /// A bug or an unexpected local failure.
    Internal,
}

/// The serialised error of a command: `{ code, message, fields }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommandError {
    /// The kind of failure.
    pub code: ErrorCode,
    /// Plain words for the cashier.
    pub message: String,
    /// Field name to its error messages; empty when the error is not about a field.
    pub fields: BTreeMap<String, Vec<String>>,
}

impl CommandError {
    /// An error that is not about a particular field.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            fields: BTreeMap::new(),
        }
    }
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CommandError {}

impl From<pos_core::Error> for CommandError {
    /// pos-core names the code (`Error::code()`, the same strings as [`ErrorCode`]) and the
    /// per-field messages; an unknown code would be a contract drift, reported as `internal`.
    fn from(error: pos_core::Error) -> Self {
        let code = serde_json::from_value(serde_json::Value::String(error.code().to_owned()))
            .unwrap_or(ErrorCode::Internal);
        Self {
            code,
            message: error.to_string(),
            fields: error.field_errors(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_error_serialises_as_code_message_and_fields() {
        let mut error = CommandError::new(ErrorCode::InvalidInput, "Check the highlighted fields.");
        error.fields.insert(
            "customer_email".into(),
            vec!["Enter a valid email address.".into()],
        );
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "code": "invalid_input",
                "message": "Check the highlighted fields.",
                "fields": { "customer_email": ["Enter a valid email address."] }
            })
        );
    }

    #[test]
    fn every_error_code_uses_the_contract_name() {
        let names: Vec<String> = [
            ErrorCode::InvalidInput,
            ErrorCode::ApiRejected,
            ErrorCode::Unauthorized,
            ErrorCode::Forbidden,
            ErrorCode::NotFound,
            ErrorCode::Network,
            ErrorCode::Ambiguous,
            ErrorCode::NotConfigured,
            ErrorCode::Internal,
        ]
        .iter()
        .map(|code| {
            serde_json::to_value(code)
                .unwrap()
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
        assert_eq!(
            names,
            [
                "invalid_input",
                "api_rejected",
                "unauthorized",
                "forbidden",
                "not_found",
                "network",
                "ambiguous",
                "not_configured",
                "internal"
            ]
        );
    }

    #[test]
    fn an_error_without_field_errors_still_sends_an_empty_fields_object() {
        let json = serde_json::to_value(CommandError::new(ErrorCode::Network, "offline")).unwrap();
        assert_eq!(json["fields"], serde_json::json!({}));
    }
}
