//! `ottu-pos`: with no arguments, the desktop app; with a subcommand (`ottu-pos request ...`),
//! the same command line as `ottu-pos-cli`, without opening a window.

fn main() -> std::process::ExitCode {
    if std::env::args_os().nth(1).is_some() {
        return pos_core::cli::run(std::env::args_os());
    }
    ottu_pos_lib::run();
    std::process::ExitCode::SUCCESS
}
