use super::*;

#[test]
fn live_states_match_the_index() {
    for state in SaleState::ALL {
        assert_eq!(
            is_live_link(state),
            !NOT_LIVE_STATES.contains(&state.as_str()),
            "{state:?}"
        );
    }
    // The history's partial unique index names the same states.
    let migration = crate::store::MIGRATIONS
        .iter()
        .find(|m| m.contains("sales_one_live_link_per_bill"))
        .expect("the bills migration");
    let list = NOT_LIVE_STATES
        .iter()
        .map(|s| format!("'{s}'"))
        .collect::<Vec<_>>()
        .join(", ");
    assert!(
        migration.contains(&format!("state NOT IN ({list})")),
        "{migration}"
    );
}

fn part(id: &str, method: PaymentMethod, state: SaleState, amount: &str) -> Sale {
    let mut sale = crate::store::tests::record(id, id).sale;
    sale.method = method;
    sale.state = state;
    sale.amount = amount.into();
    sale
}

fn bill(amount: &str) -> BillRecord {
    BillRecord {
        id: "bill-1".into(),
        profile_id: "demo".into(),
        amount: amount.into(),
        currency_code: "KWD".into(),
        created_at: "2026-12-03T10:00:00.000Z".into(),
        created_by: None,
    }
}

#[test]
fn the_remainder_counts_paid_parts_and_holds_back_a_live_link() {
    let parts = vec![
        part("a", PaymentMethod::Cash, SaleState::Paid, "3.250"),
        part("b", PaymentMethod::Link, SaleState::Expired, "5.000"),
        part("c", PaymentMethod::Link, SaleState::Unknown, "4.000"),
    ];
    let b = summarize(bill("10.000"), parts, 3);
    assert_eq!(
        (b.paid.as_str(), b.remaining.as_str(), b.available.as_str()),
        ("3.250", "6.750", "2.750")
    );
    assert_eq!(b.live_link.as_deref(), Some("c"));
    assert_eq!(b.state, BillState::Open);

    let parts = vec![
        part("a", PaymentMethod::Cash, SaleState::Paid, "3.250"),
        part("c", PaymentMethod::Link, SaleState::Paid, "6.750"),
    ];
    let b = summarize(bill("10.000"), parts, 3);
    assert_eq!(b.state, BillState::Paid);
    assert_eq!((b.remaining.as_str(), b.live_link), ("0.000", None));
    // One fils short is not paid.
    let parts = vec![part("a", PaymentMethod::Cash, SaleState::Paid, "9.999")];
    assert_eq!(summarize(bill("10.000"), parts, 3).state, BillState::Open);
}

#[test]
fn the_history_refuses_a_second_live_link_part_whoever_writes_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = crate::store::Store::open(&dir.path().join("history.sqlite3")).unwrap();
    store.insert_bill(&bill("10.000")).unwrap();
    let link = |id: &str| {
        let mut record = crate::store::tests::record(id, id);
        record.sale.bill_id = Some("bill-1".into());
        record.sale.profile_id = "demo".into();
        record
    };
    let mut first = link("s1");
    store.insert(&mut first).unwrap();
    let refused = store.insert(&mut link("s2")).unwrap_err();
    assert_eq!(
        refused.problem().code,
        crate::problem::ProblemCode::BillLinkLive
    );
    // Once the first is dead, the next may be written.
    first.sale.state = SaleState::Canceled;
    assert!(store.update(&mut first).unwrap());
    store.insert(&mut link("s2")).unwrap();
    let parts = store.bill_parts("bill-1").unwrap();
    assert_eq!(
        parts.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(),
        ["s1", "s2"]
    );
    // A sale of its own is never held back by a bill.
    store
        .insert(&mut crate::store::tests::record("s3", "s3"))
        .unwrap();
}
