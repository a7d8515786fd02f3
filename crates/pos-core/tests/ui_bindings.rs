//! The UI's TypeScript types, generated from the Rust types it exchanges with the shell.
//!
//! `ui/src/lib/api/bindings.ts` is rendered from the `ts_rs::TS` derives of `pos_core::dto` (every
//! command argument and result, the `sale-updated` payload and `CommandError`), and
//! `ui/src/lib/api/commands.ts` from the list of IPC commands in `pos_core::ipc` (the
//! `CommandMethods` interface and its `invoke` wrappers), and `ui/src/lib/api/problem-codes.ts` from
//! `pos_core::ProblemCode` (every problem code with its parameters, which the UI's translation
//! test checks against `en` and `ar`). This test fails when a file on disk
//! differs from what the Rust side produces; regenerate both with
//!
//! ```text
//! UPDATE_BINDINGS=1 cargo test -p pos-core --test ui_bindings
//! ```

use std::collections::BTreeSet;
use std::path::PathBuf;

use pos_core::dto::{
    AppState, AuthKind, Bill, BillState, CartDiscount, CartInput, CartLineInput, CartLineTotals,
    CartTotals, CashEntry, CashEntryInput, CashEntryKind, CashSale, CashSaleInput, CashSummary,
    CatalogImport, CatalogItem, CatalogItemInput, CatalogQuery, CheckKind, CommandError,
    ConnectionCheck, CsvExport, Currency, CurrencyDashboard, CurrencyDisplay, Dashboard,
    DashboardScope, DiagnosticsSummary, DiscountTotal, ErrorCode, Gateway, History, HistoryQuery,
    HourTotal, ItemProblem, Language, MethodTotal, Notify, OperationInput, OperationKind,
    OperationState, PaymentMethod, PickedFile, Problem, ProblemCode, Profile, ProfileInput,
    ProfileKind, ReportKind, Role, RowProblem, Sale, SaleDraft, SaleEdit, SaleOperation, SaleState,
    Settings, Settlement, ShareChannel, ShareLinks, Shift, ShiftReport, StaffInput, StaffMember,
    StaffRef, StaffTotal, Tally, Theme, Total, UpdateOffer, UpdateSettings, VatRateTotal, VatTotal,
    WeekStart,
};
use pos_core::dto::{
    Difference, DifferenceKind, OttuCashSetup, OttuCashSetupInput, Reconciliation,
};
use pos_core::dto::{Paper, Receipt, ReceiptLine, ReceiptRefund, TaxInvoiceQr};
use ts_rs::TS;

/// The command that rewrites the file, named in the header and in the failure message.
const REGENERATE: &str = "UPDATE_BINDINGS=1 cargo test -p pos-core --test ui_bindings";

/// One exported declaration: its TypeScript name, the names it refers to, and its text.
struct Declaration {
    name: String,
    refers_to: Vec<String>,
    text: String,
}

fn declaration<T: TS + 'static>() -> Declaration {
    let mut text = String::new();
    if let Some(docs) = T::DOCS {
        text.push_str(docs);
    }
    text.push_str("export ");
    text.push_str(&T::decl());
    text.push('\n');
    Declaration {
        name: T::name(),
        refers_to: T::dependencies()
            .into_iter()
            .map(|dependency| dependency.ts_name)
            .collect(),
        text,
    }
}

/// Every type the UI exchanges with the shell, in the order the file lists them: a type before
/// the types that use it.
fn declarations() -> Vec<Declaration> {
    vec![
        declaration::<ProblemCode>(),
        declaration::<Problem>(),
        declaration::<SaleState>(),
        declaration::<PaymentMethod>(),
        declaration::<Language>(),
        declaration::<Settlement>(),
        declaration::<StaffRef>(),
        declaration::<OperationKind>(),
        declaration::<OperationState>(),
        declaration::<SaleOperation>(),
        declaration::<CartDiscount>(),
        declaration::<CartLineInput>(),
        declaration::<CartInput>(),
        declaration::<CartLineTotals>(),
        declaration::<VatTotal>(),
        declaration::<CartTotals>(),
        declaration::<Sale>(),
        declaration::<Notify>(),
        declaration::<SaleDraft>(),
        declaration::<SaleEdit>(),
        declaration::<ShareLinks>(),
        declaration::<ShareChannel>(),
        declaration::<CsvExport>(),
        declaration::<PickedFile>(),
        declaration::<DiagnosticsSummary>(),
        declaration::<UpdateSettings>(),
        declaration::<UpdateOffer>(),
        declaration::<HistoryQuery>(),
        declaration::<Total>(),
        declaration::<History>(),
        declaration::<Gateway>(),
        declaration::<Currency>(),
        declaration::<Theme>(),
        declaration::<WeekStart>(),
        declaration::<CurrencyDisplay>(),
        declaration::<Settings>(),
        declaration::<ProfileKind>(),
        declaration::<AuthKind>(),
        declaration::<Profile>(),
        declaration::<ProfileInput>(),
        declaration::<CheckKind>(),
        declaration::<ConnectionCheck>(),
        declaration::<Role>(),
        declaration::<StaffMember>(),
        declaration::<StaffInput>(),
        declaration::<OperationInput>(),
        declaration::<CatalogItem>(),
        declaration::<CatalogItemInput>(),
        declaration::<CatalogQuery>(),
        declaration::<ItemProblem>(),
        declaration::<RowProblem>(),
        declaration::<CatalogImport>(),
        declaration::<AppState>(),
        declaration::<CashEntryKind>(),
        declaration::<CashEntry>(),
        declaration::<Shift>(),
        declaration::<CashEntryInput>(),
        declaration::<CashSaleInput>(),
        declaration::<CashSale>(),
        declaration::<ReportKind>(),
        declaration::<MethodTotal>(),
        declaration::<StaffTotal>(),
        declaration::<HourTotal>(),
        declaration::<CashSummary>(),
        declaration::<DiscountTotal>(),
        declaration::<VatRateTotal>(),
        declaration::<ShiftReport>(),
        declaration::<Paper>(),
        declaration::<ReceiptLine>(),
        declaration::<ReceiptRefund>(),
        declaration::<TaxInvoiceQr>(),
        declaration::<Receipt>(),
        declaration::<BillState>(),
        declaration::<Bill>(),
        declaration::<OttuCashSetup>(),
        declaration::<OttuCashSetupInput>(),
        declaration::<DifferenceKind>(),
        declaration::<Difference>(),
        declaration::<Reconciliation>(),
        declaration::<DashboardScope>(),
        declaration::<Tally>(),
        declaration::<CurrencyDashboard>(),
        declaration::<Dashboard>(),
        declaration::<ErrorCode>(),
        declaration::<CommandError>(),
    ]
}

fn render(declarations: &[Declaration]) -> String {
    let mut out = format!(
        "// Generated from the Rust types of pos-core (crates/pos-core/src/dto.rs and the modules it\n\
         // re-exports) by `{REGENERATE}`.\n\
         // Do not edit: change the Rust types and run that command; `make test` fails while this\n\
         // file is stale.\n"
    );
    for declaration in declarations {
        out.push('\n');
        // ts-rs leaves a space at the end of some lines; editors and diff checks flag those.
        for line in declaration.text.lines() {
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
    out
}

/// The generated files, relative to the workspace root.
const BINDINGS: &str = "ui/src/lib/api/bindings.ts";
const COMMANDS: &str = "ui/src/lib/api/commands.ts";
const PROBLEM_CODES: &str = "ui/src/lib/api/problem-codes.ts";

/// `line N: on disk `…`, generated `…``, for the first line that differs.
fn first_difference(on_disk: &str, expected: &str) -> String {
    let mut on_disk_lines = on_disk.lines();
    let mut expected_lines = expected.lines();
    for number in 1.. {
        match (on_disk_lines.next(), expected_lines.next()) {
            (None, None) => break,
            (left, right) if left == right => continue,
            (left, right) => {
                return format!(
                    "line {number}: on disk `{}`, generated `{}`",
                    left.unwrap_or("<end of file>"),
                    right.unwrap_or("<end of file>")
                );
            }
        }
    }
    "only line endings or the final newline differ".to_owned()
}

#[test]
fn every_referenced_type_is_declared_once_and_before_its_users() {
    let mut declared = BTreeSet::new();
    for declaration in declarations() {
        for name in &declaration.refers_to {
            assert!(
                declared.contains(name),
                "{} refers to {name}, which is not declared before it: add it to declarations()",
                declaration.name
            );
        }
        assert!(
            declared.insert(declaration.name.clone()),
            "{} is declared twice",
            declaration.name
        );
    }
}

#[test]
fn money_and_numbers_have_the_wire_types() {
    // Money is a decimal string, never a number; counts and minutes are plain numbers (u32, not
    // bigint); optional inputs may be left out, nullable outputs are always present.
    let sale = Sale::decl();
    assert!(sale.contains("amount: string,"), "{sale}");
    assert!(sale.contains("session_id: string | null,"), "{sale}");
    let draft = SaleDraft::decl();
    assert!(draft.contains("customer_name?: string,"), "{draft}");
    assert!(draft.contains("expires_in_minutes?: number,"), "{draft}");
    let input = ProfileInput::decl();
    assert!(input.contains("secret?: string,"), "{input}");
    assert!(Total::decl().contains("count: number"));
}

#[test]
fn ui_bindings_are_up_to_date() {
    check_or_update(BINDINGS, &render(&declarations()));
}

#[test]
fn ui_command_wrappers_are_up_to_date() {
    let header = format!(
        "// Generated from pos-core's list of IPC commands (crates/pos-core/src/ipc.rs) by\n\
         // `{REGENERATE}`.\n\
         // Do not edit: change the list and run that command; `make test` fails while this file is\n\
         // stale. Every UI backend implements `CommandMethods`, so `npm run check` fails on one\n\
         // that misses or misnames a command or an argument.\n"
    );
    check_or_update(COMMANDS, &pos_core::ipc::typescript(&header));
}

/// Every problem code with the parameters of its English template, as a TypeScript constant.
fn problem_codes() -> String {
    let mut out = format!(
        "// Generated from pos-core's problem codes (crates/pos-core/src/problem.rs) by\n\
         // `{REGENERATE}`.\n\
         // Do not edit. `ui/src/lib/i18n/problems.test.ts` fails while a code here has no English or\n\
         // Arabic text, or their placeholders differ from the parameters listed.\n\
         import type {{ ProblemCode }} from './bindings';\n\n\
         /** Every problem pos-core can report, with its parameters. */\n\
         export const PROBLEM_PARAMS: Record<ProblemCode, readonly string[]> = {{\n"
    );
    for code in ProblemCode::ALL {
        let params: Vec<String> = code.params().iter().map(|p| format!("'{p}'")).collect();
        out.push_str(&format!("  {}: [{}],\n", code.as_str(), params.join(", ")));
    }
    out.push_str(
        "};\n\n/** Parameters shown beneath the translated sentence, never inside it. */\n",
    );
    let untranslated: Vec<String> = pos_core::problem::UNTRANSLATED_PARAMS
        .iter()
        .map(|p| format!("'{p}'"))
        .collect();
    out.push_str(&format!(
        "export const UNTRANSLATED_PARAMS: readonly string[] = [{}];\n",
        untranslated.join(", ")
    ));
    out
}

#[test]
fn ui_problem_codes_are_up_to_date() {
    check_or_update(PROBLEM_CODES, &problem_codes());
}

/// With `UPDATE_BINDINGS=1` writes `expected` to `relative` (from the workspace root); otherwise
/// fails unless the file there is exactly `expected`.
fn check_or_update(relative: &str, expected: &str) {
    let path = manifest_dir().join("../..").join(relative);
    if std::env::var_os("UPDATE_BINDINGS").is_some_and(|value| value == "1") {
        std::fs::write(&path, expected)
            .unwrap_or_else(|error| panic!("cannot write {}: {error}", path.display()));
        return;
    }
    let on_disk = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) => {
            panic!("cannot read {relative} ({error}); generate it with\n\n    {REGENERATE}\n")
        }
    };
    assert!(
        on_disk == expected,
        "{relative} does not match the Rust types ({}). Regenerate it with\n\n    {REGENERATE}\n\n\
         then run `npm --prefix ui run check` and commit both.",
        first_difference(&on_disk, expected)
    );
}

/// This crate's directory. Cargo names it when it runs the test; the compile-time value is only
/// the fallback, because a test binary built by another checkout sharing the target dir would
/// point there.
fn manifest_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}
