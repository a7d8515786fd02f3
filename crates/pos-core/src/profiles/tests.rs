use super::*;

fn input() -> ProfileInput {
    ProfileInput {
        id: None,
        name: " Al Noor Cafe ".to_owned(),
        base_url: "https://alnoor.ottu.net/".to_owned(),
        auth: AuthKind::ApiKey,
        username: None,
        secret: Some(Secret::new(" abc.def ")),
        default_currency: "kwd".to_owned(),
        default_pg_codes: vec![
            "KNET".to_owned(),
            "knet".to_owned(),
            "credit-card".to_owned(),
        ],
    }
}

#[test]
fn a_good_input_is_normalised() {
    let valid = input().validate(false).unwrap();
    assert_eq!(valid.name, "Al Noor Cafe");
    assert_eq!(valid.base_url, "https://alnoor.ottu.net");
    assert_eq!(valid.default_currency, "KWD");
    assert_eq!(valid.default_pg_codes, vec!["knet", "credit-card"]);
    assert_eq!(valid.secret.unwrap().expose(), "abc.def");
}

#[test]
fn every_bad_field_is_named() {
    let bad = ProfileInput {
        name: "".to_owned(),
        base_url: "ftp://x".to_owned(),
        auth: AuthKind::Basic,
        secret: Some(Secret::new("  ")),
        default_currency: "KWDX".to_owned(),
        default_pg_codes: vec!["kn et".to_owned()],
        ..input()
    };
    let errors = bad.validate(false).unwrap_err();
    for field in [
        "name",
        "base_url",
        "username",
        "secret",
        "default_currency",
        "default_pg_codes",
    ] {
        assert!(errors.contains_key(field), "{field} missing in {errors:?}");
    }
}

#[test]
fn a_new_profile_needs_a_secret_but_an_edit_may_keep_the_saved_one() {
    let without = ProfileInput {
        secret: None,
        ..input()
    };
    assert!(without.validate(false).unwrap_err().contains_key("secret"));
    assert!(without.validate(true).unwrap().secret.is_none());
}

#[test]
fn base_urls_must_be_https_except_on_loopback() {
    assert_eq!(
        normalize_base_url("merchant.ottu.net").unwrap(),
        "https://merchant.ottu.net"
    );
    assert_eq!(
        normalize_base_url("http://127.0.0.1:8080").unwrap(),
        "http://127.0.0.1:8080"
    );
    assert!(normalize_base_url("http://merchant.ottu.net").is_err());
    assert!(normalize_base_url("https://merchant.ottu.net/b/checkout").is_err());
    assert!(normalize_base_url("https://user:pw@merchant.ottu.net").is_err());
    assert!(normalize_base_url("https://").is_err());
}

#[test]
fn ids_are_unique_slugs_and_never_demo() {
    let existing = ["demo", "al-noor-cafe"];
    assert_eq!(
        new_profile_id("Al Noor Café!", existing.iter().copied()),
        "al-noor-caf"
    );
    assert_eq!(
        new_profile_id("Al Noor Cafe", existing.iter().copied()),
        "al-noor-cafe-2"
    );
    assert_eq!(new_profile_id("Demo", existing.iter().copied()), "merchant");
    assert_eq!(new_profile_id("مقهى", existing.iter().copied()), "merchant");
}

#[test]
fn the_secret_never_appears_in_debug_output_of_an_input() {
    let text = format!("{:?}", input());
    assert!(!text.contains("abc.def"), "{text}");
    assert!(text.contains("[redacted]"));
}

#[test]
fn an_input_carrying_a_secret_refuses_to_serialise() {
    assert!(serde_json::to_string(&input()).is_err());
    let without = ProfileInput {
        secret: None,
        ..input()
    };
    assert!(serde_json::to_string(&without).is_ok());
}

#[test]
fn profile_json_uses_the_contract_names() {
    let json =
        serde_json::to_value(StoredProfile::demo().to_profile("http://127.0.0.1:1")).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"id": "demo", "name": "Demo", "kind": "demo",
                "base_url": "http://127.0.0.1:1", "auth": "api_key", "username": null,
                "secret_configured": true, "default_currency": "KWD", "default_pg_codes": []})
    );
}
