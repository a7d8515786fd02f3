//! `history`: text, JSON and CSV.

use crate::helpers::{Cli, assert_success, stdout};

#[test]
fn history_lists_sales_and_exports_csv() {
    let cli = Cli::new();
    let first = cli.request("1.500");
    let second = cli.request("2.250");

    let history = cli.json(&["history", "--today"]);
    let sales = history["sales"].as_array().unwrap();
    assert_eq!(sales.len(), 2);
    assert_eq!(sales[0]["id"], second["id"], "newest first");

    let output = cli.run(&["history", "--csv"]);
    assert_success(&output);
    let csv = stdout(&output);
    assert!(csv.starts_with('\u{feff}'), "UTF-8 BOM for spreadsheets");
    assert_eq!(csv.lines().count(), 3, "{csv}");
    assert!(csv.contains(first["order_no"].as_str().unwrap()));
    assert!(csv.contains("2.250"));

    let file = tempfile::NamedTempFile::new().unwrap();
    let exported = cli.json(&["history", "--csv", file.path().to_str().unwrap()]);
    assert_eq!(exported["rows"], 2);
    assert!(
        std::fs::read_to_string(file.path())
            .unwrap()
            .contains("1.500")
    );

    let paid = cli.json(&["history", "--state", "paid"]);
    assert!(paid["sales"].as_array().unwrap().is_empty());
    let output = cli.run(&["history", "--state", "bogus"]);
    assert_eq!(output.status.code(), Some(2));
}
