//! `dashboard`: today's figures from sales made by other processes, as text and JSON.

use crate::helpers::{Cli, assert_success, stdout};

#[test]
fn the_dashboard_adds_up_the_sales_other_processes_made() {
    let cli = Cli::new();
    let empty = cli.json(&["dashboard"]);
    assert_eq!(empty["scope"], "shop");
    assert_eq!(empty["currencies"], serde_json::json!([]));

    cli.json(&["shift", "open", "--float", "0"]);
    cli.json(&["cash-sale", "--amount", "12.345", "--tendered", "20"]);
    cli.json(&["cash-sale", "--amount", "0.655", "--tendered", "1"]);

    let dashboard = cli.json(&["dashboard"]);
    let kwd = &dashboard["currencies"][0];
    assert_eq!(kwd["currency_code"], "KWD");
    assert_eq!(kwd["paid_count"], 2);
    assert_eq!(kwd["paid_total"], "13.000");
    assert_eq!(kwd["average_sale"], "6.500");
    assert_eq!(kwd["by_method"][0]["method"], "cash");
    assert_eq!(kwd["by_hour"].as_array().unwrap().len(), 24);
    assert_eq!(kwd["this_week"].as_array().unwrap().len(), 7);

    let text = cli.run(&["dashboard"]);
    assert_success(&text);
    assert!(
        stdout(&text).contains("KWD: paid 13.000 KWD (2 sales)"),
        "{}",
        stdout(&text)
    );
}
