//! Where API keys and passwords live: the OS keychain, never a file.
//!
//! [`SecretStore`] is the seam: [`KeyringStore`] talks to the platform store through `keyring`
//! (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows) and
//! [`MemorySecretStore`] keeps secrets in memory for unit tests and throwaway runs;
//! [`EnvSecretStore`] reads the one secret in use from a named environment variable (the CLI's
//! `--secret-from-env`, for headless machines and tests).
//!
//! Entries are namespaced by a *service* name ([`default_service_name`]: `ottu-pos` in release
//! builds, `ottu-pos-dev` in debug builds, so a developer's test runs never touch the real app's
//! keys) and an *account* derived from the profile id ([`SecretKey::for_profile`]).
//!
//! The calls are blocking (D-Bus round trips of ~100 ms on Linux); async callers run them on a
//! blocking thread.

// keyring keeps secrets in memory only when no native store is compiled in: refuse to build
// such a till rather than lose merchants' keys at every restart (see Cargo.toml).
#[cfg(not(any(
    target_os = "linux",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "macos",
    windows
)))]
compile_error!(
    "no native keychain store is compiled in for this platform: add keyring's feature for it"
);

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Keychain service name of release builds.
pub const RELEASE_SERVICE_NAME: &str = "ottu-pos";
/// Keychain service name of debug builds, so development never reads or overwrites real keys.
pub const DEV_SERVICE_NAME: &str = "ottu-pos-dev";

/// The keychain service name of this build: [`RELEASE_SERVICE_NAME`] or [`DEV_SERVICE_NAME`].
pub fn default_service_name() -> &'static str {
    if cfg!(debug_assertions) {
        DEV_SERVICE_NAME
    } else {
        RELEASE_SERVICE_NAME
    }
}

/// A secret value (API key or password).
///
/// `Debug` and `Display` print `[redacted]`; serialising one fails, so a secret can never leak
/// into a DTO sent to the UI, a JSON file or a log line by accident. Read it with
/// [`Secret::expose`] at the single place that needs the clear text (building the HTTP client).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a clear-text secret.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The clear text. Call only where the secret is handed to the keychain or the HTTP client.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// True when the secret is empty or only whitespace.
    pub fn is_blank(&self) -> bool {
        self.0.trim().is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret)
    }
}

/// Refuses: a secret is write-only from the UI's point of view and never goes back out.
impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, _serializer: S) -> Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom("a secret is never serialised"))
    }
}

/// Which keychain entry: a service name plus an account name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SecretKey {
    /// Keychain service, e.g. `ottu-pos-dev`.
    pub service: String,
    /// Account inside the service, e.g. `profile:my-shop`.
    pub account: String,
}

impl SecretKey {
    /// The entry holding the API key or password of the merchant profile `profile_id`.
    pub fn for_profile(service: &str, profile_id: &str) -> Self {
        Self {
            service: service.to_owned(),
            account: format!("profile:{profile_id}"),
        }
    }
}

/// Why the secret store failed. Messages never contain the secret itself.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    /// The keychain cannot be reached or is locked (no Secret Service, no session bus...).
    #[error("the OS keychain is not available: {0}")]
    Unavailable(String),
    /// The keychain answered with something unexpected.
    #[error("the OS keychain failed: {0}")]
    Failed(String),
}

/// Get, set and delete secrets by [`SecretKey`].
pub trait SecretStore: Send + Sync + fmt::Debug {
    /// The stored secret, or `None` when there is no entry.
    fn get(&self, key: &SecretKey) -> Result<Option<Secret>, SecretError>;
    /// Stores (or replaces) the secret.
    fn set(&self, key: &SecretKey, secret: &Secret) -> Result<(), SecretError>;
    /// Removes the entry; deleting a missing entry is not an error.
    fn delete(&self, key: &SecretKey) -> Result<(), SecretError>;
}

/// The OS keychain through `keyring`.
#[derive(Debug, Default, Clone, Copy)]
pub struct KeyringStore;

impl KeyringStore {
    /// A store backed by the platform's default keychain.
    pub fn new() -> Self {
        Self
    }

    fn entry(key: &SecretKey) -> Result<keyring::Entry, SecretError> {
        keyring::Entry::new(&key.service, &key.account).map_err(map_keyring_error)
    }
}

impl SecretStore for KeyringStore {
    fn get(&self, key: &SecretKey) -> Result<Option<Secret>, SecretError> {
        match Self::entry(key)?.get_password() {
            Ok(value) => Ok(Some(Secret(value))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(error) => Err(map_keyring_error(error)),
        }
    }

    fn set(&self, key: &SecretKey, secret: &Secret) -> Result<(), SecretError> {
        Self::entry(key)?
            .set_password(secret.expose())
            .map_err(map_keyring_error)
    }

    fn delete(&self, key: &SecretKey) -> Result<(), SecretError> {
        match Self::entry(key)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(error) => Err(map_keyring_error(error)),
        }
    }
}

/// Keyring errors carry no secret (only platform messages and attribute names), so their text is
/// safe to show; it names what to fix (e.g. "no session bus").
fn map_keyring_error(error: keyring::Error) -> SecretError {
    match error {
        keyring::Error::NoStorageAccess(inner) => SecretError::Unavailable(format!(
            "the keychain is locked or has no default collection ({inner})"
        )),
        keyring::Error::PlatformFailure(inner) => SecretError::Unavailable(inner.to_string()),
        other => SecretError::Failed(other.to_string()),
    }
}

/// Secrets kept in process memory: for tests and for runs that must not touch the keychain.
#[derive(Default)]
pub struct MemorySecretStore {
    entries: Mutex<HashMap<SecretKey, Secret>>,
}

impl MemorySecretStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many secrets are stored (tests use it to prove nothing leaked into other entries).
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// True when no secret is stored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<SecretKey, Secret>> {
        // A panic while holding the lock cannot leave the map half-written, so poisoning is moot.
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl fmt::Debug for MemorySecretStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemorySecretStore")
            .field("entries", &self.len())
            .finish()
    }
}

impl SecretStore for MemorySecretStore {
    fn get(&self, key: &SecretKey) -> Result<Option<Secret>, SecretError> {
        Ok(self.lock().get(key).cloned())
    }

    fn set(&self, key: &SecretKey, secret: &Secret) -> Result<(), SecretError> {
        self.lock().insert(key.clone(), secret.clone());
        Ok(())
    }

    fn delete(&self, key: &SecretKey) -> Result<(), SecretError> {
        self.lock().remove(key);
        Ok(())
    }
}

/// The API key or password of whatever profile is in use, read from one environment variable
/// instead of the keychain: for headless machines without a Secret Service and for tests that
/// start CLI processes (the CLI's `--secret-from-env VAR`). The keychain is never touched.
///
/// Limited on purpose: only the variable's *name* is given (never the value on a command line),
/// every profile read gets that one value, nothing is ever written (storing a secret succeeds
/// only when it is the variable's own value, so `profile add` records `secret_configured`), and
/// `Debug` shows only the name.
#[derive(Debug, Clone)]
pub struct EnvSecretStore {
    var: String,
}

impl EnvSecretStore {
    /// Reads secrets from the environment variable `var`.
    pub fn new(var: impl Into<String>) -> Self {
        Self { var: var.into() }
    }

    fn value(&self) -> Option<Secret> {
        std::env::var(&self.var)
            .ok()
            .map(Secret::new)
            .filter(|secret| !secret.is_blank())
    }
}

impl SecretStore for EnvSecretStore {
    fn get(&self, _key: &SecretKey) -> Result<Option<Secret>, SecretError> {
        Ok(self.value())
    }

    fn set(&self, _key: &SecretKey, secret: &Secret) -> Result<(), SecretError> {
        if self.value().as_ref() == Some(secret) {
            Ok(())
        } else {
            Err(SecretError::Unavailable(format!(
                "secrets are read from the environment variable {} here, and nothing is stored: \
                 give the same secret through that variable",
                self.var
            )))
        }
    }

    fn delete(&self, _key: &SecretKey) -> Result<(), SecretError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_env_store_reads_its_variable_and_stores_nothing() {
        // A variable no other test sets; PATH is always set and never a secret.
        let store = EnvSecretStore::new("PATH");
        let key = SecretKey::for_profile("ottu-pos-dev", "shop");
        let path = Secret::new(std::env::var("PATH").unwrap());
        assert_eq!(store.get(&key).unwrap(), Some(path.clone()));
        assert!(store.set(&key, &path).is_ok());
        let refused = store.set(&key, &Secret::new("other")).unwrap_err();
        assert!(refused.to_string().contains("PATH"), "{refused}");
        assert!(!refused.to_string().contains("other"));
        assert_eq!(format!("{store:?}"), "EnvSecretStore { var: \"PATH\" }");
        let missing = EnvSecretStore::new("OTTU_POS_TEST_NO_SUCH_VARIABLE");
        assert_eq!(missing.get(&key).unwrap(), None);
    }

    #[test]
    fn secret_debug_and_display_are_redacted() {
        let secret = Secret::new("k3y.value");
        assert_eq!(format!("{secret:?}"), "[redacted]");
        assert_eq!(format!("{secret}"), "[redacted]");
        assert_eq!(
            format!("{:?}", Some(secret.clone())),
            "Some([redacted])",
            "nested debug output must not show the key either"
        );
        assert_eq!(secret.expose(), "k3y.value");
    }

    #[test]
    fn secret_refuses_to_serialise() {
        let error = serde_json::to_string(&Secret::new("k3y")).unwrap_err();
        assert!(error.to_string().contains("never serialised"), "{error}");
    }

    #[test]
    fn secret_deserialises_from_a_json_string() {
        let secret: Secret = serde_json::from_str("\"abc.def\"").unwrap();
        assert_eq!(secret.expose(), "abc.def");
    }

    #[test]
    fn memory_store_round_trips_and_deletes_idempotently() {
        let store = MemorySecretStore::new();
        let key = SecretKey::for_profile(DEV_SERVICE_NAME, "shop");
        assert_eq!(store.get(&key).unwrap(), None);
        store.set(&key, &Secret::new("one")).unwrap();
        store.set(&key, &Secret::new("two")).unwrap();
        assert_eq!(store.get(&key).unwrap(), Some(Secret::new("two")));
        store.delete(&key).unwrap();
        store.delete(&key).unwrap();
        assert_eq!(store.get(&key).unwrap(), None);
        assert!(store.is_empty());
    }

    #[test]
    fn keys_are_namespaced_by_service_and_profile() {
        let store = MemorySecretStore::new();
        store
            .set(&SecretKey::for_profile("a", "shop"), &Secret::new("1"))
            .unwrap();
        assert_eq!(
            store.get(&SecretKey::for_profile("b", "shop")).unwrap(),
            None
        );
        assert_eq!(
            store.get(&SecretKey::for_profile("a", "other")).unwrap(),
            None
        );
    }

    #[test]
    fn the_service_name_follows_the_build_profile() {
        let expected = if cfg!(debug_assertions) {
            DEV_SERVICE_NAME
        } else {
            RELEASE_SERVICE_NAME
        };
        assert_eq!(default_service_name(), expected);
        assert_ne!(DEV_SERVICE_NAME, RELEASE_SERVICE_NAME);
    }
}
