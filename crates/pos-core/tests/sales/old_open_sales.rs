//! Old open sales left in the history (links still `created` when the till was closed for
//! days) are settled in the background in bounded batches, oldest first, within the sandbox's
//! per-user request limit; none is loaded or polled all at once.

use std::time::Duration;

use ottu_sandbox::RateLimit;
use ottu_sandbox::test_support::spawn_sandbox_with;
use pos_core::dto::{Language, PaymentMethod, Sale, SaleState};
use pos_core::store::{ListFilter, SaleRecord, Store, format_utc};
use pos_core::{Sales, SalesOptions};
use serde_json::json;

use crate::helpers::options;

const OPEN_SALES: usize = 2_000;
const BATCH: u32 = 100;
const EVERY: Duration = Duration::from_secs(1);

fn open_sale(n: usize, session_id: &str, created: time::OffsetDateTime) -> SaleRecord {
    let created_at = format_utc(created);
    let sale = Sale {
        id: format!("old-{n:05}"),
        profile_id: "demo".into(),
        order_no: format!("POS-OLD-{n:05}"),
        session_id: Some(session_id.to_owned()),
        state: SaleState::Created,
        method: PaymentMethod::Link,
        bill_id: None,
        amount: "1.000".into(),
        currency_code: "KWD".into(),
        customer_name: None,
        customer_phone: None,
        customer_email: None,
        note: None,
        language: Language::En,
        checkout_url: None,
        short_url: None,
        link: None,
        qr_svg: None,
        expires_at: None,
        created_at: created_at.clone(),
        updated_at: created_at,
        paid_at: None,
        problem: None,
        settlement: Default::default(),
        created_by: None,
        operations: Vec::new(),
        refundable_amount: None,
        offered_operations: Vec::new(),
        cart: None,
    };
    SaleRecord::new(sale, json!({"order_no": format!("POS-OLD-{n:05}")}))
}

fn settled(store: &Store) -> Vec<Sale> {
    store
        .list(
            "demo",
            &ListFilter {
                state: Some(SaleState::Paid),
                limit: u32::MAX,
                ..Default::default()
            },
        )
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousands_of_old_open_sales_settle_in_bounded_batches_within_the_limit() {
    // Two batches a second at most, however the batches fall on the sandbox's one-second
    // windows; polling all 2,000 at once would be refused.
    let limit = RateLimit {
        requests: 3 * BATCH,
        per_seconds: 1,
    };
    let sandbox = spawn_sandbox_with(|config| config.limits.per_user = Some(limit)).await;
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("history.sqlite3");

    // 2,000 links made from a week ago to four days ago, paid while the till was closed.
    let week_ago = time::OffsetDateTime::now_utc() - time::Duration::days(7);
    let mut records = Vec::new();
    for n in 0..OPEN_SALES {
        if n % BATCH as usize == 0 {
            // The set-up's own creates stay within the limit too.
            sandbox.advance_clock(1).await;
        }
        let created = sandbox
            .create_payment_request("1.000", json!({"order_no": format!("POS-OLD-{n:05}")}))
            .await;
        let session_id = created["session_id"].as_str().unwrap().to_owned();
        sandbox.pay(&session_id, Some("knet")).await;
        records.push(open_sale(
            n,
            &session_id,
            week_ago + time::Duration::minutes(n as i64 * 2),
        ));
    }
    sandbox.advance_clock(2).await;
    let store = Store::open(&history).unwrap();
    store.insert_batch(&mut records).unwrap();
    let refused_before = sandbox
        .handle()
        .state()
        .throttles
        .lock()
        .unwrap()
        .per_user_refused();
    assert_eq!(refused_before, 0, "the set-up itself was throttled");

    let started = tokio::time::Instant::now();
    let sales = Sales::open(
        &history,
        sandbox.client(),
        "demo",
        SalesOptions {
            old_poll_batch: BATCH,
            old_poll_every: EVERY,
            ..options()
        },
    )
    .await
    .unwrap();

    let mut first_round_checked = false;
    loop {
        let paid = settled(&store);
        let elapsed = started.elapsed();
        // Never more than one batch per `EVERY` since the engine started.
        let allowed = BATCH as usize * (elapsed.as_millis() / EVERY.as_millis() + 1) as usize;
        assert!(
            paid.len() <= allowed,
            "{} settled after {elapsed:?}, at most {allowed} allowed",
            paid.len()
        );
        if !first_round_checked && paid.len() == BATCH as usize {
            // The first batch is the oldest sales.
            assert!(
                paid.iter().all(|s| s.id.as_str() < "old-00100"),
                "not oldest first: {:?}",
                paid.iter().map(|s| &s.id).collect::<Vec<_>>()
            );
            first_round_checked = true;
        }
        if paid.len() == OPEN_SALES {
            break;
        }
        assert!(
            elapsed < Duration::from_secs(120),
            "only {} of {OPEN_SALES} settled after {elapsed:?}",
            paid.len()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(first_round_checked, "the first batch was never seen alone");
    assert_eq!(sales.open_sales().unwrap(), 0);
    let refused = sandbox
        .handle()
        .state()
        .throttles
        .lock()
        .unwrap()
        .per_user_refused();
    assert_eq!(refused, 0, "the sandbox refused {refused} polls");
}
