//! The `ottu-pos` command line: the same till as the desktop app, for scripts and terminals.
//!
//! ```text
//! ottu-pos request --amount 12.500 --currency KWD --phone +96550000000 --expires 30m
//! ottu-pos status <sale id | session_id | order_no> [--wait]
//! ottu-pos edit <sale> --amount 15      ottu-pos cancel <sale>
//! ottu-pos refund <sale> [--amount 2.500] [--intent ID] [--approver-pin-env VAR]
//! ottu-pos capture|void <sale> [--amount X] [--intent ID]
//! ottu-pos history [--state paid] [--today] [--from D --to D] [--search TEXT] [--csv [FILE]]
//! ottu-pos gateways [--currency KWD] [--refresh]
//! ottu-pos profile add|list|use|test|delete
//! ottu-pos settle [--watch [--deadline 10m]]
//! ottu-pos shift open --float 50 | close --counted 67.345 | status | cash-in|cash-out --amount 5 --reason R
//! ottu-pos cash-sale --amount 12.345 --tendered 20
//! ottu-pos report x|z [--shift ID] [--csv]
//! ottu-pos reconcile --from 2026-12-01 --to 2026-12-03
//! ```
//!
//! It uses the active profile (the embedded demo on a fresh install) unless `--profile <id>` says
//! otherwise for one invocation. `--json` prints the DTOs of docs/architecture.md (and errors as
//! `{"code", "message", "fields"}`) on stdout. `--config-dir` / `--data-dir` (or
//! `OTTU_POS_CONFIG_DIR` / `OTTU_POS_DATA_DIR`) point at other state, which is how tests
//! isolate themselves. Secrets never go on the command line: `--secret-env VAR` names an
//! environment variable holding the key, otherwise it is read from stdin (without echo on a
//! terminal).
//!
//! Once some staff member has a PIN (see `staff`), every command runs as the staff member whose
//! PIN is in `OTTU_POS_PIN`, or on the first line of stdin (typed without echo on a terminal) —
//! never an argument, which the process list and shell history would show — and the app's role
//! table applies. Before any PIN exists, commands run as the till's first owner.
//!
//! `--secret-from-env VAR` (or `OTTU_POS_SECRET_FROM_ENV=VAR`) makes every command read the
//! profile's key or password from the environment variable `VAR` instead of the OS keychain,
//! for headless machines without a Secret Service and for tests: only the variable's name is
//! given, the keychain is neither read nor written, and `profile add` with it stores no secret
//! (it accepts only the variable's own value). See `secrets::EnvSecretStore`.
//!
//! # `settle`: the headless engine
//!
//! `settle` opens the sales engine of the profile and runs every automatic check that is due
//! (`Sales::settle_due`: cancel-by-order-number steps of lost creates, `sending` rows whose
//! process died once their claims lapse, status queries Ottu allows, re-checks of closed
//! sales), once, and prints `{"checked", "unsettled"}`. With `--watch` it keeps doing so every
//! quarter second, with the status tracker polling open sales meanwhile, until no sale is
//! `sending` or `unknown` with a check scheduled (exit 0), or `--deadline` passes (exit 7). It
//! is safe to run beside the app or other CLI processes on the same history, and to kill at
//! any moment: every step runs under a claim and writes by compare-and-set.
//!
//! # Test-only knobs
//!
//! Hidden from `--help`, read from the environment, used by the chaos test
//! (`tests/chaos`) to run CLI processes against a sandbox whose clock it moves:
//! `OTTU_POS_CLOCK_OFFSET_FILE` (a file holding seconds added to the engine's settling clock,
//! read at every use: `Clock::offset_file`), `OTTU_POS_CLAIM_LEASE_MS` (the claim lease, so a
//! killed process's claims lapse in seconds) and `OTTU_POS_REQUEST_TIMEOUT_MS` (the client's
//! timeout, which must stay below the lease). A shop never sets them.
//!
//! # Exit codes
//!
//! | code | meaning |
//! |---|---|
//! | 0 | done (for `status --wait`: the sale is paid) |
//! | 1 | internal error (a bug, a damaged local file) |
//! | 2 | invalid input or usage; the message names the field (`amount: ...`) |
//! | 3 | the payment server rejected the request, or the sale / transaction was not found |
//! | 4 | credentials refused, permission missing, or the profile is not configured |
//! | 5 | network problem, or the outcome is unknown (the sale is kept and reconciled) |
//! | 6 | `status --wait`: the sale ended without being paid (failed, canceled, expired...) |
//! | 7 | `status --wait`: gave up after `--timeout` while the sale was still open; `settle --watch`: `--deadline` passed with sales still being settled |
//! | 8 | a staff PIN is needed (none given, or wrong), or the staff member's role does not allow it |
//!
//! `profile test` exits 0 when the connection works, 4 for bad credentials or a missing
//! permission, 5 for a bad host or no network.
//!
//! Over 400 lines on purpose: one `match` arm per subcommand, each a few lines calling the till;
//! argument parsing is in `cli/args.rs` and printing in `cli/output.rs`.

mod args;
mod output;

use std::ffi::OsString;
use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;

use crate::dto::{ErrorCode, HistoryQuery, SaleDraft, SaleEdit, SaleState};
use crate::error::Error;
use crate::profiles::{AuthKind, ProfileInput};
use crate::secrets::{EnvSecretStore, KeyringStore, Secret};
use crate::till::{Till, TillDirs, TillOptions};

pub use args::Cli;
use args::{Command, ProfileCommand, ToNotify};
use output::Printer;

/// Exit codes (see the module docs).
pub mod exit {
    /// Done.
    pub const OK: u8 = 0;
    /// A bug or a damaged local file.
    pub const INTERNAL: u8 = 1;
    /// Invalid input or usage.
    pub const INVALID_INPUT: u8 = 2;
    /// Rejected by the payment server, or not found.
    pub const API_REJECTED: u8 = 3;
    /// Credentials refused, permission missing, or not configured.
    pub const AUTH: u8 = 4;
    /// Network problem or unknown outcome.
    pub const NETWORK: u8 = 5;
    /// `status --wait`: ended unpaid.
    pub const UNPAID: u8 = 6;
    /// `status --wait`: timed out while open.
    pub const WAIT_TIMEOUT: u8 = 7;
    /// A staff PIN is needed, was wrong, or the staff member's role does not allow this.
    pub const STAFF: u8 = 8;
}

/// The exit code for an error's `code()`.
pub fn exit_code_for(error: &Error) -> u8 {
    match error.code() {
        ErrorCode::InvalidInput => exit::INVALID_INPUT,
        ErrorCode::ApiRejected | ErrorCode::NotFound => exit::API_REJECTED,
        ErrorCode::Unauthorized | ErrorCode::Forbidden | ErrorCode::NotConfigured => exit::AUTH,
        ErrorCode::Network | ErrorCode::Ambiguous => exit::NETWORK,
        ErrorCode::Locked | ErrorCode::NotAllowed => exit::STAFF,
        ErrorCode::Internal => exit::INTERNAL,
    }
}

/// Runs the CLI with `args` (the first item is the program name) and returns the exit code.
///
/// The desktop binary calls this when it is given a subcommand.
pub fn run<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            // Help and version go to stdout with 0; usage errors to stderr with 2.
            let _ = error.print();
            return ExitCode::from(error.exit_code().clamp(0, 255) as u8);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::from(exit::INTERNAL);
        }
    };
    ExitCode::from(runtime.block_on(run_cli(cli)))
}

async fn run_cli(cli: Cli) -> u8 {
    let printer = Printer::new(cli.json);
    let dirs = match resolve_dirs(&cli) {
        Ok(dirs) => dirs,
        Err(error) => return printer.error(&error),
    };
    let options = TillOptions {
        profile_override: cli.profile.clone(),
        engine_clock: match &cli.clock_offset_file {
            Some(path) => crate::clock::Clock::offset_file(path),
            None => crate::clock::Clock::system(),
        },
        claim_lease: cli.claim_lease_ms.map(Duration::from_millis),
        request_timeout: cli.request_timeout_ms.map(Duration::from_millis),
        ..TillOptions::default()
    };
    let secrets: std::sync::Arc<dyn crate::secrets::SecretStore> = match &cli.secret_from_env {
        Some(var) => std::sync::Arc::new(EnvSecretStore::new(var)),
        None => std::sync::Arc::new(KeyringStore::new()),
    };
    let till = match Till::open_with(dirs, secrets, options) {
        Ok(till) => till,
        Err(error) => return printer.error(&error),
    };
    if let Err(error) = sign_in(&till) {
        return printer.error(&error);
    }
    let code = match execute(&till, &printer, cli.command).await {
        Ok(code) => code,
        Err(error) => printer.error(&error),
    };
    till.shutdown().await;
    code
}

fn resolve_dirs(cli: &Cli) -> Result<TillDirs, Error> {
    TillDirs::with_overrides(cli.config_dir.clone(), cli.data_dir.clone())
}

async fn execute(till: &Till, printer: &Printer, command: Command) -> Result<u8, Error> {
    match command {
        Command::Request(args) => {
            let draft = SaleDraft {
                amount: args.amount,
                currency_code: match args.currency {
                    Some(currency) => currency,
                    None => till.app_state().await?.profile.default_currency,
                },
                customer_name: args.name,
                customer_phone: args.phone,
                customer_email: args.email,
                order_no: args.order_no,
                note: args.note,
                expires_in_minutes: args.expires.map(|e| e.minutes),
                due_date: args.due_date,
                notify: args.notify.to_notify(),
                attachment_path: args
                    .attach
                    .map(|path| absolute(&path).to_string_lossy().into_owned()),
                language: args.language,
                pg_codes: if args.pg_code.is_empty() {
                    None
                } else {
                    Some(args.pg_code)
                },
                cart: None,
            };
            let sale = till.create_sale(draft).await?;
            printer.sale_created(&sale)?;
            Ok(exit::OK)
        }
        Command::Status(args) => {
            let sale = till.find_sale(&args.sale).await?;
            if !args.wait {
                printer.sale(&sale)?;
                return Ok(exit::OK);
            }
            wait_for_final_state(till, printer, sale, args.timeout.map(|t| t.duration())).await
        }
        Command::Edit(args) => {
            let sale = till.find_sale(&args.sale).await?;
            let edit = SaleEdit {
                amount: args.amount,
                customer_name: args.name,
                customer_phone: args.phone,
                customer_email: args.email,
            };
            if edit == SaleEdit::default() {
                return Err(Error::invalid_field("amount", crate::problem!(EditNothing)));
            }
            let sale = till.edit_sale(&sale.id, edit).await?;
            printer.sale(&sale)?;
            Ok(exit::OK)
        }
        Command::Cancel(args) => {
            let sale = till.find_sale(&args.sale).await?;
            let sale = till.cancel_sale(&sale.id).await?;
            printer.sale(&sale)?;
            Ok(exit::OK)
        }
        Command::Refund(args) => {
            operate(till, printer, crate::dto::OperationKind::Refund, args).await
        }
        Command::Capture(args) => {
            operate(till, printer, crate::dto::OperationKind::Capture, args).await
        }
        Command::Void(args) => operate(till, printer, crate::dto::OperationKind::Void, args).await,
        Command::History(args) => {
            let mut query = HistoryQuery {
                text: args.search,
                state: args.state,
                from: args.from,
                to: args.to,
                limit: args.limit,
                staff_id: args.staff,
                method: args.method,
            };
            if args.today {
                let today = crate::clock::format_day(crate::clock::today());
                query.from = Some(today.clone());
                query.to = Some(today);
            }
            match args.csv {
                None => {
                    let history = till.history(query).await?;
                    printer.history(&history)?;
                }
                Some(None) => {
                    till.authorize(crate::staff::Action::Export)?;
                    // CSV to stdout: every matching sale, not one screen's worth.
                    query.limit = query.limit.or(Some(u32::MAX));
                    let history = till.history(query).await?;
                    let mut stdout = std::io::stdout().lock();
                    crate::history::write_csv(&history.sales, &mut stdout)?;
                    stdout.flush().map_err(|source| Error::Io {
                        context: "cannot write to stdout".to_owned(),
                        source,
                    })?;
                }
                Some(Some(path)) => {
                    query.limit = query.limit.or(Some(u32::MAX));
                    let path = absolute(&path);
                    let rows = till.export_csv(query, &path.to_string_lossy()).await?;
                    printer.exported(rows, &path)?;
                }
            }
            Ok(exit::OK)
        }
        Command::Gateways(args) => {
            if args.refresh {
                till.refresh_gateways().await?;
            }
            let currency = match args.currency {
                Some(currency) => currency,
                None => till.app_state().await?.profile.default_currency,
            };
            let gateways = till.gateways(&currency).await?;
            printer.gateways(&gateways)?;
            Ok(exit::OK)
        }
        Command::Profile(command) => profile_command(till, printer, command).await,
        Command::Settle(args) => settle(till, printer, args).await,
        Command::Shift(command) => shift_command(till, printer, command).await,
        Command::CashSale(args) => {
            let sold = till
                .cash_sale(crate::shifts::CashSaleInput {
                    amount: args.amount,
                    tendered: args.tendered,
                    note: args.note,
                    cart: None,
                })
                .await?;
            printer.cash_sale(&sold)?;
            Ok(exit::OK)
        }
        Command::Report(args) => {
            let kind = match args.kind {
                args::ReportKindArg::X => crate::reports::ReportKind::X,
                args::ReportKindArg::Z => crate::reports::ReportKind::Z,
            };
            let report = till.shift_report(args.shift.as_deref(), kind).await?;
            printer.report(&report, args.csv)?;
            Ok(exit::OK)
        }
        Command::Receipt(args) => {
            let sale = till.find_sale(&args.sale).await?;
            let language = crate::dto::Language::parse(&args.language).unwrap_or_default();
            printer.receipt(&till.sale_receipt(&sale.id, language).await?)?;
            Ok(exit::OK)
        }
        Command::Reconcile(args) => {
            printer.reconciliation(&till.reconcile(&args.from, &args.to).await?)?;
            Ok(exit::OK)
        }
        Command::Dashboard => {
            printer.dashboard(&till.dashboard().await?)?;
            Ok(exit::OK)
        }
    }
}

/// `shift open|close|status|cash-in|cash-out`.
async fn shift_command(
    till: &Till,
    printer: &Printer,
    command: args::ShiftCommand,
) -> std::result::Result<u8, Error> {
    use crate::shifts::{CashEntryInput, CashEntryKind};
    let entry = |kind, args: args::CashEntryArgs| CashEntryInput {
        kind,
        amount: args.amount,
        reason: args.reason,
    };
    match command {
        args::ShiftCommand::Open { opening_float } => {
            printer.shift(Some(&till.open_shift(&opening_float).await?))?
        }
        args::ShiftCommand::Close { counted } => {
            printer.report(&till.close_shift(&counted).await?, false)?
        }
        args::ShiftCommand::Status => printer.shift(till.current_shift().await?.as_ref())?,
        args::ShiftCommand::CashIn(args) => printer.shift(Some(
            &till.record_cash(entry(CashEntryKind::In, args)).await?,
        ))?,
        args::ShiftCommand::CashOut(args) => printer.shift(Some(
            &till.record_cash(entry(CashEntryKind::Out, args)).await?,
        ))?,
    }
    Ok(exit::OK)
}

/// `settle [--watch [--deadline D]]` (see the module docs).
async fn settle(till: &Till, printer: &Printer, args: args::SettleArgs) -> Result<u8, Error> {
    let deadline = args
        .deadline
        .map(|d| tokio::time::Instant::now() + d.duration());
    let mut checked = till.settle_due().await?;
    let mut left = till.unsettled().await?;
    while args.watch && left > 0 {
        if deadline.is_some_and(|d| tokio::time::Instant::now() >= d) {
            printer.settled(checked, left)?;
            return Ok(exit::WAIT_TIMEOUT);
        }
        tokio::time::sleep(SETTLE_TICK).await;
        // A busy history or a server that does not answer is worth another pass, not an exit.
        match till.settle_due().await {
            Ok(n) => checked += n,
            Err(error) => printer.note(&format!("settling: {error}")),
        }
        left = till.unsettled().await.unwrap_or(left);
    }
    printer.settled(checked, left)?;
    Ok(exit::OK)
}

/// How often `settle --watch` runs the due checks.
const SETTLE_TICK: Duration = Duration::from_millis(250);

async fn profile_command(
    till: &Till,
    printer: &Printer,
    command: ProfileCommand,
) -> Result<u8, Error> {
    match command {
        ProfileCommand::List => {
            let state = till.app_state().await?;
            printer.profiles(&state.profiles, &state.profile.id)?;
            Ok(exit::OK)
        }
        ProfileCommand::Add(args) => {
            let auth = AuthKind::from(args.auth);
            let secret = read_secret(args.secret.secret_env.as_deref(), auth)?;
            let input = ProfileInput {
                id: None,
                name: args.name,
                base_url: args.url,
                auth,
                username: args.username,
                secret: Some(secret),
                default_currency: args.currency,
                default_pg_codes: args.pg_code,
            };
            let profile = till.save_profile(input).await?;
            if args.make_active {
                till.use_profile(&profile.id).await?;
            }
            printer.profile(&profile)?;
            Ok(exit::OK)
        }
        ProfileCommand::Use { id } => {
            let state = till.use_profile(&id).await?;
            printer.profile(&state.profile)?;
            Ok(exit::OK)
        }
        ProfileCommand::Delete { id } => {
            let state = till.delete_profile(&id).await?;
            printer.profiles(&state.profiles, &state.profile.id)?;
            Ok(exit::OK)
        }
        ProfileCommand::Test { id } => {
            let state = till.app_state().await?;
            let id = id.unwrap_or(state.profile.id);
            let profile = state
                .profiles
                .into_iter()
                .find(|p| p.id == id)
                .ok_or_else(|| {
                    Error::invalid_field(
                        "id",
                        crate::problem!(ProfileUnknown, id = format!("{id:?}")),
                    )
                })?;
            let input = ProfileInput {
                id: Some(profile.id),
                name: profile.name,
                base_url: profile.base_url,
                auth: profile.auth,
                username: profile.username,
                secret: None,
                default_currency: profile.default_currency,
                default_pg_codes: profile.default_pg_codes,
            };
            let check = till.test_connection(input).await?;
            printer.check(&check)?;
            Ok(match check.kind {
                crate::connection::CheckKind::Ok => exit::OK,
                crate::connection::CheckKind::BadCredentials
                | crate::connection::CheckKind::MissingPermission => exit::AUTH,
                crate::connection::CheckKind::BadHost | crate::connection::CheckKind::NoNetwork => {
                    exit::NETWORK
                }
            })
        }
    }
}

/// Waits until the sale reaches a final state, printing each change.
async fn wait_for_final_state(
    till: &Till,
    printer: &Printer,
    mut sale: crate::dto::Sale,
    timeout: Option<Duration>,
) -> Result<u8, Error> {
    let deadline = timeout.map(|t| tokio::time::Instant::now() + t);
    let mut updates = till.subscribe();
    printer.state_change(&sale)?;
    let mut last_state = sale.state;
    loop {
        if sale.state.is_final() {
            return Ok(if sale.state == SaleState::Paid {
                exit::OK
            } else {
                exit::UNPAID
            });
        }
        if deadline.is_some_and(|d| tokio::time::Instant::now() >= d) {
            printer.note(&format!(
                "gave up waiting; the sale is still {}",
                sale.state
            ));
            return Ok(exit::WAIT_TIMEOUT);
        }
        // Updates arrive from the till's tracker; a refresh every few seconds covers a missed
        // broadcast (a lagging receiver drops messages).
        let tick = tokio::time::sleep(WAIT_REFRESH);
        tokio::select! {
            update = updates.recv() => {
                if let Ok(update) = update
                    && update.id == sale.id
                {
                    sale = update;
                }
            }
            () = tick => {
                sale = till.refresh_sale(&sale.id).await?;
            }
        }
        if sale.state != last_state {
            printer.state_change(&sale)?;
            last_state = sale.state;
        }
    }
}

/// `refund`, `capture`, `void`: one intent per run unless `--intent` repeats an earlier one.
async fn operate(
    till: &Till,
    printer: &Printer,
    kind: crate::dto::OperationKind,
    args: args::OperationArgs,
) -> Result<u8, Error> {
    let sale = till.find_sale(&args.sale).await?;
    let intent_id = args
        .intent
        .unwrap_or_else(|| format!("cli-{:016x}", rand::random::<u64>()));
    let approver_pin = match &args.approver_pin_env {
        Some(var) => Some(std::env::var(var).map_err(|_| {
            Error::invalid_field("approver_pin", crate::problem!(EnvNoPin, var = var))
        })?),
        None => None,
    };
    eprintln!("operation {intent_id} (repeat with --intent {intent_id})");
    let sale = till
        .operate_sale(crate::dto::OperationInput {
            intent_id,
            sale_id: sale.id,
            kind,
            amount: args.amount,
            approver_pin,
        })
        .await?;
    printer.sale(&sale)?;
    Ok(exit::OK)
}

/// The environment variable the staff PIN may come from (never an argument: arguments show in
/// the process list and the shell history).
pub const PIN_ENV: &str = "OTTU_POS_PIN";

/// Signs in the staff member whose PIN is in `OTTU_POS_PIN`, or on the first line of stdin,
/// when the till locks (some staff member has a PIN); without one, commands run as the first
/// owner, as in the app before any PIN is set.
fn sign_in(till: &Till) -> Result<(), Error> {
    if !till.lock_required() {
        return Ok(());
    }
    let pin = match std::env::var(PIN_ENV) {
        Ok(pin) if !pin.trim().is_empty() => pin,
        _ => {
            let stdin = std::io::stdin();
            let interactive = stdin.is_terminal();
            if interactive {
                eprint!("Staff PIN: ");
                let _ = std::io::stderr().flush();
                set_terminal_echo(false);
            }
            let mut line = String::new();
            let read = stdin.lock().read_line(&mut line);
            if interactive {
                set_terminal_echo(true);
                eprintln!();
            }
            read.map_err(|source| Error::Io {
                context: "cannot read the staff PIN from stdin".into(),
                source,
            })?;
            if line.trim().is_empty() {
                return Err(Error::Locked);
            }
            line
        }
    };
    till.unlock(pin.trim()).map(|_| ())
}

/// How often `status --wait` asks the server itself, on top of the tracker's pushes.
const WAIT_REFRESH: Duration = Duration::from_secs(2);

/// The secret from `--secret-env VAR`, or from stdin (no echo on a terminal).
fn read_secret(env_var: Option<&str>, auth: AuthKind) -> Result<Secret, Error> {
    let what = match auth {
        AuthKind::ApiKey => "API key",
        AuthKind::Basic => "password",
    };
    if let Some(var) = env_var {
        return match std::env::var(var) {
            Ok(value) if !value.trim().is_empty() => Ok(Secret::new(value)),
            _ => Err(Error::invalid_field(
                "secret",
                crate::problem!(EnvNoSecret, var = var),
            )),
        };
    }
    let stdin = std::io::stdin();
    let interactive = stdin.is_terminal();
    if interactive {
        eprint!("{what}: ");
        let _ = std::io::stderr().flush();
        set_terminal_echo(false);
    }
    let mut line = String::new();
    let read = stdin.lock().read_line(&mut line);
    if interactive {
        set_terminal_echo(true);
        eprintln!();
    }
    read.map_err(|source| Error::Io {
        context: format!("cannot read the {what} from stdin"),
        source,
    })?;
    let secret = Secret::new(line.trim_end_matches(['\r', '\n']));
    if secret.is_blank() {
        return Err(Error::invalid_field(
            "secret",
            crate::problem!(SecretNotGiven),
        ));
    }
    Ok(secret)
}

/// Hides typed characters with `stty` (no terminal crate and no unsafe code needed); a no-op
/// where `stty` does not exist.
fn set_terminal_echo(on: bool) {
    let _ = std::process::Command::new("stty")
        .arg(if on { "echo" } else { "-echo" })
        .stdin(std::process::Stdio::inherit())
        .status();
}

fn absolute(path: &std::path::Path) -> std::path::PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_owned())
}
