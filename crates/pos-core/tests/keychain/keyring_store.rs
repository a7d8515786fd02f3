//! `KeyringStore` on its own: set, get, replace, delete.

use pos_core::secrets::{Secret, SecretKey, SecretStore};

use crate::helpers::{keyring, unique_service};

#[test]
#[ignore = "needs a throwaway Secret Service: scripts/with-keyring.sh (make test runs it)"]
fn a_secret_round_trips_through_the_os_keychain() {
    let store = keyring("a_secret_round_trips_through_the_os_keychain");
    let key = SecretKey::for_profile(&unique_service("round-trip"), "al-noor-cafe");
    assert_eq!(
        store.get(&key).unwrap(),
        None,
        "a fresh entry must be empty"
    );

    store.set(&key, &Secret::new("abcd1234.first-key")).unwrap();
    assert_eq!(
        store.get(&key).unwrap().map(|s| s.expose().to_owned()),
        Some("abcd1234.first-key".to_owned())
    );

    store
        .set(&key, &Secret::new("abcd1234.second-key"))
        .unwrap();
    assert_eq!(
        store.get(&key).unwrap().map(|s| s.expose().to_owned()),
        Some("abcd1234.second-key".to_owned()),
        "setting again replaces the secret"
    );

    store.delete(&key).unwrap();
    assert_eq!(store.get(&key).unwrap(), None);
    store
        .delete(&key)
        .expect("deleting a missing entry is not an error");
}

#[test]
#[ignore = "needs a throwaway Secret Service: scripts/with-keyring.sh (make test runs it)"]
fn entries_of_different_profiles_and_services_are_separate() {
    let store = keyring("entries_of_different_profiles_and_services_are_separate");
    let service = unique_service("separate");
    let other_service = unique_service("separate-other");
    let shop = SecretKey::for_profile(&service, "shop");
    store.set(&shop, &Secret::new("shop-key")).unwrap();

    assert_eq!(
        store
            .get(&SecretKey::for_profile(&service, "other-shop"))
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .get(&SecretKey::for_profile(&other_service, "shop"))
            .unwrap(),
        None
    );
    store.delete(&shop).unwrap();
}

#[test]
#[ignore = "needs a throwaway Secret Service: scripts/with-keyring.sh (make test runs it)"]
fn unicode_secrets_survive_the_round_trip() {
    let store = keyring("unicode_secrets_survive_the_round_trip");
    let key = SecretKey::for_profile(&unique_service("unicode"), "basic-user");
    let password = "كلمة-سر pässwörd ✓";
    store.set(&key, &Secret::new(password)).unwrap();
    assert_eq!(store.get(&key).unwrap().unwrap().expose(), password);
    store.delete(&key).unwrap();
}
