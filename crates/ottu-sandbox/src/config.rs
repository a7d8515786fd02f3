//! The sandbox's configuration: where it listens and stores data, and the seeded merchant
//! (API keys, Basic users with their permissions, gateways, defaults, webhook HMAC key).
//!
//! The merchant part is read from TOML (`ottu-sandbox serve --config merchant.toml`);
//! [`SandboxConfig::demo`] is the built-in demo merchant used when no file is given.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::password::PasswordHash;

/// Everything [`crate::Sandbox::start`] needs.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// Port to bind on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// SQLite database file (created with its parent directory when missing).
    pub db_path: PathBuf,
    /// Absolute base used in every URL the sandbox returns (`checkout_url`, `qr_code_url`, ...).
    /// `None` means `http://127.0.0.1:<bound port>`.
    pub public_base_url: Option<String>,
    /// The seeded merchant.
    pub merchant: MerchantConfig,
    /// Webhook delivery settings.
    pub webhooks: WebhookSettings,
    /// Largest accepted request body, in bytes (attachments included).
    pub body_limit_bytes: usize,
    /// Number of read-only SQLite connections.
    pub read_connections: usize,
    /// How the create endpoint treats a second transaction with an `order_no` already in use.
    pub duplicate_order_no: DuplicateOrderNo,
    /// How hard each commit is pushed to disk.
    pub durability: Durability,
    /// Ottu's request limits (per-user 429s, the inquiry throttle); the default is Ottu's rules.
    pub limits: crate::throttle::Limits,
    /// A second address serving only the payer's pages (hosted checkout, short links, QR
    /// images, media, gateway icons), for phones on the local network; port 0 picks one. The
    /// API, the control routes and the docs stay on loopback. Returned URLs then use this
    /// address unless `public_base_url` says otherwise.
    pub payer_listen: Option<std::net::SocketAddr>,
}

/// SQLite durability of each (group) commit. Both use WAL and answer only after the commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Durability {
    /// `synchronous=NORMAL`: a commit is in the WAL file before the answer, so a crash or
    /// `kill -9` of the sandbox loses nothing; an OS crash or power cut may lose the last
    /// commits (the WAL is fsynced at checkpoints). The default: sandbox data is test data,
    /// and it keeps creates fast on disks with slow fsync.
    #[default]
    Normal,
    /// `synchronous=FULL`: every commit is fsynced before the answer; survives power loss.
    Full,
}

/// Behaviour for a create whose `order_no` is already taken (Ottu documents none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum DuplicateOrderNo {
    /// Store a second transaction with the same `order_no` (nothing documents a rejection).
    #[default]
    Allow,
    /// Answer 400 `{"order_no": ["payment transaction with this order no already exists."]}`.
    Reject,
}

/// Webhook delivery knobs; the defaults are Ottu's documented ones.
#[derive(Debug, Clone, Copy)]
pub struct WebhookSettings {
    /// Time allowed for one delivery attempt (Ottu: 15 s).
    pub timeout: Duration,
    /// Extra attempts after a timed-out one (Ottu: 3). Other failures are never retried.
    pub retries: u32,
    /// Backoff factor: the n-th retry waits `backoff * 2^(n-1)` (Ottu: 5 s).
    pub backoff: Duration,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(15),
            retries: 3,
            backoff: Duration::from_secs(5),
        }
    }
}

/// The seeded merchant, as written in the TOML config file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MerchantConfig {
    /// Shown on the hosted checkout page.
    #[serde(default = "default_merchant_name")]
    pub name: String,
    /// Private API keys (`Authorization: Api-Key <key>`); each has every permission.
    #[serde(default)]
    pub api_keys: Vec<String>,
    /// Basic-auth users.
    #[serde(default)]
    pub users: Vec<UserConfig>,
    /// Payment gateways (pg_codes) the merchant may use.
    #[serde(default)]
    pub gateways: Vec<GatewayConfig>,
    /// Default `expiration_time` in Django duration format (`1 00:00:00` = 24 h).
    #[serde(default = "default_expiration")]
    pub default_expiration: String,
    /// Key for the webhook `signature` (HMAC-SHA256).
    #[serde(default)]
    pub webhook_hmac_key: String,
    /// Instance-wide default `redirect_url`, used when a transaction has none.
    #[serde(default)]
    pub default_redirect_url: Option<String>,
    /// Instance-wide default `webhook_url`, used when a transaction has none.
    #[serde(default)]
    pub default_webhook_url: Option<String>,
    /// Absolute base of returned URLs (`checkout_url`, ...); `--public-base-url` overrides it.
    #[serde(default)]
    pub public_base_url: Option<String>,
}

fn default_merchant_name() -> String {
    "Sandbox Merchant".to_owned()
}

fn default_expiration() -> String {
    "1 00:00:00".to_owned()
}

/// A Basic-auth user and the Django-style permissions granted to it.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserConfig {
    pub username: String,
    /// `pbkdf2_sha256$<iterations>$<salt>$<base64 hash>` (Django's format); make one with
    /// `ottu-sandbox hash-password`.
    pub password_hash: PasswordHash,
    /// e.g. `Can add payment requests`, `Can use KNET` (or `Can use knet`), `payment.cancel`.
    #[serde(default)]
    pub permissions: Vec<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
}

impl std::fmt::Debug for UserConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserConfig")
            .field("username", &self.username)
            .field("permissions", &self.permissions)
            .finish_non_exhaustive()
    }
}

/// One payment gateway configuration (a pg_code).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GatewayConfig {
    /// The code sent in `pg_codes`, e.g. `knet`.
    pub pg_code: String,
    /// Display name, e.g. `KNET`; also the permission name `Can use KNET`.
    pub name: String,
    /// Gateway family reported as `gateway_name` in webhooks (e.g. `knet`, `mpgs`).
    #[serde(default)]
    pub pg: Option<String>,
    /// Icon URL; defaults to an SVG the sandbox serves.
    #[serde(default)]
    pub icon: Option<String>,
    /// Accepted ISO 4217 currencies.
    pub currencies: Vec<String>,
    /// Plugins the gateway serves: `payment_request`, `e_commerce`.
    #[serde(default = "all_plugins", alias = "plugin")]
    pub plugins: Vec<String>,
    /// Flat fee added to the amount, in major units of the transaction currency.
    #[serde(default)]
    pub fee: Option<String>,
    /// Whether the gateway can save cards (needed by `auto_debit` and `save_card`).
    #[serde(default)]
    pub tokenizable: bool,
    /// The operation its MID is set up for: `purchase` (default) or `authorize`; reported as
    /// `operation` by the payment-methods endpoint and filtered on by its `operation`.
    #[serde(default = "default_operation")]
    pub operation: String,
    /// Business-vertical tags from Ottu's `tags` enum ([`GATEWAY_TAGS`]); default
    /// `["demo", "test"]`.
    #[serde(default = "default_tags")]
    pub tags: Vec<String>,
    /// The external operations it supports ([`EXTERNAL_OPERATIONS`]), served as `operations`
    /// by the payment-methods endpoint and enforced by the operations endpoint. Default:
    /// `["refund"]` for a `purchase` gateway, `["refund", "capture", "void"]` for `authorize`.
    #[serde(default)]
    pub operations: Option<Vec<String>>,
    /// Refunds are queued at the gateway (child `refund_queued`, answer `result: "queued"`)
    /// until `POST /_sandbox/children/{id}/settle` or `/reject`; default false (real time).
    #[serde(default)]
    pub queue_refunds: bool,
}

/// The external operations a gateway can support.
pub const EXTERNAL_OPERATIONS: &[&str] = &["refund", "capture", "void"];

/// The `tags` Ottu's payment-methods API knows (OA:8172-8215).
pub const GATEWAY_TAGS: &[&str] = &[
    "e_commerce",
    "crm",
    "pos",
    "invoicing",
    "subscriptions",
    "marketplace",
    "mobile_app",
    "ticket_booking",
    "donations",
    "government",
    "education",
    "healthcare",
    "insurance",
    "logistics",
    "hospitality",
    "real_estate",
    "retail",
    "telecom",
    "utilities",
    "demo",
    "test",
];

/// The operations a gateway can be set up for (OA:8129-8138).
pub const GATEWAY_OPERATIONS: &[&str] = &["purchase", "authorize"];

fn all_plugins() -> Vec<String> {
    vec!["payment_request".to_owned(), "e_commerce".to_owned()]
}

fn default_operation() -> String {
    "purchase".to_owned()
}

fn default_tags() -> Vec<String> {
    vec!["demo".to_owned(), "test".to_owned()]
}

impl GatewayConfig {
    /// The external operations it supports (configured, or the default for its `operation`).
    pub fn operations(&self) -> Vec<String> {
        match &self.operations {
            Some(ops) => ops.clone(),
            None if self.authorizes() => vec!["refund".into(), "capture".into(), "void".into()],
            None => vec!["refund".into()],
        }
    }

    /// Whether its MID authorizes (a successful payment is `authorized`, not `paid`).
    pub fn authorizes(&self) -> bool {
        self.operation == "authorize"
    }

    /// The gateway family name used in webhooks.
    pub fn family(&self) -> &str {
        self.pg.as_deref().unwrap_or(&self.pg_code)
    }

    /// Whether it accepts this ISO 4217 currency.
    pub fn accepts(&self, currency: &str) -> bool {
        self.currencies.iter().any(|c| c == currency)
    }

    /// Whether it serves this plugin (`payment_request`, `e_commerce`).
    pub fn serves(&self, plugin: &str) -> bool {
        self.plugins.iter().any(|p| p == plugin)
    }

    /// Its flat fee in a currency with `decimals` decimals; a fee with more decimals than the
    /// currency has is cut down to the currency's unit.
    pub fn fee(&self, decimals: u32) -> crate::money::Amount {
        let fee = self
            .fee
            .as_deref()
            .and_then(crate::money::parse_number)
            .and_then(|f| f.to_decimals(decimals).or_else(|| f.truncated(decimals)));
        match fee {
            Some(value) => crate::money::Amount::new(value, decimals),
            None => crate::money::Amount::zero(decimals),
        }
    }
}

/// The demo merchant's API key (also used by `spawn_sandbox()`).
pub const DEMO_API_KEY: &str = "demo1234.sandboxdemoapikey0000000000000";
/// The demo merchant's webhook HMAC key.
pub const DEMO_WEBHOOK_HMAC_KEY: &str = "pos-demo-hmac-key";

const DEMO_MERCHANT_TOML: &str = r#"
name = "Ottu POS Demo Shop"
api_keys = ["demo1234.sandboxdemoapikey0000000000000"]
default_expiration = "1 00:00:00"
webhook_hmac_key = "pos-demo-hmac-key"

[[gateways]]
pg_code = "knet"
name = "KNET"
pg = "knet"
currencies = ["KWD"]
fee = "0"
tags = ["pos", "e_commerce", "demo", "test"]

[[gateways]]
pg_code = "credit-card"
name = "Credit Card"
pg = "mpgs"
currencies = ["KWD", "BHD", "OMR", "SAR", "AED", "QAR", "USD", "EUR", "GBP", "EGP", "JOD"]
tokenizable = true

[[gateways]]
pg_code = "card-auth"
name = "Card (authorize)"
pg = "mpgs"
currencies = ["KWD", "USD"]
operation = "authorize"

[[gateways]]
pg_code = "benefit"
name = "BENEFIT"
pg = "benefit"
currencies = ["BHD"]

# Cash at the counter (Ottu's `cod` gateway family): transactions offering it can be
# acknowledged as paid in cash (`POST /b/pbl/v2/payment/cash/`); no external operations.
[[gateways]]
pg_code = "cash"
name = "Cash"
pg = "cod"
currencies = ["KWD", "BHD", "OMR", "SAR", "AED", "QAR", "USD", "EUR", "GBP", "EGP", "JOD"]
tags = ["pos", "demo", "test"]
operations = []
"#;

impl MerchantConfig {
    /// Parses a merchant TOML document and checks it for mistakes.
    pub fn from_toml(text: &str) -> Result<Self, ConfigError> {
        let merchant: MerchantConfig =
            toml::from_str(text).map_err(|e| ConfigError::Parse(e.to_string()))?;
        merchant.check()?;
        Ok(merchant)
    }

    /// The built-in demo merchant.
    pub fn demo() -> Self {
        Self::from_toml(DEMO_MERCHANT_TOML).expect("the built-in demo merchant is valid")
    }

    fn check(&self) -> Result<(), ConfigError> {
        if crate::duration::parse_duration(&self.default_expiration).is_none() {
            return Err(ConfigError::Invalid(format!(
                "default_expiration {:?} is not a duration like `1 00:00:00`",
                self.default_expiration
            )));
        }
        for gateway in &self.gateways {
            if gateway.pg_code.is_empty()
                || !gateway
                    .pg_code
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return Err(ConfigError::Invalid(format!(
                    "gateway pg_code {:?} must be a non-empty slug",
                    gateway.pg_code
                )));
            }
            for currency in &gateway.currencies {
                if crate::money::currency_decimals(currency).is_none() {
                    return Err(ConfigError::Invalid(format!(
                        "gateway {}: unknown currency {currency:?}",
                        gateway.pg_code
                    )));
                }
            }
            for plugin in &gateway.plugins {
                if plugin != "payment_request" && plugin != "e_commerce" {
                    return Err(ConfigError::Invalid(format!(
                        "gateway {}: plugin {plugin:?} is not payment_request or e_commerce",
                        gateway.pg_code
                    )));
                }
            }
            if !GATEWAY_OPERATIONS.contains(&gateway.operation.as_str()) {
                return Err(ConfigError::Invalid(format!(
                    "gateway {}: operation {:?} is not purchase or authorize",
                    gateway.pg_code, gateway.operation
                )));
            }
            if let Some(op) = gateway
                .operations
                .iter()
                .flatten()
                .find(|o| !EXTERNAL_OPERATIONS.contains(&o.as_str()))
            {
                return Err(ConfigError::Invalid(format!(
                    "gateway {}: operation {op:?} is not refund, capture or void",
                    gateway.pg_code
                )));
            }
            if let Some(tag) = gateway
                .tags
                .iter()
                .find(|t| !GATEWAY_TAGS.contains(&t.as_str()))
            {
                return Err(ConfigError::Invalid(format!(
                    "gateway {}: tag {tag:?} is not one of Ottu's tags",
                    gateway.pg_code
                )));
            }
            if let Some(fee) = &gateway.fee
                && crate::money::parse_number(fee).is_none()
            {
                return Err(ConfigError::Invalid(format!(
                    "gateway {}: fee {fee:?} is not a decimal",
                    gateway.pg_code
                )));
            }
        }
        let mut codes: Vec<&str> = self.gateways.iter().map(|g| g.pg_code.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        if codes.len() != self.gateways.len() {
            return Err(ConfigError::Invalid(
                "two gateways share a pg_code".to_owned(),
            ));
        }
        Ok(())
    }
}

/// A config file or value that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The TOML could not be parsed.
    #[error("config file is not valid: {0}")]
    Parse(String),
    /// The TOML parsed but a value is unusable.
    #[error("config is not usable: {0}")]
    Invalid(String),
    /// The file could not be read.
    #[error("cannot read config file {path}: {message}")]
    Read { path: String, message: String },
}

impl SandboxConfig {
    /// The built-in demo merchant, storing its database in `data_dir`, on any free port.
    pub fn demo(data_dir: impl AsRef<Path>) -> Self {
        Self::new(
            data_dir.as_ref().join("ottu-sandbox.sqlite3"),
            MerchantConfig::demo(),
        )
    }

    /// A config for `merchant` stored in `db_path`, on any free port, with default settings.
    pub fn new(db_path: impl Into<PathBuf>, merchant: MerchantConfig) -> Self {
        Self {
            port: 0,
            db_path: db_path.into(),
            public_base_url: None,
            merchant,
            webhooks: WebhookSettings::default(),
            body_limit_bytes: 4 * 1024 * 1024,
            read_connections: 4,
            duplicate_order_no: DuplicateOrderNo::Allow,
            durability: Durability::Normal,
            limits: crate::throttle::Limits::default(),
            payer_listen: None,
        }
    }

    /// Reads the merchant part from a TOML file.
    pub fn merchant_from_file(path: &Path) -> Result<MerchantConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        MerchantConfig::from_toml(&text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_merchant_parses_and_has_knet_for_kwd() {
        let demo = MerchantConfig::demo();
        assert_eq!(demo.api_keys, vec![DEMO_API_KEY.to_owned()]);
        assert_eq!(demo.webhook_hmac_key, DEMO_WEBHOOK_HMAC_KEY);
        let knet = demo.gateways.iter().find(|g| g.pg_code == "knet").unwrap();
        assert_eq!(knet.currencies, vec!["KWD"]);
    }

    #[test]
    fn a_gateway_with_an_unknown_currency_is_refused() {
        let err = MerchantConfig::from_toml(
            "[[gateways]]\npg_code = \"x\"\nname = \"X\"\ncurrencies = [\"ZZZ\"]\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("ZZZ"), "{err}");
    }

    #[test]
    fn the_example_config_file_parses() {
        let merchant = MerchantConfig::from_toml(include_str!("../sandbox.example.toml")).unwrap();
        assert_eq!(merchant.users.len(), 2);
        assert!(merchant.users[0].password_hash.verify("change-me"));
        assert_eq!(
            merchant.public_base_url.as_deref(),
            Some("http://127.0.0.1:8411")
        );
    }

    #[test]
    fn an_unknown_key_in_the_config_is_refused() {
        let err = MerchantConfig::from_toml("colour = \"red\"\n").unwrap_err();
        assert!(err.to_string().contains("colour"), "{err}");
    }
}
