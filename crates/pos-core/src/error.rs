//! The crate's error type.
//!
//! Each variant maps to one stable `code()` (the `CommandError.code` strings of
//! docs/architecture.md) so the shell and the UI branch on codes, never on messages. Messages are
//! lowercase plain words that say what to do next; they never carry a secret.

use crate::dto::ErrorCode;
use crate::problem;
use crate::problem::{Problem, ProblemCode};
use std::collections::BTreeMap;

/// Field name → problems, keyed by `SaleDraft` / `SaleEdit` / `ProfileInput` field names.
pub type FieldErrors = BTreeMap<String, Vec<Problem>>;

/// Everything pos-core can fail with. `Display` is the English message of [`Error::problem`].
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The input was refused before anything was sent; `fields` names what to fix.
    InvalidInput {
        /// Summary.
        problem: Problem,
        /// Per-field problems.
        fields: FieldErrors,
    },
    /// The server refused the request (validation or a business rule). Nothing was created.
    ApiRejected {
        /// Summary.
        problem: Problem,
        /// The server's field errors, mapped to draft field names.
        fields: FieldErrors,
    },
    /// The credentials were refused.
    Unauthorized,
    /// The credentials lack a permission.
    Forbidden {
        /// The server's words.
        detail: String,
    },
    /// A sale, a staff member or a server transaction does not exist.
    NotFound(Problem),
    /// Nothing reached the server (connection refused, DNS, TLS): safe to try again.
    Network(Problem),
    /// The request may have reached the server but the answer was lost. The sale is kept as
    /// `unknown`; reconcile it before sending again.
    Ambiguous {
        /// The local id of the sale left `unknown`.
        sale_id: String,
        /// What went wrong.
        detail: String,
    },
    /// The action does not fit the sale's current state (e.g. editing a paid sale).
    WrongState(Problem),
    /// Something must be set up first.
    NotConfigured(Problem),
    /// The till is locked: a staff PIN is needed first.
    Locked,
    /// The signed-in staff member's role does not allow this.
    NotAllowed(Problem),
    /// The local history database failed.
    Store(rusqlite::Error),
    /// A local file could not be read or written.
    Io {
        /// What was being done.
        context: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A bug or an unexpected answer.
    Internal(String),
}

impl From<rusqlite::Error> for Error {
    fn from(error: rusqlite::Error) -> Self {
        Error::Store(error)
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.problem().message)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Store(error) => Some(error),
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The stable `CommandError.code` (its string is [`ErrorCode::as_str`]).
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::InvalidInput { .. } | Error::WrongState(_) => ErrorCode::InvalidInput,
            Error::ApiRejected { .. } => ErrorCode::ApiRejected,
            Error::Unauthorized => ErrorCode::Unauthorized,
            Error::Forbidden { .. } => ErrorCode::Forbidden,
            Error::NotFound(_) => ErrorCode::NotFound,
            Error::Network(_) => ErrorCode::Network,
            Error::Ambiguous { .. } => ErrorCode::Ambiguous,
            Error::NotConfigured(_) => ErrorCode::NotConfigured,
            Error::Locked => ErrorCode::Locked,
            Error::NotAllowed(_) => ErrorCode::NotAllowed,
            Error::Store(_) | Error::Io { .. } | Error::Internal(_) => ErrorCode::Internal,
        }
    }

    /// What went wrong, as a code with parameters (its `message` is this error's `Display`).
    pub fn problem(&self) -> Problem {
        match self {
            Error::InvalidInput { problem, .. }
            | Error::ApiRejected { problem, .. }
            | Error::NotFound(problem)
            | Error::Network(problem)
            | Error::WrongState(problem)
            | Error::NotConfigured(problem)
            | Error::NotAllowed(problem) => problem.clone(),
            Error::Unauthorized => problem!(Unauthorized),
            Error::Forbidden { detail } => problem!(Forbidden, server_text = detail),
            Error::Ambiguous { detail, .. } => problem!(Ambiguous, detail = detail),
            Error::Locked => problem!(Locked),
            Error::Store(error) => problem!(StoreFailed, detail = error),
            Error::Io { context, source } => {
                problem!(FileFailed, detail = format!("{context}: {source}"))
            }
            Error::Internal(detail) => problem!(Internal, detail = detail),
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

    /// An `invalid_input` error for one field; the summary is the field's problem.
    pub fn invalid_field(field: &str, problem: impl Into<Problem>) -> Error {
        let problem = problem.into();
        let mut fields = FieldErrors::new();
        fields.insert(field.to_owned(), vec![problem.clone()]);
        Error::InvalidInput { problem, fields }
    }

    /// An `invalid_input` error from collected field errors.
    pub fn invalid_fields(fields: FieldErrors) -> Error {
        let problem = fields_summary(ProblemCode::FixFields, &fields);
        Error::InvalidInput { problem, fields }
    }

    /// A network error in the transport's own words.
    pub fn network(detail: impl std::fmt::Display) -> Error {
        Error::Network(problem!(Network, detail = detail))
    }
}

/// Adds `problem` under `field`.
pub(crate) fn push_field_error(errors: &mut FieldErrors, field: &str, problem: impl Into<Problem>) {
    errors
        .entry(field.to_owned())
        .or_default()
        .push(problem.into());
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

/// Maps the client's field errors (server names, nested) to draft field names; each message is
/// the server's own words (`server_field_refused`).
pub fn map_server_fields(fields: &ottu_checkout::FieldErrors) -> FieldErrors {
    let mut out = FieldErrors::new();
    for (path, message) in fields.flatten() {
        out.entry(draft_field_for(&path))
            .or_default()
            .push(problem!(ServerFieldRefused, server_text = message));
    }
    out
}

/// The summary of a server validation answer: its detail when it names no field, else the
/// fields it refused (`server_refused*`), or `fix_fields` when the client refused it locally.
pub(crate) fn server_validation(
    refused_by_server: bool,
    detail: Option<&str>,
    fields: FieldErrors,
) -> Error {
    let problem = match detail {
        Some(detail) if fields.is_empty() && refused_by_server => {
            problem!(ServerRefused, server_text = detail)
        }
        Some(detail) if fields.is_empty() => problem!(ServerFieldRefused, server_text = detail),
        _ if refused_by_server => fields_summary(ProblemCode::ServerRefusedFields, &fields),
        _ => fields_summary(ProblemCode::FixFields, &fields),
    };
    if refused_by_server {
        Error::ApiRejected { problem, fields }
    } else {
        Error::InvalidInput { problem, fields }
    }
}

impl From<ottu_checkout::Error> for Error {
    /// The generic mapping, for calls whose outcome is not ambiguous (retrieve, update,
    /// operations). The create flow classifies its errors itself (see `sales`).
    fn from(error: ottu_checkout::Error) -> Self {
        use ottu_checkout::Error as E;
        match error {
            E::Validation { body, status } => server_validation(
                status.is_some(),
                body.detail.as_deref(),
                map_server_fields(&body.fields),
            ),
            E::Unauthorized { .. } => Error::Unauthorized,
            E::Forbidden { body } => Error::Forbidden {
                detail: body.detail.clone().unwrap_or_else(|| body.summary()),
            },
            E::NotFound { .. } => Error::NotFound(problem!(TransactionNotFound)),
            E::RateLimited { .. } => Error::ApiRejected {
                problem: problem!(ServerBusy),
                fields: FieldErrors::new(),
            },
            E::Timeout => Error::Network(problem!(ServerTimeout)),
            E::Transport { message, .. } => Error::network(message),
            E::Server { status, .. } => Error::Network(problem!(ServerFailed, status = status)),
            E::Config { message } => {
                Error::NotConfigured(problem!(ConnectionSettingsUnusable, detail = message))
            }
            E::Ambiguous { source, .. } => Error::from(*source),
            E::Decode { path, message, .. } => Error::Internal(format!(
                "the payment server sent an answer that could not be read at `{path}`: {message}"
            )),
            other => Error::ApiRejected {
                problem: problem!(ServerRefused, server_text = other),
                fields: FieldErrors::new(),
            },
        }
    }
}

/// `code` with the refused field names as `{fields}` (`"amount, customer_phone"`).
pub(crate) fn fields_summary(code: ProblemCode, fields: &FieldErrors) -> Problem {
    let names: Vec<&str> = fields.keys().map(String::as_str).collect();
    Problem::new(code, [("fields", names.join(", "))])
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
            Error::invalid_field("amount", problem!(AmountZero)),
            Error::ApiRejected {
                problem: problem!(ServerBusy),
                fields: FieldErrors::new(),
            },
            Error::Unauthorized,
            Error::Forbidden { detail: "x".into() },
            Error::NotFound(problem!(TransactionNotFound)),
            Error::network("x"),
            Error::Ambiguous {
                sale_id: "s".into(),
                detail: "x".into(),
            },
            Error::NotConfigured(problem!(HomeDirMissing)),
            Error::Internal("x".into()),
        ];
        for (error, code) in errors.iter().zip(contract) {
            assert_eq!(error.code(), code);
        }
    }

    #[test]
    fn invalid_field_names_the_field_with_a_code() {
        let error = Error::invalid_field("customer_email", problem!(EmailInvalid));
        assert_eq!(
            error.field_errors()["customer_email"][0].code,
            ProblemCode::EmailInvalid
        );
        assert_eq!(
            error.to_string(),
            "enter a valid email address, e.g. name@example.com"
        );
    }

    #[test]
    fn server_words_are_a_parameter_under_a_code() {
        let error = server_validation(true, Some("Amount exceeds the limit."), FieldErrors::new());
        let problem = error.problem();
        assert_eq!(problem.code, ProblemCode::ServerRefused);
        assert_eq!(problem.params["server_text"], "Amount exceeds the limit.");
    }

    #[test]
    fn messages_are_lowercase_without_trailing_period() {
        let text = Error::network("connection refused").to_string();
        assert!(text.starts_with(char::is_lowercase));
        assert!(!text.ends_with('.'));
    }
}
