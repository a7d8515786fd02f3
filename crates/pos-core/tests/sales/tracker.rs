//! Live status: the tracker follows open sales and reports each change once.

use pos_core::dto::SaleState;

use crate::helpers::{draft, env, wait_for};

#[tokio::test]
async fn a_payment_on_the_sandbox_is_reported_as_paid() {
    let env = env().await;
    let mut events = env.sales.subscribe();
    let sale = env.sales.create(draft("12.500")).await.unwrap();
    env.sales.watch(Some(&sale.id));
    let session_id = sale.session_id.clone().unwrap();

    env.sandbox.open(&session_id).await;
    wait_for(&mut events, &sale.id, SaleState::Pending).await;
    env.sandbox.pay(&session_id, Some("knet")).await;
    let paid = wait_for(&mut events, &sale.id, SaleState::Paid).await;
    assert!(paid.paid_at.is_some());
    assert!(paid.qr_svg.is_some());

    // Stored, and no longer polled: nothing more is emitted for it.
    assert_eq!(
        env.sales.get(&sale.id).await.unwrap().state,
        SaleState::Paid
    );
    tokio::time::sleep(std::time::Duration::from_millis(900)).await;
    while let Ok(extra) = events.try_recv() {
        assert_ne!(
            extra.id, sale.id,
            "a settled sale was emitted again: {extra:?}"
        );
    }
}

#[tokio::test]
async fn each_change_is_emitted_once_even_with_manual_refreshes() {
    let env = env().await;
    let mut events = env.sales.subscribe();
    let mut watcher = env.sales.subscribe();
    let sale = env.sales.create(draft("1")).await.unwrap();
    let session_id = sale.session_id.clone().unwrap();
    env.sales.watch(Some(&sale.id));
    env.sandbox.decline(&session_id).await;
    // Staff refresh while the tracker polls too.
    let (a, b) = tokio::join!(env.sales.refresh(&sale.id), env.sales.refresh(&sale.id));
    assert_eq!(a.unwrap().state, SaleState::Attempted);
    assert_eq!(b.unwrap().state, SaleState::Attempted);
    env.sandbox.pay(&session_id, None).await;
    wait_for(&mut events, &sale.id, SaleState::Paid).await;

    let mut seen = Vec::new();
    while let Ok(update) = watcher.try_recv() {
        if update.id == sale.id {
            seen.push(update.state);
        }
    }
    assert_eq!(
        seen,
        vec![SaleState::Created, SaleState::Attempted, SaleState::Paid]
    );
}

#[tokio::test]
async fn background_sales_are_polled_without_focus() {
    let env = env().await;
    let mut events = env.sales.subscribe();
    let sale = env.sales.create(draft("2")).await.unwrap();
    env.sales.watch(None);
    env.sandbox.fail(&sale.session_id.clone().unwrap()).await;
    let failed = wait_for(&mut events, &sale.id, SaleState::Failed).await;
    assert_eq!(failed.id, sale.id);
}

#[tokio::test]
async fn an_expired_link_is_reported_expired() {
    let env = env().await;
    let mut events = env.sales.subscribe();
    let sale = env
        .sales
        .create(pos_core::dto::SaleDraft {
            expires_in_minutes: Some(5),
            ..draft("3")
        })
        .await
        .unwrap();
    env.sales.watch(Some(&sale.id));
    env.sandbox.advance_clock(6 * 60).await;
    wait_for(&mut events, &sale.id, SaleState::Expired).await;
}

#[tokio::test]
async fn a_failed_sale_paid_late_at_the_gateway_is_found_by_the_automatic_recheck() {
    let env = env().await;
    let mut events = env.sales.subscribe();
    let sale = env.sales.create(draft("3.250")).await.unwrap();
    let session_id = sale.session_id.clone().unwrap();
    env.sandbox.open(&session_id).await;
    env.sandbox.fail(&session_id).await;
    let failed = env.sales.check(&sale.id).await.unwrap();
    assert_eq!(failed.state, SaleState::Failed);
    assert!(failed.settlement.can_check);
    let first = failed.settlement.next_check_at.clone().expect("re-checked");

    // The gateway's late answer turns it paid on Ottu; nobody presses anything.
    let (status, body) = env.sandbox.late_success(&session_id).await;
    assert_eq!(status, 200, "{body}");
    env.advance(61).await;
    let paid = wait_for(&mut events, &sale.id, SaleState::Paid).await;
    assert!(paid.paid_at.is_some(), "first re-check was due at {first}");
    assert!(paid.settlement.next_check_at.is_none(), "no more re-checks");
}

#[tokio::test]
async fn check_now_finds_a_late_success_on_an_expired_sale_at_once() {
    let env = env().await;
    // A sale that expired while the gateway's success was still on its way.
    let other = env.sales.create(draft("2.500")).await.unwrap();
    let other_session = other.session_id.clone().unwrap();
    env.sandbox.open(&other_session).await;
    let expired = env.sales.expire(&other.id).await.unwrap();
    assert_eq!(expired.state, SaleState::Expired);
    assert!(expired.settlement.next_check_at.is_some());
    let (status, body) = env.sandbox.late_success(&other_session).await;
    assert_eq!(status, 200, "{body}");
    let checked = env.sales.check(&other.id).await.unwrap();
    assert_eq!(checked.state, SaleState::Paid);
}

#[tokio::test]
async fn closed_sales_stop_being_rechecked_after_the_grace_period() {
    let env = env().await;
    let sale = env.sales.create(draft("1.500")).await.unwrap();
    let session_id = sale.session_id.clone().unwrap();
    env.sandbox.open(&session_id).await;
    env.sandbox.fail(&session_id).await;
    env.sales.check(&sale.id).await.unwrap();
    // A day and a bit later, in steps the backoff can follow (1, 2, 4 ... 60 minutes).
    for _ in 0..30 {
        env.advance(60 * 60).await;
        env.sales.settle_due().await.unwrap();
    }
    let closed = env.sales.get(&sale.id).await.unwrap();
    assert_eq!(closed.state, SaleState::Failed);
    assert!(
        closed.settlement.next_check_at.is_none(),
        "re-checks end: {closed:?}"
    );
}
