//! Ottu POS desktop shell: the Tauri 2 window around pos-core.
//!
//! The shell only wires things together: it opens the window on the Svelte UI (`ui/dist`),
//! registers the system plugins the UI uses, and exposes thin commands that call pos-core.
//! All app logic lives in pos-core, so it is testable without a window.
//!
//! # Layout
//! - `commands`: the Tauri commands, one per row of docs/architecture.md's contract table
//! - `customer_display`: the second, customer-facing window
//! - `error`: `CommandError`, the one error shape commands return
//! - `startup`: WebKit environment, start-up clock and the `OTTU_POS_STARTUP_REPORT` hook
//!
//! Not here: sales, settings, secrets and the demo sandbox (pos-core); UI state (ui/).

pub mod commands;
pub mod customer_display;
pub mod error;
pub mod startup;

use tauri::window::Color;
use tauri::{Manager, Runtime};

/// Window background while the page loads: the UI's light page colour, so the window never
/// flashes white-then-grey or shows an empty frame before the first paint.
pub const BACKGROUND: Color = Color(0xF6, 0xF7, 0xF9, 0xFF);

/// Set by tauri-driver for WebDriver sessions. Those launch one app after another from the same
/// user, so the single-instance guard is left out: a slow exit would make the next launch quit.
const AUTOMATION_VAR: &str = "TAURI_WEBVIEW_AUTOMATION";

/// Starts the desktop app and blocks until it quits.
pub fn run() {
    startup::mark_process_start();
    startup::prefer_non_dmabuf_renderer();
    run_app(tauri::Builder::default());
}

/// Builds and runs the app on `builder`; generic over the runtime so tests can use the mock.
pub fn run_app<R: Runtime>(builder: tauri::Builder<R>) {
    let automated = std::env::var(AUTOMATION_VAR).is_ok_and(|value| value == "true");
    let mut builder = builder;
    if !automated {
        // Must be the first plugin: a second launch hands over to the running app and exits.
        builder = builder.plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.show();
                let _ = window.set_focus();
            }
        }));
    }
    let result = builder
        .plugin(
            tauri_plugin_log::Builder::new()
                .level(log::LevelFilter::Info)
                .targets([
                    tauri_plugin_log::Target::new(tauri_plugin_log::TargetKind::Stdout),
                    tauri_plugin_log::Target::new(tauri_plugin_log::TargetKind::LogDir {
                        file_name: None,
                    }),
                ])
                .build(),
        )
        .plugin(
            tauri_plugin_window_state::Builder::new()
                .with_state_flags(
                    tauri_plugin_window_state::StateFlags::all()
                        - tauri_plugin_window_state::StateFlags::VISIBLE,
                )
                .with_denylist(&[customer_display::LABEL])
                .build(),
        )
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(tauri::generate_handler![
            commands::ui_ready,
            commands::show_customer_display,
            commands::app_state,
            commands::gateways,
            commands::create_sale,
            commands::get_sale,
            commands::edit_sale,
            commands::cancel_sale,
            commands::share_links,
            commands::history,
            commands::export_csv,
            commands::save_settings,
            commands::save_profile,
            commands::use_profile,
            commands::delete_profile,
            commands::test_connection,
        ])
        .run(tauri::generate_context!());
    if let Err(error) = result {
        eprintln!("ottu-pos: the app could not start: {error}");
        std::process::exit(1);
    }
}
