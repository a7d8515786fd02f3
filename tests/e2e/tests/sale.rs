//! The cashier's flows on the real app over WebDriver, against the embedded demo sandbox:
//! amount → Enter → QR → the customer pays → "Paid"; field errors; edit; cancel; history; Arabic;
//! the customer window. Run by `scripts/e2e.sh` (needs a display; ignored by a plain `cargo test`).

use anyhow::{Context, Result, ensure};
use ottu_pos_e2e::payer::{ShortLink, pay, session_id_behind};
use ottu_pos_e2e::{App, press_enter_like_a_person};
use serde_json::json;
use thirtyfour::components::SelectElement;
use thirtyfour::prelude::*;

#[tokio::test]
#[ignore = "needs Xvfb and tauri-driver: run scripts/e2e.sh"]
async fn amount_then_enter_shows_the_qr_and_a_payment_turns_it_paid() -> Result<()> {
    let app = App::launch("paid").await?;
    let outcome = async {
        app.wait_until_ready().await?;
        app.screenshot("new-request-en").await?;
        let link = app.create_sale("12.5").await?;
        let short = ShortLink::parse(&link)?;
        ensure!(
            short.is_loopback(),
            "the demo link {link} is not the embedded sandbox's"
        );
        ensure!(short.path.starts_with("/b/"), "{link} is not a short link");
        let amount = app.by_test_id("sale-screen").await?.text().await?;
        ensure!(
            amount.contains("12.500"),
            "the sale screen shows {amount:?}, not 12.500"
        );
        app.screenshot("sale-en").await?;

        let session_id = session_id_behind(&link).await?;
        pay(&short.base, &session_id).await?;
        app.by_test_id("paid-overlay").await?;
        app.screenshot("paid-en").await?;
        let metrics = app.metrics().await?;
        ensure!(
            metrics.contains_key("qr-painted") && metrics.contains_key("paid-painted"),
            "metrics marks missing: {metrics:?}"
        );
        Ok(())
    }
    .await;
    app.finish(outcome).await
}

#[tokio::test]
#[ignore = "needs Xvfb and tauri-driver: run scripts/e2e.sh"]
async fn a_bad_email_is_shown_next_to_the_email_field() -> Result<()> {
    let app = App::launch("bad-email").await?;
    let outcome = async {
        app.wait_until_ready().await?;
        app.by_test_id("customer-email")
            .await?
            .send_keys("not-an-email")
            .await?;
        let amount = app.by_test_id("amount-input").await?;
        amount.send_keys("5").await?;
        press_enter_like_a_person(&amount).await?;
        // Read through textContent: WebKitWebDriver may call an inline error span "not displayed".
        let text = app
            .wait_for("the email error", || async {
                let Some(error) = app
                    .all_by_test_id("error-customer_email")
                    .await?
                    .into_iter()
                    .next()
                else {
                    return Ok(None);
                };
                let text = error.prop("textContent").await?.unwrap_or_default();
                Ok((!text.trim().is_empty()).then_some(text))
            })
            .await?;
        ensure!(
            app.all_by_test_id("sale-screen").await?.is_empty(),
            "a sale was created despite the bad email ({text})"
        );
        app.screenshot("bad-email-en").await?;
        Ok(())
    }
    .await;
    app.finish(outcome).await
}

#[tokio::test]
#[ignore = "needs Xvfb and tauri-driver: run scripts/e2e.sh"]
async fn an_unpaid_sale_can_be_edited_then_cancelled() -> Result<()> {
    let app = App::launch("edit-cancel").await?;
    let outcome = async {
        app.wait_until_ready().await?;
        let link = app.create_sale("3").await?;
        app.by_test_id("edit-amount").await?.click().await?;
        let input = app.by_test_id("edit-amount-input").await?;
        input.clear().await?;
        input.send_keys("4.250").await?;
        app.by_test_id("edit-amount-save").await?.click().await?;
        let screen = app.by_test_id("sale-screen").await?;
        app.wait_for_text("the new amount", &screen, |text| text.contains("4.250"))
            .await?;
        let same_link = app.sale_link().await?;
        ensure!(
            same_link == link,
            "editing changed the link: {link} → {same_link}"
        );

        app.by_test_id("cancel-sale").await?.click().await?;
        app.by_test_id("cancel-confirm").await?.click().await?;
        app.wait_for_sale_state("canceled").await?;
        app.screenshot("canceled-en").await?;
        Ok(())
    }
    .await;
    app.finish(outcome).await
}

#[tokio::test]
#[ignore = "needs Xvfb and tauri-driver: run scripts/e2e.sh"]
async fn history_finds_a_sale_by_customer_name() -> Result<()> {
    let app = App::launch("history").await?;
    let outcome = async {
        app.wait_until_ready().await?;
        app.by_test_id("customer-name")
            .await?
            .send_keys("Fatma Al-Sabah")
            .await?;
        app.create_sale("7.5").await?;
        app.by_test_id("new-sale").await?.click().await?;
        app.wait_until_ready().await?;
        app.create_sale("1").await?;

        app.by_test_id("nav-history").await?.click().await?;
        app.by_test_id("history-search")
            .await?
            .send_keys("fatma")
            .await?;
        app.wait_for("one matching history row", || async {
            let rows = app.all_by_test_id("history-row").await?;
            Ok((rows.len() == 1).then_some(()))
        })
        .await?;
        let row = app.by_test_id("history-row").await?.text().await?;
        ensure!(row.contains("7.500"), "the history row shows {row:?}");
        app.screenshot("history-en").await?;

        // Reopened from the list (whose rows carry no QR), the sale shows its QR again.
        app.by_test_id("history-reopen").await?.click().await?;
        app.by_test_id("qr").await?;
        app.screenshot("history-reopened-en").await?;
        Ok(())
    }
    .await;
    app.finish(outcome).await
}

#[tokio::test]
#[ignore = "needs Xvfb and tauri-driver: run scripts/e2e.sh"]
async fn a_comma_typed_in_the_amount_groups_thousands() -> Result<()> {
    let app = App::launch("grouping").await?;
    let outcome = async {
        app.wait_until_ready().await?;
        let input = app.by_test_id("amount-input").await?;
        input.send_keys("1,500").await?;
        app.screenshot("amount-grouped-en").await?;
        press_enter_like_a_person(&input).await?;
        app.by_test_id("qr").await?;
        let sale = app.by_test_id("sale-screen").await?.text().await?;
        ensure!(
            sale.contains("1,500.000"),
            "typed 1,500 KWD, the sale screen shows {sale:?}"
        );
        Ok(())
    }
    .await;
    app.finish(outcome).await
}

#[tokio::test]
#[ignore = "needs Xvfb and tauri-driver: run scripts/e2e.sh"]
async fn arabic_mirrors_the_whole_window_right_to_left() -> Result<()> {
    let app = App::launch("arabic").await?;
    let outcome = async {
        app.wait_until_ready().await?;
        app.choose_language("ar").await?;
        app.screenshot("settings-ar").await?;
        app.by_test_id("nav-new").await?.click().await?;
        app.screenshot("new-request-ar").await?;
        let link = app.create_sale("12.5").await?;
        app.screenshot("sale-ar").await?;

        let short = ShortLink::parse(&link)?;
        pay(&short.base, &session_id_behind(&link).await?).await?;
        app.by_test_id("paid-overlay").await?;
        app.screenshot("paid-ar").await?;
        app.by_test_id("paid-new").await?.click().await?;
        app.wait_until_ready().await?;
        app.by_test_id("nav-history").await?.click().await?;
        app.by_test_id("history-row").await?;
        app.screenshot("history-ar").await?;
        Ok(())
    }
    .await;
    app.finish(outcome).await
}

#[tokio::test]
#[ignore = "needs Xvfb and tauri-driver: run scripts/e2e.sh"]
async fn the_customer_window_shows_the_qr_of_the_sale() -> Result<()> {
    let app = App::launch("customer").await?;
    let outcome = async {
        app.wait_until_ready().await?;
        app.create_sale("9").await?;
        let main = app.driver.window().await?;
        app.by_test_id("show-customer").await?.click().await?;
        let customer = app
            .wait_for("the customer window", || async {
                let windows = app.driver.windows().await?;
                Ok(windows.into_iter().find(|handle| *handle != main))
            })
            .await
            .context("no second window opened")?;
        app.driver.switch_to_window(customer).await?;
        app.by_test_id("customer-qr").await?;
        let amount = app.by_test_id("customer-amount").await?.text().await?;
        ensure!(
            amount.contains("9.000"),
            "the customer window shows {amount:?}"
        );
        app.screenshot("customer-en").await?;
        // Its capability (capabilities/customer.json) grants only what it shows: no clipboard,
        // no opener, no dialogs, no app command but reading its sale and the settings.
        for (command, args) in [
            ("plugin:clipboard-manager|write_text", json!({"text": "x"})),
            ("plugin:opener|open_url", json!({"url": "https://wa.me/1"})),
            ("plugin:dialog|open", json!({"options": {}})),
            // App commands too: only get_sale and app_state (build.rs declares them to the ACL).
            ("history", json!({"query": {}})),
            ("unlock", json!({"pin": "1234"})),
        ] {
            let answer = app.invoke_from_page(command, args).await?;
            ensure!(
                answer.contains("not allowed"),
                "the customer window may call {command}: {answer}"
            );
        }
        app.driver.switch_to_window(main).await?;
        Ok(())
    }
    .await;
    app.finish(outcome).await
}

/// Waits for the text of the first element with `id` (read through textContent: WebKitWebDriver
/// may call an inline span "not displayed").
async fn text_content(app: &App, id: &str) -> Result<String> {
    app.wait_for(id, || async {
        let Some(element) = app.all_by_test_id(id).await?.into_iter().next() else {
            return Ok(None);
        };
        let text = element.prop("textContent").await?.unwrap_or_default();
        Ok((!text.trim().is_empty()).then_some(text))
    })
    .await
}

fn has_arabic_letters(text: &str) -> bool {
    text.chars().any(|c| ('\u{0621}'..='\u{064a}').contains(&c))
}

/// The Gulf conventions in Arabic: a field error from pos-core said in Arabic, the QR screen and
/// the customer window in Arabic-Indic digits with the Arabic currency symbol, and the history's
/// date filter as day/month/year with a calendar whose weeks start on Saturday.
#[tokio::test]
#[ignore = "needs Xvfb and tauri-driver: run scripts/e2e.sh"]
async fn arabic_conventions_field_error_digits_and_day_month_year() -> Result<()> {
    let app = App::launch("gulf").await?;
    let outcome = async {
        app.wait_until_ready().await?;
        app.by_test_id("nav-settings").await?.click().await?;
        for (id, value) in [
            ("settings-language", "ar"),
            ("settings-week-start", "saturday"),
            ("settings-currency-display", "arabic_symbol"),
        ] {
            let select = app.by_test_id(id).await?;
            SelectElement::new(&select)
                .await?
                .select_by_value(value)
                .await?;
        }
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

        // A field error pos-core refuses (the email), shown in Arabic from its code.
        app.by_test_id("nav-new").await?.click().await?;
        app.wait_until_ready().await?;
        let email = app.by_test_id("customer-email").await?;
        email.send_keys("not-an-email").await?;
        let amount = app.by_test_id("amount-input").await?;
        amount.send_keys("5").await?;
        press_enter_like_a_person(&amount).await?;
        let error = text_content(&app, "error-customer_email").await?;
        ensure!(
            has_arabic_letters(&error) && !error.contains("enter a valid"),
            "the email error is not in Arabic: {error:?}"
        );
        app.screenshot("field-error-ar").await?;

        // The QR screen in Arabic-Indic digits, grouped, with the currency's three decimals.
        // Emptied as a cashier would (WebDriver's clear() fires no input event).
        email.send_keys(Key::Control + "a").await?;
        email.send_keys(Key::Backspace).await?;
        let amount = app.by_test_id("amount-input").await?;
        amount.send_keys(Key::Escape).await?;
        app.type_amount_and_enter("1234.5").await?;
        app.by_test_id("qr").await?;
        app.by_test_id("sale-screen").await?;
        let sale_amount = app
            .driver
            .find(By::Id("sale-amount"))
            .await?
            .prop("textContent")
            .await?
            .unwrap_or_default();
        ensure!(
            sale_amount.contains("د.ك") && sale_amount.chars().any(|c| ('٠'..='٩').contains(&c)),
            "the QR screen shows {sale_amount:?}"
        );
        ensure!(
            !sale_amount.chars().any(|c| c.is_ascii_digit()),
            "ASCII digits on the QR screen: {sale_amount:?}"
        );
        app.screenshot("sale-arabic-digits-ar").await?;

        // History: the date filter is typed and shown day/month/year, its calendar starts on
        // Saturday, and a typed day filters the list.
        app.by_test_id("nav-history").await?.click().await?;
        app.by_test_id("history-row").await?;
        let from = app.by_test_id("history-from").await?;
        from.send_keys("٠١/٠٢/٢٠٢٦").await?;
        from.send_keys(Key::Tab).await?;
        let shown = app
            .wait_for("the from day", || async {
                let value = from.prop("value").await?.unwrap_or_default();
                Ok((value == "٠١/٠٢/٢٠٢٦").then_some(value))
            })
            .await?;
        ensure!(shown == "٠١/٠٢/٢٠٢٦", "the from field shows {shown:?}");
        app.by_test_id("history-to-calendar").await?.click().await?;
        let grid = app.by_test_id("history-to-grid").await?;
        let first = grid
            .find(By::Css("th"))
            .await?
            .attr("data-weekday")
            .await?
            .unwrap_or_default();
        ensure!(
            first == "6",
            "the calendar's week starts on weekday {first}, not Saturday"
        );
        app.screenshot("history-date-filter-ar").await?;
        // Back to the sale from the history, for the customer window (last: without a window
        // manager it covers the cashier's window).
        app.by_test_id("history-to-calendar").await?.click().await?;
        app.by_test_id("history-reopen").await?.click().await?;
        app.by_test_id("qr").await?;
        // The customer window follows the same conventions.
        let main = app.driver.window().await?;
        app.by_test_id("show-customer").await?.click().await?;
        let customer = app
            .wait_for("the customer window", || async {
                let windows = app.driver.windows().await?;
                Ok(windows.into_iter().find(|handle| *handle != main))
            })
            .await
            .context("no second window opened")?;
        app.driver.switch_to_window(customer).await?;
        app.by_test_id("customer-qr").await?;
        let customer_amount = text_content(&app, "customer-amount").await?;
        ensure!(
            customer_amount.chars().any(|c| ('٠'..='٩').contains(&c))
                && !customer_amount.chars().any(|c| c.is_ascii_digit()),
            "the customer window shows {customer_amount:?}"
        );
        app.screenshot("customer-arabic-digits-ar").await?;
        app.driver.switch_to_window(main).await?;

        Ok(())
    }
    .await;
    app.finish(outcome).await
}
