//! `ottu-sandbox serve`: runs the sandbox until Ctrl-C. `ottu-sandbox hash-password` prints a
//! password hash for a config file's Basic users.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use ottu_sandbox::{DuplicateOrderNo, Durability, MerchantConfig, Sandbox, SandboxConfig};

#[derive(Debug, Parser)]
#[command(
    name = "ottu-sandbox",
    version,
    about = "A stateful local Ottu Checkout API"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the sandbox on 127.0.0.1.
    Serve(ServeArgs),
    /// Print a `pbkdf2_sha256$...` hash of a password (read from stdin) for a config file.
    HashPassword,
}

#[derive(Debug, clap::Args)]
struct ServeArgs {
    /// Port on 127.0.0.1; 0 picks a free one (printed at start).
    #[arg(long, env = "OTTU_SANDBOX_PORT", default_value_t = 8411)]
    port: u16,
    /// SQLite database file (created when missing).
    #[arg(long, env = "OTTU_SANDBOX_DB", default_value = "ottu-sandbox.sqlite3")]
    db: PathBuf,
    /// Merchant config (TOML); the built-in demo merchant when absent.
    #[arg(long, env = "OTTU_SANDBOX_CONFIG")]
    config: Option<PathBuf>,
    /// Absolute base for returned URLs (default http://127.0.0.1:<port>).
    #[arg(long, env = "OTTU_SANDBOX_PUBLIC_BASE_URL")]
    public_base_url: Option<String>,
    /// What a create with an `order_no` already in use does: allow or reject.
    #[arg(long, env = "OTTU_SANDBOX_DUPLICATE_ORDER_NO", default_value = "allow")]
    duplicate_order_no: DuplicateChoice,
    /// Commit durability: normal (in the WAL before answering; survives a crash of the
    /// sandbox) or full (fsynced before answering; survives power loss).
    #[arg(long, env = "OTTU_SANDBOX_DURABILITY", default_value = "normal")]
    durability: DurabilityChoice,
    /// Webhook attempt timeout in milliseconds.
    #[arg(
        long,
        env = "OTTU_SANDBOX_WEBHOOK_TIMEOUT_MS",
        default_value_t = 15_000
    )]
    webhook_timeout_ms: u64,
    /// Retries after a timed-out webhook attempt.
    #[arg(long, env = "OTTU_SANDBOX_WEBHOOK_RETRIES", default_value_t = 3)]
    webhook_retries: u32,
    /// Largest request body in bytes.
    #[arg(long, env = "OTTU_SANDBOX_BODY_LIMIT", default_value_t = 4 * 1024 * 1024)]
    body_limit: usize,
    /// Answer every Payment Status Query (no 10-minute grace, spacing, total or per-minute
    /// limit). Default: Ottu's throttle.
    #[arg(long, env = "OTTU_SANDBOX_NO_INQUIRY_THROTTLE")]
    no_inquiry_throttle: bool,
    /// No per-user request limit (default: Ottu's 90,000 requests a day per user).
    #[arg(long, env = "OTTU_SANDBOX_NO_RATE_LIMIT")]
    no_rate_limit: bool,
    /// Print the bound base URL as the only line on stdout once ready (for scripts).
    #[arg(long, env = "OTTU_SANDBOX_PRINT_URL")]
    print_url: bool,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum DurabilityChoice {
    Normal,
    Full,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum DuplicateChoice {
    Allow,
    Reject,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "ottu_sandbox=info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match Cli::parse().command {
        Command::HashPassword => {
            let mut password = String::new();
            std::io::stdin()
                .read_line(&mut password)
                .context("reading the password")?;
            let password = password.trim_end_matches(['\r', '\n']);
            println!(
                "{}",
                ottu_sandbox::password::PasswordHash::new(password).encode()
            );
            Ok(())
        }
        Command::Serve(args) => serve(args).await,
    }
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let merchant = match &args.config {
        Some(path) => SandboxConfig::merchant_from_file(path)?,
        None => MerchantConfig::demo(),
    };
    let mut config = SandboxConfig::new(args.db.clone(), merchant);
    config.port = args.port;
    config.public_base_url = args.public_base_url;
    config.duplicate_order_no = match args.duplicate_order_no {
        DuplicateChoice::Allow => DuplicateOrderNo::Allow,
        DuplicateChoice::Reject => DuplicateOrderNo::Reject,
    };
    config.durability = match args.durability {
        DurabilityChoice::Normal => Durability::Normal,
        DurabilityChoice::Full => Durability::Full,
    };
    config.webhooks.timeout = Duration::from_millis(args.webhook_timeout_ms);
    config.webhooks.retries = args.webhook_retries;
    config.body_limit_bytes = args.body_limit;
    if args.no_inquiry_throttle {
        config.limits.inquiry = None;
    }
    if args.no_rate_limit {
        config.limits.per_user = None;
    }
    let handle = Sandbox::start(config)
        .await
        .context("starting the sandbox")?;
    if args.print_url {
        println!("{}", handle.base_url());
    }
    tracing::info!(base_url = handle.base_url(), db = %args.db.display(), "ottu-sandbox is serving");
    wait_for_stop_signal().await?;
    tracing::info!("shutting down");
    handle.shutdown().await;
    Ok(())
}

/// Ctrl-C (SIGINT) or, on Unix, SIGTERM.
async fn wait_for_stop_signal() -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .context("listening for SIGTERM")?;
        tokio::select! {
            result = tokio::signal::ctrl_c() => result.context("waiting for Ctrl-C")?,
            _ = term.recv() => {}
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await.context("waiting for Ctrl-C")
    }
}
