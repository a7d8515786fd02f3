//! The crate's error type.
//!
//! Each variant maps to one stable `code()` (the `CommandError.code` strings of
//! docs/architecture.md) so the shell and the UI branch on codes, never on messages. Messages are
//! lowercase plain words that say what to do next; they never carry a secret.

use crate::dto::ErrorCode;
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
    /// The till is locked: a staff PIN is needed first.
    #[error("the till is locked: enter a staff PIN")]
    Locked,
    /// The signed-in staff member's role does not allow this.
    #[error("{message}")]
    NotAllowed {
        /// Plain words: who may.
        message: String,
    },
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
    /// The stable `CommandError.code` (its string is [`ErrorCode::as_str`]).
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::InvalidInput { .. } | Error::WrongState { .. } => ErrorCode::InvalidInput,
            Error::ApiRejected { .. } => ErrorCode::ApiRejected,
            Error::Unauthorized => ErrorCode::Unauthorized,
            Error::Forbidden { .. } => ErrorCode::Forbidden,
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::Network { .. } => ErrorCode::Network,
            Error::Ambiguous { .. } => ErrorCode::Ambiguous,
            Error::NotConfigured(_) => ErrorCode::NotConfigured,
            Error::Locked => ErrorCode::Locked,
            Error::NotAllowed { .. } => ErrorCode::NotAllowed,
            Error::Store(_) | Error::Io { .. } | Error::Internal(_) => ErrorCode::Internal,
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

/// The draft field a server field error belongs to (`customer_first_name` → `customer_name`,
/// `notifications.sms` → `notify`, `pg_codes.0` → `pg_codes`, ...). Unknown fields keep their
/// server name so nothing is dropped.
pub fn draft_field_for(server_path: &str) -> String {
    let head = server_path.split('.').next().unwrap_or(server_path);
    match head {
        "customer_first_name" | "customer_last_name" => "customer_name",
        "customer_phone" | "customer_phone_2" => "customer_phone",
        "customer_email" | "email_recipients" => "customer_email",
        "notifications" => "notify",
        "expiration_time" => "expires_in_minutes",
        "due_datetime" => "due_date",
        "attachment" | "attachment_upload_url" | "file" | "attachment_short_url" => {
            "attachment_path"
        }
        "amount" | "currency_code" | "order_no" | "pg_codes" | "language" => head,
        other => other,
    }
    .to_owned()
}

/// Maps the client's field errors (server names, nested) to draft field names.
pub fn map_server_fields(fields: &ottu_checkout::FieldErrors) -> FieldErrors {
    let mut out = FieldErrors::new();
    for (path, message) in fields.flatten() {
        out.entry(draft_field_for(&path)).or_default().push(message);
    }
    out
}

impl From<ottu_checkout::Error> for Error {
    /// The generic mapping, for calls whose outcome is not ambiguous (retrieve, update,
    /// operations). The create flow classifies its errors itself (see `sales`).
    fn from(error: ottu_checkout::Error) -> Self {
        use ottu_checkout::Error as E;
        match error {
            E::Validation { body, status } => {
                let fields = map_server_fields(&body.fields);
                let lead = match status {
                    Some(_) => "the payment server refused it",
                    None => "please fix",
                };
                let message = match &body.detail {
                    Some(detail) if fields.is_empty() => format!("{lead}: {detail}"),
                    _ => summarize_fields(lead, &fields),
                };
                if status.is_some() {
                    Error::ApiRejected { message, fields }
                } else {
                    Error::InvalidInput { message, fields }
                }
            }
            E::Unauthorized { .. } => Error::Unauthorized,
            E::Forbidden { body } => Error::Forbidden {
                detail: body.detail.clone().unwrap_or_else(|| body.summary()),
            },
            E::NotFound { .. } => Error::NotFound {
                what: "the transaction on the payment server".into(),
            },
            E::RateLimited { .. } => Error::ApiRejected {
                message: "the payment server is busy: wait a minute and try again".into(),
                fields: FieldErrors::new(),
            },
            E::Timeout => Error::Network {
                detail: "the payment server did not answer in time".into(),
            },
            E::Transport { message, .. } => Error::Network { detail: message },
            E::Server { status, .. } => Error::Network {
                detail: format!("the payment server failed (status {status})"),
            },
            E::Config { message } => {
                Error::NotConfigured(format!("the connection settings are not usable: {message}"))
            }
            E::Ambiguous { source, .. } => Error::from(*source),
            E::Decode { path, message, .. } => Error::Internal(format!(
                "the payment server sent an answer that could not be read at `{path}`: {message}"
            )),
            other => Error::ApiRejected {
                message: format!("the payment server refused it: {other}"),
                fields: FieldErrors::new(),
            },
        }
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
