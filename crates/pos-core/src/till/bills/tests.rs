//! Split bills through the till's commands: the real demo engine (its sandbox over HTTP), the
//! real history file, real roles.

use std::time::Duration;

use crate::bills::BillState;
use crate::dto::{PaymentMethod, SaleState};
use crate::error::Error;
use crate::problem::ProblemCode;
use crate::reports::ReportKind;
use crate::shifts::CashSaleInput;
use crate::till::Till;
use crate::till::test_support::till;

fn cash(amount: &str, tendered: &str) -> CashSaleInput {
    CashSaleInput {
        amount: amount.into(),
        tendered: tendered.into(),
        note: None,
        cart: None,
    }
}

fn code<T: std::fmt::Debug>(result: crate::error::Result<T>) -> ProblemCode {
    let error = result.unwrap_err();
    error
        .field_errors()
        .values()
        .flatten()
        .next()
        .map_or(error.problem().code, |p| p.code)
}

/// Pays `session_id` on the demo sandbox as the customer would.
async fn pay(till: &Till, session_id: &str) {
    let base = till.app_state().await.unwrap().profile.base_url;
    let response = reqwest::Client::new()
        .post(format!("{base}/_sandbox/sessions/{session_id}/pay"))
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
}

#[tokio::test]
async fn a_bill_paid_by_cash_and_a_link_is_reported_part_by_part() {
    let (till, _root) = till();
    till.unlock("1111").unwrap();
    let bill = till.open_bill("12").await.unwrap();
    assert_eq!(
        (bill.amount.as_str(), bill.currency_code.as_str()),
        ("12.000", "KWD")
    );
    // A cash part needs an open shift.
    assert_eq!(
        code(till.bill_cash_part(&bill.id, cash("2", "2")).await),
        ProblemCode::NoOpenShift
    );
    till.open_shift("10").await.unwrap();
    // No more than the bill.
    assert_eq!(
        code(till.bill_cash_part(&bill.id, cash("12.001", "20")).await),
        ProblemCode::BillPartTooBig
    );
    let first = till
        .bill_cash_part(&bill.id, cash("4.500", "5"))
        .await
        .unwrap();
    assert_eq!(first.change, "0.500");
    assert_eq!(
        (first.sale.method, first.sale.bill_id.as_deref()),
        (PaymentMethod::Cash, Some(bill.id.as_str()))
    );

    let link = till.bill_link_part(&bill.id, "6").await.unwrap();
    assert_eq!(link.bill_id.as_deref(), Some(bill.id.as_str()));
    assert!(link.qr_svg.is_some() && link.link.is_some());
    assert_eq!(
        code(till.bill_link_part(&bill.id, "1.5").await),
        ProblemCode::BillLinkLive
    );
    // Cash may still pay what the live link leaves (12 − 4.5 − 6 = 1.5), not more.
    assert_eq!(
        code(till.bill_cash_part(&bill.id, cash("1.501", "2")).await),
        ProblemCode::BillPartTooBig
    );
    till.bill_cash_part(&bill.id, cash("1.5", "2"))
        .await
        .unwrap();

    let mut updates = till.subscribe();
    pay(&till, link.session_id.as_deref().unwrap()).await;
    tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            let update = updates.recv().await.unwrap();
            if update.id == link.id && update.state == SaleState::Paid {
                return;
            }
        }
    })
    .await
    .expect("the link part is seen paid");
    let paid = till.bill(&bill.id).await.unwrap();
    assert_eq!(
        (paid.state, paid.paid.as_str(), paid.remaining.as_str()),
        (BillState::Paid, "12.000", "0.000")
    );
    assert_eq!(paid.parts.len(), 3);

    // The X report counts each part under its method; the drawer has the cash parts.
    let x = till.shift_report(None, ReportKind::X).await.unwrap();
    let methods: Vec<_> = x
        .by_method
        .iter()
        .map(|m| (m.method.as_str(), m.count, m.total.as_str()))
        .collect();
    assert_eq!(
        methods.iter().map(|m| (m.0, m.1)).collect::<Vec<_>>(),
        [("cash", 2), ("link", 1)]
    );
    assert_eq!(methods[0].2, "6.000");
    assert_eq!(methods[1].2, "6.000");
    assert_eq!(x.cash.expected, "16.000");
    till.shutdown().await;
}

#[tokio::test]
async fn bills_need_someone_signed_in_a_known_id_and_an_amount() {
    let (till, _root) = till();
    till.lock();
    assert!(matches!(till.open_bill("5").await, Err(Error::Locked)));
    till.unlock("1111").unwrap();
    assert_eq!(
        code(till.bill("bill-nope").await),
        ProblemCode::BillNotFound
    );
    assert_eq!(code(till.open_bill("0").await), ProblemCode::AmountZero);
    till.shutdown().await;
}
