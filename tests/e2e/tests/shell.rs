//! The desktop shell itself: the window opens on an interactive home screen and reports its
//! start-up time; the page cannot open dialogs or external links, nor name a file for the till
//! to read or write. Run by `scripts/e2e.sh` (needs a display; ignored by a plain `cargo test`).

use anyhow::{Context, ensure};
use ottu_pos_e2e::{App, Launch};
use serde_json::json;

#[tokio::test]
#[ignore = "needs Xvfb and tauri-driver: run scripts/e2e.sh"]
async fn the_window_opens_on_an_interactive_home_screen() -> anyhow::Result<()> {
    let app = App::launch("home").await?;
    let outcome = async {
        app.wait_until_ready().await?;
        let title = app.driver.title().await?;
        ensure!(title == "Ottu POS", "window title is {title:?}");
        app.screenshot("home-en").await?;
        Ok(())
    }
    .await;
    app.finish(outcome).await
}

#[tokio::test]
#[ignore = "needs Xvfb and tauri-driver: run scripts/e2e.sh"]
async fn the_start_up_time_is_reported_once_the_home_screen_is_painted() -> anyhow::Result<()> {
    let report_dir = tempfile::tempdir()?;
    let report = report_dir.path().join("startup-ms");
    let launch = Launch::default().env("OTTU_POS_STARTUP_REPORT", report.to_string_lossy());
    let app = App::launch_with("startup", launch).await?;
    let outcome = async {
        app.wait_until_ready().await?;
        let text = app
            .wait_for("the start-up report file", || async {
                Ok(std::fs::read_to_string(&report)
                    .ok()
                    .filter(|text| text.ends_with('\n')))
            })
            .await?;
        let millis: f64 = text
            .trim()
            .parse()
            .with_context(|| format!("report is {text:?}"))?;
        ensure!(
            millis > 0.0 && millis < 60_000.0,
            "start-up took {millis} ms?"
        );
        Ok(())
    }
    .await;
    app.finish(outcome).await
}

#[tokio::test]
#[ignore = "needs Xvfb and tauri-driver: run scripts/e2e.sh"]
async fn the_page_cannot_open_dialogs_or_links_nor_name_a_file() -> anyhow::Result<()> {
    let app = App::launch("lockdown").await?;
    let outcome = async {
        app.wait_until_ready().await?;
        // No opener, dialog or notification permissions for the page: the shell does those.
        for (command, args) in [
            (
                "plugin:opener|open_url",
                json!({"url": "mailto:someone@example.com"}),
            ),
            (
                "plugin:opener|open_url",
                json!({"url": "https://wa.me/96550000000"}),
            ),
            ("plugin:dialog|open", json!({"options": {}})),
            ("plugin:dialog|save", json!({"options": {}})),
            (
                "plugin:notification|notify",
                json!({"options": {"title": "x"}}),
            ),
        ] {
            let answer = app.invoke_from_page(command, args).await?;
            ensure!(
                answer.contains("not allowed"),
                "the page may call {command}: {answer}"
            );
        }
        // A path from the page is not an attachment: only a token of the shell's dialog is.
        let answer = app
            .invoke_from_page(
                "create_sale",
                json!({"draft": {"amount": "1", "currency_code": "KWD",
                             "attachment_path": "/etc/hostname"}}),
            )
            .await?;
        ensure!(
            answer == "invalid_input",
            "create_sale with a path: {answer}"
        );
        // Sharing goes through the shell, by sale id and channel; an unknown sale is refused.
        let answer = app
            .invoke_from_page(
                "open_share",
                json!({"id": "no-such-sale", "channel": "whatsapp"}),
            )
            .await?;
        ensure!(answer == "not_found", "open_share of no sale: {answer}");
        Ok(())
    }
    .await;
    app.finish(outcome).await
}
