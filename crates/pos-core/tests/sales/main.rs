//! The sales engine against the real sandbox (`spawn_sandbox()`): one test binary.

mod helpers;

mod actions;
mod create;
mod history;
mod recovery;
mod tracker;
