//! Accessibility of the real app over WebDriver: axe-core on every screen of
//! `ottu_pos_e2e::a11y::SCREENS` in English and Arabic, light and dark (serious or critical
//! violations fail; the report lands in artifacts/screenshots/accessibility/); the whole sale flow from the keyboard
//! alone, with a visible focus ring of enough contrast at every stop; and the sale's state
//! changes reaching screen readers through the live region. Run by `scripts/e2e.sh`.

use anyhow::{Context, Result, bail, ensure};
use ottu_pos_e2e::a11y::{Report, SCREENS, audit, axe_version, use_language_and_theme};
use ottu_pos_e2e::payer::{ShortLink, pay, session_id_behind};
use ottu_pos_e2e::{App, PERSON_PAUSE};
use serde_json::Value;
use thirtyfour::TypingData;
use thirtyfour::prelude::*;

/// Languages and themes the screens are checked in. The first two put every screen in both
/// languages and both themes (contrast differs by theme, layout and text by language) and are
/// photographed (`a11y-<screen>-<variant>.png`); `make test` runs those. The other two pairs
/// run with `OTTU_POS_A11Y_ALL=1` (`make a11y`): about 25 s more for little news.
const VARIANTS: &[(&str, &str)] = &[
    ("en", "light"),
    ("ar", "dark"),
    ("ar", "light"),
    ("en", "dark"),
];
const IN_MAKE_TEST: usize = 2;

#[tokio::test]
#[ignore = "needs Xvfb and tauri-driver: run scripts/e2e.sh"]
async fn every_screen_passes_axe_in_both_languages_and_themes() -> Result<()> {
    let mut report = Report::default();
    let all = std::env::var_os("OTTU_POS_A11Y_ALL").is_some_and(|v| v == "1");
    let variants = if all {
        VARIANTS
    } else {
        &VARIANTS[..IN_MAKE_TEST]
    };
    for (index, &(language, theme)) in variants.iter().enumerate() {
        let variant = format!("{language}-{theme}");
        let app = App::launch(&format!("a11y-{variant}")).await?;
        let outcome = async {
            app.wait_until_ready().await?;
            use_language_and_theme(&app, language, theme).await?;
            for screen in SCREENS {
                (screen.reach)(&app)
                    .await
                    .with_context(|| format!("reaching {} ({variant})", screen.name))?;
                let violations = audit(&app).await?;
                report.add(screen.name, &variant, violations);
                if index < IN_MAKE_TEST {
                    app.screenshot(&format!("a11y-{}-{variant}", screen.name))
                        .await?;
                }
                if let Some(leave) = screen.leave {
                    leave(&app).await?;
                }
            }
            Ok(())
        }
        .await;
        if let Err(error) = app.finish(outcome).await {
            // What was checked before the tour broke off is still worth reading.
            let summary = report.write("screens", &axe_version()?)?;
            return Err(error.context(format!("partial report: {}", summary.display())));
        }
    }
    let summary = report.write("screens", &axe_version()?)?;
    let failures = report.failures();
    ensure!(
        failures.is_empty(),
        "{} serious or critical accessibility violations (see {}):\n{}",
        failures.len(),
        summary.display(),
        failures.join("\n")
    );
    Ok(())
}

/// What has the focus now: its test id (or tag) and whether its focus ring can be seen, i.e. an
/// outline of at least 2px whose colour has 3:1 contrast against the background it is drawn on
/// (WCAG 2.2 non-text contrast), on the element or, for a transparent field inside a box that
/// draws it (the amount), on its nearest `:focus-within` ancestor.
const FOCUS_PROBE: &str = r#"
const el = document.activeElement;
if (!el || el === document.body) return { id: 'body', visible: false, why: 'nothing focused' };
const id = el.dataset.testid || el.tagName.toLowerCase() + (el.id ? '#' + el.id : '');
const parse = (c) => {
  let m = /^rgba?\(([^)]+)\)/.exec(c);
  if (m) { const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; }
  m = /^color\(srgb ([^)]+)\)/.exec(c);
  if (m) { const p = m[1].split(/[ \/]+/).filter(Boolean).map(Number); return [p[0] * 255, p[1] * 255, p[2] * 255, p.length > 3 ? p[3] : 1]; }
  return null;
};
const over = (top, under) => { const a = top[3]; return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a)).concat(1); };
const background = (node) => {
  const layers = [];
  for (let n = node; n; n = n.parentElement) {
    const c = parse(getComputedStyle(n).backgroundColor);
    if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
  }
  let colour = [255, 255, 255, 1];
  for (const layer of layers.reverse()) colour = over(layer, colour);
  return colour;
};
const luminance = (c) => { const [r, g, b] = c.slice(0, 3).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
const ratio = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
let ringed = el;
for (let n = el, i = 0; n && i < 4; n = n.parentElement, i++) {
  const s = getComputedStyle(n);
  if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 && n.matches(':focus-within')) { ringed = n; break; }
}
const style = getComputedStyle(ringed);
const width = parseFloat(style.outlineWidth) || 0;
// An outline is drawn outside the box: on what is behind the element's parent.
const behind = background(ringed.parentElement || ringed);
const ring = parse(style.outlineColor);
if (style.outlineStyle !== 'none' && width >= 2 && ring) {
  const r = ratio(over(ring, behind), behind);
  const on = ringed === el ? '' : ` (on ${ringed.className || ringed.tagName})`;
  return { id, visible: r >= 3, why: `outline ${width}px ${style.outlineColor}${on} against rgb(${behind.slice(0, 3).map(Math.round)}): ${r.toFixed(2)}:1` };
}
return { id, visible: false, why: `no outline (${style.outlineStyle} ${style.outlineWidth})` };
"#;

async fn focused(app: &App) -> Result<(String, bool, String)> {
    let answer = app.driver.execute(FOCUS_PROBE, Vec::<Value>::new()).await?;
    let json = answer.json();
    Ok((
        json["id"].as_str().unwrap_or_default().to_owned(),
        json["visible"].as_bool().unwrap_or(false),
        json["why"].as_str().unwrap_or_default().to_owned(),
    ))
}

/// Presses `key` on whatever has the focus, as a keyboard would (WebDriver key actions).
/// Enter after a person's pause ([`PERSON_PAUSE`]): typed text and an instant Enter are a scan.
async fn press_enter(app: &App) -> Result<()> {
    tokio::time::sleep(PERSON_PAUSE).await;
    press(app, Key::Enter).await
}

async fn press(app: &App, key: impl Into<TypingData>) -> Result<()> {
    app.driver
        .action_chain()
        .send_keys(key.into())
        .perform()
        .await?;
    Ok(())
}

/// Presses Tab (Shift+Tab with `back`) until the element with `wanted` has the focus, checking
/// at every stop that the focus ring is visible. Fails after `limit` presses.
async fn tab_to(app: &App, wanted: &str, back: bool, limit: usize) -> Result<Vec<String>> {
    let mut stops = Vec::new();
    for _ in 0..limit {
        if back {
            app.driver
                .action_chain()
                .key_down(Key::Shift)
                .send_keys(Key::Tab)
                .key_up(Key::Shift)
                .perform()
                .await?;
        } else {
            press(app, Key::Tab).await?;
        }
        let (id, visible, why) = focused(app).await?;
        // Past the last control the focus leaves the page for a moment before it wraps.
        ensure!(
            visible || id == "body",
            "focus on {id} cannot be seen: {why}"
        );
        stops.push(format!("{id}: {why}"));
        if id == wanted {
            return Ok(stops);
        }
    }
    bail!("{wanted} not reached in {limit} Tab presses; stops: {stops:#?}")
}

async fn wait_for_focus(app: &App, wanted: &str) -> Result<()> {
    app.wait_for(&format!("{wanted} to have the focus"), || async {
        Ok((focused(app).await?.0 == wanted).then_some(()))
    })
    .await
}

async fn live_status(app: &App) -> Result<String> {
    Ok(app.text_of("live-status").await?.trim().to_owned())
}

#[tokio::test]
#[ignore = "needs Xvfb and tauri-driver: run scripts/e2e.sh"]
async fn the_whole_sale_flow_works_from_the_keyboard_with_the_focus_in_sight() -> Result<()> {
    let app = App::launch("keyboard").await?;
    let outcome = async {
        app.wait_until_ready().await?;
        // The amount has the focus from the start: type, Tab to the email, type, Enter.
        wait_for_focus(&app, "amount-input").await?;
        press(&app, "12.5").await?;
        tab_to(&app, "customer-email", false, 12).await?;
        press(&app, "fatma@example.com").await?;
        press_enter(&app).await?;
        app.by_test_id("qr").await?;
        let waiting = live_status(&app).await?;
        ensure!(
            waiting.contains("12.500"),
            "the live region says {waiting:?} for a waiting sale of 12.500"
        );
        app.screenshot("keyboard-sale-en").await?;

        // The share buttons are reachable by Tab (and back), with a visible ring at every stop.
        let stops = tab_to(&app, "share-email", false, 12).await?;
        app.screenshot("keyboard-share-focused-en").await?;
        ensure!(
            stops.iter().any(|s| s.starts_with("copy-link")),
            "Copy was not on the way to the share buttons: {stops:#?}"
        );
        tab_to(&app, "copy-link", true, 6).await?;

        // The customer pays: the overlay takes the focus, the live region says paid.
        let link = app.sale_link().await?;
        pay(
            &ShortLink::parse(&link)?.base,
            &session_id_behind(&link).await?,
        )
        .await?;
        app.by_test_id("paid-overlay").await?;
        wait_for_focus(&app, "paid-new").await?;
        let paid_label = app.text_of("sale-state").await?.trim().to_owned();
        let paid = app
            .wait_for("the live region to announce the payment", || async {
                let text = live_status(&app).await?;
                Ok((text != waiting && text.contains(&paid_label)).then_some(text))
            })
            .await?;
        ensure!(paid.contains("12.500"), "paid announcement {paid:?}");
        let (_, visible, why) = focused(&app).await?;
        ensure!(
            visible,
            "the paid overlay's New sale focus cannot be seen: {why}"
        );
        app.screenshot("keyboard-paid-en").await?;

        // Enter starts the next sale; this one is cancelled by keyboard alone.
        press_enter(&app).await?;
        wait_for_focus(&app, "amount-input").await?;
        press(&app, "3").await?;
        press_enter(&app).await?;
        app.by_test_id("qr").await?;
        tab_to(&app, "cancel-sale", false, 20).await?;
        press_enter(&app).await?;
        // The question takes the focus on its harmless answer; the cancel is one Tab away.
        wait_for_focus(&app, "cancel-keep").await?;
        tab_to(&app, "cancel-confirm", true, 2).await?;
        press_enter(&app).await?;
        app.wait_for_sale_state("canceled").await?;
        wait_for_focus(&app, "new-sale").await?;
        let canceled = live_status(&app).await?;
        ensure!(
            canceled.contains("3.000"),
            "cancel announcement {canceled:?}"
        );
        press_enter(&app).await?;
        wait_for_focus(&app, "amount-input").await?;

        // History by keyboard: Shift+Tab back to the navigation, Enter.
        tab_to(&app, "nav-history", true, 20).await?;
        press_enter(&app).await?;
        app.by_test_id("history-row").await?;
        tab_to(&app, "history-reopen", false, 30).await?;
        app.screenshot("keyboard-history-en").await?;
        press_enter(&app).await?;
        app.by_test_id("sale-screen").await?;
        Ok(())
    }
    .await;
    app.finish(outcome).await
}

#[tokio::test]
#[ignore = "needs Xvfb and tauri-driver: run scripts/e2e.sh"]
async fn the_focus_ring_is_visible_on_every_home_control_in_both_themes() -> Result<()> {
    let app = App::launch("focus-ring").await?;
    let outcome = async {
        app.wait_until_ready().await?;
        for (language, theme) in [("en", "light"), ("ar", "dark")] {
            use_language_and_theme(&app, language, theme).await?;
            wait_for_focus(&app, "amount-input").await?;
            // Around the whole screen and back to the amount, every stop checked by tab_to.
            let stops = tab_to(&app, "amount-input", false, 60).await?;
            ensure!(
                stops.len() > 10,
                "only {} focus stops: {stops:#?}",
                stops.len()
            );
            tab_to(&app, "customer-name", false, 10).await?;
            app.screenshot(&format!("focus-ring-{language}-{theme}"))
                .await?;
        }
        Ok(())
    }
    .await;
    app.finish(outcome).await
}
