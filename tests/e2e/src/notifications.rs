//! A stand-in desktop notification server for the end-to-end tests: it owns
//! `org.freedesktop.Notifications` on the test's private D-Bus session (scripts/e2e.sh runs the
//! tests under `dbus-run-session`, through scripts/with-keyring.sh, and the app inherits that
//! bus) and records every `Notify` call, so a test can check what the app announced.
//!
//! Written with zbus, which the app's notification plugin already brings into the workspace
//! (through notify-rust), so nothing new is downloaded or installed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use zbus::zvariant::OwnedValue;

/// One notification the app sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// The application name the sender gave.
    pub app_name: String,
    /// The title.
    pub summary: String,
    /// The text.
    pub body: String,
}

#[derive(Debug, Clone, Default)]
struct Recorder {
    seen: Arc<Mutex<Vec<Notification>>>,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Recorder {
    #[allow(clippy::too_many_arguments)]
    fn notify(
        &self,
        app_name: String,
        _replaces_id: u32,
        _app_icon: String,
        summary: String,
        body: String,
        _actions: Vec<String>,
        _hints: HashMap<String, OwnedValue>,
        _expire_timeout: i32,
    ) -> u32 {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        seen.push(Notification {
            app_name,
            summary,
            body,
        });
        u32::try_from(seen.len()).unwrap_or(u32::MAX)
    }

    fn get_capabilities(&self) -> Vec<String> {
        vec!["body".to_owned()]
    }

    fn get_server_information(&self) -> (String, String, String, String) {
        (
            "ottu-pos-e2e".to_owned(),
            "ottu".to_owned(),
            "0".to_owned(),
            "1.2".to_owned(),
        )
    }

    fn close_notification(&self, _id: u32) {}
}

/// The running recorder; dropping it releases the name.
#[derive(Debug)]
pub struct NotificationServer {
    seen: Arc<Mutex<Vec<Notification>>>,
    _connection: zbus::Connection,
}

impl NotificationServer {
    /// Connects to the session bus and takes `org.freedesktop.Notifications`.
    pub async fn start() -> Result<Self> {
        let recorder = Recorder::default();
        let seen = recorder.seen.clone();
        let connection = zbus::connection::Builder::session()
            .context("no D-Bus session bus: run the end-to-end tests through scripts/e2e.sh")?
            .name("org.freedesktop.Notifications")?
            .serve_at("/org/freedesktop/Notifications", recorder)?
            .build()
            .await
            .context("could not own org.freedesktop.Notifications on the session bus")?;
        Ok(Self {
            seen,
            _connection: connection,
        })
    }

    /// Every notification received so far.
    pub fn received(&self) -> Vec<Notification> {
        self.seen.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Waits (up to `timeout`) for a notification whose title is `summary`.
    pub async fn wait_for(&self, summary: &str, timeout: Duration) -> Result<Notification> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(found) = self.received().into_iter().find(|n| n.summary == summary) {
                return Ok(found);
            }
            if Instant::now() > deadline {
                bail!(
                    "no notification titled {summary:?}; received: {:?}",
                    self.received()
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}
