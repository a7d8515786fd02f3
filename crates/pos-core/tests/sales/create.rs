//! Creating sales: the happy path, local and server refusals, attachments.

use pos_core::dto::{Language, Notify, SaleDraft, SaleState};

use crate::helpers::{draft, env, server_sessions};

#[tokio::test]
async fn a_sale_gets_a_link_a_qr_and_an_order_number() {
    let env = env().await;
    let sale = env
        .sales
        .create(SaleDraft {
            customer_name: Some("سارة".into()),
            customer_phone: Some("9999 9999".into()),
            language: Some(Language::Ar),
            ..draft("12.5")
        })
        .await
        .unwrap();
    assert_eq!(sale.state, SaleState::Created);
    assert_eq!(sale.amount, "12.500");
    assert_eq!(sale.customer_phone.as_deref(), Some("+96599999999"));
    assert!(sale.order_no.starts_with("POS-"), "{}", sale.order_no);
    let session_id = sale.session_id.clone().expect("a session id");
    let link = sale.link.clone().expect("a link");
    assert_eq!(
        Some(&link),
        sale.short_url.as_ref().or(sale.checkout_url.as_ref())
    );
    assert!(sale.qr_svg.as_deref().unwrap().starts_with("<svg"));
    assert!(sale.expires_at.is_some());

    // The server holds exactly one transaction, with what was typed.
    let sessions = server_sessions(&env.sandbox, &sale.order_no).await;
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0]["session_id"], session_id.as_str());
    assert_eq!(sessions[0]["type"], "payment_request");
    assert_eq!(sessions[0]["amount"], "12.500");
    assert_eq!(sessions[0]["customer_first_name"], "سارة");
    assert_eq!(sessions[0]["language"], "ar");

    // And the history has it, Arabic intact, across a reopen.
    drop(env.sales);
    let reopened = pos_core::Sales::open(
        &env.history,
        env.sandbox.client(),
        "demo",
        crate::helpers::options(),
    )
    .await
    .unwrap();
    let back = reopened.get(&sale.id).await.unwrap();
    assert_eq!(back.session_id, sale.session_id);
    assert_eq!(back.customer_name.as_deref(), Some("سارة"));
    assert_eq!(back.link, sale.link);
}

#[tokio::test]
async fn the_qr_encodes_the_shared_link() {
    let env = env().await;
    let sale = env.sales.create(draft("3")).await.unwrap();
    let link = sale.link.unwrap();
    let png = pos_core::qr::png(&link, 6).unwrap();
    let image = image::load_from_memory(&png).unwrap().to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(image);
    let grids = prepared.detect_grids();
    assert_eq!(grids[0].decode().unwrap().1, link);
}

#[tokio::test]
async fn a_bad_draft_is_refused_per_field_and_nothing_is_stored_or_sent() {
    let env = env().await;
    let error = env
        .sales
        .create(SaleDraft {
            customer_email: Some("not-an-email".into()),
            order_no: Some("MINE-1".into()),
            ..draft("1.2345")
        })
        .await
        .unwrap_err();
    assert_eq!(error.code(), "invalid_input");
    let fields = error.field_errors();
    assert!(fields.contains_key("amount"));
    assert!(fields.contains_key("customer_email"));
    assert!(server_sessions(&env.sandbox, "MINE-1").await.is_empty());
    let history = env.sales.history(Default::default()).await.unwrap();
    assert!(history.sales.is_empty());
}

#[tokio::test]
async fn a_server_refusal_comes_back_on_the_draft_field_and_is_kept_as_rejected() {
    let env = env().await;
    let error = env
        .sales
        .create(SaleDraft {
            pg_codes: Some(vec!["no-such-gateway".into()]),
            order_no: Some("REJ-1".into()),
            ..draft("5")
        })
        .await
        .unwrap_err();
    assert_eq!(error.code(), "api_rejected", "{error}");
    assert!(
        error.field_errors().contains_key("pg_codes"),
        "{:?}",
        error.field_errors()
    );
    let history = env.sales.history(Default::default()).await.unwrap();
    assert_eq!(history.sales.len(), 1);
    assert_eq!(history.sales[0].state, SaleState::Rejected);
    assert!(history.sales[0].problem.is_some());
    assert!(server_sessions(&env.sandbox, "REJ-1").await.is_empty());

    // Fixing the draft reuses the refused order number.
    let sale = env
        .sales
        .create(SaleDraft {
            order_no: Some("REJ-1".into()),
            ..draft("5")
        })
        .await
        .unwrap();
    assert_eq!(sale.order_no, "REJ-1");
    assert_eq!(sale.id, history.sales[0].id);
    assert_eq!(server_sessions(&env.sandbox, "REJ-1").await.len(), 1);
}

#[tokio::test]
async fn a_used_order_number_is_refused_on_order_no() {
    let env = env().await;
    env.sales
        .create(SaleDraft {
            order_no: Some("INV-7".into()),
            ..draft("1")
        })
        .await
        .unwrap();
    let error = env
        .sales
        .create(SaleDraft {
            order_no: Some("INV-7".into()),
            ..draft("2")
        })
        .await
        .unwrap_err();
    assert!(error.field_errors().contains_key("order_no"));
    assert_eq!(server_sessions(&env.sandbox, "INV-7").await.len(), 1);
}

#[tokio::test]
async fn notifications_and_an_attachment_go_with_the_request() {
    let env = env().await;
    let file = env.dir.path().join("invoice.pdf");
    std::fs::write(&file, b"%PDF-1.4 test invoice").unwrap();
    let sale = env
        .sales
        .create(SaleDraft {
            customer_phone: Some("+96590000001".into()),
            customer_email: Some("sara@example.com".into()),
            notify: Some(Notify {
                sms: true,
                email: true,
                whatsapp: false,
            }),
            attachment_path: Some(file.display().to_string()),
            expires_in_minutes: Some(30),
            ..draft("7.250")
        })
        .await
        .unwrap();
    let sessions = server_sessions(&env.sandbox, &sale.order_no).await;
    assert_eq!(sessions.len(), 1);
    let stored = &sessions[0];
    assert_eq!(
        stored["notifications"]["sms"],
        serde_json::json!(["created", "paid"])
    );
    assert_eq!(
        stored["notifications"]["email"],
        serde_json::json!(["created", "paid"])
    );
    assert!(
        stored["attachment"]
            .as_str()
            .is_some_and(|a| a.contains("invoice")),
        "{stored}"
    );
    assert_eq!(stored["expiration_time"], "00:30:00");
}

#[tokio::test]
async fn notifications_are_refused_when_the_connection_does_not_allow_them() {
    let env = crate::helpers::env_with(|o| o.notifications_allowed = false).await;
    let error = env
        .sales
        .create(SaleDraft {
            customer_phone: Some("99999999".into()),
            notify: Some(Notify {
                sms: true,
                ..Default::default()
            }),
            ..draft("1")
        })
        .await
        .unwrap_err();
    assert!(error.field_errors().contains_key("notify"));
}

#[tokio::test]
async fn two_tills_typing_the_same_order_number_at_once_make_one_sale() {
    let env = crate::helpers::env().await;
    let other = env.another_engine(|_| {}).await;
    let typed = || pos_core::dto::SaleDraft {
        order_no: Some("TABLE-7".into()),
        ..crate::helpers::draft("5")
    };
    let (a, b) = tokio::join!(env.sales.create(typed()), other.create(typed()));
    let (won, lost) = match (a, b) {
        (Ok(sale), Err(error)) | (Err(error), Ok(sale)) => (sale, error),
        other => panic!("exactly one must win: {other:?}"),
    };
    assert_eq!(won.state, pos_core::dto::SaleState::Created);
    assert!(lost.field_errors().contains_key("order_no"), "{lost}");
    assert_eq!(
        env.sandbox.sessions_by_order_no("TABLE-7").await.len(),
        1,
        "sent once"
    );
}
