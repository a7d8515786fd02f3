//! Tests against the real OS keychain (gnome-keyring's Secret Service on Linux).
//!
//! They only run inside `scripts/with-keyring.sh`, which starts a throwaway, unlocked keyring on a
//! private D-Bus session and sets `OTTU_POS_KEYRING_TESTS=1`:
//!
//!     scripts/with-keyring.sh cargo test -p pos-core --test keychain -- --ignored
//!
//! They are `#[ignore]`d, so a plain `cargo test` never touches a developer's own keychain and
//! reports them as ignored (not passed); run without the keyring, each one fails.

mod cli_profiles;
mod helpers;
mod keyring_store;
