//! The IPC contract in one place: every command the desktop shell registers, with its argument
//! names and types and its result type.
//!
//! [`ipc_commands!`](crate::ipc_commands) holds the list and hands it to a macro of the caller's,
//! so each side is built from the same rows instead of repeating the names:
//!
//! - the shell (`src-tauri/src/lib.rs`) turns it into its `tauri::generate_handler!` list, so it
//!   registers exactly these commands, and a command missing from `src-tauri/src/commands.rs`
//!   does not compile;
//! - [`COMMANDS`] is the list as data; `tests/ipc_commands.rs` checks every `#[tauri::command]`
//!   of `src-tauri/src/commands.rs` against it (names, argument names and types, result types);
//! - with the `ts` feature, [`typescript`] renders `ui/src/lib/api/commands.ts`: the
//!   `CommandMethods` interface every UI backend implements (`index.ts` over Tauri's `invoke`,
//!   `fake.ts` in memory) and the `invoke` wrappers themselves. The `ui_bindings` test keeps the
//!   file current, and `npm run check` fails on a backend whose methods disagree with it.
//!
//! Argument names travel as Tauri sends them: the Rust name in camelCase (`id`, `query`).

// The list names these types; only the TypeScript rendering needs them as types.
#[cfg(feature = "ts")]
use crate::dto::{
    AppState, CartInput, CartTotals, CatalogItem, CatalogItemInput, CatalogQuery, ConnectionCheck,
    CsvExport, Gateway, History, HistoryQuery, OperationInput, PickedFile, Profile, ProfileInput,
    Sale, SaleDraft, SaleEdit, Settings, ShareChannel, ShareLinks, StaffInput, StaffMember,
};
#[cfg(feature = "ts")]
use crate::dto::{Bill, DiagnosticsSummary, UpdateOffer, UpdateSettings};
#[cfg(feature = "ts")]
use crate::dto::{CashEntryInput, CashSale, CashSaleInput, ReportKind, Shift, ShiftReport};
#[cfg(feature = "ts")]
use crate::dto::{CatalogImport, Dashboard};
#[cfg(feature = "ts")]
use crate::dto::{Language, Paper, Receipt};
#[cfg(feature = "ts")]
use crate::dto::{OttuCashSetup, OttuCashSetupInput, Reconciliation};

/// Calls `$callback! { ... }` with every IPC command as `name(arg: Type, ...) -> Result;`, each
/// after its doc comment. Result types are what the command answers when it succeeds; `()` is
/// no value. The types are named as `pos_core::dto` exports them.
#[macro_export]
macro_rules! ipc_commands {
    ($callback:ident) => {
        $callback! {
            /// The UI's home screen is painted: record the start-up time, prepare the till.
            ui_ready() -> ();
            /// Open (or re-target) the customer-facing window on sale `id`.
            show_customer_display(id: String) -> ();
            /// The active profile, all profiles, settings and currencies.
            app_state() -> AppState;
            /// The gateways (pg_codes) the active profile may use for `currency`.
            gateways(currency: String) -> Vec<Gateway>;
            /// Validate the draft, record it, create the payment request.
            create_sale(draft: SaleDraft) -> Sale;
            /// One sale with its QR; it becomes the sale on screen.
            get_sale(id: String) -> Sale;
            /// Change the amount or customer details of an unpaid sale (same link).
            edit_sale(id: String, edit: SaleEdit) -> Sale;
            /// Cancel an unpaid sale's link.
            cancel_sale(id: String) -> Sale;
            /// "Check now": ask Ottu about the sale right away (settles a lost create, re-checks a
            /// failed or expired one for a late payment).
            check_sale(id: String) -> Sale;
            /// "Make a new link": a fresh sale with the same details and a new order number, for
            /// a sale none of whose links can be paid; answers the new sale.
            replace_sale(id: String) -> Sale;
            /// Refund, capture or void a sale (one operation per intent id); answers the sale
            /// with its operations.
            operate_sale(input: OperationInput) -> Sale;
            /// WhatsApp, SMS and email links with the message in the sale's language.
            share_links(id: String) -> ShareLinks;
            /// Sales matching the query, and today's paid totals.
            history(query: HistoryQuery) -> History;
            /// Ask where to save (the shell's own save dialog), then write the matching sales
            /// there as CSV; `null` when the cashier cancels. The page never names a path.
            export_csv(query: HistoryQuery) -> Option<CsvExport>;
            /// The shell's own open dialog for a file to attach: a one-time token for it (sent
            /// as the draft's `attachment_path`) and its name; `null` when cancelled.
            pick_attachment() -> Option<PickedFile>;
            /// Open sale `id`'s WhatsApp, SMS or email link with the system (built by pos-core).
            open_share(id: String, channel: ShareChannel) -> ();
            /// Language, shop name, theme, defaults.
            save_settings(settings: Settings) -> AppState;
            /// Add or change a profile; its secret goes to the keychain.
            save_profile(profile: ProfileInput) -> Profile;
            /// Switch the active profile.
            use_profile(id: String) -> AppState;
            /// Remove a merchant profile and its keychain entry.
            delete_profile(id: String) -> AppState;
            /// Tell apart bad host, bad credentials, missing permission, no network.
            test_connection(profile: ProfileInput) -> ConnectionCheck;
            /// Sign in the staff member whose PIN this is (switches staff).
            unlock(pin: String) -> AppState;
            /// Lock the till now.
            lock() -> AppState;
            /// Every staff member (owner only).
            staff_list() -> Vec<StaffMember>;
            /// Add or change a staff member (owner only); the PIN is hashed, never returned.
            save_staff(staff: StaffInput) -> StaffMember;
            /// Remove a staff member (owner only).
            delete_staff(id: String) -> Vec<StaffMember>;
            /// Ask where to save (the shell's own save dialog), then write the redacted
            /// diagnostics zip there (manager or owner); `null` when cancelled.
            save_diagnostics() -> Option<DiagnosticsSummary>;
            /// Where updates come from (owner only).
            update_settings() -> UpdateSettings;
            /// Set or clear the update address (owner only; `https://` only).
            save_update_settings(updates: UpdateSettings) -> UpdateSettings;
            /// Ask the update address whether a newer version is offered (owner only); `null`
            /// when this is the newest.
            check_update() -> Option<UpdateOffer>;
            /// Download `version`, check its signature, install it and restart (owner only,
            /// never while a sale can still be paid).
            install_update(version: String) -> ();
            /// Catalog items by name (English or Arabic, case and diacritics folded) or exact
            /// SKU/barcode; any signed-in role.
            catalog_search(query: CatalogQuery) -> Vec<CatalogItem>;
            /// The item a scanned barcode (or typed SKU) names; `null` if none.
            catalog_lookup(code: String) -> Option<CatalogItem>;
            /// Add or change a catalog item (manager, owner); a change carries the version read.
            save_catalog_item(item: CatalogItemInput) -> CatalogItem;
            /// Archive (or restore) a catalog item (manager, owner), over the version read.
            archive_catalog_item(id: String, version: u32, archived: bool) -> CatalogItem;
            /// Price a cart as Ottu's Invoice API will: lines, discounts, VAT per rate, total.
            price_cart(cart: CartInput) -> CartTotals;
            /// The active profile's open shift; `null` when none is open.
            current_shift() -> Option<Shift>;
            /// Open a shift with the cash in the drawer (one open shift per profile).
            open_shift(opening_float: String) -> Shift;
            /// Put cash into (any role) or take it out of (manager, owner) the open shift's drawer.
            record_cash(input: CashEntryInput) -> Shift;
            /// A sale paid in cash in the open shift: checks the cash given, answers the change.
            cash_sale(input: CashSaleInput) -> CashSale;
            /// The open shift's X report (`shift_id` `null`), or a closed shift's stored Z report.
            shift_report(shift_id: Option<String>, kind: ReportKind) -> ShiftReport;
            /// Close the open shift with the counted cash; answers its Z report.
            close_shift(counted_cash: String) -> ShiftReport;
            /// Paid sale `id`'s receipt, its items named in `language` (any signed-in role).
            sale_receipt(id: String, language: Language) -> Receipt;
            /// Print the window's page on `paper` through the system's print dialog (the page's
            /// print CSS chooses what shows); answers once the dialog is closed.
            print_page(paper: Paper) -> ();
            /// Ask where to save (the shell's own save dialog, offering `file_name`.pdf), then
            /// print the window's page on `paper` to that PDF file with no print dialog; answers
            /// the path, `null` when cancelled.
            print_page_to_pdf(paper: Paper, file_name: String) -> Option<String>;
            /// The active profile's latest shifts, newest first (manager, owner).
            shifts(limit: u32) -> Vec<Shift>;
            /// Ask where to save (the shell's own save dialog), then write the report
            /// `shift_report` answers for the same arguments there as CSV; `null` when cancelled.
            export_report_csv(shift_id: Option<String>, kind: ReportKind) -> Option<CsvExport>;
            /// Open a split bill of `amount` in the shop's currency.
            open_bill(amount: String) -> Bill;
            /// A split bill with its parts and what is left to pay.
            bill(id: String) -> Bill;
            /// A payment link for part of bill `id` (none while another part's link is live);
            /// answers the part, a sale like any other.
            bill_link_part(id: String, amount: String) -> Sale;
            /// Part of bill `id` paid in cash into the open shift; answers the change.
            bill_cash_part(id: String, input: CashSaleInput) -> CashSale;
            /// The active profile's gateway marked as Ottu's cash method, and this till's id.
            ottu_cash_setup() -> OttuCashSetup;
            /// Mark a gateway as Ottu's cash method (or none) and set the till id (owner only).
            set_ottu_cash_setup(input: OttuCashSetupInput) -> OttuCashSetup;
            /// Finish recording at Ottu the cash sales still waiting; answers how many still wait.
            retry_cash_at_ottu() -> u32;
            /// Compare this till's sales from `from` to `to` (UTC days) with Ottu's report files
            /// (manager, owner); answers every difference.
            reconcile(from: String, to: String) -> Reconciliation;
            /// Today at a glance and this week against last: the whole shop for managers and
            /// owners, a cashier's own sales for a cashier.
            dashboard() -> Dashboard;
            /// Import catalog items from a CSV file the manager chooses in the shell's open
            /// dialog (manager, owner): every row or none, with the problems by row; `null` when
            /// the dialog was cancelled.
            import_catalog_csv() -> Option<CatalogImport>;
            /// Write the whole catalog to a CSV file chosen in the shell's save dialog (manager,
            /// owner); `null` when cancelled.
            export_catalog_csv() -> Option<CsvExport>;
        }
    };
}

/// One IPC command: its name, arguments and result, as written in [`ipc_commands!`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Command {
    /// The name the UI invokes (`snake_case`, the Rust function's name).
    pub name: &'static str,
    /// What it does, from the list's doc comment.
    pub doc: &'static str,
    /// Its arguments, in order.
    pub args: &'static [Arg],
    /// The Rust type of a successful answer (`()` for none).
    pub result: &'static str,
}

/// One argument of a [`Command`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arg {
    /// The Rust parameter name (the UI sends it in camelCase).
    pub name: &'static str,
    /// The Rust type.
    pub rust_type: &'static str,
}

macro_rules! command_table {
    ($( $(#[doc = $doc:literal])* $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty; )*) => {
        /// Every IPC command, in the order the shell registers them.
        pub const COMMANDS: &[Command] = &[$(
            Command {
                name: stringify!($name),
                doc: concat!($($doc),*),
                args: &[$(Arg { name: stringify!($arg), rust_type: stringify!($ty) }),*],
                result: stringify!($ret),
            }
        ),*];

        /// The TypeScript types of each command's arguments and result, in [`COMMANDS`] order.
        #[cfg(feature = "ts")]
        fn typescript_types() -> Vec<(Vec<String>, String)> {
            use ts_rs::TS;
            vec![$(
                (vec![$(<$ty as TS>::name()),*], <$ret as TS>::name())
            ),*]
        }
    };
}

crate::ipc_commands!(command_table);

/// `snake_case` to `camelCase`, as Tauri names command arguments on the JavaScript side.
pub fn camel_case(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// `ui/src/lib/api/commands.ts`: the `CommandMethods` interface (one method per command, named
/// in camelCase) and `invokeCommands`, its implementation over Tauri's `invoke`. `header` is the
/// comment the file starts with.
#[cfg(feature = "ts")]
pub fn typescript(header: &str) -> String {
    use std::collections::BTreeSet;
    use std::fmt::Write as _;

    let types = typescript_types();
    let mut imports = BTreeSet::new();
    for (args, result) in &types {
        for ts in args.iter().chain(std::iter::once(result)) {
            imports.extend(type_names(ts));
        }
    }
    let mut methods = String::new();
    let mut wrappers = String::new();
    for (command, (arg_types, result)) in COMMANDS.iter().zip(&types) {
        let names: Vec<String> = command.args.iter().map(|a| camel_case(a.name)).collect();
        let params: Vec<String> = names
            .iter()
            .zip(arg_types)
            .map(|(name, ts)| format!("{name}: {ts}"))
            .collect();
        let method = camel_case(command.name);
        let returns = if result == "null" { "void" } else { result };
        let doc = command.doc.trim();
        let _ = writeln!(methods, "  /** `{}`: {doc} */", command.name);
        let _ = writeln!(
            methods,
            "  {method}({}): Promise<{returns}>;",
            params.join(", ")
        );
        let args = if names.is_empty() {
            String::new()
        } else {
            format!(", {{ {} }}", names.join(", "))
        };
        let call = format!("invoke<{result}>('{}'{args})", command.name);
        let untyped = names.join(", ");
        let body = if result == "null" {
            format!("async ({untyped}) => {{\n      await {call};\n    }}")
        } else {
            format!("({untyped}) => {call}")
        };
        let _ = writeln!(wrappers, "    {method}: {body},");
    }
    let imports = imports.into_iter().collect::<Vec<_>>().join(", ");
    format!(
        "{header}\n\
         import type {{ {imports} }} from './bindings';\n\
         \n\
         /** Every IPC command the shell registers, one method each (the UI's backends implement it). */\n\
         export interface CommandMethods {{\n\
         {methods}}}\n\
         \n\
         /** Tauri's `invoke`, as the wrappers use it. */\n\
         export type Invoke = <T>(command: string, args?: Record<string, unknown>) => Promise<T>;\n\
         \n\
         /** The commands over `invoke`: the names and argument names the shell registers. */\n\
         export function invokeCommands(invoke: Invoke): CommandMethods {{\n  \
           return {{\n\
         {wrappers}  }};\n\
         }}\n"
    )
}

/// The type names a TypeScript type refers to (`Array<Gateway>` → `Gateway`), built-ins left out.
#[cfg(feature = "ts")]
fn type_names(ts: &str) -> Vec<String> {
    ts.split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .filter(|word| word.starts_with(|c: char| c.is_ascii_uppercase()))
        .filter(|word| !matches!(*word, "Array" | "Record" | "Promise"))
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_snake_case() {
        let mut seen = std::collections::BTreeSet::new();
        for command in COMMANDS {
            assert!(
                seen.insert(command.name),
                "{} is listed twice",
                command.name
            );
            assert!(
                command
                    .name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_'),
                "{}",
                command.name
            );
            assert!(
                !command.doc.trim().is_empty(),
                "{} has no doc",
                command.name
            );
        }
    }

    #[test]
    fn camel_case_matches_tauri() {
        assert_eq!(camel_case("app_state"), "appState");
        assert_eq!(camel_case("id"), "id");
        assert_eq!(camel_case("show_customer_display"), "showCustomerDisplay");
    }
}
