//! History search on the FTS5 trigram index: what it must find after inserts, updates, state
//! changes and deletes, rows written before it existed, and (property test) the same sales, in
//! the same order, as the `LIKE` scan it replaced; and the period totals (property tests: the
//! per-day sums equal the index sum and the decimal sums).

use proptest::prelude::*;

use super::tests::record;
use super::*;
use crate::cart::{CartLineTotals, CartTotals};
use crate::dto::Total;

fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("h.sqlite")).unwrap();
    (dir, store)
}

fn cart(items: &[&str]) -> CartTotals {
    let line = |name: &str| CartLineTotals {
        item_id: None,
        sku: format!("SKU-{name}"),
        description: name.to_owned(),
        quantity: "1".into(),
        vat_rate: 0,
        shelf_unit_price: "1.000".into(),
        line_discount: "0.000".into(),
        sale_discount_share: "0.000".into(),
        shelf_total: "1.000".into(),
        unit_price_excl_tax: "1.000".into(),
        discount_excl_tax: "0.000".into(),
        total_excl_tax: "1.000".into(),
        tax_amount: "0.000".into(),
        total_incl_tax: "1.000".into(),
    };
    CartTotals {
        currency_code: "KWD".into(),
        prices_include_tax: true,
        lines: items.iter().map(|name| line(name)).collect(),
        sale_discount: "0.000".into(),
        shelf_total: "1.000".into(),
        total_excl_tax: "1.000".into(),
        tax_amount: "0.000".into(),
        vat: Vec::new(),
        total: "1.000".into(),
        matches_shelf: true,
    }
}

fn find(store: &Store, text: &str) -> Vec<String> {
    store
        .list(
            "p1",
            &ListFilter {
                text: Some(text.to_lowercase()),
                limit: 100,
                ..Default::default()
            },
        )
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect()
}

/// The search of every earlier version: a `LIKE` over `search_text`, newest first.
fn scan(store: &Store, text: &str, state: Option<SaleState>, limit: u32) -> Vec<String> {
    let conn = store.conn();
    let mut stmt = conn
        .prepare(
            "SELECT id FROM sales WHERE profile_id = 'p1' AND search_text LIKE ?1 ESCAPE '\\'
             AND (?3 IS NULL OR state = ?3)
             ORDER BY created_at DESC, id DESC LIMIT ?2",
        )
        .unwrap();
    let state = state.map(SaleState::as_str);
    stmt.query_map(
        params![format!("%{}%", escape_like(text)), limit, state],
        |r| r.get(0),
    )
    .unwrap()
    .collect::<rusqlite::Result<Vec<String>>>()
    .unwrap()
}

fn integrity_check(store: &Store) {
    store
        .conn()
        .execute(
            "INSERT INTO sales_search (sales_search, rank) VALUES ('integrity-check', 1)",
            [],
        )
        .expect("the search index matches the sales table");
}

#[test]
fn every_searched_field_is_found_after_an_insert() {
    let (_dir, store) = open();
    let mut sale = record("a", "POS-20260101-ABC123");
    sale.sale.session_id = Some("f00dfeed0123456789".into());
    sale.sale.note = Some("Deliver to Salmiya branch".into());
    sale.sale.cart = Some(cart(&["Cardamom Latte", "كعك بالتمر"]));
    store.insert(&mut sale).unwrap();
    let mut other = record("b", "POS-OTHER");
    other.sale.customer_name = Some("Omar".into());
    other.sale.customer_phone = Some("+96511112222".into());
    other.sale.customer_email = None;
    store.insert(&mut other).unwrap();
    for text in [
        "Al-Ahmad",
        "سارة",
        "99999",
        "sara@example.com",
        "20260101-abc",
        "feed0123",
        "salmiya",
        "cardamom latte",
        "بالتمر",
    ] {
        assert_eq!(find(&store, text), vec!["a"], "{text}");
    }
    assert!(find(&store, "espresso").is_empty());
    integrity_check(&store);
}

#[test]
fn updates_and_state_changes_keep_the_index_in_step() {
    let (_dir, store) = open();
    let mut sale = record("a", "POS-1");
    sale.sale.note = Some("first note".into());
    store.insert(&mut sale).unwrap();
    assert_eq!(find(&store, "first note"), vec!["a"]);

    // Edited details: the old text is gone from the index, the new one is there.
    sale.sale.note = Some("second remark".into());
    sale.sale.customer_name = Some("Omar Khalid".into());
    assert!(store.update(&mut sale).unwrap());
    assert!(find(&store, "first note").is_empty());
    assert!(find(&store, "al-ahmad").is_empty());
    assert_eq!(find(&store, "second remark"), vec!["a"]);
    assert_eq!(find(&store, "omar kh"), vec!["a"]);

    // The server's answer: a session id, then paid. Still found, by the new id too.
    sale.sale.session_id = Some("sess9876543210".into());
    sale.sale.state = SaleState::Created;
    assert!(store.update(&mut sale).unwrap());
    assert_eq!(find(&store, "98765"), vec!["a"]);
    sale.sale.state = SaleState::Paid;
    sale.sale.paid_at = Some(now_utc());
    assert!(store.update(&mut sale).unwrap());
    assert_eq!(find(&store, "omar kh"), vec!["a"]);
    let paid_only = store
        .list(
            "p1",
            &ListFilter {
                text: Some("omar".into()),
                state: Some(SaleState::Paid),
                limit: 10,
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(paid_only.len(), 1);
    integrity_check(&store);

    store
        .conn()
        .execute("DELETE FROM sales WHERE id = 'a'", [])
        .unwrap();
    assert!(find(&store, "omar kh").is_empty());
    integrity_check(&store);
}

#[test]
fn rows_written_before_the_index_held_every_field_are_rewritten_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.sqlite");
    {
        let store = Store::open(&path).unwrap();
        let mut sale = record("a", "POS-1");
        sale.sale.note = Some("Gift wrap".into());
        sale.sale.cart = Some(cart(&["Rose Bouquet"]));
        store.insert(&mut sale).unwrap();
        // As an older version wrote it: name, phone, email and order number only.
        store
            .conn()
            .execute(
                "UPDATE sales SET search_fields = 0,
                 search_text = 'سارة al-ahmad' || char(10) || '+96599999999'
                     || char(10) || 'sara@example.com' || char(10) || 'pos-1'",
                [],
            )
            .unwrap();
        assert!(find(&store, "gift wrap").is_empty());
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(find(&store, "gift wrap"), vec!["a"]);
    assert_eq!(find(&store, "rose bouquet"), vec!["a"]);
    assert_eq!(find(&store, "al-ahmad"), vec!["a"]);
    integrity_check(&store);
}

#[test]
fn a_quote_in_the_search_is_text_not_query_syntax() {
    let (_dir, store) = open();
    let mut sale = record("a", "POS-1");
    sale.sale.note = Some("the \"big\" order* OR NOT".into());
    store.insert(&mut sale).unwrap();
    assert_eq!(find(&store, "\"big\""), vec!["a"]);
    assert_eq!(find(&store, "order* or not"), vec!["a"]);
    assert!(find(&store, "\"bog\"").is_empty());
}

/// Words that share letters, so random substrings of them hit several sales.
const WORDS: [&str; 8] = [
    "sara", "sarah", "omar", "سارة", "نور", "latte", "lat", "o'neil",
];

fn pick(index: usize) -> String {
    WORDS[index % WORDS.len()].to_owned()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn search_finds_what_the_scan_finds(
        sales in prop::collection::vec(
            (0usize..8, 0usize..8, prop::option::of(0usize..8), 0u32..100_000, any::<bool>()),
            1..40,
        ),
        edits in prop::collection::vec((0usize..40, 0usize..8), 0..10),
        queries in prop::collection::vec((0usize..8, 0usize..6, 1usize..6), 1..12),
        limit in 1u32..30,
        selective_matches in prop_oneof![Just(0u32), 1u32..8, Just(SELECTIVE_MATCHES)],
        state in prop::option::of(prop_oneof![Just(SaleState::Paid), Just(SaleState::Expired)]),
    ) {
        let (_dir, store) = open();
        let mut records = Vec::new();
        for (n, (first, last, item, phone, paid)) in sales.iter().enumerate() {
            let mut sale = record(&format!("s{n:02}"), &format!("POS-{n}"));
            sale.sale.customer_name = Some(format!("{} {}", pick(*first), pick(*last)));
            sale.sale.customer_phone = Some(format!("+965{phone:08}"));
            sale.sale.customer_email = None;
            sale.sale.cart = item.map(|i| cart(&[&pick(i)]));
            // A few share a creation time: ties are broken by id, in both queries.
            sale.sale.created_at = format!("2026-01-01T00:00:{:02}.000Z", n / 2);
            if *paid {
                sale.sale.state = SaleState::Paid;
            }
            store.insert(&mut sale).unwrap();
            records.push(sale);
        }
        for (which, word) in edits {
            let Some(sale) = records.get_mut(which) else { continue };
            sale.sale.note = Some(pick(word));
            sale.sale.state = SaleState::Expired;
            prop_assert!(store.update(sale).unwrap());
        }
        integrity_check(&store);
        for (word, start, len) in queries {
            let source = pick(word);
            let chars: Vec<char> = source.chars().collect();
            let start = start.min(chars.len() - 1);
            let end = (start + len).min(chars.len());
            let text: String = chars[start..end].iter().collect();
            // Both plans: few matches read by rowid, many read newest first.
            let found: Vec<String> = store
                .list_with(
                    "p1",
                    &ListFilter { text: Some(text.clone()), state, limit, ..Default::default() },
                    selective_matches,
                )
                .unwrap()
                .into_iter()
                .map(|s| s.id)
                .collect();
            prop_assert_eq!(found, scan(&store, &text, state, limit), "query {:?}", text);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// The day's totals summed by SQLite in minor units equal the decimal sums in Rust.
    #[test]
    fn paid_totals_equal_the_decimal_sums(
        sales in prop::collection::vec((0usize..3, 0u64..10_000_000, 0u32..4), 0..30),
    ) {
        let (_dir, store) = open();
        for (n, (currency, minor, state)) in sales.iter().enumerate() {
            let (code, decimals) = [("KWD", 3), ("USD", 2), ("JPY", 0)][*currency];
            let mut sale = record(&format!("s{n}"), &format!("POS-{n}"));
            let scale = 10u64.pow(decimals);
            sale.sale.amount = if decimals == 0 {
                minor.to_string()
            } else {
                format!("{}.{:0w$}", minor / scale, minor % scale, w = decimals as usize)
            };
            sale.sale.currency_code = code.into();
            sale.sale.state = [SaleState::Paid, SaleState::Paid, SaleState::Expired, SaleState::Refunded][*state as usize];
            sale.sale.paid_at = Some(format!("2026-03-01T10:00:{:02}.000Z", n % 60));
            store.insert(&mut sale).unwrap();
        }
        let (from, until) = ("2026-03-01T00:00:00.000Z", "2026-03-02T00:00:00.000Z");
        let expected = crate::history::totals(&store.paid_amounts("p1", from, until).unwrap()).unwrap();
        prop_assert_eq!(store.paid_totals("p1", from, until).unwrap(), expected);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Totals read from `sales_paid_days` (whole days) and the index (edge days) equal the
    /// covering-index sum over every paid sale of the period, after inserts, state, amount,
    /// currency and `paid_at` changes and deletes, for periods on and off UTC midnight.
    #[test]
    fn paid_totals_from_days_equal_the_index_sum(
        sales in prop::collection::vec(
            (0usize..3, 0u64..10_000_000, 0usize..4, 0u32..6, 0u32..24),
            0..40,
        ),
        edits in prop::collection::vec(
            (0usize..40, 0usize..5, 0u64..10_000_000, 0u32..6, 0u32..24),
            0..15,
        ),
        periods in prop::collection::vec((0u32..7, 0u32..24, 0u32..7, 0u32..24), 1..6),
    ) {
        let (_dir, store) = open();
        let currencies = [("KWD", 3u32), ("USD", 2), ("JPY", 0)];
        let amount = |currency: usize, minor: u64| {
            let decimals = currencies[currency].1;
            let scale = 10u64.pow(decimals);
            if decimals == 0 {
                minor.to_string()
            } else {
                format!("{}.{:0w$}", minor / scale, minor % scale, w = decimals as usize)
            }
        };
        let states = [SaleState::Paid, SaleState::Paid, SaleState::Expired, SaleState::Refunded];
        // Days 1 to 6 of March, across a month's end when shifted by a day (Feb has 28).
        let paid_at = |day: u32, hour: u32| format!("2026-03-{:02}T{hour:02}:30:00.000Z", day + 1);
        let mut records = Vec::new();
        for (n, (currency, minor, state, day, hour)) in sales.iter().enumerate() {
            let mut sale = record(&format!("s{n:02}"), &format!("POS-{n}"));
            sale.sale.amount = amount(*currency, *minor);
            sale.sale.currency_code = currencies[*currency].0.into();
            sale.sale.state = states[*state];
            sale.sale.paid_at = Some(paid_at(*day, *hour));
            store.insert(&mut sale).unwrap();
            records.push(Some(sale));
        }
        for (which, change, minor, day, hour) in edits {
            let Some(slot) = records.get_mut(which) else { continue };
            let Some(sale) = slot.as_mut() else { continue };
            match change {
                0 => sale.sale.state = states[minor as usize % states.len()],
                1 => sale.sale.paid_at = Some(paid_at(day, hour)),
                2 => {
                    let currency = minor as usize % currencies.len();
                    sale.sale.currency_code = currencies[currency].0.into();
                    sale.sale.amount = amount(currency, minor);
                }
                3 => sale.sale.amount = amount(
                    currencies.iter().position(|c| c.0 == sale.sale.currency_code).unwrap(),
                    minor,
                ),
                _ => {
                    store
                        .conn()
                        .execute("DELETE FROM sales WHERE id = ?1", [&sale.sale.id])
                        .unwrap();
                    *slot = None;
                    continue;
                }
            }
            prop_assert!(store.update(sale).unwrap());
        }
        for (from_day, from_hour, days, until_hour) in periods {
            let from = format!("2026-03-{:02}T{from_hour:02}:00:00.000Z", from_day + 1);
            let until = format!("2026-03-{:02}T{until_hour:02}:00:00.000Z", from_day + days + 1);
            for (from, until) in [
                (from.clone(), until.clone()),
                (from[..10].to_owned() + "T00:00:00.000Z", until[..10].to_owned() + "T00:00:00.000Z"),
            ] {
                prop_assert_eq!(
                    store.paid_totals("p1", &from, &until).unwrap(),
                    store.paid_totals_scanned("p1", &from, &until).unwrap(),
                    "period {} to {}", from, until
                );
            }
        }
    }
}

/// A currency whose stored amounts disagree on their decimals is summed as decimals, also when
/// its sales fall in whole days read from `sales_paid_days`.
#[test]
fn paid_totals_sum_mixed_decimals_as_decimals() {
    let (_dir, store) = open();
    for (n, (amount, day)) in [("1.5", 2), ("2.250", 3), ("3", 4)].iter().enumerate() {
        let mut sale = record(&format!("s{n}"), &format!("POS-{n}"));
        sale.sale.amount = (*amount).into();
        sale.sale.currency_code = "KWD".into();
        sale.sale.state = SaleState::Paid;
        sale.sale.paid_at = Some(format!("2026-03-{day:02}T12:00:00.000Z"));
        store.insert(&mut sale).unwrap();
    }
    let totals = store
        .paid_totals("p1", "2026-03-01T00:00:00.000Z", "2026-04-01T00:00:00.000Z")
        .unwrap();
    assert_eq!(
        totals,
        vec![Total {
            currency_code: "KWD".into(),
            amount: "6.750".into(),
            count: 3
        }]
    );
}

/// The plans the history's scale rests on: a common text is tested on the covering index
/// alone, newest first with no sort, and a period's whole days are a range of the day table's
/// key.
#[test]
fn common_text_and_whole_days_read_only_their_indexes() {
    let (_dir, store) = open();
    let conn = store.conn();
    let plan = |sql: &str| -> String {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let params = vec!["x"; stmt.parameter_count()];
        let rows = stmt
            .query_map(rusqlite::params_from_iter(params), |r| {
                r.get::<_, String>(3)
            })
            .unwrap();
        rows.map(Result::unwrap).collect::<Vec<_>>().join("\n")
    };
    let search = plan(
        "SELECT s.rowid FROM sales AS s INDEXED BY sales_profile_created_text
         WHERE s.profile_id = ? AND s.search_text LIKE ? ESCAPE '\\' AND s.search_text <> ''
         ORDER BY s.created_at DESC, s.id DESC LIMIT 200",
    );
    assert!(
        search.contains("COVERING INDEX sales_profile_created_text")
            && !search.contains("TEMP B-TREE"),
        "{search}"
    );
    let days = plan(
        "SELECT currency_code, decimals, SUM(minor), SUM(count) FROM sales_paid_days
         WHERE profile_id = ? AND day > ? AND day < ? GROUP BY currency_code, decimals",
    );
    assert!(
        days.contains(
            "SEARCH sales_paid_days USING PRIMARY KEY (profile_id=? AND day>? AND day<?)"
        ),
        "{days}"
    );
}
