//! Itemised sales on the real app over WebDriver, against the embedded demo sandbox: catalog items
//! (added through the app's own IPC, as the demo till has none) scanned with keyboard-wedge input
//! (each code and its Enter sent as one fast burst of real key events), priced in the cart panel,
//! charged as an Ottu invoice, its QR paid; in English and in Arabic. Then each sale's receipt,
//! saved as PDF on an 80 mm roll and on A4 (the shell prints the page to a file through
//! WebKitGTK; `OTTU_POS_TEST_DIALOGS` stands in for the save dialog), and each PDF read back with
//! poppler's `pdfinfo` and `pdftotext`. Run by `scripts/e2e.sh`.

use std::path::Path;

use anyhow::{Context, Result, bail, ensure};
use ottu_pos_e2e::payer::{ShortLink, pay, session_id_behind};
use ottu_pos_e2e::pdf::read_pdf;
use ottu_pos_e2e::{App, Launch, press_enter_like_a_person};
use serde_json::json;
use thirtyfour::prelude::*;

/// (sku, barcode, name_en, name_ar, price, vat_rate)
const ITEMS: [(&str, &str, &str, &str, &str, u8); 3] = [
    ("TEA", "6281000000011", "Karak tea", "شاي كرك", "0.750", 0),
    (
        "DATES",
        "6281000000028",
        "Dates box",
        "علبة تمر",
        "2.250",
        0,
    ),
    ("WATER", "6281000000035", "Water", "ماء", "1.050", 5),
];

async fn seed_catalog(app: &App) -> Result<()> {
    for (sku, barcode, name_en, name_ar, price, vat_rate) in ITEMS {
        let item = json!({ "item": {
            "sku": sku, "barcode": barcode, "name_en": name_en, "name_ar": name_ar,
            "price": price, "currency_code": "KWD", "vat_rate": vat_rate,
        }});
        let answer = app.invoke_from_page("save_catalog_item", item).await?;
        ensure!(answer == "ok", "save_catalog_item {sku}: {answer}");
    }
    Ok(())
}

/// Scans the three items as a keyboard-wedge scanner does: the code and Enter in one burst of key
/// events into the focused amount field. Then the cart has three lines and no amount was typed.
async fn scan_three(app: &App) -> Result<()> {
    for (i, (_, barcode, ..)) in ITEMS.iter().enumerate() {
        let amount = app.by_test_id("amount-input").await?;
        amount
            .send_keys(format!("{barcode}{}", char::from(Key::Enter)))
            .await?;
        app.wait_for(&format!("{} cart lines", i + 1), || async {
            Ok((app.all_by_test_id("cart-line").await?.len() == i + 1).then_some(()))
        })
        .await?;
    }
    let typed = app.by_test_id("amount-input").await?.prop("value").await?;
    ensure!(
        typed.as_deref() == Some(""),
        "a scan reached the amount: {typed:?}"
    );
    ensure!(
        app.all_by_test_id("sale-screen").await?.is_empty(),
        "a scan created a sale"
    );
    app.wait_for("the cart's total", || async {
        let total = app.text_of("cart-total").await.unwrap_or_default();
        Ok((total.contains("4.050") || total.contains("٤٫٠٥٠")).then_some(total))
    })
    .await?;
    Ok(())
}

/// Charges the cart, checks the sale screen shows the invoice's `total` (Latin and Arabic-Indic
/// digits) and QR, and pays it.
async fn charge_and_pay(app: &App, total: [&str; 2], screenshot: &str) -> Result<()> {
    app.by_test_id("cart-charge").await?.click().await?;
    app.by_test_id("qr").await?;
    let link = app.sale_link().await?;
    let text = app.by_test_id("sale-screen").await?.text().await?;
    ensure!(
        text.contains(total[0]) || text.contains(total[1]),
        "the sale screen shows {text:?}, not the cart's {}",
        total[0]
    );
    app.screenshot(screenshot).await?;
    let short = ShortLink::parse(&link)?;
    pay(&short.base, &session_id_behind(&link).await?).await?;
    app.by_test_id("paid-overlay").await?;
    Ok(())
}

/// Waits until no toast covers the page (a language change says "Settings saved" for 3.5 s), so a
/// screenshot shows the receipt whole.
async fn without_toasts(app: &App) -> Result<()> {
    app.wait_for("the toasts to go", || async {
        Ok(app
            .driver
            .find_all(By::Css(".toast"))
            .await?
            .is_empty()
            .then_some(()))
    })
    .await
}

/// From the paid screen: the receipt (checked for `names` and `total`, screenshot
/// `receipt-<language>`), then saved as PDF on each paper; each file is a PDF whose page is the
/// paper's width and whose text has the items and the total. Leaves the app on the sale screen.
async fn receipt_as_pdfs(
    app: &App,
    save_dir: &Path,
    language: &str,
    names: &[&str],
    total: [&str; 2],
) -> Result<()> {
    app.by_test_id("paid-receipt").await?.click().await?;
    app.wait_for("the receipt's items", || async {
        let lines = app.text_of("receipt-lines").await.unwrap_or_default();
        Ok(names.iter().all(|n| lines.contains(n)).then_some(()))
    })
    .await?;
    let shown = app.text_of("receipt-total").await?;
    ensure!(
        shown.contains(total[0]) || shown.contains(total[1]),
        "the receipt's total is {shown:?}, not {}",
        total[0]
    );
    without_toasts(app).await?;
    app.screenshot(&format!("receipt-{language}")).await?;
    let order = app.text_of("receipt-order").await?;
    let pdf = save_dir.join(format!("receipt-{}.pdf", order.trim()));
    // 80 mm = 226.77 pt, A4 = 595.28 pt.
    for (paper, width_pt) in [("roll80mm", 226.77), ("a4", 595.28)] {
        let _ = std::fs::remove_file(&pdf);
        app.by_test_id(&format!("pdf-{paper}"))
            .await?
            .click()
            .await?;
        let (width, text) = app
            .wait_for(&format!("the {paper} PDF"), || async {
                // The command answers once the file is complete; until then it may be absent
                // or partly written.
                Ok(pdf.exists().then(|| read_pdf(&pdf).ok()).flatten())
            })
            .await?;
        ensure!(
            (width - width_pt).abs() < 1.0,
            "the {paper} PDF's page is {width} pt wide, not {width_pt}"
        );
        for wanted in names {
            ensure!(
                text.contains(wanted),
                "the {paper} PDF's text lacks {wanted:?}:\n{text}"
            );
        }
        // Only the receipt is on paper: not the buttons above it ("Save as PDF", "حفظ PDF").
        ensure!(
            !text.contains("PDF"),
            "the {paper} PDF has the screen's buttons:\n{text}"
        );
        if !(text.contains(total[0]) || text.contains(total[1])) {
            bail!(
                "the {paper} PDF's text lacks the total {}:\n{text}",
                total[0]
            );
        }
        std::fs::copy(
            &pdf,
            ottu_pos_e2e::screenshot_dir().join(format!("receipt-{language}-{paper}.pdf")),
        )?;
    }
    app.by_test_id("receipt-back").await?.click().await?;
    app.by_test_id("sale-screen").await?;
    Ok(())
}

#[tokio::test]
#[ignore = "needs Xvfb and tauri-driver: run scripts/e2e.sh"]
async fn scanned_items_are_charged_as_an_invoice_and_paid_in_english_and_arabic() -> Result<()> {
    let save_dir = tempfile::tempdir()?;
    let launch = Launch::default().env("OTTU_POS_TEST_DIALOGS", save_dir.path().to_string_lossy());
    let app = App::launch_with("cart", launch).await?;
    let outcome = async {
        app.wait_until_ready().await?;
        seed_catalog(&app).await?;

        scan_three(&app).await?;
        // An unknown code says so and adds nothing.
        let amount = app.by_test_id("amount-input").await?;
        amount
            .send_keys(format!("9999999999999{}", char::from(Key::Enter)))
            .await?;
        app.by_test_id("cart-unknown-code").await?;
        ensure!(
            app.all_by_test_id("cart-line").await?.len() == 3,
            "an unknown code changed the cart"
        );
        // 10 % off the tea (0.750): 0.075 less, and Enter in the field charges nothing.
        let discount = app
            .all_by_test_id("cart-line-discount")
            .await?
            .into_iter()
            .next()
            .context("no discount field")?;
        discount.send_keys("10").await?;
        press_enter_like_a_person(&discount).await?;
        app.wait_for("the discounted total", || async {
            let total = app.text_of("cart-total").await?;
            Ok(total.contains("3.975").then_some(()))
        })
        .await?;
        ensure!(
            app.all_by_test_id("sale-screen").await?.is_empty(),
            "Enter in a discount charged the cart"
        );
        app.screenshot("cart-en").await?;
        charge_and_pay(&app, ["3.975", "٣٫٩٧٥"], "cart-sale-en").await?;
        receipt_as_pdfs(
            &app,
            save_dir.path(),
            "en",
            &["Karak tea", "Dates box", "Water"],
            ["3.975", "٣٫٩٧٥"],
        )
        .await?;
        app.by_test_id("new-sale").await?.click().await?;
        app.wait_until_ready().await?;

        app.choose_language("ar").await?;
        app.by_test_id("nav-new").await?.click().await?;
        scan_three(&app).await?;
        let names = app.text_of("cart-lines").await?;
        ensure!(
            names.contains("شاي كرك"),
            "the Arabic cart does not show the Arabic names: {names:?}"
        );
        app.screenshot("cart-ar").await?;
        charge_and_pay(&app, ["4.050", "٤٫٠٥٠"], "cart-sale-ar").await?;
        receipt_as_pdfs(
            &app,
            save_dir.path(),
            "ar",
            &["شاي كرك", "علبة تمر", "ماء"],
            ["4.050", "٤٫٠٥٠"],
        )
        .await?;
        Ok(())
    }
    .await;
    app.finish(outcome).await
}

/// The Saudi tax-invoice QR's five TLV fields, decoded in the page from the receipt's payload.
async fn tax_qr_fields(app: &App) -> Result<Vec<String>> {
    let fields = app
        .driver
        .execute(
            r#"const payload = document.querySelector('[data-payload]').dataset.payload;
               const bytes = Uint8Array.from(atob(payload), (c) => c.charCodeAt(0));
               const fields = [];
               for (let at = 0; at < bytes.length; at += 2 + bytes[at + 1]) {
                 fields.push(bytes[at] + '=' + new TextDecoder().decode(bytes.slice(at + 2, at + 2 + bytes[at + 1])));
               }
               return fields;"#,
            vec![],
        )
        .await?;
    Ok(serde_json::from_value(fields.json().clone())?)
}

#[tokio::test]
#[ignore = "needs Xvfb and tauri-driver: run scripts/e2e.sh"]
async fn a_saudi_sale_has_the_simplified_tax_invoice_qr_on_its_arabic_receipt() -> Result<()> {
    let app = App::launch("receipt-sar").await?;
    let outcome = async {
        app.wait_until_ready().await?;
        // Arabic first: the Settings screen saves the whole form it loaded, so a change made
        // behind its back before would be undone.
        app.choose_language("ar").await?;
        // The shop's Arabic name and VAT number, then an 11.50 SAR sale, through the app's IPC.
        let sale = app
            .driver
            .execute_async(
                r#"const [done] = arguments;
                   const invoke = window.__TAURI_INTERNALS__.invoke;
                   invoke('app_state')
                     .then((s) => invoke('save_settings', { settings: { ...s.settings,
                       shop_name: 'متجر التمور', vat_number: '300000000000003' } }))
                     .then(() => invoke('create_sale', { draft: { amount: '11.50', currency_code: 'SAR' } }))
                     .then((sale) => done(sale), (e) => done({ error: e }));"#,
                vec![],
            )
            .await?
            .json()
            .clone();
        let link = sale["link"]
            .as_str()
            .with_context(|| format!("no sale: {sale}"))?;
        let short = ShortLink::parse(link)?;
        pay(&short.base, sale["session_id"].as_str().context("no session")?).await?;

        app.by_test_id("nav-history").await?.click().await?;
        app.wait_for("the paid SAR sale in the history", || async {
            let rows = app.all_by_test_id("history-row").await?;
            let Some(row) = rows.into_iter().next() else {
                return Ok(None);
            };
            Ok((row.attr("data-state").await?.as_deref() == Some("paid")).then_some(()))
        })
        .await?;
        app.by_test_id("history-reopen").await?.click().await?;
        app.by_test_id("open-receipt").await?.click().await?;
        app.wait_for("the tax-invoice QR", || async {
            let qr = app.all_by_test_id("receipt-tax-qr").await?;
            let Some(qr) = qr.into_iter().next() else {
                return Ok(None);
            };
            Ok(qr.inner_html().await?.contains("<svg").then_some(()))
        })
        .await?;
        let fields = tax_qr_fields(&app).await?;
        ensure!(fields.len() == 5, "{fields:?}");
        ensure!(
            fields[..2] == ["1=متجر التمور", "2=300000000000003"]
                && fields[3..] == ["4=11.50", "5=0.00"],
            "the QR's fields are {fields:?}"
        );
        ensure!(
            fields[2].starts_with("3=20") && fields[2].ends_with('Z') && fields[2].len() == 22,
            "the QR's time is {:?}",
            fields[2]
        );
        without_toasts(&app).await?;
        app.screenshot("receipt-sar-ar").await?;
        Ok(())
    }
    .await;
    app.finish(outcome).await
}
