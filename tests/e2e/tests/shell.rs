//! The desktop shell itself: the window opens on an interactive home screen and reports its
//! start-up time. Run by `scripts/e2e.sh` (needs a display; ignored by a plain `cargo test`).

use anyhow::{Context, ensure};
use ottu_pos_e2e::{App, Launch};

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
