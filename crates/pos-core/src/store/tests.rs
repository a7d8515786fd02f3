use super::*;

pub(crate) fn record(id: &str, order_no: &str) -> SaleRecord {
    SaleRecord {
        sale: Sale {
            id: id.into(),
            order_no: order_no.into(),
            session_id: None,
            state: SaleState::Sending,
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
        },
        request: serde_json::json!({"order_no": order_no}),
        field_errors: FieldErrors::new(),
        send_attempts: 0,
    }
}

#[test]
fn a_sale_survives_reopening_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite");
    {
        let store = Store::open(&path).unwrap();
        store.insert(&record("a", "POS-1")).unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
    let back = store.get("a").unwrap().unwrap();
    assert_eq!(back, record_with_times(&back, record("a", "POS-1")));
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
    store.insert(&record("a", "POS-1")).unwrap();
    let error = store.insert(&record("b", "POS-1")).unwrap_err();
    assert_eq!(error.code(), "invalid_input");
    assert!(error.field_errors().contains_key("order_no"));
    // Another profile may use the same order number.
    let mut other = record("c", "POS-1");
    other.sale.profile_id = "p2".into();
    store.insert(&other).unwrap();
}

#[test]
fn update_rewrites_state_and_links() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("h.sqlite")).unwrap();
    let mut r = record("a", "POS-1");
    store.insert(&r).unwrap();
    r.sale.state = SaleState::Created;
    r.sale.session_id = Some("abc".into());
    r.sale.checkout_url = Some("http://x/checkout".into());
    r.send_attempts = 1;
    store.update(&r).unwrap();
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
    store.insert(&record("a", "POS-1")).unwrap();
    let mut other = record("b", "POS-2");
    other.sale.customer_name = Some("Omar".into());
    other.sale.customer_email = None;
    other.sale.customer_phone = Some("+96511112222".into());
    store.insert(&other).unwrap();
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
