//! Split bills' link parts against the real sandbox: each its own order number, never two live
//! at once (a lost answer keeps its part live until it is settled), a part no bigger than what
//! is left, the bill paid when its paid parts cover the total exactly.

use ottu_checkout::CurrencyCode;
use pos_core::bills::BillState;
use pos_core::dto::{PaymentMethod, SaleDraft, SaleState};

use crate::helpers::{env, server_sessions, wait_for};

fn kwd() -> CurrencyCode {
    CurrencyCode::parse("KWD").unwrap()
}

fn part(amount: &str) -> SaleDraft {
    SaleDraft {
        amount: amount.into(),
        ..SaleDraft::default()
    }
}

fn code<T: std::fmt::Debug>(result: pos_core::Result<T>) -> String {
    let error = result.unwrap_err();
    error
        .field_errors()
        .values()
        .flatten()
        .next()
        .map_or_else(|| error.problem().code.as_str(), |p| p.code.as_str())
        .to_owned()
}

#[tokio::test]
async fn link_parts_one_live_at_a_time_until_the_bill_is_paid_exactly() {
    let env = env().await;
    let mut events = env.sales.subscribe();
    let bill = env.sales.open_bill("10", &kwd(), None).unwrap();
    assert_eq!(
        (bill.amount.as_str(), bill.remaining.as_str(), bill.state),
        ("10.000", "10.000", BillState::Open)
    );
    assert_eq!(
        code(env.sales.open_bill("1.0001", &kwd(), None)),
        "amount_too_many_decimals"
    );

    // More than the bill is refused on the amount, naming what is left.
    let too_big = env
        .sales
        .add_link_part(&bill.id, part("10.001"), None)
        .await
        .unwrap_err();
    let problem = &too_big.field_errors()["amount"][0];
    assert_eq!(problem.code.as_str(), "bill_part_too_big");
    assert_eq!(problem.params["remaining"], "10.000");

    let first = env
        .sales
        .add_link_part(&bill.id, part("4"), None)
        .await
        .unwrap();
    assert_eq!(
        (first.state, first.method, first.bill_id.as_deref()),
        (
            SaleState::Created,
            PaymentMethod::Link,
            Some(bill.id.as_str())
        )
    );
    // A second live link is refused, whatever its amount.
    assert_eq!(
        code(env.sales.add_link_part(&bill.id, part("1"), None).await),
        "bill_link_live"
    );
    let open = env.sales.bill(&bill.id).unwrap();
    assert_eq!(open.live_link.as_deref(), Some(first.id.as_str()));
    assert_eq!(
        (open.remaining.as_str(), open.available.as_str()),
        ("10.000", "6.000")
    );

    // Cancelled: dead, so the next part may start; its amount is free again.
    env.sales.cancel(&first.id).await.unwrap();
    let second = env
        .sales
        .add_link_part(&bill.id, part("7.5"), None)
        .await
        .unwrap();
    assert_ne!(
        second.order_no, first.order_no,
        "each part its own order number"
    );
    env.sandbox
        .pay(second.session_id.as_deref().unwrap(), None)
        .await;
    wait_for(&mut events, &second.id, SaleState::Paid).await;
    let after = env.sales.bill(&bill.id).unwrap();
    assert_eq!(
        (
            after.paid.as_str(),
            after.remaining.as_str(),
            after.live_link
        ),
        ("7.500", "2.500", None)
    );
    assert_eq!(
        code(env.sales.add_link_part(&bill.id, part("2.501"), None).await),
        "bill_part_too_big"
    );
    let last = env
        .sales
        .add_link_part(&bill.id, part("2.5"), None)
        .await
        .unwrap();
    env.sandbox
        .pay(last.session_id.as_deref().unwrap(), None)
        .await;
    wait_for(&mut events, &last.id, SaleState::Paid).await;
    let paid = env.sales.bill(&bill.id).unwrap();
    assert_eq!(
        (paid.state, paid.paid.as_str(), paid.remaining.as_str()),
        (BillState::Paid, "10.000", "0.000")
    );
    assert_eq!(paid.parts.len(), 3);
    assert_eq!(
        code(env.sales.add_link_part(&bill.id, part("0.001"), None).await),
        "bill_paid"
    );
    // The history finds the parts as split; each keeps its own method.
    let split = env
        .sales
        .history(pos_core::dto::HistoryQuery {
            method: Some(PaymentMethod::Split),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(split.sales.len(), 3);
    assert!(split.sales.iter().all(|s| s.method == PaymentMethod::Link));
}

#[tokio::test]
async fn a_part_whose_answer_was_lost_stays_live_until_settled_and_is_never_sent_twice() {
    let env = env().await;
    let bill = env.sales.open_bill("5", &kwd(), None).unwrap();
    // Ottu commits the transaction; the answer never arrives (a crash between the journal and
    // the answer, as the till sees it).
    env.sandbox.arm_fault("drop_after_commit", 1, None).await;
    let lost = env
        .sales
        .add_link_part(&bill.id, part("5"), None)
        .await
        .unwrap_err();
    assert_eq!(lost.code(), "ambiguous");
    let bill_now = env.sales.bill(&bill.id).unwrap();
    let unknown = &bill_now.parts[0];
    assert_eq!(unknown.state, SaleState::Unknown);
    // Ottu may hold it: it is live, no other link may start, and it is not declared absent.
    assert_eq!(bill_now.live_link.as_deref(), Some(unknown.id.as_str()));
    assert_eq!(
        code(env.sales.add_link_part(&bill.id, part("5"), None).await),
        "bill_link_live"
    );
    // Settled by cancelling its order number: dead, so a new part may start, with a new
    // order number; Ottu holds one transaction per order number.
    let settled = env.sales.check(&unknown.id).await.unwrap();
    assert_eq!(settled.state, SaleState::Canceled);
    let fresh = env
        .sales
        .add_link_part(&bill.id, part("5"), None)
        .await
        .unwrap();
    assert_ne!(fresh.order_no, unknown.order_no);
    for order_no in [&unknown.order_no, &fresh.order_no] {
        assert_eq!(server_sessions(&env.sandbox, order_no).await.len(), 1);
    }
}

#[tokio::test]
async fn two_engines_on_one_history_cannot_both_start_a_link_part() {
    let env = env().await;
    let other = env.another_engine(|_| {}).await;
    let bill = env.sales.open_bill("8", &kwd(), None).unwrap();
    let (a, b) = tokio::join!(
        env.sales.add_link_part(&bill.id, part("3"), None),
        other.add_link_part(&bill.id, part("3"), None),
    );
    let made: Vec<_> = [&a, &b].into_iter().filter(|r| r.is_ok()).collect();
    assert_eq!(made.len(), 1, "one live link: {a:?} / {b:?}");
    let refused = if a.is_err() { a } else { b };
    assert_eq!(code(refused), "bill_link_live");
    assert_eq!(env.sales.bill(&bill.id).unwrap().parts.len(), 1);
}
