//! Edit, cancel, expire and share.

use pos_core::dto::{SaleEdit, SaleState};

use crate::helpers::{draft, env, server_sessions};

#[tokio::test]
async fn editing_an_unpaid_sale_keeps_its_session_and_link() {
    let env = env().await;
    let sale = env.sales.create(draft("10")).await.unwrap();
    let edited = env
        .sales
        .edit(
            &sale.id,
            SaleEdit {
                amount: Some("12.25".into()),
                customer_name: Some("Omar".into()),
                customer_phone: Some("90000002".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(edited.amount, "12.250");
    assert_eq!(edited.session_id, sale.session_id);
    assert_eq!(edited.link, sale.link);
    assert_eq!(edited.customer_phone.as_deref(), Some("+96590000002"));
    let stored = &server_sessions(&env.sandbox, &sale.order_no).await[0];
    assert_eq!(stored["amount"], "12.250");
    assert_eq!(stored["customer_first_name"], "Omar");
    assert_eq!(stored["customer_phone"], "+96590000002");
}

#[tokio::test]
async fn a_bad_edit_is_refused_per_field() {
    let env = env().await;
    let sale = env.sales.create(draft("10")).await.unwrap();
    let error = env
        .sales
        .edit(
            &sale.id,
            SaleEdit {
                amount: Some("0".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert!(error.field_errors().contains_key("amount"));
}

#[tokio::test]
async fn a_paid_sale_cannot_be_edited_or_cancelled() {
    let env = env().await;
    let sale = env.sales.create(draft("10")).await.unwrap();
    env.sandbox
        .pay(sale.session_id.as_deref().unwrap(), None)
        .await;
    env.sales.refresh(&sale.id).await.unwrap();
    let edit = env
        .sales
        .edit(
            &sale.id,
            SaleEdit {
                amount: Some("1".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(edit.code(), "invalid_input");
    let cancel = env.sales.cancel(&sale.id).await.unwrap_err();
    assert_eq!(cancel.code(), "invalid_input");
    assert_eq!(
        server_sessions(&env.sandbox, &sale.order_no).await[0]["state"],
        "paid"
    );
}

#[tokio::test]
async fn cancel_and_expire_reach_the_server() {
    let env = env().await;
    let a = env.sales.create(draft("1")).await.unwrap();
    let b = env.sales.create(draft("2")).await.unwrap();
    assert_eq!(
        env.sales.cancel(&a.id).await.unwrap().state,
        SaleState::Canceled
    );
    assert_eq!(
        env.sales.expire(&b.id).await.unwrap().state,
        SaleState::Expired
    );
    assert_eq!(
        server_sessions(&env.sandbox, &a.order_no).await[0]["state"],
        "canceled"
    );
    assert_eq!(
        server_sessions(&env.sandbox, &b.order_no).await[0]["state"],
        "expired"
    );
}

#[tokio::test]
async fn share_links_carry_the_link_in_the_sale_language() {
    let env = env().await;
    let sale = env
        .sales
        .create(pos_core::dto::SaleDraft {
            customer_phone: Some("99999999".into()),
            language: Some(pos_core::dto::Language::Ar),
            ..draft("12.5")
        })
        .await
        .unwrap();
    let links = env.sales.share_links(&sale.id, "").await.unwrap();
    let link = sale.link.unwrap();
    assert!(links.text.contains(&link));
    assert!(links.text.contains("12.500 KWD"));
    assert!(links.text.contains("Blue Cafe"));
    assert!(links.text.contains("ادفع"));
    assert!(
        links
            .whatsapp
            .unwrap()
            .starts_with("https://wa.me/96599999999?text=")
    );
    assert!(links.sms.unwrap().starts_with("sms:+96599999999?&body="));
    assert!(links.email.is_none());
}
