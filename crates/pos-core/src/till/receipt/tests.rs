//! `sale_receipt` on a real till: the demo sandbox over HTTP, the real catalog and settings.

use std::sync::Arc;
use std::time::Duration;

use crate::cart::{CartInput, CartLineInput};
use crate::catalog::CatalogItemInput;
use crate::dto::{Language, Sale, SaleDraft, SaleState};
use crate::error::Error;
use crate::problem::ProblemCode;
use crate::secrets::MemorySecretStore;
use crate::staff::StaffInput;
use crate::till::{Till, TillDirs};

/// A till whose owner has a PIN and is signed in.
fn till(root: &tempfile::TempDir) -> Till {
    let dirs = TillDirs {
        config_dir: root.path().join("config"),
        data_dir: root.path().join("data"),
    };
    let till = Till::open(dirs, Arc::new(MemorySecretStore::new())).unwrap();
    till.save_staff(StaffInput {
        id: Some("staff-1".into()),
        name: "Mona".into(),
        role: None,
        pin: Some("1234".into()),
    })
    .unwrap();
    till
}

/// Pays `sale` as the customer on the demo sandbox and waits until the till has seen it paid.
async fn pay(till: &Till, sale: &Sale) -> Sale {
    let base_url = till.app_state().await.unwrap().profile.base_url;
    let session_id = sale.session_id.as_deref().unwrap();
    let response = reqwest::Client::new()
        .post(format!("{base_url}/_sandbox/sessions/{session_id}/pay"))
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            let now = till.get_sale(&sale.id).await.unwrap();
            if now.state == SaleState::Paid {
                return now;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await
    .expect("the sale is seen paid")
}

#[tokio::test]
async fn a_paid_cart_sale_has_a_receipt_in_arabic_and_a_locked_till_shows_none() {
    let root = tempfile::tempdir().unwrap();
    let till = till(&root);
    let tea = till
        .save_catalog_item(CatalogItemInput {
            sku: "TEA".into(),
            name_en: "Karak tea".into(),
            name_ar: Some("شاي كرك".into()),
            price: "0.750".into(),
            currency_code: "KWD".into(),
            ..CatalogItemInput::default()
        })
        .await
        .unwrap();
    let sale = till
        .create_sale(SaleDraft {
            currency_code: "KWD".into(),
            cart: Some(CartInput {
                currency_code: "KWD".into(),
                lines: vec![CartLineInput {
                    item_id: Some(tea.id.clone()),
                    quantity: Some("2".into()),
                    ..CartLineInput::default()
                }],
                discount: None,
            }),
            ..SaleDraft::default()
        })
        .await
        .unwrap();
    let unpaid = till.sale_receipt(&sale.id, Language::En).await.unwrap_err();
    assert_eq!(unpaid.problem().code, ProblemCode::ReceiptNotPaid);

    let paid = pay(&till, &sale).await;
    let receipt = till.sale_receipt(&sale.id, Language::Ar).await.unwrap();
    assert_eq!(receipt.lines[0].name, "شاي كرك");
    assert_eq!(receipt.total, "1.500");
    assert_eq!(receipt.shop_name, "Demo Shop");
    assert_eq!(
        receipt.staff.as_ref().map(|s| s.name.as_str()),
        Some("Mona")
    );
    assert_eq!(receipt.ottu_reference, paid.session_id);
    assert_eq!(receipt.paid_at, paid.paid_at.unwrap());
    assert_eq!(
        till.sale_receipt(&sale.id, Language::En)
            .await
            .unwrap()
            .lines[0]
            .name,
        "Karak tea"
    );

    till.lock();
    assert!(matches!(
        till.sale_receipt(&sale.id, Language::En).await,
        Err(Error::Locked)
    ));
    till.shutdown().await;
}

#[tokio::test]
async fn a_saudi_sale_gets_the_tax_qr_once_the_vat_number_is_set() {
    let root = tempfile::tempdir().unwrap();
    let till = till(&root);
    let sale = till
        .create_sale(SaleDraft {
            amount: "11.50".into(),
            currency_code: "SAR".into(),
            ..SaleDraft::default()
        })
        .await
        .unwrap();
    pay(&till, &sale).await;
    let without = till.sale_receipt(&sale.id, Language::En).await.unwrap();
    assert_eq!(without.tax_qr, None);
    assert_eq!(
        without.tax_qr_problem.map(|p| p.code),
        Some(ProblemCode::ReceiptVatNumberMissing)
    );

    let mut settings = till.app_state().await.unwrap().settings;
    settings.vat_number = Some("300000000000003".into());
    till.save_settings(settings).await.unwrap();
    let with = till.sale_receipt(&sale.id, Language::En).await.unwrap();
    let qr = with.tax_qr.expect("the tax QR");
    assert_eq!(with.tax_qr_problem, None);
    assert_eq!(with.vat_number.as_deref(), Some("300000000000003"));
    let decoded = crate::zatca::SimplifiedInvoice {
        seller_name: "Demo Shop",
        vat_number: "300000000000003",
        timestamp: &qr_time(&with.paid_at),
        total_with_vat: "11.50",
        vat_total: "0.00",
    };
    assert_eq!(qr.payload, decoded.qr_payload().unwrap());
    till.shutdown().await;
}

/// `2026-12-03T21:00:00.250Z` → `2026-12-03T21:00:00Z`.
fn qr_time(stored: &str) -> String {
    format!("{}Z", &stored[..19])
}
