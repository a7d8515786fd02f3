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
//! - `startup`: `Sandbox::start`, `SandboxHandle` (base URL, graceful shutdown), the accept loop;
//!   with `SandboxConfig::payer_listen`, a second listener serving only the payer's pages
//!   (`routes::payer_router`) on a local-network address, so a phone can open and pay a demo
//!   link while the API, control routes and docs stay on loopback.
//! - `config`: `SandboxConfig`, the TOML merchant (`MerchantConfig`), its gateways
//!   (`GatewayConfig`: currencies, plugins, fee) and the built-in demo.
//! - `model`: the typed model of what is stored and served: `Txn` (ids, `State`, times), the
//!   `Checkout` the merchant asked for (`model/checkout.rs`: every echoed field, nested objects,
//!   `Amount`, `Currency`), an invoice's items and Ottu's totals rule (`model/invoice.rs`),
//!   the payer's last `Attempt`, the `Links` asked for, `Operation` and
//!   its state machine, and the enums of Ottu's wire names. No HTTP, no SQL.
//! - `routes`: `checkout` (Ottu's checkout paths), `reports` (the Reports API), `pbl` (operations, payment methods, cash,
//!   inquiry), `invoice` (the Invoice API), `hosted` (payer routes: checkout page, short
//!   links, QR PNG, media, invoice PDF; its HTML in
//!   `hosted/page.rs`), `control` (`/_sandbox/`), `docs` (index page and OpenAPI document).
//! - `payments`: what the endpoints do (create, update, payer actions, operations).
//! - `validation/`: the create/update schema with DRF-style error collection, working on the
//!   request's JSON object and building the `Checkout` once: `fields` (primitives), `scalars`,
//!   `objects` (nested objects), `cross` (rules across fields), `dates`, `invoice` (the
//!   Invoice API's fields and totals around the checkout half).
//! - `invoice_pdf`: the invoice PDF (`pdf-writer`).
//! - `render`: the model rendered into Ottu's shapes, once: checkout object, payment methods,
//!   SDK payload, webhook payload and its signature (`SIGNED_KEYS`), the payer's redirect URL.
//! - `store`: all SQL; group-commit writer thread and read pool (SQLite, WAL). A transaction's
//!   checkout and outputs are (de)serialised from typed structs into two JSON columns.
//! - `auth`: `Api-Key` and `Basic` authentication, the permission matrix.
//! - `error`: `ApiError`, DRF-shaped error bodies. `payload`: JSON/form/multipart bodies.
//! - `cash`: the cash acknowledgement. `reports`: the Reports API's daily CSV files, their
//!   schedule and download tokens.
//! - `webhook`: delivery with timeout-only retries and a log. `faults`: create fault injection
//!   (one armed fault, or a seeded random mode; counters). `late_commit`: creates stored only
//!   later on the movable clock (the `late_commit` fault), their middleware and ticker.
//!   `throttle`: Ottu's request limits (inquiry throttle, per-user limit) on the movable clock.
//! - `money`: currencies (ISO 4217 decimals), the API's number syntax, `Amount` on
//!   `rust_decimal`. `clock`, `duration`, `ids`, `password` (Django PBKDF2 hashes on the
//!   `pbkdf2` and `subtle` crates): small domain pieces.
//! - `test_support` (feature `test-support`): `spawn_sandbox()`.
//!
//! The sandbox shares no wire structs with the `ottu-checkout` client: both sides are written
//! from Ottu's documentation, so the contract tests (client against sandbox) catch drift.
//!
//! # Hand-written on purpose
//!
//! Libraries do the solved problems (`rust_decimal`, `url`, `pbkdf2`, `subtle`, `hmac`,
//! `serde_urlencoded`, `time`). What stays hand-written is the sandbox's behaviour itself:
//! - `money::parse_number`: which strings the API takes as numbers. `rust_decimal`'s parser is
//!   wider (`1_000`, rounding past 28 digits) and the error texts count digits and decimals.
//! - `money`'s currency table: the currencies this server accepts, kept apart from the
//!   client's on purpose (see the table's comment).
//! - `validation`: DRF's coercions and messages (`"Not a valid string."`, nested error
//!   objects); `is_email` and `is_url` are the sandbox's pragmatic checks (http and https only),
//!   which no URL or e-mail library reproduces with the same verdicts.
//! - `duration`: Django's `[DD] [HH:[MM:]]ss[.uuuuuu]` duration format.
//! - `render::sign` and `webhook::sign_extended`: Ottu's message layouts around `hmac`.
//! - `routes::hosted::page::escape`: five HTML characters.
//!
//! # What is emulated
//!
//! | Endpoint or state | Status |
//! |---|---|
//! | `POST /b/checkout/v1/pymt-txn/` (JSON, form-urlencoded, multipart with `attachment`) | emulated; 201 |
//! | `GET`/`PUT`/`PATCH /b/checkout/v1/pymt-txn/{session_id}[/]` | emulated, with and without the trailing slash |
//! | `POST /b/checkout/v1/upload-attachment/` | emulated (files kept in SQLite, served under `/media/`) |
//! | `POST /b/pbl/v2/operation/` `cancel`, `expire`, `delete` | emulated (state table of digest §15) |
//! | `POST /b/pbl/v2/operation/` `refund`, `capture`, `void` | emulated: child transactions (own `session_id`, `ChildPayment` states), full and partial amounts, per-gateway `operations`, `Tracking-Key` replays (kept in SQLite), `payment.<op>` permissions; 200 `ExternalOperation` (digest §15) |
//! | `POST /b/pbl/v2/payment-methods/` | emulated from the configured gateways; every filter validated and applied (`plugin`, `currencies`, `pg_names`, `type`, `operation`, `tokenizable`, `auto_debit`, `tags`, `payment_services`); `customer_id` accepted, `customer_payment_methods` always empty |
//! | `POST /b/pbl/v2/inquiry/` | simplified: answers from the stored record, no gateway query; throttled as documented (`throttle`) |
//! | `POST /b/invoice/v1/invoice/` (JSON, form, multipart) | emulated; 201 `InvoicePOSTResponse` (the checkout body plus the invoice's fields and `invoice_pdf_url`); items, discounts, taxes, shipping and the VAL CALC checks with Ottu's `ROUND_HALF_UP` rule (`model::invoice`); `Can add Invoice`; purchase gateways only |
//! | Invoice PDF (`invoice_pdf_url`, `GET /invoice/pdf/{session_id}`) | sandbox-made: a plain-text A4 PDF of the items and totals (`invoice_pdf`, on `pdf-writer`) |
//! | An invoice's payment: hosted page (with its items), retrieve by `session_id`, payer and control routes, webhooks, operations, inquiry | emulated: an invoice is a checkout transaction with an invoice attached (`Txn::invoice`) |
//! | Invoice notifications (e-mail, SMS to the customer), invoice listing/retrieval by `invoice_id`, units (`unit_code`) | absent (`notifications` is validated and echoed like a checkout's; nothing is sent) |
//! | `POST /b/pbl/v2/payment/cash/` and the deprecated `/b/pbl/v2/cash-payment/` | emulated, both paths alike (`cash`): `session_id`, a created transaction with a cash gateway becomes `cod`; 200 with the payment webhook body, webhook sent |
//! | `GET /b/api/v1/reports/files/` and `…/{token}/download/` | emulated (`reports`, `routes::reports`): daily CSV files made from the transactions, `created_after`/`created_before`/`interval`/`source`/`limit`/`offset`, `report.view_report`, tokens bound to the lister, 25 downloads an hour; XLSX files, other intervals and S3 redirects absent |
//! | `POST /b/pbl/v2/message-notification/`, cards, other native payments | absent (404) |
//! | `payment_instrument` (one-step checkout) | absent: 400 on the field |
//! | `sdk_setup_preload_payload` | simplified: the documented keys, no saved cards |
//! | Hosted checkout page, short link `/b/<code>`, QR PNG | emulated (test cards, see `routes::hosted`) |
//! | Payment webhook with `signature` (digest §13.2) | emulated: timeout, retries on timeout only, delivery log |
//! | Operation webhooks (§13.3) | emulated: the signed `ExternalOperation` body for each refund, capture, void and queued refund's outcome, same delivery, retries and log (`event: "operation"`) |
//! | Queued refunds (`refund_queued` → `refunded`/`refund_rejected`) | gateways with `queue_refunds`; the gateway's answer is `POST /_sandbox/children/{id}/settle` or `/reject` |
//! | States `created`, `pending`, `attempted`, `paid`, `failed`, `canceled`, `expired` | emulated |
//! | Late gateway success: `failed`/`expired` → `paid`, with the payment webhook (§7.2) | emulated: `POST /_sandbox/sessions/{id}/late_success` (Ottu's auto inquiry is not simulated on its own) |
//! | State `authorized` | emulated: a payment (or late success) on a gateway with `operation = "authorize"` (demo: `card-auth`) |
//! | State `cod` | emulated: made by the cash acknowledgement only |
//! | States `invalided`, parent `refunded` | absent (never produced) |
//! | `refunded_amount`, `voided_amount`, `transactions` in the inquiry answer and payment webhook | emulated from the children; the checkout object (GET) has none, as in Ottu's schema |
//! | Control routes locked to the sandbox's own loopback `Host`/`Origin` | sandbox only (403 otherwise) |
//! | Auth `Api-Key`, `Basic` with the permission matrix (§2.1) | emulated; `Bearer`/SSO and `Token` answer 401 |
//! | Inquiry throttle: 10 min grace, 1 call / 30 min, 3 in total, 30/min per merchant | emulated on the movable clock; 429 (`throttle`; off: `SandboxConfig::limits`, `--no-inquiry-throttle`) |
//! | Per-user limit, 90,000 requests a day (429) | emulated on Ottu's API paths with `Retry-After` (off: `--no-rate-limit`) |
//! | Report downloads, 25 an hour per user (429 with `Retry-After`) | emulated on the movable clock (off: `Limits::report_downloads`) |
//! | Limits on "utility endpoints" (10/min) | absent (Ottu names no utility endpoint) |
//! | 423 | absent |
//! | Report plants (control route `/_sandbox/faults/reports`): a transaction left out of the report files made afterwards, or another amount or state in them | sandbox only (`faults::ReportPlant`) |
//! | Create faults (control route `/_sandbox/faults`): `drop_after_commit`, `delay`, `status_500`, `status_503_after_commit`, `malformed_after_commit`, `late_commit` | sandbox only: one armed fault for the next `times` creates, or a seeded random mode drawing one (or none) per create; injected faults counted per kind |
//! | Late commit (`late_commit`): the create's answer is lost and it is stored `delay_ms` later on the movable clock | sandbox only: at most `faults::LATE_COMMIT_MAX_MS` (120 s) after the request, default 5 s; pending ones are in memory (lost on restart) |
//!
//! # Undocumented behaviours chosen here
//!
//! - Duplicate `order_no` on create: stored (`allow`, default) or 400
//!   `{"order_no": ["payment transaction with this order no already exists."]}` (`reject`).
//!   Switch: `SandboxConfig::duplicate_order_no`, `--duplicate-order-no`.
//! - Operations and inquiry by an `order_no` used more than once act on the newest transaction.
//! - 401 texts: DRF's (`Authentication credentials were not provided.`,
//!   `Invalid username/password.`); a wrong API key gives `Invalid API key.`
//! - Permission order: 401, then 403 when the user has no add permission at all, then 400 for
//!   field errors, then 403 for the plugin or a gateway (`Can use <name or pg_code>`).
//!   PATCH that changes `pg_codes` needs `Can use` for the new ones.
//! - `null` on an optional field unsets it; blank strings are accepted on optional fields;
//!   unknown and read-only keys are ignored.
//! - Amounts with trailing zeros beyond the currency's decimals are accepted (`1.2300` USD);
//!   other extra decimals are refused. Zero or negative amounts are refused except `0` for
//!   `save_card`, which requires it. At most 13 integer digits.
//! - `expiration_time` counts from creation (a PATCH moves the deadline relative to the
//!   creation time); at most 3650 days. Expiry applies lazily on every read and payer action
//!   against the movable clock (`POST /_sandbox/clock/advance`); it sends no webhook.
//! - Updates (PUT/PATCH) of a transaction that is no longer `created`/`pending`/`attempted`
//!   get 400 `{"detail": ...}`; changing `type` or `payment_type` is a 400 on that field.
//! - `qr_code_url`, `checkout_short_url` and `attachment_short_url`, once asked for, are
//!   returned by every later GET/PUT/PATCH too. `sdk_setup_preload_payload` only when asked in
//!   that request.
//! - A declined card and a payer's cancel give `attempted` (multi-attempt); the fail card gives
//!   `failed`. The hosted page redirects to `redirect_url` only after a 200 from the webhook or
//!   when no webhook is configured, as Ottu documents.
//! - Control payer routes answer after the webhook delivery has finished (deterministic tests).
//! - A late success counts as a new, successful attempt on the gateway last tried (or the
//!   `pg_code` given); `paid_at` is the moment of the late success. It is refused (409) for
//!   open transactions (pay them) and for `canceled` ones (final, digest §7.1).
//! - Gateway `fee` is a flat amount in the transaction currency; a fee with more decimals than
//!   the currency has is cut down to the currency's unit.
//! - The hosted page's redirect adds `order_no`, `reference_number`, `session_id` and the
//!   `extra` keys to `redirect_url`'s query (URL standard: before any `#fragment`); a
//!   `redirect_url` that is no URL by that standard is treated as absent.
//! - `loyalty: null` is stored and echoed as `null`; a PATCH with `null` on another optional
//!   field (`payment_type`, `language` and `expiration_time` included) removes it from later
//!   bodies (`payment_type` then reads as `one_off`, `language` as `en`, the deadline stays).
//! - Payment-methods filters: `tokenizable` and `auto_debit` keep the gateways whose
//!   tokenization equals the value (`false` keeps the non-tokenizing ones); `tags`,
//!   `currencies`, `pg_names` and `payment_services` keep gateways matching any item, and an
//!   empty list filters nothing; sandbox gateways have no payment services, so a non-empty
//!   `payment_services` lists none. A gateway's `operation` and `tags` come from its config
//!   (`purchase`, `["demo", "test"]` by default; the demo KNET is tagged `pos`). Invalid
//!   items give flat lists (`{"tags": ["\"x\" is not a valid choice."]}`), all fields in one
//!   400.
//! - Inquiry throttle (`throttle`; Ottu documents the rule, not the answer): a throttled call
//!   is 429 `{"detail": "Request was throttled. Expected available in N seconds."}` (DRF's
//!   text) with `Retry-After: N`; once a transaction's 3 calls are used, 429
//!   `{"detail": "Request was throttled. This payment transaction has used all of its status
//!   inquiries."}` without `Retry-After`. Only answered calls count towards the 3 and start the
//!   30 minutes; the 3 are for the transaction's whole life (Ottu's spec says "overall time
//!   frame", its guide "in a single day": the spec is followed). The throttle applies whatever
//!   the state (also `paid`). Order: 400 (validation), 403 (permission), 429 (30 a minute per
//!   merchant; every such request counts, 404s and throttled ones too), 404, 429 (the
//!   transaction's rule). The sandbox is one merchant, so "per merchant" is per sandbox.
//!   Because the real status and body are undocumented, the `ottu-checkout` client reads a
//!   429, or a 400/200 whose `detail` says "throttled", as `Error::Throttled` (wait from
//!   `Retry-After` or from DRF's text).
//! - Per-user limit: a sliding 24 h window on the sandbox clock per API key (each key is a
//!   user) or Basic username, over `/b/checkout/...` and `/b/pbl/...` only; requests failing
//!   authentication are not counted; a refusal comes before permission and field checks.
//!   `Retry-After` is when the oldest counted request leaves the window.
//! - Operations (all six) by an `order_no` that matches no visible
//!   transaction (never created, hard-deleted, soft-deleted, or a late commit not yet due) are
//!   404 `{"detail": "Not found."}`, DRF's 404 (Ottu documents no answer for it); so is the
//!   same by `session_id`. `cancel` of a `paid`, `canceled`, `expired` or `failed` transaction
//!   is 400 `{"detail": "A payment transaction in the <state> state cannot be canceled.",
//!   "operation": "cancel", "result": "failed"}` (the shape of digest §15's wrong-state 400).
//! - Inquiry of a transaction still `created` (after the 10-minute grace when the throttle is
//!   on) is 200 with the webhook-shaped body like any other state: `state: "created"`,
//!   `result: "pending"`, its `session_id` and `order_no`, `paid_amount` zero, signed. Ottu
//!   queries no gateway for `created`, so its own record is the answer.
//! - Late commits (`late_commit` fault, sandbox only): the create is validated and
//!   authorised as usual, its connection is closed without an answer, and it is stored
//!   `delay_ms` later on the sandbox clock with the request's `order_no`, amount and fields
//!   (an invoice with its items, its `invoice_number` still unique then)
//!   and `created_at` = the due time (the deadline counts from there). A late commit always
//!   lands within `faults::LATE_COMMIT_MAX_MS` (120 s) of its request on the sandbox clock, so
//!   a client that waits longer than that before concluding "never created" is right. Due
//!   ones are stored before any request is served, by a ticker every 100 ms, and by `POST
//!   /_sandbox/clock/advance` before it answers. Until then nothing finds the `order_no`. In
//!   `reject` mode a late commit whose `order_no` was taken meanwhile is dropped. Pending late
//!   commits live in memory only: a restart loses them (as if the request never arrived);
//!   `POST /_sandbox/reset` drops them, `DELETE /_sandbox/faults` does not.
//! - Cash acknowledgement (`cash`; Ottu documents the request and the answer's shape only):
//!   the transaction must offer a cash gateway (one whose `pg` family is `cod`, Ottu's code
//!   for "Cash"; the demo's `cash`), which becomes its settled gateway (`gateway_account`);
//!   `created`, `pending` and `attempted` become `cod` ("cash on delivery acknowledged"),
//!   every other state, `cod` included, is refused with 400 `{"detail", "result": "failed"}`
//!   (state table: `model::State::acknowledge_cash`); `paid_at` stays empty (`cod` is not
//!   `paid`). Permission order: 401, 403 without any `Can change` permission, 400 on
//!   `session_id` (required, at most 128 characters, and an unknown one is
//!   `{"session_id": ["Payment transaction with this session_id does not exist."]}`), 403
//!   without `Can change` on its plugin or `Can use` of its cash gateway. The payment webhook
//!   is sent as after a payment. The deprecated `cash-payment/` path behaves the same.
//! - Reports API (`reports`): one `daily` file per UTC day of the transactions created that
//!   day, made the first time reports are listed after the day ended on the sandbox clock and
//!   dated 00:00 UTC the next day (source `auto`); `POST /_sandbox/reports/generate` makes one
//!   now (source `manual`). Files are frozen when made. CSV columns (Ottu documents none):
//!   `order_no, session_id, reference_number, type, amount, currency_code, state, pg_code,
//!   created_at, paid_at` (`reports::CSV_COLUMNS`; amounts without fees, times
//!   `YYYY-MM-DD HH:MM:SS` UTC, blanks for none). `download_action` is `{"method", "url"}` as
//!   Ottu's description shows (its schema says string). Default page size 100 (at most 1000).
//!   Tokens are UUIDs valid 1 hour, bound to the listing user (API key or Basic user); a
//!   malformed one 400 `{"detail": "Invalid token."}`, unknown or expired 410, another
//!   user's 403. 25 downloads an hour per user, counted before the token is checked: 429 with
//!   DRF's throttle text and `Retry-After`. Listing and downloading need `report.view_report`
//!   (API keys hold it).
//! - Each transaction's answered inquiries are stored in SQLite (a restart keeps them); the
//!   per-minute and per-user windows are in memory (a restart forgets them). `POST
//!   /_sandbox/reset` forgets all.
//! - External operations (digest §15). Refund: a `paid` parent up to its amount, or an
//!   `authorized` one up to what was captured; refunds done or queued count against it;
//!   without `amount`, what is left. Capture: `authorized`, up to the amount less earlier
//!   captures; without `amount`, the rest. Void: `authorized`, always the full amount (an
//!   `amount` is ignored), never after a capture or another void. The parent's `state` never
//!   changes (operation-events.md: children do not alter the primary transaction), so a fully
//!   refunded transaction stays `paid`; what is left is `refundable_amount` on `GET
//!   /_sandbox/sessions/{id}` (with `children`), or the inquiry's `refunded_amount` and
//!   `transactions`. Amounts are the transaction's amount without the gateway fee, in its
//!   currency's decimals (more decimals: 400 on `amount`; zero or negative: 400). Refusals are
//!   400 `{"detail", "operation", "result": "failed"}`: wrong state ("A payment transaction in
//!   the paid state cannot be captured."), "The refund operation is not supported by the payment
//!   gateway knet." (the gateway that settled the payment lacks it in its `operations`), "The
//!   amount exceeds the remaining refundable amount of 7.000 KWD.", "An authorization cannot be
//!   voided after a capture.", "The authorization has been voided; ...". Order: 400
//!   (fields), 403 (`payment.<op>`), 404, `Tracking-Key`, the rules above. Failed operations
//!   store nothing.
//! - Gateways' `operations` default to `["refund"]` (`purchase`) or `["refund", "capture",
//!   "void"]` (`authorize`); refunds are real time unless the gateway has `queue_refunds`
//!   (child `refund_queued`, `result: "queued"`, `success: false`; queued amounts stay reserved
//!   until rejected).
//! - `Tracking-Key` (≤ 255 characters, trimmed; blank = none): unique per sandbox. The same key
//!   on the same transaction with the same operation and the same `amount` as sent (absent
//!   counts as its own value) answers 200 with the original child as it is now (its latest
//!   state and `result`; `timestamp_utc` of its last change), never a second operation. The
//!   key with another transaction, operation or amount is 409 `{"detail", "operation",
//!   "result": "failed"}` (the status of Ottu's wallet-refund idempotency conflict). Keys are
//!   stored with the child in SQLite (a restart keeps them; `POST /_sandbox/reset` forgets
//!   them). Internal operations ignore the header.
//! - The external-operation body: `session_id` and `order_no` (`""` when none) are the
//!   parent's; `reference_number`, `amount` and `txn` the child's; `source: "input"`;
//!   `initiator` for Basic users; `pg_response`/`pg_params` are small sandbox objects. Its
//!   `signature` (answer and operation webhook alike) is the standard one of §13.2 over the
//!   body's top-level keys, of which `amount`, `order_no`, `reference_number` and `result` are
//!   among the 18 signed ones, so the payment-webhook verifier checks it. Operation webhooks go
//!   to the transaction's `webhook_url` (or the merchant default), without waiting for the
//!   answer of the API call; the delivery log records `event: "operation"`, the parent's
//!   `session_id` and the child's `state`.
//! - Control routes (`/_sandbox/*`) answer 403 `{"detail"}` unless `Host` is
//!   `127.0.0.1:<port>`, `localhost:<port>` or `[::1]:<port>` (the listening port) and
//!   `Origin`, when sent, is `http://` plus one of those. `POST /_sandbox/clock/advance` takes
//!   at most 31 days per call (400 on `seconds`; longer moves are several calls) and never
//!   moves the clock past the year 9999 (checked, 400).
//! - Invoices (`POST /b/invoice/v1/invoice/`; Ottu documents the fields, the rounding and the
//!   permissions, not these):
//!   - Order of answers: 401, 403 without a plugin add permission or without `Can add
//!     Invoice`, 400 for fields (invoice and checkout fields in one body), 403 for the plugin
//!     or a gateway (`Can use`), then 400 on a duplicate `invoice_number`.
//!   - Number syntax as for `amount`; money fields (`unit_price`, `discount_amount`,
//!     `shipping_excl_tax`, VAL CALC fields) in the currency's decimals (trailing zeros
//!     accepted), at most 13 integer digits, not negative; rates and percentages 0 to 100 with
//!     at most 2 decimals; `quantity` above 0 with at most 3 decimals and 6 integer digits.
//!     Items: 1 to 500. `sku` and `description` up to 255 characters, not blank.
//!   - Both `discount_percentage` and `discount_amount` on an item or the invoice:
//!     `{"non_field_errors": ["Only one of discount_percentage and discount_amount can be set."]}`
//!     at that level. A discount above the value it applies to (the item's `quantity ×
//!     unit_price`, the invoice's `subtotal`) is refused on the discount field: the documented
//!     algorithm applies discounts before tax, so the bound is the pre-tax value.
//!   - A VAL CALC field that differs from the computed value: 400 on that field
//!     (`"The calculated value is 5.815, not 5.814."`), items nested per index as DRF's list
//!     serializer does (`{"invoice_items": [{}, {"total_incl_tax": [...]}]}`). `amount`, when
//!     sent, is checked against `total_incl_tax`; otherwise it is the computed total. A zero
//!     total is refused on `amount` as for a checkout.
//!   - `invoice_number` is unique per sandbox (400 `{"invoice_number": ["invoice with this
//!     invoice number already exists."]}`, DRF's unique text), checked in the insert's write.
//!     `invoice_id` and item `id`s are sandbox-wide sequences from 1.
//!   - Decimals in the answer are strings (Ottu's schema says `string`/`decimal`; the guide's
//!     example shows numbers): money in the currency's decimals, rates with 2, quantities with
//!     3. `discount_amount` is returned computed when a percentage was sent. Items carry `id`,
//!     `invoice` (the `invoice_id`) and `currency_code`.
//!   - `status`: `paid` once the transaction is `paid` or `authorized`, `canceled` when
//!     canceled, `overdue` when unpaid after `due_date` (sandbox clock, UTC), else `sent`.
//!   - Gateways set up for `authorize` are refused on `pg_codes` ("The Invoice API supports
//!     purchase gateways only; <code> is set up for authorize.").
//!   - PUT/PATCH of an invoice's transaction on the checkout path: 400 `{"detail": "Invoices
//!     cannot be changed. Create a new invoice instead."}` (after the permission check);
//!     other methods on the invoice path are 405. GET on the checkout path answers the
//!     checkout shape (without the invoice's fields).
//!   - `invoice_pdf_url` is `<base>/invoice/pdf/<session_id>` (the session id is the bearer,
//!     as for the checkout page); 404 for transactions that are no invoice. Create faults
//!     (`/_sandbox/faults`) do not apply to invoice creates.
//! - `/media/` files are always served as downloads: `Content-Disposition: attachment;
//!   filename="<stored name>"`, `X-Content-Type-Options: nosniff` and `Content-Security-Policy:
//!   default-src 'none'; sandbox`, whatever type the uploader claimed.
//!
//! # Durability and concurrency
//!
//! SQLite in WAL mode; a create's 201 is sent only after its transaction is committed. Writes
//! go through one writer thread that commits whatever is queued together (group commit), so
//! concurrent creates share one commit. `Durability::Normal` (default, `synchronous=NORMAL`)
//! means the commit is in the WAL before the answer: a crash or `kill -9` of the sandbox loses
//! nothing, an OS crash or power cut may lose the last commits. `Durability::Full`
//! (`--durability full`, `synchronous=FULL`) fsyncs every commit first and survives power
//! loss; on this machine's disk (about 9 ms per fsync) that caps a commit at about 100/s, so
//! each group commit carries up to one create per connection. Normal is the default because
//! sandbox data is test data and tests should not wait on the disk. Reads use a small pool of
//! read-only connections. SQLite never runs on the async runtime's threads.
//!
//! # Not done on purpose
//!
//! No TLS (loopback only), no real gateway, no notifications sent to customers.

pub mod auth;
pub mod cash;
pub mod clock;
pub mod config;
pub mod duration;
pub mod error;
pub mod faults;
pub mod ids;
pub mod invoice_pdf;
pub mod late_commit;
pub mod model;
pub mod money;
pub mod password;
pub mod payload;
pub mod payments;
pub mod render;
pub mod reports;
pub mod routes;
pub mod startup;
pub mod state;
pub mod store;
#[cfg(feature = "test-support")]
pub mod test_support;
pub mod throttle;
pub mod validation;
pub mod webhook;

pub use config::{DuplicateOrderNo, Durability, MerchantConfig, SandboxConfig, WebhookSettings};
pub use startup::{Sandbox, SandboxHandle, StartError};
pub use throttle::{InquiryThrottle, Limits, RateLimit};

#[cfg(feature = "test-support")]
pub use test_support::{TestSandbox, spawn_sandbox, spawn_sandbox_with};
