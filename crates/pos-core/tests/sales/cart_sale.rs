//! Itemised sales: a cart sold through Ottu's Invoice API on the sandbox over HTTP, under the
//! payment request's no-duplicate rules (record first, lost answer settled by cancelling its
//! order number, never sent twice), its lines kept for the receipt.

use pos_core::cart::{CartDiscount, CartInput, CartLineInput};
use pos_core::catalog::{Catalog, CatalogItem, CatalogItemInput};
use pos_core::dto::{SaleDraft, SaleEdit, SaleState};
use pos_core::store::Store;

use crate::helpers::{Env, env, server_sessions};

/// Karak tea, 0.250 KWD with 5 % VAT included, saved in the engine's own history file.
fn tea(env: &Env) -> CatalogItem {
    let store = Store::open(&env.history).unwrap();
    Catalog::new(&store)
        .save(&CatalogItemInput {
            sku: "TEA".into(),
            barcode: Some("6281000000011".into()),
            name_en: "Karak tea".into(),
            name_ar: Some("شاي كرك".into()),
            price: "0.250".into(),
            currency_code: "KWD".into(),
            vat_rate: 5,
            ..CatalogItemInput::default()
        })
        .unwrap()
}

/// Two teas and a custom 1.000 gift wrap, 0.100 off the whole sale: 1.400 KWD.
fn cart(tea: &CatalogItem) -> SaleDraft {
    SaleDraft {
        currency_code: "KWD".into(),
        customer_name: Some("Sara".into()),
        cart: Some(CartInput {
            currency_code: "KWD".into(),
            lines: vec![
                CartLineInput {
                    item_id: Some(tea.id.clone()),
                    quantity: Some("2".into()),
                    ..CartLineInput::default()
                },
                CartLineInput {
                    name: Some("Gift wrap".into()),
                    unit_price: Some("1.000".into()),
                    ..CartLineInput::default()
                },
            ],
            discount: Some(CartDiscount::Amount("0.100".into())),
        }),
        ..SaleDraft::default()
    }
}

/// Whether the server's transaction is an invoice: only an invoice has a PDF on the sandbox (a
/// payment request's answers 404).
async fn is_invoice(env: &Env, session_id: &str) -> bool {
    let pdf = reqwest::get(format!(
        "{}/invoice/pdf/{session_id}",
        env.sandbox.base_url()
    ))
    .await
    .unwrap();
    pdf.status() == 200
}

fn live(sessions: &[serde_json::Value]) -> usize {
    sessions
        .iter()
        .filter(|s| ["created", "pending"].contains(&s["state"].as_str().unwrap_or("")))
        .count()
}

#[tokio::test]
async fn a_cart_sale_is_an_invoice_with_a_qr_and_short_link_paid_and_its_lines_read_back() {
    let env = env().await;
    let tea = tea(&env);
    let sale = env.sales.create(cart(&tea)).await.unwrap();
    assert_eq!(sale.state, SaleState::Created);
    assert_eq!(
        (sale.amount.as_str(), sale.currency_code.as_str()),
        ("1.400", "KWD")
    );
    let short = sale.short_url.clone().expect("a short link");
    assert_eq!(sale.link.as_deref(), Some(short.as_str()));
    assert!(
        sale.qr_svg
            .as_deref()
            .is_some_and(|svg| svg.contains("<svg"))
    );

    // On the server: one invoice transaction with the order number as invoice number, the
    // lines as priced, charged the cart's total.
    let sessions = server_sessions(&env.sandbox, &sale.order_no).await;
    assert_eq!(sessions.len(), 1);
    let server = env
        .sandbox
        .session(sale.session_id.as_deref().unwrap())
        .await;
    assert_eq!(server["amount"], "1.400", "{server}");
    assert!(is_invoice(&env, sale.session_id.as_deref().unwrap()).await);
    let stored = sale.cart.clone().expect("the priced lines");
    assert_eq!(stored.lines.len(), 2);
    assert_eq!(stored.lines[0].description, "Karak tea");
    assert_eq!(stored.lines[1].description, "Gift wrap");
    assert_eq!(stored.total, "1.400");

    env.sandbox
        .pay(sale.session_id.as_deref().unwrap(), None)
        .await;
    let paid = env.sales.refresh(&sale.id).await.unwrap();
    assert_eq!(paid.state, SaleState::Paid);

    // Another engine on the same history file reads the lines back for a receipt.
    let other = env.another_engine(|_| {}).await;
    let history = other.history(Default::default()).await.unwrap();
    let again = history.sales.iter().find(|s| s.id == sale.id).unwrap();
    assert_eq!(again.state, SaleState::Paid);
    assert_eq!(again.cart.as_ref(), Some(&stored));
    assert_eq!(other.get(&sale.id).await.unwrap().cart, Some(stored));
}

#[tokio::test]
async fn a_cart_sale_refuses_a_wrong_amount_payment_request_options_and_archived_items() {
    let env = env().await;
    let tea = tea(&env);
    let wrong = SaleDraft {
        amount: "1.500".into(),
        ..cart(&tea)
    };
    let error = env.sales.create(wrong).await.unwrap_err();
    assert_eq!(
        error.field_errors()["amount"][0].code.as_str(),
        "cart_amount_mismatch"
    );
    let notify = SaleDraft {
        expires_in_minutes: Some(30),
        ..cart(&tea)
    };
    let error = env.sales.create(notify).await.unwrap_err();
    assert!(
        error.field_errors().contains_key("expires_in_minutes"),
        "{error:?}"
    );
    let store = Store::open(&env.history).unwrap();
    Catalog::new(&store)
        .set_archived(&tea.id, tea.version, true)
        .unwrap();
    let error = env.sales.create(cart(&tea)).await.unwrap_err();
    assert_eq!(
        error.field_errors()["lines.0.item_id"][0].code.as_str(),
        "catalog_item_archived"
    );
    // Nothing was stored or sent.
    assert!(
        env.sales
            .history(Default::default())
            .await
            .unwrap()
            .sales
            .is_empty()
    );
    assert!(env.sandbox.all_sessions().await.is_empty());
}

#[tokio::test]
async fn a_lost_invoice_answer_is_cancelled_by_order_no_and_never_sent_twice() {
    let env = env().await;
    let tea = tea(&env);
    env.sandbox.arm_fault("drop_after_commit", 1, None).await;
    let error = env.sales.create(cart(&tea)).await.unwrap_err();
    assert_eq!(error.code(), "ambiguous", "{error}");
    let sale = env.sales.history(Default::default()).await.unwrap().sales[0].clone();
    assert_eq!(sale.state, SaleState::Unknown);
    assert!(sale.cart.is_some(), "the lines were stored before sending");
    assert_eq!(server_sessions(&env.sandbox, &sale.order_no).await.len(), 1);

    let settled = env.sales.check(&sale.id).await.unwrap();
    assert_eq!(settled.state, SaleState::Canceled);
    let sessions = server_sessions(&env.sandbox, &sale.order_no).await;
    assert_eq!(sessions.len(), 1, "never created twice");
    assert_eq!(sessions[0]["state"], "canceled");

    // "Make a new link": the same lines under a new order number (a new invoice number too).
    let fresh = env.sales.replace(&sale.id).await.unwrap();
    assert_eq!(fresh.state, SaleState::Created);
    assert_ne!(fresh.order_no, sale.order_no);
    assert_eq!(fresh.amount, "1.400");
    assert_eq!(fresh.cart, sale.cart);
    assert!(is_invoice(&env, fresh.session_id.as_deref().unwrap()).await);
    assert_eq!(
        live(&server_sessions(&env.sandbox, &fresh.order_no).await),
        1
    );
    assert_eq!(env.sandbox.all_sessions().await.len(), 2);
}

#[tokio::test]
async fn editing_a_cart_sale_cancels_it_and_makes_a_new_one_with_the_same_lines() {
    let env = env().await;
    let tea = tea(&env);
    let sale = env.sales.create(cart(&tea)).await.unwrap();
    // Its amount is its lines' total.
    let error = env
        .sales
        .edit(
            &sale.id,
            SaleEdit {
                amount: Some("2".into()),
                ..SaleEdit::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(
        error.field_errors()["amount"][0].code.as_str(),
        "invoice_amount_fixed"
    );
    let edited = env
        .sales
        .edit(
            &sale.id,
            SaleEdit {
                customer_name: Some("Sara Ahmad".into()),
                ..SaleEdit::default()
            },
        )
        .await
        .unwrap();
    assert_ne!(edited.id, sale.id, "a new sale");
    assert_eq!(
        edited.settlement.replaces.as_deref(),
        Some(sale.id.as_str())
    );
    assert_eq!(edited.customer_name.as_deref(), Some("Sara Ahmad"));
    assert_eq!(edited.cart, sale.cart);
    assert!(is_invoice(&env, edited.session_id.as_deref().unwrap()).await);
    assert_ne!(edited.link, sale.link, "a new link to share");
    let old = env.sales.get(&sale.id).await.unwrap();
    assert_eq!(old.state, SaleState::Canceled);
    assert_eq!(
        old.settlement.replaced_by.as_deref(),
        Some(edited.id.as_str())
    );
    assert_eq!(
        server_sessions(&env.sandbox, &sale.order_no).await[0]["state"],
        "canceled"
    );
    assert_eq!(
        live(&server_sessions(&env.sandbox, &edited.order_no).await),
        1
    );
}

#[tokio::test]
async fn a_refused_cart_sale_is_retried_with_the_same_invoice() {
    let env = env().await;
    let tea = tea(&env);
    // Nothing listens on port 9: nothing left this machine, so the sale is `rejected`.
    let offline = ottu_checkout::Client::builder()
        .base_url("http://127.0.0.1:9")
        .api_key(ottu_sandbox::test_support::TEST_API_KEY)
        .build()
        .unwrap();
    let till = env.engine_with_client(offline, |_| {}).await;
    let error = till.create(cart(&tea)).await.unwrap_err();
    assert_eq!(error.code(), "network", "{error}");
    let refused = env.sales.history(Default::default()).await.unwrap().sales[0].clone();
    assert_eq!(refused.state, SaleState::Rejected);
    assert!(env.sandbox.all_sessions().await.is_empty());

    // The deliberate retry sends the invoice rebuilt from the stored lines, same order number.
    let sent = env.sales.retry(&refused.id).await.unwrap();
    assert_eq!(sent.id, refused.id);
    assert_eq!(sent.state, SaleState::Created);
    assert_eq!(sent.order_no, refused.order_no);
    assert_eq!(sent.cart, refused.cart);
    let server = env
        .sandbox
        .session(sent.session_id.as_deref().unwrap())
        .await;
    assert_eq!(server["amount"], "1.400", "{server}");
    assert!(is_invoice(&env, sent.session_id.as_deref().unwrap()).await);
    assert_eq!(env.sandbox.all_sessions().await.len(), 1);
}

#[tokio::test]
async fn an_invoice_that_turns_up_late_is_cancelled_and_its_replacement_stays_the_only_live_link() {
    let env = env().await;
    let tea = tea(&env);
    // Validated, answer lost, stored with its lines 90 s later on the sandbox clock.
    env.sandbox.arm_fault("late_commit", 1, Some(90_000)).await;
    let error = env.sales.create(cart(&tea)).await.unwrap_err();
    assert_eq!(error.code(), "ambiguous", "{error}");
    let sale = env.sales.history(Default::default()).await.unwrap().sales[0].clone();
    let checked = env.sales.check(&sale.id).await.unwrap();
    assert_eq!(checked.state, SaleState::Unknown, "nothing on Ottu yet");
    assert!(
        server_sessions(&env.sandbox, &sale.order_no)
            .await
            .is_empty()
    );
    let fresh = env.sales.replace(&sale.id).await.unwrap();
    assert_eq!(fresh.cart, sale.cart);

    // The first invoice lands on the server, and the watch cancels it at its next look.
    env.advance(95).await;
    let landed = server_sessions(&env.sandbox, &sale.order_no).await;
    assert_eq!(landed.len(), 1);
    assert!(is_invoice(&env, landed[0]["session_id"].as_str().unwrap()).await);
    for _ in 0..5 {
        env.advance(120).await;
        env.sales.settle_due().await.unwrap();
    }
    assert_eq!(
        env.sales.get(&sale.id).await.unwrap().state,
        SaleState::Canceled
    );
    assert_eq!(
        live(&server_sessions(&env.sandbox, &sale.order_no).await),
        0
    );
    assert_eq!(
        live(&server_sessions(&env.sandbox, &fresh.order_no).await),
        1
    );
}
