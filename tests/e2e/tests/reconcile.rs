//! Reconciliation in the real app over WebDriver, against the embedded demo sandbox: the owner
//! marks the demo's `cash` gateway as Ottu's cash method and sets the till id on the
//! Reconciliation screen; two link sales are made; the sandbox's report file of today is made
//! with one of them planted at another amount; the screen lists exactly that difference, in
//! English and Arabic. Screenshots `reconcile-en` and `reconcile-ar`. Run by `scripts/e2e.sh`.

use anyhow::{Result, ensure};
use ottu_pos_e2e::payer::ShortLink;
use ottu_pos_e2e::{App, sandbox};
use serde_json::json;
use thirtyfour::components::SelectElement;
use thirtyfour::prelude::*;

/// Today as Ottu's report files count days (UTC), `YYYY-MM-DD`.
fn utc_today() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() / 86_400)
        .unwrap_or_default() as i64;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Runs the comparison and waits for the differences table.
async fn compare(app: &App) -> Result<Vec<WebElement>> {
    app.by_test_id("reconcile-run").await?.click().await?;
    app.wait_for("the reconciliation's differences", || async {
        let rows = app.all_by_test_id("reconcile-difference").await?;
        Ok((!rows.is_empty()).then_some(rows))
    })
    .await
}

#[tokio::test]
#[ignore = "needs Xvfb and tauri-driver: run scripts/e2e.sh"]
async fn the_reconciliation_screen_lists_a_planted_difference_in_english_and_arabic() -> Result<()>
{
    let app = App::launch("reconcile").await?;
    let outcome = async {
        app.wait_until_ready().await?;
        // The owner (no PIN yet) marks the cash gateway and sets the till id.
        app.by_test_id("nav-reconcile").await?.click().await?;
        let select = app.by_test_id("cash-gateway").await?;
        app.wait_for("the gateways in the cash-gateway list", || async {
            let options = select.find_all(By::Css("option[value='cash']")).await?;
            Ok((!options.is_empty()).then_some(()))
        })
        .await?;
        SelectElement::new(&select)
            .await?
            .select_by_value("cash")
            .await?;
        app.by_test_id("till-id").await?.send_keys("t1").await?;
        app.by_test_id("cash-setup-save").await?.click().await?;
        app.wait_for("the till id saved", || async {
            let input = app.by_test_id("till-id").await?;
            Ok((input.value().await?.as_deref() == Some("T1")).then_some(()))
        })
        .await?;

        // Two link sales of this till.
        app.by_test_id("nav-new").await?.click().await?;
        let first = app.create_sale("1.250").await?;
        let base = ShortLink::parse(&first)?.base;
        let first_order = app.text_of("sale-order-no").await?;
        app.by_test_id("new-sale").await?.click().await?;
        app.create_sale("2.500").await?;
        ensure!(
            first_order.starts_with("POS-T1-"),
            "order number {first_order}"
        );

        // Ottu's report of today says the first sale was for 9.990.
        sandbox::plant_in_reports(
            &base,
            json!({"change": "amount", "order_no": first_order, "amount": "9.990"}),
        )
        .await?;
        sandbox::generate_report(&base, &utc_today()).await?;

        app.by_test_id("nav-reconcile").await?.click().await?;
        let rows = compare(&app).await?;
        ensure!(rows.len() == 1, "{} differences, not 1", rows.len());
        ensure!(
            rows[0].attr("data-kind").await?.as_deref() == Some("amount_differs"),
            "not an amount difference"
        );
        let text = rows[0].text().await?;
        ensure!(
            text.contains(&first_order) && text.contains("Amount differs"),
            "row: {text}"
        );
        app.screenshot("reconcile-en").await?;

        app.choose_language("ar").await?;
        app.by_test_id("nav-reconcile").await?.click().await?;
        let rows = compare(&app).await?;
        let text = rows[0].text().await?;
        ensure!(text.contains("المبلغ مختلف"), "Arabic row: {text}");
        app.screenshot("reconcile-ar").await?;
        Ok(())
    }
    .await;
    app.finish(outcome).await
}
