//! The managed state: one `pos_core::Till` for the whole app.
//!
//! The till is opened at start-up but starts nothing (the demo sandbox and the sales engine start
//! on first use), so opening it never delays the first paint. If it cannot be opened (no home
//! directory, an unreadable config file) the window still comes up and every command answers with
//! that error in plain words, instead of the app dying before the cashier sees anything.

use std::path::PathBuf;
use std::sync::Arc;

use pos_core::secrets::KeyringStore;
use pos_core::{Till, TillDirs};

use crate::error::CommandError;

/// Overrides of the config and data directories (tests and side-by-side installs); the same
/// variables the `ottu-pos` command line honours.
const CONFIG_DIR_VAR: &str = "OTTU_POS_CONFIG_DIR";
const DATA_DIR_VAR: &str = "OTTU_POS_DATA_DIR";

/// What the commands reach through `State<TillState>`.
#[derive(Debug)]
pub struct TillState(Result<Till, CommandError>);

impl TillState {
    /// Opens the till over the platform directories (or the override variables) and the OS
    /// keychain.
    pub fn open() -> Self {
        let opened = dirs()
            .and_then(|dirs| Till::open(dirs, Arc::new(KeyringStore::new())))
            .map_err(CommandError::from);
        if let Err(error) = &opened {
            log::error!("the till could not be opened: {error}");
        }
        Self(opened)
    }

    /// The till, or the error that kept it from opening.
    pub fn till(&self) -> Result<&Till, CommandError> {
        self.0.as_ref().map_err(Clone::clone)
    }
}

fn dirs() -> pos_core::Result<TillDirs> {
    let var = |name: &str| std::env::var_os(name).map(PathBuf::from);
    match (var(CONFIG_DIR_VAR), var(DATA_DIR_VAR)) {
        (Some(config_dir), Some(data_dir)) => Ok(TillDirs {
            config_dir,
            data_dir,
        }),
        (config, data) => {
            let default = TillDirs::platform_default()?;
            Ok(TillDirs {
                config_dir: config.unwrap_or(default.config_dir),
                data_dir: data.unwrap_or(default.data_dir),
            })
        }
    }
}
