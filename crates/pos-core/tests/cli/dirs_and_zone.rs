//! Where the binary keeps its files without the override variables, and local times in the CSV
//! export follow the `TZ` the process runs in (read soundly although the CLI runs threads).

use std::process::{Command, Stdio};

use crate::helpers::{Cli, assert_success, stdout};

/// `profile use demo` saves `config.toml`, in the folder the binary chose.
fn save_config(home: &std::path::Path, xdg_config: Option<&std::path::Path>) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ottu-pos-cli"));
    command
        .args(["profile", "use", "demo"])
        .env_remove("OTTU_POS_CONFIG_DIR")
        .env_remove("OTTU_POS_DATA_DIR")
        .env_remove("OTTU_POS_PROFILE")
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("XDG_DATA_HOME")
        .env("HOME", home)
        .stdin(Stdio::null());
    if let Some(dir) = xdg_config {
        command.env("XDG_CONFIG_HOME", dir);
    }
    assert_success(&command.output().expect("the binary runs"));
}

#[test]
#[cfg(target_os = "linux")]
fn config_goes_to_the_xdg_folders_under_the_app_identifier() {
    // Test builds are debug builds: `net.ottu.pos.dev` (release: `net.ottu.pos`).
    let home = tempfile::tempdir().unwrap();
    save_config(home.path(), None);
    assert!(
        home.path()
            .join(".config/net.ottu.pos.dev/config.toml")
            .is_file()
    );

    let xdg = tempfile::tempdir().unwrap();
    save_config(home.path(), Some(xdg.path()));
    assert!(xdg.path().join("net.ottu.pos.dev/config.toml").is_file());

    // A relative XDG_CONFIG_HOME is ignored, as the XDG spec says.
    let other_home = tempfile::tempdir().unwrap();
    save_config(other_home.path(), Some(std::path::Path::new("relative")));
    assert!(
        other_home
            .path()
            .join(".config/net.ottu.pos.dev/config.toml")
            .is_file()
    );
}

#[test]
fn csv_times_are_local_to_the_process_zone() {
    let cli = Cli::new();
    let sale = cli.request("1.000");
    let created = sale["created_at"].as_str().unwrap();
    let utc = time::OffsetDateTime::parse(created, &time::format_description::well_known::Rfc3339)
        .unwrap();
    let local = |zone: &str, hours: i64| {
        let output = cli
            .command(&["history", "--csv"])
            .env("TZ", zone)
            .output()
            .unwrap();
        assert_success(&output);
        let shown = (utc + time::Duration::hours(hours))
            .format(time::macros::format_description!(
                "[year]-[month]-[day] [hour]:[minute]:[second]"
            ))
            .unwrap();
        let csv = stdout(&output);
        assert!(csv.contains(&shown), "{zone}: expected {shown} in {csv}");
    };
    local("<+03>-3", 3);
    local("<-05>5", -5);
    local("UTC0", 0);
}
