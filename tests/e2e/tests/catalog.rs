//! The catalog and the itemised sale screen on the real app over WebDriver, against the embedded
//! demo sandbox. A manager (staff set up through the Staff screen, signed in by PIN) adds items
//! on the Catalog screen (field errors first), edits one, archives and restores one, imports a
//! CSV with a bad row (the per-row report shows, nothing is imported), imports the fixed file,
//! and exports; in English and Arabic. On the sale screen: an item found by name and added, an
//! unknown scanned code offered to the manager to add (its barcode filled in) while a cashier is
//! told to ask a manager, a whole-sale discount, and the charged sale listing its lines. A cashier
//! has no Catalog tab and the till refuses the page's catalog commands.
//!
//! The shell's file dialogs cannot be driven over WebDriver (they are the desktop's own
//! windows), so the app runs with `OTTU_POS_TEST_DIALOGS` (honoured by debug builds only,
//! `src-tauri/src/files.rs`): a save dialog answers a file in that directory, an open dialog the
//! path the test wrote to `open-path` there. Run by `scripts/e2e.sh`.

use std::path::Path;

use anyhow::{Context, Result, ensure};
use ottu_pos_e2e::staff::{lock, set_up_staff, unlock_as};
use ottu_pos_e2e::{App, Launch, press_enter_like_a_person};
use serde_json::json;
use thirtyfour::components::SelectElement;
use thirtyfour::prelude::*;

const OWNER_PIN: &str = "1234";
const MANAGER_PIN: &str = "7777";
const CASHIER_PIN: &str = "5555";

/// Launches the app with its dialogs answered from a fresh directory (returned too).
async fn launch(name: &str) -> Result<(App, tempfile::TempDir)> {
    let dialogs = tempfile::Builder::new()
        .prefix("ottu-pos-e2e-dialogs-")
        .tempdir()?;
    let launch = Launch::default().env(
        "OTTU_POS_TEST_DIALOGS",
        dialogs
            .path()
            .to_str()
            .context("temp dir path is not UTF-8")?,
    );
    Ok((App::launch_with(name, launch).await?, dialogs))
}

/// The rows of the catalog list: (sku, archived).
async fn rows(app: &App) -> Result<Vec<(String, bool)>> {
    let mut out = Vec::new();
    for row in app.all_by_test_id("catalog-row").await? {
        let sku = row.attr("data-sku").await?.unwrap_or_default();
        let archived = row.attr("data-archived").await?.as_deref() == Some("true");
        out.push((sku, archived));
    }
    Ok(out)
}

/// The list row of `sku`.
async fn row(app: &App, sku: &str) -> Result<WebElement> {
    app.wait_for(&format!("the catalog row of {sku}"), || async {
        for row in app.all_by_test_id("catalog-row").await? {
            if row.attr("data-sku").await?.as_deref() == Some(sku) {
                return Ok(Some(row));
            }
        }
        Ok(None)
    })
    .await
}

/// Empties the field (with the `input` event the page listens to) and types `text` into it.
async fn type_into(app: &App, id: &str, text: &str) -> Result<()> {
    let field = app.by_test_id(id).await?;
    app.driver
        .execute(
            "arguments[0].value = ''; \
             arguments[0].dispatchEvent(new Event('input', { bubbles: true }));",
            vec![field.to_json()?],
        )
        .await?;
    if !text.is_empty() {
        field.send_keys(text).await?;
    }
    Ok(())
}

/// Fills the open item form: (sku, barcode, name_en, name_ar, price, vat, category).
async fn fill_item(app: &App, item: (&str, &str, &str, &str, &str, &str, &str)) -> Result<()> {
    let (sku, barcode, name_en, name_ar, price, vat, category) = item;
    type_into(app, "item-sku", sku).await?;
    type_into(app, "item-barcode", barcode).await?;
    type_into(app, "item-name_en", name_en).await?;
    type_into(app, "item-name_ar", name_ar).await?;
    type_into(app, "item-price", price).await?;
    SelectElement::new(&app.by_test_id("item-vat_rate").await?)
        .await?
        .select_by_value(vat)
        .await?;
    type_into(app, "item-category", category).await
}

/// Saves the form and waits until it closed and `sku` is listed.
async fn save_item(app: &App, sku: &str) -> Result<()> {
    app.by_test_id("catalog-save").await?.click().await?;
    app.wait_for("the item form to close", || async {
        Ok(app
            .all_by_test_id("catalog-form")
            .await?
            .is_empty()
            .then_some(()))
    })
    .await?;
    row(app, sku).await?;
    Ok(())
}

/// Imports `csv` through the (stand-in) open dialog; answers the report element.
async fn import(app: &App, dialogs: &Path, csv: &str) -> Result<WebElement> {
    let file = dialogs.join("import.csv");
    std::fs::write(&file, csv)?;
    std::fs::write(dialogs.join("open-path"), file.to_string_lossy().as_bytes())?;
    if let Some(close) = app
        .all_by_test_id("catalog-import-close")
        .await?
        .into_iter()
        .next()
    {
        close.click().await?;
    }
    app.by_test_id("catalog-import").await?.click().await?;
    app.by_test_id("catalog-import-report").await
}

/// (row, field, problem code) of every line of the import report.
async fn report_problems(app: &App) -> Result<Vec<(String, String, String)>> {
    let mut out = Vec::new();
    for p in app.all_by_test_id("catalog-import-problem").await? {
        out.push((
            p.attr("data-row").await?.unwrap_or_default(),
            p.attr("data-field").await?.unwrap_or_default(),
            p.attr("data-problem").await?.unwrap_or_default(),
        ));
    }
    Ok(out)
}

const BAD_CSV: &str = "sku,barcode,name_en,name_ar,price,currency_code,vat_rate,category\n\
    SALT,6281000000101,Salt,ملح,0.250,KWD,0,Grocery\n\
    SUGAR,6281000000118,Sugar,سكر,one,KWD,5,Grocery\n\
    RICE,6281000000125,Rice,أرز,1.500,KWD,0,Grocery\n";
const GOOD_CSV: &str = "sku,barcode,name_en,name_ar,price,currency_code,vat_rate,category\n\
    SALT,6281000000101,Salt,ملح,0.250,KWD,0,Grocery\n\
    SUGAR,6281000000118,Sugar,سكر,0.600,KWD,5,Grocery\n\
    RICE,6281000000125,Rice,أرز,1.500,KWD,0,Grocery\n";

#[tokio::test]
#[ignore = "needs Xvfb and tauri-driver: run scripts/e2e.sh"]
async fn a_manager_keeps_the_catalog_imports_all_or_nothing_and_exports() -> Result<()> {
    let (app, dialogs) = launch("catalog").await?;
    let outcome = async {
        app.wait_until_ready().await?;
        set_up_staff(
            &app,
            OWNER_PIN,
            &[("Mona", "manager", MANAGER_PIN)],
            (MANAGER_PIN, "manager"),
        )
        .await?;
        app.by_test_id("nav-catalog").await?.click().await?;
        app.by_test_id("catalog-empty").await?;

        // A form with problems: each shows beside its own field, and nothing is added.
        app.by_test_id("catalog-add").await?.click().await?;
        fill_item(&app, ("TEA 1", "", "", "", "0.7505", "0", "")).await?;
        app.by_test_id("catalog-save").await?.click().await?;
        for field in ["sku", "name_en", "price"] {
            let id = format!("error-{field}");
            app.wait_for(&format!("the {field} error"), || async {
                Ok((!app.text_of(&id).await.unwrap_or_default().trim().is_empty()).then_some(()))
            })
            .await?;
        }
        ensure!(rows(&app).await?.is_empty(), "an invalid item was added");
        app.screenshot("catalog-form-errors-en").await?;

        fill_item(
            &app,
            ("TEA", "6281000000011", "Karak tea", "شاي كرك", "0.750", "0", "Drinks"),
        )
        .await?;
        save_item(&app, "TEA").await?;
        for item in [
            ("DATES", "6281000000028", "Dates box", "علبة تمر", "2.250", "5", "Food"),
            ("WATER", "6281000000035", "Water", "ماء", "0.150", "0", "Drinks"),
        ] {
            app.by_test_id("catalog-add").await?.click().await?;
            fill_item(&app, item).await?;
            save_item(&app, item.0).await?;
        }
        // A code another item already has is refused on its field.
        app.by_test_id("catalog-add").await?.click().await?;
        fill_item(&app, ("MINT", "TEA", "Mint", "", "1.000", "0", "")).await?;
        app.by_test_id("catalog-save").await?.click().await?;
        app.wait_for("the barcode-taken error", || async {
            Ok((!app.text_of("error-barcode").await.unwrap_or_default().is_empty()).then_some(()))
        })
        .await?;
        app.by_test_id("catalog-cancel").await?.click().await?;

        // Edit: the dates' price.
        row(&app, "DATES")
            .await?
            .find(By::Css("[data-testid=catalog-edit]"))
            .await?
            .click()
            .await?;
        type_into(&app, "item-price", "2.500").await?;
        save_item(&app, "DATES").await?;
        app.wait_for("the new price in the list", || async {
            let price = row(&app, "DATES")
                .await?
                .find(By::Css("[data-testid=catalog-row-price]"))
                .await?
                .prop("textContent")
                .await?
                .unwrap_or_default();
            Ok(price.contains("2.500").then_some(()))
        })
        .await?;

        // Archive the water (then it cannot be sold), restore it, archive it again.
        for (button, archived) in [
            ("catalog-archive", true),
            ("catalog-restore", false),
            ("catalog-archive", true),
        ] {
            row(&app, "WATER")
                .await?
                .find(By::Css(format!("[data-testid={button}]")))
                .await?
                .click()
                .await?;
            app.wait_for("the water's archived flag", || async {
                let r = row(&app, "WATER").await?;
                Ok((r.attr("data-archived").await?.as_deref()
                    == Some(if archived { "true" } else { "false" }))
                .then_some(()))
            })
            .await?;
        }
        let found = app
            .invoke_from_page("catalog_lookup", json!({ "code": "6281000000035" }))
            .await?;
        ensure!(found == "ok", "lookup of an archived item failed: {found}");

        // Search by Arabic name, then by SKU; category tabs.
        type_into(&app, "catalog-search", "تمر").await?;
        app.wait_for("the Arabic search", || async {
            Ok((rows(&app).await? == vec![("DATES".to_owned(), false)]).then_some(()))
        })
        .await?;
        type_into(&app, "catalog-search", "TEA").await?;
        app.wait_for("the SKU search", || async {
            Ok((rows(&app).await? == vec![("TEA".to_owned(), false)]).then_some(()))
        })
        .await?;
        type_into(&app, "catalog-search", "").await?;
        app.wait_for("the whole list again", || async {
            Ok((rows(&app).await?.len() == 3).then_some(()))
        })
        .await?;

        // A CSV with a bad row: the report names row 3, column price; nothing is imported.
        import(&app, dialogs.path(), BAD_CSV).await?;
        app.by_test_id("catalog-import-refused").await?;
        let problems = report_problems(&app).await?;
        ensure!(
            problems == vec![("3".into(), "price".into(), "price_invalid".into())],
            "import report: {problems:?}"
        );
        ensure!(
            rows(&app).await?.len() == 3,
            "a refused import changed the list"
        );
        app.screenshot("catalog-import-errors-en").await?;

        // The fixed file imports: three items added.
        let report = import(&app, dialogs.path(), GOOD_CSV).await?;
        ensure!(
            report.attr("data-applied").await?.as_deref() == Some("true"),
            "the fixed file was not applied"
        );
        app.wait_for("six items", || async {
            Ok((rows(&app).await?.len() == 6).then_some(()))
        })
        .await?;
        app.screenshot("catalog-en").await?;

        // Export: every item, archived ones too, to the file the save dialog answered.
        app.by_test_id("catalog-export").await?.click().await?;
        app.by_test_id("catalog-exported").await?;
        let exported = std::fs::read_dir(dialogs.path())?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("ottu-catalog-"))
            })
            .context("no exported file")?;
        let csv = std::fs::read_to_string(&exported)?;
        let lines: Vec<&str> = csv.lines().collect();
        ensure!(
            lines.first() == Some(&"sku,barcode,name_en,name_ar,price,currency_code,vat_rate,category,favourite,archived"),
            "export header: {:?}",
            lines.first()
        );
        ensure!(lines.len() == 7, "export has {} lines: {csv}", lines.len());
        ensure!(
            csv.contains("DATES,6281000000028,Dates box,علبة تمر,2.500,KWD,5,Food,false,false")
                && csv.contains("WATER,6281000000035,Water,ماء,0.150,KWD,0,Drinks,false,true"),
            "export content: {csv}"
        );

        // Arabic: the screen, and the import report in Arabic.
        app.choose_language("ar").await?;
        app.by_test_id("nav-catalog").await?.click().await?;
        row(&app, "TEA").await?;
        let name = row(&app, "TEA")
            .await?
            .find(By::Css("[data-testid=catalog-row-name]"))
            .await?
            .prop("textContent")
            .await?
            .unwrap_or_default();
        ensure!(name.contains("شاي كرك"), "the Arabic list shows {name:?}");
        app.screenshot("catalog-ar").await?;
        import(&app, dialogs.path(), BAD_CSV).await?;
        let report = app.text_of("catalog-import-report").await?;
        ensure!(
            report.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
            "the import report is not in Arabic: {report:?}"
        );
        app.screenshot("catalog-import-errors-ar").await?;
        Ok(())
    }
    .await;
    app.finish(outcome).await
}

async fn seed(app: &App) -> Result<()> {
    for (sku, barcode, name_en, name_ar, price) in [
        ("TEA", "6281000000011", "Karak tea", "شاي كرك", "0.750"),
        ("DATES", "6281000000028", "Dates box", "علبة تمر", "2.250"),
    ] {
        let item = json!({ "item": {
            "sku": sku, "barcode": barcode, "name_en": name_en, "name_ar": name_ar,
            "price": price, "currency_code": "KWD", "vat_rate": 0,
        }});
        let answer = app.invoke_from_page("save_catalog_item", item).await?;
        ensure!(answer == "ok", "save_catalog_item {sku}: {answer}");
    }
    Ok(())
}

/// Scans `code` as a keyboard-wedge scanner: the code and Enter in one burst of key events.
async fn scan(app: &App, code: &str) -> Result<()> {
    app.by_test_id("amount-input")
        .await?
        .send_keys(format!("{code}{}", char::from(Key::Enter)))
        .await?;
    Ok(())
}

async fn cart_total(app: &App, wanted: &str) -> Result<()> {
    app.wait_for(&format!("the cart total {wanted}"), || async {
        let total = app.text_of("cart-total").await.unwrap_or_default();
        Ok(total.contains(wanted).then_some(()))
    })
    .await
}

#[tokio::test]
#[ignore = "needs Xvfb and tauri-driver: run scripts/e2e.sh"]
async fn the_sale_screen_finds_catalog_items_offers_unknown_codes_and_discounts() -> Result<()> {
    let (app, _dialogs) = launch("catalog-sale").await?;
    let outcome = async {
        app.wait_until_ready().await?;
        set_up_staff(
            &app,
            OWNER_PIN,
            &[
                ("Mona", "manager", MANAGER_PIN),
                ("Huda", "cashier", CASHIER_PIN),
            ],
            (MANAGER_PIN, "manager"),
        )
        .await?;
        seed(&app).await?;
        // The favourites and the search follow the catalog when the sale screen is opened.
        app.by_test_id("nav-catalog").await?.click().await?;
        row(&app, "DATES").await?;
        app.by_test_id("nav-new").await?.click().await?;

        // Name search: "dat" finds the dates; a tap adds them.
        app.by_test_id("cart-search")
            .await?
            .send_keys("dat")
            .await?;
        let result = app.by_test_id("cart-search-result").await?;
        ensure!(
            result.attr("data-sku").await?.as_deref() == Some("DATES"),
            "the search found {:?}",
            result.attr("data-sku").await?
        );
        result.click().await?;
        app.wait_for("the dates in the cart", || async {
            Ok((app.all_by_test_id("cart-line").await?.len() == 1).then_some(()))
        })
        .await?;
        scan(&app, "6281000000011").await?;
        cart_total(&app, "3.000").await?;

        // An unknown code: the manager is offered to add it, its barcode filled in.
        scan(&app, "6289999999991").await?;
        app.by_test_id("cart-unknown-code").await?;
        app.screenshot("catalog-unknown-code-en").await?;
        app.by_test_id("cart-add-to-catalog").await?.click().await?;
        app.by_test_id("catalog-form").await?;
        let barcode = app.by_test_id("item-barcode").await?.prop("value").await?;
        ensure!(
            barcode.as_deref() == Some("6289999999991"),
            "the new item's barcode is {barcode:?}"
        );
        app.by_test_id("catalog-cancel").await?.click().await?;
        app.by_test_id("nav-new").await?.click().await?;

        // The cart stayed; 10 % off the whole sale, then the charged sale lists its lines.
        let discount = app.by_test_id("cart-sale-discount").await?;
        discount.send_keys("10").await?;
        press_enter_like_a_person(&discount).await?;
        cart_total(&app, "2.700").await?;
        ensure!(
            app.all_by_test_id("sale-screen").await?.is_empty(),
            "Enter in the discount charged the cart"
        );
        app.screenshot("catalog-sale-discount-en").await?;
        app.by_test_id("cart-charge").await?.click().await?;
        app.by_test_id("qr").await?;
        let items = app.text_of("sale-items").await?;
        // Lines at their shelf prices, the whole-sale discount once beneath them, the total.
        ensure!(
            items.contains("Dates box")
                && items.contains("Karak tea")
                && items.contains("2.250")
                && items.contains("0.750")
                && items.contains("0.300")
                && items.contains("2.700"),
            "the sale's items: {items:?}"
        );
        let lines = app.all_by_test_id("sale-item").await?.len();
        ensure!(lines == 2, "the sale lists {lines} lines");
        app.screenshot("catalog-sale-items-en").await?;

        // The cashier: no Catalog tab, the till refuses catalog changes, an unknown code says
        // to ask a manager.
        lock(&app).await?;
        unlock_as(&app, CASHIER_PIN, "cashier").await?;
        app.by_test_id("nav-new").await?.click().await?;
        app.by_test_id("amount-input").await?;
        ensure!(
            app.all_by_test_id("nav-catalog").await?.is_empty(),
            "a cashier sees the Catalog tab"
        );
        let refused = app
            .invoke_from_page(
                "save_catalog_item",
                json!({ "item": { "sku": "X1", "name_en": "X", "price": "1.000",
                                  "currency_code": "KWD", "vat_rate": 0 } }),
            )
            .await?;
        ensure!(
            refused == "not_allowed",
            "a cashier's save_catalog_item: {refused}"
        );
        let refused = app
            .invoke_from_page("export_catalog_csv", json!({}))
            .await?;
        ensure!(
            refused == "not_allowed",
            "a cashier's export_catalog_csv: {refused}"
        );
        scan(&app, "6289999999991").await?;
        app.by_test_id("cart-unknown-code").await?;
        ensure!(
            app.all_by_test_id("cart-add-to-catalog").await?.is_empty(),
            "a cashier is offered to add an item"
        );

        // Arabic: the search finds the Arabic name.
        lock(&app).await?;
        unlock_as(&app, MANAGER_PIN, "manager").await?;
        app.choose_language("ar").await?;
        app.by_test_id("nav-new").await?.click().await?;
        app.by_test_id("cart-search")
            .await?
            .send_keys("كرك")
            .await?;
        let result = app.by_test_id("cart-search-result").await?;
        ensure!(
            result.attr("data-sku").await?.as_deref() == Some("TEA"),
            "the Arabic search found {:?}",
            result.attr("data-sku").await?
        );
        app.screenshot("catalog-sale-search-ar").await?;
        Ok(())
    }
    .await;
    app.finish(outcome).await
}
