use super::*;

pub(crate) fn record(id: &str, order_no: &str) -> SaleRecord {
    SaleRecord::new(
        Sale {
            id: id.into(),
            order_no: order_no.into(),
            session_id: None,
            state: SaleState::Sending,
            method: PaymentMethod::Link,
            bill_id: None,
            amount: "12.500".into(),
            currency_code: "KWD".into(),
            customer_name: Some("سارة Al-Ahmad".into()),
            customer_phone: Some("+96599999999".into()),
            customer_email: Some("Sara@Example.com".into()),
            note: None,
            language: Language::Ar,
            checkout_url: None,
            short_url: None,
            link: None,
            qr_svg: None,
            expires_at: None,
            created_at: now_utc(),
            updated_at: now_utc(),
            paid_at: None,
            profile_id: "p1".into(),
            problem: None,
            settlement: Default::default(),
            created_by: None,
            operations: Vec::new(),
            refundable_amount: None,
            offered_operations: Vec::new(),
            cart: None,
        },
        serde_json::json!({"order_no": order_no}),
    )
}

#[test]
fn a_sale_survives_reopening_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite");
    {
        let store = Store::open(&path).unwrap();
        store.insert(&mut record("a", "POS-1")).unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
    let back = store.get("a").unwrap().unwrap();
    let mut expected = record_with_times(&back, record("a", "POS-1"));
    expected.version = 1;
    expected.refresh_flags();
    assert_eq!(back, expected);
    assert_eq!(back.sale.customer_name.as_deref(), Some("سارة Al-Ahmad"));
}

fn record_with_times(actual: &SaleRecord, mut expected: SaleRecord) -> SaleRecord {
    expected.sale.created_at = actual.sale.created_at.clone();
    expected.sale.updated_at = actual.sale.updated_at.clone();
    expected
}

#[test]
fn a_duplicate_order_no_is_refused_on_order_no() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("h.sqlite")).unwrap();
    store.insert(&mut record("a", "POS-1")).unwrap();
    let error = store.insert(&mut record("b", "POS-1")).unwrap_err();
    assert_eq!(error.code(), "invalid_input");
    assert!(error.field_errors().contains_key("order_no"));
    // Another profile may use the same order number.
    let mut other = record("c", "POS-1");
    other.sale.profile_id = "p2".into();
    store.insert(&mut other).unwrap();
}

#[test]
fn update_rewrites_state_and_links() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("h.sqlite")).unwrap();
    let mut r = record("a", "POS-1");
    store.insert(&mut r).unwrap();
    r.sale.state = SaleState::Created;
    r.sale.session_id = Some("abc".into());
    r.sale.checkout_url = Some("http://x/checkout".into());
    r.send_attempts = 1;
    assert!(store.update(&mut r).unwrap());
    assert_eq!(r.version, 2);
    let back = store.get("a").unwrap().unwrap();
    assert_eq!(back.sale.state, SaleState::Created);
    assert_eq!(back.sale.link.as_deref(), Some("http://x/checkout"));
    assert_eq!(back.send_attempts, 1);
    assert_eq!(
        store.in_states("p1", &[SaleState::Created]).unwrap().len(),
        1
    );
    assert!(
        store
            .in_states("p1", &[SaleState::Sending])
            .unwrap()
            .is_empty()
    );
}

#[test]
fn search_is_case_insensitive_and_keeps_arabic() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("h.sqlite")).unwrap();
    store.insert(&mut record("a", "POS-1")).unwrap();
    let mut other = record("b", "POS-2");
    other.sale.customer_name = Some("Omar".into());
    other.sale.customer_email = None;
    other.sale.customer_phone = Some("+96511112222".into());
    store.insert(&mut other).unwrap();
    let find = |text: &str| {
        store
            .list(
                "p1",
                &ListFilter {
                    text: Some(text.to_lowercase()),
                    limit: 10,
                    ..Default::default()
                },
            )
            .unwrap()
            .into_iter()
            .map(|s| s.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(find("سارة"), vec!["a"]);
    assert_eq!(find("SARA@example"), vec!["a"]);
    assert_eq!(find("1111"), vec!["b"]);
    assert_eq!(find("pos-2"), vec!["b"]);
    assert_eq!(find("%"), Vec::<String>::new());
    assert_eq!(find("pos-").len(), 2);
}

#[test]
fn an_update_over_a_stale_version_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("h.sqlite")).unwrap();
    let mut first = record("a", "POS-1");
    store.insert(&mut first).unwrap();
    // Two writers read version 1; the first to write wins.
    let mut second = store.get("a").unwrap().unwrap();
    first.sale.state = SaleState::Created;
    assert!(store.update(&mut first).unwrap());
    second.sale.state = SaleState::Rejected;
    assert!(!store.update(&mut second).unwrap(), "stale: refused");
    assert_eq!(second.version, 1, "left as read");
    let back = store.get("a").unwrap().unwrap();
    assert_eq!(back.sale.state, SaleState::Created);
    assert_eq!(back.version, 2);
    // Over the fresh version it goes through.
    let mut fresh = back;
    fresh.sale.state = SaleState::Paid;
    assert!(store.update(&mut fresh).unwrap());
    // A sale that does not exist is an error, not a silent no-op.
    let mut missing = record("zz", "POS-9");
    assert!(store.update(&mut missing).is_err());
}

#[test]
fn claims_and_settling_columns_survive_a_write_and_read() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("h.sqlite")).unwrap();
    let mut r = record("a", "POS-1");
    r.claim = Some(Claim {
        owner: "42-abc-0".into(),
        until: "2099-01-01T00:00:00.000Z".into(),
    });
    r.finding = Some(Finding::Absent);
    r.sale.state = SaleState::Unknown;
    r.sale.settlement.watch_until = Some("2026-01-01T00:10:00.000Z".into());
    r.sale.settlement.next_check_at = Some("2026-01-01T00:00:02.000Z".into());
    r.sent_at = Some("2026-01-01T00:00:00.000Z".into());
    store.insert(&mut r).unwrap();
    let back = store.get("a").unwrap().unwrap();
    assert_eq!(back.claim, r.claim);
    assert_eq!(back.finding, Some(Finding::Absent));
    assert!(
        back.sale.settlement.can_replace,
        "absent: a new link is safe"
    );
    assert!(back.claimed_by_other("", "2026-06-01T00:00:00.000Z"));
    assert!(!back.claimed_by_other("42-abc-0", "2026-06-01T00:00:00.000Z"));
    assert!(
        !back.claimed_by_other("", "2100-01-01T00:00:00.000Z"),
        "lapsed"
    );
    assert_eq!(
        store
            .due_checks("p1", "2026-01-01T00:00:05.000Z")
            .unwrap()
            .len(),
        1
    );
    assert!(
        store
            .due_checks("p1", "2026-01-01T00:00:01.000Z")
            .unwrap()
            .is_empty()
    );
}

#[cfg(unix)]
#[test]
fn the_history_file_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite");
    let store = Store::open(&path).unwrap();
    store.insert(&mut record("a", "POS-1")).unwrap();
    for file in ["history.sqlite", "history.sqlite-wal"] {
        let mode = std::fs::metadata(dir.path().join(file))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "{file}: {mode:o}");
    }
}

#[test]
fn connections_opening_a_new_file_at_once_migrate_it_once() {
    // The sales engine and the catalog open the history file on their own connections at
    // start-up; a new file must come out with every migration applied once, whoever wins.
    for round in 0..10 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.sqlite3");
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(4));
        let opened: Vec<_> = (0..4)
            .map(|_| {
                let (path, barrier) = (path.clone(), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    Store::open(&path).map(|s| s.schema_version().unwrap())
                })
            })
            .collect();
        for thread in opened {
            let version = thread.join().unwrap();
            assert_eq!(
                version.as_ref().ok(),
                Some(&(MIGRATIONS.len() as i64)),
                "round {round}: {version:?}"
            );
        }
        let store = Store::open(&path).unwrap();
        let applied: i64 = store
            .conn()
            .query_row("SELECT COUNT(*) FROM migrations", [], |r| r.get(0))
            .unwrap();
        assert_eq!(applied, MIGRATIONS.len() as i64);
    }
}
