//! Where the till keeps its files, its knobs, and `config.toml` (settings and profiles) as the
//! till holds it: one copy in memory, replaced only after the file was saved.

use std::path::PathBuf;
use std::time::Duration;

use crate::connection::DEFAULT_CHECK_TIMEOUT;
use crate::error::{Error, Result};
use crate::gateways::DEFAULT_TTL;
use crate::secrets::default_service_name;
use crate::settings::{ConfigFile, ConfigFileError, Settings};

use super::{AppState, Till};

/// Name of the shared history database inside the data dir.
pub const HISTORY_FILE_NAME: &str = "history.sqlite3";

/// Application identifier: the folder name under the platform's config and data dirs (the same
/// folder the desktop shell uses). Debug builds use their own folder so development never mixes
/// with real sales.
pub fn app_identifier() -> &'static str {
    if cfg!(debug_assertions) {
        "net.ottu.pos.dev"
    } else {
        "net.ottu.pos"
    }
}

/// Where the till keeps its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TillDirs {
    /// `config.toml` (settings, profiles; no secrets).
    pub config_dir: PathBuf,
    /// History database, gateway cache, the demo sandbox's data.
    pub data_dir: PathBuf,
}

impl TillDirs {
    /// The platform's app dirs: `$XDG_CONFIG_HOME/<id>` and `$XDG_DATA_HOME/<id>` on Linux
    /// (`~/.config/<id>` and `~/.local/share/<id>` when unset or not absolute),
    /// `~/Library/Application Support/<id>` on macOS, `%APPDATA%\<id>` on Windows, where `<id>`
    /// is [`app_identifier`]. The base folders come from the `dirs` crate, as Tauri's own
    /// `app_config_dir`/`app_data_dir` do.
    pub fn platform_default() -> Result<TillDirs> {
        match (dirs::config_dir(), dirs::data_dir()) {
            (Some(config), Some(data)) => Ok(TillDirs {
                config_dir: config.join(app_identifier()),
                data_dir: data.join(app_identifier()),
            }),
            _ => Err(Error::NotConfigured(crate::problem!(HomeDirMissing))),
        }
    }

    /// The given folders, each missing one from [`TillDirs::platform_default`] (which is only
    /// consulted when one is missing). The shell passes `OTTU_POS_CONFIG_DIR` and
    /// `OTTU_POS_DATA_DIR`, the CLI its `--config-dir` and `--data-dir` (or the same variables).
    pub fn with_overrides(
        config_dir: Option<PathBuf>,
        data_dir: Option<PathBuf>,
    ) -> Result<TillDirs> {
        match (config_dir, data_dir) {
            (Some(config_dir), Some(data_dir)) => Ok(TillDirs {
                config_dir,
                data_dir,
            }),
            (config_dir, data_dir) => {
                let default = TillDirs::platform_default()?;
                Ok(TillDirs {
                    config_dir: config_dir.unwrap_or(default.config_dir),
                    data_dir: data_dir.unwrap_or(default.data_dir),
                })
            }
        }
    }
}

/// Knobs with sensible defaults.
#[derive(Debug, Clone)]
pub struct TillOptions {
    /// Keychain service name ([`default_service_name`]: `ottu-pos` / `ottu-pos-dev`).
    pub keychain_service: String,
    /// Use this profile instead of the saved active one, without saving the choice (the CLI's
    /// `--profile`).
    pub profile_override: Option<String>,
    /// How long "test connection" waits.
    pub connection_timeout: Duration,
    /// How long a gateway list is trusted.
    pub gateway_ttl: Duration,
    /// The sales engine's clock for settling (the wall clock; tests and chaos runs shift it).
    pub engine_clock: crate::clock::Clock,
    /// The sales engine's claim lease ([`crate::SalesOptions::claim_lease`]; `None`: its
    /// default). Shorter only together with a shorter `request_timeout`.
    pub claim_lease: Option<Duration>,
    /// How long one request to Ottu may take (`None`: the client's default).
    pub request_timeout: Option<Duration>,
    /// The local-network address the phone demo serves the payment pages on (`None`: the
    /// machine's own, found by `local-ip-address`); tests inject one of their own.
    pub phone_demo_address: Option<std::net::IpAddr>,
}

impl Default for TillOptions {
    fn default() -> Self {
        Self {
            keychain_service: default_service_name().to_owned(),
            profile_override: None,
            connection_timeout: DEFAULT_CHECK_TIMEOUT,
            gateway_ttl: DEFAULT_TTL,
            phone_demo_address: None,
            engine_clock: crate::clock::Clock::system(),
            claim_lease: None,
            request_timeout: None,
        }
    }
}

impl Till {
    /// A copy of the config as last saved.
    pub(super) fn config(&self) -> ConfigFile {
        self.inner
            .config
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Applies `change` to a copy, saves it atomically, then swaps it in: a failed save leaves
    /// both the file and memory as they were.
    pub(super) fn update_config(
        &self,
        change: impl FnOnce(&mut ConfigFile) -> Result<()>,
    ) -> Result<()> {
        let mut guard = self
            .inner
            .config
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut next = guard.clone();
        change(&mut next)?;
        next.save(&self.inner.dirs.config_dir)
            .map_err(config_error)?;
        *guard = next;
        Ok(())
    }

    pub(super) async fn store_settings(&self, settings: Settings) -> Result<AppState> {
        let settings = settings.normalized().map_err(Error::invalid_fields)?;
        let phone_demo_changed = self.config().settings.phone_demo != settings.phone_demo;
        self.update_config(|config| {
            config.settings = settings;
            Ok(())
        })?;
        if phone_demo_changed {
            // The demo serves its payment pages on another address (or stops): restart it.
            self.restart_demo().await;
        }
        self.current_app_state().await
    }
}

pub(super) fn config_error(error: ConfigFileError) -> Error {
    match error {
        ConfigFileError::Io {
            action,
            path,
            source,
        } => Error::Io {
            context: format!("cannot {action} {}", path.display()),
            source,
        },
        invalid @ ConfigFileError::Invalid { .. } => {
            Error::NotConfigured(crate::problem!(ConfigInvalid, detail = invalid))
        }
    }
}
