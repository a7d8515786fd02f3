//! `ottu-pos-cli profile add|test|use|delete` with the secret in the real keychain, against a
//! real sandbox merchant.

use std::process::{Command, Output, Stdio};

use ottu_sandbox::test_support::TEST_API_KEY;
use pos_core::secrets::{SecretKey, SecretStore, default_service_name};

use crate::helpers::keyring;

struct Cli {
    root: tempfile::TempDir,
}

/// The owner's PIN: a real Ottu connection needs one before it can be added.
const OWNER_PIN: &str = "2468";

impl Cli {
    /// A till whose owner has set a PIN (written to its config in-process).
    fn with_owner_pin() -> Cli {
        let root = tempfile::tempdir().unwrap();
        let dirs = pos_core::TillDirs {
            config_dir: root.path().join("config"),
            data_dir: root.path().join("data"),
        };
        let till = pos_core::Till::open(
            dirs,
            std::sync::Arc::new(pos_core::secrets::MemorySecretStore::new()),
        )
        .unwrap();
        till.save_staff(pos_core::staff::StaffInput {
            id: Some("staff-1".into()),
            name: "Owner".into(),
            role: None,
            pin: Some(OWNER_PIN.into()),
        })
        .unwrap();
        Cli { root }
    }

    fn run(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_ottu-pos-cli"))
            .args(args)
            .env("OTTU_POS_PIN", OWNER_PIN)
            .envs(env.iter().copied())
            .env("OTTU_POS_CONFIG_DIR", self.root.path().join("config"))
            .env("OTTU_POS_DATA_DIR", self.root.path().join("data"))
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }
}

fn text(output: &Output) -> String {
    format!(
        "exit {:?}\nstdout: {}\nstderr: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a throwaway Secret Service: scripts/with-keyring.sh (make test runs it)"]
async fn a_merchant_profile_added_from_the_cli_keeps_its_key_in_the_keychain() {
    let store = keyring("a_merchant_profile_added_from_the_cli_keeps_its_key_in_the_keychain");
    let sandbox = ottu_sandbox::spawn_sandbox().await;
    let cli = Cli::with_owner_pin();
    let add = cli.run(
        &[
            "profile",
            "add",
            "--name",
            "Keychain Shop",
            "--url",
            sandbox.base_url(),
            "--secret-env",
            "SHOP_KEY",
        ],
        &[("SHOP_KEY", TEST_API_KEY)],
    );
    assert!(add.status.success(), "{}", text(&add));
    assert!(
        !text(&add).contains(TEST_API_KEY),
        "the key is never printed"
    );

    let key = SecretKey::for_profile(default_service_name(), "keychain-shop");
    assert_eq!(store.get(&key).unwrap().unwrap().expose(), TEST_API_KEY);
    let config = std::fs::read_to_string(cli.root.path().join("config/config.toml")).unwrap();
    assert!(!config.contains(TEST_API_KEY), "{config}");

    let test = cli.run(&["profile", "test", "keychain-shop"], &[]);
    assert!(test.status.success(), "{}", text(&test));
    let sale = cli.run(
        &[
            "--profile",
            "keychain-shop",
            "--json",
            "request",
            "--amount",
            "4",
            "--currency",
            "KWD",
        ],
        &[],
    );
    assert!(sale.status.success(), "{}", text(&sale));
    let sale: serde_json::Value = serde_json::from_slice(&sale.stdout).unwrap();
    assert!(
        sale["link"]
            .as_str()
            .unwrap()
            .starts_with(sandbox.base_url())
    );

    let delete = cli.run(&["profile", "delete", "keychain-shop"], &[]);
    assert!(delete.status.success(), "{}", text(&delete));
    assert_eq!(
        store.get(&key).unwrap(),
        None,
        "deleting the profile deletes its key"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a throwaway Secret Service: scripts/with-keyring.sh (make test runs it)"]
async fn a_wrong_key_is_reported_by_profile_test_with_exit_4() {
    let store = keyring("a_wrong_key_is_reported_by_profile_test_with_exit_4");
    let sandbox = ottu_sandbox::spawn_sandbox().await;
    let cli = Cli::with_owner_pin();
    let add = cli.run(
        &[
            "profile",
            "add",
            "--name",
            "Wrong Key",
            "--url",
            sandbox.base_url(),
            "--api-key-env",
            "K",
        ],
        &[("K", "wrong123.notthekey00000000000000000000")],
    );
    assert!(add.status.success(), "{}", text(&add));
    let test = cli.run(&["profile", "test", "wrong-key"], &[]);
    assert_eq!(test.status.code(), Some(4), "{}", text(&test));
    assert!(String::from_utf8_lossy(&test.stdout).starts_with("bad_credentials"));
    let key = SecretKey::for_profile(default_service_name(), "wrong-key");
    store.delete(&key).unwrap();
}
