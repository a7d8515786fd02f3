//! `settle`: the headless engine's one pass and its watch mode.

use crate::helpers::{Cli, assert_success};

#[test]
fn settle_with_nothing_to_settle_says_so_and_exits_0() {
    let cli = Cli::new();
    let once = cli.json(&["settle"]);
    assert_eq!(once["unsettled"], 0, "{once}");
    let watched = cli.run(&["--json", "settle", "--watch", "--deadline", "5s"]);
    assert_success(&watched);
    let usage = cli.run(&["settle", "--deadline", "5s"]);
    assert_eq!(usage.status.code(), Some(2), "--deadline needs --watch");
}

#[test]
fn the_secret_can_come_from_a_named_environment_variable_only() {
    let cli = Cli::with_owner_pin();
    // A merchant profile whose key is never stored: every command reads it from the variable.
    let output = cli
        .command(&[
            "--json",
            "--secret-from-env",
            "SHOP_KEY",
            "profile",
            "add",
            "--name",
            "Env shop",
            "--url",
            "http://127.0.0.1:9",
            "--secret-env",
            "SHOP_KEY",
        ])
        .env("SHOP_KEY", "k3y-from-env")
        .output()
        .unwrap();
    assert_success(&output);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(!text.contains("k3y-from-env"), "{text}");
    // Another value than the variable's is refused rather than silently dropped.
    let refused = cli
        .command(&[
            "--secret-from-env",
            "SHOP_KEY",
            "profile",
            "add",
            "--name",
            "Env shop 2",
            "--url",
            "http://127.0.0.1:9",
            "--secret-env",
            "OTHER_KEY",
        ])
        .env("SHOP_KEY", "k3y-from-env")
        .env("OTHER_KEY", "another")
        .output()
        .unwrap();
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("SHOP_KEY") && !stderr.contains("another"),
        "{stderr}"
    );
}
