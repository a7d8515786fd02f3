//! No duplicates, nothing lost, under Ottu's rules: every fault the sandbox can inject, restarts,
//! and the status query's throttle (on in every sandbox here).
//!
//! In each case the create's outcome is unknown to the app; the engine must keep the sale,
//! never send it again, settle it by cancelling its `order_no` (answered at once), keep looking
//! until the late-commit horizon, and confirm an uncancellable one by the status query once
//! Ottu allows it; the engine's clock follows the sandbox's, so the windows pass without waiting.

use std::time::Duration;

use ottu_sandbox::test_support::{TEST_API_KEY, test_merchant};
use ottu_sandbox::{Sandbox, SandboxConfig};
use pos_core::Sales;
use pos_core::dto::{Sale, SaleState};
use serde_json::json;

use crate::helpers::{Env, client_with_timeout, draft, env, env_with, options, server_sessions};

/// Arms `fault`, creates a sale, and checks it is kept `unknown` with an `ambiguous` error and
/// that nothing was sent a second time.
async fn ambiguous_create(env: &Env, fault: &str) -> Sale {
    env.sandbox.arm_fault(fault, 1, None).await;
    let error = env.sales.create(draft("4.750")).await.unwrap_err();
    assert_eq!(error.code(), "ambiguous", "{fault}: {error}");
    let history = env.sales.history(Default::default()).await.unwrap();
    let sale = history.sales[0].clone();
    assert_eq!(sale.state, SaleState::Unknown, "{fault}");
    assert!(sale.problem.is_some());
    assert!(sale.settlement.watch_until.is_some(), "{fault}: watched");
    assert!(
        !sale.settlement.can_replace,
        "{fault}: not before it is settled"
    );
    sale
}

fn live(sessions: &[serde_json::Value]) -> usize {
    sessions
        .iter()
        .filter(|s| {
            ["created", "pending", "attempted"].contains(&s["state"].as_str().unwrap_or(""))
        })
        .count()
}

#[tokio::test]
async fn a_lost_answer_after_commit_is_cancelled_by_order_no_and_replaced() {
    for fault in [
        "drop_after_commit",
        "status_503_after_commit",
        "malformed_after_commit",
    ] {
        let env = env().await;
        let sale = ambiguous_create(&env, fault).await;
        assert_eq!(server_sessions(&env.sandbox, &sale.order_no).await.len(), 1);

        // Within seconds, well inside Ottu's 10-minute status-query silence.
        let settled = env.sales.check(&sale.id).await.unwrap();
        assert_eq!(settled.state, SaleState::Canceled, "{fault}");
        assert!(settled.settlement.can_replace, "{fault}");
        assert!(settled.settlement.watch_until.is_none());
        let sessions = server_sessions(&env.sandbox, &sale.order_no).await;
        assert_eq!(sessions.len(), 1, "{fault}: never created twice");
        assert_eq!(sessions[0]["state"], "canceled", "{fault}");

        let fresh = env.sales.replace(&sale.id).await.unwrap();
        assert_eq!(fresh.state, SaleState::Created, "{fault}");
        assert_ne!(fresh.order_no, sale.order_no);
        assert_eq!(fresh.amount, "4.750");
        assert_eq!(fresh.settlement.replaces.as_deref(), Some(sale.id.as_str()));
        let old = env.sales.get(&sale.id).await.unwrap();
        assert_eq!(
            old.settlement.replaced_by.as_deref(),
            Some(fresh.id.as_str())
        );
        assert!(!old.settlement.can_replace, "replaced once");
        assert!(env.sales.replace(&sale.id).await.is_err());
        assert_eq!(
            live(&server_sessions(&env.sandbox, &fresh.order_no).await),
            1
        );
    }
}

#[tokio::test]
async fn a_500_that_stored_nothing_is_watched_until_the_horizon_then_rejected() {
    let env = env().await;
    let sale = ambiguous_create(&env, "status_500").await;
    let checked = env.sales.check(&sale.id).await.unwrap();
    assert_eq!(
        checked.state,
        SaleState::Unknown,
        "not found is no proof yet"
    );
    assert!(
        checked.settlement.can_replace,
        "anything late gets cancelled"
    );
    assert!(checked.settlement.next_check_at.is_some());
    assert!(checked.problem.unwrap().contains("keeps checking"));

    // Just before the horizon it is still watched; past it, "not found" is final.
    env.advance(9 * 60).await;
    env.sales.settle_due().await.unwrap();
    assert_eq!(
        env.sales.get(&sale.id).await.unwrap().state,
        SaleState::Unknown
    );
    env.advance(2 * 60).await;
    env.sales.settle_due().await.unwrap();
    let rejected = env.sales.get(&sale.id).await.unwrap();
    assert_eq!(rejected.state, SaleState::Rejected);
    assert!(rejected.problem.unwrap().contains("never made a link"));
    assert!(rejected.settlement.next_check_at.is_none());

    // Now the very same request may be sent on purpose, with the same order number.
    let sent = env.sales.retry(&sale.id).await.unwrap();
    assert_eq!(sent.state, SaleState::Created);
    assert_eq!(sent.order_no, sale.order_no);
    assert_eq!(server_sessions(&env.sandbox, &sale.order_no).await.len(), 1);
}

#[tokio::test]
async fn a_transaction_that_turns_up_late_is_cancelled_and_the_replacement_stays_the_only_live_link()
 {
    let env = env().await;
    let sale = ambiguous_create(&env, "status_500").await;
    env.sales.check(&sale.id).await.unwrap();
    let fresh = env.sales.replace(&sale.id).await.unwrap();
    assert_eq!(fresh.state, SaleState::Created);

    // The first create commits late on the server (as if its request had been queued).
    env.sandbox
        .create_payment_request("4.750", json!({"order_no": sale.order_no}))
        .await;
    env.advance(30).await;
    env.sales.settle_due().await.unwrap();
    let old = env.sales.get(&sale.id).await.unwrap();
    assert_eq!(old.state, SaleState::Canceled);
    assert!(old.problem.unwrap().contains("after it was replaced"));
    assert_eq!(
        live(&server_sessions(&env.sandbox, &sale.order_no).await),
        0
    );
    assert_eq!(
        live(&server_sessions(&env.sandbox, &fresh.order_no).await),
        1
    );
}

#[tokio::test]
async fn a_lost_create_the_customer_already_paid_is_confirmed_once_ottu_allows_the_status_query() {
    let env = env().await;
    let sales = env
        .engine_with_client(
            client_with_timeout(&env.sandbox, Duration::from_millis(800)),
            |_| {},
        )
        .await;
    // The answer is held back past the client's timeout; meanwhile Ottu sent the link by SMS
    // and the customer paid it, before the till could cancel it.
    env.sandbox.arm_fault("delay", 1, Some(2_500)).await;
    let order_no = "PAID-FIRST-1";
    let create = sales.create(pos_core::dto::SaleDraft {
        order_no: Some(order_no.into()),
        ..draft("4.750")
    });
    let customer = async {
        loop {
            if let Some(found) = server_sessions(&env.sandbox, order_no).await.first() {
                let id = found["session_id"].as_str().unwrap().to_owned();
                env.sandbox.pay(&id, None).await;
                return id;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    let (created, session_id) = tokio::join!(create, customer);
    assert_eq!(created.unwrap_err().code(), "ambiguous");
    let sale = sales.history(Default::default()).await.unwrap().sales[0].clone();

    let checked = sales.check(&sale.id).await.unwrap();
    assert_eq!(checked.state, SaleState::Unknown);
    assert!(!checked.settlement.can_replace, "it may be paid");
    assert!(checked.problem.unwrap().contains("may have paid"));
    let at = checked.settlement.next_check_at.clone().unwrap();

    // "Check now" inside the 10 minutes: Ottu refuses (429), the sale waits.
    let early = sales.check(&sale.id).await.unwrap();
    assert_eq!(early.state, SaleState::Unknown);
    assert!(early.settlement.next_check_at.is_some());

    env.advance(11 * 60).await;
    sales.settle_due().await.unwrap();
    let paid = sales.get(&sale.id).await.unwrap();
    assert_eq!(paid.state, SaleState::Paid, "scheduled at {at}: {paid:?}");
    assert_eq!(paid.session_id.as_deref(), Some(session_id.as_str()));
    assert!(paid.paid_at.is_some());
    assert_eq!(server_sessions(&env.sandbox, order_no).await.len(), 1);
}

#[tokio::test]
async fn a_found_transaction_with_another_amount_is_flagged_and_never_adopted() {
    let env = env().await;
    // Someone made (and the customer paid) a different transaction with this order number.
    let order_no = "TAKEN-1";
    let other = env
        .sandbox
        .create_payment_request("9.999", json!({"order_no": order_no}))
        .await;
    let other_id = other["session_id"].as_str().unwrap().to_owned();
    env.sandbox.pay(&other_id, None).await;
    env.sandbox.arm_fault("status_500", 1, None).await;
    let error = env
        .sales
        .create(pos_core::dto::SaleDraft {
            order_no: Some(order_no.into()),
            ..draft("4.750")
        })
        .await
        .unwrap_err();
    assert_eq!(error.code(), "ambiguous");
    let sale = env.sales.history(Default::default()).await.unwrap().sales[0].clone();

    env.sales.check(&sale.id).await.unwrap();
    env.advance(11 * 60).await;
    env.sales.settle_due().await.unwrap();
    let flagged = env.sales.get(&sale.id).await.unwrap();
    assert_eq!(
        flagged.state,
        SaleState::Unknown,
        "not adopted: {flagged:?}"
    );
    assert!(flagged.settlement.mismatch);
    assert!(flagged.session_id.is_none());
    let problem = flagged.problem.unwrap();
    assert!(
        problem.contains("9.999") && problem.contains("4.750"),
        "{problem}"
    );
    assert!(flagged.settlement.next_check_at.is_none());
    // And nothing automatic touches it again.
    env.advance(60 * 60).await;
    env.sales.settle_due().await.unwrap();
    assert!(env.sales.get(&sale.id).await.unwrap().settlement.mismatch);
}

#[tokio::test]
async fn a_timeout_is_ambiguous_and_the_transaction_behind_it_is_cancelled() {
    let sandbox = ottu_sandbox::test_support::spawn_sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let sales = Sales::open(
        dir.path().join("h.sqlite3"),
        client_with_timeout(&sandbox, Duration::from_millis(700)),
        "demo",
        options(),
    )
    .await
    .unwrap();
    sandbox.arm_fault("delay", 1, Some(2_000)).await;
    let error = sales.create(draft("9")).await.unwrap_err();
    assert_eq!(error.code(), "ambiguous", "{error}");
    let sale = sales.history(Default::default()).await.unwrap().sales[0].clone();
    assert_eq!(sale.state, SaleState::Unknown);

    let settled = sales.check(&sale.id).await.unwrap();
    assert_eq!(settled.state, SaleState::Canceled);
    let sessions = sandbox.sessions_by_order_no(&sale.order_no).await;
    assert_eq!(sessions.len(), 1);
    assert_eq!(live(&sessions), 0);
}

#[tokio::test]
async fn connection_refused_means_nothing_was_sent_and_retry_is_safe() {
    // A port with nothing listening: bind, note it, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sandbox.sqlite3");
    let client = ottu_checkout::Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .api_key(TEST_API_KEY)
        .build()
        .unwrap();
    let sales = Sales::open(dir.path().join("h.sqlite3"), client, "demo", options())
        .await
        .unwrap();
    let error = sales.create(draft("2")).await.unwrap_err();
    assert_eq!(error.code(), "network", "{error}");
    let sale = sales.history(Default::default()).await.unwrap().sales[0].clone();
    assert_eq!(sale.state, SaleState::Rejected);
    assert!(sale.settlement.can_replace);

    // The server comes up on that port; the deliberate retry sends the same order number once.
    let mut config = SandboxConfig::new(db, test_merchant());
    config.port = port;
    let sandbox = Sandbox::start(config).await.unwrap();
    let sent = sales.retry(&sale.id).await.unwrap();
    assert_eq!(sent.state, SaleState::Created);
    assert_eq!(sent.order_no, sale.order_no);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_sale_cut_off_mid_request_is_left_alone_while_claimed_and_settled_after_a_restart() {
    let env = env_with(|o| o.claim_lease = Duration::from_millis(1_500)).await;
    env.sandbox.arm_fault("delay", 1, Some(5_000)).await;
    // The app "crashes" while the request is on the wire: the create future is dropped once the
    // server has stored the transaction (its answer is held back by the fault).
    cut_off_once_stored(&env, "CUT-1").await;
    let left = env.sales.history(Default::default()).await.unwrap().sales[0].clone();
    assert_eq!(
        left.state,
        SaleState::Sending,
        "written before the request left"
    );
    drop(env.sales);

    // A restarted till leaves it alone while the dead process's claim lasts...
    let restarted = Sales::open(&env.history, env.sandbox.client(), "demo", options())
        .await
        .unwrap();
    restarted.settle_due().await.unwrap();
    assert_eq!(
        restarted.get(&left.id).await.unwrap().state,
        SaleState::Sending
    );
    // ...then settles it: the transaction is cancelled, never sent again.
    tokio::time::sleep(Duration::from_millis(1_700)).await;
    restarted.settle_due().await.unwrap();
    let settled = restarted.get(&left.id).await.unwrap();
    assert_eq!(settled.state, SaleState::Canceled, "{settled:?}");
    let sessions = server_sessions(&env.sandbox, &left.order_no).await;
    assert_eq!(sessions.len(), 1);
    assert_eq!(live(&sessions), 0);
}

#[tokio::test]
async fn another_process_never_settles_a_sale_this_one_is_still_sending() {
    let env = env().await;
    env.sandbox.arm_fault("delay", 1, Some(1_500)).await;
    let other = env.another_engine(|_| {}).await;
    let sending = env.sales.create(draft("6"));
    let meddling = async {
        // While the create is on the wire, the other till runs its checks over and over.
        for _ in 0..10 {
            other.settle_due().await.unwrap();
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    };
    let (created, ()) = tokio::join!(sending, meddling);
    let created = created.unwrap();
    assert_eq!(created.state, SaleState::Created);
    let sessions = server_sessions(&env.sandbox, &created.order_no).await;
    assert_eq!(live(&sessions), 1, "not cancelled by the other till");
    assert_eq!(
        other.get(&created.id).await.unwrap().state,
        SaleState::Created
    );
}

#[tokio::test]
async fn two_tills_settling_one_sale_at_once_agree() {
    let env = env().await;
    let sale = ambiguous_create(&env, "drop_after_commit").await;
    let other = env.another_engine(|_| {}).await;
    let (a, b) = tokio::join!(env.sales.check(&sale.id), other.check(&sale.id));
    let (a, b) = (a.unwrap(), b.unwrap());
    let settled = env.sales.get(&sale.id).await.unwrap();
    assert_eq!(settled.state, SaleState::Canceled, "{a:?} / {b:?}");
    assert_eq!(other.get(&sale.id).await.unwrap(), settled);
    assert_eq!(
        live(&server_sessions(&env.sandbox, &sale.order_no).await),
        0
    );
}

#[tokio::test]
async fn a_sandbox_restart_mid_sale_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sandbox.sqlite3");
    let first = Sandbox::start(SandboxConfig::new(db.clone(), test_merchant()))
        .await
        .unwrap();
    let port = first.addr().port();
    let client = ottu_checkout::Client::builder()
        .base_url(first.base_url())
        .api_key(TEST_API_KEY)
        .build()
        .unwrap();
    let sales = Sales::open(dir.path().join("h.sqlite3"), client, "demo", options())
        .await
        .unwrap();

    // The answer to this create is lost, then the server goes away.
    let http = reqwest::Client::new();
    http.post(format!("{}/_sandbox/faults", first.base_url()))
        .json(&json!({"kind": "drop_after_commit", "times": 1}))
        .send()
        .await
        .unwrap();
    let error = sales.create(draft("15")).await.unwrap_err();
    assert_eq!(error.code(), "ambiguous");
    let sale = sales.history(Default::default()).await.unwrap().sales[0].clone();
    first.shutdown().await;

    // While it is down the sale cannot be settled and stays unknown, saying why.
    let down = sales.check(&sale.id).await.unwrap();
    assert_eq!(down.state, SaleState::Unknown);
    assert!(!down.settlement.can_replace);
    assert!(down.problem.unwrap().contains("could not"));

    // Same database, same port: the transaction is still there and gets cancelled.
    let mut config = SandboxConfig::new(db, test_merchant());
    config.port = port;
    let second = Sandbox::start(config).await.unwrap();
    let settled = sales.check(&sale.id).await.unwrap();
    assert_eq!(settled.state, SaleState::Canceled);
    second.shutdown().await;
}

#[tokio::test]
async fn an_unknown_sale_is_settled_in_the_background() {
    let env = env().await;
    let mut events = env.sales.subscribe();
    let sale = ambiguous_create(&env, "drop_after_commit").await;
    // Nobody presses anything: the tracker settles it by itself, without re-sending.
    let settled = crate::helpers::wait_for(&mut events, &sale.id, SaleState::Canceled).await;
    assert!(settled.settlement.can_replace);
    assert_eq!(server_sessions(&env.sandbox, &sale.order_no).await.len(), 1);
}

#[tokio::test]
async fn without_the_cancel_permission_an_unknown_sale_stays_unknown_and_says_why() {
    let sandbox = ottu_sandbox::test_support::spawn_sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let sales = Sales::open(
        dir.path().join("h.sqlite3"),
        sandbox.client_as("cashier"),
        "demo",
        options(),
    )
    .await
    .unwrap();
    sandbox.arm_fault("drop_after_commit", 1, None).await;
    assert_eq!(
        sales.create(draft("3")).await.unwrap_err().code(),
        "ambiguous"
    );
    let sale = sales.history(Default::default()).await.unwrap().sales[0].clone();
    let kept = sales.check(&sale.id).await.unwrap();
    assert_eq!(kept.state, SaleState::Unknown);
    assert!(!kept.settlement.can_replace);
    assert!(kept.problem.unwrap().contains("could not"));
    // Nothing was sent again, and retry refuses to send blind.
    assert_eq!(
        sales.retry(&sale.id).await.unwrap().state,
        SaleState::Unknown
    );
    assert_eq!(sandbox.sessions_by_order_no(&sale.order_no).await.len(), 1);
}

#[tokio::test]
async fn a_created_link_is_shown_even_when_the_history_cannot_be_written() {
    let env = env().await;
    // The disk refuses every write that would store a link (a real SQLite trigger).
    let conn = rusqlite::Connection::open(&env.history).unwrap();
    conn.execute_batch(
        "CREATE TRIGGER refuse_links BEFORE UPDATE ON sales WHEN NEW.session_id IS NOT NULL
         BEGIN SELECT RAISE(FAIL, 'disk I/O error'); END;",
    )
    .unwrap();
    let sale = env.sales.create(draft("1.250")).await.unwrap();
    assert!(sale.link.is_some() && sale.qr_svg.is_some(), "{sale:?}");
    assert!(sale.problem.unwrap().contains("could not be saved"));
    // The row is still there, `sending`: a later settle closes or finds it.
    let stored = env.sales.history(Default::default()).await.unwrap().sales[0].clone();
    assert_eq!(stored.state, SaleState::Sending);
}

/// Starts a create with `order_no` and drops it as soon as the server has stored it.
async fn cut_off_once_stored(env: &Env, order_no: &str) {
    let create = env.sales.create(pos_core::dto::SaleDraft {
        order_no: Some(order_no.into()),
        ..draft("8")
    });
    let stored = async {
        while server_sessions(&env.sandbox, order_no).await.is_empty() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    tokio::select! {
        result = create => panic!("the create finished despite the held-back answer: {result:?}"),
        () = stored => {}
    }
}

#[tokio::test]
async fn a_late_commit_lands_inside_the_horizon_and_is_cancelled_there() {
    // The sandbox promises a late commit within LATE_COMMIT_MAX_MS; the engine watches longer.
    assert!(
        Duration::from_millis(ottu_sandbox::faults::LATE_COMMIT_MAX_MS)
            < pos_core::sales::schedule::LATE_COMMIT_HORIZON
    );
    let env = env().await;
    env.sandbox.arm_fault("late_commit", 1, Some(90_000)).await;
    let error = env.sales.create(draft("7.125")).await.unwrap_err();
    assert_eq!(error.code(), "ambiguous");
    let sale = env.sales.history(Default::default()).await.unwrap().sales[0].clone();
    let checked = env.sales.check(&sale.id).await.unwrap();
    assert_eq!(checked.state, SaleState::Unknown, "nothing on Ottu yet");
    assert!(checked.settlement.can_replace);
    let fresh = env.sales.replace(&sale.id).await.unwrap();

    // Ninety seconds later the first create lands on the server...
    env.advance(95).await;
    assert_eq!(server_sessions(&env.sandbox, &sale.order_no).await.len(), 1);
    // ...and the watch cancels it at its next look.
    for _ in 0..5 {
        env.advance(120).await;
        env.sales.settle_due().await.unwrap();
    }
    let old = env.sales.get(&sale.id).await.unwrap();
    assert_eq!(old.state, SaleState::Canceled, "{old:?}");
    assert_eq!(
        live(&server_sessions(&env.sandbox, &sale.order_no).await),
        0
    );
    assert_eq!(
        live(&server_sessions(&env.sandbox, &fresh.order_no).await),
        1
    );
}
