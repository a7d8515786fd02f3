//! Process start-up: the WebKit environment, the start clock and the start-up report.
//!
//! `ui_ready` (called by the UI once its home screen is interactive) writes the milliseconds
//! since the process entered `main` to the file named by `OTTU_POS_STARTUP_REPORT`, which the
//! cold-start benchmark reads. The clock starts at the top of `main`, so exec and dynamic
//! linking are not included; the hello-world comparison window measures the same way, and the
//! benchmark also reports the file's write time against the moment it spawned the process.

use std::path::PathBuf;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// Environment variable naming the file `ui_ready` writes the start-up time to.
pub const STARTUP_REPORT_VAR: &str = "OTTU_POS_STARTUP_REPORT";

static PROCESS_START: OnceLock<Instant> = OnceLock::new();
static REPORTED: AtomicBool = AtomicBool::new(false);

/// Starts the start-up clock; call first thing in `main`. Later calls keep the first instant.
pub fn mark_process_start() {
    PROCESS_START.get_or_init(Instant::now);
}

/// Milliseconds since [`mark_process_start`] (or since the first call, if it was never called).
pub fn millis_since_start() -> f64 {
    PROCESS_START
        .get_or_init(Instant::now)
        .elapsed()
        .as_secs_f64()
        * 1000.0
}

/// Records that the first interactive screen is painted. Only the first call counts; returns
/// the elapsed milliseconds and, when `OTTU_POS_STARTUP_REPORT` is set, writes them there.
pub fn report_ready() -> Option<f64> {
    record_ready(
        &REPORTED,
        std::env::var_os(STARTUP_REPORT_VAR).map(PathBuf::from),
    )
}

fn record_ready(reported: &AtomicBool, report_file: Option<PathBuf>) -> Option<f64> {
    if reported.swap(true, Ordering::SeqCst) {
        return None;
    }
    let elapsed = millis_since_start();
    log::info!("first interactive paint {elapsed:.1} ms after start");
    if let Some(path) = report_file
        && let Err(error) = std::fs::write(&path, format!("{elapsed:.1}\n"))
    {
        log::warn!(
            "could not write the start-up report to {}: {error}",
            path.display()
        );
    }
    Some(elapsed)
}

/// On Linux, turns off WebKitGTK's DMA-BUF renderer unless the user chose otherwise.
///
/// Measured on the project's Debian 12 machines (see DEVELOPMENT.md): without it the web
/// process takes the GL compositing path, which under Xvfb and on many POS boxes without a
/// GPU costs ~65 MB more memory and ~150 ms more to first paint, with identical rendering.
/// Must run before any thread starts, because it changes the process environment.
pub fn prefer_non_dmabuf_renderer() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none() {
        // SAFETY: called at the top of `main`, before the app or any library starts a thread,
        // so nothing can read the environment concurrently.
        #[allow(unsafe_code)]
        unsafe {
            std::env::set_var("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_first_ready_report_counts_and_it_lands_in_the_named_file() {
        mark_process_start();
        let reported = AtomicBool::new(false);
        let dir = std::env::temp_dir().join(format!("ottu-pos-startup-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let report = dir.join("startup.txt");

        let first = record_ready(&reported, Some(report.clone())).expect("first report counts");
        let written = std::fs::read_to_string(&report).unwrap();
        let written_ms: f64 = written.trim().parse().unwrap();
        assert!(
            (written_ms - first).abs() < 0.1,
            "file says {written_ms}, call said {first}"
        );

        assert!(record_ready(&reported, Some(report.clone())).is_none());
        assert_eq!(
            std::fs::read_to_string(&report).unwrap(),
            written,
            "second call wrote"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
