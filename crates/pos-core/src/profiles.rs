//! Merchant connections: the built-in demo profile and real Ottu merchants.
//!
//! A profile is what a sale is made *with*: an Ottu host, how to authenticate, and defaults for
//! new sales. [`StoredProfile`] is the record in `config.toml` (no secret, only whether one was
//! saved); [`Profile`] is what the UI sees; [`ProfileInput`] is what the UI sends to add or change
//! one, including the secret, which goes straight to the keychain and never comes back.
//!
//! Ids are short slugs made from the name (`"Al Noor Cafe"` → `al-noor-cafe`, then
//! `al-noor-cafe-2`...) so they are easy to type in `ottu-pos --profile <id>`. `demo` is
//! reserved for the embedded sandbox, which cannot be deleted and whose host is chosen at run time.

use serde::{Deserialize, Serialize};
use url::Url;

use crate::error::FieldErrors;
use crate::problem;
use crate::problem::Problem;
use crate::secrets::Secret;
use crate::settings::push_field_error;

/// Id of the built-in demo profile.
pub const DEMO_PROFILE_ID: &str = "demo";
/// Longest accepted profile name.
pub const MAX_PROFILE_NAME_CHARS: usize = 60;
/// Longest generated id (before a `-N` suffix).
const MAX_ID_CHARS: usize = 32;

/// Demo (embedded sandbox) or a real merchant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ProfileKind {
    /// The embedded local sandbox; needs no credentials.
    Demo,
    /// A merchant's Ottu instance.
    Merchant,
}

/// How requests authenticate (docs: CHECKOUT_API.md §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum AuthKind {
    /// `Authorization: Api-Key <key>`: every permission.
    #[default]
    ApiKey,
    /// `Authorization: Basic …` with a dashboard user's name and password: only the permissions
    /// granted to that user.
    Basic,
}

/// A profile as the UI sees it (docs/architecture.md `Profile`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Profile {
    /// Slug, e.g. `demo`, `al-noor-cafe`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Demo or merchant.
    pub kind: ProfileKind,
    /// The Ottu host (`https://merchant.ottu.net`); for the demo, the embedded sandbox's
    /// loopback URL.
    pub base_url: String,
    /// API key or Basic.
    pub auth: AuthKind,
    /// Basic auth user name.
    pub username: Option<String>,
    /// Whether an API key or password is saved in the keychain (the value itself never leaves it).
    pub secret_configured: bool,
    /// ISO 4217 code preselected for new sales.
    pub default_currency: String,
    /// Gateways used for new sales; empty means every gateway the payment-methods call offers.
    pub default_pg_codes: Vec<String>,
}

/// What the UI sends to add (`id` absent) or change (`id` present) a profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProfileInput {
    /// Absent for a new profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub id: Option<String>,
    /// Display name.
    pub name: String,
    /// The merchant's Ottu host, e.g. `https://merchant.ottu.net`.
    pub base_url: String,
    /// API key or Basic.
    pub auth: AuthKind,
    /// Required for Basic auth.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub username: Option<String>,
    /// API key or password; stored in the OS keychain, never returned. Absent when editing keeps
    /// the saved one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional, as = "Option<String>"))]
    pub secret: Option<Secret>,
    /// ISO 4217 code.
    pub default_currency: String,
    /// Gateway codes (`knet`, `credit-card`...); may be empty.
    #[serde(default)]
    pub default_pg_codes: Vec<String>,
}

/// A profile as recorded in `config.toml`. Holds no secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredProfile {
    /// Slug.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Demo or merchant.
    pub kind: ProfileKind,
    /// Merchant host; empty for the demo (its address is decided when it starts).
    #[serde(default)]
    pub base_url: String,
    /// API key or Basic.
    #[serde(default)]
    pub auth: AuthKind,
    /// Basic auth user name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Whether the keychain holds this profile's secret (set when saved, cleared on delete).
    #[serde(default)]
    pub secret_configured: bool,
    /// ISO 4217 code.
    pub default_currency: String,
    /// Gateway codes; may be empty.
    #[serde(default)]
    pub default_pg_codes: Vec<String>,
}

impl StoredProfile {
    /// The built-in demo profile.
    pub fn demo() -> Self {
        Self {
            id: DEMO_PROFILE_ID.to_owned(),
            name: "Demo".to_owned(),
            kind: ProfileKind::Demo,
            base_url: String::new(),
            auth: AuthKind::ApiKey,
            username: None,
            secret_configured: true,
            default_currency: "KWD".to_owned(),
            default_pg_codes: Vec::new(),
        }
    }

    /// The UI view; `demo_base_url` is shown for the demo profile.
    pub fn to_profile(&self, demo_base_url: &str) -> Profile {
        Profile {
            id: self.id.clone(),
            name: self.name.clone(),
            kind: self.kind,
            base_url: match self.kind {
                ProfileKind::Demo => demo_base_url.to_owned(),
                ProfileKind::Merchant => self.base_url.clone(),
            },
            auth: self.auth,
            username: self.username.clone(),
            secret_configured: self.secret_configured,
            default_currency: self.default_currency.clone(),
            default_pg_codes: self.default_pg_codes.clone(),
        }
    }

    /// True for the embedded demo.
    pub fn is_demo(&self) -> bool {
        self.kind == ProfileKind::Demo
    }
}

/// A [`ProfileInput`] after trimming and checking every field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidProfileInput {
    /// Present when changing an existing profile.
    pub id: Option<String>,
    /// Trimmed, non-empty.
    pub name: String,
    /// `scheme://host[:port]` without a trailing slash.
    pub base_url: String,
    /// API key or Basic.
    pub auth: AuthKind,
    /// Trimmed; present for Basic.
    pub username: Option<String>,
    /// Non-blank when present.
    pub secret: Option<Secret>,
    /// Upper-case ISO 4217 code.
    pub default_currency: String,
    /// Lower-case, de-duplicated codes.
    pub default_pg_codes: Vec<String>,
}

impl ProfileInput {
    /// Checks every field of a merchant profile and normalises it. Errors are keyed by the
    /// `ProfileInput` JSON field names.
    ///
    /// `secret_already_saved` tells whether an edit may leave `secret` out.
    pub fn validate(&self, secret_already_saved: bool) -> Result<ValidProfileInput, FieldErrors> {
        let mut errors = FieldErrors::new();

        let name = self.name.trim().to_owned();
        if name.is_empty() {
            push_field_error(&mut errors, "name", problem!(ProfileNameEmpty));
        } else if name.chars().count() > MAX_PROFILE_NAME_CHARS {
            push_field_error(
                &mut errors,
                "name",
                problem!(TooLong, max = MAX_PROFILE_NAME_CHARS),
            );
        }

        let base_url = match normalize_base_url(&self.base_url) {
            Ok(url) => url,
            Err(message) => {
                push_field_error(&mut errors, "base_url", message);
                String::new()
            }
        };

        let username = self
            .username
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(str::to_owned);
        if self.auth == AuthKind::Basic && username.is_none() {
            push_field_error(&mut errors, "username", problem!(UsernameNeeded));
        }

        let what = match self.auth {
            AuthKind::ApiKey => problem!(ApiKeyNeeded),
            AuthKind::Basic => problem!(PasswordNeeded),
        };
        let secret = match &self.secret {
            Some(secret) if secret.is_blank() => {
                push_field_error(&mut errors, "secret", what);
                None
            }
            Some(secret) => Some(Secret::new(secret.expose().trim())),
            None if !secret_already_saved => {
                push_field_error(&mut errors, "secret", what);
                None
            }
            None => None,
        };

        let default_currency = match normalize_currency(&self.default_currency) {
            Ok(code) => code,
            Err(message) => {
                push_field_error(&mut errors, "default_currency", message);
                String::new()
            }
        };

        let mut default_pg_codes = Vec::new();
        for code in &self.default_pg_codes {
            let code = code.trim().to_ascii_lowercase();
            if code.is_empty()
                || code.len() > 64
                || !code
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                push_field_error(
                    &mut errors,
                    "default_pg_codes",
                    problem!(GatewayCodeInvalid, code = format!("{code:?}")),
                );
            } else if !default_pg_codes.contains(&code) {
                default_pg_codes.push(code);
            }
        }

        if errors.is_empty() {
            Ok(ValidProfileInput {
                id: self.id.clone(),
                name,
                base_url,
                auth: self.auth,
                username,
                secret,
                default_currency,
                default_pg_codes,
            })
        } else {
            Err(errors)
        }
    }
}

/// Accepts `https://host[:port]` (any path is refused: Ottu serves its API from the host root);
/// `http` only for loopback hosts, where a local sandbox runs.
pub fn normalize_base_url(raw: &str) -> Result<String, Problem> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(problem!(BaseUrlEmpty));
    }
    let with_scheme = if raw.contains("://") {
        raw.to_owned()
    } else {
        format!("https://{raw}")
    };
    let url = Url::parse(&with_scheme)
        .map_err(|_| problem!(BaseUrlInvalid, value = format!("{raw:?}")))?;
    let host = url
        .host_str()
        .ok_or_else(|| problem!(BaseUrlNoHost, value = format!("{raw:?}")))?;
    let loopback = matches!(host, "localhost" | "127.0.0.1" | "[::1]");
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(problem!(BaseUrlNotHttps));
        }
        other => return Err(problem!(BaseUrlScheme, scheme = other)),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(problem!(BaseUrlCredentials));
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(problem!(
            BaseUrlHostOnly,
            example = format!("{}://{host}", url.scheme())
        ));
    }
    let mut normalized = format!("{}://{host}", url.scheme());
    if let Some(port) = url.port() {
        normalized.push_str(&format!(":{port}"));
    }
    Ok(normalized)
}

/// Upper-cases and checks an ISO 4217 code (the client's table gives its decimals).
pub fn normalize_currency(raw: &str) -> Result<String, Problem> {
    let code = raw.trim().to_ascii_uppercase();
    if code.is_empty() {
        return Err(problem!(CurrencyNeeded));
    }
    ottu_checkout::CurrencyCode::parse(&code)
        .map(|currency| currency.as_str().to_owned())
        .map_err(|_| problem!(CurrencyUnknown, code = format!("{code:?}")))
}

/// A slug for a new profile named `name` that no existing id uses.
pub fn new_profile_id<'a>(
    name: &str,
    existing: impl IntoIterator<Item = &'a str> + Clone,
) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
        if slug.len() >= MAX_ID_CHARS {
            break;
        }
    }
    let slug = slug.trim_end_matches('-');
    let base = if slug.is_empty() || slug == DEMO_PROFILE_ID {
        "merchant".to_owned()
    } else {
        slug.to_owned()
    };
    let taken = |candidate: &str| existing.clone().into_iter().any(|id| id == candidate);
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|candidate| !taken(candidate))
        .expect("an unbounded range always yields a free id")
}

#[cfg(test)]
mod tests;
