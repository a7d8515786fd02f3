//! `ottu-pos-cli`: the Ottu POS command line without the desktop window.
//!
//! Same commands, output and exit codes as `ottu-pos <subcommand>` (see `pos_core::cli`);
//! `ottu-pos-cli --help` lists them.

fn main() -> std::process::ExitCode {
    pos_core::cli::run(std::env::args_os())
}
