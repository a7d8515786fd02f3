//! The UI contract: scenarios run against a real [`Till`] in demo mode, recorded as transcripts
//! that the UI's test suite replays against its in-memory fake backend (`ui/src/lib/api/fake.ts`,
//! replayed by `ui/src/lib/api/contract.test.ts`). When the two disagree, one of the tests fails.
//!
//! Each scenario is a list of steps: an IPC command (named and with arguments as the Tauri shell
//! names them) or a payer action on the demo sandbox (`sandbox_open`, `sandbox_pay`,
//! `sandbox_decline`, `sandbox_fail`, which the fake plays with `simulate`). A step records either
//! `ok` (the command's JSON result) or `error` (its `code`, its `problem` code, the names of the
//! fields it marks and their problem codes;
//! messages are prose and not part of the contract).
//!
//! Values that differ from run to run are replaced by placeholders, the same way on both sides:
//!
//! - a sale's `id`, `session_id`, `short_url` and generated `order_no` (`POS-<TILL>-YYYYMMDD-XXXXXX`)
//!   become `<sale:N>`, `<session:N>`, `<link:N>`, `<order:N>` (numbered by first sight within
//!   the scenario, so equal values stay equal), wherever they occur in a string, percent-encoded
//!   or not; an operation's `reference_number` becomes `<ref:N>` the same way;
//! - the demo sandbox's address becomes `<demo>` in the same way;
//! - timestamps (`created_at`, `updated_at`, `paid_at`, `expires_at`) become `<now>` or
//!   `<now+Nm>`: whole minutes from the moment the step ran;
//! - `qr_svg` becomes `<svg>` (the fake draws a look-alike), `version` becomes `<version>`, and a
//!   connection check's `message` becomes `<text>` (its `kind` is the code).
//!
//! Arguments use the same placeholders (plus `<today>`, `<yesterday>` and `<tmp>`); each side
//! turns them back into its own values before calling. The transcripts live in
//! `ui/src/lib/api/contract/`; this test fails when one differs from what the till does now, or
//! is missing, or names no scenario. Rewrite them with
//!
//! ```text
//! UPDATE_CONTRACT=1 cargo test -p pos-core --test sales contract
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use pos_core::dto::{
    CartInput, CatalogItemInput, CatalogQuery, HistoryQuery, OperationInput, ProfileInput, Sale,
    SaleDraft, SaleEdit, SaleState, Settings, StaffInput,
};
use pos_core::secrets::MemorySecretStore;
use pos_core::{Till, TillDirs};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

use crate::helpers::PATIENCE;

/// The command that rewrites the transcripts, named in failure messages.
const REGENERATE: &str = "UPDATE_CONTRACT=1 cargo test -p pos-core --test sales contract";

/// Where the transcripts live, relative to the workspace root.
const TRANSCRIPTS: &str = "ui/src/lib/api/contract";

/// One step of a scenario: a command and its arguments (with placeholders).
struct Step {
    command: &'static str,
    args: Value,
}

fn step(command: &'static str, args: Value) -> Step {
    Step { command, args }
}

struct Scenario {
    name: &'static str,
    description: &'static str,
    steps: Vec<Step>,
}

/// A merchant host for profiles that are saved but never used.
const AL_NOOR: &str = "https://al-noor.ottu.net";
const AL_NOOR_CAFE: &str = "Al Noor Cafe";
const KEY: Option<&str> = Some("k");

fn merchant(name: &str, base_url: &str, secret: Option<&str>) -> Value {
    let mut input = json!({
        "name": name,
        "base_url": base_url,
        "auth": "api_key",
        "default_currency": "KWD",
        "default_pg_codes": ["knet"],
    });
    if let Some(secret) = secret {
        input["secret"] = json!(secret);
    }
    input
}

fn scenarios() -> Vec<Scenario> {
    vec![
        Scenario {
            name: "start_in_demo_mode",
            description: "First start: the demo profile, default settings, currencies; the demo \
                          starts on the first command that needs it; gateways per currency.",
            steps: vec![
                step("app_state", json!({})),
                step("gateways", json!({"currency": "KWD"})),
                step("gateways", json!({"currency": "SAR"})),
                step("gateways", json!({"currency": "usd"})),
                step("gateways", json!({"currency": "BHD"})),
                // Offered in the new-sale form, but the demo merchant has no gateway for it.
                step("gateways", json!({"currency": "IQD"})),
                step("gateways", json!({"currency": "XYZ"})),
                step("app_state", json!({})),
            ],
        },
        Scenario {
            name: "new_sale_field_errors",
            description: "Every kind of field error the new-sale form shows; nothing is recorded \
                          for a refused draft.",
            steps: vec![
                step(
                    "create_sale",
                    json!({"draft": {"amount": "", "currency_code": "KWD"}}),
                ),
                step(
                    "create_sale",
                    json!({"draft": {"amount": "0", "currency_code": "KWD"}}),
                ),
                step(
                    "create_sale",
                    json!({"draft": {"amount": "0.000", "currency_code": "KWD"}}),
                ),
                step(
                    "create_sale",
                    json!({"draft": {"amount": "1.2345", "currency_code": "KWD"}}),
                ),
                step(
                    "create_sale",
                    json!({"draft": {"amount": "1.234", "currency_code": "SAR"}}),
                ),
                step(
                    "create_sale",
                    json!({"draft": {"amount": "abc", "currency_code": "KWD"}}),
                ),
                step(
                    "create_sale",
                    json!({"draft": {"amount": "-5", "currency_code": "KWD"}}),
                ),
                step(
                    "create_sale",
                    json!({"draft": {"amount": "10000000000000", "currency_code": "KWD"}}),
                ),
                // No field to fix: the demo merchant has no gateway for IQD.
                step(
                    "create_sale",
                    json!({"draft": {"amount": "5", "currency_code": "IQD"}}),
                ),
                step(
                    "create_sale",
                    json!({"draft": {"amount": "5", "currency_code": "XX"}}),
                ),
                step(
                    "create_sale",
                    json!({"draft": {"amount": "5", "currency_code": "KWD",
                                     "customer_email": "not-an-email"}}),
                ),
                step(
                    "create_sale",
                    json!({"draft": {"amount": "5", "currency_code": "KWD",
                                     "customer_email": "name@example"}}),
                ),
                step(
                    "create_sale",
                    json!({"draft": {"amount": "5", "currency_code": "KWD",
                                     "customer_phone": "12"}}),
                ),
                step(
                    "create_sale",
                    json!({"draft": {"amount": "5", "currency_code": "KWD",
                                     "customer_phone": "phone"}}),
                ),
                step(
                    "create_sale",
                    json!({"draft": {"amount": "5", "currency_code": "KWD",
                                     "customer_phone": "+965 123"}}),
                ),
                step(
                    "create_sale",
                    json!({"draft": {"amount": "5", "currency_code": "KWD",
                                     "expires_in_minutes": 0}}),
                ),
                step(
                    "create_sale",
                    json!({"draft": {"amount": "0", "currency_code": "KWD",
                                     "customer_email": "a@b", "customer_phone": "1"}}),
                ),
                step(
                    "create_sale",
                    json!({"draft": {"amount": "5", "currency_code": "KWD",
                                     "customer_name": "N".repeat(65), "note": "n".repeat(501),
                                     "order_no": "R".repeat(129)}}),
                ),
                step(
                    "create_sale",
                    json!({"draft": {"amount": "5", "currency_code": "KWD",
                                     "notify": {"sms": true, "whatsapp": false, "email": true}}}),
                ),
                step(
                    "create_sale",
                    json!({"draft": {"amount": "5", "currency_code": "KWD",
                                     "customer_phone": " ", "notify": {"whatsapp": true}}}),
                ),
                step(
                    "create_sale",
                    json!({"draft": {"amount": "5", "currency_code": "KWD",
                                     "due_date": "2020-01-01"}}),
                ),
                step(
                    "create_sale",
                    json!({"draft": {"amount": "5", "currency_code": "KWD",
                                     "due_date": "01/02/2030"}}),
                ),
                step(
                    "create_sale",
                    json!({"draft": {"amount": "5", "currency_code": "KWD",
                                     "pg_codes": ["knet", "not a code"]}}),
                ),
                step(
                    "create_sale",
                    json!({"draft": {"amount": "5", "currency_code": "KWD",
                                     "attachment_path": "<tmp>/invoice.exe"}}),
                ),
                step("history", json!({"query": {}})),
                // Last, because the fake cannot see the disk (an allowed difference there).
                step(
                    "create_sale",
                    json!({"draft": {"amount": "5", "currency_code": "KWD",
                                     "attachment_path": "<tmp>/no-such-invoice.pdf"}}),
                ),
            ],
        },
        Scenario {
            name: "sale_lifecycle",
            description: "Create, read, edit, share and cancel a sale; what a canceled sale \
                          refuses; an unknown sale.",
            steps: vec![
                step(
                    "create_sale",
                    json!({"draft": {"amount": "1.5", "currency_code": "KWD",
                                     "customer_name": "Fatma", "customer_phone": "+965 5000 0000",
                                     "customer_email": "fatma@example.com",
                                     "note": "two cakes"}}),
                ),
                step("get_sale", json!({"id": "<sale:1>"})),
                step(
                    "edit_sale",
                    json!({"id": "<sale:1>",
                           "edit": {"amount": "2.25", "customer_name": "Fatma A."}}),
                ),
                step(
                    "edit_sale",
                    json!({"id": "<sale:1>", "edit": {"amount": "2.2501"}}),
                ),
                step(
                    "edit_sale",
                    json!({"id": "<sale:1>",
                           "edit": {"customer_phone": "99", "customer_email": "x"}}),
                ),
                // Blank fields are left as they are: Ottu keeps a customer detail once set.
                step(
                    "edit_sale",
                    json!({"id": "<sale:1>",
                           "edit": {"customer_email": " ", "customer_phone": ""}}),
                ),
                step("share_links", json!({"id": "<sale:1>"})),
                step("cancel_sale", json!({"id": "<sale:1>"})),
                step(
                    "edit_sale",
                    json!({"id": "<sale:1>", "edit": {"amount": "3"}}),
                ),
                step("cancel_sale", json!({"id": "<sale:1>"})),
                step("get_sale", json!({"id": "<sale:1>"})),
                step(
                    "create_sale",
                    json!({"draft": {"amount": "7", "currency_code": "KWD", "order_no": "INV-7"}}),
                ),
                step("share_links", json!({"id": "<sale:2>"})),
                step("get_sale", json!({"id": "no-such-sale"})),
                step("cancel_sale", json!({"id": "no-such-sale"})),
            ],
        },
        Scenario {
            name: "payment_and_history",
            description: "The customer opens and pays a link; a paid sale refuses changes; \
                          history with and without filters, today's totals, the CSV export.",
            steps: vec![
                step(
                    "create_sale",
                    json!({"draft": {"amount": "4.750", "currency_code": "KWD",
                                     "customer_name": "Yousef", "customer_phone": "50001234"}}),
                ),
                step(
                    "create_sale",
                    json!({"draft": {"amount": "2", "currency_code": "KWD",
                                     "order_no": "INV-1001"}}),
                ),
                step(
                    "create_sale",
                    json!({"draft": {"amount": "3", "currency_code": "KWD",
                                     "order_no": "INV-1001"}}),
                ),
                step("sandbox_open", json!({"id": "<sale:1>"})),
                step(
                    "edit_sale",
                    json!({"id": "<sale:1>", "edit": {"amount": "5"}}),
                ),
                step("sandbox_pay", json!({"id": "<sale:1>"})),
                step(
                    "edit_sale",
                    json!({"id": "<sale:1>", "edit": {"amount": "6"}}),
                ),
                step("cancel_sale", json!({"id": "<sale:1>"})),
                step("sale_receipt", json!({"id": "<sale:1>", "language": "en"})),
                step("sale_receipt", json!({"id": "<sale:1>", "language": "ar"})),
                step("sale_receipt", json!({"id": "<sale:2>", "language": "en"})),
                step("share_links", json!({"id": "<sale:1>"})),
                step("history", json!({"query": {}})),
                step("history", json!({"query": {"state": "paid"}})),
                step("history", json!({"query": {"state": "canceled"}})),
                step("history", json!({"query": {"text": "inv-1001"}})),
                step("history", json!({"query": {"text": "yousef"}})),
                step("history", json!({"query": {"text": "5000 1234"}})),
                step(
                    "history",
                    json!({"query": {"from": "<today>", "to": "<today>"}}),
                ),
                step("history", json!({"query": {"to": "<yesterday>"}})),
                step("history", json!({"query": {"limit": 1}})),
                step(
                    "history",
                    json!({"query": {"from": "<today>", "to": "<yesterday>"}}),
                ),
                step("history", json!({"query": {"from": "03/12/2026"}})),
                step(
                    "export_csv",
                    json!({"query": {"state": "paid"}, "path": "<tmp>/paid.csv"}),
                ),
                step("export_csv", json!({"query": {}, "path": "<tmp>/all.csv"})),
            ],
        },
        Scenario {
            name: "payer_outcomes",
            description: "A declined attempt leaves the sale open (it can still change); a failed \
                          payment ends it.",
            steps: vec![
                step(
                    "create_sale",
                    json!({"draft": {"amount": "9.9", "currency_code": "KWD"}}),
                ),
                step("sandbox_decline", json!({"id": "<sale:1>"})),
                step(
                    "edit_sale",
                    json!({"id": "<sale:1>", "edit": {"amount": "9.5"}}),
                ),
                step("sandbox_fail", json!({"id": "<sale:1>"})),
                step(
                    "edit_sale",
                    json!({"id": "<sale:1>", "edit": {"amount": "9"}}),
                ),
                step("cancel_sale", json!({"id": "<sale:1>"})),
                step("history", json!({"query": {"state": "failed"}})),
            ],
        },
        Scenario {
            name: "settings",
            description: "Saving settings (trimmed, validated) and their effect on new sales and \
                          their messages.",
            steps: vec![
                step(
                    "save_settings",
                    json!({"settings": {"language": "en", "arabic_numerals": false,
                                        "shop_name": "  ", "theme": "system",
                                        "default_expiry_minutes": 0}}),
                ),
                step(
                    "save_settings",
                    json!({"settings": {"language": "en", "arabic_numerals": false,
                                        "shop_name": "Souq", "theme": "system",
                                        "default_expiry_minutes": 43201}}),
                ),
                step(
                    "save_settings",
                    json!({"settings": {"language": "ar", "arabic_numerals": true,
                                        "shop_name": "  Souq Sharq  ", "theme": "dark",
                                        "default_expiry_minutes": 30}}),
                ),
                step(
                    "create_sale",
                    json!({"draft": {"amount": "12", "currency_code": "KWD",
                                     "customer_name": "Noura"}}),
                ),
                step("share_links", json!({"id": "<sale:1>"})),
                step(
                    "create_sale",
                    json!({"draft": {"amount": "3", "currency_code": "KWD", "language": "en",
                                     "expires_in_minutes": 90}}),
                ),
                step("share_links", json!({"id": "<sale:2>"})),
                step("app_state", json!({})),
            ],
        },
        Scenario {
            name: "profiles",
            description: "Adding, changing, switching to and deleting merchant profiles; what \
                          the demo profile allows; the errors of each.",
            steps: vec![
                step(
                    "save_profile",
                    json!({"profile": {"name": " ", "base_url": "ftp://shop", "auth": "basic",
                                       "default_currency": "XX", "default_pg_codes": ["a b"]}}),
                ),
                // The blank editor's address, and what is left of it without its trailing slashes.
                step(
                    "save_profile",
                    json!({"profile": merchant("", "https://", Some("k"))}),
                ),
                step(
                    "save_profile",
                    json!({"profile": merchant("", "https:", Some("k"))}),
                ),
                step(
                    "save_profile",
                    // Plain http only for a local sandbox.
                    json!({"profile": merchant(AL_NOOR_CAFE, "http://al-noor.ottu.net", KEY)}),
                ),
                step(
                    "save_profile",
                    json!({"profile": merchant(AL_NOOR_CAFE, "al-noor.ottu.net/", Some("key-1"))}),
                ),
                step(
                    "save_profile",
                    json!({"profile": merchant(AL_NOOR_CAFE, AL_NOOR, Some("key-2"))}),
                ),
                step(
                    "save_profile",
                    json!({"profile": {"id": "al-noor-cafe", "name": "Al Noor", "base_url": AL_NOOR,
                                       "auth": "basic", "username": " cashier ",
                                       "default_currency": "kwd",
                                       "default_pg_codes": [" KNET ", "knet"]}}),
                ),
                step(
                    "save_profile",
                    json!({"profile": {"id": "nope", "name": "X", "base_url": "https://x.ottu.net",
                                       "auth": "api_key", "secret": "k",
                                       "default_currency": "KWD", "default_pg_codes": []}}),
                ),
                step("use_profile", json!({"id": "al-noor-cafe"})),
                step("use_profile", json!({"id": "nope"})),
                step("delete_profile", json!({"id": "demo"})),
                step("delete_profile", json!({"id": "nope"})),
                step("delete_profile", json!({"id": "al-noor-cafe"})),
                step(
                    "save_profile",
                    json!({"profile": {"id": "demo", "name": "Try-out", "base_url": "",
                                       "auth": "api_key", "default_currency": "sar",
                                       "default_pg_codes": ["Credit-Card"]}}),
                ),
                step(
                    "save_profile",
                    json!({"profile": {"id": "demo", "name": "Demo", "base_url": "",
                                       "auth": "api_key", "secret": "k",
                                       "default_currency": "KWD", "default_pg_codes": []}}),
                ),
                step("app_state", json!({})),
            ],
        },
        Scenario {
            name: "staff_and_operations",
            description: "Staff and roles: the owner sets a PIN and adds a cashier and a manager; \
                          lock and unlock; what a cashier may not do; a cashier's refund approved \
                          by a manager's PIN, sent twice with one intent id; net totals.",
            steps: vec![
                step("app_state", json!({})),
                step(
                    "save_staff",
                    json!({"staff": {"id": "staff-1", "name": "Owner", "role": "owner", "pin": "123"}}),
                ),
                step(
                    "save_staff",
                    json!({"staff": {"id": "staff-1", "name": "Amal", "role": "owner", "pin": "1234"}}),
                ),
                step("app_state", json!({})),
                step(
                    "save_staff",
                    json!({"staff": {"name": "Huda", "role": "cashier", "pin": "1234"}}),
                ),
                step(
                    "save_staff",
                    json!({"staff": {"name": "Huda", "role": "cashier", "pin": "٥٥٥٥"}}),
                ),
                step(
                    "save_staff",
                    json!({"staff": {"name": "Mona", "role": "manager", "pin": "7777"}}),
                ),
                step("save_staff", json!({"staff": {"name": " ", "role": null}})),
                step(
                    "save_staff",
                    json!({"staff": {"name": "Ali", "role": "cashier"}}),
                ),
                step("staff_list", json!({})),
                step(
                    "create_sale",
                    json!({"draft": {"amount": "10", "currency_code": "KWD"}}),
                ),
                step("sandbox_pay", json!({"id": "<sale:1>"})),
                step("lock", json!({})),
                step("get_sale", json!({"id": "<sale:1>"})),
                step("unlock", json!({"pin": "9999"})),
                step("unlock", json!({"pin": "12"})),
                step("unlock", json!({"pin": "5555"})),
                step("staff_list", json!({})),
                step(
                    "save_settings",
                    json!({"settings": {"language": "en", "arabic_numerals": false,
                                        "shop_name": "Shop", "theme": "system",
                                        "default_expiry_minutes": 60, "lock_after_minutes": 5}}),
                ),
                step(
                    "operate_sale",
                    json!({"input": {"intent_id": "intent-1", "sale_id": "<sale:1>",
                                     "kind": "refund", "amount": "2.5"}}),
                ),
                step(
                    "operate_sale",
                    json!({"input": {"intent_id": "intent-1", "sale_id": "<sale:1>",
                                     "kind": "refund", "amount": "2.5", "approver_pin": "5555"}}),
                ),
                step(
                    "operate_sale",
                    json!({"input": {"intent_id": "intent-1", "sale_id": "<sale:1>",
                                     "kind": "refund", "amount": "2.5", "approver_pin": "7777"}}),
                ),
                // A double click: the same intent again is the same refund.
                step(
                    "operate_sale",
                    json!({"input": {"intent_id": "intent-1", "sale_id": "<sale:1>",
                                     "kind": "refund", "amount": "2.5", "approver_pin": "7777"}}),
                ),
                step(
                    "operate_sale",
                    json!({"input": {"intent_id": "intent-2", "sale_id": "<sale:1>",
                                     "kind": "refund", "amount": "7.501", "approver_pin": "7777"}}),
                ),
                step(
                    "operate_sale",
                    json!({"input": {"intent_id": "intent-3", "sale_id": "<sale:1>",
                                     "kind": "refund", "amount": "1.0001", "approver_pin": "7777"}}),
                ),
                step(
                    "operate_sale",
                    json!({"input": {"intent_id": "intent-4", "sale_id": "<sale:1>",
                                     "kind": "void", "approver_pin": "7777"}}),
                ),
                step("history", json!({"query": {}})),
                step("unlock", json!({"pin": "7777"})),
                step(
                    "operate_sale",
                    json!({"input": {"intent_id": "intent-5", "sale_id": "<sale:1>",
                                     "kind": "capture"}}),
                ),
                step(
                    "operate_sale",
                    json!({"input": {"intent_id": "intent-6", "sale_id": "<sale:1>",
                                     "kind": "refund", "amount": "1.000"}}),
                ),
                step("get_sale", json!({"id": "<sale:1>"})),
                step("history", json!({"query": {"staff_id": "staff-1"}})),
                step("delete_staff", json!({"id": "staff-2"})),
                step("unlock", json!({"pin": "1234"})),
                step("delete_staff", json!({"id": "staff-1"})),
                step("delete_staff", json!({"id": "staff-2"})),
                step(
                    "save_settings",
                    json!({"settings": {"language": "en", "arabic_numerals": false,
                                        "shop_name": "Shop", "theme": "system",
                                        "default_expiry_minutes": 60, "lock_after_minutes": 0}}),
                ),
                step("lock", json!({})),
                step("app_state", json!({})),
            ],
        },
        Scenario {
            name: "test_connection",
            description: "Testing the demo and merchant connections: each kind of answer the \
                          settings screen shows.",
            steps: vec![
                step(
                    "test_connection",
                    json!({"profile": {"id": "demo", "name": "Demo", "base_url": "",
                                       "auth": "api_key",
                                       "default_currency": "KWD", "default_pg_codes": []}}),
                ),
                step(
                    "test_connection",
                    json!({"profile": merchant("Shop", "<demo>", Some("wrong"))}),
                ),
                step(
                    "test_connection",
                    json!({"profile": merchant("Shop", "http://127.0.0.1:1", Some("k"))}),
                ),
                step(
                    "test_connection",
                    json!({"profile": merchant("Shop", "not a url", None)}),
                ),
            ],
        },
        Scenario {
            name: "catalog_and_cart",
            description: "The catalog (add, field errors, a taken code, search in either \
                          language, scan, edit over a version, a stale edit, archive) and \
                          pricing carts with tax-inclusive prices, and selling a cart as an \
                          invoice.",
            steps: vec![
                step(
                    "save_catalog_item",
                    json!({"item": {"sku": "TEA", "barcode": "6281000000011",
                                    "name_en": "Karak tea", "name_ar": "شاي كَرَك",
                                    "price": "0.25", "currency_code": "KWD", "vat_rate": 5,
                                    "favourite": true}}),
                ),
                step(
                    "save_catalog_item",
                    json!({"item": {"sku": "BOX", "name_en": "Date box", "price": "1.050",
                                    "currency_code": "KWD", "vat_rate": 15,
                                    "category": "Sweets"}}),
                ),
                step(
                    "save_catalog_item",
                    json!({"item": {"sku": " ", "barcode": "12 34", "name_en": "",
                                    "price": "1.2345", "currency_code": "KWD", "vat_rate": 7}}),
                ),
                step(
                    "save_catalog_item",
                    json!({"item": {"sku": "6281000000011", "name_en": "Clash", "price": "1",
                                    "currency_code": "KWD", "vat_rate": 0}}),
                ),
                step("catalog_search", json!({"query": {}})),
                step("catalog_search", json!({"query": {"text": "karak"}})),
                step("catalog_search", json!({"query": {"text": "كرك"}})),
                step("catalog_search", json!({"query": {"text": "BOX"}})),
                step("catalog_lookup", json!({"code": "6281000000011"})),
                step("catalog_lookup", json!({"code": "nothing"})),
                step(
                    "save_catalog_item",
                    json!({"item": {"id": "<item:2>", "version": 1, "sku": "BOX",
                                    "name_en": "Date box (large)", "price": "1.500",
                                    "currency_code": "KWD", "vat_rate": 15}}),
                ),
                step(
                    "save_catalog_item",
                    json!({"item": {"id": "<item:2>", "version": 1, "sku": "BOX",
                                    "name_en": "Stale", "price": "1.500",
                                    "currency_code": "KWD", "vat_rate": 15}}),
                ),
                step(
                    "price_cart",
                    json!({"cart": {"currency_code": "KWD",
                                    "lines": [{"item_id": "<item:1>", "quantity": "2"},
                                              {"item_id": "<item:2>"},
                                              {"unit_price": "0.101", "quantity": "3",
                                               "vat_rate": 15, "name": "Bag"}],
                                    "discount": {"kind": "percent", "value": "10"}}}),
                ),
                step(
                    "price_cart",
                    json!({"cart": {"currency_code": "KWD",
                                    "lines": [{"item_id": "<item:1>",
                                               "discount": {"kind": "amount", "value": "1"}},
                                              {}]}}),
                ),
                // An itemised sale: an invoice of the priced cart, purchase gateways only.
                step(
                    "create_sale",
                    json!({"draft": {"amount": "", "currency_code": "KWD",
                                     "customer_name": "Sara",
                                     "cart": {"currency_code": "KWD",
                                              "lines": [{"item_id": "<item:1>", "quantity": "2"},
                                                        {"unit_price": "1.000", "name": "Gift wrap"}],
                                              "discount": {"kind": "amount", "value": "0.100"}}}}),
                ),
                // Invoices cannot change: its amount is its lines', a new customer name
                // cancels it and makes a new sale with the same lines.
                step(
                    "edit_sale",
                    json!({"id": "<sale:1>", "edit": {"amount": "2"}}),
                ),
                step(
                    "edit_sale",
                    json!({"id": "<sale:1>", "edit": {"customer_name": "Sara Ahmad"}}),
                ),
                step("get_sale", json!({"id": "<sale:1>"})),
                step(
                    "create_sale",
                    json!({"draft": {"amount": "9", "currency_code": "KWD",
                                     "cart": {"currency_code": "KWD",
                                              "lines": [{"item_id": "<item:1>"}]}}}),
                ),
                step(
                    "create_sale",
                    json!({"draft": {"amount": "", "currency_code": "KWD",
                                     "pg_codes": ["card-auth"],
                                     "cart": {"currency_code": "KWD",
                                              "lines": [{"item_id": "<item:1>"}]}}}),
                ),
                step(
                    "archive_catalog_item",
                    json!({"id": "<item:1>", "version": 1, "archived": true}),
                ),
                step("catalog_search", json!({"query": {"text": "tea"}})),
                step(
                    "catalog_search",
                    json!({"query": {"text": "tea", "include_archived": true}}),
                ),
                step(
                    "price_cart",
                    json!({"cart": {"currency_code": "KWD", "lines": [{"item_id": "<item:1>"}]}}),
                ),
            ],
        },
    ]
}

// ----- running a scenario -----

/// A scenario's placeholders: raw value ⇄ `<kind:N>`.
#[derive(Default)]
struct Tokens {
    /// Raw value → placeholder.
    by_value: BTreeMap<String, String>,
    /// Placeholders given so far per kind.
    counts: BTreeMap<&'static str, usize>,
}

impl Tokens {
    fn register(&mut self, kind: &'static str, value: &str) {
        if value.is_empty() || self.by_value.contains_key(value) {
            return;
        }
        let count = self.counts.entry(kind).or_default();
        *count += 1;
        self.by_value
            .insert(value.to_owned(), format!("<{kind}:{count}>"));
    }

    fn register_named(&mut self, token: &str, value: &str) {
        if !value.is_empty() && !self.by_value.contains_key(value) {
            self.by_value.insert(value.to_owned(), token.to_owned());
        }
    }

    /// Every placeholder in `text` replaced by its value.
    fn resolve(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for (value, token) in &self.by_value {
            out = out.replace(token.as_str(), value);
        }
        out
    }

    /// Every registered value in `text` (as is or percent-encoded) replaced by its placeholder,
    /// longest first.
    fn replace(&self, text: &str) -> String {
        let mut pairs: Vec<(&String, &String)> = self.by_value.iter().collect();
        pairs.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(b.0)));
        let mut out = text.to_owned();
        for (value, token) in pairs {
            out = out.replace(value.as_str(), token);
            let encoded = pos_core::share::encode(value);
            if encoded != *value {
                out = out.replace(&encoded, token);
            }
        }
        out
    }
}

const TIME_KEYS: [&str; 6] = [
    "created_at",
    "updated_at",
    "paid_at",
    "expires_at",
    "watch_until",
    "next_check_at",
];

/// `POS-<TILL>-YYYYMMDD-XXXXXX` (or, before tills had ids, `POS-YYYYMMDD-XXXXXX`), the order
/// number the engine makes up.
fn is_generated_order_no(text: &str) -> bool {
    let Some(rest) = text.strip_prefix("POS-") else {
        return false;
    };
    let rest = match rest.split_once('-') {
        Some((till, tail))
            if !till.is_empty()
                && till.len() <= 8
                && till.bytes().any(|b| b.is_ascii_uppercase())
                && till
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()) =>
        {
            tail
        }
        _ => rest,
    };
    let Some((date, suffix)) = rest.split_once('-') else {
        return false;
    };
    date.len() == 8
        && date.bytes().all(|b| b.is_ascii_digit())
        && suffix.len() == 6
        && suffix
            .bytes()
            .all(|b| b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ".contains(&b))
}

/// Registers the volatile values of every sale in `value` (objects with a `session_id` key).
fn register_sales(value: &Value, tokens: &mut Tokens) {
    match value {
        Value::Array(items) => items.iter().for_each(|v| register_sales(v, tokens)),
        Value::Object(map) => {
            if map.contains_key("session_id") {
                if let Some(id) = map.get("id").and_then(Value::as_str) {
                    tokens.register("sale", id);
                }
                if let Some(session) = map.get("session_id").and_then(Value::as_str) {
                    tokens.register("session", session);
                }
                if let Some(short) = map.get("short_url").and_then(Value::as_str) {
                    tokens.register("link", short);
                }
                if let Some(order) = map.get("order_no").and_then(Value::as_str)
                    && is_generated_order_no(order)
                {
                    tokens.register("order", order);
                }
            }
            // A catalog item.
            if map.contains_key("sku")
                && let Some(id) = map.get("id").and_then(Value::as_str)
            {
                tokens.register("item", id);
            }
            // An operation's child transaction on Ottu.
            if map.contains_key("kind")
                && let Some(reference) = map.get("reference_number").and_then(Value::as_str)
            {
                tokens.register("ref", reference);
            }
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            for key in keys {
                register_sales(&map[key], tokens);
            }
        }
        _ => {}
    }
}

/// `<now>` or `<now±Nm>` for an RFC 3339 time; the text unchanged when it is not one.
fn time_token(text: &str, now: OffsetDateTime) -> String {
    match OffsetDateTime::parse(text, &Rfc3339) {
        Ok(time) => {
            let ms = (time - now).whole_milliseconds();
            let minutes = (ms as f64 / 60_000.0).round() as i64;
            match minutes {
                0 => "<now>".to_owned(),
                m if m > 0 => format!("<now+{m}m>"),
                m => format!("<now{m}m>"),
            }
        }
        Err(_) => text.to_owned(),
    }
}

fn normalize(value: &Value, key: Option<&str>, tokens: &Tokens, now: OffsetDateTime) -> Value {
    match value {
        Value::String(text) => match key {
            Some(k) if TIME_KEYS.contains(&k) => Value::String(time_token(text, now)),
            Some("qr_svg") if text.starts_with("<svg") => json!("<svg>"),
            // The shop's wall clock depends on the machine's zone.
            Some("paid_at_local" | "at_local") => json!("<local time>"),
            Some("version") => json!("<version>"),
            _ => Value::String(tokens.replace(text)),
        },
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| normalize(v, None, tokens, now))
                .collect(),
        ),
        Value::Object(map) => {
            let connection_check = map.contains_key("kind") && map.contains_key("ok");
            let mut out = Map::new();
            for (k, v) in map {
                let normalized = if connection_check && k == "message" {
                    json!("<text>")
                } else {
                    normalize(v, Some(k), tokens, now)
                };
                out.insert(k.clone(), normalized);
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

fn resolve_args(value: &Value, tokens: &Tokens) -> Value {
    match value {
        Value::String(text) => Value::String(tokens.resolve(text)),
        Value::Array(items) => {
            Value::Array(items.iter().map(|v| resolve_args(v, tokens)).collect())
        }
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), resolve_args(v, tokens)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// What a failed command records: its code, its problem's code, the fields it marks and each
/// field's problem codes (the words are the UI's to choose, so they are not compared).
fn error_json(error: &pos_core::Error) -> Value {
    let field_errors = error.field_errors();
    let fields: Vec<&String> = field_errors.keys().collect();
    let problems: serde_json::Map<String, Value> = field_errors
        .iter()
        .map(|(field, problems)| {
            let codes: Vec<&str> = problems.iter().map(|p| p.code.as_str()).collect();
            (field.clone(), json!(codes))
        })
        .collect();
    json!({
        "code": error.code().as_str(),
        "problem": error.problem().code.as_str(),
        "fields": fields,
        "problems": problems,
    })
}

fn arg<T: DeserializeOwned>(args: &Value, name: &str) -> T {
    serde_json::from_value(args.get(name).cloned().unwrap_or(Value::Null))
        .unwrap_or_else(|error| panic!("argument {name} of {args}: {error}"))
}

fn to_json<T: serde::Serialize>(result: pos_core::Result<T>) -> Result<Value, Value> {
    result
        .map(|value| serde_json::to_value(value).expect("results serialize"))
        .map_err(|error| error_json(&error))
}

/// The demo sandbox's address, once it runs.
async fn demo_url(till: &Till) -> String {
    let state = till.app_state().await.expect("app_state");
    let demo = state.profiles.iter().find(|p| p.id == "demo");
    demo.map(|p| p.base_url.clone()).unwrap_or_default()
}

/// Plays the customer on the sandbox, then waits until the till sees `state`.
async fn payer(till: &Till, id: &str, action: &str, state: SaleState) -> Result<Value, Value> {
    let sale = till.get_sale(id).await.expect("the sale exists");
    let session = sale.session_id.expect("a session id");
    let url = format!(
        "{}/_sandbox/sessions/{session}/{action}",
        demo_url(till).await
    );
    let answer = reqwest::Client::new()
        .post(url)
        .json(&json!({}))
        .send()
        .await
        .expect("the sandbox answers");
    assert!(
        answer.status().is_success(),
        "{action}: {}",
        answer.status()
    );
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let sale: Sale = till.refresh_sale(id).await.expect("refresh");
        if sale.state == state {
            return to_json(Ok(sale));
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "sale {id} is {} instead of {state} after {action}",
            sale.state
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn run(till: &Till, command: &str, args: &Value) -> Result<Value, Value> {
    let id = || arg::<String>(args, "id");
    match command {
        "app_state" => to_json(till.app_state().await),
        "gateways" => to_json(till.gateways(&arg::<String>(args, "currency")).await),
        "create_sale" => to_json(till.create_sale(arg::<SaleDraft>(args, "draft")).await),
        "get_sale" => to_json(till.get_sale(&id()).await),
        "edit_sale" => to_json(till.edit_sale(&id(), arg::<SaleEdit>(args, "edit")).await),
        "cancel_sale" => to_json(till.cancel_sale(&id()).await),
        "share_links" => to_json(till.share_links(&id()).await),
        "history" => to_json(till.history(arg::<HistoryQuery>(args, "query")).await),
        "export_csv" => {
            let query = arg::<HistoryQuery>(args, "query");
            to_json(till.export_csv(query, &arg::<String>(args, "path")).await)
        }
        "save_settings" => to_json(till.save_settings(arg::<Settings>(args, "settings")).await),
        "save_profile" => to_json(
            till.save_profile(arg::<ProfileInput>(args, "profile"))
                .await,
        ),
        "use_profile" => to_json(till.use_profile(&id()).await),
        "delete_profile" => to_json(till.delete_profile(&id()).await),
        "test_connection" => to_json(
            till.test_connection(arg::<ProfileInput>(args, "profile"))
                .await,
        ),
        "unlock" => to_json(till.unlock_with_pin(&arg::<String>(args, "pin")).await),
        "lock" => to_json(till.lock_now().await),
        "staff_list" => to_json(till.staff()),
        "save_staff" => to_json(till.save_staff(arg::<StaffInput>(args, "staff"))),
        "delete_staff" => to_json(till.delete_staff(&id())),
        "operate_sale" => to_json(
            till.operate_sale(arg::<OperationInput>(args, "input"))
                .await,
        ),
        "catalog_search" => to_json(
            till.catalog_search(arg::<CatalogQuery>(args, "query"))
                .await,
        ),
        "catalog_lookup" => to_json(till.catalog_lookup(arg::<String>(args, "code")).await),
        "save_catalog_item" => to_json(
            till.save_catalog_item(arg::<CatalogItemInput>(args, "item"))
                .await,
        ),
        "archive_catalog_item" => to_json(
            till.archive_catalog_item(id(), arg::<u32>(args, "version"), arg(args, "archived"))
                .await,
        ),
        "price_cart" => to_json(till.price_cart(arg::<CartInput>(args, "cart")).await),
        "sale_receipt" => to_json(
            till.sale_receipt(&id(), arg::<pos_core::dto::Language>(args, "language"))
                .await,
        ),
        "sandbox_open" => payer(till, &id(), "open", SaleState::Pending).await,
        "sandbox_pay" => payer(till, &id(), "pay", SaleState::Paid).await,
        "sandbox_decline" => payer(till, &id(), "decline", SaleState::Attempted).await,
        "sandbox_fail" => payer(till, &id(), "fail", SaleState::Failed).await,
        other => panic!("unknown command {other}"),
    }
}

/// Runs `scenario` on a fresh till (first start, demo mode) and renders its transcript.
async fn record(scenario: &Scenario) -> String {
    let root = tempfile::tempdir().expect("a temp dir");
    let dirs = TillDirs {
        config_dir: root.path().join("config"),
        data_dir: root.path().join("data"),
    };
    let till = Till::open(dirs, Arc::new(MemorySecretStore::new())).expect("the till opens");
    let mut tokens = Tokens::default();
    let today = pos_core::clock::today();
    tokens.register_named("<today>", &pos_core::clock::format_day(today));
    let yesterday = today.previous_day().expect("a day before today");
    tokens.register_named("<yesterday>", &pos_core::clock::format_day(yesterday));
    tokens.register_named("<tmp>", &root.path().to_string_lossy());

    let mut steps = Vec::new();
    for step in &scenario.steps {
        let args = resolve_args(&step.args, &tokens);
        let result = run(&till, step.command, &args).await;
        let now = OffsetDateTime::now_utc();
        tokens.register_named("<demo>", &demo_url(&till).await);
        let mut entry = Map::new();
        entry.insert("command".into(), json!(step.command));
        entry.insert("args".into(), step.args.clone());
        match result {
            Ok(value) => {
                register_sales(&value, &mut tokens);
                entry.insert("ok".into(), normalize(&value, None, &tokens, now));
            }
            Err(error) => {
                entry.insert("error".into(), error);
            }
        }
        steps.push(Value::Object(entry));
    }
    till.shutdown().await;
    let mut transcript = json!({
        "scenario": scenario.name,
        "description": scenario.description,
        "steps": steps,
    });
    // Sorted keys: the text must not depend on serde_json's `preserve_order` feature (on in a
    // workspace build, where another crate asks for it; off under `cargo test -p pos-core`).
    transcript.sort_all_objects();
    let mut text = serde_json::to_string_pretty(&transcript).expect("json");
    text.push('\n');
    text
}

fn transcripts_dir() -> PathBuf {
    // Cargo names the crate's directory when it runs the test; the compile-time value is only the
    // fallback (a binary built by another checkout sharing the target dir would point there).
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .join("../..")
        .join(TRANSCRIPTS)
}

/// `step N (command), line L: on disk …, now …` for the first line that differs.
fn first_difference(on_disk: &str, recorded: &str) -> String {
    let commands: Vec<String> = serde_json::from_str::<Value>(recorded)
        .ok()
        .and_then(|t| t.get("steps").and_then(Value::as_array).cloned())
        .unwrap_or_default()
        .iter()
        .map(|s| s["command"].as_str().unwrap_or_default().to_owned())
        .collect();
    let mut left = on_disk.lines();
    let mut right = recorded.lines();
    // Each step starts with its `args` (the keys are sorted).
    let mut step = 0;
    for number in 1.. {
        let (l, r) = (left.next(), right.next());
        if l.or(r)
            .is_some_and(|line| line.trim_start().starts_with("\"args\":"))
        {
            step += 1;
        }
        if l == r {
            if l.is_none() {
                break;
            }
            continue;
        }
        let place = match step {
            0 => "before the steps".to_owned(),
            n => format!(
                "step {n} ({})",
                commands.get(n - 1).map_or("", String::as_str)
            ),
        };
        return format!(
            "{place}, line {number}: on disk `{}`, now `{}`",
            l.unwrap_or("<end of file>").trim(),
            r.unwrap_or("<end of file>").trim()
        );
    }
    "only the final newline differs".to_owned()
}

fn check(path: &Path, recorded: &str) -> Option<String> {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    match std::fs::read_to_string(path) {
        Ok(on_disk) if on_disk == recorded => None,
        Ok(on_disk) => Some(format!("{name}: {}", first_difference(&on_disk, recorded))),
        Err(error) => Some(format!("{name}: cannot read it ({error})")),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ui_contract_transcripts_match_the_till() {
    let dir = transcripts_dir();
    let update = std::env::var_os("UPDATE_CONTRACT").is_some_and(|v| v == "1");
    let scenarios = scenarios();
    let mut problems = Vec::new();
    for scenario in &scenarios {
        let recorded = record(scenario).await;
        let path = dir.join(format!("{}.json", scenario.name));
        if update {
            std::fs::create_dir_all(&dir).expect("the transcripts dir");
            std::fs::write(&path, &recorded)
                .unwrap_or_else(|error| panic!("cannot write {}: {error}", path.display()));
        } else if let Some(problem) = check(&path, &recorded) {
            problems.push(problem);
        }
    }
    // A transcript no scenario records would be replayed against the fake forever.
    let known: Vec<String> = scenarios
        .iter()
        .map(|s| format!("{}.json", s.name))
        .collect();
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".json") && !known.contains(&name) {
            if update {
                std::fs::remove_file(entry.path()).expect("remove a stale transcript");
            } else {
                problems.push(format!("{name}: no scenario records it"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "the UI contract transcripts in {TRANSCRIPTS} do not match the till:\n  {}\n\n\
         If the change is intended, rewrite them with\n\n    {REGENERATE}\n\n\
         then make ui/src/lib/api/fake.ts follow (`npx vitest run src/lib/api/contract.test.ts` \
         in ui/) and commit both.",
        problems.join("\n  ")
    );
}
