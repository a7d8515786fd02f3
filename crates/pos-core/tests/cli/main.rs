//! CLI tests: the built `ottu-pos-cli` binary, each test with its own config and data dirs, on
//! the embedded demo sandbox (which keeps its state across invocations).

mod dashboard;
mod dirs_and_zone;
mod helpers;
mod history;
mod reconcile;
mod request;
mod settle;
mod shifts;
mod staff;
mod status;
