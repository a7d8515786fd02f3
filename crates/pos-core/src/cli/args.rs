//! The command-line grammar (clap derive). Doc comments become `--help`.

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::dto::{Language, Notify, PaymentMethod, SaleState};
use crate::profiles::AuthKind;

const EXIT_CODES: &str = "\
Exit codes:
  0  done (status --wait: the sale is paid)
  1  internal error
  2  invalid input or usage; the message names the field
  3  rejected by the payment server, or not found
  4  credentials refused, permission missing, or profile not configured
  5  network problem, or the outcome is unknown (the sale is kept and checked later)
  6  status --wait: the sale ended without being paid
  7  status --wait: --timeout passed while the sale was still open;
     settle --watch: --deadline passed with sales still being settled

Without --profile the active profile is used: the embedded demo on a fresh install.";

/// Ottu POS from the command line: payment links with a QR code, their status and history.
#[derive(Debug, Parser)]
#[command(name = "ottu-pos", version, after_help = EXIT_CODES)]
pub struct Cli {
    /// Use this profile for this command only (see `profile list`).
    #[arg(long, global = true, env = "OTTU_POS_PROFILE", value_name = "ID")]
    pub profile: Option<String>,
    /// Print JSON (the app's DTOs; errors as {"code","message","fields"}) instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    /// Directory of config.toml (settings and profiles).
    #[arg(long, global = true, env = "OTTU_POS_CONFIG_DIR", value_name = "DIR")]
    pub config_dir: Option<PathBuf>,
    /// Directory of the sales history and the demo sandbox's data.
    #[arg(long, global = true, env = "OTTU_POS_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Read the profile's API key or password from this environment variable instead of the OS
    /// keychain (headless machines, tests); the keychain is not touched and nothing is stored.
    #[arg(
        long,
        global = true,
        env = "OTTU_POS_SECRET_FROM_ENV",
        value_name = "VAR"
    )]
    pub secret_from_env: Option<String>,
    /// Test only: a file holding seconds to add to the engine's settling clock, read at every
    /// use (a chaos run moves it with the sandbox's clock).
    #[arg(long, global = true, env = "OTTU_POS_CLOCK_OFFSET_FILE", hide = true)]
    pub clock_offset_file: Option<PathBuf>,
    /// Test only: the engine's claim lease in milliseconds (default 90 s).
    #[arg(long, global = true, env = "OTTU_POS_CLAIM_LEASE_MS", hide = true)]
    pub claim_lease_ms: Option<u64>,
    /// Test only: how long one request to Ottu may take, in milliseconds.
    #[arg(long, global = true, env = "OTTU_POS_REQUEST_TIMEOUT_MS", hide = true)]
    pub request_timeout_ms: Option<u64>,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Create a payment request; prints the link and a QR code.
    Request(RequestArgs),
    /// Show a sale's state; with --wait, follow it until paid or over.
    Status(StatusArgs),
    /// Change an unpaid sale's amount or customer details.
    Edit(EditArgs),
    /// Cancel an unpaid sale (its link stops working).
    Cancel(SaleRef),
    /// Refund a paid sale, fully or in part (manager or owner; a cashier with a manager's PIN).
    Refund(OperationArgs),
    /// Capture an authorised payment, fully or in part (manager or owner).
    Capture(OperationArgs),
    /// Void an authorised payment (manager or owner).
    Void(OperationArgs),
    /// List past sales, or export them as CSV.
    History(HistoryArgs),
    /// List the payment gateways (pg_codes) the profile may use.
    Gateways(GatewaysArgs),
    /// Manage merchant profiles (connections to Ottu).
    #[command(subcommand)]
    Profile(ProfileCommand),
    /// Run the till's automatic checks with no window: settle sales whose answer was lost.
    Settle(SettleArgs),
    /// Open, close or show the shift; put cash into or take it out of the drawer.
    #[command(subcommand)]
    Shift(ShiftCommand),
    /// Record a sale paid in cash in the open shift; prints the change.
    CashSale(CashSaleArgs),
    /// The X report of the open shift, or the Z report of a closed one.
    Report(ReportArgs),
    /// Today's totals, sales by hour and by method, this week against last (a cashier: their
    /// own sales only).
    Dashboard,
    /// Compare this till's sales with Ottu's report files for a range of days (manager, owner).
    Reconcile(ReconcileArgs),
    /// Print a paid sale's receipt as plain text.
    Receipt(ReceiptArgs),
}

#[derive(Debug, Args)]
pub(crate) struct ReceiptArgs {
    /// The sale: its local id, Ottu session_id or order_no.
    pub sale: String,
    /// The language of the items' names: en or ar.
    #[arg(long, default_value = "en", value_parser = ["en", "ar"])]
    pub language: String,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ShiftCommand {
    /// Open a shift with the cash in the drawer (in the profile's currency).
    Open {
        /// The float: cash in the drawer now (0 for none).
        #[arg(long = "float", value_name = "AMOUNT")]
        opening_float: String,
    },
    /// Close the open shift with the cash counted; prints the Z report.
    Close {
        /// The cash counted in the drawer.
        #[arg(long, value_name = "AMOUNT")]
        counted: String,
    },
    /// Show the open shift, if any.
    Status,
    /// Put cash into the drawer.
    CashIn(CashEntryArgs),
    /// Take cash out of the drawer (manager or owner).
    CashOut(CashEntryArgs),
}

#[derive(Debug, Args)]
pub(crate) struct CashEntryArgs {
    /// How much.
    #[arg(long)]
    pub amount: String,
    /// Why (required).
    #[arg(long)]
    pub reason: String,
}

#[derive(Debug, Args)]
pub(crate) struct CashSaleArgs {
    /// The price, in the open shift's currency.
    #[arg(long)]
    pub amount: String,
    /// The cash the customer handed over.
    #[arg(long)]
    pub tendered: String,
    /// A note kept with the sale.
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct ReconcileArgs {
    /// First day, YYYY-MM-DD (UTC, as Ottu's report files).
    #[arg(long, value_name = "DAY")]
    pub from: String,
    /// Last day, inclusive.
    #[arg(long, value_name = "DAY")]
    pub to: String,
}

#[derive(Debug, Args)]
pub(crate) struct ReportArgs {
    /// x: the open shift so far; z: a closed shift as it closed (the latest without --shift).
    #[arg(value_enum)]
    pub kind: ReportKindArg,
    /// The shift's id (see `shift status`).
    #[arg(long, value_name = "ID")]
    pub shift: Option<String>,
    /// Print the report as CSV.
    #[arg(long)]
    pub csv: bool,
}

/// X or Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ReportKindArg {
    /// The open shift so far.
    X,
    /// A closed shift.
    Z,
}

#[derive(Debug, Args)]
pub(crate) struct SettleArgs {
    /// Keep running (and tracking open sales) until no sale is left to settle.
    #[arg(long)]
    pub watch: bool,
    /// With --watch: give up after this long (90s, 10m, 1h); exit code 7.
    #[arg(long, requires = "watch", value_name = "DURATION")]
    pub deadline: Option<WaitLimit>,
}

#[derive(Debug, Args)]
pub(crate) struct RequestArgs {
    /// Amount as a decimal, at most the currency's decimals (12.500 KWD, 12.50 USD); `.` or `٫` is
    /// the decimal point, `,` or `٬` groups thousands (1,500), Arabic-Indic digits are digits.
    #[arg(long)]
    pub amount: String,
    /// ISO 4217 currency; defaults to the profile's.
    #[arg(long)]
    pub currency: Option<String>,
    /// Customer's phone (E.164, e.g. +96550000000).
    #[arg(long)]
    pub phone: Option<String>,
    /// Customer's email.
    #[arg(long)]
    pub email: Option<String>,
    /// Customer's name.
    #[arg(long)]
    pub name: Option<String>,
    /// Ottu sends the link itself over these channels (comma-separated or repeated).
    #[arg(long, value_enum, value_delimiter = ',')]
    pub notify: Vec<NotifyChannel>,
    /// Attach a file (pdf, png, jpg, doc(x), xls(x), txt; at most 2.5 MB).
    #[arg(long, value_name = "FILE")]
    pub attach: Option<PathBuf>,
    /// Link lifetime: 30m, 2h, 1d, or plain minutes.
    #[arg(long, value_name = "DURATION")]
    pub expires: Option<Expiry>,
    /// Merchant reference; generated when absent.
    #[arg(long)]
    pub order_no: Option<String>,
    /// A note kept locally.
    #[arg(long)]
    pub note: Option<String>,
    /// Informational due date, YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    pub due_date: Option<String>,
    /// Language of the payment page and messages.
    #[arg(long, value_parser = parse_language)]
    pub language: Option<Language>,
    /// Payment gateway to offer (repeatable); defaults to the profile's.
    #[arg(long, value_name = "CODE")]
    pub pg_code: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum NotifyChannel {
    Sms,
    Email,
    Whatsapp,
}

/// `--notify` values as the draft's object (`None` when no channel was named).
pub(crate) trait ToNotify {
    fn to_notify(&self) -> Option<Notify>;
}

impl ToNotify for Vec<NotifyChannel> {
    fn to_notify(&self) -> Option<Notify> {
        if self.is_empty() {
            return None;
        }
        Some(Notify {
            sms: self.contains(&NotifyChannel::Sms),
            email: self.contains(&NotifyChannel::Email),
            whatsapp: self.contains(&NotifyChannel::Whatsapp),
        })
    }
}

/// A link lifetime in whole minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Expiry {
    pub minutes: u32,
}

impl FromStr for Expiry {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let (number, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
            Some(index) => text.split_at(index),
            None => (text, "m"),
        };
        let value: u32 = number
            .parse()
            .map_err(|_| format!("{text:?} is not a duration like 30m, 2h or 1d"))?;
        let factor = match unit.trim() {
            "m" | "min" => 1,
            "h" => 60,
            "d" => 24 * 60,
            other => return Err(format!("unknown unit {other:?}; use m, h or d")),
        };
        let minutes = value
            .checked_mul(factor)
            .filter(|m| *m > 0)
            .ok_or_else(|| format!("{text:?} must be at least one minute"))?;
        Ok(Expiry { minutes })
    }
}

/// A wait limit for `status --wait`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct WaitLimit {
    seconds: u64,
}

impl WaitLimit {
    pub fn duration(self) -> Duration {
        Duration::from_secs(self.seconds)
    }
}

impl FromStr for WaitLimit {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let (number, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
            Some(index) => text.split_at(index),
            None => (text, "s"),
        };
        let value: u64 = number
            .parse()
            .map_err(|_| format!("{text:?} is not a duration like 90s, 10m or 1h"))?;
        let factor = match unit {
            "s" => 1,
            "m" => 60,
            "h" => 3600,
            other => return Err(format!("unknown unit {other:?}; use s, m or h")),
        };
        Ok(WaitLimit {
            seconds: value.saturating_mul(factor),
        })
    }
}

fn parse_language(text: &str) -> Result<Language, String> {
    Language::parse(text).ok_or_else(|| format!("{text:?} is not en or ar"))
}

fn parse_method(text: &str) -> Result<PaymentMethod, String> {
    PaymentMethod::parse(text).ok_or_else(|| format!("{text:?} is not link, cash or split"))
}

fn parse_state(text: &str) -> Result<SaleState, String> {
    SaleState::parse(text).ok_or_else(|| {
        let names: Vec<&str> = SaleState::ALL.iter().map(|s| s.as_str()).collect();
        format!("{text:?} is not a state; use one of {}", names.join(", "))
    })
}

#[derive(Debug, Args)]
pub(crate) struct SaleRef {
    /// The sale: its local id, Ottu session_id or order_no.
    pub sale: String,
}

#[derive(Debug, Args)]
pub(crate) struct OperationArgs {
    /// The sale: local id, Ottu session_id or order_no.
    pub sale: String,
    /// Amount; the whole remaining amount when left out (a void is always whole).
    #[arg(long)]
    pub amount: Option<String>,
    /// Repeat an earlier attempt (its id is printed): Ottu then runs it at most once.
    #[arg(long, value_name = "ID")]
    pub intent: Option<String>,
    /// Environment variable holding a manager's PIN approving a cashier's refund (never the PIN
    /// itself on the command line).
    #[arg(long, value_name = "VAR")]
    pub approver_pin_env: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct StatusArgs {
    /// The sale: its local id, Ottu session_id or order_no.
    pub sale: String,
    /// Follow the sale until it is paid or over, printing each change.
    #[arg(long)]
    pub wait: bool,
    /// With --wait: give up after this long (90s, 10m, 1h); exit code 7.
    #[arg(long, requires = "wait", value_name = "DURATION")]
    pub timeout: Option<WaitLimit>,
}

#[derive(Debug, Args)]
pub(crate) struct EditArgs {
    /// The sale: its local id, Ottu session_id or order_no.
    pub sale: String,
    /// New amount (same currency).
    #[arg(long)]
    pub amount: Option<String>,
    /// New customer name ("" clears it).
    #[arg(long)]
    pub name: Option<String>,
    /// New customer phone ("" clears it).
    #[arg(long)]
    pub phone: Option<String>,
    /// New customer email ("" clears it).
    #[arg(long)]
    pub email: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct HistoryArgs {
    /// Only sales in this state (paid, created, pending, canceled, expired...).
    #[arg(long, value_parser = parse_state)]
    pub state: Option<SaleState>,
    /// Only today's sales (local date).
    #[arg(long, conflicts_with_all = ["from", "to"])]
    pub today: bool,
    /// From this local day, YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Up to and including this local day, YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Match customer name, phone, email or order number.
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    /// At most this many sales (default 200; CSV default: all).
    #[arg(long)]
    pub limit: Option<u32>,
    /// Only sales made by this staff member (staff id, e.g. staff-2).
    #[arg(long, value_name = "STAFF_ID")]
    pub staff: Option<String>,
    /// Only sales paid this way (link, cash or split).
    #[arg(long, value_parser = parse_method)]
    pub method: Option<PaymentMethod>,
    /// Write CSV to FILE, or to stdout when no file is given.
    #[arg(long, value_name = "FILE", num_args = 0..=1)]
    pub csv: Option<Option<PathBuf>>,
}

#[derive(Debug, Args)]
pub(crate) struct GatewaysArgs {
    /// Currency; defaults to the profile's.
    #[arg(long)]
    pub currency: Option<String>,
    /// Ask the server again instead of using the cached list.
    #[arg(long)]
    pub refresh: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ProfileCommand {
    /// Add a merchant profile. The API key or password comes from --secret-env VAR or stdin.
    Add(ProfileAddArgs),
    /// List profiles; the active one is marked with *.
    List,
    /// Make a profile the active one.
    Use {
        /// Profile id.
        id: String,
    },
    /// Check a saved profile's host, credentials and permissions (default: the active one).
    Test {
        /// Profile id.
        id: Option<String>,
    },
    /// Delete a merchant profile and its keychain entry.
    Delete {
        /// Profile id.
        id: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum AuthArg {
    /// Private API key (every permission).
    ApiKey,
    /// Dashboard user name and password (that user's permissions).
    Basic,
}

impl From<AuthArg> for AuthKind {
    fn from(value: AuthArg) -> Self {
        match value {
            AuthArg::ApiKey => AuthKind::ApiKey,
            AuthArg::Basic => AuthKind::Basic,
        }
    }
}

#[derive(Debug, Args)]
pub(crate) struct SecretSource {
    /// Read the API key or password from this environment variable (never pass it as a value).
    #[arg(long, value_name = "VAR", visible_aliases = ["api-key-env", "password-env"])]
    pub secret_env: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct ProfileAddArgs {
    /// Display name; the id is made from it.
    #[arg(long)]
    pub name: String,
    /// The Ottu host, e.g. https://merchant.ottu.net.
    #[arg(long, value_name = "URL")]
    pub url: String,
    /// How to sign in.
    #[arg(long, value_enum, default_value_t = AuthArg::ApiKey)]
    pub auth: AuthArg,
    /// Dashboard user name (Basic only).
    #[arg(long)]
    pub username: Option<String>,
    /// Default currency of new sales.
    #[arg(long, default_value = "KWD")]
    pub currency: String,
    /// Default payment gateway (repeatable); default: every gateway offered.
    #[arg(long, value_name = "CODE")]
    pub pg_code: Vec<String>,
    #[command(flatten)]
    pub secret: SecretSource,
    /// Make it the active profile.
    #[arg(long = "use")]
    pub make_active: bool,
}

#[cfg(test)]
mod tests;
