//! `reconcile --from --to`: the till's sales against the demo's report files, and the range's
//! checks naming the field. (Planted differences of every kind are tested on the sandbox over
//! HTTP in `till/reconcile/tests.rs`.)

use crate::helpers::{Cli, stderr};

fn utc_today() -> String {
    let now = time::OffsetDateTime::now_utc().date();
    format!(
        "{:04}-{:02}-{:02}",
        now.year(),
        u8::from(now.month()),
        now.day()
    )
}

#[test]
fn a_sale_of_today_is_missing_at_ottu_until_a_report_holds_it() {
    let cli = Cli::new();
    let sale = cli.request("1.500");
    let order_no = sale["order_no"].as_str().unwrap().to_owned();
    assert!(order_no.starts_with("POS-DEMO-"), "{order_no}");
    let today = utc_today();
    // The demo makes a day's report file only once the day is over: nothing holds the sale yet.
    let result = cli.json(&["reconcile", "--from", &today, "--to", &today]);
    assert_eq!(result["till_id"], "DEMO");
    assert_eq!(result["compared"], 1, "{result}");
    assert_eq!(result["report_files"], 0);
    assert_eq!(
        result["differences"],
        serde_json::json!([{
            "kind": "missing_at_ottu",
            "order_no": order_no,
            "session_id": sale["session_id"],
            "currency_code": "KWD",
            "ours": "1.500",
            "ottu": null,
        }])
    );
}

#[test]
fn a_backwards_or_too_long_range_names_the_field() {
    let cli = Cli::new();
    let backwards = cli.run(&[
        "--json",
        "reconcile",
        "--from",
        "2026-12-03",
        "--to",
        "2026-12-01",
    ]);
    assert_eq!(backwards.status.code(), Some(2), "{}", stderr(&backwards));
    let body: serde_json::Value = serde_json::from_slice(&backwards.stdout).unwrap();
    assert_eq!(
        body["fields"]["to"][0]["code"], "reconcile_range_backwards",
        "{body}"
    );
    let long = cli.run(&["reconcile", "--from", "2026-11-01", "--to", "2026-12-01"]);
    assert_eq!(long.status.code(), Some(2));
    assert!(
        stderr(&long).contains("reconcile_range_too_long"),
        "{}",
        stderr(&long)
    );
}
