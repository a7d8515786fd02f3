//! ottu-sandbox: a stateful, local implementation of Ottu's Checkout API. It is the desktop
//! app's embedded default (demo mode, staff training: no credentials, no network) and the
//! server every test talks to. Point any Ottu client at its base URL.
//!
//! ```no_run
//! # async fn demo() -> Result<(), ottu_sandbox::StartError> {
//! let handle = ottu_sandbox::Sandbox::start(ottu_sandbox::SandboxConfig::demo("/tmp/demo")).await?;
//! println!("Checkout API at {}", handle.base_url());
//! handle.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! # Layout
//! - `startup`: `Sandbox::start`, `SandboxHandle` (base URL, graceful shutdown), the accept loop.
//! - `config`: `SandboxConfig`, the TOML merchant (`MerchantConfig`) and the built-in demo.
//! - `routes`: `checkout` (Ottu's checkout paths), `pbl` (operations, payment methods,
//!   inquiry), `hosted` (checkout page, short links, QR PNG, media), `control` (`/_sandbox/`),
//!   `docs` (index page and OpenAPI document).
//! - `payments`: what the endpoints do (create, update, payer actions, operations).
//! - `validation`: the create/update schema, DRF-style error collection.
//! - `render`: response bodies, webhook payload and signature.
//! - `store`: all SQL; group-commit writer thread and read pool (SQLite, WAL).
//! - `auth`: `Api-Key` and `Basic` authentication, the permission matrix.
//! - `error`: `ApiError`, DRF-shaped error bodies. `payload`: JSON/form/multipart bodies.
//! - `webhook`: delivery with timeout-only retries and a log. `faults`: create fault injection.
//! - `clock`, `duration`, `money`, `ids`, `password`, `model`: small domain pieces.
//! - `test_support` (feature `test-support`): `spawn_sandbox()`.

pub mod auth;
pub mod clock;
pub mod config;
pub mod duration;
pub mod error;
pub mod faults;
pub mod ids;
pub mod model;
pub mod money;
pub mod password;
pub mod payload;
pub mod payments;
pub mod render;
pub mod routes;
pub mod startup;
pub mod state;
pub mod store;
#[cfg(feature = "test-support")]
pub mod test_support;
pub mod validation;
pub mod webhook;

pub use config::{DuplicateOrderNo, MerchantConfig, SandboxConfig, WebhookSettings};
pub use startup::{Sandbox, SandboxHandle, StartError};

#[cfg(feature = "test-support")]
pub use test_support::{TestSandbox, spawn_sandbox, spawn_sandbox_with};
