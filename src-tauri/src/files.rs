//! Files the cashier chooses, always in the shell's own dialogs: the page never names a path.
//!
//! - The CSV export asks where to save in a save dialog the shell opens (`export_csv`), then
//!   pos-core writes there.
//! - "Save diagnostics" asks where to save the zip the same way (`save_zip`), and "Save as
//!   PDF" its PDF (`save_pdf`).
//! - The catalog's CSV import asks which file in an open dialog (`open_csv`) and its export
//!   where to save in the save dialog; pos-core reads or writes the path, the page never sees it.
//! - Debug builds only: with `OTTU_POS_TEST_DIALOGS=<dir>` set when the app starts, no dialog
//!   opens (the end-to-end tests cannot drive the desktop's file chooser over WebDriver): a save
//!   dialog answers `<dir>/<offered file name>`, and an open dialog the path written in
//!   `<dir>/open-path`, or "cancelled" when that file is absent. Release builds ignore it; the
//!   page never names a path either way.
//! - An attachment is chosen in an open dialog the shell opens (`pick_attachment`); the page gets
//!   a one-time token and the file's name, and sends the token back as the draft's
//!   `attachment_path`. `create_sale` swaps it for the path ([`PickedFiles::take`]); anything
//!   else is refused, so a script in the page cannot make the till read a file of its choice.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::DialogExt;

use crate::error::CommandError;

/// Attachment types pos-core accepts (`sales::draft`), offered by the open dialog.
const ATTACHMENT_EXTENSIONS: &[&str] = &[
    "pdf", "png", "jpg", "jpeg", "doc", "docx", "xls", "xlsx", "txt",
];

/// Paths chosen in the open dialog, by one-time token.
#[derive(Debug, Default)]
pub struct PickedFiles(Mutex<HashMap<String, PathBuf>>);

impl PickedFiles {
    /// Keeps `path` and answers its token.
    pub fn keep(&self, path: PathBuf) -> Result<String, CommandError> {
        let token = new_token()?;
        self.lock().insert(token.clone(), path);
        Ok(token)
    }

    /// The path behind `token`, once.
    pub fn take(&self, token: &str) -> Option<PathBuf> {
        self.lock().remove(token)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, PathBuf>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// 128 random bits from the OS's generator (`rand`'s `OsRng`: getrandom on Linux, the
/// platform's own on Windows and macOS), as hex.
fn new_token() -> Result<String, CommandError> {
    use rand::RngCore as _;
    use std::fmt::Write as _;
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng
        .try_fill_bytes(&mut bytes)
        .map_err(|error| internal(format!("no random source for a file token: {error}")))?;
    Ok(bytes.iter().fold(String::with_capacity(32), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    }))
}

/// The save dialog for the CSV export; `None` when the cashier cancels.
pub async fn save_csv<R: Runtime>(
    app: &AppHandle<R>,
    file_name: String,
) -> Result<Option<PathBuf>, CommandError> {
    save_dialog(app, file_name, "CSV", "csv").await
}

/// The save dialog for the diagnostics zip; `None` when cancelled.
pub async fn save_zip<R: Runtime>(
    app: &AppHandle<R>,
    file_name: String,
) -> Result<Option<PathBuf>, CommandError> {
    save_dialog(app, file_name, "Zip", "zip").await
}

/// The save dialog for a PDF; `None` when cancelled.
pub async fn save_pdf<R: Runtime>(
    app: &AppHandle<R>,
    file_name: String,
) -> Result<Option<PathBuf>, CommandError> {
    save_dialog(app, file_name, "PDF", "pdf").await
}

/// `<name>.pdf` for the name the page offers, keeping letters, digits, `-` and `_` only (so it
/// names a file in the chosen folder and nothing else); `ottu-pos.pdf` when none is left.
pub fn pdf_file_name(offered: &str) -> String {
    let name: String = offered
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_'))
        .take(80)
        .collect();
    let name = if name.is_empty() { "ottu-pos" } else { &name };
    format!("{name}.pdf")
}

/// The open dialog for a CSV file to import; `None` when cancelled.
pub async fn open_csv<R: Runtime>(app: &AppHandle<R>) -> Result<Option<PathBuf>, CommandError> {
    open_dialog(app, "CSV", &["csv"]).await
}

/// The directory standing in for the dialogs in end-to-end tests (debug builds only).
fn test_dialogs() -> Option<PathBuf> {
    if !cfg!(debug_assertions) {
        return None;
    }
    std::env::var_os("OTTU_POS_TEST_DIALOGS")
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
}

/// The shell's open dialog for one file of the given types; `None` when cancelled.
async fn open_dialog<R: Runtime>(
    app: &AppHandle<R>,
    type_name: &str,
    extensions: &[&str],
) -> Result<Option<PathBuf>, CommandError> {
    if let Some(dir) = test_dialogs() {
        return Ok(std::fs::read_to_string(dir.join("open-path"))
            .ok()
            .map(|path| PathBuf::from(path.trim())));
    }
    let dialog = app.dialog().file().add_filter(type_name, extensions);
    let chosen = tauri::async_runtime::spawn_blocking(move || dialog.blocking_pick_file())
        .await
        .map_err(|error| internal(format!("the open dialog failed: {error}")))?;
    Ok(chosen.and_then(|path| path.into_path().ok()))
}

/// The shell's save dialog offering `file_name` with one file type; `None` when cancelled.
async fn save_dialog<R: Runtime>(
    app: &AppHandle<R>,
    file_name: String,
    type_name: &str,
    extension: &str,
) -> Result<Option<PathBuf>, CommandError> {
    if let Some(dir) = test_dialogs() {
        return Ok(Some(dir.join(file_name)));
    }
    let dialog = app
        .dialog()
        .file()
        .add_filter(type_name, &[extension])
        .set_file_name(file_name);
    let chosen = tauri::async_runtime::spawn_blocking(move || dialog.blocking_save_file())
        .await
        .map_err(|error| internal(format!("the save dialog failed: {error}")))?;
    Ok(chosen.and_then(|path| path.into_path().ok()))
}

/// The open dialog for an attachment; `None` when the cashier cancels.
pub async fn pick_attachment<R: Runtime>(
    app: &AppHandle<R>,
) -> Result<Option<PathBuf>, CommandError> {
    open_dialog(app, "PDF, image or document", ATTACHMENT_EXTENSIONS).await
}

fn internal(message: String) -> CommandError {
    CommandError::new(
        crate::error::ErrorCode::Internal,
        pos_core::problem!(Internal, detail = message),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_gives_its_path_once_and_tokens_differ() {
        let files = PickedFiles::default();
        let token = files.keep(PathBuf::from("/tmp/invoice.pdf")).unwrap();
        let other = files.keep(PathBuf::from("/tmp/other.pdf")).unwrap();
        assert_ne!(token, other);
        assert_eq!(token.len(), 32);
        assert_eq!(files.take(&token), Some(PathBuf::from("/tmp/invoice.pdf")));
        assert_eq!(files.take(&token), None);
        assert_eq!(files.take("/etc/passwd"), None);
    }

    #[test]
    fn an_offered_pdf_name_cannot_leave_the_chosen_folder() {
        assert_eq!(pdf_file_name("receipt-POS-1"), "receipt-POS-1.pdf");
        assert_eq!(pdf_file_name("../../etc/passwd"), "etcpasswd.pdf");
        assert_eq!(pdf_file_name("/"), "ottu-pos.pdf");
        assert_eq!(pdf_file_name("إيصال_1"), "إيصال_1.pdf");
    }
}
