//! `shift`, `cash-sale` and `report`: a shift across separate processes on one history file.

use crate::helpers::{Cli, assert_success, stderr, stdout};

#[test]
fn a_shift_opened_by_one_process_is_closed_by_another_with_its_z_report() {
    let cli = Cli::new();
    let none = cli.run(&["cash-sale", "--amount", "1", "--tendered", "1"]);
    assert_eq!(none.status.code(), Some(2), "{}", stderr(&none));
    assert!(stderr(&none).contains("no_open_shift"), "{}", stderr(&none));

    let shift = cli.json(&["shift", "open", "--float", "50"]);
    assert_eq!(shift["opening_float"], "50.000");
    let again = cli.run(&["shift", "open", "--float", "1"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("shift_already_open"));

    let sold = cli.json(&["cash-sale", "--amount", "12.345", "--tendered", "20"]);
    assert_eq!(sold["change"], "7.655");
    assert_eq!(sold["sale"]["state"], "paid");
    let short = cli.run(&[
        "--json",
        "cash-sale",
        "--amount",
        "5",
        "--tendered",
        "4.999",
    ]);
    assert_eq!(short.status.code(), Some(2));
    let body: serde_json::Value = serde_json::from_slice(&short.stdout).unwrap();
    assert_eq!(
        body["fields"]["tendered"][0]["code"], "tendered_short",
        "{body}"
    );

    assert_success(&cli.run(&["shift", "cash-in", "--amount", "10", "--reason", "coins"]));
    let status = cli.json(&["shift", "status"]);
    assert_eq!(status["cash_entries"][0]["reason"], "coins");

    let x = cli.run(&["report", "x", "--csv"]);
    assert_success(&x);
    assert!(
        stdout(&x).contains("cash,expected,,KWD,,72.345"),
        "{}",
        stdout(&x)
    );

    let z = cli.json(&["shift", "close", "--counted", "72"]);
    assert_eq!(z["kind"], "z");
    assert_eq!(z["cash"]["variance"], "-0.345");
    let stored = cli.json(&["report", "z"]);
    assert_eq!(stored, z);
    assert_eq!(cli.json(&["shift", "status"]), serde_json::Value::Null);
}

#[test]
fn two_processes_opening_at_once_open_one_shift() {
    let cli = Cli::new();
    // The demo's engine starts once; both racers then meet at the insert.
    assert_success(&cli.run(&["shift", "status"]));
    let racers: Vec<_> = ["10", "20"]
        .iter()
        .map(|float| {
            cli.command(&["--json", "shift", "open", "--float", float])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outputs: Vec<_> = racers
        .into_iter()
        .map(|child| child.wait_with_output().unwrap())
        .collect();
    let opened = outputs.iter().filter(|o| o.status.success()).count();
    assert_eq!(opened, 1, "exactly one opens");
    let refused = outputs.iter().find(|o| !o.status.success()).unwrap();
    assert!(
        String::from_utf8_lossy(&refused.stdout).contains("shift_already_open"),
        "{}",
        String::from_utf8_lossy(&refused.stdout)
    );
    let status = cli.json(&["shift", "status"]);
    assert!(["10.000", "20.000"].contains(&status["opening_float"].as_str().unwrap()));
}
