//! Shifts on a real SQLite file, opened twice like two processes would.

use super::*;
use crate::store::now_utc;
use crate::store::tests::record;

fn shift(id: &str, profile: &str) -> ShiftRecord {
    ShiftRecord {
        id: id.into(),
        profile_id: profile.into(),
        currency_code: "KWD".into(),
        opening_float: "50.000".into(),
        opened_at: now_utc(),
        opened_by: Some(StaffRef {
            id: "staff-1".into(),
            name: "Owner".into(),
        }),
        closed_at: None,
        closed_by: None,
        counted_cash: None,
        expected_cash: None,
        variance: None,
        z_report_json: None,
        version: 1,
    }
}

fn entry(id: &str, shift_id: &str, kind: &str, amount: &str) -> CashEntryRecord {
    CashEntryRecord {
        id: id.into(),
        shift_id: shift_id.into(),
        kind: kind.into(),
        amount: amount.into(),
        reason: "change".into(),
        created_at: now_utc(),
        created_by: None,
    }
}

fn close(store: &Store, shift: &mut ShiftRecord) -> bool {
    shift.closed_at = Some(now_utc());
    shift.counted_cash = Some("50.000".into());
    store.close_shift(shift).unwrap()
}

#[test]
fn only_one_shift_opens_per_profile_even_from_two_handles() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite3");
    let first = Store::open(&path).unwrap();
    let second = Store::open(&path).unwrap();
    first.open_shift(&shift("shift-a", "p1")).unwrap();
    let error = second.open_shift(&shift("shift-b", "p1")).unwrap_err();
    assert_eq!(
        error.problem().code,
        crate::problem::ProblemCode::ShiftAlreadyOpen
    );
    // Another profile has its own drawer.
    second.open_shift(&shift("shift-c", "p2")).unwrap();
    // Once closed, a new one opens.
    let mut open = second.open_shift_of("p1").unwrap().unwrap();
    assert_eq!(open.id, "shift-a");
    assert!(close(&second, &mut open));
    first.open_shift(&shift("shift-d", "p1")).unwrap();
    assert_eq!(first.open_shift_of("p1").unwrap().unwrap().id, "shift-d");
}

#[test]
fn a_close_over_a_stale_version_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("h.sqlite3")).unwrap();
    store.open_shift(&shift("s1", "p1")).unwrap();
    let mut read_before = store.get_shift("s1").unwrap().unwrap();
    // An entry (or a sale) arrives after the closer read the shift.
    store
        .add_cash_entry(&entry("e1", "s1", "in", "5.000"))
        .unwrap();
    assert!(!close(&store, &mut read_before.clone()));
    assert!(store.get_shift("s1").unwrap().unwrap().closed_at.is_none());
    let mut fresh = store.get_shift("s1").unwrap().unwrap();
    assert!(close(&store, &mut fresh));
    // Closed: no second close, no more entries.
    read_before.version = fresh.version;
    assert!(!close(&store, &mut read_before));
    let error = store
        .add_cash_entry(&entry("e2", "s1", "out", "1.000"))
        .unwrap_err();
    assert_eq!(
        error.problem().code,
        crate::problem::ProblemCode::ShiftClosed
    );
    assert_eq!(store.cash_entries("s1").unwrap().len(), 1);
}

#[test]
fn sales_belong_to_the_shift_open_when_they_were_made() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("h.sqlite3")).unwrap();
    store.insert(&mut record("before", "o1")).unwrap();
    store.open_shift(&shift("s1", "p1")).unwrap();
    let version = store.get_shift("s1").unwrap().unwrap().version;
    store.insert(&mut record("during", "o2")).unwrap();
    assert_eq!(store.get_shift("s1").unwrap().unwrap().version, version + 1);
    let mut other = record("other-profile", "o3");
    other.sale.profile_id = "p2".into();
    store.insert(&mut other).unwrap();
    let mut open = store.get_shift("s1").unwrap().unwrap();
    assert!(close(&store, &mut open));
    store.insert(&mut record("after", "o4")).unwrap();

    let ids: Vec<String> = store
        .shift_sales("s1")
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(ids, ["during"]);
    for id in ["before", "after", "other-profile"] {
        let (method, shift, ..) = store.sale_method(id).unwrap().unwrap();
        assert_eq!((method.as_str(), shift), ("link", None), "{id}");
    }
}

#[test]
fn a_cash_sale_needs_its_shift_open() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("h.sqlite3")).unwrap();
    let mut sale = record("cash-1", "CASH-1");
    let error = store
        .insert_cash_sale(&mut sale, "s1", "20.000", "7.500")
        .unwrap_err();
    assert_eq!(
        error.problem().code,
        crate::problem::ProblemCode::NoOpenShift
    );
    assert!(store.get("cash-1").unwrap().is_none(), "rolled back");

    store.open_shift(&shift("s1", "p1")).unwrap();
    store
        .insert_cash_sale(&mut sale, "s1", "20.000", "7.500")
        .unwrap();
    assert_eq!(
        store.sale_method("cash-1").unwrap().unwrap(),
        (
            "cash".to_owned(),
            Some("s1".to_owned()),
            Some("20.000".to_owned()),
            Some("7.500".to_owned())
        )
    );
    let rows = store.shift_sales("s1").unwrap();
    assert_eq!(rows[0].method, "cash");
}

#[test]
fn a_history_from_the_previous_schema_gains_shifts_and_keeps_its_sales() {
    let migrations_len = crate::store::MIGRATIONS.len() as i64;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite3");
    {
        // A file from before catalogs and shifts: migrations 1-4 only, one sale.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);",
        )
        .unwrap();
        for (index, step) in crate::store::MIGRATIONS[..4].iter().enumerate() {
            conn.execute_batch(step).unwrap();
            conn.execute(
                "INSERT INTO migrations (version, applied_at) VALUES (?1, 'then')",
                [index as i64 + 1],
            )
            .unwrap();
        }
        conn.execute(
            "INSERT INTO sales (id, profile_id, order_no, state, amount, currency_code, language,
                created_at, updated_at, request_json, search_text)
             VALUES ('old', 'p1', 'POS-1', 'paid', '1.000', 'KWD', 'en', 'x', 'x', '{}', '')",
            [],
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), migrations_len);
    assert_eq!(store.get("old").unwrap().unwrap().sale.amount, "1.000");
    assert_eq!(
        store.sale_method("old").unwrap().unwrap(),
        ("link".to_owned(), None, None, None)
    );
    store.open_shift(&shift("s1", "p1")).unwrap();
    drop(store);
    // Reopening applies nothing twice.
    let again = Store::open(&path).unwrap();
    assert_eq!(again.schema_version().unwrap(), migrations_len);
    assert!(again.open_shift_of("p1").unwrap().is_some());
}
