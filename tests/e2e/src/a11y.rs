//! Accessibility checks of the real app: axe-core run inside the webview, and the one list of
//! screens every check walks.
//!
//! [`SCREENS`] is the app's screens in the order a tour reaches them: each entry's `reach` takes
//! the app from where the entry before it left off to that screen (the first starts on the home
//! screen of a fresh demo till). A new screen joins every accessibility run by adding an entry.
//! [`audit`] injects axe-core (`ui/node_modules/axe-core/axe.min.js`, a devDependency of the UI)
//! into the current window over WebDriver and runs every rule it has; [`Report`] collects the
//! violations of a run and writes them to `artifacts/screenshots/accessibility/` as JSON and a short summary.
//! Serious and critical violations fail the run; moderate and minor ones are reported.

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::OnceLock;

use anyhow::{Context, Result, anyhow, bail, ensure};
use serde_json::{Value, json};
use thirtyfour::components::SelectElement;
use thirtyfour::prelude::*;

use crate::App;
use crate::payer::{ShortLink, pay, session_id_behind};

/// Moves the app from the previous screen of the tour to this one.
pub type Step = for<'a> fn(&'a App) -> Pin<Box<dyn Future<Output = Result<()>> + 'a>>;

/// One screen of the tour.
#[derive(Debug)]
pub struct Screen {
    /// Names the screen in reports and screenshots (`a11y-<name>-<language>-<theme>.png`).
    pub name: &'static str,
    /// Reaches the screen from the previous entry's.
    pub reach: Step,
    /// Run after the screen was checked, when leaving it needs more than the next `reach` does
    /// (the customer window hands WebDriver back to the cashier's).
    pub leave: Option<Step>,
}

/// PIN the tour gives the owner, so the lock screen can be shown and left.
pub const OWNER_PIN: &str = "2468";

/// Every screen of the app, in tour order. Add new screens here; charts must carry a text
/// alternative (axe's `svg-img-alt` and `role-img-alt` rules check it once they are listed).
/// Not in it yet: the few seconds of "Checking with Ottu…" while a lost create is settled (the
/// settled screen is), and the banner of a till that could not load.
pub const SCREENS: &[Screen] = &[
    Screen {
        name: "new-sale",
        reach: |app| Box::pin(home(app)),
        leave: None,
    },
    Screen {
        name: "cart",
        reach: |app| Box::pin(cart(app)),
        leave: Some(|app| Box::pin(empty_cart(app))),
    },
    Screen {
        name: "new-sale-errors",
        reach: |app| Box::pin(new_sale_errors(app)),
        leave: None,
    },
    Screen {
        name: "sale-waiting",
        reach: |app| Box::pin(sale_waiting(app)),
        leave: None,
    },
    Screen {
        name: "sale-edit",
        reach: |app| Box::pin(sale_edit(app)),
        leave: None,
    },
    Screen {
        name: "sale-cancel-question",
        reach: |app| Box::pin(cancel_question(app)),
        leave: None,
    },
    Screen {
        name: "customer-window",
        reach: |app| Box::pin(customer_window(app)),
        leave: Some(|app| Box::pin(back_to_cashier(app))),
    },
    Screen {
        name: "paid",
        reach: |app| Box::pin(paid(app)),
        leave: None,
    },
    Screen {
        name: "sale-paid",
        reach: |app| Box::pin(sale_paid(app)),
        leave: None,
    },
    Screen {
        name: "receipt",
        reach: |app| Box::pin(receipt(app)),
        leave: Some(|app| Box::pin(receipt_back(app))),
    },
    Screen {
        name: "customer-window-paid",
        reach: |app| Box::pin(customer_window_paid(app)),
        leave: Some(|app| Box::pin(back_to_cashier(app))),
    },
    Screen {
        name: "refund-dialog",
        reach: |app| Box::pin(refund_dialog(app)),
        leave: None,
    },
    Screen {
        name: "sale-lost-answer",
        reach: |app| Box::pin(lost_answer(app)),
        leave: None,
    },
    Screen {
        name: "history",
        reach: |app| Box::pin(history(app)),
        leave: None,
    },
    Screen {
        name: "shift",
        reach: |app| Box::pin(shift(app)),
        leave: None,
    },
    Screen {
        name: "cash-sale",
        reach: |app| Box::pin(cash_sale(app)),
        leave: Some(|app| Box::pin(cash_sale_done(app))),
    },
    Screen {
        name: "split-bill",
        reach: |app| Box::pin(split_bill(app)),
        leave: None,
    },
    Screen {
        name: "report-x",
        reach: |app| Box::pin(report_x(app)),
        leave: None,
    },
    Screen {
        name: "shift-close",
        reach: |app| Box::pin(shift_close(app)),
        leave: None,
    },
    Screen {
        name: "report-z",
        reach: |app| Box::pin(report_z(app)),
        leave: None,
    },
    Screen {
        name: "reconcile",
        reach: |app| Box::pin(reconcile(app)),
        leave: None,
    },
    Screen {
        name: "dashboard",
        reach: |app| Box::pin(dashboard(app)),
        leave: None,
    },
    Screen {
        name: "settings",
        reach: |app| Box::pin(settings(app)),
        leave: None,
    },
    Screen {
        name: "settings-profile",
        reach: |app| Box::pin(settings_profile(app)),
        leave: None,
    },
    Screen {
        name: "catalog",
        reach: |app| Box::pin(catalog(app)),
        leave: None,
    },
    Screen {
        name: "catalog-editor",
        reach: |app| Box::pin(catalog_editor(app)),
        leave: None,
    },
    Screen {
        name: "staff",
        reach: |app| Box::pin(staff(app)),
        leave: None,
    },
    Screen {
        name: "staff-editor",
        reach: |app| Box::pin(staff_editor(app)),
        leave: None,
    },
    Screen {
        name: "lock",
        reach: |app| Box::pin(lock(app)),
        leave: None,
    },
    Screen {
        name: "lock-wrong-pin",
        reach: |app| Box::pin(lock_wrong_pin(app)),
        leave: None,
    },
];

async fn home(app: &App) -> Result<()> {
    app.wait_until_ready().await?;
    app.by_test_id("amount-input").await?;
    Ok(())
}

/// Two catalog items added through the app's IPC (the demo till has none), both scanned as a
/// keyboard-wedge scanner types them, then a code no item has: lines, totals and the message.
async fn cart(app: &App) -> Result<()> {
    for (sku, barcode, name_ar, price) in [
        ("TEA", "6281000000011", "شاي كرك", "0.750"),
        ("DATES", "6281000000028", "علبة تمر", "2.250"),
    ] {
        let item = json!({ "item": {
            "sku": sku, "barcode": barcode, "name_en": sku, "name_ar": name_ar,
            "price": price, "currency_code": "KWD", "vat_rate": 5,
        }});
        let answer = app.invoke_from_page("save_catalog_item", item).await?;
        ensure!(answer == "ok", "save_catalog_item {sku}: {answer}");
    }
    let enter = char::from(Key::Enter);
    for code in ["6281000000011", "6281000000028", "9999999999999"] {
        app.by_test_id("amount-input")
            .await?
            .send_keys(format!("{code}{enter}"))
            .await?;
    }
    app.by_test_id("cart-unknown-code").await?;
    app.wait_for("two cart lines", || async {
        Ok((app.all_by_test_id("cart-line").await?.len() == 2).then_some(()))
    })
    .await?;
    app.by_test_id("cart-total").await?;
    Ok(())
}

/// The tour goes on with the typed-amount flow, which an empty cart keeps.
async fn empty_cart(app: &App) -> Result<()> {
    app.by_test_id("cart-clear").await?.click().await?;
    app.wait_for("the cart to go", || async {
        Ok(app
            .all_by_test_id("cart-panel")
            .await?
            .is_empty()
            .then_some(()))
    })
    .await
}

async fn new_sale_errors(app: &App) -> Result<()> {
    app.by_test_id("customer-email")
        .await?
        .send_keys("not-an-email")
        .await?;
    app.type_amount_and_enter("5").await?;
    app.wait_for("the email error", || async {
        Ok((!app.text_of("error-customer_email").await?.trim().is_empty()).then_some(()))
    })
    .await?;
    let email = app.by_test_id("customer-email").await?;
    email.clear().await?;
    Ok(())
}

async fn sale_waiting(app: &App) -> Result<()> {
    let email = app.by_test_id("customer-email").await?;
    email.send_keys("fatma@example.com").await?;
    app.by_test_id("customer-name")
        .await?
        .send_keys("Fatma")
        .await?;
    let input = app.by_test_id("amount-input").await?;
    // Escape clears the amount the error step left.
    input.send_keys(Key::Escape).await?;
    app.create_sale("12.5").await?;
    Ok(())
}

async fn sale_edit(app: &App) -> Result<()> {
    app.by_test_id("edit-amount").await?.click().await?;
    app.by_test_id("edit-amount-input").await?;
    Ok(())
}

async fn cancel_question(app: &App) -> Result<()> {
    app.by_test_id("edit-amount-input")
        .await?
        .send_keys(Key::Escape)
        .await?;
    app.by_test_id("cancel-sale").await?.click().await?;
    app.by_test_id("cancel-keep").await?;
    Ok(())
}

async fn customer_window(app: &App) -> Result<()> {
    app.by_test_id("cancel-keep").await?.click().await?;
    open_customer_window(app, "customer-qr").await
}

/// Clicks "Show to customer" and hands WebDriver to the customer window once it shows `shown`.
async fn open_customer_window(app: &App, shown: &str) -> Result<()> {
    let main = app.driver.window().await?;
    app.by_test_id("show-customer").await?.click().await?;
    let customer = app
        .wait_for("the customer window", || async {
            let windows = app.driver.windows().await?;
            Ok(windows.into_iter().find(|handle| *handle != main))
        })
        .await?;
    app.driver.switch_to_window(customer).await?;
    // Back on the screen, where an earlier visit may have moved it from.
    app.driver.set_window_rect(0, 0, 1024, 768).await?;
    app.by_test_id(shown).await?;
    Ok(())
}

/// Moves the customer window off the screen (under Xvfb, with no window manager, it would cover
/// the cashier's screens in the screenshots; closed, the app could not show it again) and hands
/// WebDriver back to the cashier's window.
async fn back_to_cashier(app: &App) -> Result<()> {
    let current = app.driver.window().await?;
    let windows = app.driver.windows().await?;
    let main = windows
        .into_iter()
        .find(|handle| *handle != current)
        .context("no cashier window")?;
    app.driver.set_window_rect(4000, 0, 1024, 768).await?;
    app.driver.switch_to_window(main).await?;
    Ok(())
}

async fn paid(app: &App) -> Result<()> {
    let link = app.sale_link().await?;
    let short = ShortLink::parse(&link)?;
    pay(&short.base, &session_id_behind(&link).await?).await?;
    app.by_test_id("paid-overlay").await?;
    Ok(())
}

async fn sale_paid(app: &App) -> Result<()> {
    app.by_test_id("paid-close").await?.click().await?;
    // Reopened from History, the paid sale carries what may be done with it (a refund).
    app.by_test_id("nav-history").await?.click().await?;
    app.by_test_id("history-reopen").await?.click().await?;
    app.by_test_id("refund").await?;
    Ok(())
}

/// The paid sale's receipt, opened from the sale.
async fn receipt(app: &App) -> Result<()> {
    app.by_test_id("open-receipt").await?.click().await?;
    app.by_test_id("receipt-total").await?;
    Ok(())
}

async fn receipt_back(app: &App) -> Result<()> {
    app.by_test_id("receipt-back").await?.click().await?;
    app.by_test_id("refund").await?;
    Ok(())
}

/// The customer window of a paid sale (its paid moment), opened again from the paid sale.
async fn customer_window_paid(app: &App) -> Result<()> {
    open_customer_window(app, "customer-paid").await
}

async fn refund_dialog(app: &App) -> Result<()> {
    app.by_test_id("refund").await?.click().await?;
    app.by_test_id("operation-dialog").await?;
    Ok(())
}

/// A create whose answer was lost (the sandbox stores it, then drops the connection): the sale's
/// screen after the till settled it, with "Make a new link".
async fn lost_answer(app: &App) -> Result<()> {
    app.by_test_id("operation-close").await?.click().await?;
    let base = ShortLink::parse(&app.sale_link().await?)?.base;
    app.by_test_id("nav-new").await?.click().await?;
    app.by_test_id("create-button").await?;
    crate::sandbox::arm_fault(&base, "drop_after_commit", None).await?;
    app.type_amount_and_enter("4.75").await?;
    app.by_test_id("replace-sale").await?;
    Ok(())
}

async fn history(app: &App) -> Result<()> {
    app.by_test_id("nav-history").await?.click().await?;
    app.by_test_id("history-row").await?;
    Ok(())
}

/// The Shift tab with a shift opened (a float typed and sent) and cash put in.
async fn shift(app: &App) -> Result<()> {
    app.by_test_id("nav-shift").await?.click().await?;
    app.by_test_id("shift-float").await?.send_keys("20").await?;
    app.by_test_id("shift-open").await?.click().await?;
    app.by_test_id("shift-open-card").await?;
    app.by_test_id("cash-amount").await?.send_keys("5").await?;
    app.by_test_id("cash-reason")
        .await?
        .send_keys("Coins")
        .await?;
    app.by_test_id("cash-record").await?.click().await?;
    app.by_test_id("cash-entries").await?;
    Ok(())
}

/// The cash dialog after a cash sale: the change due.
async fn cash_sale(app: &App) -> Result<()> {
    app.by_test_id("nav-new").await?.click().await?;
    app.by_test_id("amount-input")
        .await?
        .send_keys("3.250")
        .await?;
    app.by_test_id("cash-button").await?.click().await?;
    app.by_test_id("cash-tendered")
        .await?
        .send_keys("5")
        .await?;
    app.by_test_id("cash-submit").await?.click().await?;
    app.by_test_id("cash-change").await?;
    Ok(())
}

async fn cash_sale_done(app: &App) -> Result<()> {
    app.by_test_id("cash-done").await?.click().await?;
    app.wait_for("the cash dialog to close", || async {
        Ok(app
            .all_by_test_id("cash-dialog")
            .await?
            .is_empty()
            .then_some(()))
    })
    .await
}

/// A split bill of 8 with a cash part of 3 taken: the remainder, the parts, the next part.
async fn split_bill(app: &App) -> Result<()> {
    app.by_test_id("nav-new").await?.click().await?;
    app.by_test_id("amount-input").await?.send_keys("8").await?;
    app.by_test_id("split-button").await?.click().await?;
    let part = app.by_test_id("split-part").await?;
    part.clear().await?;
    part.send_keys("3").await?;
    app.by_test_id("split-tendered")
        .await?
        .send_keys("5")
        .await?;
    app.by_test_id("split-cash").await?.click().await?;
    app.by_test_id("split-change").await?;
    Ok(())
}

async fn report_x(app: &App) -> Result<()> {
    app.by_test_id("nav-shift").await?.click().await?;
    app.by_test_id("shift-x").await?.click().await?;
    app.by_test_id("report-methods").await?;
    Ok(())
}

/// The close form with a count typed: expected, counted and the variance.
async fn shift_close(app: &App) -> Result<()> {
    app.by_test_id("shift-close-start").await?.click().await?;
    app.by_test_id("shift-counted")
        .await?
        .send_keys("28")
        .await?;
    app.by_test_id("close-variance").await?;
    Ok(())
}

async fn report_z(app: &App) -> Result<()> {
    app.by_test_id("shift-close").await?.click().await?;
    app.wait_for("the Z report", || async {
        let Some(report) = app.all_by_test_id("report").await?.into_iter().next() else {
            return Ok(None);
        };
        Ok((report.attr("data-kind").await?.as_deref() == Some("z")).then_some(()))
    })
    .await
}

async fn reconcile(app: &App) -> Result<()> {
    app.by_test_id("nav-reconcile").await?.click().await?;
    app.by_test_id("reconcile-run").await?.click().await?;
    // The demo's sales of today, compared with Ottu's report files (none made yet today).
    app.by_test_id("reconcile-summary").await?;
    Ok(())
}

/// The dashboard with the tour's paid sale in its figures, charts and tables.
async fn dashboard(app: &App) -> Result<()> {
    app.by_test_id("nav-dashboard").await?.click().await?;
    app.by_test_id("dashboard-paid").await?;
    app.by_test_id("table-week").await?;
    Ok(())
}

async fn settings(app: &App) -> Result<()> {
    app.by_test_id("nav-settings").await?.click().await?;
    app.by_test_id("settings-language").await?;
    Ok(())
}

async fn settings_profile(app: &App) -> Result<()> {
    app.by_test_id("profile-add").await?.click().await?;
    app.by_test_id("profile-name").await?;
    Ok(())
}

/// The catalog screen with the items the cart step added.
async fn catalog(app: &App) -> Result<()> {
    app.by_test_id("nav-catalog").await?.click().await?;
    app.by_test_id("catalog-row").await?;
    Ok(())
}

/// The item form saved empty: every required field shows its error.
async fn catalog_editor(app: &App) -> Result<()> {
    app.by_test_id("catalog-add").await?.click().await?;
    app.by_test_id("catalog-save").await?.click().await?;
    app.wait_for("the item form's errors", || async {
        Ok((!app
            .text_of("error-sku")
            .await
            .unwrap_or_default()
            .is_empty())
        .then_some(()))
    })
    .await
}

async fn staff(app: &App) -> Result<()> {
    app.by_test_id("nav-staff").await?.click().await?;
    app.by_test_id("staff-row").await?;
    Ok(())
}

async fn staff_editor(app: &App) -> Result<()> {
    app.by_test_id("staff-edit").await?.click().await?;
    app.by_test_id("staff-pin").await?;
    Ok(())
}

async fn lock(app: &App) -> Result<()> {
    // The owner gets a PIN (the editor is open on them), which turns the lock on.
    let select = app.by_test_id("staff-role").await?;
    SelectElement::new(&select)
        .await?
        .select_by_value("owner")
        .await?;
    app.by_test_id("staff-pin")
        .await?
        .send_keys(OWNER_PIN)
        .await?;
    app.by_test_id("staff-save").await?.click().await?;
    app.by_test_id("lock").await?.click().await?;
    app.by_test_id("lock-screen").await?;
    Ok(())
}

async fn lock_wrong_pin(app: &App) -> Result<()> {
    for digit in "9999".chars() {
        app.by_test_id(&format!("pin-key-{digit}"))
            .await?
            .click()
            .await?;
    }
    app.by_test_id("pin-submit").await?.click().await?;
    app.wait_for("the wrong PIN message", || async {
        Ok((!app.text_of("pin-error").await?.trim().is_empty()).then_some(()))
    })
    .await
}

/// Switches the app's language and theme through the Settings screen, as a manager would.
pub async fn use_language_and_theme(app: &App, language: &str, theme: &str) -> Result<()> {
    app.by_test_id("nav-settings").await?.click().await?;
    let select = app.by_test_id("settings-language").await?;
    SelectElement::new(&select)
        .await?
        .select_by_value(language)
        .await?;
    let select = app.by_test_id("settings-theme").await?;
    SelectElement::new(&select)
        .await?
        .select_by_value(theme)
        .await?;
    app.by_test_id("settings-save").await?.click().await?;
    let dir = if language == "ar" { "rtl" } else { "ltr" };
    app.wait_for(
        &format!("dir=\"{dir}\" and the {theme} theme on <html>"),
        || async {
            let html = app.driver.find(By::Tag("html")).await?;
            let dir_ok = html.attr("dir").await?.as_deref() == Some(dir);
            let theme_ok = html.attr("data-theme").await?.as_deref() == Some(theme);
            Ok((dir_ok && theme_ok).then_some(()))
        },
    )
    .await?;
    app.by_test_id("nav-new").await?.click().await?;
    Ok(())
}

fn axe_source() -> Result<&'static str> {
    static SOURCE: OnceLock<Result<String, String>> = OnceLock::new();
    let path = crate::workspace_root().join("ui/node_modules/axe-core/axe.min.js");
    SOURCE
        .get_or_init(|| {
            std::fs::read_to_string(&path).map_err(|error| {
                format!(
                    "{}: {error} (run scripts/install-deps.sh npm)",
                    path.display()
                )
            })
        })
        .as_deref()
        .map_err(|error| anyhow!("axe-core is missing: {error}"))
}

/// Runs axe-core on the current window's document and answers its violations (axe's own
/// objects: `id`, `impact`, `help`, `helpUrl`, `nodes` with `target`, `html`, `failureSummary`).
pub async fn audit(app: &App) -> Result<Vec<Value>> {
    let loaded = app
        .driver
        .execute(
            "return typeof window.axe === 'object';",
            Vec::<Value>::new(),
        )
        .await?;
    if loaded.json() != &Value::Bool(true) {
        // The source defines `window.axe` when it finds no module system, as in the page.
        app.driver
            .execute(
                &format!("{}\nreturn true;", axe_source()?),
                Vec::<Value>::new(),
            )
            .await
            .context("could not inject axe-core")?;
    }
    app.two_frames().await?;
    let answer = app
        .driver
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
               window.axe.run(document, { resultTypes: ['violations'] }).then(
                 (r) => done({ ok: r.violations.map((v) => ({
                   id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, tags: v.tags,
                   nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, failureSummary: n.failureSummary })),
                 })) }),
                 (e) => done({ error: String(e) }));"#,
            Vec::<Value>::new(),
        )
        .await?;
    let answer = answer.json();
    if let Some(error) = answer.get("error") {
        bail!("axe-core failed: {error}");
    }
    Ok(answer["ok"].as_array().cloned().unwrap_or_default())
}

/// True for the impacts that fail a run.
pub fn fails(violation: &Value) -> bool {
    matches!(violation["impact"].as_str(), Some("serious" | "critical"))
}

/// The violations of one run of the tour, by screen and variant (language and theme).
#[derive(Debug, Default)]
pub struct Report {
    entries: Vec<Value>,
}

impl Report {
    /// Records what [`audit`] found on `screen` in `variant`.
    pub fn add(&mut self, screen: &str, variant: &str, violations: Vec<Value>) {
        self.entries
            .push(json!({ "screen": screen, "variant": variant, "violations": violations }));
    }

    /// Where reports go: `artifacts/screenshots/accessibility/` in the workspace.
    pub fn dir() -> PathBuf {
        crate::workspace_root().join("artifacts/screenshots/accessibility")
    }

    /// The failing violations, one line each.
    pub fn failures(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for entry in &self.entries {
            for violation in entry["violations"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|v| fails(v))
            {
                let targets: Vec<String> = violation["nodes"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|node| node["target"].to_string())
                    .collect();
                lines.push(format!(
                    "{} ({}): {} [{}] {} at {}",
                    entry["screen"].as_str().unwrap_or_default(),
                    entry["variant"].as_str().unwrap_or_default(),
                    violation["id"].as_str().unwrap_or_default(),
                    violation["impact"].as_str().unwrap_or_default(),
                    violation["help"].as_str().unwrap_or_default(),
                    targets.join(", ")
                ));
            }
        }
        lines
    }

    /// Writes `<name>.json` (everything axe reported) and `<name>.md` (a table of screens and
    /// what failed) to [`Report::dir`].
    pub fn write(&self, name: &str, axe_version: &str) -> Result<PathBuf> {
        let dir = Self::dir();
        std::fs::create_dir_all(&dir)?;
        let json = json!({ "axe_core": axe_version, "fails_on": ["serious", "critical"], "screens": self.entries });
        std::fs::write(
            dir.join(format!("{name}.json")),
            serde_json::to_string_pretty(&json)?,
        )?;
        let mut summary = format!(
            "# Accessibility: axe-core {axe_version}, every rule\n\n\
             Fails on serious and critical violations. {} screen checks.\n\n\
             | screen | variant | serious/critical | moderate/minor | rules |\n|---|---|---|---|---|\n",
            self.entries.len()
        );
        for entry in &self.entries {
            let violations = entry["violations"].as_array().cloned().unwrap_or_default();
            let failing = violations.iter().filter(|v| fails(v)).count();
            let rules: Vec<&str> = violations.iter().filter_map(|v| v["id"].as_str()).collect();
            summary.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                entry["screen"].as_str().unwrap_or_default(),
                entry["variant"].as_str().unwrap_or_default(),
                failing,
                violations.len() - failing,
                if rules.is_empty() {
                    "none".to_owned()
                } else {
                    rules.join(", ")
                }
            ));
        }
        let failures = self.failures();
        summary.push_str(&format!("\n{} failing violations.\n", failures.len()));
        for line in failures {
            summary.push_str(&format!("- {line}\n"));
        }
        let path = dir.join(format!("{name}.md"));
        std::fs::write(&path, summary)?;
        Ok(path)
    }
}

/// The version of the axe-core the audits inject (from its package.json).
pub fn axe_version() -> Result<String> {
    let path = crate::workspace_root().join("ui/node_modules/axe-core/package.json");
    let text = std::fs::read_to_string(&path).with_context(|| path.display().to_string())?;
    let package: Value = serde_json::from_str(&text)?;
    let version = package["version"].as_str().unwrap_or_default().to_owned();
    ensure!(!version.is_empty(), "{} has no version", path.display());
    Ok(version)
}
