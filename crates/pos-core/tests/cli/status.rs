//! `status`, `edit`, `cancel` across invocations (the demo keeps its state).

use std::time::Duration;

use crate::helpers::{Cli, assert_success, pay, stderr, stdout};

#[test]
fn status_wait_sees_the_payment_made_through_the_sandbox() {
    let cli = Cli::new();
    let sale = cli.request("3.000");
    let order_no = sale["order_no"].as_str().unwrap().to_owned();
    let session_id = sale["session_id"].as_str().unwrap().to_owned();
    let link = sale["link"].as_str().unwrap().to_owned();

    let before = cli.json(&["status", &order_no]);
    assert_eq!(before["state"], "created");

    // The waiting process serves the demo; the customer pays through it.
    let waiting = cli
        .command(&["status", &session_id, "--wait", "--timeout", "60s"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    pay(&link, &session_id);
    let output = waiting.wait_with_output().unwrap();
    assert_success(&output);
    assert!(stdout(&output).contains("paid"), "{}", stdout(&output));

    let after = cli.json(&["status", sale["id"].as_str().unwrap()]);
    assert_eq!(after["state"], "paid");
    assert!(after["paid_at"].is_string());
}

#[test]
fn status_wait_gives_up_after_the_timeout_with_exit_7() {
    let cli = Cli::new();
    let sale = cli.request("1");
    let started = std::time::Instant::now();
    let output = cli.run(&[
        "status",
        sale["id"].as_str().unwrap(),
        "--wait",
        "--timeout",
        "1s",
    ]);
    assert_eq!(output.status.code(), Some(7), "{}", stderr(&output));
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn edit_and_cancel_change_the_sale() {
    let cli = Cli::new();
    let sale = cli.request("5");
    let id = sale["id"].as_str().unwrap();
    let edited = cli.json(&["edit", id, "--amount", "6.5"]);
    assert_eq!(edited["amount"], "6.500");
    assert_eq!(edited["link"], sale["link"], "same link after an edit");
    let canceled = cli.json(&["cancel", id]);
    assert_eq!(canceled["state"], "canceled");
    let output = cli.run(&["edit", id, "--amount", "7"]);
    assert_eq!(
        output.status.code(),
        Some(2),
        "a canceled sale cannot be edited"
    );
}

#[test]
fn an_unknown_sale_exits_3() {
    let cli = Cli::new();
    let output = cli.run(&["status", "POS-NOPE"]);
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert!(stderr(&output).contains("POS-NOPE"));
}

#[test]
fn receipt_prints_a_paid_sale_as_plain_text_and_refuses_an_unpaid_one() {
    let cli = Cli::new();
    let sale = cli.request("4.250");
    let order_no = sale["order_no"].as_str().unwrap().to_owned();
    let session_id = sale["session_id"].as_str().unwrap().to_owned();
    let link = sale["link"].as_str().unwrap().to_owned();

    let unpaid = cli.run(&["receipt", &order_no]);
    assert!(!unpaid.status.success());
    assert!(
        stderr(&unpaid).contains("only a paid sale has a receipt"),
        "{}",
        stderr(&unpaid)
    );

    let waiting = cli
        .command(&["status", &session_id, "--wait", "--timeout", "60s"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    pay(&link, &session_id);
    assert_success(&waiting.wait_with_output().unwrap());

    let output = cli.run(&["receipt", &order_no]);
    assert_success(&output);
    let text = stdout(&output);
    for wanted in [
        "Demo Shop",
        &format!("Order {order_no}"),
        &format!("Ottu reference {session_id}"),
        "Custom amount",
        "  1 x 4.250 = 4.250 KWD",
        "Total          4.250 KWD",
    ] {
        assert!(text.contains(wanted), "{wanted:?} missing from\n{text}");
    }
    let arabic = cli.run(&["receipt", &order_no, "--language", "ar"]);
    assert_success(&arabic);
    assert!(stdout(&arabic).contains("مبلغ مخصص"), "{}", stdout(&arabic));
}
