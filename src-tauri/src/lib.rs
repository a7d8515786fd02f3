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
//! - `print`: printing the page through WebKitGTK, with the print dialog or to a PDF file
//! - `notify`: desktop notifications of payments (late ones included), from the sale updates
//! - `startup`: WebKit environment, start-up clock and the `OTTU_POS_STARTUP_REPORT` hook
//! - `state`: the managed `pos_core::Till`
//! - `updates`: signed self-updates (tauri-plugin-updater) behind pos-core's rules
//! - `logs`: the log files (rotated, size-capped) and where they are
//!
//! Not here: sales, settings, secrets and the demo sandbox (pos-core); UI state (ui/).

pub mod app_commands;
pub mod commands;
pub mod customer_display;
pub mod error;
pub mod files;
pub mod logs;
pub mod notify;
pub mod print;
pub mod startup;
pub mod state;
pub mod updates;

use tauri::window::Color;
use tauri::{Emitter, Manager, Runtime};
use tauri_plugin_notification::NotificationExt;

use crate::state::TillState;

/// The event that carries every sale state change to the UI (docs/architecture.md).
const SALE_UPDATED: &str = "sale-updated";

/// Window background while the page loads: the UI's light page colour, so the window never
/// flashes white-then-grey or shows an empty frame before the first paint.
pub const BACKGROUND: Color = Color(0xF6, 0xF7, 0xF9, 0xFF);

/// Set by tauri-driver for WebDriver sessions. Those launch one app after another from the same
/// user, so the single-instance guard is left out: a slow exit would make the next launch quit.
pub(crate) const AUTOMATION_VAR: &str = "TAURI_WEBVIEW_AUTOMATION";

/// `tauri::generate_handler!` over pos-core's list of IPC commands (`pos_core::ipc_commands!`):
/// the shell registers exactly the commands the UI's generated wrappers call, each from the
/// function of the same name in `commands`.
macro_rules! handler {
    ($( $(#[doc = $doc:literal])* $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty; )*) => {
        tauri::generate_handler![$(commands::$name),*]
    };
}

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
    let till = TillState::open();
    let boot_script = till.boot_script();
    let result = builder
        // First, so the start-up state is in place before any other script of the page runs.
        .plugin(
            tauri::plugin::Builder::<R, ()>::new("boot-state")
                .js_init_script(boot_script)
                .build(),
        )
        .plugin(logs::plugin(None))
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
        .plugin(tauri_plugin_updater::Builder::new().build())
        .manage(till)
        .manage(files::PickedFiles::default())
        .setup(|app| {
            // The first line of each run: which version started (the update test looks for it).
            let info = app.package_info();
            log::info!(
                "{} {} started (pid {})",
                info.name,
                info.version,
                std::process::id()
            );
            forward_sale_updates(app.handle());
            Ok(())
        })
        .invoke_handler(pos_core::ipc_commands!(handler))
        .build(tauri::generate_context!());
    let app = match result {
        Ok(app) => app,
        Err(error) => {
            eprintln!("ottu-pos: the app could not start: {error}");
            std::process::exit(1);
        }
    };
    app.run(|handle, event| {
        if let tauri::RunEvent::Exit = event {
            // Stops the tracker and the embedded demo sandbox cleanly (its SQLite file included).
            let state = handle.state::<TillState>();
            if let Ok(till) = state.till() {
                tauri::async_runtime::block_on(till.shutdown());
            }
        }
    });
}

/// Pushes each sale change from the till to every window as `sale-updated`, and announces
/// payments with a desktop notification (`notify`), whether or not a window is showing.
fn forward_sale_updates<R: Runtime>(app: &tauri::AppHandle<R>) {
    let state = app.state::<TillState>();
    let Ok(till) = state.till() else {
        return;
    };
    let till = till.clone();
    let mut updates = till.subscribe();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let mut payments = notify::PaymentWatch::default();
        loop {
            match updates.recv().await {
                Ok(sale) => {
                    if let Err(error) = app.emit(SALE_UPDATED, &sale) {
                        log::warn!("could not send a sale update to the UI: {error}");
                    }
                    let now = pos_core::clock::Clock::system().now().unix_timestamp();
                    if let Some(payment) = payments.observe(&sale, now) {
                        let settings = match till.app_state().await {
                            Ok(state) => state.settings,
                            Err(_) => Default::default(),
                        };
                        let (title, body) = notify::message(&sale, payment, &settings);
                        let shown = app.notification().builder().title(title).body(body).show();
                        if let Err(error) = shown {
                            log::warn!("could not show the payment notification: {error}");
                        }
                    }
                }
                // A burst larger than the channel: the UI re-reads the sale on screen anyway.
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
            }
        }
    });
}

#[cfg(test)]
mod acl_tests {
    use super::app_commands::APP_COMMANDS;

    fn capability(name: &str) -> Vec<String> {
        let path = format!("{}/capabilities/{name}.json", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let json: serde_json::Value = serde_json::from_str(&text).expect("json");
        json["permissions"]
            .as_array()
            .expect("permissions")
            .iter()
            .filter_map(|p| p.as_str().map(str::to_owned))
            .collect()
    }

    #[test]
    fn the_acl_declares_exactly_the_ipc_commands() {
        let listed: Vec<&str> = pos_core::ipc::COMMANDS.iter().map(|c| c.name).collect();
        assert_eq!(
            APP_COMMANDS,
            listed.as_slice(),
            "src/app_commands.rs vs pos_core::ipc"
        );
    }

    #[test]
    fn the_cashier_window_may_call_every_command() {
        let granted = capability("default");
        for command in APP_COMMANDS {
            let allow = format!("allow-{}", command.replace('_', "-"));
            assert!(
                granted.contains(&allow),
                "capabilities/default.json lacks {allow}"
            );
        }
    }

    #[test]
    fn the_customer_window_may_only_read_its_sale_and_the_settings() {
        let granted = capability("customer");
        let commands: Vec<&String> = granted.iter().filter(|p| p.starts_with("allow-")).collect();
        assert_eq!(commands, ["allow-get-sale", "allow-app-state"]);
        assert!(
            granted.iter().all(|p| p.starts_with("allow-")
                || p.starts_with("core:event:")
                || p == "log:allow-log"),
            "{granted:?}"
        );
    }
}
