//! A cashier's shift in the real app over WebDriver, against the embedded demo sandbox: a shift
//! opened with a float, cash put in, a link sale paid through the sandbox and part of it refunded,
//! a cash sale with change, a split bill (a cash part with change, a link part paid), the X
//! report, the close with a counted drawer short of the expected cash (the variance shown before
//! and after) and the Z report, saved as PDF on A4 and an 80 mm roll (read back with poppler);
//! then a second shift in Arabic. Screenshots `shift-*` and `report-*` (the PDFs beside them).
//! Run by `scripts/e2e.sh`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, ensure};
use ottu_pos_e2e::payer::{ShortLink, pay, session_id_behind};
use ottu_pos_e2e::pdf::read_pdf;
use ottu_pos_e2e::{App, Launch};
use thirtyfour::prelude::*;

/// Latin and Arabic-Indic spellings of an amount, as the window may show either.
fn shows(text: &str, latin: &str) -> bool {
    let arabic: String = latin
        .chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(0x660 + (c as u32 - '0' as u32)).unwrap_or(c),
            '.' => '٫',
            other => other,
        })
        .collect();
    text.contains(latin) || text.contains(&arabic)
}

async fn fill(app: &App, id: &str, text: &str) -> Result<()> {
    let input = app.by_test_id(id).await?;
    input.clear().await?;
    input.send_keys(text).await?;
    Ok(())
}

/// Opens a shift with `float` from the Shift tab and waits for the top bar to say so.
async fn open_shift(app: &App, float: &str) -> Result<()> {
    app.by_test_id("nav-shift").await?.click().await?;
    fill(app, "shift-float", float).await?;
    app.by_test_id("shift-open").await?.click().await?;
    app.by_test_id("shift-open-card").await?;
    app.wait_for("the top bar's open shift", || async {
        let status = app.by_test_id("shift-status").await?;
        Ok((status.attr("data-open").await?.as_deref() == Some("true")).then_some(()))
    })
    .await
}

/// A cash sale of `amount` from the new-sale screen; the cash given typed or a quick button.
/// Answers the change the dialog shows after recording.
async fn cash_sale(app: &App, amount: &str, tendered: Option<&str>) -> Result<String> {
    app.by_test_id("nav-new").await?.click().await?;
    app.by_test_id("amount-input")
        .await?
        .send_keys(amount)
        .await?;
    app.by_test_id("cash-button").await?.click().await?;
    app.by_test_id("cash-dialog").await?;
    match tendered {
        Some(cash) => {
            fill(app, "cash-tendered", cash).await?;
            app.by_test_id("cash-submit").await?.click().await?;
        }
        None => {
            let quick = app.all_by_test_id("cash-quick").await?;
            quick
                .get(1)
                .context("no quick tender button")?
                .click()
                .await?;
        }
    }
    app.by_test_id("cash-change").await?;
    app.text_of("cash-change").await
}

/// A link sale of `amount` paid through the sandbox, then `refund` of it refunded.
async fn link_sale_paid_and_refunded(app: &App, amount: &str, refund: &str) -> Result<()> {
    app.by_test_id("nav-new").await?.click().await?;
    let link = app.create_sale(amount).await?;
    let short = ShortLink::parse(&link)?;
    pay(&short.base, &session_id_behind(&link).await?).await?;
    app.by_test_id("paid-overlay").await?;
    app.by_test_id("paid-close").await?.click().await?;
    // The operations a sale offers come with the sale read whole: reopen it from the history
    // (the newest sale there).
    app.by_test_id("nav-history").await?.click().await?;
    app.by_test_id("history-reopen").await?.click().await?;
    app.by_test_id("sale-screen").await?;
    app.by_test_id("refund").await?.click().await?;
    app.by_test_id("operation-dialog").await?;
    app.by_test_id("operation-amount")
        .await?
        .send_keys(refund)
        .await?;
    app.by_test_id("operation-submit").await?.click().await?;
    app.wait_for("the refund to be done", || async {
        for row in app.all_by_test_id("operation-row").await? {
            if row.attr("data-state").await?.as_deref() == Some("done") {
                return Ok(Some(()));
            }
        }
        Ok(None)
    })
    .await
}

/// A split bill of 8.000 from the new-sale screen: 3.000 in cash (5 given, 2.000 back), the
/// remaining 5.000 by a link paid through the sandbox, then back to the bill, paid in full.
async fn split_bill(app: &App, screenshot_suffix: &str) -> Result<()> {
    app.by_test_id("nav-new").await?.click().await?;
    app.by_test_id("amount-input").await?.send_keys("8").await?;
    app.by_test_id("split-button").await?.click().await?;
    app.by_test_id("split-screen").await?;
    fill(app, "split-part", "3").await?;
    fill(app, "split-tendered", "5").await?;
    app.by_test_id("split-cash").await?.click().await?;
    app.wait_for("the change of the cash part", || async {
        let change = app.text_of("split-change").await.unwrap_or_default();
        Ok(shows(&change, "2.000").then_some(()))
    })
    .await?;
    let remaining = app.text_of("split-remaining").await?;
    ensure!(shows(&remaining, "5.000"), "left after cash: {remaining:?}");
    let part = app.by_test_id("split-part").await?.prop("value").await?;
    ensure!(
        part.as_deref() == Some("5.000"),
        "the next part offered: {part:?}"
    );
    app.screenshot(&format!("shift-split-{screenshot_suffix}"))
        .await?;

    app.by_test_id("split-link").await?.click().await?;
    app.by_test_id("qr").await?;
    let link = app.sale_link().await?;
    let short = ShortLink::parse(&link)?;
    pay(&short.base, &session_id_behind(&link).await?).await?;
    app.by_test_id("paid-overlay").await?;
    app.by_test_id("paid-close").await?.click().await?;
    app.by_test_id("split-back").await?.click().await?;
    app.wait_for("the bill paid in full", || async {
        let screen = app.by_test_id("split-screen").await?;
        Ok((screen.attr("data-state").await?.as_deref() == Some("paid")).then_some(()))
    })
    .await?;
    let parts = app.all_by_test_id("split-part-row").await?;
    ensure!(parts.len() == 2, "{} parts", parts.len());
    app.screenshot(&format!("shift-split-paid-{screenshot_suffix}"))
        .await?;
    app.by_test_id("split-new").await?.click().await?;
    Ok(())
}

/// The X report from the Shift tab; answers the report's text.
async fn x_report(app: &App) -> Result<String> {
    app.by_test_id("nav-shift").await?.click().await?;
    app.by_test_id("shift-x").await?.click().await?;
    let report = app.by_test_id("report").await?;
    ensure!(
        report.attr("data-kind").await?.as_deref() == Some("x"),
        "not an X report"
    );
    Ok(report.prop("textContent").await?.unwrap_or_default())
}

/// Starts the close, types `counted`, and checks expected, counted and variance before closing.
async fn count_drawer(app: &App, counted: &str, expected: &str, variance: &str) -> Result<()> {
    app.by_test_id("shift-close-start").await?.click().await?;
    app.by_test_id("shift-close-card").await?;
    fill(app, "shift-counted", counted).await?;
    app.wait_for("the variance preview", || async {
        let shown = app.text_of("close-variance").await.unwrap_or_default();
        Ok(shows(&shown, variance).then_some(()))
    })
    .await?;
    let shown_expected = app.text_of("close-expected").await?;
    ensure!(
        shows(&shown_expected, expected),
        "expected {expected}, the close form shows {shown_expected:?}"
    );
    Ok(())
}

/// Closes the shift and answers the Z report's text once it is on screen.
async fn close_shift(app: &App) -> Result<String> {
    app.by_test_id("shift-close").await?.click().await?;
    app.wait_for("the Z report", || async {
        let Some(report) = app.all_by_test_id("report").await?.into_iter().next() else {
            return Ok(None);
        };
        Ok((report.attr("data-kind").await?.as_deref() == Some("z")).then_some(report))
    })
    .await?;
    app.wait_for("the top bar's closed shift", || async {
        let status = app.by_test_id("shift-status").await?;
        Ok((status.attr("data-open").await?.as_deref() == Some("false")).then_some(()))
    })
    .await?;
    app.text_of("report").await
}

/// The `data-method` of each row of a report table.
async fn methods_in(app: &App, table: &str) -> Result<Vec<String>> {
    let table = app.by_test_id(table).await?;
    let mut methods = Vec::new();
    for row in table.find_all(By::Css("tbody tr")).await? {
        methods.push(row.attr("data-method").await?.unwrap_or_default());
    }
    Ok(methods)
}

/// The Z report on screen saved as PDF on `paper` (`roll80mm` 226.77 pt wide, `a4` 595.28 pt):
/// a real PDF of that width whose text holds each of `wanted` (Latin or Arabic-Indic digits)
/// and none of the screen's buttons; a copy lands beside the screenshots.
async fn z_report_as_pdf(
    app: &App,
    save_dir: &Path,
    paper: &str,
    wanted: &[&str],
    copy_as: &str,
) -> Result<()> {
    let before: Vec<_> = pdfs_in(save_dir)?;
    app.by_test_id(&format!("pdf-{paper}"))
        .await?
        .click()
        .await?;
    let (path, (width, text)) = app
        .wait_for(&format!("the Z report's {paper} PDF"), || async {
            // The command answers once the file is complete; until then it may be partly
            // written.
            Ok(pdfs_in(save_dir)?
                .into_iter()
                .filter(|p| !before.contains(p))
                .find_map(|p| read_pdf(&p).ok().map(|read| (p, read))))
        })
        .await?;
    let width_pt = if paper == "a4" { 595.28 } else { 226.77 };
    ensure!(
        (width - width_pt).abs() < 1.0,
        "the {paper} PDF's page is {width} pt wide, not {width_pt}"
    );
    for want in wanted {
        ensure!(
            shows(&text, want),
            "the {paper} PDF lacks {want:?}:\n{text}"
        );
    }
    ensure!(
        !text.contains("PDF"),
        "the {paper} PDF has the screen's buttons:\n{text}"
    );
    std::fs::copy(&path, ottu_pos_e2e::screenshot_dir().join(copy_as))?;
    std::fs::remove_file(&path)?;
    Ok(())
}

/// The PDF files in `dir`.
fn pdfs_in(dir: &Path) -> Result<Vec<PathBuf>> {
    Ok(std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        .collect())
}

#[tokio::test]
#[ignore = "needs Xvfb and tauri-driver: run scripts/e2e.sh"]
async fn a_shift_from_float_to_z_report_in_english_and_arabic() -> Result<()> {
    // The shell's save dialog answers this folder (debug builds; see src-tauri/src/files.rs).
    let save_dir = tempfile::tempdir()?;
    let launch = Launch::default().env("OTTU_POS_TEST_DIALOGS", save_dir.path().to_string_lossy());
    let app = App::launch_with("shift", launch).await?;
    let outcome = async {
        app.wait_until_ready().await?;
        // No shift: no Cash button, and the top bar says so.
        ensure!(
            app.all_by_test_id("cash-button").await?.is_empty(),
            "cash offered without a shift"
        );
        let status = app.by_test_id("shift-status").await?;
        ensure!(status.attr("data-open").await?.as_deref() == Some("false"));

        open_shift(&app, "20").await?;
        fill(&app, "cash-amount", "5").await?;
        fill(&app, "cash-reason", "Coins from the bank").await?;
        app.by_test_id("cash-record").await?.click().await?;
        app.by_test_id("cash-entries").await?;
        app.screenshot("shift-open-en").await?;

        link_sale_paid_and_refunded(&app, "10", "2.5").await?;

        // 3.250 paid with a 5: 1.750 back, big on screen.
        let change = cash_sale(&app, "3.250", Some("5")).await?;
        ensure!(shows(&change, "1.750"), "change shown: {change:?}");
        app.screenshot("shift-cash-change-en").await?;
        app.by_test_id("cash-done").await?.click().await?;

        split_bill(&app, "en").await?;

        let x = x_report(&app).await?;
        ensure!(
            methods_in(&app, "report-methods").await? == ["cash", "link"],
            "the X report's methods: {x}"
        );
        ensure!(
            methods_in(&app, "report-refunds").await? == ["link"],
            "the X report's refunds: {x}"
        );
        let expected = app.text_of("report-cash-expected").await?;
        // 20 float + 5 in + 3.250 cash sale + 3.000 cash part of the split bill.
        ensure!(shows(&expected, "31.250"), "expected drawer {expected:?}");
        let methods = app.by_test_id("report-methods").await?;
        let mut counts = Vec::new();
        for row in methods.find_all(By::Css("tbody tr")).await? {
            let count = row.find(By::Css("td")).await?.prop("textContent").await?;
            counts.push(count.unwrap_or_default().trim().to_owned());
        }
        // Each part under its own method: cash sale + cash part; link sale + link part.
        ensure!(counts == ["2", "2"], "counts per method: {counts:?}");
        app.screenshot("report-x-en").await?;

        count_drawer(&app, "31", "31.250", "-0.250").await?;
        app.screenshot("shift-close-en").await?;
        let z = close_shift(&app).await?;
        let variance = app.text_of("report-cash-variance").await?;
        ensure!(shows(&variance, "-0.250"), "Z variance {variance:?}: {z}");
        app.screenshot("report-z-en").await?;
        for paper in ["a4", "roll80mm"] {
            z_report_as_pdf(
                &app,
                save_dir.path(),
                paper,
                &["31.250", "-0.250"],
                &format!("report-z-en-{paper}.pdf"),
            )
            .await?;
        }

        // A second shift, in Arabic: the quick button pays 2.000 for 1.500.
        app.choose_language("ar").await?;
        open_shift(&app, "10").await?;
        app.screenshot("shift-open-ar").await?;
        let change = cash_sale(&app, "1.5", None).await?;
        ensure!(shows(&change, "0.500"), "change shown: {change:?}");
        app.screenshot("shift-cash-change-ar").await?;
        app.by_test_id("cash-done").await?.click().await?;
        split_bill(&app, "ar").await?;
        x_report(&app).await?;
        ensure!(methods_in(&app, "report-methods").await? == ["cash", "link"]);
        app.screenshot("report-x-ar").await?;
        // 10 float + 1.500 cash sale + 3.000 cash part.
        count_drawer(&app, "14.600", "14.500", "0.100").await?;
        app.screenshot("shift-close-ar").await?;
        close_shift(&app).await?;
        app.screenshot("report-z-ar").await?;
        z_report_as_pdf(
            &app,
            save_dir.path(),
            "a4",
            &["14.500", "0.100"],
            "report-z-ar-a4.pdf",
        )
        .await?;
        // The first shift's Z report stays readable from the closed shifts.
        let closed = app.all_by_test_id("closed-shift-z").await?;
        ensure!(closed.len() == 2, "{} closed shifts listed", closed.len());
        Ok(())
    }
    .await;
    app.finish(outcome).await
}
