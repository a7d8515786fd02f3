//! Staff, roles and refunds in the real app over WebDriver, against the embedded demo sandbox
//! (issue 12): the owner sets a PIN and adds a cashier and a manager through the Staff screen;
//! the till locks and unlocks by PIN (a wrong one is refused); a cashier sees no Settings or
//! Staff and the core refuses those commands when the page forces them; a manager refunds part
//! of a paid sale with a double click on Refund and the sandbox holds exactly ONE refund; the
//! history's totals are net of it. Screenshots of the lock screen, the refund dialog and the
//! refunded sale in English and Arabic. Run by `scripts/e2e.sh`.

use anyhow::{Result, ensure};
use ottu_pos_e2e::payer::{ShortLink, pay, session_id_behind};
use ottu_pos_e2e::sandbox;
use ottu_pos_e2e::staff::{enter_pin, lock, save_staff, unlock_as};
use ottu_pos_e2e::{App, press_enter_like_a_person};
use thirtyfour::components::SelectElement;
use thirtyfour::prelude::*;

const OWNER_PIN: &str = "1234";
const CASHIER_PIN: &str = "5555";
const MANAGER_PIN: &str = "7777";

/// Opens the newest sale from History.
async fn reopen_from_history(app: &App) -> Result<()> {
    app.by_test_id("nav-history").await?.click().await?;
    app.by_test_id("history-reopen").await?.click().await?;
    app.by_test_id("sale-screen").await?;
    Ok(())
}

async fn use_language(app: &App, language: &str) -> Result<()> {
    app.by_test_id("nav-settings").await?.click().await?;
    let select = app.by_test_id("settings-language").await?;
    SelectElement::new(&select)
        .await?
        .select_by_value(language)
        .await?;
    app.by_test_id("settings-save").await?.click().await?;
    let dir = if language == "ar" { "rtl" } else { "ltr" };
    app.wait_for(&format!("dir=\"{dir}\" on <html>"), || async {
        let html = app.driver.find(By::Tag("html")).await?;
        Ok((html.attr("dir").await?.as_deref() == Some(dir)).then_some(()))
    })
    .await
}

/// The refund dialog with `amount` typed in (and a manager's PIN for a cashier).
async fn open_refund(app: &App, amount: &str, approver_pin: Option<&str>) -> Result<()> {
    app.by_test_id("refund").await?.click().await?;
    app.by_test_id("operation-dialog").await?;
    app.by_test_id("operation-amount")
        .await?
        .send_keys(amount)
        .await?;
    if let Some(pin) = approver_pin {
        app.by_test_id("operation-approver-pin")
            .await?
            .send_keys(pin)
            .await?;
    }
    Ok(())
}

#[tokio::test]
#[ignore = "needs Xvfb and tauri-driver: run scripts/e2e.sh"]
async fn staff_lock_the_till_and_a_double_clicked_refund_is_one_refund() -> Result<()> {
    let app = App::launch("staff").await?;
    let outcome = async {
        app.wait_until_ready().await?;
        // A fresh demo opens straight to the keypad, with no lock.
        app.by_test_id("amount-input").await?;
        ensure!(
            app.all_by_test_id("lock").await?.is_empty(),
            "a fresh till shows a Lock button"
        );

        // The owner sets their PIN, then adds a cashier and a manager.
        app.by_test_id("nav-staff").await?.click().await?;
        app.by_test_id("staff-owner-first").await?;
        save_staff(&app, true, "Amal", "owner", OWNER_PIN).await?;
        save_staff(&app, false, "Huda", "cashier", CASHIER_PIN).await?;
        save_staff(&app, false, "Mona", "manager", MANAGER_PIN).await?;
        ensure!(
            app.all_by_test_id("staff-row").await?.len() == 3,
            "three staff members"
        );
        app.screenshot("staff-en").await?;

        // A paid sale of 10 KWD, made by the owner.
        app.by_test_id("nav-new").await?.click().await?;
        let input = app.by_test_id("amount-input").await?;
        input.send_keys("10").await?;
        press_enter_like_a_person(&input).await?;
        app.by_test_id("qr").await?;
        let link = app.sale_link().await?;
        let base = ShortLink::parse(&link)?.base;
        let session_id = session_id_behind(&link).await?;
        pay(&base, &session_id).await?;
        app.by_test_id("paid-overlay").await?;
        app.by_test_id("paid-new").await?.click().await?;
        app.by_test_id("amount-input").await?;

        // Lock; a wrong PIN is refused; the cashier signs in.
        lock(&app).await?;
        app.screenshot("lock-en").await?;
        enter_pin(&app, "9999").await?;
        app.wait_for("the wrong PIN message", || async {
            Ok(app
                .text_of("pin-error")
                .await?
                .contains("Wrong PIN")
                .then_some(()))
        })
        .await?;
        unlock_as(&app, CASHIER_PIN, "cashier").await?;
        ensure!(
            app.all_by_test_id("nav-settings").await?.is_empty()
                && app.all_by_test_id("nav-staff").await?.is_empty(),
            "a cashier is offered Settings or Staff"
        );
        // What the UI hides, the core refuses when the page forces it.
        let staff = app
            .invoke_from_page("staff_list", serde_json::json!({}))
            .await?;
        ensure!(staff == "not_allowed", "staff_list as a cashier: {staff}");
        let profile = app
            .invoke_from_page("use_profile", serde_json::json!({"id": "demo"}))
            .await?;
        ensure!(
            profile == "not_allowed",
            "use_profile as a cashier: {profile}"
        );

        // A cashier's refund dialog asks for a manager's PIN (closed without sending).
        reopen_from_history(&app).await?;
        open_refund(&app, "2.5", None).await?;
        app.by_test_id("operation-approver-pin").await?;
        app.screenshot("refund-dialog-en").await?;
        app.by_test_id("operation-close").await?.click().await?;

        // The manager refunds 2.500 of the 10 KWD with a double click on Refund.
        lock(&app).await?;
        unlock_as(&app, MANAGER_PIN, "manager").await?;
        reopen_from_history(&app).await?;
        open_refund(&app, "2.5", None).await?;
        let submit = app.by_test_id("operation-submit").await?;
        app.driver
            .action_chain()
            .double_click_element(&submit)
            .perform()
            .await?;
        app.wait_for("the refund to be done", || async {
            for row in app.all_by_test_id("operation-row").await? {
                if row.attr("data-state").await?.as_deref() == Some("done") {
                    return Ok(Some(()));
                }
            }
            Ok(None)
        })
        .await?;
        let rows = app.all_by_test_id("operation-row").await?;
        ensure!(rows.len() == 1, "{} operations on screen", rows.len());
        let row_text = rows[0].prop("textContent").await?.unwrap_or_default();
        ensure!(
            row_text.contains("Mona"),
            "the refund row does not say who: {row_text}"
        );
        // ONE refund on Ottu's side.
        let server = sandbox::session(&base, &session_id).await?;
        let children = server["children"].as_array().cloned().unwrap_or_default();
        ensure!(
            children.len() == 1,
            "the sandbox holds {} children: {children:?}",
            children.len()
        );
        ensure!(
            children[0]["operation"] == "refund" && children[0]["amount"] == "2.500",
            "the refund on the sandbox: {}",
            children[0]
        );
        ensure!(
            server["refunded_amount"] == "2.500",
            "refunded: {}",
            server["refunded_amount"]
        );
        app.screenshot("sale-refunded-en").await?;

        // History's totals are net of the refund.
        app.by_test_id("nav-history").await?.click().await?;
        app.wait_for("net total 7.500 KWD", || async {
            Ok(app
                .text_of("history-total")
                .await
                .unwrap_or_default()
                .contains("7.500")
                .then_some(()))
        })
        .await?;

        // The same screens in Arabic (the manager may change the language).
        use_language(&app, "ar").await?;
        reopen_from_history(&app).await?;
        app.by_test_id("operation-row").await?;
        app.screenshot("sale-refunded-ar").await?;
        open_refund(&app, "1", None).await?;
        app.screenshot("refund-dialog-ar").await?;
        app.by_test_id("operation-close").await?.click().await?;
        lock(&app).await?;
        app.screenshot("lock-ar").await?;
        unlock_as(&app, MANAGER_PIN, "manager").await?;
        Ok(())
    }
    .await;
    app.finish(outcome).await
}
