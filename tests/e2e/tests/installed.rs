//! The app as installed from its .deb: `tests/release/test.sh` installs the package, points
//! `OTTU_POS_BIN` at `/usr/bin/ottu-pos` and runs this under Xvfb with a private D-Bus and
//! keyring. Not part of `scripts/e2e.sh` (it needs the package installed).

use anyhow::{Context, ensure};
use ottu_pos_e2e::{App, app_binary, press_enter_like_a_person};

#[tokio::test]
#[ignore = "needs the installed .deb: run tests/release/test.sh (make test-release)"]
async fn the_installed_app_opens_on_an_interactive_home_screen() -> anyhow::Result<()> {
    let binary = app_binary()?;
    ensure!(
        binary.starts_with("/usr/bin"),
        "OTTU_POS_BIN is {}, not the installed /usr/bin/ottu-pos",
        binary.display()
    );
    let app = App::launch("installed").await?;
    let outcome = async {
        app.wait_until_ready().await?;
        let title = app.driver.title().await?;
        ensure!(title == "Ottu POS", "window title is {title:?}");
        // Interactive, not just painted: keys typed land in the amount field.
        let amount = app.by_test_id("amount-input").await?;
        amount.send_keys("12").await?;
        let value = app
            .wait_for("the typed amount in the amount field", || async {
                let value = amount.prop("value").await?.unwrap_or_default();
                Ok(value.contains("12").then_some(value))
            })
            .await
            .context("typing into the installed app's amount field")?;
        ensure!(!value.is_empty(), "the amount field is empty");
        app.screenshot("installed-home").await?;
        // And the release build's embedded demo sandbox answers: Enter makes a sale with a QR.
        press_enter_like_a_person(&amount).await?;
        app.by_test_id("qr").await?;
        app.screenshot("installed-sale").await?;
        Ok(())
    }
    .await;
    app.finish(outcome).await
}
