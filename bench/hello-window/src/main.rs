//! Baseline for `bench/app-bench.sh`: the smallest Tauri 2 window, built with the same profile
//! as ottu-pos. Its page invokes `ready` two animation frames after load; the milliseconds since
//! `main` started are written to the file named by `OTTU_POS_STARTUP_REPORT` (the hook ottu-pos
//! implements with `ui_ready`), so the two start-up times compare like for like.

use std::sync::OnceLock;
use std::time::Instant;

static START: OnceLock<Instant> = OnceLock::new();

#[tauri::command]
fn ready() {
    let elapsed = START.get_or_init(Instant::now).elapsed().as_secs_f64() * 1000.0;
    if let Some(path) = std::env::var_os("OTTU_POS_STARTUP_REPORT")
        && let Err(error) = std::fs::write(path, format!("{elapsed:.1}\n"))
    {
        eprintln!("hello-window: could not write the start-up report: {error}");
    }
}

fn main() {
    START.get_or_init(Instant::now);
    // The same renderer choice ottu-pos makes at start-up (its `startup` module), so the two
    // windows are compared like for like.
    if std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none() {
        // SAFETY: first statement after taking the clock, before any thread exists.
        #[allow(unsafe_code)]
        unsafe {
            std::env::set_var("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
        }
    }
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![ready])
        .run(tauri::generate_context!())
        .expect("hello-window failed to start");
}
