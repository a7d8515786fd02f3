//! The desktop binary given a subcommand is the command line (`ottu-pos request ...`), and
//! never needs a display: a shop's scripts and the support desk use it on machines without one.
//!
//! Also why this file exists for the build: an integration test makes `cargo test --workspace`
//! build the `ottu-pos` binary itself, with the same features as every other test, and the
//! end-to-end step runs that binary instead of building the app a second time.

use std::process::{Command, Output, Stdio};

fn ottu_pos(dirs: &tempfile::TempDir, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ottu-pos"))
        .args(args)
        .env("OTTU_POS_CONFIG_DIR", dirs.path().join("config"))
        .env("OTTU_POS_DATA_DIR", dirs.path().join("data"))
        .env_remove("OTTU_POS_PROFILE")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .stdin(Stdio::null())
        .output()
        .expect("ottu-pos runs")
}

fn json(output: &Output) -> serde_json::Value {
    assert!(
        output.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

#[test]
fn a_subcommand_runs_the_cli_without_a_display() {
    let dirs = tempfile::tempdir().unwrap();
    let sale = json(&ottu_pos(
        &dirs,
        &[
            "--json",
            "request",
            "--amount",
            "1.250",
            "--currency",
            "KWD",
        ],
    ));
    assert_eq!(sale["amount"], "1.250", "{sale}");
    assert_eq!(sale["state"], "created", "{sale}");

    let history = json(&ottu_pos(&dirs, &["--json", "history"]));
    let listed = history.to_string();
    let id = sale["id"].to_string();
    assert!(
        listed.contains(&id),
        "the sale {id} is in the history: {listed}"
    );
}
