//! Printing the window's page through WebKitGTK: with the system's print dialog, or to a PDF
//! file with no dialog at all.
//!
//! The page chooses what shows on paper with its print CSS (`ui/src/lib/components/PrintActions.svelte`
//! marks the element to print and the paper); the shell only drives the print. Both ways build a
//! `WebKitPrintOperation` on the window's web view (reached with Tauri's `with_webview`, on the
//! GTK main thread) with a GTK page setup of the chosen [`Paper`] (its size and margins):
//!
//! - [`print`] runs the system print dialog with that paper preselected; the cashier chooses the
//!   printer. It answers once the dialog is closed and, when printing, once the job is handed
//!   over.
//! - [`print_to_pdf`] prints to GTK's "Print to File" printer with `output-uri` set to the file
//!   and PDF as the format, and answers once the file is written. The path comes from the
//!   shell's save dialog (`files::save_pdf`), never from the page.
//!
//! WebKitGTK is Linux's web view; on other systems these commands answer a clear error.

use std::path::Path;

use pos_core::print::Paper;
use tauri::{Runtime, WebviewWindow};

use crate::error::{CommandError, ErrorCode};

/// GTK's own name of its PDF/PostScript file printer (`gtkprintbackendfile.c`).
#[cfg(target_os = "linux")]
const FILE_PRINTER: &str = "Print to File";

/// Prints the page of `window` on `paper` through the system's print dialog. `Ok(false)` when
/// the cashier cancels.
pub async fn print<R: Runtime>(
    window: &WebviewWindow<R>,
    paper: Paper,
) -> Result<bool, CommandError> {
    run(window, paper, None).await
}

/// Prints the page of `window` on `paper` to the PDF file `path`, with no dialog.
pub async fn print_to_pdf<R: Runtime>(
    window: &WebviewWindow<R>,
    paper: Paper,
    path: &Path,
) -> Result<(), CommandError> {
    let uri = url::Url::from_file_path(path)
        .map_err(|()| failed(format!("{} is not an absolute path", path.display())))?;
    run(window, paper, Some(uri.to_string())).await.map(|_| ())
}

#[cfg(target_os = "linux")]
async fn run<R: Runtime>(
    window: &WebviewWindow<R>,
    paper: Paper,
    output_uri: Option<String>,
) -> Result<bool, CommandError> {
    let (done, finished) = tokio::sync::oneshot::channel::<Result<bool, String>>();
    window
        .with_webview(move |webview| linux::start(&webview.inner(), paper, output_uri, done))
        .map_err(|error| failed(format!("the web view could not be reached: {error}")))?;
    finished
        .await
        .map_err(|_| failed("the print operation ended without an answer".to_owned()))?
        .map_err(failed)
}

#[cfg(not(target_os = "linux"))]
async fn run<R: Runtime>(
    _window: &WebviewWindow<R>,
    _paper: Paper,
    _output_uri: Option<String>,
) -> Result<bool, CommandError> {
    Err(failed(
        "printing from the till needs WebKitGTK (Linux); use the system's print from the web view"
            .to_owned(),
    ))
}

#[cfg(target_os = "linux")]
mod linux {
    use std::cell::RefCell;
    use std::rc::Rc;

    use gtk::prelude::*;
    use pos_core::print::Paper;
    use webkit2gtk::{PrintOperation, PrintOperationExt, PrintOperationResponse, WebView};

    type Done = tokio::sync::oneshot::Sender<Result<bool, String>>;

    /// The paper as GTK's page setup: a custom size (a roll has no standard name), portrait,
    /// with the paper's margins.
    fn page_setup(paper: Paper) -> gtk::PageSetup {
        let (width, height) = paper.size_mm();
        let size = match paper {
            Paper::A4 => gtk::PaperSize::new(Some(gtk::PAPER_NAME_A4.as_str())),
            Paper::Roll80mm => gtk::PaperSize::new_custom(
                "ottu-pos-roll80mm",
                "80 mm roll",
                width,
                height,
                gtk::Unit::Mm,
            ),
        };
        let setup = gtk::PageSetup::new();
        setup.set_orientation(gtk::PageOrientation::Portrait);
        setup.set_paper_size(&size);
        let margin = paper.margin_mm();
        setup.set_top_margin(margin, gtk::Unit::Mm);
        setup.set_bottom_margin(margin, gtk::Unit::Mm);
        setup.set_left_margin(margin, gtk::Unit::Mm);
        setup.set_right_margin(margin, gtk::Unit::Mm);
        setup
    }

    /// Starts printing on the GTK main thread; `done` gets the outcome. The operation and the
    /// sender are kept in one cell until `finished` or `failed` takes them, so the operation
    /// lives until WebKit is done with it.
    pub(super) fn start(webview: &WebView, paper: Paper, output_uri: Option<String>, done: Done) {
        let setup = page_setup(paper);
        let settings = gtk::PrintSettings::new();
        settings.set_paper_size(&setup.paper_size());
        settings.set_orientation(gtk::PageOrientation::Portrait);
        let to_file = output_uri.is_some();
        if let Some(uri) = &output_uri {
            settings.set_printer(super::FILE_PRINTER);
            settings.set(gtk::PRINT_SETTINGS_OUTPUT_FILE_FORMAT.as_str(), Some("pdf"));
            settings.set(gtk::PRINT_SETTINGS_OUTPUT_URI.as_str(), Some(uri));
        }
        let operation = PrintOperation::new(webview);
        operation.set_page_setup(&setup);
        operation.set_print_settings(&settings);

        let pending: Rc<RefCell<Option<(Done, PrintOperation)>>> =
            Rc::new(RefCell::new(Some((done, operation.clone()))));
        let answer = move |outcome: Result<bool, String>| {
            if let Some((done, _operation)) = pending.borrow_mut().take() {
                let _ = done.send(outcome);
            }
        };
        let on_finished = answer.clone();
        operation.connect_finished(move |_| on_finished(Ok(true)));
        let on_failed = answer.clone();
        operation.connect_failed(move |_, error| on_failed(Err(error.to_string())));

        if to_file {
            operation.print();
            return;
        }
        let parent = webview
            .toplevel()
            .and_then(|widget| widget.downcast::<gtk::Window>().ok());
        // Modal: the dialog runs its own loop and answers once the cashier closes it.
        if operation.run_dialog(parent.as_ref()) == PrintOperationResponse::Cancel {
            answer(Ok(false));
        }
    }
}

fn failed(detail: String) -> CommandError {
    CommandError::new(
        ErrorCode::Internal,
        pos_core::problem!(PrintFailed, detail = detail),
    )
}
