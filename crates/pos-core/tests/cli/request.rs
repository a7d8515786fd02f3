//! `request`: link, QR, validation and JSON.

use crate::helpers::{Cli, assert_success, stderr, stdout};

#[test]
fn request_prints_the_link_and_a_qr_code() {
    let cli = Cli::new();
    let output = cli.run(&[
        "request",
        "--amount",
        "12.500",
        "--currency",
        "KWD",
        "--phone",
        "+96550000000",
    ]);
    assert_success(&output);
    let text = stdout(&output);
    let first = text.lines().next().unwrap();
    assert!(
        first.starts_with("http://127.0.0.1:"),
        "the link comes first: {text}"
    );
    assert!(
        text.contains('█') && text.lines().count() > 15,
        "a QR code is drawn: {text}"
    );
    assert!(
        text.contains("12.500 KWD") && text.contains("created"),
        "{text}"
    );
}

#[test]
fn a_bad_amount_exits_2_and_names_the_amount_field() {
    let cli = Cli::new();
    let output = cli.run(&["request", "--amount", "12.3456", "--currency", "KWD"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("amount"), "{}", stderr(&output));
    assert!(stdout(&output).is_empty());

    let output = cli.run(&["--json", "request", "--amount", "abc", "--currency", "KWD"]);
    assert_eq!(output.status.code(), Some(2));
    let error: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(error["code"], "invalid_input");
    assert!(error["fields"]["amount"].is_array(), "{error}");
}

/// Issue 11 point 6: `--amount` is read by the UI's rule, `,` and `٬` group thousands and `.` and
/// `٫` are the decimal point; a misplaced separator is refused, not guessed.
#[test]
fn typed_amounts_follow_the_one_separator_rule() {
    let cli = Cli::new();
    for (typed, amount) in [
        ("1,500", "1500.000"),
        ("١٬٥٠٠", "1500.000"),
        ("1.500", "1.500"),
        ("١٫٥٠٠", "1.500"),
    ] {
        assert_eq!(cli.request(typed)["amount"], amount, "{typed}");
    }
    let output = cli.run(&["--json", "request", "--amount", "1,50", "--currency", "KWD"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let error: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        error["fields"]["amount"][0]["code"],
        "amount_misplaced_grouping"
    );
    assert_eq!(
        error["fields"]["amount"][0]["message"],
        "a comma separates thousands (1,500); use . for decimals (1.5)"
    );
    // Without --json the CLI stays English and prints the stable codes.
    let output = cli.run(&["request", "--amount", "1.2345", "--currency", "KWD"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error[fix_fields]: please fix: amount\n  amount[amount_too_many_decimals]: \
         KWD amounts have at most 3 decimals, e.g. 12.500\n"
    );
}

#[test]
fn request_json_is_the_sale_dto() {
    let cli = Cli::new();
    let sale = cli.request("7.25");
    assert_eq!(sale["amount"], "7.250");
    assert_eq!(sale["currency_code"], "KWD");
    assert_eq!(sale["state"], "created");
    assert_eq!(sale["profile_id"], "demo");
    assert!(
        sale["link"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1:")
    );
    assert!(sale["qr_svg"].as_str().unwrap().contains("<svg"));
}

#[test]
fn usage_errors_exit_2_and_help_lists_the_exit_codes() {
    let cli = Cli::new();
    let output = cli.run(&["request"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--amount"));
    let output = cli.run(&["--help"]);
    assert_success(&output);
    assert!(stdout(&output).contains("Exit codes"));
    let output = cli.run(&["--profile", "nope", "profile", "list"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
}

#[test]
fn profile_list_shows_the_demo_as_active() {
    let cli = Cli::new();
    let output = cli.run(&["profile", "list"]);
    assert_success(&output);
    assert!(stdout(&output).starts_with("* demo"), "{}", stdout(&output));
    let profiles = cli.json(&["profile", "list"]);
    assert_eq!(profiles[0]["kind"], "demo");
    assert_eq!(profiles[0]["secret_configured"], true);
    let check = cli.json(&["profile", "test"]);
    assert_eq!(check["kind"], "ok", "{check}");
}
