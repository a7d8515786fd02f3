//! The app's log: stdout and a file in the platform's log folder (Tauri's `app_log_dir`:
//! `~/.local/share/<id>/logs` on Linux, `~/Library/Logs/<id>` on macOS, `%LOCALAPPDATA%\<id>\logs`
//! on Windows), through `tauri-plugin-log`.
//!
//! The file is rotated and capped so a till that runs for years never fills its disk: when the
//! current file would pass [`MAX_FILE_BYTES`] it is renamed with a timestamp and a new one is
//! started, and only the newest [`KEEP_ROTATED`] renamed files are kept. The whole folder so
//! stays under `(KEEP_ROTATED + 1) * MAX_FILE_BYTES` (a test in tests/logs.rs writes several
//! times that and measures). "Save diagnostics" packs this folder (pos-core `diagnostics`).
//!
//! The embedded demo sandbox logs through `tracing`; with tracing's `log` feature its events
//! arrive here as `log` records, so its lines are in the same file.

use std::path::PathBuf;

use tauri::Runtime;
use tauri::plugin::TauriPlugin;
use tauri_plugin_log::{RotationStrategy, Target, TargetKind};

/// Largest size of one log file before it is rotated.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// How many rotated files are kept besides the current one.
pub const KEEP_ROTATED: usize = 4;

/// The log plugin writing to the platform's log folder, or to `folder` when given (tests).
pub fn plugin<R: Runtime>(folder: Option<PathBuf>) -> TauriPlugin<R> {
    plugin_with(folder, MAX_FILE_BYTES, KEEP_ROTATED)
}

/// [`plugin`] with another size and count (tests use small ones to rotate quickly).
pub fn plugin_with<R: Runtime>(
    folder: Option<PathBuf>,
    max_file_bytes: u64,
    keep_rotated: usize,
) -> TauriPlugin<R> {
    let file = match folder {
        Some(path) => TargetKind::Folder {
            path,
            file_name: Some(FILE_NAME.to_owned()),
        },
        None => TargetKind::LogDir {
            file_name: Some(FILE_NAME.to_owned()),
        },
    };
    tauri_plugin_log::Builder::new()
        .level(log::LevelFilter::Info)
        .max_file_size(u128::from(max_file_bytes))
        .rotation_strategy(RotationStrategy::KeepSome(keep_rotated.max(1)))
        .targets([Target::new(TargetKind::Stdout), Target::new(file)])
        .build()
}

/// The current file is `ottu-pos.log`, rotated ones `ottu-pos_<date>_<time>.log`.
pub const FILE_NAME: &str = "ottu-pos";
