// The app's commands are declared to Tauri's ACL, so each window may call only those its
// capability file allows (the customer window: reading its sale; the cashier's: all).
include!("src/app_commands.rs");

fn main() {
    println!("cargo:rerun-if-changed=src/app_commands.rs");
    let manifest = tauri_build::AppManifest::new().commands(APP_COMMANDS);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri-build: the app's configuration or capabilities are invalid");
}
