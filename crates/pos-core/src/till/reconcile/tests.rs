//! Reconciliation against the real sandbox over HTTP: a merchant profile on `spawn_sandbox()`,
//! link and cash sales of this till, another till's sale and a transaction this till never
//! recorded, and report files with planted differences (the sandbox's report plants). Every
//! planted difference must be found, and nothing else.

use ottu_sandbox::test_support::{TEST_API_KEY, spawn_sandbox_with};
use ottu_sandbox::{Limits, RateLimit};
use serde_json::json;

use crate::dto::{Sale, SaleDraft, SaleState};
use crate::problem::ProblemCode;
use crate::profiles::{AuthKind, ProfileInput};
use crate::reconcile::DifferenceKind;
use crate::secrets::Secret;
use crate::shifts::CashSaleInput;
use crate::store::CashOttuStatus;
use crate::till::Till;
use crate::till::cash_ottu::OttuCashSetupInput;
use crate::till::test_support::till;

fn merchant(base_url: &str) -> ProfileInput {
    ProfileInput {
        id: None,
        name: "Al Noor Cafe".to_owned(),
        base_url: base_url.to_owned(),
        auth: AuthKind::ApiKey,
        username: None,
        secret: Some(Secret::new(TEST_API_KEY)),
        default_currency: "KWD".to_owned(),
        default_pg_codes: vec!["knet".to_owned()],
    }
}

fn draft(amount: &str) -> SaleDraft {
    SaleDraft {
        amount: amount.to_owned(),
        currency_code: "KWD".to_owned(),
        ..SaleDraft::default()
    }
}

fn cash(amount: &str) -> CashSaleInput {
    CashSaleInput {
        amount: amount.into(),
        tendered: amount.into(),
        note: None,
        cart: None,
    }
}

/// A difference as compared here: kind, order number, the till's value, Ottu's value.
type Seen<'a> = (
    DifferenceKind,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
);

fn today() -> String {
    crate::clock::format_day(time::OffsetDateTime::now_utc().date())
}

#[tokio::test]
async fn every_planted_difference_is_found_and_nothing_else() {
    // One download an hour, so the second run meets the limit.
    let sandbox = spawn_sandbox_with(|config| {
        config.limits = Limits {
            report_downloads: Some(RateLimit {
                requests: 1,
                per_seconds: 3600,
            }),
            ..Limits::default()
        };
    })
    .await;
    let (till, _root) = till();
    till.unlock("1234").unwrap();
    let profile = till
        .save_profile(merchant(sandbox.base_url()))
        .await
        .unwrap();
    till.use_profile(&profile.id).await.unwrap();

    // Owner only, and only a gateway the connection offers.
    let unknown = till
        .set_ottu_cash_setup(OttuCashSetupInput {
            cash_pg_code: Some("nope".into()),
            till_id: None,
        })
        .await
        .unwrap_err();
    assert_eq!(
        unknown.field_errors()["cash_pg_code"][0].code,
        ProblemCode::CashGatewayUnknown
    );
    let setup = till
        .set_ottu_cash_setup(OttuCashSetupInput {
            cash_pg_code: Some("cash".into()),
            till_id: Some("t1".into()),
        })
        .await
        .unwrap();
    assert_eq!(
        (setup.cash_pg_code.as_deref(), setup.till_id.as_str()),
        (Some("cash"), "T1")
    );

    till.open_shift("10").await.unwrap();
    let matched = till.create_sale(draft("1.000")).await.unwrap();
    let amount_changed = till.create_sale(draft("2.000")).await.unwrap();
    let state_changed = till.create_sale(draft("3.000")).await.unwrap();
    let dropped = till.create_sale(draft("4.000")).await.unwrap();
    for sale in [&matched, &amount_changed, &state_changed, &dropped] {
        assert!(sale.order_no.starts_with("POS-T1-"), "{}", sale.order_no);
        assert_eq!(sale.state, SaleState::Created);
        // The marked cash gateway is the drawer's: links offer the others only.
        let offered =
            sandbox.session(sale.session_id.as_deref().unwrap()).await["pg_codes"].clone();
        let offered: Vec<String> = serde_json::from_value(offered).unwrap();
        assert!(
            !offered.is_empty() && !offered.iter().any(|code| code == "cash"),
            "{offered:?}"
        );
    }
    let cash_sale = till.cash_sale(cash("5.000")).await.unwrap().sale;
    assert!(
        cash_sale.order_no.starts_with("CASH-T1-"),
        "{}",
        cash_sale.order_no
    );
    let record = {
        let sales = till.sales().await.unwrap();
        sales
            .store()
            .cash_ottu_record(&cash_sale.id)
            .unwrap()
            .unwrap()
    };
    assert_eq!(record.status, CashOttuStatus::Acknowledged);
    let at_ottu = sandbox.session(record.session_id.as_deref().unwrap()).await;
    assert_eq!(
        (at_ottu["state"].as_str(), at_ottu["order_no"].as_str()),
        (Some("cod"), Some(cash_sale.order_no.as_str()))
    );

    // At Ottu only: a transaction of this till the history lacks, and another till's sale.
    let stray = format!("POS-T1-{}-ZZZZZZ", today().replace('-', ""));
    sandbox
        .create_payment_request("6.000", json!({"order_no": stray, "pg_codes": ["knet"]}))
        .await;
    sandbox
        .create_payment_request(
            "7.000",
            json!({"order_no": "POS-T2-20261203-AAAAAA", "pg_codes": ["knet"]}),
        )
        .await;
    for plant in [
        json!({"change": "drop", "order_no": dropped.order_no}),
        json!({"change": "amount", "order_no": amount_changed.order_no, "amount": "20.000"}),
        json!({"change": "state", "order_no": state_changed.order_no, "state": "paid"}),
    ] {
        assert_eq!(sandbox.control("faults/reports", plant).await.0, 200);
    }
    assert_eq!(
        sandbox
            .control("reports/generate", json!({"date": today()}))
            .await
            .0,
        200
    );

    // A cashier may not; a manager may.
    till.unlock("1111").unwrap();
    assert!(matches!(
        till.reconcile(&today(), &today()).await,
        Err(crate::error::Error::NotAllowed(_))
    ));
    till.unlock("2222").unwrap();
    let result = till.reconcile(&today(), &today()).await.unwrap();
    let found: Vec<Seen<'_>> = result
        .differences
        .iter()
        .map(|d| {
            (
                d.kind,
                d.order_no.as_deref(),
                d.ours.as_deref(),
                d.ottu.as_deref(),
            )
        })
        .collect();
    let mut expected: Vec<Seen<'_>> = vec![
        (
            DifferenceKind::AmountDiffers,
            Some(amount_changed.order_no.as_str()),
            Some("2.000"),
            Some("20.000"),
        ),
        (
            DifferenceKind::StateDiffers,
            Some(state_changed.order_no.as_str()),
            Some("created"),
            Some("paid"),
        ),
        (
            DifferenceKind::MissingAtOttu,
            Some(dropped.order_no.as_str()),
            Some("4.000"),
            None,
        ),
        (
            DifferenceKind::MissingHere,
            Some(stray.as_str()),
            None,
            Some("6.000"),
        ),
    ];
    expected.sort_by(|a, b| (a.1, a.0 as u8).cmp(&(b.1, b.0 as u8)));
    assert_eq!(found, expected);
    assert_eq!(result.till_id, "T1");
    assert_eq!(
        result.compared, 5,
        "four link sales and the acknowledged cash sale"
    );
    assert_eq!(result.matched, 2);
    assert_eq!(result.other_tills, 1);
    assert_eq!(result.report_files, 1);
    assert_eq!((result.cash_pending, result.cash_local_only), (0, 0));

    // The second download within the hour is refused: a clear code saying when to retry.
    let throttled = till.reconcile(&today(), &today()).await.unwrap_err();
    let problem = throttled.problem();
    assert_eq!(problem.code, ProblemCode::ReconcileThrottled);
    assert_eq!(
        problem.params.get("minutes").map(String::as_str),
        Some("60")
    );

    // Bad ranges name the field.
    let backwards = till
        .reconcile("2026-12-03", "2026-12-01")
        .await
        .unwrap_err();
    assert_eq!(
        backwards.field_errors()["to"][0].code,
        ProblemCode::ReconcileRangeBackwards
    );
    let long = till
        .reconcile("2026-11-01", "2026-12-01")
        .await
        .unwrap_err();
    assert_eq!(
        long.field_errors()["to"][0].code,
        ProblemCode::ReconcileRangeTooLong
    );
    let bad = till.reconcile("yesterday", "2026-12-01").await.unwrap_err();
    assert_eq!(
        bad.field_errors()["from"][0].code,
        ProblemCode::ReconcileDateInvalid
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_link_never_offers_the_gateway_marked_as_ottus_cash_method() {
    let sandbox = ottu_sandbox::spawn_sandbox().await;
    let (till, _root) = till();
    till.unlock("1234").unwrap();
    // No default gateways: a link offers every gateway of its currency.
    let profile = till
        .save_profile(ProfileInput {
            default_pg_codes: vec![],
            ..merchant(sandbox.base_url())
        })
        .await
        .unwrap();
    till.use_profile(&profile.id).await.unwrap();
    let offered = |sale: Sale| {
        let sandbox = &sandbox;
        async move {
            let session = sandbox.session(sale.session_id.as_deref().unwrap()).await;
            serde_json::from_value::<Vec<String>>(session["pg_codes"].clone()).unwrap()
        }
    };
    let before = offered(till.create_sale(draft("1.000")).await.unwrap()).await;
    assert!(before.iter().any(|code| code == "cash"), "{before:?}");
    till.set_ottu_cash_setup(OttuCashSetupInput {
        cash_pg_code: Some("cash".into()),
        till_id: None,
    })
    .await
    .unwrap();
    let after = offered(till.create_sale(draft("1.000")).await.unwrap()).await;
    let expected: Vec<String> = before.into_iter().filter(|code| code != "cash").collect();
    assert!(!expected.is_empty());
    assert_eq!(
        after, expected,
        "the drawer's gateway is left out, nothing else"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn without_a_marked_cash_gateway_a_cash_sale_is_local_only() {
    let sandbox = ottu_sandbox::spawn_sandbox().await;
    let (till, _root) = till();
    till.unlock("1234").unwrap();
    let profile = till
        .save_profile(merchant(sandbox.base_url()))
        .await
        .unwrap();
    till.use_profile(&profile.id).await.unwrap();
    till.open_shift("10").await.unwrap();
    let sale = till.cash_sale(cash("1.500")).await.unwrap().sale;
    let sales = till.sales().await.unwrap();
    let record = sales.store().cash_ottu_record(&sale.id).unwrap().unwrap();
    assert_eq!(record.status, CashOttuStatus::LocalOnly);
    assert!(
        sandbox
            .sessions_by_order_no(&sale.order_no)
            .await
            .is_empty()
    );
    // The default till id comes from the profile's id.
    assert!(
        sale.order_no.starts_with("CASH-ALNOORCA-"),
        "{}",
        sale.order_no
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_cash_sale_made_while_ottu_is_unreachable_is_kept_and_finished_later() {
    let sandbox = ottu_sandbox::spawn_sandbox().await;
    let (till, _root) = till();
    till.unlock("1234").unwrap();
    let profile = till
        .save_profile(merchant(sandbox.base_url()))
        .await
        .unwrap();
    till.use_profile(&profile.id).await.unwrap();
    till.set_ottu_cash_setup(OttuCashSetupInput {
        cash_pg_code: Some("cash".into()),
        till_id: Some("T9".into()),
    })
    .await
    .unwrap();
    till.open_shift("10").await.unwrap();
    // Ottu's create answers 500 and stores nothing: the sale is recorded here, the record waits.
    sandbox.arm_fault("status_500", 1, None).await;
    let sale = till.cash_sale(cash("2.250")).await.unwrap().sale;
    let store_record = |till: &Till, id: String| {
        let till = till.clone();
        async move {
            let sales = till.sales().await.unwrap();
            sales.store().cash_ottu_record(&id).unwrap().unwrap()
        }
    };
    let waiting = store_record(&till, sale.id.clone()).await;
    assert_eq!(
        waiting.status,
        CashOttuStatus::CreateUnknown,
        "a 500 may have been applied"
    );
    assert_eq!(
        till.get_sale(&sale.id).await.unwrap().state,
        SaleState::Paid
    );
    assert!(
        sandbox
            .sessions_by_order_no(&sale.order_no)
            .await
            .is_empty()
    );
    // Ottu's status query is refused in the first 10 minutes: still waiting, never re-sent.
    assert_eq!(till.retry_cash_at_ottu().await.unwrap(), 1);
    assert!(
        sandbox
            .sessions_by_order_no(&sale.order_no)
            .await
            .is_empty()
    );
    sandbox.shutdown().await;
}
