//! Running the binary in isolated dirs, and acting as the paying customer.

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// A fresh install: empty config and data dirs, removed afterwards.
pub struct Cli {
    root: tempfile::TempDir,
    /// The staff PIN every command signs in with (`OTTU_POS_PIN`), once one is set.
    pin: Option<String>,
}

impl Cli {
    pub fn new() -> Self {
        Self {
            root: tempfile::tempdir().expect("a temp dir"),
            pin: None,
        }
    }

    /// A fresh install whose owner has set PIN 1234 (a real Ottu connection needs one); every
    /// command signs in with it.
    pub fn with_owner_pin() -> Self {
        let mut cli = Self::new();
        let till = pos_core::Till::open(
            cli.dirs(),
            std::sync::Arc::new(pos_core::secrets::MemorySecretStore::new()),
        )
        .expect("the till opens");
        till.save_staff(pos_core::staff::StaffInput {
            id: Some("staff-1".into()),
            name: "Owner".into(),
            role: None,
            pin: Some("1234".into()),
        })
        .expect("the owner PIN is set");
        cli.pin = Some("1234".into());
        cli
    }

    /// The till's directories, for setting things up in-process.
    pub fn dirs(&self) -> pos_core::TillDirs {
        pos_core::TillDirs {
            config_dir: self.root.path().join("config"),
            data_dir: self.root.path().join("data"),
        }
    }

    /// The command with the isolated dirs set.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_ottu-pos-cli"));
        command
            .args(args)
            .env("OTTU_POS_CONFIG_DIR", self.root.path().join("config"))
            .env("OTTU_POS_DATA_DIR", self.root.path().join("data"))
            .env_remove("OTTU_POS_PROFILE")
            .env_remove("OTTU_POS_PIN")
            .stdin(Stdio::null());
        if let Some(pin) = &self.pin {
            command.env("OTTU_POS_PIN", pin);
        }
        command
    }

    /// Runs to completion.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("the binary runs")
    }

    /// Runs with `--json`, expects exit 0 and parses stdout.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let output = self.run(&all);
        assert_success(&output);
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}): {}",
                String::from_utf8_lossy(&output.stdout)
            )
        })
    }

    /// `request --json` for `amount` KWD.
    pub fn request(&self, amount: &str) -> Value {
        self.json(&[
            "request",
            "--amount",
            amount,
            "--currency",
            "KWD",
            "--phone",
            "+96550000000",
        ])
    }
}

pub fn assert_success(output: &Output) {
    assert!(
        output.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// `http://127.0.0.1:<port>` of a payment link.
pub fn origin_of(link: &str) -> String {
    let url = url::Url::parse(link).expect("a URL");
    format!("http://{}:{}", url.host_str().unwrap(), url.port().unwrap())
}

/// Acts as the customer through the sandbox's control route, retrying while the server that
/// serves the demo (another process) is still starting.
pub fn pay(link: &str, session_id: &str) {
    let url = format!("{}/_sandbox/sessions/{session_id}/pay", origin_of(link));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            match client.post(&url).json(&serde_json::json!({})).send().await {
                Ok(response) if response.status().is_success() => return,
                Ok(response) => panic!("pay answered {}", response.status()),
                Err(error) if Instant::now() < deadline => {
                    let _ = error;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(error) => panic!("nobody serves the demo at {url}: {error}"),
            }
        }
    });
}
