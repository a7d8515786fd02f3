//! The pg_code choices: which payment gateways the active profile may use for a currency.
//!
//! They come from Ottu's payment-methods call (`{"plugin":"payment_request","currencies":[c]}`),
//! which for a Basic user lists only the gateways that user holds "Can use …" for. Ottu asks
//! integrators to cache the list (it changes when an admin edits gateways, i.e. rarely), so the
//! answer is kept per profile and currency in memory and in `<data_dir>/gateways-cache.json` for
//! [`DEFAULT_TTL`]; [`GatewayCache::clear_profile`] forgets a profile's entries (the "refresh"
//! button, and whenever a profile's host or credentials change).
//!
//! An empty list is an error, not an empty picker: no sale can be made without a gateway, and the
//! message tells the user what to ask their Ottu admin for.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ottu_checkout::CurrencyCode;
use ottu_checkout::checkout::CheckoutType;
use ottu_checkout::payment_methods::PaymentMethodsQuery;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::settings::write_atomically;

/// How long a fetched list is trusted (Ottu suggests 24 h to a week).
pub const DEFAULT_TTL: Duration = Duration::from_secs(24 * 60 * 60);
const CACHE_FILE_NAME: &str = "gateways-cache.json";

/// One gateway in the pg_code picker (docs/architecture.md `Gateway`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Gateway {
    /// The pg_code sent with a sale, e.g. `knet`.
    pub code: String,
    /// Display name, e.g. `KNET` (the code when the server sends none).
    pub name: String,
    /// Logo URL, when the server sends one.
    pub icon_url: Option<String>,
    /// Post-payment operations the gateway supports (`refund`, `capture`, `void`), from the
    /// payment-methods answer; cached with the list, as Ottu advises.
    #[serde(default)]
    pub operations: Vec<String>,
    /// Whether itemised sales (Ottu's Invoice API) may use it: a purchase gateway. The Invoice
    /// API refuses gateways set up for authorize-then-capture. A gateway whose mode the server
    /// does not say counts as purchase, Ottu's default.
    #[serde(default = "purchase_by_default")]
    pub takes_invoices: bool,
}

fn purchase_by_default() -> bool {
    true
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct CacheEntry {
    /// Seconds since the Unix epoch.
    fetched_at: u64,
    gateways: Vec<Gateway>,
}

/// Gateway lists per `(profile, currency)`, in memory and on disk.
#[derive(Debug)]
pub struct GatewayCache {
    path: PathBuf,
    ttl: Duration,
    /// Key: `<profile_id>/<currency>`. Loaded from the file on first use.
    entries: Mutex<Option<BTreeMap<String, CacheEntry>>>,
}

impl GatewayCache {
    /// A cache stored in `data_dir`.
    pub fn new(data_dir: &Path, ttl: Duration) -> Self {
        Self {
            path: data_dir.join(CACHE_FILE_NAME),
            ttl,
            entries: Mutex::new(None),
        }
    }

    /// The gateways `client` may use for `currency`, from the cache when fresh.
    pub async fn get_or_fetch(
        &self,
        profile_id: &str,
        currency: &CurrencyCode,
        client: &ottu_checkout::Client,
    ) -> Result<Vec<Gateway>> {
        let key = cache_key(profile_id, currency);
        if let Some(gateways) = self.fresh(&key) {
            return Ok(gateways);
        }
        let gateways = fetch_gateways(client, currency).await?;
        self.store(key, gateways.clone());
        Ok(gateways)
    }

    /// Forgets every list of `profile_id`.
    pub fn clear_profile(&self, profile_id: &str) {
        let prefix = format!("{profile_id}/");
        self.update(|entries| entries.retain(|key, _| !key.starts_with(&prefix)));
    }

    fn fresh(&self, key: &str) -> Option<Vec<Gateway>> {
        let now = unix_now();
        let mut guard = self.lock();
        let entries = guard.get_or_insert_with(|| load(&self.path));
        let entry = entries.get(key)?;
        let age = now.saturating_sub(entry.fetched_at);
        (age < self.ttl.as_secs() && entry.fetched_at <= now).then(|| entry.gateways.clone())
    }

    fn store(&self, key: String, gateways: Vec<Gateway>) {
        self.update(|entries| {
            entries.insert(
                key,
                CacheEntry {
                    fetched_at: unix_now(),
                    gateways,
                },
            );
        });
    }

    fn update(&self, change: impl FnOnce(&mut BTreeMap<String, CacheEntry>)) {
        let mut guard = self.lock();
        let entries = guard.get_or_insert_with(|| load(&self.path));
        change(entries);
        // The cache is an optimisation: failing to persist it only costs a later fetch.
        match serde_json::to_vec_pretty(&*entries) {
            Ok(bytes) => {
                if let Err(error) = write_atomically(&self.path, &bytes) {
                    tracing::warn!(%error, "could not save the gateway cache");
                }
            }
            Err(error) => tracing::warn!(%error, "could not encode the gateway cache"),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<BTreeMap<String, CacheEntry>>> {
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn cache_key(profile_id: &str, currency: &CurrencyCode) -> String {
    format!("{profile_id}/{}", currency.as_str())
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

/// A missing or damaged cache file is an empty cache.
fn load(path: &Path) -> BTreeMap<String, CacheEntry> {
    std::fs::read(path)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

/// Asks the server which gateways take `currency` for payment requests.
///
/// Errors: the server's refusal mapped by [`map_client_error`]; an empty answer is
/// [`Error::Forbidden`] with what to ask the Ottu admin for.
pub async fn fetch_gateways(
    client: &ottu_checkout::Client,
    currency: &CurrencyCode,
) -> Result<Vec<Gateway>> {
    let query = PaymentMethodsQuery::new(CheckoutType::PaymentRequest).currency(*currency);
    let list = client
        .payment_methods()
        .list(&query)
        .await
        .map_err(map_client_error)?;
    let gateways: Vec<Gateway> = list
        .payment_methods
        .into_iter()
        .filter(|gateway| gateway.accepts(currency))
        .map(|gateway| Gateway {
            name: gateway
                .name
                .filter(|name| !name.trim().is_empty())
                .unwrap_or_else(|| gateway.code.as_str().to_owned()),
            code: gateway.code.as_str().to_owned(),
            icon_url: gateway.logo.filter(|url| !url.trim().is_empty()),
            takes_invoices: gateway.operation
                != Some(ottu_checkout::checkout::GatewayOperation::Authorize),
            operations: gateway.operations,
        })
        .collect();
    if gateways.is_empty() {
        return Err(Error::Forbidden {
            detail: no_gateway_message(currency),
        });
    }
    Ok(gateways)
}

/// Plain words for "this account may use no gateway for this currency".
pub fn no_gateway_message(currency: &CurrencyCode) -> String {
    format!(
        "no payment gateway can be used for {code} payment requests with this account; ask your \
         Ottu administrator to enable a gateway for {code} and, for a dashboard user, to grant \
         \"Can add payment requests\" and \"Can use <gateway>\"",
        code = currency.as_str()
    )
}

/// Maps a client error of a read-only call (payment methods, retrieve) to the crate's error.
pub fn map_client_error(error: ottu_checkout::Error) -> Error {
    use ottu_checkout::Error as E;
    match error {
        E::Unauthorized { .. } => Error::Unauthorized,
        E::Forbidden { body } | E::Locked { body } => Error::Forbidden {
            detail: body.summary(),
        },
        E::NotFound { body } => Error::NotFound(crate::problem!(
            ServerNotFound,
            server_text = body.summary()
        )),
        E::Validation { body, .. } => Error::ApiRejected {
            problem: crate::problem!(ServerRefused, server_text = body.summary()),
            fields: Default::default(),
        },
        E::Config { message } => Error::NotConfigured(crate::problem!(
            ConnectionSettingsUnusable,
            detail = message
        )),
        other @ (E::Timeout | E::Transport { .. } | E::Server { .. } | E::RateLimited { .. }) => {
            Error::network(other)
        }
        other => Error::Internal(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn knet() -> Vec<Gateway> {
        vec![Gateway {
            code: "knet".to_owned(),
            name: "KNET".to_owned(),
            icon_url: None,
            operations: vec!["refund".to_owned()],
            takes_invoices: true,
        }]
    }

    #[test]
    fn a_stored_list_is_served_from_memory_and_from_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let cache = GatewayCache::new(dir.path(), DEFAULT_TTL);
        let key = cache_key("shop", &CurrencyCode::KWD);
        assert_eq!(cache.fresh(&key), None);
        cache.store(key.clone(), knet());
        assert_eq!(cache.fresh(&key), Some(knet()));

        let reopened = GatewayCache::new(dir.path(), DEFAULT_TTL);
        assert_eq!(
            reopened.fresh(&key),
            Some(knet()),
            "the file keeps the list"
        );
        assert_eq!(reopened.fresh(&cache_key("shop", &CurrencyCode::BHD)), None);
    }

    #[test]
    fn an_expired_list_is_not_served() {
        let dir = tempfile::tempdir().unwrap();
        let cache = GatewayCache::new(dir.path(), Duration::ZERO);
        let key = cache_key("shop", &CurrencyCode::KWD);
        cache.store(key.clone(), knet());
        assert_eq!(cache.fresh(&key), None);
    }

    #[test]
    fn clearing_a_profile_keeps_the_others() {
        let dir = tempfile::tempdir().unwrap();
        let cache = GatewayCache::new(dir.path(), DEFAULT_TTL);
        cache.store(cache_key("shop", &CurrencyCode::KWD), knet());
        cache.store(cache_key("shop-2", &CurrencyCode::KWD), knet());
        cache.clear_profile("shop");
        assert_eq!(cache.fresh(&cache_key("shop", &CurrencyCode::KWD)), None);
        assert_eq!(
            cache.fresh(&cache_key("shop-2", &CurrencyCode::KWD)),
            Some(knet())
        );
        let reopened = GatewayCache::new(dir.path(), DEFAULT_TTL);
        assert_eq!(reopened.fresh(&cache_key("shop", &CurrencyCode::KWD)), None);
    }

    #[test]
    fn a_damaged_cache_file_is_an_empty_cache() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CACHE_FILE_NAME), "{not json").unwrap();
        let cache = GatewayCache::new(dir.path(), DEFAULT_TTL);
        assert_eq!(cache.fresh(&cache_key("shop", &CurrencyCode::KWD)), None);
    }

    #[test]
    fn the_no_gateway_message_names_the_currency_and_the_permission() {
        let message = no_gateway_message(&CurrencyCode::KWD);
        assert!(
            message.contains("KWD") && message.contains("Can use"),
            "{message}"
        );
    }
}
