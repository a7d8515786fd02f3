//! Till tests: the real engine against the embedded demo and `spawn_sandbox()`, with the
//! in-memory secret store (the keychain itself is covered by `tests/keychain`).
//!
//! Over 400 lines on purpose: end-to-end tests of every till command against the real demo
//! sandbox, sharing one fixture.

use std::sync::Arc;
use std::time::Duration;

use ottu_sandbox::test_support::{TEST_API_KEY, TEST_PASSWORD};

use super::engine::choose_pg_codes;
use super::*;
use crate::connection::CheckKind;
use crate::dto::SaleState;
use crate::profiles::{AuthKind, DEMO_PROFILE_ID, ProfileKind};
use crate::secrets::{MemorySecretStore, Secret, SecretKey, default_service_name};
use crate::settings::{CONFIG_FILE_NAME, Theme};

struct Fixture {
    till: Till,
    secrets: Arc<MemorySecretStore>,
    dirs: TillDirs,
    _root: tempfile::TempDir,
}

/// A till whose owner has set a PIN (and is signed in), as a real Ottu connection requires.
fn fixture() -> Fixture {
    let f = fresh_fixture();
    f.till
        .save_staff(crate::staff::StaffInput {
            id: Some("staff-1".into()),
            name: "Owner".into(),
            role: None,
            pin: Some("1234".into()),
        })
        .unwrap();
    f
}

/// A till as first run leaves it: one owner without a PIN, no lock.
fn fresh_fixture() -> Fixture {
    let root = tempfile::tempdir().unwrap();
    let dirs = TillDirs {
        config_dir: root.path().join("config"),
        data_dir: root.path().join("data"),
    };
    let secrets = Arc::new(MemorySecretStore::new());
    let till = Till::open(dirs.clone(), secrets.clone()).unwrap();
    Fixture {
        till,
        secrets,
        dirs,
        _root: root,
    }
}

fn merchant_input(base_url: &str, secret: Option<&str>) -> ProfileInput {
    ProfileInput {
        id: None,
        name: "Al Noor Cafe".to_owned(),
        base_url: base_url.to_owned(),
        auth: AuthKind::ApiKey,
        username: None,
        secret: secret.map(Secret::new),
        default_currency: "KWD".to_owned(),
        default_pg_codes: vec![],
    }
}

fn draft(amount: &str) -> SaleDraft {
    SaleDraft {
        amount: amount.to_owned(),
        currency_code: "KWD".to_owned(),
        customer_phone: Some("+96550000000".to_owned()),
        ..SaleDraft::default()
    }
}

fn config_text(dirs: &TillDirs) -> String {
    std::fs::read_to_string(dirs.config_dir.join(CONFIG_FILE_NAME)).unwrap()
}

/// Acts as the customer: `POST /_sandbox/sessions/{id}/{action}` on the sandbox at `base_url`.
async fn payer(base_url: &str, session_id: &str, action: &str) {
    let response = reqwest::Client::new()
        .post(format!(
            "{base_url}/_sandbox/sessions/{session_id}/{action}"
        ))
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "{action}: {}",
        response.status()
    );
}

#[tokio::test]
async fn a_first_run_shows_the_demo_profile_without_starting_anything() {
    let f = fixture();
    let state = f.till.app_state().await.unwrap();
    assert_eq!(state.profile.id, DEMO_PROFILE_ID);
    assert_eq!(state.profile.kind, ProfileKind::Demo);
    assert_eq!(state.profile.default_currency, "KWD");
    assert_eq!(state.settings.shop_name, "Demo Shop");
    assert!(
        state
            .currencies
            .iter()
            .any(|c| c.code == "KWD" && c.decimals == 3)
    );
    assert_eq!(state.version, env!("CARGO_PKG_VERSION"));
    assert!(
        !f.dirs.data_dir.join("demo").exists(),
        "the demo starts on demand"
    );
}

#[tokio::test]
async fn prepare_starts_the_demo_before_the_first_sale() {
    let f = fixture();
    f.till.prepare().await.unwrap();
    let base_url = f.till.app_state().await.unwrap().profile.base_url;
    assert!(
        base_url.starts_with("http://127.0.0.1:"),
        "the demo profile points at {base_url:?}"
    );
    let answer = reqwest::get(format!("{base_url}/_sandbox/clock"))
        .await
        .unwrap();
    assert!(
        answer.status().is_success(),
        "sandbox clock: {}",
        answer.status()
    );
    // Already built: a second call and the first sale reuse the same engine and sandbox.
    f.till.prepare().await.unwrap();
    let sale = f.till.create_sale(draft("1.5")).await.unwrap();
    assert!(
        sale.checkout_url
            .as_deref()
            .unwrap_or_default()
            .starts_with(&base_url)
    );
    f.till.shutdown().await;
}

#[tokio::test]
async fn settings_are_validated_saved_and_survive_a_reopen() {
    let f = fixture();
    let bad = Settings {
        shop_name: " ".to_owned(),
        ..Settings::default()
    };
    let error = f.till.save_settings(bad).await.unwrap_err();
    assert_eq!(error.code(), "invalid_input");
    assert!(error.field_errors().contains_key("shop_name"));

    let good = Settings {
        shop_name: "Souq Sharq".to_owned(),
        theme: Theme::Dark,
        language: crate::dto::Language::Ar,
        ..Settings::default()
    };
    let state = f.till.save_settings(good.clone()).await.unwrap();
    assert_eq!(state.settings, good);
    let reopened = Till::open(f.dirs.clone(), f.secrets.clone()).unwrap();
    assert_eq!(reopened.app_state().await.unwrap().settings, good);
}

#[tokio::test]
async fn a_demo_sale_is_created_tracked_and_seen_paid() {
    let f = fixture();
    let mut updates = f.till.subscribe();
    let sale = f.till.create_sale(draft("12.5")).await.unwrap();
    assert_eq!(sale.state, SaleState::Created);
    assert_eq!(sale.amount, "12.500");
    assert_eq!(sale.profile_id, DEMO_PROFILE_ID);
    let link = sale.link.clone().expect("a link");
    let demo_url = f.till.app_state().await.unwrap().profile.base_url;
    assert!(
        link.starts_with(&demo_url),
        "{link} is served by the demo at {demo_url}"
    );
    assert!(
        sale.qr_svg
            .as_deref()
            .is_some_and(|svg| svg.contains("<svg"))
    );

    payer(&demo_url, sale.session_id.as_deref().unwrap(), "pay").await;
    let paid = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            let update = updates.recv().await.unwrap();
            if update.id == sale.id && update.state == SaleState::Paid {
                return update;
            }
        }
    })
    .await
    .expect("the tracker reports the payment");
    assert!(paid.paid_at.is_some());
    assert_eq!(
        f.till.get_sale(&sale.id).await.unwrap().state,
        SaleState::Paid
    );
    f.till.shutdown().await;
}

#[tokio::test]
async fn demo_gateways_are_listed_per_currency() {
    let f = fixture();
    let kwd = f.till.gateways("KWD").await.unwrap();
    assert!(kwd.iter().any(|g| g.code == "knet"));
    let bhd = f.till.gateways("bhd").await.unwrap();
    assert!(bhd.iter().all(|g| g.code != "knet"), "KNET takes only KWD");
    let error = f.till.gateways("KWDX").await.unwrap_err();
    assert!(error.field_errors().contains_key("currency"));
    f.till.shutdown().await;
}

#[tokio::test]
async fn a_merchant_profile_keeps_its_secret_in_the_store_only() {
    let f = fixture();
    let sandbox = ottu_sandbox::spawn_sandbox().await;
    let profile = f
        .till
        .save_profile(merchant_input(sandbox.base_url(), Some(TEST_API_KEY)))
        .await
        .unwrap();
    assert_eq!(profile.id, "al-noor-cafe");
    assert!(profile.secret_configured);
    assert_eq!(f.secrets.len(), 1);
    let key = SecretKey::for_profile(default_service_name(), "al-noor-cafe");
    assert_eq!(f.secrets.get(&key).unwrap().unwrap().expose(), TEST_API_KEY);

    let text = config_text(&f.dirs);
    assert!(
        !text.contains(TEST_API_KEY),
        "config.toml must not hold the key:\n{text}"
    );
    assert!(text.contains("al-noor-cafe"));
    let json = serde_json::to_string(&profile).unwrap();
    assert!(!json.contains(TEST_API_KEY));

    // Editing without a secret keeps the saved one.
    let mut edit = merchant_input(sandbox.base_url(), None);
    edit.id = Some(profile.id.clone());
    edit.name = "Al Noor Cafe (Salmiya)".to_owned();
    let edited = f.till.save_profile(edit).await.unwrap();
    assert!(edited.secret_configured);
    assert_eq!(f.secrets.get(&key).unwrap().unwrap().expose(), TEST_API_KEY);
}

#[tokio::test]
async fn a_new_profile_without_a_secret_names_the_field() {
    let f = fixture();
    let error = f
        .till
        .save_profile(merchant_input("https://alnoor.ottu.net", None))
        .await
        .unwrap_err();
    assert_eq!(error.code(), "invalid_input");
    assert!(error.field_errors().contains_key("secret"));
    assert!(f.secrets.is_empty());
}

#[tokio::test]
async fn sales_go_to_the_active_merchant_and_history_is_per_profile() {
    let f = fixture();
    let sandbox = ottu_sandbox::spawn_sandbox().await;
    let demo_sale = f.till.create_sale(draft("1")).await.unwrap();
    let profile = f
        .till
        .save_profile(merchant_input(sandbox.base_url(), Some(TEST_API_KEY)))
        .await
        .unwrap();
    let state = f.till.use_profile(&profile.id).await.unwrap();
    assert_eq!(state.profile.id, profile.id);

    let sale = f.till.create_sale(draft("7.250")).await.unwrap();
    assert_eq!(sale.profile_id, profile.id);
    assert!(
        sale.link
            .as_deref()
            .unwrap()
            .starts_with(sandbox.base_url())
    );
    let history = f.till.history(HistoryQuery::default()).await.unwrap();
    assert_eq!(
        history.sales.len(),
        1,
        "the demo sale belongs to the demo profile"
    );
    assert_eq!(history.sales[0].id, sale.id);
    assert!(f.till.get_sale(&demo_sale.id).await.is_err());

    let found = f.till.find_sale(&sale.order_no).await.unwrap();
    assert_eq!(found.id, sale.id);
    let found = f
        .till
        .find_sale(sale.session_id.as_deref().unwrap())
        .await
        .unwrap();
    assert_eq!(found.id, sale.id);
    assert_eq!(
        f.till.find_sale("nope").await.unwrap_err().code(),
        "not_found"
    );

    let canceled = f.till.cancel_sale(&sale.id).await.unwrap();
    assert_eq!(canceled.state, SaleState::Canceled);
    f.till.shutdown().await;
}

#[tokio::test]
async fn test_connection_uses_the_saved_secret_and_reports_each_problem() {
    let f = fixture();
    let sandbox = ottu_sandbox::spawn_sandbox().await;
    let profile = f
        .till
        .save_profile(merchant_input(sandbox.base_url(), Some(TEST_API_KEY)))
        .await
        .unwrap();
    let mut saved = merchant_input(sandbox.base_url(), None);
    saved.id = Some(profile.id.clone());
    let check = f.till.test_connection(saved.clone()).await.unwrap();
    assert_eq!(check.kind, CheckKind::Ok, "{}", check.message);

    let mut wrong = saved.clone();
    wrong.secret = Some(Secret::new("wrong123.key"));
    let check = f.till.test_connection(wrong).await.unwrap();
    assert_eq!(check.kind, CheckKind::BadCredentials);

    let nogateway = ProfileInput {
        auth: AuthKind::Basic,
        username: Some("nogateway".to_owned()),
        secret: Some(Secret::new(TEST_PASSWORD)),
        ..merchant_input(sandbox.base_url(), None)
    };
    let check = f.till.test_connection(nogateway).await.unwrap();
    assert_eq!(check.kind, CheckKind::MissingPermission);

    let bad_url = merchant_input("ftp://nowhere", Some("k"));
    let error = f.till.test_connection(bad_url).await.unwrap_err();
    assert!(error.field_errors().contains_key("base_url"));

    let demo = ProfileInput {
        id: Some(DEMO_PROFILE_ID.to_owned()),
        ..merchant_input("", None)
    };
    let check = f.till.test_connection(demo).await.unwrap();
    assert_eq!(check.kind, CheckKind::Ok, "{}", check.message);
    f.till.shutdown().await;
}

#[tokio::test]
async fn a_user_without_gateways_gets_a_clear_error_instead_of_an_empty_list() {
    let f = fixture();
    let sandbox = ottu_sandbox::spawn_sandbox().await;
    let input = ProfileInput {
        auth: AuthKind::Basic,
        username: Some("nogateway".to_owned()),
        secret: Some(Secret::new(TEST_PASSWORD)),
        ..merchant_input(sandbox.base_url(), None)
    };
    let profile = f.till.save_profile(input).await.unwrap();
    f.till.use_profile(&profile.id).await.unwrap();
    let error = f.till.gateways("KWD").await.unwrap_err();
    assert_eq!(error.code(), "forbidden");
    assert!(error.to_string().contains("Can use"), "{error}");
    let error = f.till.create_sale(draft("1")).await.unwrap_err();
    assert_eq!(error.code(), "forbidden");
    f.till.shutdown().await;
}

#[tokio::test]
async fn deleting_the_active_profile_removes_its_secret_and_falls_back_to_the_demo() {
    let f = fixture();
    let sandbox = ottu_sandbox::spawn_sandbox().await;
    let profile = f
        .till
        .save_profile(merchant_input(sandbox.base_url(), Some(TEST_API_KEY)))
        .await
        .unwrap();
    f.till.use_profile(&profile.id).await.unwrap();
    let state = f.till.delete_profile(&profile.id).await.unwrap();
    assert_eq!(state.profile.id, DEMO_PROFILE_ID);
    assert_eq!(state.profiles.len(), 1);
    assert!(f.secrets.is_empty());
    let error = f.till.delete_profile(DEMO_PROFILE_ID).await.unwrap_err();
    assert!(error.field_errors().contains_key("id"));
    let error = f.till.use_profile("gone").await.unwrap_err();
    assert!(error.field_errors().contains_key("id"));
}

#[tokio::test]
async fn a_profile_override_applies_to_this_till_only() {
    let f = fixture();
    let sandbox = ottu_sandbox::spawn_sandbox().await;
    let profile = f
        .till
        .save_profile(merchant_input(sandbox.base_url(), Some(TEST_API_KEY)))
        .await
        .unwrap();
    let options = TillOptions {
        profile_override: Some(profile.id.clone()),
        ..TillOptions::default()
    };
    let other = Till::open_with(f.dirs.clone(), f.secrets.clone(), options).unwrap();
    assert_eq!(other.app_state().await.unwrap().profile.id, profile.id);
    assert_eq!(
        f.till.app_state().await.unwrap().profile.id,
        DEMO_PROFILE_ID,
        "the saved choice is untouched"
    );
    let options = TillOptions {
        profile_override: Some("missing".to_owned()),
        ..TillOptions::default()
    };
    assert!(Till::open_with(f.dirs.clone(), f.secrets.clone(), options).is_err());
}

fn gateway(code: &str) -> Gateway {
    Gateway {
        code: code.to_owned(),
        name: code.to_uppercase(),
        icon_url: None,
        operations: Vec::new(),
        takes_invoices: true,
    }
}

#[test]
fn pg_codes_prefer_the_profile_defaults_the_server_offers() {
    let available = [gateway("knet"), gateway("credit-card")];
    assert_eq!(
        choose_pg_codes(&["credit-card".to_owned()], &available),
        vec!["credit-card"]
    );
    assert_eq!(
        choose_pg_codes(&["benefit".to_owned()], &available),
        vec!["knet", "credit-card"],
        "a default the currency does not offer falls back to every offered gateway"
    );
    assert_eq!(
        choose_pg_codes(&[], &available),
        vec!["knet", "credit-card"]
    );
}

#[test]
fn the_app_identifier_follows_the_build_profile() {
    assert_eq!(app_identifier().ends_with(".dev"), cfg!(debug_assertions));
}
