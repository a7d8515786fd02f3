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

    /// A script that hands the UI its `app_state` before the page loads, as
    /// `window.__OTTU_POS_BOOT_STATE__`; empty when the till has no state to give.
    ///
    /// The home screen then renders in the same task that mounts the UI, instead of after an
    /// IPC round trip and a "Loading" frame: about 30 ms of every start (BENCHMARKS.md). The
    /// state holds no secrets (it is exactly what `app_state` answers). Because the script is
    /// fixed when the app starts, the UI takes it once and re-reads `app_state` after its first
    /// paint, so a reloaded page never keeps stale settings.
    pub fn boot_script(&self) -> String {
        let Ok(till) = &self.0 else {
            return String::new();
        };
        // Without it the UI asks over IPC and shows that error in plain words there.
        let Ok(state) = tauri::async_runtime::block_on(till.app_state()) else {
            return String::new();
        };
        match serde_json::to_string(&state) {
            Ok(json) => format!("window.{BOOT_STATE_GLOBAL} = {json};"),
            Err(error) => {
                log::warn!("could not serialise the start-up state: {error}");
                String::new()
            }
        }
    }
}

/// The global the boot script sets; `ui/src/lib/api/index.ts` reads and removes it.
pub const BOOT_STATE_GLOBAL: &str = "__OTTU_POS_BOOT_STATE__";

fn dirs() -> pos_core::Result<TillDirs> {
    let var = |name: &str| std::env::var_os(name).map(PathBuf::from);
    TillDirs::with_overrides(var(CONFIG_DIR_VAR), var(DATA_DIR_VAR))
}

#[cfg(test)]
mod tests {
    use super::*;
    use pos_core::dto::AppState;
    use pos_core::secrets::MemorySecretStore;

    #[test]
    fn the_boot_script_carries_the_same_state_app_state_answers() {
        let dir = tempfile::tempdir().unwrap();
        let dirs = TillDirs {
            config_dir: dir.path().join("config"),
            data_dir: dir.path().join("data"),
        };
        let till = Till::open(dirs, Arc::new(MemorySecretStore::new())).unwrap();
        let expected = tauri::async_runtime::block_on(till.app_state()).unwrap();

        let script = TillState(Ok(till)).boot_script();

        let json = script
            .strip_prefix(&format!("window.{BOOT_STATE_GLOBAL} = "))
            .and_then(|rest| rest.strip_suffix(';'))
            .unwrap_or_else(|| panic!("not an assignment to the boot global: {script}"));
        let carried: AppState = serde_json::from_str(json).unwrap();
        assert_eq!(
            serde_json::to_value(&carried).unwrap(),
            serde_json::to_value(&expected).unwrap()
        );
    }

    #[test]
    fn a_till_that_could_not_open_gives_no_boot_script() {
        let failed = TillState(Err(CommandError::from(pos_core::Error::NotConfigured(
            pos_core::problem!(HomeDirMissing),
        ))));
        assert_eq!(failed.boot_script(), "");
    }
}
