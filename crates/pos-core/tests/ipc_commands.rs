//! The desktop shell's commands agree with pos-core's list of IPC commands (`pos_core::ipc`).
//!
//! The shell builds its `tauri::generate_handler!` list from `pos_core::ipc_commands!`, so it
//! registers exactly the listed commands, and one missing from `src-tauri/src/commands.rs` does
//! not compile. What the compiler cannot see is how each `#[tauri::command]` names and types its
//! arguments (Tauri matches the UI's arguments by name) and what it answers, nor a command the
//! file defines that the list lacks. This test reads the file and compares. It runs headless (no
//! WebKit build), like the rest of pos-core's tests.

use std::collections::BTreeMap;
use std::path::PathBuf;

use pos_core::ipc::COMMANDS;

/// A command as written: argument `(name, type)` pairs and the success type.
#[derive(Debug, PartialEq, Eq)]
struct Signature {
    args: Vec<(String, String)>,
    result: String,
}

fn shell_file(name: &str) -> String {
    let path = manifest_dir().join("../../src-tauri/src").join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
}

/// `Vec < Gateway >` and `Vec<Gateway>` alike.
fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Splits `a: X<B, C>, d: E` at the commas outside angle brackets and parentheses.
fn split_top_level(params: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut current = String::new();
    for c in params.chars() {
        match c {
            '<' | '(' => depth += 1,
            '>' | ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    parts.push(current);
    parts
        .into_iter()
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect()
}

/// Every `#[tauri::command]` function of `commands.rs`, by name. Arguments Tauri fills itself
/// (`State`, `AppHandle`, `Window`, ...) are left out; `CommandResult<T>` answers `T`.
fn shell_commands(source: &str) -> BTreeMap<String, Signature> {
    let mut found = BTreeMap::new();
    for (index, _) in source.match_indices("#[tauri::command]") {
        let rest = &source[index..];
        let fn_at = rest
            .find("fn ")
            .expect("a function after #[tauri::command]");
        let rest = &rest[fn_at + 3..];
        let name_end = rest.find(['(', '<']).expect("a parameter list");
        let name = rest[..name_end].trim().to_owned();
        let open = rest.find('(').expect("a parameter list");
        let mut depth = 0;
        let mut close = open;
        for (offset, c) in rest[open..].char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        close = open + offset;
                        break;
                    }
                }
                _ => {}
            }
        }
        let args = split_top_level(&rest[open + 1..close])
            .into_iter()
            .filter_map(|param| {
                let (name, ty) = param.split_once(':').expect("`name: Type`");
                let ty = squash(ty);
                let injected = ["State<", "AppHandle", "Window", "Webview"]
                    .iter()
                    .any(|prefix| {
                        ty.starts_with(prefix) || ty.starts_with(&format!("tauri::{prefix}"))
                    });
                (!injected).then(|| (name.trim().to_owned(), ty))
            })
            .collect();
        let after = &rest[close + 1..];
        let body = after.find('{').expect("a function body");
        let result = match after[..body].trim().strip_prefix("->") {
            None => "()".to_owned(),
            Some(ty) => {
                let ty = squash(ty);
                ty.strip_prefix("CommandResult<")
                    .and_then(|inner| inner.strip_suffix('>'))
                    .map(str::to_owned)
                    .unwrap_or(ty)
            }
        };
        found.insert(name, Signature { args, result });
    }
    found
}

fn listed_commands() -> BTreeMap<String, Signature> {
    COMMANDS
        .iter()
        .map(|command| {
            let signature = Signature {
                args: command
                    .args
                    .iter()
                    .map(|arg| (arg.name.to_owned(), squash(arg.rust_type)))
                    .collect(),
                result: squash(command.result),
            };
            (command.name.to_owned(), signature)
        })
        .collect()
}

#[test]
fn the_shell_defines_each_listed_command_with_the_listed_arguments_and_result() {
    let defined = shell_commands(&shell_file("commands.rs"));
    let listed = listed_commands();
    assert!(
        defined.len() >= 10,
        "found only {} commands in src-tauri/src/commands.rs; is the parser still right?",
        defined.len()
    );
    for (name, signature) in &listed {
        match defined.get(name) {
            None => panic!("`{name}` is in pos_core::ipc but src-tauri/src/commands.rs lacks it"),
            Some(found) => assert_eq!(
                found, signature,
                "`{name}` in src-tauri/src/commands.rs (left) differs from pos_core::ipc (right)"
            ),
        }
    }
    for name in defined.keys() {
        assert!(
            listed.contains_key(name),
            "src-tauri/src/commands.rs defines `{name}`, which pos_core::ipc does not list: add it \
             there (the shell registers only listed commands)"
        );
    }
}

#[test]
fn the_shell_registers_the_list_and_nothing_else() {
    let lib = shell_file("lib.rs");
    let handlers: Vec<&str> = lib
        .match_indices(".invoke_handler(")
        .map(|(i, _)| &lib[i..])
        .collect();
    assert_eq!(
        handlers.len(),
        1,
        "one invoke_handler in src-tauri/src/lib.rs"
    );
    let call = handlers[0];
    let call = &call[..call.find('\n').unwrap_or(call.len())];
    assert!(
        squash(call).starts_with(".invoke_handler(pos_core::ipc_commands!("),
        "src-tauri/src/lib.rs must build its handler from pos_core::ipc_commands!, found `{call}`"
    );
}

#[test]
fn the_parser_reads_what_rustfmt_writes() {
    let source = r#"
#[tauri::command]
pub fn ui_ready(state: State<'_, TillState>) {
}

#[tauri::command]
pub fn show<R: Runtime>(app: AppHandle<R>, id: String) -> CommandResult<()> {
}

#[tauri::command]
pub async fn export_csv(
    state: State<'_, TillState>,
    query: HistoryQuery,
    path: String,
) -> CommandResult<Vec<Gateway>> {
}
"#;
    let found = shell_commands(source);
    assert_eq!(
        found["ui_ready"],
        Signature {
            args: vec![],
            result: "()".into()
        }
    );
    assert_eq!(
        found["show"],
        Signature {
            args: vec![("id".into(), "String".into())],
            result: "()".into()
        }
    );
    assert_eq!(
        found["export_csv"],
        Signature {
            args: vec![
                ("query".into(), "HistoryQuery".into()),
                ("path".into(), "String".into())
            ],
            result: "Vec<Gateway>".into()
        }
    );
}

/// This crate's directory (see `ui_bindings.rs` for why the run-time value comes first).
fn manifest_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}
