//! pos-core: everything Ottu POS does, without a window.
//!
//! The desktop shell and the CLI call into this crate; it talks to Ottu (or the embedded sandbox)
//! through `ottu-checkout`, keeps the sales history in SQLite, renders QR codes and builds share
//! links. It has no Tauri dependency, so all of it is tested headless against the real sandbox.
//!
//! # Layout
//!
//! - [`dto`]: the types the UI sees (`Sale`, `SaleDraft`, `History`, ...), JSON `snake_case`.
//! - [`error`]: [`Error`] with stable `code()`s and per-field messages.
//! - [`store`]: the SQLite history file, which is also the ledger of the create flow.
//! - [`history`]: history filters, today's totals per currency, CSV export.
//! - [`sales`]: the [`Sales`] engine: drafts, the create flow, recovery, tracking, actions.
//! - [`qr`]: QR codes rendered locally (SVG for the UI, PNG, terminal).
//! - [`share`]: WhatsApp / SMS / email links with a message in English or Arabic.
//!
//! # What it deliberately does not do
//!
//! It does not download Ottu's `qr_code_url` (the QR is drawn locally from the link), and it never
//! retries a payment-link creation on its own when the outcome is unknown.

pub mod dto;
pub mod error;
pub mod history;
pub mod qr;
pub mod sales;
pub mod share;
pub mod store;

pub use error::{Error, Result};
pub use sales::{OrderLookup, Sales, SalesOptions};
