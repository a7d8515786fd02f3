//! Shared set-up: the skip rule and unique service names.

use std::io::Write;

use pos_core::secrets::KeyringStore;

/// The variable `scripts/with-keyring.sh` sets.
pub const ENABLE_VAR: &str = "OTTU_POS_KEYRING_TESTS";

/// The keychain store, or `None` (after printing why) when keychain tests are not enabled.
pub fn keyring_or_skip(test: &str) -> Option<KeyringStore> {
    if std::env::var(ENABLE_VAR).as_deref() == Ok("1") {
        Some(KeyringStore::new())
    } else {
        // Written to stderr directly: libtest captures `eprintln!` of passing tests, and the
        // reason for a skip must be visible.
        let _ = writeln!(
            std::io::stderr(),
            "skipping {test}: {ENABLE_VAR} is not 1; run `scripts/with-keyring.sh cargo test \
             -p pos-core --test keychain` to use a throwaway gnome-keyring"
        );
        None
    }
}

/// A keychain service name no other test run uses, so runs cannot see each other's entries.
pub fn unique_service(test: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("ottu-pos-test-{test}-{}-{nanos}", std::process::id())
}
