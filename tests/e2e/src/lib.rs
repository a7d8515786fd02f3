//! End-to-end harness for the real `ottu-pos` binary over WebDriver.
//!
//! `tauri-driver` (from `PATH`: `scripts/env.sh` puts the version `scripts/install-deps.sh`
//! installed in the machine's cache first) is started once
//! per test process and stopped when the process exits. Every [`App`] is a fresh WebDriver
//! session, which launches the app binary (`OTTU_POS_BIN`) with its own temporary HOME, XDG
//! and `OTTU_POS_CONFIG_DIR`/`OTTU_POS_DATA_DIR`, so tests never see each other's data.
//! Waits poll the page (never fixed sleeps); screenshots wait two animation frames, capture the
//! X display and land in `artifacts/screenshots/<name>.png`.
//!
//! Tests need a display (Xvfb) and WebKitWebDriver, so they are `#[ignore]`d in a plain
//! `cargo test`; `scripts/e2e.sh` runs them under `xvfb-run`, one at a time.
//!
//! # Layout
//! - [`driver_url`]: the shared tauri-driver process
//! - [`App`]: one launched app, with waits, element look-ups by `data-testid`, screenshots
//!   and the UI's `window.__ottuPosMetrics`
//! - [`payer`]: the customer paying through the demo sandbox's control routes
//! - [`sandbox`]: the sandbox's other control routes (faults, gateway outcomes, its sessions)
//! - [`notifications`]: a recording desktop notification server on the test's D-Bus session
//! - [`a11y`]: axe-core audits and the one list of screens accessibility runs walk
//! - [`staff`]: staff with PINs set up through the Staff screen; lock and unlock by PIN
//! - [`stats`]: percentiles for the benchmark binaries
//! - [`workspace_root`], [`app_binary`]: paths

pub mod a11y;
pub mod notifications;
pub mod payer;
pub mod pdf;
pub mod sandbox;
pub mod staff;
pub mod stats;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use serde_json::{Value, json};
use thirtyfour::prelude::*;

/// How long waits poll before failing. Generous: CI shares two cores with a build.
pub const WAIT: Duration = Duration::from_secs(20);
const POLL: Duration = Duration::from_millis(50);
/// The least a person leaves between typing and pressing Enter. Keys WebDriver sends back to back
/// come as fast as a keyboard-wedge barcode scanner's, and the sale screen takes a fast burst
/// ending in Enter for a scan (`ui/src/lib/features/cart/scanner.ts`: keys ≤ 35 ms apart).
pub const PERSON_PAUSE: Duration = Duration::from_millis(100);

/// Presses Enter in `element` as a person does: after a pause, so it is not read as a scan.
pub async fn press_enter_like_a_person(element: &WebElement) -> Result<()> {
    tokio::time::sleep(PERSON_PAUSE).await;
    element.send_keys(Key::Enter).await?;
    Ok(())
}

/// Root of the Cargo workspace (two levels above this crate). Cargo names the crate's directory
/// when it runs a test; the compile-time value is the fallback (ui-bench run directly), because a
/// binary built by another checkout sharing the target dir would point there.
pub fn workspace_root() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

/// The app binary under test: `OTTU_POS_BIN`, else the debug build in the target dir.
pub fn app_binary() -> Result<PathBuf> {
    let path = match std::env::var_os("OTTU_POS_BIN") {
        Some(path) => PathBuf::from(path),
        None => {
            let target = std::env::var_os("CARGO_TARGET_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| workspace_root().join("target"));
            target.join("debug/ottu-pos")
        }
    };
    let path = path.canonicalize().with_context(|| {
        format!(
            "app binary {} not found: build it (cargo build -p ottu-pos) or set OTTU_POS_BIN",
            path.display()
        )
    })?;
    Ok(path)
}

/// Where screenshots go (`artifacts/screenshots/` in the workspace).
pub fn screenshot_dir() -> PathBuf {
    workspace_root().join("artifacts/screenshots")
}

struct DriverProcess {
    url: String,
    /// Held open for the life of the test process: when the process exits the pipe closes and
    /// the watchdog shell around tauri-driver stops it (and the WebKitWebDriver it started).
    _watchdog: Mutex<Child>,
}

static DRIVER: OnceLock<Result<DriverProcess, String>> = OnceLock::new();

fn free_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

fn start_driver() -> Result<DriverProcess> {
    let tool = PathBuf::from("tauri-driver");
    let port = free_port()?;
    let native_port = free_port()?;
    let log_dir = workspace_root().join("artifacts/e2e");
    std::fs::create_dir_all(&log_dir)?;
    let log = std::fs::File::create(log_dir.join("tauri-driver.log"))?;
    // `set -m` puts tauri-driver in its own process group so one kill reaches its children.
    let script = r#"set -m
"$0" --port "$1" --native-port "$2" & driver=$!
read -r _ || true
kill -TERM -- "-$driver" 2>/dev/null
wait "$driver" 2>/dev/null
exit 0"#;
    let child = Command::new("bash")
        .arg("-c")
        .arg(script)
        .arg(&tool)
        .arg(port.to_string())
        .arg(native_port.to_string())
        .stdin(Stdio::piped())
        .stdout(log.try_clone()?)
        .stderr(log)
        .spawn()
        .with_context(|| format!("could not start {}", tool.display()))?;
    // tauri-driver listens on its own port before the WebKitWebDriver it starts is listening on
    // the native port; a new-session request in between is dropped. Wait for both.
    let deadline = Instant::now() + WAIT;
    for (listener, listening_port) in [("tauri-driver", port), ("WebKitWebDriver", native_port)] {
        while std::net::TcpStream::connect(("127.0.0.1", listening_port)).is_err() {
            if Instant::now() > deadline {
                bail!(
                    "{listener} did not listen on port {listening_port}; \
                     see artifacts/e2e/tauri-driver.log"
                );
            }
            std::thread::sleep(POLL);
        }
    }
    Ok(DriverProcess {
        url: format!("http://127.0.0.1:{port}"),
        _watchdog: Mutex::new(child),
    })
}

/// URL of the shared tauri-driver, starting it on first use.
pub fn driver_url() -> Result<String> {
    match DRIVER.get_or_init(|| start_driver().map_err(|error| format!("{error:#}"))) {
        Ok(driver) => Ok(driver.url.clone()),
        Err(error) => Err(anyhow!("{error}")),
    }
}

/// Options for launching the app.
#[derive(Debug, Default, Clone)]
pub struct Launch {
    /// Extra environment variables for the app process.
    pub env: Vec<(String, String)>,
}

impl Launch {
    /// Adds an environment variable for the app.
    pub fn env(mut self, name: &str, value: impl Into<String>) -> Self {
        self.env.push((name.to_owned(), value.into()));
        self
    }
}

/// One running app, driven over its own WebDriver session.
#[derive(Debug)]
pub struct App {
    /// The WebDriver session; use it for anything the helpers don't cover.
    pub driver: WebDriver,
    home: tempfile::TempDir,
    name: String,
    quit: bool,
}

fn shell_quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

impl App {
    /// Launches the app with a fresh home and data dir; `name` labels its files.
    pub async fn launch(name: &str) -> Result<Self> {
        Self::launch_with(name, Launch::default()).await
    }

    /// Launches the app with extra options.
    pub async fn launch_with(name: &str, launch: Launch) -> Result<Self> {
        let binary = app_binary()?;
        let url = driver_url()?;
        let home = tempfile::Builder::new()
            .prefix(&format!("ottu-pos-e2e-{name}-"))
            .tempdir()?;
        let root = home.path();
        let dirs = [
            ("HOME", root.join("home")),
            ("XDG_CONFIG_HOME", root.join("home/.config")),
            ("XDG_DATA_HOME", root.join("home/.local/share")),
            ("XDG_CACHE_HOME", root.join("home/.cache")),
            ("OTTU_POS_CONFIG_DIR", root.join("config")),
            ("OTTU_POS_DATA_DIR", root.join("data")),
        ];
        // WebKitWebDriver starts the binary it is given with its own environment, so a wrapper
        // script sets this app's variables and then becomes the app (same pid, via exec).
        let mut script = String::from("#!/bin/sh\n");
        for (var, dir) in &dirs {
            std::fs::create_dir_all(dir)?;
            let dir = dir.to_str().context("temp dir path is not UTF-8")?;
            script.push_str(&format!("export {var}={}\n", shell_quote(dir)));
        }
        for (var, value) in &launch.env {
            script.push_str(&format!("export {var}={}\n", shell_quote(value)));
        }
        script.push_str(&format!(
            "echo $$ > {}\n",
            shell_quote(&root.join("app.pid").to_string_lossy())
        ));
        script.push_str(&format!(
            "exec {} \"$@\"\n",
            shell_quote(&binary.to_string_lossy())
        ));
        let wrapper = root.join("ottu-pos");
        std::fs::write(&wrapper, script)?;
        make_executable(&wrapper)?;

        let mut caps = thirtyfour::Capabilities::new();
        caps.set("browserName", "wry")?;
        caps.set(
            "tauri:options",
            json!({ "application": wrapper, "args": [] }),
        )?;
        // The updater plugin turns on reqwest 0.13's rustls without a crypto provider, and cargo
        // unifies that into WebDriver's client too: its client then needs a provider installed
        // (ring, as the updater itself installs). A second install is a harmless no-op.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let driver = WebDriver::new(url, caps)
            .await
            .with_context(|| format!("WebDriver could not start {}", binary.display()))?;
        Ok(Self {
            driver,
            home,
            name: name.to_owned(),
            quit: false,
        })
    }

    /// This app's temporary root (holds `home/`, `config/`, `data/`).
    pub fn root(&self) -> &Path {
        self.home.path()
    }

    /// Polls `check` until it returns `Some`, failing after [`WAIT`] with `what` in the error.
    pub async fn wait_for<T, F, Fut>(&self, what: &str, mut check: F) -> Result<T>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<Option<T>>>,
    {
        let deadline = Instant::now() + WAIT;
        let mut last_error = None;
        loop {
            match check().await {
                Ok(Some(value)) => return Ok(value),
                Ok(None) => {}
                Err(error) => last_error = Some(error),
            }
            if Instant::now() > deadline {
                let _ = self.screenshot(&format!("{}-timeout", self.name)).await;
                return Err(match last_error {
                    Some(error) => error.context(format!("timed out waiting for {what}")),
                    None => anyhow!("timed out waiting for {what}"),
                });
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// The element with `data-testid="<id>"`, waiting until it is displayed.
    pub async fn by_test_id(&self, id: &str) -> Result<WebElement> {
        let selector = format!("[data-testid=\"{id}\"]");
        self.wait_for(&format!("[data-testid={id}] to be displayed"), || async {
            let found = self.driver.find_all(By::Css(selector.as_str())).await?;
            for element in found {
                if element.is_displayed().await.unwrap_or(false) {
                    return Ok(Some(element));
                }
            }
            Ok(None)
        })
        .await
    }

    /// All elements with `data-testid="<id>"` right now (no waiting).
    pub async fn all_by_test_id(&self, id: &str) -> Result<Vec<WebElement>> {
        Ok(self
            .driver
            .find_all(By::Css(format!("[data-testid=\"{id}\"]")))
            .await?)
    }

    /// Types `amount` into the focused amount field and presses Enter.
    pub async fn type_amount_and_enter(&self, amount: &str) -> Result<()> {
        let input = self.by_test_id("amount-input").await?;
        input.send_keys(amount).await?;
        press_enter_like_a_person(&input).await
    }

    /// Creates a sale from the keypad and answers its link, once its QR is up.
    pub async fn create_sale(&self, amount: &str) -> Result<String> {
        self.type_amount_and_enter(amount).await?;
        self.by_test_id("qr").await?;
        self.sale_link().await
    }

    /// The state the sale screen's badge shows.
    pub async fn sale_state(&self) -> Result<String> {
        let badge = self.by_test_id("sale-state").await?;
        Ok(badge.attr("data-state").await?.unwrap_or_default())
    }

    /// Waits until the sale screen shows `wanted`.
    pub async fn wait_for_sale_state(&self, wanted: &str) -> Result<()> {
        self.wait_for(&format!("the sale to be {wanted}"), || async {
            Ok((self.sale_state().await? == wanted).then_some(()))
        })
        .await
    }

    /// Chooses `language` (`"en"`, `"ar"`) on the Settings screen as a cashier would and waits
    /// until the window's direction follows it. Leaves the app on Settings.
    pub async fn choose_language(&self, language: &str) -> Result<()> {
        self.by_test_id("nav-settings").await?.click().await?;
        let select = self.by_test_id("settings-language").await?;
        thirtyfour::components::SelectElement::new(&select)
            .await?
            .select_by_value(language)
            .await?;
        if let Ok(save) = self.by_test_id("settings-save").await {
            save.click().await?;
        }
        let dir = if language == "ar" { "rtl" } else { "ltr" };
        self.wait_for(&format!("dir=\"{dir}\" on <html>"), || async {
            let html = self.driver.find(By::Tag("html")).await?;
            Ok((html.attr("dir").await?.as_deref() == Some(dir)).then_some(()))
        })
        .await
    }

    /// The text of the first element with `data-testid="<id>"` (through textContent:
    /// WebKitWebDriver may call an inline element "not displayed").
    pub async fn text_of(&self, id: &str) -> Result<String> {
        let element = self
            .all_by_test_id(id)
            .await?
            .into_iter()
            .next()
            .with_context(|| format!("no [data-testid={id}]"))?;
        Ok(element.prop("textContent").await?.unwrap_or_default())
    }

    /// Calls an app command from the page itself, as a script in it could: `ok`, or the error's
    /// code (or message).
    pub async fn invoke_from_page(&self, command: &str, args: Value) -> Result<String> {
        let answer = self
            .driver
            .execute_async(
                r#"const [command, args, done] = arguments;
               window.__TAURI_INTERNALS__.invoke(command, args).then(
                 () => done('ok'),
                 (e) => done((e && (e.code || e.message)) || String(e)));"#,
                vec![Value::String(command.into()), args],
            )
            .await?;
        Ok(answer.json().as_str().unwrap_or_default().to_owned())
    }

    /// The link on the sale screen. Read from the element's `title` (it carries the full link
    /// even when the text is truncated, and WebKitWebDriver reports an inline span as not
    /// displayed).
    pub async fn sale_link(&self) -> Result<String> {
        self.wait_for("the sale's link", || async {
            let Some(element) = self.all_by_test_id("sale-link").await?.into_iter().next() else {
                return Ok(None);
            };
            let link = element.attr("title").await?.unwrap_or_default();
            Ok(link.starts_with("http").then_some(link))
        })
        .await
    }

    /// Waits until the home screen reports itself interactive (`data-ready="true"`).
    pub async fn wait_until_ready(&self) -> Result<()> {
        self.wait_for("the UI to set data-ready=\"true\"", || async {
            let found = self
                .driver
                .find_all(By::Css("[data-ready=\"true\"]"))
                .await?;
            Ok((!found.is_empty()).then_some(()))
        })
        .await
    }

    /// Waits until `element`'s text satisfies `accept`, returning the text.
    pub async fn wait_for_text(
        &self,
        what: &str,
        element: &WebElement,
        accept: impl Fn(&str) -> bool,
    ) -> Result<String> {
        self.wait_for(what, || async {
            let text = element.text().await?;
            Ok(accept(&text).then_some(text))
        })
        .await
    }

    /// Resolves after the browser has painted two more frames, so a screenshot shows the
    /// current DOM rather than the previous frame.
    pub async fn two_frames(&self) -> Result<()> {
        self.driver
            .execute_async(
                "const done = arguments[arguments.length - 1];\
                 requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
                Vec::<Value>::new(),
            )
            .await?;
        Ok(())
    }

    /// Saves a screenshot of the display to `artifacts/screenshots/<name>.png`.
    ///
    /// Taken from the X server (ImageMagick's `import`), not through WebDriver: it shows what a
    /// cashier sees, customer window included, and WebKitWebDriver's own screenshot request
    /// stalls for minutes once the sale reaches a final state.
    pub async fn screenshot(&self, name: &str) -> Result<PathBuf> {
        self.two_frames().await?;
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(format!("{name}.png"));
        let output = tokio::process::Command::new("import")
            .args(["-window", "root"])
            .arg(&path)
            .output()
            .await
            .context("could not run ImageMagick's import (apt package imagemagick)")?;
        if !output.status.success() {
            bail!(
                "import could not capture the display: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        Ok(path)
    }

    /// The UI's performance marks, `window.__ottuPosMetrics` (name → ms).
    pub async fn metrics(&self) -> Result<serde_json::Map<String, Value>> {
        let value = self
            .driver
            .execute("return window.__ottuPosMetrics || {};", Vec::<Value>::new())
            .await?;
        match value.json() {
            Value::Object(map) => Ok(map.clone()),
            other => bail!("window.__ottuPosMetrics is not an object: {other}"),
        }
    }

    /// Ends the session (the app exits) and removes its temporary files.
    pub async fn quit(mut self) -> Result<()> {
        self.quit = true;
        self.driver.clone().quit().await?;
        Ok(())
    }

    /// Quits the app, then returns `outcome`; use it to end every test so a failing test still
    /// closes its app.
    pub async fn finish<T>(self, outcome: Result<T>) -> Result<T> {
        let quit = self.quit().await;
        let value = outcome?;
        quit?;
        Ok(value)
    }
}

impl Drop for App {
    fn drop(&mut self) {
        if self.quit {
            return;
        }
        // The test ended without `quit` (a panic): stop the app so it does not outlive the test.
        if let Ok(pid) = std::fs::read_to_string(self.home.path().join("app.pid")) {
            let _ = Command::new("kill").arg("-TERM").arg(pid.trim()).status();
        }
    }
}

#[cfg(unix)]
fn make_executable(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))?;
    Ok(())
}

#[cfg(not(unix))]
fn make_executable(_path: &Path) -> Result<()> {
    bail!("the end-to-end harness runs on Linux only")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_quote_survives_quotes_and_spaces() {
        let quoted = shell_quote("it's a dir");
        let out = Command::new("sh")
            .arg("-c")
            .arg(format!("printf %s {quoted}"))
            .output()
            .unwrap();
        assert_eq!(String::from_utf8(out.stdout).unwrap(), "it's a dir");
    }
}
