//! The CLI under staff rules: once an owner PIN exists every command needs a PIN, taken from
//! `OTTU_POS_PIN` or stdin (never an argument), and the role table applies as in the app.

use std::io::Write;
use std::process::Stdio;
use std::sync::Arc;

use pos_core::Till;
use pos_core::secrets::MemorySecretStore;
use pos_core::staff::{Role, StaffInput};

use crate::helpers::{Cli, assert_success, stderr};

/// A till with an owner (PIN 1234) and a cashier (PIN 1111).
fn staffed() -> Cli {
    let cli = Cli::new();
    let till = Till::open(cli.dirs(), Arc::new(MemorySecretStore::new())).unwrap();
    till.save_staff(StaffInput {
        id: Some("staff-1".into()),
        name: "Huda".into(),
        role: None,
        pin: Some("1234".into()),
    })
    .unwrap();
    till.save_staff(StaffInput {
        id: None,
        name: "Ali".into(),
        role: Some(Role::Cashier),
        pin: Some("1111".into()),
    })
    .unwrap();
    cli
}

#[test]
fn without_a_pin_a_locked_till_refuses_with_its_own_exit_code() {
    let cli = staffed();
    let output = cli.run(&["request", "--amount", "1", "--currency", "KWD"]);
    assert_eq!(output.status.code(), Some(8), "{}", stderr(&output));
    assert!(stderr(&output).contains("PIN"), "{}", stderr(&output));

    let output = cli
        .command(&["request", "--amount", "1", "--currency", "KWD"])
        .env("OTTU_POS_PIN", "9999")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("wrong PIN"), "{}", stderr(&output));
}

#[test]
fn a_cashier_pin_from_the_environment_or_stdin_makes_sales_but_not_exports() {
    let cli = staffed();
    let output = cli
        .command(&[
            "--json",
            "request",
            "--amount",
            "1.250",
            "--currency",
            "KWD",
        ])
        .env("OTTU_POS_PIN", "1111")
        .output()
        .unwrap();
    assert_success(&output);
    let sale: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(sale["created_by"]["name"], "Ali");

    let mut child = cli
        .command(&["history", "--csv"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"1111\n").unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(8), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("cashier may not export"),
        "{}",
        stderr(&output)
    );

    let output = cli
        .command(&["history", "--csv"])
        .env("OTTU_POS_PIN", "1234")
        .output()
        .unwrap();
    assert_success(&output);
    assert!(String::from_utf8_lossy(&output.stdout).contains(",Ali"));
}

#[test]
fn refund_from_the_cli_repeats_safely_with_its_intent_and_follows_the_role_table() {
    let cli = Cli::new();
    let sale = cli.request("3.000");
    let id = sale["id"].as_str().unwrap();
    // The waiting process serves the demo; the customer pays through it.
    let waiting = cli
        .command(&["status", id, "--wait", "--timeout", "60s"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    crate::helpers::pay(
        sale["link"].as_str().unwrap(),
        sale["session_id"].as_str().unwrap(),
    );
    assert_success(&waiting.wait_with_output().unwrap());

    // No PIN exists yet: the first owner refunds; the intent can be repeated safely.
    let refunded = cli.json(&["refund", id, "--amount", "1.000", "--intent", "once"]);
    assert_eq!(refunded["refundable_amount"], "2.000", "{refunded}");
    let again = cli.json(&["refund", id, "--amount", "1.000", "--intent", "once"]);
    assert_eq!(
        again["refundable_amount"], "2.000",
        "the same intent is one refund"
    );
    assert_eq!(again["operations"].as_array().unwrap().len(), 1);
    let output = cli.run(&["refund", id, "--amount", "2.001"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("amount"), "{}", stderr(&output));

    // Once staff exist, a cashier needs a manager's PIN, passed through the environment.
    let till = Till::open(cli.dirs(), Arc::new(MemorySecretStore::new())).unwrap();
    for (id, name, role, pin) in [
        (Some("staff-1"), "Huda", None, "1234"),
        (None, "Ali", Some(Role::Cashier), "1111"),
    ] {
        till.save_staff(StaffInput {
            id: id.map(str::to_owned),
            name: name.into(),
            role,
            pin: Some(pin.into()),
        })
        .unwrap();
    }
    let output = cli
        .command(&["refund", id, "--amount", "0.500"])
        .env("OTTU_POS_PIN", "1111")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(8), "{}", stderr(&output));
    let output = cli
        .command(&[
            "--json",
            "refund",
            id,
            "--amount",
            "0.500",
            "--approver-pin-env",
            "BOSS",
        ])
        .env("OTTU_POS_PIN", "1111")
        .env("BOSS", "1234")
        .output()
        .unwrap();
    assert_success(&output);
    let sale: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(sale["refundable_amount"], "1.500");
    assert_eq!(sale["operations"][1]["approved_by"]["name"], "Huda");
}
