//! "Test connection": one real call that tells the user what is wrong with a profile, in the
//! four ways they can act on.
//!
//! The probe is the payment-methods call for the profile's default currency (read-only, allowed
//! to every user that can create payment requests, and it answers the next question anyway:
//! which gateways may this account use). The answer is sorted into:
//!
//! | kind | from |
//! |---|---|
//! | `bad_host` | invalid URL, DNS name not found, connection refused, TLS failure, a server that is not Ottu (404 or a non-JSON answer on the API path), a 5xx |
//! | `bad_credentials` | 401 |
//! | `missing_permission` | 403 / 423, or a 200 listing no gateway for payment requests in that currency |
//! | `no_network` | timeout, network or host unreachable, name resolution temporarily failing |
//!
//! A user-name-and-password connection that works is also asked whether it may create invoices
//! (`Invoices::may_create`: an empty invoice body, refused with 403 without "Can add Invoice"
//! and 400 with it); the answer is `can_invoice`, and the message says what to ask for.
//!
//! The transport error only carries the OS message, so the split between "bad host" and "no
//! network" reads the stable `std::io` texts (`Connection refused`, `Network is unreachable`,
//! `No route to host`, `Temporary failure in name resolution`).

use std::time::Duration;

use ottu_checkout::{Auth, Client, CurrencyCode, RetryPolicy};
use serde::{Deserialize, Serialize};

use crate::gateways::no_gateway_message;
use crate::profiles::AuthKind;
use crate::secrets::Secret;

/// How long a connection test waits for an answer before calling it "no network".
pub const DEFAULT_CHECK_TIMEOUT: Duration = Duration::from_secs(10);

/// What a connection test found (docs/architecture.md `ConnectionCheck.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    /// Connected, authenticated, and at least one gateway is usable.
    Ok,
    /// The address is wrong or is not an Ottu server.
    BadHost,
    /// The API key or the user name and password were refused.
    BadCredentials,
    /// The account lacks a permission (or may use no gateway for the currency).
    MissingPermission,
    /// The server could not be reached at all.
    NoNetwork,
}

/// Result of "test connection" (docs/architecture.md `ConnectionCheck`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ConnectionCheck {
    /// `kind == ok`.
    pub ok: bool,
    /// Which problem, if any.
    pub kind: CheckKind,
    /// Plain words: what was found and what to do.
    pub message: String,
    /// A user-name-and-password connection that works: whether its user may create invoices
    /// (Ottu's "Can add Invoice", needed for itemised sales). Absent otherwise (an API key holds
    /// every permission).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub can_invoice: Option<bool>,
}

impl ConnectionCheck {
    fn new(kind: CheckKind, message: impl Into<String>) -> Self {
        Self {
            ok: kind == CheckKind::Ok,
            kind,
            message: message.into(),
            can_invoice: None,
        }
    }
}

/// What to connect to: everything the test needs, already validated.
#[derive(Debug, Clone)]
pub struct ConnectionTarget {
    /// `https://merchant.ottu.net` (or a loopback sandbox).
    pub base_url: String,
    /// API key or Basic.
    pub auth: AuthKind,
    /// Basic user name.
    pub username: Option<String>,
    /// API key or password.
    pub secret: Secret,
    /// The currency whose gateways are listed.
    pub currency: CurrencyCode,
}

impl ConnectionTarget {
    /// A checkout client for this target (no automatic retries, so a test is quick).
    pub fn client(&self, timeout: Duration) -> Result<Client, ottu_checkout::Error> {
        let auth = match self.auth {
            AuthKind::ApiKey => Auth::api_key(self.secret.expose()),
            AuthKind::Basic => Auth::basic(
                self.username.clone().unwrap_or_default(),
                self.secret.expose(),
            ),
        };
        Client::builder()
            .base_url(&self.base_url)
            .auth(auth)
            .timeout(timeout)
            .connect_timeout(timeout)
            .retry_policy(RetryPolicy::none())
            .build()
    }
}

/// Runs the test. Never fails: every outcome is a [`ConnectionCheck`].
pub async fn check_connection(target: &ConnectionTarget, timeout: Duration) -> ConnectionCheck {
    let client = match target.client(timeout) {
        Ok(client) => client,
        Err(error) => {
            return ConnectionCheck::new(
                CheckKind::BadHost,
                format!("the address cannot be used: {error}"),
            );
        }
    };
    let query = ottu_checkout::payment_methods::PaymentMethodsQuery::new(
        ottu_checkout::checkout::CheckoutType::PaymentRequest,
    )
    .currency(target.currency);
    match client.payment_methods().list(&query).await {
        Ok(list) => {
            let names: Vec<String> = list
                .payment_methods
                .iter()
                .filter(|gateway| gateway.accepts(&target.currency))
                .map(|gateway| {
                    gateway
                        .name
                        .clone()
                        .unwrap_or_else(|| gateway.code.as_str().to_owned())
                })
                .collect();
            if names.is_empty() {
                ConnectionCheck::new(
                    CheckKind::MissingPermission,
                    format!(
                        "connected and signed in, but {}",
                        no_gateway_message(&target.currency)
                    ),
                )
            } else {
                let mut check = ConnectionCheck::new(
                    CheckKind::Ok,
                    format!(
                        "connected: {} for {} ({})",
                        if names.len() == 1 {
                            "1 payment gateway".to_owned()
                        } else {
                            format!("{} payment gateways", names.len())
                        },
                        target.currency.as_str(),
                        names.join(", ")
                    ),
                );
                if target.auth == AuthKind::Basic {
                    // Payment requests work either way; itemised sales need the invoice
                    // permission, which a user may lack (an API key has every permission).
                    let may = client.invoices().may_create().await;
                    check.can_invoice = may.as_ref().ok().copied();
                    if let Ok(false) = may {
                        check.message.push_str(
                            "; itemised sales need the \"Can add Invoice\" permission, which this \
                             user does not have: ask your Ottu administrator",
                        );
                    }
                }
                check
            }
        }
        Err(error) => classify_error(&target.base_url, target.auth, &error),
    }
}

/// Sorts a failed probe into a [`ConnectionCheck`].
pub fn classify_error(
    base_url: &str,
    auth: AuthKind,
    error: &ottu_checkout::Error,
) -> ConnectionCheck {
    use ottu_checkout::Error as E;
    let credentials = match auth {
        AuthKind::ApiKey => "API key",
        AuthKind::Basic => "user name or password",
    };
    match error {
        E::Unauthorized { .. } => ConnectionCheck::new(
            CheckKind::BadCredentials,
            format!("{base_url} refused the {credentials}; check it and save it again"),
        ),
        E::Forbidden { body } | E::Locked { body } => ConnectionCheck::new(
            CheckKind::MissingPermission,
            format!(
                "signed in, but this account is not allowed to list payment gateways ({}); ask \
                 your Ottu administrator for \"Can add payment requests\" and \"Can use \
                 <gateway>\"",
                body.summary()
            ),
        ),
        E::Timeout => ConnectionCheck::new(
            CheckKind::NoNetwork,
            format!("{base_url} did not answer in time; check the internet connection"),
        ),
        E::Transport { message, .. } if is_network_down(message) => ConnectionCheck::new(
            CheckKind::NoNetwork,
            format!(
                "the network is not reachable ({}); check the internet connection",
                short(message)
            ),
        ),
        E::Transport { message, .. } => ConnectionCheck::new(
            CheckKind::BadHost,
            format!(
                "cannot connect to {base_url} ({}); check the address",
                short(message)
            ),
        ),
        E::NotFound { .. } | E::Decode { .. } | E::UnsupportedMediaType { .. } | E::Api { .. } => {
            ConnectionCheck::new(
                CheckKind::BadHost,
                format!(
                    "{base_url} answered, but not like an Ottu server; check the address (it is \
                     the host your Ottu dashboard runs on)"
                ),
            )
        }
        E::Server { status, .. } => ConnectionCheck::new(
            CheckKind::BadHost,
            format!(
                "{base_url} answered with server error {status}; check the address or try again later"
            ),
        ),
        E::RateLimited { .. } => ConnectionCheck::new(
            CheckKind::NoNetwork,
            format!("{base_url} is limiting requests right now; try again in a minute"),
        ),
        E::Config { message } => ConnectionCheck::new(
            CheckKind::BadHost,
            format!("the address cannot be used: {message}"),
        ),
        other => ConnectionCheck::new(
            CheckKind::BadHost,
            format!("{base_url} gave an unexpected answer ({other}); check the address"),
        ),
    }
}

/// OS texts meaning "this machine cannot reach the network" rather than "nothing listens there".
fn is_network_down(message: &str) -> bool {
    const NETWORK_DOWN: &[&str] = &[
        "Network is unreachable",
        "No route to host",
        "Host is unreachable",
        "Temporary failure in name resolution",
        "os error 101",
        "os error 113",
        // Windows: WSAENETUNREACH, WSAEHOSTUNREACH.
        "os error 10051",
        "os error 10065",
    ];
    NETWORK_DOWN.iter().any(|needle| message.contains(needle))
}

/// The last (most specific) part of a chained transport message.
fn short(message: &str) -> &str {
    message.rsplit(": ").next().unwrap_or(message).trim()
}

#[cfg(test)]
mod tests;
