//! Shared set-up: a sandbox, a history file and a `Sales` engine wired to both.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use ottu_sandbox::test_support::{TestSandbox, spawn_sandbox};
use pos_core::dto::{Sale, SaleDraft, SaleState};
use pos_core::{Sales, SalesOptions};
use tokio::sync::broadcast;

/// How long a test waits for something the sandbox does at once (generous for a loaded CI box).
pub const PATIENCE: Duration = Duration::from_secs(15);

pub struct Env {
    pub sandbox: TestSandbox,
    pub sales: Sales,
    pub history: PathBuf,
    pub dir: tempfile::TempDir,
    /// Seconds the engine's clock is ahead of the wall clock; [`Env::advance`] moves it with
    /// the sandbox's.
    pub offset: Arc<AtomicI64>,
}

impl Env {
    /// Moves the sandbox's clock and the engine's by `seconds`, as if that much time passed.
    pub async fn advance(&self, seconds: i64) {
        self.sandbox.advance_clock(seconds).await;
        self.offset.fetch_add(seconds, Ordering::SeqCst);
    }

    /// Another engine on the same history file and sandbox (another till process).
    pub async fn another_engine(&self, adjust: impl FnOnce(&mut SalesOptions)) -> Sales {
        self.engine_with_client(self.sandbox.client(), adjust).await
    }

    /// Another engine on the same history file and clock, with its own client.
    pub async fn engine_with_client(
        &self,
        client: ottu_checkout::Client,
        adjust: impl FnOnce(&mut SalesOptions),
    ) -> Sales {
        let mut opts = options_on(&self.offset);
        adjust(&mut opts);
        Sales::open(&self.history, client, "demo", opts)
            .await
            .expect("the engine opens")
    }
}

/// The tests' options on the wall clock.
pub fn options() -> SalesOptions {
    options_on(&Arc::new(AtomicI64::new(0)))
}

/// The tests' options on a clock `offset` seconds ahead of the wall clock.
pub fn options_on(offset: &Arc<AtomicI64>) -> SalesOptions {
    SalesOptions {
        clock: pos_core::clock::Clock::shifted(offset.clone()),
        shop_name: "Blue Cafe".into(),
        default_pg_codes: vec!["knet".into()],
        focus_poll_interval: Duration::from_millis(100),
        background_poll_interval: Duration::from_millis(400),
        ..SalesOptions::default()
    }
}

pub async fn env() -> Env {
    env_with(|_| {}).await
}

pub async fn env_with(adjust: impl FnOnce(&mut SalesOptions)) -> Env {
    env_on(spawn_sandbox().await, adjust).await
}

async fn env_on(sandbox: TestSandbox, adjust: impl FnOnce(&mut SalesOptions)) -> Env {
    let dir = tempfile::tempdir().expect("a temp dir");
    let history = dir.path().join("history.sqlite3");
    let offset = Arc::new(AtomicI64::new(0));
    let mut opts = options_on(&offset);
    adjust(&mut opts);
    let sales = Sales::open(&history, sandbox.client(), "demo", opts)
        .await
        .expect("the engine opens");
    Env {
        sandbox,
        sales,
        history,
        dir,
        offset,
    }
}

/// A client whose requests give up after `timeout`.
pub fn client_with_timeout(sandbox: &TestSandbox, timeout: Duration) -> ottu_checkout::Client {
    ottu_checkout::Client::builder()
        .base_url(sandbox.base_url())
        .api_key(ottu_sandbox::test_support::TEST_API_KEY)
        .timeout(timeout)
        .build()
        .expect("a client")
}

pub fn draft(amount: &str) -> SaleDraft {
    SaleDraft {
        amount: amount.into(),
        currency_code: "KWD".into(),
        ..Default::default()
    }
}

/// Waits for `id` to be reported in `state` on the event stream.
pub async fn wait_for(rx: &mut broadcast::Receiver<Sale>, id: &str, state: SaleState) -> Sale {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        match tokio::time::timeout(left, rx.recv()).await {
            Ok(Ok(sale)) if sale.id == id && sale.state == state => return sale,
            Ok(Ok(_)) | Ok(Err(broadcast::error::RecvError::Lagged(_))) => {}
            Ok(Err(e)) => panic!("event stream closed: {e}"),
            Err(_) => panic!("sale {id} was not reported {state} within {PATIENCE:?}"),
        }
    }
}

/// The server's transactions for `order_no`.
pub async fn server_sessions(sandbox: &TestSandbox, order_no: &str) -> Vec<serde_json::Value> {
    sandbox.sessions_by_order_no(order_no).await
}
