//! Shared set-up: the keyring guard and unique service names.

use pos_core::secrets::KeyringStore;

/// The variable `scripts/with-keyring.sh` sets.
pub const ENABLE_VAR: &str = "OTTU_POS_KEYRING_TESTS";

/// The keychain store. Panics (fails the test) when the throwaway keyring is not there: these
/// tests are `#[ignore]`d so a plain `cargo test` leaves them out and counts them as ignored,
/// and run explicitly under `scripts/with-keyring.sh`, where a missing keyring is a failure.
pub fn keyring(test: &str) -> KeyringStore {
    assert!(
        std::env::var(ENABLE_VAR).as_deref() == Ok("1"),
        "{test}: {ENABLE_VAR} is not 1, so no throwaway keyring is running; run \
         `scripts/with-keyring.sh cargo test -p pos-core --test keychain -- --ignored`"
    );
    KeyringStore::new()
}

/// A keychain service name no other test run uses, so runs cannot see each other's entries.
pub fn unique_service(test: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("ottu-pos-test-{test}-{}-{nanos}", std::process::id())
}
