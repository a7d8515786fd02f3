//! The log file is rotated and the folder stays under its cap: the real `tauri-plugin-log` set up
//! as the app sets it up (`ottu_pos_lib::logs`), with a small size so a few seconds of logging
//! rotate it several times, and the folder measured afterwards.

use std::time::Duration;

use ottu_pos_lib::logs;

const MAX_FILE: u64 = 8 * 1024;
const KEEP: usize = 2;

fn folder_size(dir: &std::path::Path) -> (u64, Vec<String>) {
    let mut total = 0;
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        total += entry.metadata().unwrap().len();
        names.push(entry.file_name().to_string_lossy().into_owned());
    }
    names.sort();
    (total, names)
}

#[test]
fn the_log_rotates_and_the_folder_stays_under_its_cap() {
    let dir = tempfile::tempdir().unwrap();
    let _app = tauri::test::mock_builder()
        .plugin(logs::plugin_with(
            Some(dir.path().to_owned()),
            MAX_FILE,
            KEEP,
        ))
        .build(tauri::test::mock_context(tauri::test::noop_assets()))
        .expect("the mock app builds");

    // Bursts smaller than one file, a second apart: rotated files are named by the second.
    let line = "x".repeat(90);
    let mut written = 0u64;
    for burst in 0..7 {
        for i in 0..60 {
            log::info!("burst {burst} line {i} {line}");
            written += 140;
        }
        std::thread::sleep(Duration::from_millis(1050));
    }
    log::info!("the last line");
    log::logger().flush();

    let (total, names) = folder_size(dir.path());
    let cap = (KEEP as u64 + 1) * MAX_FILE;
    assert!(written > 2 * cap, "the test writes more than the cap");
    assert!(total <= cap, "{total} bytes in {names:?}, cap {cap}");
    assert!(names.len() <= KEEP + 1, "{names:?}");
    assert!(
        names
            .iter()
            .any(|n| n.starts_with("ottu-pos_") && n.ends_with(".log")),
        "rotated files are kept: {names:?}"
    );
    let current = std::fs::read_to_string(dir.path().join("ottu-pos.log")).unwrap();
    assert!(current.contains("the last line"), "{current}");
    // The plugin also logs to stdout; the file is the one capped.
    assert_eq!(logs::MAX_FILE_BYTES, 1024 * 1024);
}
