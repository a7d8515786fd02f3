//! The customer window on a till with two monitors, under a real window manager: it goes full
//! screen on the second monitor and the cashier's window stays on the first. `scripts/e2e.sh`
//! runs this file on its own X display with two monitors side by side (1280x800 primary,
//! 1024x768; Xorg's dummy driver) managed by openbox (`scripts/with-two-monitors.sh`); the
//! geometry and `_NET_WM_STATE` are read from the X server (`xwininfo`, `xprop`) as the window
//! manager left them.

use std::process::Command;

use anyhow::{Context, Result, bail, ensure};
use ottu_pos_e2e::App;

#[derive(Debug, Clone, PartialEq, Eq)]
struct Rect {
    x: i64,
    y: i64,
    width: i64,
    height: i64,
}

#[derive(Debug)]
struct Monitor {
    primary: bool,
    rect: Rect,
}

fn run(program: &str, args: &[&str]) -> Result<String> {
    let output = Command::new(program).args(args).output().with_context(|| {
        format!("could not run {program} (apt packages x11-utils, x11-xserver-utils)")
    })?;
    ensure!(
        output.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&output.stderr).trim()
    );
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// "1024/270x768/203+1280+0" (xrandr) or "1024x768+1280+0" (X geometry).
fn parse_geometry(text: &str) -> Option<Rect> {
    let (size, position) = text.split_once('+')?;
    let (x, y) = position.split_once('+')?;
    let (width, height) = size.split_once('x')?;
    let number = |s: &str| s.split('/').next()?.parse::<i64>().ok();
    Some(Rect {
        x: x.parse().ok()?,
        y: y.parse().ok()?,
        width: number(width)?,
        height: number(height)?,
    })
}

/// The monitors RandR reports (`xrandr --listmonitors`).
fn monitors() -> Result<Vec<Monitor>> {
    let listing = run("xrandr", &["--listmonitors"])?;
    let mut found = Vec::new();
    for line in listing.lines().skip(1) {
        let mut fields = line.split_whitespace().skip(1);
        let name = fields.next().context("monitor name")?;
        let geometry = fields.next().context("monitor geometry")?;
        let rect = parse_geometry(geometry).with_context(|| format!("monitor line {line:?}"))?;
        found.push(Monitor {
            primary: name.trim_start_matches('+').starts_with('*'),
            rect,
        });
    }
    Ok(found)
}

/// The X window titled `title`: its id and where it is on the screen (absolute position and
/// size, from `xwininfo -root -tree`, which lists clients inside the window manager's frames).
fn window(title: &str) -> Result<Option<(String, Rect)>> {
    let tree = run("xwininfo", &["-root", "-tree"])?;
    let quoted = format!("\"{title}\":");
    for line in tree.lines() {
        if !line.contains(&quoted) {
            continue;
        }
        let id = line
            .split_whitespace()
            .next()
            .context("window id")?
            .to_owned();
        // "... 1024x768+0+0  +1280+0": the size with its offset in the parent, then absolute.
        let mut fields = line.split_whitespace().rev();
        let absolute = fields.next().context("absolute position")?;
        let relative = fields.next().context("size")?;
        let size = relative.split('+').next().context("size")?;
        let rect = parse_geometry(&format!("{size}{absolute}")).with_context(|| line.to_owned())?;
        return Ok(Some((id, rect)));
    }
    Ok(None)
}

fn is_fullscreen(id: &str) -> Result<bool> {
    Ok(run("xprop", &["-id", id, "_NET_WM_STATE"])?.contains("_NET_WM_STATE_FULLSCREEN"))
}

#[test]
fn geometry_is_read_from_xrandr_and_xwininfo_forms() {
    assert_eq!(
        parse_geometry("1024/270x768/203+1280+0"),
        Some(Rect {
            x: 1280,
            y: 0,
            width: 1024,
            height: 768
        })
    );
    // A window partly above the screen has a negative offset.
    assert_eq!(
        parse_geometry("800x600+4+-2"),
        Some(Rect {
            x: 4,
            y: -2,
            width: 800,
            height: 600
        })
    );
    assert_eq!(parse_geometry("800x600"), None);
    assert_eq!(parse_geometry("800+4+2"), None);
    assert_eq!(
        parse_geometry("800x600+4+2"),
        Some(Rect {
            x: 4,
            y: 2,
            width: 800,
            height: 600
        })
    );
}

#[tokio::test]
#[ignore = "needs two monitors, openbox and tauri-driver: run scripts/e2e.sh"]
async fn the_customer_window_fills_the_second_monitor_under_a_window_manager() -> Result<()> {
    let monitors = monitors()?;
    let (Some(first), Some(second)) = (
        monitors.iter().find(|m| m.primary),
        monitors.iter().find(|m| !m.primary),
    ) else {
        bail!("needs a primary and a second monitor (scripts/e2e.sh sets them up): {monitors:?}");
    };
    ensure!(
        run("xprop", &["-root", "_NET_SUPPORTING_WM_CHECK"])?.contains("window id"),
        "no window manager is running"
    );

    let app = App::launch("two-displays").await?;
    let outcome = async {
        app.wait_until_ready().await?;
        app.create_sale("9").await?;
        app.by_test_id("show-customer").await?.click().await?;
        let (id, rect) = app
            .wait_for(
                "the customer window to fill the second monitor, full screen",
                || async {
                    let Some((id, rect)) = window("Ottu POS: customer display")? else {
                        return Ok(None);
                    };
                    Ok((rect == second.rect && is_fullscreen(&id)?).then_some((id, rect)))
                },
            )
            .await
            .with_context(|| {
                format!(
                    "second monitor {:?}; the customer window: {:?}",
                    second.rect,
                    window("Ottu POS: customer display")
                )
            })?;
        let (_, cashier) = window("Ottu POS")?.context("no cashier window")?;
        let inside = cashier.x >= first.rect.x
            && cashier.x + cashier.width <= first.rect.x + first.rect.width;
        ensure!(
            inside,
            "the cashier's window {cashier:?} left the first monitor {:?}",
            first.rect
        );
        // What the customer sees: the page's QR and amount, in that window.
        let main = app.driver.window().await?;
        let customer = app
            .driver
            .windows()
            .await?
            .into_iter()
            .find(|handle| *handle != main)
            .context("WebDriver does not list the customer window")?;
        app.driver.switch_to_window(customer).await?;
        app.by_test_id("customer-qr").await?;
        let amount = app.by_test_id("customer-amount").await?.text().await?;
        ensure!(
            amount.contains("9.000"),
            "the customer window shows {amount:?}"
        );
        app.screenshot("two-displays-customer-fullscreen").await?;
        app.driver.switch_to_window(main).await?;
        println!("customer window {id} at {rect:?}, full screen; cashier's at {cashier:?}");
        Ok(())
    }
    .await;
    app.finish(outcome).await
}
