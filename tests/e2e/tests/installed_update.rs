//! A self-update of the installed app, end to end: `tests/release/update.sh` installs version N
//! from its `.deb` (built with a signing key the script made), serves version N+1's `.deb` and
//! manifests over loopback HTTPS (a test CA the script made, trusted through `SSL_CERT_FILE`),
//! and runs this under Xvfb. The owner, in Settings:
//!
//! 1. sets the address of a manifest whose signature is by another key, checks, sees N+1
//!    offered, confirms: refused with a clear message, and N stays installed;
//! 2. sets the address of the good manifest, checks, reads what's new, confirms: the app installs
//!    N+1 and restarts on it (its log says which version started, and dpkg agrees).
//!
//! The installer's privilege prompt (`pkexec`) cannot run here (no polkit agent, no user to type
//! a password): the script puts a declared test double named `pkexec` first on the app's PATH,
//! which runs the same `dpkg -i <file>` command as root. Everything else is the real app.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use ottu_pos_e2e::{App, Launch, app_binary};

fn var(name: &str) -> anyhow::Result<String> {
    std::env::var(name).with_context(|| format!("{name} is not set: run tests/release/update.sh"))
}

fn installed_version() -> anyhow::Result<String> {
    let out = std::process::Command::new("dpkg-query")
        .args(["-W", "-f=${Version}", "ottu-pos"])
        .output()?;
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

async fn set_endpoint_and_check(app: &App, url: &str, version: &str) -> anyhow::Result<()> {
    let field = app.by_test_id("update-endpoint").await?;
    field.clear().await?;
    field.send_keys(url).await?;
    app.by_test_id("update-endpoint-save")
        .await?
        .click()
        .await?;
    app.wait_for("the address saved", || async {
        let value = field.prop("value").await?.unwrap_or_default();
        let offer_gone = app.all_by_test_id("update-offer").await?.is_empty();
        Ok((value == url && offer_gone).then_some(()))
    })
    .await?;
    app.by_test_id("update-check").await?.click().await?;
    let offered = app
        .wait_for("the update offered", || async {
            match app.all_by_test_id("update-version").await?.first() {
                Some(element) => Ok(Some(element.text().await?)),
                None => Ok(None),
            }
        })
        .await?;
    ensure!(offered == version, "offered {offered}, expected {version}");
    Ok(())
}

/// The log line `Ottu POS <version> started (pid <pid>)` of a later run, if written yet.
fn started(log: &Path, version: &str) -> Option<u32> {
    let text = std::fs::read_to_string(log).ok()?;
    let needle = format!("Ottu POS {version} started (pid ");
    let at = text.rfind(&needle)? + needle.len();
    text[at..].split(')').next()?.parse().ok()
}

#[tokio::test]
#[ignore = "needs version N installed and N+1 served: run tests/release/update.sh (make test-release)"]
async fn the_owner_updates_the_installed_app_and_a_bad_signature_changes_nothing()
-> anyhow::Result<()> {
    let binary = app_binary()?;
    ensure!(
        binary.starts_with("/usr/bin"),
        "OTTU_POS_BIN is {}",
        binary.display()
    );
    let current = var("OTTU_POS_UPDATE_FROM")?;
    let next = var("OTTU_POS_UPDATE_TO")?;
    let good = var("OTTU_POS_UPDATE_URL")?;
    let foreign = var("OTTU_POS_UPDATE_FOREIGN_URL")?;
    let launch = Launch::default()
        .env("SSL_CERT_FILE", var("OTTU_POS_UPDATE_CA")?)
        .env(
            "PATH",
            format!("{}:{}", var("OTTU_POS_UPDATE_DOUBLES")?, var("PATH")?),
        );
    let app = App::launch_with("update", launch).await?;
    let log = app
        .root()
        .join("home/.local/share/net.ottu.pos/logs/ottu-pos.log");
    let outcome = async {
        app.wait_until_ready().await?;
        app.by_test_id("nav-settings").await?.click().await?;

        // 1. Signed by another key: refused, nothing installed.
        set_endpoint_and_check(&app, &foreign, &next).await?;
        app.by_test_id("update-install").await?.click().await?;
        let refused = app
            .wait_for("the refusal", || async {
                match app.all_by_test_id("maintenance-error").await?.first() {
                    Some(element) => Ok(Some(element.text().await?)),
                    None => Ok(None),
                }
            })
            .await?;
        ensure!(
            refused.contains("signature does not match"),
            "the refusal says: {refused}"
        );
        ensure!(
            installed_version()? == current,
            "dpkg says {} after a refused update",
            installed_version()?
        );
        app.screenshot("update-refused").await?;

        // 2. The good manifest: what's new, confirm, installed and restarted on N+1.
        set_endpoint_and_check(&app, &good, &next).await?;
        let notes = app.text_of("update-notes").await?;
        ensure!(notes.contains(&next), "what's new: {notes}");
        app.screenshot("update-offered").await?;
        app.by_test_id("update-install").await?.click().await?;
        let deadline = Instant::now() + Duration::from_secs(180);
        let pid = loop {
            if let Some(pid) = started(&log, &next) {
                break pid;
            }
            if Instant::now() > deadline {
                let text = std::fs::read_to_string(&log).unwrap_or_default();
                bail!("no run of {next} started within 3 minutes; the log:\n{text}");
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        };
        ensure!(
            installed_version()? == next,
            "the app restarted on {next} but dpkg says {}",
            installed_version()?
        );
        // The restarted app is not under WebDriver: stop it by its pid (from its own log line).
        let _ = std::process::Command::new("kill")
            .arg("-TERM")
            .arg(pid.to_string())
            .status();
        Ok(())
    }
    .await;
    // The first process has exited (restarted); its session may not answer a clean quit.
    let _ = tokio::time::timeout(Duration::from_secs(20), app.quit()).await;
    outcome
}
