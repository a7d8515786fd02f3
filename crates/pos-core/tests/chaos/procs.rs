//! The `ottu-pos-cli` processes of a chaos run: one shared config and history, the API key in
//! the environment (never on the command line), the engine's clock following a file the run
//! moves, short claim leases and client timeouts so killed processes' claims lapse in seconds.

use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};

/// The environment variable the CLI reads the API key from (`--secret-from-env`).
const KEY_VAR: &str = "CHAOS_OTTU_API_KEY";

/// The owner's PIN, set before the merchant profile is added (a real connection needs one).
pub const OWNER_PIN: &str = "8642";

/// How the run's CLI processes are started.
#[derive(Debug, Clone)]
pub struct Cli {
    pub config_dir: PathBuf,
    pub data_dir: PathBuf,
    pub offset_file: PathBuf,
    pub claim_lease_ms: u64,
    pub request_timeout_ms: u64,
}

impl Cli {
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_ottu-pos-cli"));
        command
            .args(args)
            .env("OTTU_POS_CONFIG_DIR", &self.config_dir)
            .env("OTTU_POS_DATA_DIR", &self.data_dir)
            .env("OTTU_POS_SECRET_FROM_ENV", KEY_VAR)
            .env("OTTU_POS_PIN", OWNER_PIN)
            .env(KEY_VAR, ottu_sandbox::test_support::TEST_API_KEY)
            .env("OTTU_POS_CLOCK_OFFSET_FILE", &self.offset_file)
            .env("OTTU_POS_CLAIM_LEASE_MS", self.claim_lease_ms.to_string())
            .env(
                "OTTU_POS_REQUEST_TIMEOUT_MS",
                self.request_timeout_ms.to_string(),
            )
            .env_remove("OTTU_POS_PROFILE")
            .env_remove("RUST_LOG")
            .stdin(Stdio::null());
        command
    }

    pub fn output(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("the CLI runs")
    }

    pub fn spawn(&self, args: &[&str]) -> Child {
        self.command(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the CLI starts")
    }

    /// `--json <args>`, expecting exit 0; the parsed stdout.
    pub fn json_ok(&self, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let output = self.output(&all);
        assert!(
            output.status.success(),
            "{args:?}: exit {:?}\n{}\n{}",
            output.status.code(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).expect("JSON on stdout")
    }
}

/// Writes the clock offset for the CLI processes atomically (a new file renamed over the old).
pub fn write_offset(path: &std::path::Path, seconds: i64) {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, seconds.to_string()).expect("offset written");
    std::fs::rename(&tmp, path).expect("offset renamed");
}
