//! The types the shell, the UI and the CLI see (docs/architecture.md, "Types").
//!
//! Every field name is the JSON name (`snake_case`). Money travels as a decimal string with the
//! currency's own number of decimals (`"12.500"` for KWD); it is never a float. With the `ts`
//! feature each type also derives `ts_rs::TS`: the UI's `ui/src/lib/api/bindings.ts` is generated
//! from these types by `UPDATE_BINDINGS=1 cargo test -p pos-core --test ui_bindings`,
//! and the same test without the variable fails when the file is stale.
//!
//! Over 400 lines on purpose: it is the list of wire types, most of it doc comments that go
//! into the UI's generated bindings; one file is the one place to read the contract (tests are
//! in `dto/tests.rs`).

use serde::{Deserialize, Serialize};

use crate::error::{Error, FieldErrors};

// The till's types (settings, profiles, connection checks, gateways, app state).
pub use crate::bills::{Bill, BillState};
pub use crate::cart::{
    CartDiscount, CartInput, CartLineInput, CartLineTotals, CartTotals, VatTotal,
};
pub use crate::catalog::csv_io::{CatalogImport, RowProblem};
pub use crate::catalog::{CatalogItem, CatalogItemInput, CatalogQuery, ItemProblem};
pub use crate::connection::{CheckKind, ConnectionCheck};
pub use crate::dashboard::{CurrencyDashboard, Dashboard, DashboardScope, Tally};
pub use crate::diagnostics::DiagnosticsSummary;
pub use crate::gateways::Gateway;
pub use crate::print::Paper;
pub use crate::problem::{Problem, ProblemCode};
pub use crate::profiles::{AuthKind, Profile, ProfileInput, ProfileKind};
pub use crate::receipt::{Receipt, ReceiptLine, ReceiptRefund, TaxInvoiceQr};
pub use crate::reconcile::{Difference, DifferenceKind, Reconciliation};
pub use crate::reports::{
    CashSummary, DiscountTotal, HourTotal, MethodTotal, ReportKind, ShiftReport, StaffTotal,
    VatRateTotal,
};
pub use crate::settings::{Currency, CurrencyDisplay, Settings, Theme, WeekStart};
pub use crate::shifts::{CashEntry, CashEntryInput, CashEntryKind, CashSale, CashSaleInput, Shift};
pub use crate::staff::{Role, StaffInput, StaffMember};
pub use crate::till::AppState;
pub use crate::till::{OttuCashSetup, OttuCashSetupInput};
pub use crate::updates::{UpdateOffer, UpdateSettings};

/// Where a sale stands: the server's states plus three local ones.
///
/// - `sending`: written to the local ledger, the create request is in flight.
/// - `unknown`: the request may have reached the server and the answer was lost; the core
///   reconciles it (it never creates a second payment link by itself).
/// - `rejected`: the server refused it (validation); nothing exists server-side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum SaleState {
    /// Written locally, the create request is in flight.
    Sending,
    /// The create may or may not have reached the server; reconciliation decides.
    Unknown,
    /// The server refused the create; nothing exists server-side.
    Rejected,
    /// The link exists and has not been opened.
    Created,
    /// The customer opened the link or started paying.
    Pending,
    /// An attempt failed or was cancelled; the customer may try again.
    Attempted,
    /// Funds held, not captured.
    Authorized,
    /// Funds collected.
    Paid,
    /// The payment failed for good.
    Failed,
    /// Cancelled by staff.
    Canceled,
    /// The link expired.
    Expired,
    /// The merchant's configuration made the link unpayable.
    Invalided,
    /// Refunded.
    Refunded,
    /// Cash on delivery.
    Cod,
}

impl SaleState {
    /// Every state, in the order of the enum.
    pub const ALL: [SaleState; 14] = [
        SaleState::Sending,
        SaleState::Unknown,
        SaleState::Rejected,
        SaleState::Created,
        SaleState::Pending,
        SaleState::Attempted,
        SaleState::Authorized,
        SaleState::Paid,
        SaleState::Failed,
        SaleState::Canceled,
        SaleState::Expired,
        SaleState::Invalided,
        SaleState::Refunded,
        SaleState::Cod,
    ];

    /// The JSON (and database) name of the state.
    pub fn as_str(self) -> &'static str {
        match self {
            SaleState::Sending => "sending",
            SaleState::Unknown => "unknown",
            SaleState::Rejected => "rejected",
            SaleState::Created => "created",
            SaleState::Pending => "pending",
            SaleState::Attempted => "attempted",
            SaleState::Authorized => "authorized",
            SaleState::Paid => "paid",
            SaleState::Failed => "failed",
            SaleState::Canceled => "canceled",
            SaleState::Expired => "expired",
            SaleState::Invalided => "invalided",
            SaleState::Refunded => "refunded",
            SaleState::Cod => "cod",
        }
    }

    /// Parses a state name; `None` for a name this version does not know.
    pub fn parse(name: &str) -> Option<SaleState> {
        SaleState::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// The link exists server-side and the customer can still pay it: the tracker polls these.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            SaleState::Created | SaleState::Pending | SaleState::Attempted
        )
    }

    /// Nothing more will happen to the sale without staff action: the tracker stops polling.
    ///
    /// `failed` and `expired` can in principle still turn `paid` on a late gateway answer; a
    /// manual refresh picks that up, polling does not wait for it.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            SaleState::Rejected
                | SaleState::Authorized
                | SaleState::Paid
                | SaleState::Failed
                | SaleState::Canceled
                | SaleState::Expired
                | SaleState::Invalided
                | SaleState::Refunded
                | SaleState::Cod
        )
    }

    /// The local states whose server-side existence is not settled yet.
    pub fn needs_reconciliation(self) -> bool {
        matches!(self, SaleState::Sending | SaleState::Unknown)
    }
}

impl std::fmt::Display for SaleState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The language of the customer-facing texts (payment page, share messages).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Language {
    /// English.
    #[default]
    En,
    /// Arabic.
    Ar,
}

impl Language {
    /// The API's code (`en`, `ar`).
    pub fn as_str(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Ar => "ar",
        }
    }

    /// Parses `en` / `ar`.
    pub fn parse(code: &str) -> Option<Language> {
        match code {
            "en" => Some(Language::En),
            "ar" => Some(Language::Ar),
            _ => None,
        }
    }
}

/// How a sale is paid: an Ottu payment link (or invoice), cash at the till, or a bill split
/// between cash and links.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    /// An Ottu link or invoice.
    #[default]
    Link,
    /// Cash into the open shift's drawer.
    Cash,
    /// A bill split into parts paid by cash and by links. A part is stored with its own
    /// method (`link` or `cash`, as reports count it) and its bill; filtering the history on
    /// `split` finds the parts of split bills.
    Split,
}

impl PaymentMethod {
    /// The stored name (`sales.method`).
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::Link => "link",
            PaymentMethod::Cash => "cash",
            PaymentMethod::Split => "split",
        }
    }

    /// The method a stored name names; `None` for any other text.
    pub fn parse(text: &str) -> Option<PaymentMethod> {
        match text {
            "link" => Some(PaymentMethod::Link),
            "cash" => Some(PaymentMethod::Cash),
            "split" => Some(PaymentMethod::Split),
            _ => None,
        }
    }
}

/// One sale as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Sale {
    /// Local id (stable across restarts).
    pub id: String,
    /// The merchant reference sent to Ottu; unique per profile.
    pub order_no: String,
    /// Ottu's id, once the server has confirmed the transaction.
    pub session_id: Option<String>,
    /// Where the sale stands.
    pub state: SaleState,
    /// How it is paid (set when it is written; a cash sale never has a link).
    #[serde(default)]
    pub method: PaymentMethod,
    /// The split bill this sale is a part of; `null` for a sale of its own.
    #[serde(default)]
    pub bill_id: Option<String>,
    /// Decimal string with the currency's decimals, e.g. `"12.500"`.
    pub amount: String,
    /// ISO 4217 code.
    pub currency_code: String,
    /// Customer's name as typed.
    pub customer_name: Option<String>,
    /// Customer's phone in E.164 (`+96599999999`).
    pub customer_phone: Option<String>,
    /// Customer's email.
    pub customer_email: Option<String>,
    /// Staff note (kept locally).
    pub note: Option<String>,
    /// Language of the payment page and the share messages.
    pub language: Language,
    /// Ottu's checkout page.
    pub checkout_url: Option<String>,
    /// Ottu's short link, when the instance has one.
    pub short_url: Option<String>,
    /// `short_url ?? checkout_url`: what is shared and encoded in the QR.
    pub link: Option<String>,
    /// SVG markup of the QR code, rendered locally from `link`.
    ///
    /// Filled for single-sale results (create, get, edit, cancel, updates from `subscribe`);
    /// left `null` in history lists so a long list stays light (open the sale to get it).
    pub qr_svg: Option<String>,
    /// When the link stops accepting payments (RFC 3339, UTC).
    pub expires_at: Option<String>,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// RFC 3339, UTC.
    pub updated_at: String,
    /// When the tracker first saw the sale paid (RFC 3339, UTC).
    pub paid_at: Option<String>,
    /// The merchant profile the sale belongs to.
    pub profile_id: String,
    /// What the till notes about the sale when the state is `unknown` or `rejected` (or an
    /// action failed), as a problem code the UI translates.
    pub problem: Option<Problem>,
    /// How the till is settling the sale, and what staff may do about it.
    #[serde(default)]
    pub settlement: Settlement,
    /// The staff member who made the sale (till staff, not an Ottu user); `null` for sales made
    /// before staff existed or by a script with no staff.
    #[serde(default)]
    pub created_by: Option<StaffRef>,
    /// Refunds, captures and voids of the sale, oldest first. Filled for single-sale results
    /// (`get_sale`, an operation's answer); empty in history lists.
    #[serde(default)]
    pub operations: Vec<SaleOperation>,
    /// What may still be refunded (paid sales; `null` otherwise), in the currency's decimals.
    #[serde(default)]
    pub refundable_amount: Option<String>,
    /// The operations the sale's state, what remains and its gateways allow now (whether the
    /// signed-in staff member may is the role table's, checked when asked). Filled with
    /// `operations`.
    #[serde(default)]
    pub offered_operations: Vec<OperationKind>,
    /// An itemised sale (made from a cart, as an Ottu invoice): its priced lines, VAT per rate
    /// and total as sent, kept for the receipt. Absent for a payment request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub cart: Option<crate::cart::CartTotals>,
}

/// A refund, capture or void of a sale, as the till's ledger holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SaleOperation {
    /// Local id: the intent the staff member started (a double click or a retry reuses it).
    pub id: String,
    /// The sale.
    pub sale_id: String,
    /// What it is.
    pub kind: OperationKind,
    /// The amount asked for, in the currency's decimals (`null`: the whole remaining amount).
    pub amount: Option<String>,
    /// The sale's currency.
    pub currency_code: String,
    /// Where it stands.
    pub state: OperationState,
    /// The amount Ottu says it operated on.
    pub result_amount: Option<String>,
    /// Ottu's reference of the child transaction.
    pub reference_number: Option<String>,
    /// Why it was refused, rejected or is being checked, as a problem code.
    pub problem: Option<Problem>,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// RFC 3339, UTC.
    pub updated_at: String,
    /// Who asked for it.
    pub created_by: Option<StaffRef>,
    /// Who approved it (a manager, for a cashier's refund).
    pub approved_by: Option<StaffRef>,
}

/// A post-payment operation (Ottu's external operations).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum OperationKind {
    /// Money back to the customer (full or partial) from a paid sale.
    Refund,
    /// Collect an authorised payment (full or partial).
    Capture,
    /// Release an authorised payment (always whole).
    Void,
}

/// Where an operation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum OperationState {
    /// Written, on its way to Ottu.
    Sending,
    /// Ottu's answer was lost; it is sent again with the same Tracking-Key, so Ottu runs it once.
    Unknown,
    /// Done (refunded, captured, voided).
    Done,
    /// Ottu queued it (a refund the gateway settles later).
    Queued,
    /// The gateway rejected it.
    Rejected,
    /// Ottu refused it (nothing happened): the `problem` says why.
    Refused,
}

impl OperationKind {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            OperationKind::Refund => "refund",
            OperationKind::Capture => "capture",
            OperationKind::Void => "void",
        }
    }

    /// Reads a stored name.
    pub fn parse(text: &str) -> Option<OperationKind> {
        [
            OperationKind::Refund,
            OperationKind::Capture,
            OperationKind::Void,
        ]
        .into_iter()
        .find(|k| k.as_str() == text)
    }
}

impl OperationState {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            OperationState::Sending => "sending",
            OperationState::Unknown => "unknown",
            OperationState::Done => "done",
            OperationState::Queued => "queued",
            OperationState::Rejected => "rejected",
            OperationState::Refused => "refused",
        }
    }

    /// Reads a stored name (an unknown one reads as `unknown`, which is sent again safely).
    pub fn parse(text: &str) -> OperationState {
        [
            OperationState::Sending,
            OperationState::Unknown,
            OperationState::Done,
            OperationState::Queued,
            OperationState::Rejected,
            OperationState::Refused,
        ]
        .into_iter()
        .find(|k| k.as_str() == text)
        .unwrap_or(OperationState::Unknown)
    }

    /// Whether the money may be (or is) gone: counted against what remains refundable.
    pub fn takes_amount(self) -> bool {
        matches!(
            self,
            OperationState::Sending
                | OperationState::Unknown
                | OperationState::Done
                | OperationState::Queued
        )
    }
}

/// Staff asking for a refund, capture or void.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OperationInput {
    /// A new id per intent (the dialog makes one when it opens); sending the same one again
    /// (a double click, a retry) never makes a second operation.
    pub intent_id: String,
    /// The sale.
    pub sale_id: String,
    /// What to do.
    pub kind: OperationKind,
    /// Amount; blank for the whole remaining amount (always whole for a void).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub amount: Option<String>,
    /// A manager's PIN approving a cashier's refund.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub approver_pin: Option<String>,
}

/// A staff member as recorded on a sale or an operation: id and name at the time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StaffRef {
    /// Staff id.
    pub id: String,
    /// Their name when they did it.
    pub name: String,
}

/// How the till is settling a sale, and what staff may do about it (see `docs/architecture.md`,
/// "Settling a lost create").
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Settlement {
    /// Until when the till keeps looking for the sale's order number on the server, in case a
    /// create whose answer was lost lands late (RFC 3339, UTC); `null` when not looking.
    pub watch_until: Option<String>,
    /// When the till asks Ottu about the sale again by itself (RFC 3339, UTC); `null` when it
    /// will not.
    pub next_check_at: Option<String>,
    /// "Check now" asks Ottu about the sale right away.
    pub can_check: bool,
    /// "Make a new link" is safe: no link of this sale can be paid (none exists, or it was
    /// cancelled), so a fresh one with a new order number never makes two live links.
    pub can_replace: bool,
    /// The sale made to replace this one.
    pub replaced_by: Option<String>,
    /// The sale this one replaces.
    pub replaces: Option<String>,
    /// A transaction with this order number differs from the sale in amount or currency: it
    /// was not adopted, and staff must look at it (the `problem` says what differs).
    pub mismatch: bool,
}

/// Which Ottu-side notifications to request (sent by Ottu when the link is created).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Notify {
    /// SMS to `customer_phone`.
    #[serde(default)]
    pub sms: bool,
    /// Email to `customer_email`.
    #[serde(default)]
    pub email: bool,
    /// WhatsApp to `customer_phone`.
    #[serde(default)]
    pub whatsapp: bool,
}

impl Notify {
    /// No channel asked for.
    pub fn is_empty(&self) -> bool {
        !(self.sms || self.email || self.whatsapp)
    }
}

/// What the staff typed for a new sale.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SaleDraft {
    /// Decimal string; at most the currency's decimals, greater than zero.
    pub amount: String,
    /// ISO 4217 code.
    pub currency_code: String,
    /// Shown on the payment page, at most 64 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub customer_name: Option<String>,
    /// E.164, or a local number that gets `+965`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub customer_phone: Option<String>,
    /// At most 128 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub customer_email: Option<String>,
    /// Merchant reference; generated (`POS-YYYYMMDD-XXXXXX`) when blank.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub order_no: Option<String>,
    /// Kept locally only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub note: Option<String>,
    /// Link lifetime; the server's default (24 h) when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub expires_in_minutes: Option<u32>,
    /// Informational due date, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub due_date: Option<String>,
    /// Ottu-side notifications.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub notify: Option<Notify>,
    /// A file to attach (pdf, png, jpg, jpeg, doc, docx, xls, xlsx, txt; at most 2.5 MB). Over
    /// IPC the page sends the token `pick_attachment` answered, never a path: the shell swaps it
    /// for the file the cashier chose in its own dialog (the CLI passes a path).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub attachment_path: Option<String>,
    /// Defaults to the engine's default language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub language: Option<Language>,
    /// Defaults to the profile's gateways.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub pg_codes: Option<Vec<String>>,
    /// Sell these lines as an Ottu invoice (itemised, with VAT) instead of a payment request:
    /// `amount` and `currency_code` are then the cart's (the priced total; a typed amount must
    /// equal it), and only purchase gateways may be chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub cart: Option<crate::cart::CartInput>,
}

/// A change to an unpaid sale (sent as a PATCH, same `session_id` and link). Absent or blank
/// fields stay as they are: Ottu keeps a customer detail once set.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SaleEdit {
    /// New amount (same currency).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub amount: Option<String>,
    /// New customer name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub customer_name: Option<String>,
    /// New customer phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub customer_phone: Option<String>,
    /// New customer email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub customer_email: Option<String>,
}

/// Ready-to-open links that share a sale's payment link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ShareLinks {
    /// The message itself (for "copy").
    pub text: String,
    /// `https://wa.me/<digits>?text=…` (or `https://wa.me/?text=…` without a phone).
    pub whatsapp: Option<String>,
    /// `sms:+965…?&body=…`; `None` without a phone.
    pub sms: Option<String>,
    /// `mailto:…?subject=…&body=…`; `None` without an email.
    pub email: Option<String>,
}

/// A channel to share a sale's link on (`open_share`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ShareChannel {
    /// `https://wa.me/…`.
    Whatsapp,
    /// `sms:…`.
    Sms,
    /// `mailto:…`.
    Email,
}

/// What the CSV export wrote (`export_csv`): where, and how many sales.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CsvExport {
    /// The file the cashier chose in the shell's save dialog.
    pub path: String,
    /// Rows written (sales, or catalog items).
    pub rows: usize,
}

/// A file the cashier chose in the shell's open dialog (`pick_attachment`). The page never sees
/// or sends a path: it sends `token` as the draft's `attachment_path`, and the shell swaps it
/// for the path it chose (once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PickedFile {
    /// One-time token for the chosen file.
    pub token: String,
    /// The file's name, to show.
    pub name: String,
}

/// Filters for the history screen and the CSV export.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HistoryQuery {
    /// Matches customer name, phone, email or order number (case-insensitive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub text: Option<String>,
    /// Only this state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub state: Option<SaleState>,
    /// First day, `YYYY-MM-DD` in local time (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD` in local time (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub to: Option<String>,
    /// At most this many sales, newest first (default 200).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub limit: Option<u32>,
    /// Only sales made by this staff member (staff id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub staff_id: Option<String>,
    /// Only sales paid this way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub method: Option<PaymentMethod>,
}

/// A sum of money per currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Total {
    /// ISO 4217 code.
    pub currency_code: String,
    /// Decimal string with the currency's decimals.
    pub amount: String,
    /// How many sales make up the sum.
    pub count: u32,
}

/// A page of history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct History {
    /// Newest first.
    pub sales: Vec<Sale>,
    /// Today's (local date) paid sales of the profile, one entry per currency.
    pub today_paid: Vec<Total>,
}

/// What kind of failure a command hit; the UI picks its reaction from this, never from text.
///
/// The names are the strings of pos-core's `Error::code()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The input failed validation (or does not fit the sale's state); `fields` says which fields.
    InvalidInput,
    /// The payment platform refused the request.
    ApiRejected,
    /// The credentials were refused.
    Unauthorized,
    /// The credentials lack a permission the request needs.
    Forbidden,
    /// The sale, profile or file does not exist.
    NotFound,
    /// The platform could not be reached.
    Network,
    /// The request may or may not have reached the platform; the app is checking.
    Ambiguous,
    /// Something must be set up first (a profile, a secret).
    NotConfigured,
    /// The till is locked: a staff PIN is needed.
    Locked,
    /// The signed-in staff member's role does not allow this.
    NotAllowed,
    /// A bug or an unexpected local failure.
    Internal,
}

impl ErrorCode {
    /// Every code, in the order of the enum.
    pub const ALL: [ErrorCode; 11] = [
        ErrorCode::InvalidInput,
        ErrorCode::ApiRejected,
        ErrorCode::Unauthorized,
        ErrorCode::Forbidden,
        ErrorCode::NotFound,
        ErrorCode::Network,
        ErrorCode::Ambiguous,
        ErrorCode::NotConfigured,
        ErrorCode::Locked,
        ErrorCode::NotAllowed,
        ErrorCode::Internal,
    ];

    /// The JSON name of the code.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidInput => "invalid_input",
            ErrorCode::ApiRejected => "api_rejected",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Network => "network",
            ErrorCode::Ambiguous => "ambiguous",
            ErrorCode::NotConfigured => "not_configured",
            ErrorCode::Locked => "locked",
            ErrorCode::NotAllowed => "not_allowed",
            ErrorCode::Internal => "internal",
        }
    }

    /// Parses a code name; `None` for a name this version does not know.
    pub fn parse(name: &str) -> Option<ErrorCode> {
        ErrorCode::ALL
            .into_iter()
            .find(|code| code.as_str() == name)
    }
}

/// A code equals its wire string (`ErrorCode::Network == "network"`).
impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// The error every desktop command returns to the UI: `{ code, message, fields, sale_id }`.
///
/// Defined in pos-core rather than in the shell so its TypeScript type is generated with the
/// others.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CommandError {
    /// The kind of failure.
    pub code: ErrorCode,
    /// What went wrong as a code with parameters; the UI translates it. Boxed: it keeps
    /// `Result<_, CommandError>` small.
    pub problem: Box<Problem>,
    /// The problem's English sentence (for the CLI and logs; the UI shows `problem` translated).
    pub message: String,
    /// Field name (`SaleDraft` / `SaleEdit` / `ProfileInput` JSON names) to its problems;
    /// empty when the error is not about a field.
    // ts-rs writes maps as `{ [key in string]?: ... }` (for enum keys); a serialised map never
    // holds an absent value, and `noUncheckedIndexedAccess` already covers missing keys.
    #[cfg_attr(feature = "ts", ts(type = "Record<string, Array<Problem>>"))]
    pub fields: FieldErrors,
    /// The sale the failure left behind, when there is one: an `ambiguous` create keeps its sale
    /// (`unknown`) and the till settles it, so the UI opens that sale instead of offering to
    /// send the draft again. `null` otherwise.
    #[serde(default)]
    pub sale_id: Option<String>,
}

impl CommandError {
    /// An error that is not about a particular field.
    pub fn new(code: ErrorCode, problem: Problem) -> Self {
        Self {
            code,
            message: problem.message.clone(),
            problem: Box::new(problem),
            fields: FieldErrors::new(),
            sale_id: None,
        }
    }
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CommandError {}

impl From<Error> for CommandError {
    /// The code from [`Error::code`], the message from its `Display` (plain words, no secrets),
    /// its per-field messages and, for an ambiguous create, the sale it left `unknown`.
    fn from(error: Error) -> Self {
        let sale_id = match &error {
            Error::Ambiguous { sale_id, .. } => Some(sale_id.clone()),
            _ => None,
        };
        let problem = error.problem();
        Self {
            code: error.code(),
            message: problem.message.clone(),
            problem: Box::new(problem),
            fields: error.field_errors(),
            sale_id,
        }
    }
}

#[cfg(test)]
mod tests;
