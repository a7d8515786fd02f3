//! pos-core: everything Ottu POS does, without a window.
//!
//! The desktop shell and the CLI call into this crate; it talks to Ottu (or the embedded sandbox)
//! through `ottu-checkout`, keeps the sales history in SQLite, renders QR codes and builds share
//! links. It has no Tauri dependency, so all of it is tested headless against the real sandbox.
//!
//! # Layout
//!
//! - [`dto`]: the types the UI sees (`Sale`, `SaleDraft`, `History`, ...), JSON `snake_case`.
//! - [`error`]: [`Error`] with stable `code()`s and per-field problems.
//! - [`problem`]: [`Problem`], every error and field error as a [`ProblemCode`] with parameters
//!   (the UI translates the code; the English message is for the CLI and logs).
//! - [`store`]: the SQLite history file, which is also the ledger of the create flow.
//! - [`catalog`]: the shop's items (names in English and Arabic, price, SKU/barcode, VAT), search,
//!   barcode lookup, CSV import and export.
//! - [`cart`]: cart arithmetic (lines, discounts, VAT) computed as Ottu computes invoices.
//! - [`zatca`]: the Saudi simplified-tax-invoice QR payload.
//! - [`print`]: the papers the shell prints on (80 mm roll, A4).
//! - [`receipt`]: a paid sale's receipt (lines, discounts, VAT, refunds, the Saudi QR).
//! - [`history`]: history filters, today's totals per currency, CSV export (`csv` crate).
//! - [`clock`]: dates and times (`time`), the local zone read soundly in any thread (`tz-rs`),
//!   the stored time format.
//! - [`sales`]: the [`Sales`] engine: drafts, the create flow, recovery, tracking, actions.
//! - [`shifts`]: shifts, the drawer's float, cash in and out, cash sales and their change.
//! - [`reports`]: a shift's X and Z reports (a pure computation) and their CSV.
//! - [`bills`]: split bills, paid in cash and Ottu link parts with a running remainder (one live
//!   link part at a time).
//! - [`reconcile`]: the till's sales against Ottu's report files (a pure computation; the
//!   fetching, within Ottu's download limit, is `till/reconcile.rs`); cash sales recorded at
//!   Ottu and the till id of order numbers are `till/cash_ottu.rs`.
//! - [`dashboard`]: today's totals, sales by hour and method, this week against last (pure).
//! - [`qr`]: QR codes rendered locally (SVG for the UI, PNG, terminal).
//! - [`share`]: WhatsApp / SMS / email links with a message in English or Arabic
//!   (`percent-encoding`).
//! - [`connection`]: "test connection" (bad host, credentials, permission, network).
//! - [`demo`]: the embedded `ottu-sandbox` of demo mode, shared across processes.
//! - [`gateways`]: the pg_code choices per profile and currency, cached.
//! - [`profiles`]: the demo profile and merchant profiles (host, auth, defaults).
//! - [`secrets`]: API keys and passwords in the OS keychain (`SecretStore`).
//! - [`settings`]: app preferences and `config.toml` (settings + profiles, atomic writes).
//! - [`till`]: [`Till`], the facade the desktop shell and the CLI use: one method per command;
//!   its submodules hold settings and the app's folders (`dirs`), profiles and connections
//!   (keychain included), shifts and cash, split bills, and the sales engine's lifecycle.
//! - [`updates`]: where self-updates come from, who may install one and when (the shell
//!   downloads, checks the signature and installs).
//! - [`diagnostics`]: the redacted "Save diagnostics" zip.
//! - [`ipc`]: the list of IPC commands ([`ipc_commands!`]) the shell registers and the UI's
//!   command wrappers are generated from.
//! - [`cli`]: the `ottu-pos` command line (`ottu-pos-cli` binary).
//!
//! Solved problems come from libraries (`csv`, `percent-encoding`, `url`, `dirs`, `time`,
//! `tz-rs`; money and ISO 4217 from `ottu-checkout`). What is written here is what no library
//! knows: the sales ledger, Ottu's rules, the share messages, the formula guard on CSV cells.
//!
//! # Ledger and recovery: no duplicates, nothing lost
//!
//! Ottu's create call has no idempotency key, so the engine treats the local history as a ledger
//! and the merchant reference `order_no` as the sale's identity on the server:
//!
//! 1. **Write first.** A sale is inserted as `sending`, with its `order_no` (typed, or generated
//!    `POS-YYYYMMDD-XXXXXX`, unique per profile) and the full request body, in SQLite with
//!    `synchronous=FULL`, *before* the request leaves. A crash at any later point leaves a row.
//! 2. **Classify the answer.** `201` → the server's `session_id`, links and state are stored. A
//!    definite refusal (`400` validation, `401`, `403`, ...) → `rejected`, with the server's field
//!    errors mapped to draft fields. *Connection refused* → nothing reached the server →
//!    `rejected` with a plain "nothing was created" problem and a `network` error; retrying is
//!    safe. Anything that may have been applied (timeout, connection lost after sending, `5xx`,
//!    an unreadable `2xx` body) → `unknown` and an `ambiguous` error. The engine **never sends a
//!    create again by itself**.
//! 3. **Settle by `order_no`, under Ottu's rules** (`sales::settle`; the timeline is in
//!    `docs/architecture.md`, "Settling a lost create"). Ottu's status query is refused for the
//!    first 10 minutes of a transaction, so an `unknown` sale is settled by *cancelling* its
//!    order number, which Ottu answers at once: cancelled → the sale is `canceled` and no link of
//!    it can be paid; not found → no proof while a late commit is possible, so the engine keeps
//!    cancelling by the order number until a 10-minute horizon, then marks it `rejected`;
//!    refused → a transaction exists that may be paid, and the status query decides once Ottu
//!    allows it. A transaction found whose amount or currency differs from the sale is flagged,
//!    never adopted. Rows left `sending` by a process that died are settled once its claim lapses.
//! 4. **Replace, never resend blind.** [`Sales::replace`] ("Make a new link") makes a fresh sale
//!    with a new order number once no link of the old one can be paid; [`Sales::retry`] resends
//!    the *stored* request (same `order_no`) only for `rejected` sales.
//! 5. **Many processes, one file.** Every write is a compare-and-set on the row's `version`, and
//!    each request about a sale is sent under a claim stored on the row (`store::Claim`), so the
//!    app, CLI processes and rebuilt engines never settle a sale another is sending or settling.
//! 6. **Late payments.** `failed` and `expired` sales are re-checked for a late gateway success
//!    for 24 hours with backoff ([`Sales::check`] does it at once), within a daily request budget
//!    (`sales::schedule`).
//!
//! The sales tests prove each case against the sandbox's faults (`drop_after_commit`,
//! `status_503_after_commit`, `malformed_after_commit`, `status_500`, `delay` past the client
//! timeout, `late_commit`), a refused connection, a process cut off mid-request, two engines on
//! one file, a history that cannot be written after a `201`, and a sandbox restart, with the
//! status query's throttle on and the engine's clock following the sandbox's. The chaos test (`tests/chaos`) runs them all
//! at once, with SIGKILLed CLI processes on one history file and a driven clock, and checks
//! the whole server against the history.
//!
//! # What it deliberately does not do
//!
//! It does not download Ottu's `qr_code_url` (the QR is drawn locally from the link), and it never
//! retries a payment-link creation on its own when the outcome is unknown.

pub mod bills;
pub mod cart;
pub mod catalog;
pub mod cli;
pub mod clock;
pub mod connection;
pub mod dashboard;
pub mod demo;
pub mod diagnostics;
pub mod dto;
pub mod error;
pub mod gateways;
pub mod history;
pub mod ipc;
pub mod print;
pub mod problem;
pub mod profiles;
pub mod qr;
pub mod receipt;
pub mod reconcile;
pub mod reports;
pub mod sales;
pub mod secrets;
pub mod settings;
pub mod share;
pub mod shifts;
pub mod staff;
pub mod store;
pub mod till;
pub mod updates;
pub mod zatca;

pub use error::{Error, Result};
pub use problem::{Problem, ProblemCode};
pub use sales::{OrderLookup, Sales, SalesOptions};
pub use till::{Till, TillDirs, TillOptions};
