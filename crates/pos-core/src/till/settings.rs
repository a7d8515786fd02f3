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
    /// The platform's app dirs: `$XDG_CONFIG_HOME/<id>` and `$XDG_DATA_HOME/<id>` on Linux,
    /// `~/Library/Application Support/<id>` on macOS, `%APPDATA%\<id>` on Windows, where `<id>`
    /// is [`app_identifier`].
    pub fn platform_default() -> Result<TillDirs> {
        let home = std::env::var_os("HOME").map(PathBuf::from);
        let env_dir = |name: &str| {
            std::env::var_os(name)
                .map(PathBuf::from)
                .filter(|p| p.is_absolute())
        };
        let (config_base, data_base) = if cfg!(target_os = "windows") {
            let appdata = env_dir("APPDATA");
            (appdata.clone(), appdata)
        } else if cfg!(target_os = "macos") {
            let support = home.map(|h| h.join("Library").join("Application Support"));
            (support.clone(), support)
        } else {
            (
                env_dir("XDG_CONFIG_HOME").or_else(|| home.as_ref().map(|h| h.join(".config"))),
                env_dir("XDG_DATA_HOME")
                    .or_else(|| home.as_ref().map(|h| h.join(".local").join("share"))),
            )
        };
        match (config_base, data_base) {
            (Some(config), Some(data)) => Ok(TillDirs {
                config_dir: config.join(app_identifier()),
                data_dir: data.join(app_identifier()),
            }),
            _ => Err(Error::NotConfigured(
                "cannot find the home directory; pass --config-dir and --data-dir".to_owned(),
            )),
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
}

impl Default for TillOptions {
    fn default() -> Self {
        Self {
            keychain_service: default_service_name().to_owned(),
            profile_override: None,
            connection_timeout: DEFAULT_CHECK_TIMEOUT,
            gateway_ttl: DEFAULT_TTL,
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
        self.update_config(|config| {
            config.settings = settings;
            Ok(())
        })?;
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
        invalid @ ConfigFileError::Invalid { .. } => Error::NotConfigured(invalid.to_string()),
    }
}
