//! The crate's error type.
//!
//! Each variant maps to one stable `code()` (the `CommandError.code` strings of
//! docs/architecture.md) so the shell and the UI branch on codes, never on messages. Messages are
//! lowercase plain words that say what to do next; they never carry a secret.

use std::collections::BTreeMap;

/// Field name → messages, keyed by `SaleDraft` / `SaleEdit` / `ProfileInput` field names.
pub type FieldErrors = BTreeMap<String, Vec<String>>;

/// Everything pos-core can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input was refused before anything was sent; `fields` names what to fix.
    #[error("{message}")]
    InvalidInput {
        /// Summary in plain words.
        message: String,
        /// Per-field messages.
        fields: FieldErrors,
    },
    /// The server refused the request (validation or a business rule). Nothing was created.
    #[error("{message}")]
    ApiRejected {
        /// Summary in plain words.
        message: String,
        /// The server's field errors, mapped to draft field names.
        fields: FieldErrors,
    },
    /// The credentials were refused.
    #[error(
        "the payment server refused the credentials: check the api key or username and password in settings"
    )]
    Unauthorized,
    /// The credentials lack a permission.
    #[error("this account is not allowed to do that on the payment server: {detail}")]
    Forbidden {
        /// The server's words.
        detail: String,
    },
    /// A sale or a server transaction does not exist.
    #[error("{what} was not found")]
    NotFound {
        /// What was looked for.
        what: String,
    },
    /// Nothing reached the server (connection refused, DNS, TLS): safe to try again.
    #[error("could not reach the payment server: {detail}; check the connection and try again")]
    Network {
        /// What went wrong, without secrets.
        detail: String,
    },
    /// The request may have reached the server but the answer was lost. The sale is kept as
    /// `unknown`; reconcile it before sending again.
    #[error(
        "the payment server did not answer clearly ({detail}); the sale is kept and will be checked before anything is sent again"
    )]
    Ambiguous {
        /// The local id of the sale left `unknown`.
        sale_id: String,
        /// What went wrong.
        detail: String,
    },
    /// The action does not fit the sale's current state (e.g. editing a paid sale).
    #[error("{message}")]
    WrongState {
        /// Plain words.
        message: String,
    },
    /// No merchant connection is set up.
    #[error("{0}")]
    NotConfigured(String),
    /// The local history database failed.
    #[error("the local sales history could not be read or written: {0}")]
    Store(#[from] rusqlite::Error),
    /// A local file could not be read or written.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A bug or an unexpected answer.
    #[error("internal error: {0}")]
    Internal(String),
}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The stable `CommandError.code` string.
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidInput { .. } | Error::WrongState { .. } => "invalid_input",
            Error::ApiRejected { .. } => "api_rejected",
            Error::Unauthorized => "unauthorized",
            Error::Forbidden { .. } => "forbidden",
            Error::NotFound { .. } => "not_found",
            Error::Network { .. } => "network",
            Error::Ambiguous { .. } => "ambiguous",
            Error::NotConfigured(_) => "not_configured",
            Error::Store(_) | Error::Io { .. } | Error::Internal(_) => "internal",
        }
    }

    /// Field errors keyed by draft field names (empty when the error is not about fields).
    pub fn field_errors(&self) -> FieldErrors {
        match self {
            Error::InvalidInput { fields, .. } | Error::ApiRejected { fields, .. } => {
                fields.clone()
            }
            _ => FieldErrors::new(),
        }
    }

    /// An `invalid_input` error for one field.
    pub fn invalid_field(field: &str, message: impl Into<String>) -> Error {
        let message = message.into();
        let mut fields = FieldErrors::new();
        fields.insert(field.to_owned(), vec![message.clone()]);
        Error::InvalidInput { message, fields }
    }

    /// An `invalid_input` error from collected field errors.
    pub fn invalid_fields(fields: FieldErrors) -> Error {
        let message = summarize_fields("please fix", &fields);
        Error::InvalidInput { message, fields }
    }
}

/// `"<lead>: amount, customer_phone"`, or `lead` alone.
pub(crate) fn summarize_fields(lead: &str, fields: &FieldErrors) -> String {
    if fields.is_empty() {
        return lead.to_owned();
    }
    let names: Vec<&str> = fields.keys().map(String::as_str).collect();
    format!("{lead}: {}", names.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_contract_strings() {
        let contract = [
            "invalid_input",
            "api_rejected",
            "unauthorized",
            "forbidden",
            "not_found",
            "network",
            "ambiguous",
            "not_configured",
            "internal",
        ];
        let errors = [
            Error::invalid_field("amount", "amount must be greater than zero"),
            Error::ApiRejected {
                message: "x".into(),
                fields: FieldErrors::new(),
            },
            Error::Unauthorized,
            Error::Forbidden { detail: "x".into() },
            Error::NotFound { what: "x".into() },
            Error::Network { detail: "x".into() },
            Error::Ambiguous {
                sale_id: "s".into(),
                detail: "x".into(),
            },
            Error::NotConfigured("x".into()),
            Error::Internal("x".into()),
        ];
        for (error, code) in errors.iter().zip(contract) {
            assert_eq!(error.code(), code);
        }
    }

    #[test]
    fn invalid_field_names_the_field() {
        let error = Error::invalid_field("customer_email", "enter a valid email address");
        assert_eq!(
            error.field_errors()["customer_email"],
            vec!["enter a valid email address".to_owned()]
        );
        assert_eq!(error.to_string(), "enter a valid email address");
    }

    #[test]
    fn messages_are_lowercase_without_trailing_period() {
        let error = Error::Network {
            detail: "connection refused".into(),
        };
        let text = error.to_string();
        assert!(text.starts_with(char::is_lowercase));
        assert!(!text.ends_with('.'));
    }
}
