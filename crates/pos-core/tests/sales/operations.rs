//! Refunds against the sandbox: ledger first, one Tracking-Key per intent, so a double click, a
//! lost answer or a crash never refunds twice; amounts in the currency's decimals, never more
//! than what remains; history totals net of refunds.

use pos_core::dto::{OperationKind, OperationState, Sale, SaleState};
use pos_core::sales::OperationBy;

use crate::helpers::{Env, draft, env};

async fn paid_sale(env: &Env, amount: &str) -> Sale {
    let sale = env.sales.create(draft(amount)).await.unwrap();
    env.sandbox
        .pay(sale.session_id.as_deref().unwrap(), None)
        .await;
    let paid = env.sales.check(&sale.id).await.unwrap();
    assert_eq!(paid.state, SaleState::Paid);
    paid
}

async fn server_children(env: &Env, sale: &Sale) -> Vec<serde_json::Value> {
    let session = env
        .sandbox
        .session(sale.session_id.as_deref().unwrap())
        .await;
    session["children"].as_array().cloned().unwrap_or_default()
}

async fn refund(
    env: &Env,
    intent: &str,
    sale: &Sale,
    amount: Option<&str>,
) -> pos_core::Result<Sale> {
    env.sales
        .operate(
            intent,
            &sale.id,
            OperationKind::Refund,
            amount,
            OperationBy::default(),
        )
        .await
}

#[tokio::test]
async fn partial_refunds_count_down_what_remains_and_an_over_refund_is_refused_on_amount() {
    let env = env().await;
    let sale = paid_sale(&env, "10.000").await;
    assert_eq!(sale.refundable_amount.as_deref(), Some("10.000"));

    let after = refund(&env, "r-1", &sale, Some("2.500")).await.unwrap();
    assert_eq!(after.operations.len(), 1);
    assert_eq!(after.operations[0].state, OperationState::Done);
    assert_eq!(after.refundable_amount.as_deref(), Some("7.500"));
    // Two deliberate equal refunds are two intents, two operations.
    let after = refund(&env, "r-2", &sale, Some("2.500")).await.unwrap();
    assert_eq!(after.refundable_amount.as_deref(), Some("5.000"));
    assert_eq!(server_children(&env, &sale).await.len(), 2);

    let too_much = refund(&env, "r-3", &sale, Some("5.001")).await.unwrap_err();
    assert!(too_much.field_errors().contains_key("amount"), "{too_much}");
    assert!(too_much.to_string().contains("5.000"), "{too_much}");
    let decimals = refund(&env, "r-4", &sale, Some("1.2345"))
        .await
        .unwrap_err();
    assert!(decimals.field_errors().contains_key("amount"));
    // The rest, by leaving the amount out.
    let after = refund(&env, "r-5", &sale, None).await.unwrap();
    assert_eq!(after.refundable_amount.as_deref(), Some("0.000"));
    assert_eq!(server_children(&env, &sale).await.len(), 3);
    assert_eq!(
        after.state,
        SaleState::Paid,
        "the parent stays paid on Ottu"
    );
}

#[tokio::test]
async fn a_double_click_is_one_refund_on_the_server() {
    let env = env().await;
    let sale = paid_sale(&env, "4.000").await;
    let (a, b) = tokio::join!(
        refund(&env, "click", &sale, Some("1.000")),
        refund(&env, "click", &sale, Some("1.000"))
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.operations.len(), 1);
    assert_eq!(b.operations.len(), 1);
    assert_eq!(server_children(&env, &sale).await.len(), 1);
}

#[tokio::test]
async fn a_refund_whose_answer_was_lost_is_sent_again_with_its_key_and_happens_once() {
    let env = env().await;
    let sale = paid_sale(&env, "6.000").await;
    refund(&env, "lost", &sale, Some("1.500")).await.unwrap();
    assert_eq!(server_children(&env, &sale).await.len(), 1);

    // As if the answer had been lost (or the till killed before storing it): the ledger row
    // says `unknown` and nobody holds it.
    let conn = rusqlite::Connection::open(&env.history).unwrap();
    conn.execute(
        "UPDATE operations SET state = 'unknown', claim_owner = NULL, claim_until = NULL,
         next_check_at = NULL, version = version + 1 WHERE id = 'lost'",
        [],
    )
    .unwrap();
    let reopened = env.another_engine(|_| {}).await;
    reopened.settle_due().await.unwrap();
    let after = reopened.get(&sale.id).await.unwrap();
    assert_eq!(after.operations[0].state, OperationState::Done, "{after:?}");
    assert_eq!(
        server_children(&env, &sale).await.len(),
        1,
        "Ottu returned the first refund for the same Tracking-Key"
    );
    assert_eq!(after.refundable_amount.as_deref(), Some("4.500"));
}

#[tokio::test]
async fn refunds_are_only_for_paid_sales_and_history_totals_are_net_of_them() {
    let env = env().await;
    let open = env.sales.create(draft("3.000")).await.unwrap();
    let error = refund(&env, "early", &open, None).await.unwrap_err();
    assert_eq!(error.code().as_str(), "invalid_input", "{error}");

    let sale = paid_sale(&env, "8.000").await;
    refund(&env, "part", &sale, Some("3.250")).await.unwrap();
    let history = env.sales.history(Default::default()).await.unwrap();
    let kwd = history
        .today_paid
        .iter()
        .find(|t| t.currency_code == "KWD")
        .unwrap();
    assert_eq!(kwd.amount, "4.750");
}
