//! The dashboard in the real app: two sales paid through the embedded demo sandbox and one left
//! unpaid, then today's figures, the three charts drawn by the webview and their tables, in
//! English and then in Arabic with Arabic-Indic digits (screenshots `dashboard-en`,
//! `dashboard-ar`). Run by `scripts/e2e.sh dashboard`.

use anyhow::{Result, ensure};
use ottu_pos_e2e::App;
use ottu_pos_e2e::payer::{ShortLink, pay, session_id_behind};
use serde_json::Value;
use thirtyfour::components::SelectElement;
use thirtyfour::prelude::*;

/// Makes a sale of `amount` and, when `paid`, pays it on the sandbox's payer endpoint.
async fn sell(app: &App, amount: &str, paid: bool) -> Result<()> {
    app.by_test_id("nav-new").await?.click().await?;
    let link = app.create_sale(amount).await?;
    if paid {
        let short = ShortLink::parse(&link)?;
        pay(&short.base, &session_id_behind(&link).await?).await?;
        app.by_test_id("paid-overlay").await?;
        app.by_test_id("paid-close").await?.click().await?;
    }
    Ok(())
}

/// How many pixels of the chart's canvas the webview painted (not fully transparent); 0 when the
/// canvas does not fill the width of its box (a chart left at the canvas's default size).
async fn painted_pixels(app: &App, id: &str) -> Result<u64> {
    let answer = app
        .driver
        .execute(
            "const c = document.querySelector(`[data-testid=\"${arguments[0]}\"]`);\
             if (!c || !c.width || !c.height) return 0;\
             if (c.clientWidth < c.parentElement.clientWidth - 2) return 0;\
             const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;\
             let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;\
             return n;",
            vec![Value::String(id.into())],
        )
        .await?;
    Ok(answer.json().as_u64().unwrap_or(0))
}

async fn wait_for_text_of(app: &App, id: &str, wanted: &str) -> Result<()> {
    app.wait_for(&format!("{id} to read {wanted:?}"), || async {
        let text = app.text_of(id).await.unwrap_or_default();
        Ok((text.trim() == wanted).then_some(()))
    })
    .await
}

#[tokio::test]
#[ignore = "needs Xvfb and tauri-driver: run scripts/e2e.sh"]
async fn the_dashboard_shows_todays_paid_sales_in_english_and_arabic() -> Result<()> {
    let app = App::launch("dashboard").await?;
    let outcome = async {
        app.wait_until_ready().await?;
        sell(&app, "12.5", true).await?;
        sell(&app, "7.25", true).await?;
        sell(&app, "3", false).await?;

        app.by_test_id("nav-dashboard").await?.click().await?;
        wait_for_text_of(&app, "dashboard-paid", "19.750 KWD").await?;
        wait_for_text_of(&app, "dashboard-count", "2").await?;
        wait_for_text_of(&app, "dashboard-average", "9.875 KWD").await?;
        wait_for_text_of(&app, "dashboard-refunds", "0.000 KWD").await?;
        let scope = app.by_test_id("dashboard-scope").await?;
        ensure!(
            scope.attr("data-scope").await?.as_deref() == Some("shop"),
            "the owner should see the whole shop"
        );
        // The demo's links offer its gateways: one row per gateway set, the two sales in it.
        let methods = app.text_of("table-methods").await?;
        ensure!(
            methods.contains("19.750"),
            "the method table does not hold the day's total: {methods:?}"
        );
        for chart in ["chart-hours", "chart-methods", "chart-week"] {
            let pixels = painted_pixels(&app, chart).await?;
            ensure!(pixels > 500, "{chart} is blank ({pixels} painted pixels)");
        }
        let drawn = app.by_test_id("dashboard").await?;
        let draw_ms = drawn.attr("data-draw-ms").await?.unwrap_or_default();
        println!("dashboard: three charts drawn in {draw_ms} ms");
        app.screenshot("dashboard-en").await?;

        app.by_test_id("nav-settings").await?.click().await?;
        let language = app.by_test_id("settings-language").await?;
        SelectElement::new(&language)
            .await?
            .select_by_value("ar")
            .await?;
        let numerals = app.by_test_id("settings-arabic-numerals").await?;
        if !numerals.is_selected().await? {
            numerals.click().await?;
        }
        app.by_test_id("settings-save").await?.click().await?;
        app.wait_for("dir=\"rtl\" on <html>", || async {
            let html = app.driver.find(By::Tag("html")).await?;
            Ok((html.attr("dir").await?.as_deref() == Some("rtl")).then_some(()))
        })
        .await?;
        app.by_test_id("nav-dashboard").await?.click().await?;
        wait_for_text_of(&app, "dashboard-count", "٢").await?;
        let paid = app.text_of("dashboard-paid").await?;
        ensure!(
            paid.contains("١٩٫٧٥٠"),
            "the paid total is not in Arabic-Indic digits: {paid:?}"
        );
        for chart in ["chart-hours", "chart-methods", "chart-week"] {
            let pixels = painted_pixels(&app, chart).await?;
            ensure!(pixels > 500, "{chart} is blank in Arabic ({pixels} pixels)");
        }
        app.screenshot("dashboard-ar").await?;
        Ok(())
    }
    .await;
    app.finish(outcome).await
}
