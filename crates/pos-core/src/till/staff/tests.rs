//! Staff and roles against the real till (demo sandbox, in-memory secret store): every rule of
//! the role table on the till's own commands, the lock, the PIN backoff, who made each sale, and
//! the rule that a saved secret only goes to the host it was saved for.

use std::sync::Arc;
use std::time::Duration;

use ottu_sandbox::test_support::TEST_API_KEY;

use crate::dto::{HistoryQuery, SaleDraft};
use crate::error::Error;
use crate::profiles::{AuthKind, ProfileInput};
use crate::secrets::{MemorySecretStore, Secret};
use crate::settings::Settings;
use crate::staff::{Role, StaffInput};
use crate::till::{Till, TillDirs};

fn till() -> (Till, TillDirs, tempfile::TempDir) {
    let root = tempfile::tempdir().unwrap();
    let dirs = TillDirs {
        config_dir: root.path().join("config"),
        data_dir: root.path().join("data"),
    };
    let till = Till::open(dirs.clone(), Arc::new(MemorySecretStore::new())).unwrap();
    (till, dirs, root)
}

fn person(name: &str, role: Role, pin: &str) -> StaffInput {
    StaffInput {
        id: None,
        name: name.into(),
        role: Some(role),
        pin: Some(pin.into()),
    }
}

fn owner_pin(pin: &str) -> StaffInput {
    StaffInput {
        id: Some("staff-1".into()),
        name: "Huda".into(),
        role: None,
        pin: Some(pin.into()),
    }
}

fn merchant(base_url: &str, secret: Option<&str>) -> ProfileInput {
    ProfileInput {
        id: None,
        name: "Al Noor Cafe".into(),
        base_url: base_url.into(),
        auth: AuthKind::ApiKey,
        username: None,
        secret: secret.map(Secret::new),
        default_currency: "KWD".into(),
        default_pg_codes: vec![],
    }
}

fn draft(amount: &str) -> SaleDraft {
    SaleDraft {
        amount: amount.into(),
        currency_code: "KWD".into(),
        ..SaleDraft::default()
    }
}

fn is_not_allowed(result: Result<impl std::fmt::Debug, Error>) -> bool {
    matches!(result, Err(Error::NotAllowed { .. }))
}

#[tokio::test]
async fn a_fresh_till_opens_to_the_keypad_as_its_owner_but_will_not_connect_ottu_without_a_pin() {
    let (till, _dirs, _root) = till();
    assert!(!till.lock_required());
    assert_eq!(till.current_staff().unwrap().role, Role::Owner);
    let sale = till.create_sale(draft("1")).await.unwrap();
    assert_eq!(sale.created_by.unwrap().id, "staff-1");
    let error = till
        .save_profile(merchant("https://alnoor.ottu.net", Some("k")))
        .await
        .unwrap_err();
    assert_eq!(error.code().as_str(), "not_configured");
    assert!(error.to_string().contains("owner PIN"));
    till.shutdown().await;
}

#[tokio::test]
async fn each_role_may_do_exactly_what_the_table_says_on_the_tills_own_commands() {
    let (till, dirs, _root) = till();
    till.save_staff(owner_pin("1234")).unwrap();
    let cashier = till
        .save_staff(person("Ali", Role::Cashier, "1111"))
        .unwrap();
    till.save_staff(person("Mona", Role::Manager, "2222"))
        .unwrap();
    let csv = dirs.data_dir.join("out.csv");
    let csv = csv.to_str().unwrap();

    // Cashier: sales yes; export, settings, connections, staff no.
    till.unlock("1111").unwrap();
    let sale = till.create_sale(draft("2.500")).await.unwrap();
    assert_eq!(sale.created_by.as_ref().unwrap().id, cashier.id);
    assert!(till.share_links(&sale.id).await.is_ok());
    assert!(till.cancel_sale(&sale.id).await.is_ok());
    assert!(is_not_allowed(
        till.export_csv(HistoryQuery::default(), csv).await
    ));
    assert!(is_not_allowed(
        till.save_settings(Settings::default()).await
    ));
    assert!(is_not_allowed(
        till.test_connection(merchant("https://a.ottu.net", Some("k")))
            .await
    ));
    assert!(is_not_allowed(till.use_profile("demo").await));
    assert!(is_not_allowed(till.staff()));
    let refused = till.save_settings(Settings::default()).await.unwrap_err();
    assert!(refused.to_string().contains("manager"), "{refused}");

    // Manager: also export and settings; still no connections or staff.
    till.unlock("2222").unwrap();
    assert_eq!(
        till.export_csv(HistoryQuery::default(), csv).await.unwrap(),
        1
    );
    assert!(till.save_settings(Settings::default()).await.is_ok());
    assert!(is_not_allowed(
        till.save_profile(merchant("https://a.ottu.net", Some("k")))
            .await
    ));
    assert!(is_not_allowed(till.delete_staff("staff-2")));

    // Owner: everything.
    till.unlock("1234").unwrap();
    assert_eq!(till.staff().unwrap().len(), 3);
    assert!(till.use_profile("demo").await.is_ok());

    // History carries and filters by who made the sale; so does the CSV.
    let mine = till
        .history(HistoryQuery {
            staff_id: Some(cashier.id.clone()),
            ..HistoryQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(mine.sales.len(), 1);
    let none = till
        .history(HistoryQuery {
            staff_id: Some("staff-3".into()),
            ..HistoryQuery::default()
        })
        .await
        .unwrap();
    assert!(none.sales.is_empty());
    let text = std::fs::read_to_string(dirs.data_dir.join("out.csv")).unwrap();
    assert!(text.lines().next().unwrap().ends_with(",staff"));
    assert!(text.contains(",Ali"), "{text}");
    till.shutdown().await;
}

#[tokio::test]
async fn the_till_locks_on_demand_and_when_idle_and_one_pin_switches_staff() {
    let (till, _dirs, _root) = till();
    till.save_staff(owner_pin("1234")).unwrap();
    till.save_staff(person("Ali", Role::Cashier, "1111"))
        .unwrap();
    assert!(till.lock_required());
    assert_eq!(
        till.current_staff().unwrap().name,
        "Huda",
        "stays signed in"
    );

    till.lock();
    assert!(till.current_staff().is_none());
    assert!(
        matches!(
            till.history(HistoryQuery::default()).await,
            Err(Error::Locked)
        ),
        "the history is not read while locked"
    );
    assert!(matches!(
        till.create_sale(draft("1")).await,
        Err(Error::Locked)
    ));
    assert_eq!(
        till.unlock("١١١١").unwrap().name,
        "Ali",
        "Arabic digits too"
    );
    assert!(till.create_sale(draft("1")).await.is_ok());

    // Five idle minutes (the default) lock it again.
    till.age_session(Duration::from_secs(5 * 60 + 1));
    assert!(matches!(
        till.create_sale(draft("1")).await,
        Err(Error::Locked)
    ));
    till.shutdown().await;
}

#[tokio::test]
async fn wrong_pins_back_off_and_a_restart_does_not_reset_the_count() {
    let (till, dirs, _root) = till();
    till.save_staff(owner_pin("1234")).unwrap();
    till.lock();
    for _ in 0..3 {
        let error = till.unlock("9999").unwrap_err();
        assert!(error.field_errors().contains_key("pin"));
    }
    // Even the right PIN waits now, also in a new process on the same files.
    let reopened = Till::open(dirs, Arc::new(MemorySecretStore::new())).unwrap();
    for candidate in [&till, &reopened] {
        let error = candidate.unlock("1234").unwrap_err();
        assert!(error.to_string().contains("too many wrong PINs"), "{error}");
    }
    till.shutdown().await;
}

#[tokio::test]
async fn pins_are_unique_and_the_last_owner_stays_owner() {
    let (till, _dirs, _root) = till();
    till.save_staff(owner_pin("1234")).unwrap();
    let error = till
        .save_staff(person("Ali", Role::Cashier, "1234"))
        .unwrap_err();
    assert!(error.field_errors().contains_key("pin"));
    let error = till
        .save_staff(StaffInput {
            role: Some(Role::Cashier),
            ..owner_pin("5678")
        })
        .unwrap_err();
    assert!(error.field_errors().contains_key("role"));
    assert!(till.delete_staff("staff-1").is_err(), "not yourself");
    let config = std::fs::read_to_string(till.dirs().config_dir.join("config.toml")).unwrap();
    assert!(config.contains("$argon2id$") && !config.contains("pin = \"1234\""));
    till.shutdown().await;
}

#[tokio::test]
async fn a_saved_secret_is_never_sent_to_a_host_it_was_not_saved_for() {
    let (till, _dirs, _root) = till();
    till.save_staff(owner_pin("1234")).unwrap();
    let sandbox = ottu_sandbox::spawn_sandbox().await;
    let saved = till
        .save_profile(merchant(sandbox.base_url(), Some(TEST_API_KEY)))
        .await
        .unwrap();

    // A listener standing in for a host someone typed: it must never be contacted.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let elsewhere = format!("http://{}", listener.local_addr().unwrap());
    let mut moved = merchant(&elsewhere, None);
    moved.id = Some(saved.id.clone());
    for attempt in [
        till.test_connection(moved.clone()).await.map(|_| ()),
        till.save_profile(moved.clone()).await.map(|_| ()),
    ] {
        let error = attempt.unwrap_err();
        assert!(error.field_errors().contains_key("secret"), "{error}");
    }
    let mut basic = merchant(sandbox.base_url(), None);
    basic.id = Some(saved.id.clone());
    basic.auth = AuthKind::Basic;
    basic.username = Some("cashier".into());
    assert!(
        till.test_connection(basic)
            .await
            .unwrap_err()
            .field_errors()
            .contains_key("secret")
    );
    let contacted = tokio::time::timeout(Duration::from_millis(300), listener.accept()).await;
    assert!(contacted.is_err(), "the typed host was contacted");

    // The same host keeps using the saved key; a new host with the key typed again is fine.
    let mut same = merchant(sandbox.base_url(), None);
    same.id = Some(saved.id.clone());
    assert!(till.test_connection(same).await.unwrap().ok);
    let mut retyped = moved;
    retyped.secret = Some(Secret::new("another key"));
    assert!(till.save_profile(retyped).await.is_ok());
    till.shutdown().await;
}

/// A paid demo sale made by whoever is signed in.
async fn paid_demo_sale(till: &Till, amount: &str) -> crate::dto::Sale {
    let sale = till.create_sale(draft(amount)).await.unwrap();
    let base = till.app_state().await.unwrap().profile.base_url;
    let response = reqwest::Client::new()
        .post(format!(
            "{base}/_sandbox/sessions/{}/pay",
            sale.session_id.as_deref().unwrap()
        ))
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success());
    let paid = till.check_sale(&sale.id).await.unwrap();
    assert_eq!(paid.state, crate::dto::SaleState::Paid);
    paid
}

fn refund_of(
    sale: &crate::dto::Sale,
    intent: &str,
    approver_pin: Option<&str>,
) -> crate::dto::OperationInput {
    crate::dto::OperationInput {
        intent_id: intent.into(),
        sale_id: sale.id.clone(),
        kind: crate::dto::OperationKind::Refund,
        amount: Some("1.000".into()),
        approver_pin: approver_pin.map(str::to_owned),
    }
}

#[tokio::test]
async fn a_cashier_refunds_only_with_a_managers_pin_and_never_voids() {
    let (till, _dirs, _root) = till();
    till.save_staff(owner_pin("1234")).unwrap();
    till.save_staff(person("Ali", Role::Cashier, "1111"))
        .unwrap();
    till.save_staff(person("Mona", Role::Manager, "2222"))
        .unwrap();
    till.unlock("1111").unwrap();
    let sale = paid_demo_sale(&till, "5.000").await;
    assert_eq!(
        sale.offered_operations,
        vec![crate::dto::OperationKind::Refund],
        "KNET refunds, per the payment-methods answer"
    );

    let alone = till.operate_sale(refund_of(&sale, "a", None)).await;
    assert!(is_not_allowed(alone));
    let own_pin = till.operate_sale(refund_of(&sale, "b", Some("1111"))).await;
    assert!(is_not_allowed(own_pin), "a cashier cannot approve");
    let approved = till
        .operate_sale(refund_of(&sale, "c", Some("2222")))
        .await
        .unwrap();
    let op = &approved.operations[0];
    assert_eq!(op.created_by.as_ref().unwrap().name, "Ali");
    assert_eq!(op.approved_by.as_ref().unwrap().name, "Mona");
    assert_eq!(approved.refundable_amount.as_deref(), Some("4.000"));
    let void = till
        .operate_sale(crate::dto::OperationInput {
            kind: crate::dto::OperationKind::Void,
            ..refund_of(&sale, "d", Some("2222"))
        })
        .await;
    assert!(is_not_allowed(void));

    // A manager refunds on their own.
    till.unlock("2222").unwrap();
    let by_manager = till
        .operate_sale(refund_of(&sale, "e", None))
        .await
        .unwrap();
    assert_eq!(by_manager.refundable_amount.as_deref(), Some("3.000"));
    assert!(by_manager.operations[1].approved_by.is_none());
    till.shutdown().await;
}

#[tokio::test]
async fn a_manager_captures_part_of_an_authorised_payment_and_voids_another() {
    let (till, _dirs, _root) = till();
    let authorised = |amount: &'static str| {
        let till = till.clone();
        async move {
            let sale = till
                .create_sale(SaleDraft {
                    pg_codes: Some(vec!["card-auth".into()]),
                    ..draft(amount)
                })
                .await
                .unwrap();
            let base = till.app_state().await.unwrap().profile.base_url;
            let response = reqwest::Client::new()
                .post(format!(
                    "{base}/_sandbox/sessions/{}/pay",
                    sale.session_id.as_deref().unwrap()
                ))
                .json(&serde_json::json!({"pg_code": "card-auth"}))
                .send()
                .await
                .unwrap();
            assert!(response.status().is_success());
            let sale = till.check_sale(&sale.id).await.unwrap();
            assert_eq!(sale.state, crate::dto::SaleState::Authorized);
            assert_eq!(
                sale.offered_operations,
                vec![
                    crate::dto::OperationKind::Capture,
                    crate::dto::OperationKind::Void
                ]
            );
            sale
        }
    };
    let op = |sale: &crate::dto::Sale, intent: &str, kind, amount: Option<&str>| {
        crate::dto::OperationInput {
            intent_id: intent.into(),
            sale_id: sale.id.clone(),
            kind,
            amount: amount.map(str::to_owned),
            approver_pin: None,
        }
    };
    use crate::dto::{OperationKind, OperationState};
    let first = authorised("6.000").await;
    let captured = till
        .operate_sale(op(&first, "cap", OperationKind::Capture, Some("4.000")))
        .await
        .unwrap();
    assert_eq!(captured.operations[0].state, OperationState::Done);
    assert_eq!(
        captured.operations[0].result_amount.as_deref(),
        Some("4.000")
    );
    let too_much = till
        .operate_sale(op(&first, "cap2", OperationKind::Capture, Some("2.001")))
        .await
        .unwrap_err();
    assert!(too_much.field_errors().contains_key("amount"), "{too_much}");

    let second = authorised("3.000").await;
    let voided = till
        .operate_sale(op(&second, "void", OperationKind::Void, None))
        .await
        .unwrap();
    assert_eq!(voided.operations[0].state, OperationState::Done);
    assert!(voided.offered_operations.is_empty());
    // Nothing is left to capture after a void.
    assert!(
        till.operate_sale(op(&second, "cap3", OperationKind::Capture, Some("1.000")))
            .await
            .is_err()
    );
    till.shutdown().await;
}

#[tokio::test]
async fn a_gateway_that_does_not_refund_is_not_offered_a_refund() {
    let (till, _dirs, _root) = till();
    till.save_staff(owner_pin("1234")).unwrap();
    // A merchant whose only KWD gateway lists no operations.
    let sandbox = ottu_sandbox::test_support::spawn_sandbox_with(|config| {
        for gateway in &mut config.merchant.gateways {
            gateway.operations = Some(Vec::new());
        }
    })
    .await;
    let profile = till
        .save_profile(merchant(sandbox.base_url(), Some(TEST_API_KEY)))
        .await
        .unwrap();
    till.use_profile(&profile.id).await.unwrap();
    let sale = till.create_sale(draft("2.000")).await.unwrap();
    sandbox.pay(sale.session_id.as_deref().unwrap(), None).await;
    let paid = till.check_sale(&sale.id).await.unwrap();
    assert_eq!(paid.state, crate::dto::SaleState::Paid);
    assert!(
        paid.offered_operations.is_empty(),
        "{:?}",
        paid.offered_operations
    );
    till.shutdown().await;
}

#[tokio::test]
async fn diagnostics_carry_no_secret_and_no_customer_details() {
    let (till, dirs, _root) = till();
    till.save_staff(owner_pin("1234")).unwrap();
    let sandbox = ottu_sandbox::spawn_sandbox().await;
    let profile = till
        .save_profile(merchant(sandbox.base_url(), Some(TEST_API_KEY)))
        .await
        .unwrap();
    till.use_profile(&profile.id).await.unwrap();
    till.create_sale(SaleDraft {
        customer_name: Some("Sara Al-Ahmad".into()),
        customer_phone: Some("+96550001234".into()),
        customer_email: Some("sara@example.com".into()),
        ..draft("4.500")
    })
    .await
    .unwrap();
    // A log that saw everything it should not have.
    let logs = dirs.data_dir.join("logs");
    std::fs::create_dir_all(&logs).unwrap();
    std::fs::write(
        logs.join("ottu-pos.log"),
        format!(
            "sent Authorization: Api-Key {TEST_API_KEY}\nbasic password=s3cret-pass\n\
             customer +965 5000 1234 <sara@example.com>\nkey again {TEST_API_KEY}\n\
             sale POS-20261203-ABCDEF paid\n"
        ),
    )
    .unwrap();
    let out = dirs.data_dir.join("diagnostics.zip");
    let summary = till.save_diagnostics(&out, Some(&logs)).await.unwrap();
    assert!(summary.files.contains(&"logs/ottu-pos.log".to_owned()));
    assert!(summary.files.contains(&"sales.json".to_owned()));

    let mut archive = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let mut everything = String::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        std::io::Read::read_to_string(&mut file, &mut everything).unwrap();
    }
    for planted in [
        TEST_API_KEY,
        "s3cret-pass",
        "+96550001234",
        "5000 1234",
        "sara@example.com",
        "Sara Al-Ahmad",
        "$argon2id$",
    ] {
        assert!(!everything.contains(planted), "{planted} is in the bundle");
    }
    assert!(
        everything.contains("POS-20261203-ABCDEF"),
        "the useful parts stay"
    );
    assert!(everything.contains("4.500"));

    // A cashier may not.
    till.save_staff(person("Ali", Role::Cashier, "1111"))
        .unwrap();
    till.unlock("1111").unwrap();
    assert!(is_not_allowed(till.save_diagnostics(&out, None).await));
    till.shutdown().await;
}

#[tokio::test]
async fn only_the_owner_updates_and_never_while_a_sale_can_be_paid() {
    use crate::updates::UpdateSettings;
    let (till, dirs, _root) = till();
    let https = UpdateSettings {
        endpoint: Some("https://updates.example.com/pos/latest.json".into()),
    };
    // Off until the owner sets an address: installing says where to set it.
    assert_eq!(till.update_settings().unwrap().endpoint, None);
    let unset = till.ready_to_install_update().await.unwrap_err();
    assert!(unset.to_string().contains("Settings"), "{unset}");
    // Plain http is refused, naming the field, and nothing is stored.
    let http = till
        .save_update_settings(UpdateSettings {
            endpoint: Some("http://updates.example.com/latest.json".into()),
        })
        .unwrap_err();
    assert!(matches!(&http, Error::InvalidInput { fields, .. } if fields.contains_key("endpoint")));
    assert_eq!(till.update_settings().unwrap().endpoint, None);
    till.save_update_settings(https.clone()).unwrap();
    // Stored in config.toml: a new till over the same folders reads it back.
    let again = Till::open(dirs.clone(), Arc::new(MemorySecretStore::new())).unwrap();
    assert_eq!(again.update_settings().unwrap(), https);

    // The owner may update while no sale is open.
    till.save_staff(owner_pin("1234")).unwrap();
    till.unlock("1234").unwrap();
    till.ready_to_install_update().await.unwrap();

    // An open sale (the demo's link, unpaid) holds the update back until it is cancelled.
    let sale = till.create_sale(draft("3.250")).await.unwrap();
    let held = till.ready_to_install_update().await.unwrap_err();
    assert!(matches!(held, Error::WrongState { .. }), "{held:?}");
    assert!(
        held.to_string().contains("1 sale(s) can still be paid"),
        "{held}"
    );
    till.cancel_sale(&sale.id).await.unwrap();
    till.ready_to_install_update().await.unwrap();

    // A manager and a cashier may neither see, set, check nor install.
    till.save_staff(person("Mona", Role::Manager, "2222"))
        .unwrap();
    till.save_staff(person("Ali", Role::Cashier, "1111"))
        .unwrap();
    for pin in ["2222", "1111"] {
        till.unlock(pin).unwrap();
        assert!(is_not_allowed(till.update_settings()));
        assert!(is_not_allowed(till.save_update_settings(https.clone())));
        assert!(is_not_allowed(till.update_endpoint()));
        assert!(is_not_allowed(till.ready_to_install_update().await));
    }
    till.shutdown().await;
}

#[tokio::test]
async fn cashiers_search_scan_and_price_carts_while_managers_change_the_catalog() {
    use crate::cart::{CartDiscount, CartInput, CartLineInput};
    use crate::catalog::{CatalogItemInput, CatalogQuery};

    let (till, dirs, _root) = till();
    till.save_staff(owner_pin("1234")).unwrap();
    till.save_staff(person("Ali", Role::Cashier, "1111"))
        .unwrap();
    till.save_staff(person("Mona", Role::Manager, "2222"))
        .unwrap();
    let tea = CatalogItemInput {
        sku: "TEA".into(),
        barcode: Some("6281000000011".into()),
        name_en: "Karak tea".into(),
        name_ar: Some("شاي كرك".into()),
        price: "0.250".into(),
        currency_code: "KWD".into(),
        vat_rate: 5,
        ..CatalogItemInput::default()
    };

    till.unlock("1111").unwrap();
    assert!(is_not_allowed(till.save_catalog_item(tea.clone()).await));
    let csv = dirs.data_dir.join("catalog.csv");
    assert!(is_not_allowed(till.export_catalog_csv(csv.clone()).await));

    till.unlock("2222").unwrap();
    let saved = till.save_catalog_item(tea).await.unwrap();
    assert_eq!(till.export_catalog_csv(csv.clone()).await.unwrap(), 1);
    let report = till.import_catalog_csv(csv).await.unwrap();
    assert_eq!((report.applied, report.updated), (true, 1));

    till.unlock("1111").unwrap();
    let found = till
        .catalog_search(CatalogQuery {
            text: Some("كرك".into()),
            ..CatalogQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(found[0].id, saved.id);
    let scanned = till
        .catalog_lookup("6281000000011".into())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(scanned.id, saved.id);
    assert!(is_not_allowed(
        till.archive_catalog_item(saved.id.clone(), scanned.version, true)
            .await
    ));
    let cart = CartInput {
        currency_code: "KWD".into(),
        lines: vec![
            CartLineInput {
                item_id: Some(saved.id.clone()),
                quantity: Some("2".into()),
                ..CartLineInput::default()
            },
            CartLineInput {
                unit_price: Some("1.000".into()),
                ..CartLineInput::default()
            },
        ],
        discount: Some(CartDiscount::Amount("0.100".into())),
    };
    // Shelf prices include VAT by default: 0.500 + 1.000 − 0.100.
    let totals = till.price_cart(cart.clone()).await.unwrap();
    assert_eq!(
        (totals.shelf_total.as_str(), totals.total.as_str()),
        ("1.400", "1.400")
    );
    assert_eq!(totals.lines[1].description, "Custom amount");

    till.unlock("2222").unwrap();
    till.archive_catalog_item(saved.id.clone(), scanned.version, true)
        .await
        .unwrap();
    till.unlock("1111").unwrap();
    let refused = till.price_cart(cart).await.unwrap_err();
    assert!(
        refused.field_errors().contains_key("lines.0.item_id"),
        "{refused:?}"
    );
    till.lock_now().await.unwrap();
    assert!(matches!(
        till.catalog_search(CatalogQuery::default()).await,
        Err(Error::Locked)
    ));
    till.shutdown().await;
}
