//! Authentication (`Api-Key`, `Basic`) and the permission matrix of Ottu's digest §2.1.
//!
//! An API key holds every permission. A Basic user holds the Django permissions listed in the
//! config: `Can add|change|view payment requests`, `Can add|change|view e-commerce payments`,
//! `Can use <gateway name or pg_code>`, `payment.<operation>`. Matching is case-insensitive.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use sha2::{Digest, Sha256};

use crate::config::GatewayConfig;
use crate::error::ApiError;
use crate::model::Plugin;
use crate::password::constant_time_eq;
use crate::state::AppState;

/// Who is calling.
#[derive(Debug, Clone)]
pub enum Principal {
    /// A private API key: every permission.
    ApiKey,
    /// A Basic-auth user.
    User(Arc<User>),
}

/// An authenticated Basic user.
#[derive(Debug)]
pub struct User {
    /// 1-based position in the config, used as the user id.
    pub id: i64,
    pub username: String,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    permissions: HashSet<String>,
}

/// Remembers verified Basic credentials (by SHA-256 of the header, never the password) so
/// PBKDF2 runs once per credential rather than once per request.
#[derive(Debug, Clone, Default)]
pub struct CredentialCache(Arc<Mutex<HashMap<[u8; 32], Arc<User>>>>);

/// What an action needs on a plugin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Add,
    Change,
    View,
}

fn plugin_permission(action: Action, plugin: Plugin) -> &'static str {
    match (action, plugin) {
        (Action::Add, Plugin::PaymentRequest) => "can add payment requests",
        (Action::Change, Plugin::PaymentRequest) => "can change payment requests",
        (Action::View, Plugin::PaymentRequest) => "can view payment requests",
        (Action::Add, Plugin::ECommerce) => "can add e-commerce payments",
        (Action::Change, Plugin::ECommerce) => "can change e-commerce payments",
        (Action::View, Plugin::ECommerce) => "can view e-commerce payments",
    }
}

impl Principal {
    fn has(&self, permission: &str) -> bool {
        match self {
            Principal::ApiKey => true,
            Principal::User(user) => user.permissions.contains(permission),
        }
    }

    /// Add/change as granted; view is also granted by add or change (digest §2.1).
    pub fn may(&self, action: Action, plugin: Plugin) -> bool {
        match action {
            Action::View => {
                self.has(plugin_permission(Action::View, plugin))
                    || self.has(plugin_permission(Action::Add, plugin))
                    || self.has(plugin_permission(Action::Change, plugin))
            }
            other => self.has(plugin_permission(other, plugin)),
        }
    }

    /// Whether any plugin grants `action`.
    pub fn may_on_any_plugin(&self, action: Action) -> bool {
        self.may(action, Plugin::PaymentRequest) || self.may(action, Plugin::ECommerce)
    }

    /// `Can use <gateway name>` (or `Can use <pg_code>`).
    pub fn may_use(&self, gateway: &GatewayConfig) -> bool {
        self.has(&format!("can use {}", gateway.name.to_lowercase()))
            || self.has(&format!("can use {}", gateway.pg_code.to_lowercase()))
    }

    /// `Can add Invoice`, the Invoice API's own permission.
    pub fn may_add_invoice(&self) -> bool {
        self.has("can add invoice")
    }

    /// `payment.<operation>` (`cancel`, `expire`, `delete`, `refund`, `capture`, `void`,
    /// `inquiry`).
    pub fn may_operate(&self, operation: &str) -> bool {
        self.has(&format!("payment.{operation}"))
    }

    /// `report.view_report`: list and download report files (the Reports API).
    pub fn may_view_reports(&self) -> bool {
        self.has("report.view_report")
    }

    /// The Basic user, if any.
    pub fn user(&self) -> Option<&User> {
        match self {
            Principal::ApiKey => None,
            Principal::User(user) => Some(user),
        }
    }
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
            return Err(ApiError::not_authenticated());
        };
        let Ok(value) = value.to_str() else {
            return Err(ApiError::authentication_failed(
                "Invalid authorization header.",
            ));
        };
        let (scheme, rest) = value.trim().split_once(' ').unwrap_or((value.trim(), ""));
        let rest = rest.trim();
        match scheme.to_ascii_lowercase().as_str() {
            "api-key" => {
                if rest.is_empty() {
                    return Err(ApiError::authentication_failed(
                        "Invalid API key header. No credentials provided.",
                    ));
                }
                let known = state
                    .config
                    .merchant
                    .api_keys
                    .iter()
                    .any(|k| constant_time_eq(k.as_bytes(), rest.as_bytes()));
                if known {
                    Ok(Principal::ApiKey)
                } else {
                    Err(ApiError::authentication_failed("Invalid API key."))
                }
            }
            "basic" => basic(rest, state).await.map(Principal::User),
            "bearer" => Err(ApiError::authentication_failed(
                "Invalid token. The sandbox accepts Api-Key and Basic authentication only.",
            )),
            _ => Err(ApiError::not_authenticated()),
        }
    }
}

async fn basic(encoded: &str, state: &AppState) -> Result<Arc<User>, ApiError> {
    if encoded.is_empty() {
        return Err(ApiError::authentication_failed(
            "Invalid basic header. No credentials provided.",
        ));
    }
    let fingerprint: [u8; 32] = Sha256::digest(encoded.as_bytes()).into();
    if let Some(user) = state
        .credentials
        .0
        .lock()
        .ok()
        .and_then(|c| c.get(&fingerprint).cloned())
    {
        return Ok(user);
    }
    let decoded = BASE64
        .decode(encoded)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| {
            ApiError::authentication_failed(
                "Invalid basic header. Credentials not correctly base64 encoded.",
            )
        })?;
    let Some((username, password)) = decoded.split_once(':') else {
        return Err(ApiError::authentication_failed(
            "Invalid basic header. Credentials not correctly base64 encoded.",
        ));
    };
    let users = &state.config.merchant.users;
    let Some((index, config)) = users
        .iter()
        .enumerate()
        .find(|(_, u)| u.username == username)
    else {
        return Err(ApiError::authentication_failed(
            "Invalid username/password.",
        ));
    };
    let hash = config.password_hash.clone();
    let password = password.to_owned();
    let ok = tokio::task::spawn_blocking(move || hash.verify(&password))
        .await
        .map_err(ApiError::internal)?;
    if !ok {
        return Err(ApiError::authentication_failed(
            "Invalid username/password.",
        ));
    }
    let user = Arc::new(User {
        id: index as i64 + 1,
        username: config.username.clone(),
        email: config.email.clone(),
        first_name: config.first_name.clone(),
        last_name: config.last_name.clone(),
        permissions: config
            .permissions
            .iter()
            .map(|p| p.trim().to_lowercase())
            .collect(),
    });
    if let Ok(mut cache) = state.credentials.0.lock() {
        cache.insert(fingerprint, Arc::clone(&user));
    }
    Ok(user)
}
