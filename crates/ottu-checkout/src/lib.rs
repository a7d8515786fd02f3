//! Typed async client for Ottu's Checkout API.
//!
//! One [`Client`] per merchant: a base URL (`https://<merchant>.ottu.net`,
//! `https://sandbox.ottu.net`, or a local sandbox on `http://127.0.0.1:<port>`) and credentials
//! (`Api-Key`, Basic or Bearer). It creates payment links, reads and edits them, cancels or
//! expires them, lists the gateways, uploads attachments, acknowledges cash payments, lists and
//! downloads report files (and reads them tolerantly), and verifies webhook signatures.
//! Money is always a decimal string with the currency's own decimals ([`Amount`]); nothing here
//! uses floats.
//!
//! Section references such as "CHECKOUT_API.md §6" point to the team's Checkout API notes
//! (`shared/ottu-api/CHECKOUT_API.md`), which cite Ottu's published documentation and OpenAPI.
//!
//! # Quick start
//!
//! ```no_run
//! use ottu_checkout::checkout::{CheckoutType, CreateCheckoutSession};
//! use ottu_checkout::{Amount, Client, CurrencyCode, Error, OrderNo, PgCode};
//!
//! # async fn run() -> Result<(), Error> {
//! let client = Client::builder()
//!     .base_url("https://merchant.ottu.net")
//!     .api_key("abcd1234.0123456789abcdef0123456789abcdef")
//!     .build()?;
//!
//! let kwd = CurrencyCode::KWD;
//! let mut request = CreateCheckoutSession::new(
//!     CheckoutType::PaymentRequest,
//!     Amount::parse("12.5", &kwd).expect("a valid amount"), // sent as "12.500"
//!     kwd,
//!     vec![PgCode::parse("knet").expect("a valid pg_code")],
//! );
//! request.order_no = Some(OrderNo::parse("POS-0001").expect("a valid order_no"));
//! request.generate_qr_code = true;
//! request.shortify_checkout_url = true;
//!
//! match client.checkout().create(&request).await {
//!     Ok(session) => println!("share {}", session.share_url().unwrap_or_default()),
//!     // The answer was lost: the link may exist. Reconcile by order_no, don't create again.
//!     Err(Error::Ambiguous { order_no, .. }) => eprintln!("check order {order_no:?}"),
//!     Err(other) => return Err(other),
//! }
//! # Ok(()) }
//! ```
//!
//! # Layout
//!
//! - [`client`]: [`Client`], [`ClientBuilder`], [`Auth`], [`Secret`]; the HTTP plumbing.
//! - [`checkout`]: `/b/checkout/v1/pymt-txn/`: create, retrieve, replace (PUT), update (PATCH),
//!   request bodies, [`CheckoutSession`](checkout::CheckoutSession) and the nested types, local
//!   checks.
//! - [`operations`]: cancel and expire, refund, capture and void with `Tracking-Key`
//!   (`/b/pbl/v2/operation/`); [`ExternalOperation`](operations::ExternalOperation).
//! - [`payment_methods`]: the gateway list (`/b/pbl/v2/payment-methods/`).
//! - [`inquiry`]: payment status query by `session_id` or `order_no` (`/b/pbl/v2/inquiry/`),
//!   the way to reconcile an ambiguous create; [`PaymentStatus`](inquiry::PaymentStatus).
//! - [`invoice`]: the Invoice API (`/b/invoice/v1/invoice/`): [`invoice::CreateInvoice`],
//!   [`invoice::Invoice`], and Ottu's totals rule, pure, in [`invoice::totals`].
//! - [`attachment`]: file checks and `/b/checkout/v1/upload-attachment/`.
//! - [`cash`]: the cash acknowledgement (`/b/pbl/v2/payment/cash/`).
//! - [`reports`]: the Reports API (report files listed and downloaded) and
//!   [`reports::parse`], a tolerant reader of their CSV (per-row problems, not failures).
//! - [`ids`], [`money`]: [`SessionId`], [`PgCode`], [`OrderNo`], [`CurrencyCode`], [`Amount`].
//! - [`retry`]: the [`RetryPolicy`] for idempotent calls.
//! - [`error`]: the [`Error`] enum, [`ErrorBody`] and [`FieldErrors`].
//! - [`webhook`]: the webhook signature computation and verification.
//!
//! # Idempotency and retries
//!
//! - Retrieve (GET), replace (PUT), update (PATCH), the gateway list and cancel/expire are
//!   repeated on timeouts, transport errors, 5xx and 429 per the client's [`RetryPolicy`]
//!   (setting a field or reaching `canceled`/`expired` twice has the same effect as once).
//! - A `429` is a refusal before anything was done, so every call (create and inquiry too) is
//!   repeated after one within the [`RetryPolicy`], waiting for `Retry-After` when it is within
//!   the policy's `max_backoff` (inquiry: only when the 429 gives a wait); a longer wait comes
//!   back at once in the error ([`Error::retry_after`]).
//! - Otherwise create is **never** repeated by the client. When its outcome is unknown (timeout,
//!   connection lost after sending, 5xx, unreadable 2xx body) it fails with
//!   [`Error::Ambiguous`], carrying the `order_no` that was sent: the transaction may exist.
//!   Always set a unique `order_no` so such a sale can be found again.
//! - [`Error::is_retryable`] says whether repeating the same request may succeed;
//!   [`Error::may_have_been_applied`] whether the server may have acted on it.
//!
//! # Errors
//!
//! | Variant | When | Retryable | May have been applied |
//! |---|---|---|---|
//! | `Config` | bad base URL (plain `http://` to a non-loopback host…), credential unusable in a header | no | no |
//! | `Validation { status: None }` | a local check failed; nothing was sent | no | no |
//! | `Validation { status: Some(400) }` | the server refused the content (field errors and/or `detail`) | no | no |
//! | `Unauthorized` / `Forbidden` / `NotFound` | 401 / 403 / 404 | no | no |
//! | `UnsupportedMediaType` / `Locked` / `Api` | 415 / 423 / any other 4xx | no | no |
//! | `RateLimited` | 429, with `Retry-After` (or the wait in DRF's text) | yes | no |
//! | `Throttled { status }` | inquiry only: Ottu's inquiry throttle (429, or a 400/200 saying "throttled"), with the wait when given | later | no |
//! | `Server` | 5xx | yes | **yes** |
//! | `Timeout` | no full answer in time | yes | **yes** |
//! | `Transport { connect: true }` | could not connect | yes | no |
//! | `Transport { connect: false }` | connection lost after sending | yes | **yes** |
//! | `Decode` | the body did not fit (names the JSON path) | no | if the status was 2xx |
//! | `Ambiguous { order_no }` | create only: any of the "may have been applied" cases above | no | **yes** |
//!
//! Field errors keep the server's names and nesting (`notifications.sms`,
//! `billing_address.city`, `pg_codes.0`); see [`FieldErrors::flatten`] and
//! [`FieldErrors::messages`]. Credentials never appear in any error or `Debug` output.
//!
//! # Responses
//!
//! Output keys may be absent, `null` or `""` (all read as `None`/empty) and unknown keys are
//! ignored; server enums have an `Unknown` catch-all. A body that still does not fit gives
//! [`Error::Decode`] naming the JSON path.

#![deny(missing_docs)]

pub mod attachment;
pub mod cash;
pub mod checkout;
pub mod client;
mod de;
pub mod error;
pub mod ids;
pub mod inquiry;
pub mod invoice;
pub mod money;
pub mod operations;
pub mod payment_methods;
pub mod reports;
pub mod retry;
pub mod webhook;

pub use client::{Auth, Client, ClientBuilder, Secret};
pub use error::{Error, ErrorBody, FieldError, FieldErrors, Result};
pub use ids::{IdError, OrderNo, PgCode, SessionId};
pub use money::{Amount, AmountError, CurrencyCode, CurrencyError};
pub use retry::RetryPolicy;
