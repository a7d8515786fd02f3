//! Proof by chaos (issue 11, point 7): many sales through pos-core against the sandbox with
//! every kind of random create fault armed, while processes are killed with SIGKILL and the
//! clock is driven through Ottu's windows; then the server and the history must agree.
//!
//! Phases:
//! 1. **Load.** `CHAOS_SALES` sales: most through two in-process engines on one history file,
//!    a share (`CHAOS_CLI_SHARE`) through `ottu-pos-cli request` processes
//!    (`CHAOS_PARALLEL` at a time) on the same file. Random faults of all six kinds are armed
//!    (seeded by `CHAOS_SEED`). The sandbox clock and every engine's clock move 30 s per real
//!    second. A headless engine (`ottu-pos-cli settle --watch`) runs throughout and is killed
//!    with SIGKILL at random and restarted. Customers pay a random share of the links, some
//!    fail and then succeed late; a few pay a link whose create answer was lost. Settled-unknown
//!    sales are replaced (`Sales::replace`) at random.
//! 2. **Kills mid-request.** Creates held by the `delay` fault; each `request` process is killed
//!    once its row is `sending` in the history and the server has stored the transaction, then a
//!    new process is started on the same history.
//! 3. **Settle.** Faults off; the clock is driven past the late-commit horizon, the status
//!    query's 10-minute grace and its 30-minute spacing, waiting only for the engines to run
//!    what is due; an open sale is checked once at the end.
//! 4. **Audit** (`audit.rs`): every server transaction is in the history, no order number has
//!    two transactions or was sent twice, at most one live link per sale (replacements
//!    included), nothing `rejected` that the server has, the stored session is the server's,
//!    paid totals per currency agree, nothing is left unsettled.
//!
//! `make test` runs 200 sales; `make chaos` (bench/chaos.sh) 10,000 and records the summary
//! (`CHAOS_REPORT=<file>` writes it as JSON) in BENCHMARKS.md.

mod audit;
mod procs;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ottu_sandbox::test_support::{TEST_API_KEY, TestSandbox, spawn_sandbox};
use pos_core::clock::Clock;
use pos_core::dto::{HistoryQuery, SaleDraft, SaleState};
use pos_core::{Sales, SalesOptions};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};

use procs::{Cli, write_offset};

const FAULT_KINDS: [&str; 6] = [
    "drop_after_commit",
    "delay",
    "status_500",
    "status_503_after_commit",
    "malformed_after_commit",
    "late_commit",
];
/// Client timeout of every engine; the `delay` fault holds answers longer.
const REQUEST_TIMEOUT: Duration = Duration::from_millis(1_000);
const DELAY_MS: u64 = 1_500;
/// Claim lease of every engine: longer than a request, short enough to lapse within the run.
const CLAIM_LEASE: Duration = Duration::from_millis(2_500);

struct Config {
    sales: usize,
    seed: u64,
    cli_share: f64,
    parallel: usize,
    tasks: usize,
    report: Option<PathBuf>,
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    match std::env::var(name) {
        Ok(text) => text
            .parse()
            .unwrap_or_else(|_| panic!("{name}={text:?} cannot be read")),
        Err(_) => default,
    }
}

impl Config {
    fn from_env() -> Config {
        Config {
            sales: env_or("CHAOS_SALES", 200),
            seed: env_or("CHAOS_SEED", 20_261_203),
            cli_share: env_or("CHAOS_CLI_SHARE", 0.2),
            parallel: env_or("CHAOS_PARALLEL", 3),
            tasks: env_or("CHAOS_TASKS", 6),
            report: std::env::var_os("CHAOS_REPORT").map(PathBuf::from),
        }
    }
}

/// Counters shared by every actor of the run.
#[derive(Debug, Default)]
struct Stats {
    created: usize,
    ambiguous: usize,
    refused: usize,
    errors: Vec<String>,
    cli_sales: usize,
    paid: usize,
    late_successes: usize,
    paid_while_unknown: usize,
    replaced: usize,
    headless_kills: usize,
    request_kills: usize,
    restarts: usize,
    clock_advanced: i64,
}

/// The run's world: the sandbox, the history, the shared clock, the engines and the CLI.
struct World {
    sandbox: TestSandbox,
    history: PathBuf,
    offset: Arc<AtomicI64>,
    offset_file: PathBuf,
    engines: Vec<Sales>,
    cli: Cli,
    stats: Mutex<Stats>,
    runtime: tokio::runtime::Handle,
}

impl World {
    /// Moves the sandbox's clock, then the engines' and the CLI's, by `seconds`.
    async fn advance(&self, seconds: i64) {
        self.sandbox.advance_clock(seconds).await;
        let now = self.offset.fetch_add(seconds, Ordering::SeqCst) + seconds;
        write_offset(&self.offset_file, now);
        self.stats.lock().unwrap().clock_advanced += seconds;
    }

    fn engine_now(&self) -> String {
        Clock::shifted(self.offset.clone()).now_utc()
    }

    /// The customer's side of a link: pay it, fail it and then succeed late, or leave it.
    async fn customer(&self, rng: &mut StdRng, sale_id: &str, session_id: &str) {
        let roll: f64 = rng.r#gen();
        if roll < 0.3 {
            let paid = self.sandbox.pay(session_id, None).await;
            if paid["state"] == "paid" {
                self.stats.lock().unwrap().paid += 1;
            }
        } else if roll < 0.36 {
            // The gateway fails; the till sees it failed; then the success arrives late, which
            // only the till's re-check of closed sales can find.
            self.sandbox.fail(session_id).await;
            let seen = self.engines[0].check(sale_id).await;
            if seen.is_ok_and(|s| s.state == SaleState::Failed) {
                let (status, _) = self.sandbox.late_success(session_id).await;
                if status == 200 {
                    self.stats.lock().unwrap().late_successes += 1;
                }
            }
        }
    }

    /// A customer who got the link by SMS pays it although the till never saw the answer.
    async fn pays_unknown(&self, order_no: &str) {
        let sessions = self.sandbox.sessions_by_order_no(order_no).await;
        if let Some(id) = sessions.first().and_then(|s| s["session_id"].as_str()) {
            let paid = self.sandbox.pay(id, None).await;
            if paid["state"] == "paid" {
                self.stats.lock().unwrap().paid_while_unknown += 1;
            }
        }
    }

    fn count(&self, sql: &str, now: &str) -> i64 {
        let conn = rusqlite::Connection::open(&self.history).unwrap();
        conn.busy_timeout(Duration::from_secs(5)).unwrap();
        conn.query_row(sql, [now], |r| r.get(0)).unwrap()
    }

    /// Sales with an automatic step due on the engine clock, or still `sending`.
    fn due(&self) -> i64 {
        self.count(
            "SELECT COUNT(*) FROM sales WHERE state = 'sending'
             OR (next_check_at IS NOT NULL AND next_check_at <= ?1)",
            &self.engine_now(),
        )
    }

    /// Runs the due checks until nothing is due (or `limit` passes); the engines' trackers and
    /// the headless process work at the same time.
    async fn settle_quietly(&self, limit: Duration) {
        let until = Instant::now() + limit;
        while Instant::now() < until {
            for engine in &self.engines {
                let _ = engine.settle_due().await;
            }
            if self.due() == 0 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

fn pick_sale(rng: &mut StdRng) -> (String, &'static str, &'static str) {
    if rng.gen_bool(0.8) {
        (
            format!("{}.{:03}", rng.gen_range(1..200), rng.gen_range(0..1000)),
            "KWD",
            "knet",
        )
    } else {
        (
            format!("{}.{:02}", rng.gen_range(1..500), rng.gen_range(0..100)),
            "USD",
            "credit-card",
        )
    }
}

#[test]
fn chaos() {
    let config = Config::from_env();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(run(config));
}

async fn run(config: Config) {
    let started = Instant::now();
    let sandbox = spawn_sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let cli = Cli {
        config_dir: dir.path().join("config"),
        data_dir: dir.path().join("data"),
        offset_file: dir.path().join("clock-offset"),
        claim_lease_ms: CLAIM_LEASE.as_millis() as u64,
        request_timeout_ms: REQUEST_TIMEOUT.as_millis() as u64,
    };
    write_offset(&cli.offset_file, 0);
    // A real connection needs an owner PIN; every CLI process signs in with it.
    pos_core::Till::open(
        pos_core::TillDirs {
            config_dir: cli.config_dir.clone(),
            data_dir: cli.data_dir.clone(),
        },
        std::sync::Arc::new(pos_core::secrets::MemorySecretStore::new()),
    )
    .expect("the till opens")
    .save_staff(pos_core::staff::StaffInput {
        id: Some("staff-1".into()),
        name: "Chaos owner".into(),
        role: None,
        pin: Some(procs::OWNER_PIN.into()),
    })
    .expect("the owner PIN is set");
    // A merchant profile on the sandbox, its key read from the environment.
    let profile = cli.json_ok(&[
        "profile",
        "add",
        "--name",
        "Chaos shop",
        "--url",
        sandbox.base_url(),
        "--pg-code",
        "knet",
        "--secret-env",
        "CHAOS_OTTU_API_KEY",
        "--use",
    ]);
    let profile_id = profile["id"].as_str().unwrap().to_owned();
    let history = cli.data_dir.join("history.sqlite3");
    let offset = Arc::new(AtomicI64::new(0));
    let mut engines = Vec::new();
    for _ in 0..2 {
        let client = ottu_checkout::Client::builder()
            .base_url(sandbox.base_url())
            .api_key(TEST_API_KEY)
            .timeout(REQUEST_TIMEOUT)
            .build()
            .unwrap();
        let options = SalesOptions {
            clock: Clock::shifted(offset.clone()),
            default_pg_codes: vec!["knet".into()],
            focus_poll_interval: Duration::from_millis(200),
            background_poll_interval: Duration::from_secs(1),
            claim_lease: CLAIM_LEASE,
            ..SalesOptions::default()
        };
        engines.push(
            Sales::open(&history, client, profile_id.clone(), options)
                .await
                .unwrap(),
        );
    }
    let world = Arc::new(World {
        offset_file: cli.offset_file.clone(),
        sandbox,
        history,
        offset,
        engines,
        cli,
        stats: Mutex::new(Stats::default()),
        runtime: tokio::runtime::Handle::current(),
    });
    let rates: serde_json::Map<String, Value> = FAULT_KINDS
        .iter()
        .map(|k| ((*k).to_owned(), json!(0.03)))
        .collect();
    world
        .sandbox
        .arm_random_faults(json!({
            "seed": config.seed,
            "rates": rates,
            "delay_ms": DELAY_MS,
            "late_commit_ms": [1_000, 120_000],
        }))
        .await;
    let mut injected: BTreeMap<String, u64> = BTreeMap::new();

    // Watches the history for sales whose answer was lost, to time their settling.
    let watching = Arc::new(AtomicBool::new(true));
    let monitor = {
        let world = world.clone();
        let watching = watching.clone();
        std::thread::spawn(move || settle_times(&world.history, &watching))
    };
    // The headless engine, killed at random and restarted, until the end of the settling.
    let killing = Arc::new(AtomicBool::new(true));
    let headless = {
        let world = world.clone();
        let killing = killing.clone();
        let seed = config.seed;
        std::thread::spawn(move || headless_engine(&world, &killing, seed))
    };
    // The clock moves 30 s per real second while sales are made.
    let ticking = Arc::new(AtomicBool::new(true));
    let ticker = {
        let world = world.clone();
        let ticking = ticking.clone();
        tokio::spawn(async move {
            while ticking.load(Ordering::SeqCst) {
                tokio::time::sleep(Duration::from_secs(1)).await;
                world.advance(30).await;
            }
        })
    };

    // ---- 1. load
    let cli_sales = ((config.sales as f64) * config.cli_share).round() as usize;
    let engine_sales = config.sales - cli_sales;
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for task in 0..config.tasks {
        let world = world.clone();
        let next = next.clone();
        let seed = config.seed;
        tasks.push(tokio::spawn(async move {
            let mut rng = StdRng::seed_from_u64(seed ^ ((task as u64 + 1) * 7_919));
            loop {
                let n = next.fetch_add(1, Ordering::SeqCst);
                if n >= engine_sales {
                    return;
                }
                engine_sale(&world, &mut rng, n).await;
            }
        }));
    }
    let next_cli = Arc::new(AtomicUsize::new(0));
    let mut workers = Vec::new();
    for worker in 0..config.parallel {
        let world = world.clone();
        let next_cli = next_cli.clone();
        let seed = config.seed;
        workers.push(std::thread::spawn(move || {
            let mut rng = StdRng::seed_from_u64(seed ^ ((worker as u64 + 101) * 6_007));
            while next_cli.fetch_add(1, Ordering::SeqCst) < cli_sales {
                cli_sale(&world, &mut rng);
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    for worker in workers {
        join_blocking(worker).await;
    }
    let load_done = started.elapsed();

    // Staff make a new link for some sales the till settled (cancelled, or never made).
    let mut rng = StdRng::seed_from_u64(config.seed ^ 0xfeed);
    world.settle_quietly(Duration::from_secs(3)).await;
    let all = world.engines[0]
        .history(HistoryQuery {
            limit: Some(u32::MAX),
            ..Default::default()
        })
        .await
        .unwrap();
    for sale in all.sales.iter().filter(|s| s.settlement.can_replace) {
        if sale.problem.is_some() && rng.gen_bool(0.5) {
            let engine = &world.engines[rng.gen_range(0..2)];
            match engine.replace(&sale.id).await {
                Ok(_) => world.stats.lock().unwrap().replaced += 1,
                Err(error) if error.code() == "ambiguous" => {
                    world.stats.lock().unwrap().replaced += 1;
                }
                Err(_) => {}
            }
        }
    }
    add_injected(&mut injected, &world.sandbox.faults().await);

    // ---- 2. kills between the ledger write and the answer
    let victims = (config.sales / 40).clamp(4, 100);
    world
        .sandbox
        .arm_fault("delay", victims as u32, Some(8_000))
        .await;
    let next_victim = Arc::new(AtomicUsize::new(0));
    let mut killers = Vec::new();
    for _ in 0..config.parallel {
        let world = world.clone();
        let next_victim = next_victim.clone();
        let seed = config.seed;
        killers.push(std::thread::spawn(move || {
            loop {
                let n = next_victim.fetch_add(1, Ordering::SeqCst);
                if n >= victims {
                    return;
                }
                kill_mid_request(&world, &format!("KILL-{seed}-{n}"));
            }
        }));
    }
    for killer in killers {
        join_blocking(killer).await;
    }
    add_injected(&mut injected, &world.sandbox.faults().await);
    let late_pending = world.sandbox.faults().await["late_commits_pending"].clone();
    world
        .sandbox
        .http
        .delete(format!("{}/_sandbox/faults", world.sandbox.base_url()))
        .send()
        .await
        .unwrap();
    ticking.store(false, Ordering::SeqCst);
    ticker.await.unwrap();

    // ---- 3. settle: through the late-commit horizon, the status query's grace and spacing
    let settle_started = Instant::now();
    for step in [5, 10, 30, 60, 120, 240, 300, 60, 1_860, 1_860, 1_860, 3_700] {
        world.advance(step).await;
        world.settle_quietly(Duration::from_secs(20)).await;
    }
    killing.store(false, Ordering::SeqCst);
    join_blocking(headless).await;
    world.settle_quietly(Duration::from_secs(20)).await;
    // One look at every sale still open, as staff pressing "Check now" would (the background
    // polls slow down as sales age on the driven clock).
    let open = audit::read_history(&world.history);
    for sale in open
        .iter()
        .filter(|s| ["created", "pending", "attempted"].contains(&s.state.as_str()))
    {
        let _ = world.engines[0].check(&sale.id).await;
    }
    let settle_took = settle_started.elapsed();
    watching.store(false, Ordering::SeqCst);
    let times = join_blocking(monitor).await;

    // ---- 4. audit
    let server = world.sandbox.all_sessions().await;
    let local = audit::read_history(&world.history);
    let findings = audit::audit(&server, &local);
    let unsettled: Vec<&audit::Local> = local
        .iter()
        .filter(|s| s.state == "sending" || (s.state == "unknown" && s.next_check_at.is_some()))
        .collect();
    let stats = world.stats.lock().unwrap();
    let summary = json!({
        "sales": config.sales,
        "history_rows": local.len(),
        "server_transactions": findings.server_txns,
        "seed": config.seed,
        "engine_sales": engine_sales,
        "cli_sales": stats.cli_sales,
        "cli_parallel": config.parallel,
        "engine_tasks": config.tasks,
        "created": stats.created,
        "ambiguous": stats.ambiguous,
        "refused": stats.refused,
        "faults_injected": injected,
        "late_commits_pending_at_disarm": late_pending,
        "kills": {
            "headless_engine": stats.headless_kills,
            "request_mid_flight": stats.request_kills,
            "restarts": stats.restarts,
        },
        "paid": stats.paid,
        "late_successes": stats.late_successes,
        "paid_while_unknown": stats.paid_while_unknown,
        "replaced": stats.replaced,
        "clock_advanced_seconds": stats.clock_advanced,
        "states": findings.states,
        "lost": findings.lost.len(),
        "duplicated": findings.duplicated.len(),
        "two_live_links": findings.two_live.len(),
        "rejected_but_on_server": findings.wrongly_rejected.len(),
        "wrong_session": findings.wrong_session.len(),
        "unsettled": unsettled.len(),
        "paid_totals": findings.paid.iter().map(|(c, (s, l))| (c.clone(), json!({"server": s.to_string(), "history": l.to_string()}))).collect::<serde_json::Map<_, _>>(),
        "settle_ms": {
            "count": times.len(),
            "p50": percentile(&times, 50.0),
            "p95": percentile(&times, 95.0),
            "max": times.last().copied().unwrap_or(0),
        },
        "seconds": {
            "load": load_done.as_secs_f64(),
            "settle": settle_took.as_secs_f64(),
            "total": started.elapsed().as_secs_f64(),
        },
        "errors": stats.errors.iter().take(5).collect::<Vec<_>>(),
    });
    println!(
        "chaos summary:\n{}",
        serde_json::to_string_pretty(&summary).unwrap()
    );
    if let Some(path) = &config.report {
        std::fs::write(path, serde_json::to_string_pretty(&summary).unwrap()).unwrap();
    }
    assert!(
        findings.clean(),
        "the server and the history disagree: {findings:#?}"
    );
    assert!(
        unsettled.is_empty(),
        "sales left unsettled: {:#?}",
        unsettled.iter().take(10).collect::<Vec<_>>()
    );
    assert!(
        stats.errors.is_empty(),
        "unexpected errors: {:?}",
        stats.errors
    );
    for kind in FAULT_KINDS {
        assert!(
            injected.get(kind).copied().unwrap_or(0) > 0 || config.sales < 100,
            "{kind} was never injected: {injected:?}"
        );
    }
    assert!(stats.request_kills > 0, "no process was killed mid-request");
    assert!(
        stats.headless_kills > 0,
        "the headless engine was never killed"
    );
}

fn add_injected(total: &mut BTreeMap<String, u64>, faults: &Value) {
    if let Some(counts) = faults["injected"].as_object() {
        for (kind, n) in counts {
            *total.entry(kind.clone()).or_default() += n.as_u64().unwrap_or(0);
        }
    }
}

/// Waits for a thread without blocking the runtime's workers.
async fn join_blocking<T: Send + 'static>(handle: std::thread::JoinHandle<T>) -> T {
    tokio::task::spawn_blocking(move || handle.join().expect("the thread ran"))
        .await
        .unwrap()
}

async fn engine_sale(world: &World, rng: &mut StdRng, n: usize) {
    let (amount, currency, pg_code) = pick_sale(rng);
    let engine = &world.engines[n % world.engines.len()];
    let draft = SaleDraft {
        amount,
        currency_code: currency.into(),
        pg_codes: Some(vec![pg_code.into()]),
        ..Default::default()
    };
    match engine.create(draft).await {
        Ok(sale) => {
            world.stats.lock().unwrap().created += 1;
            if let Some(session) = &sale.session_id {
                world.customer(rng, &sale.id, session).await;
            }
        }
        Err(pos_core::Error::Ambiguous { sale_id, .. }) => {
            world.stats.lock().unwrap().ambiguous += 1;
            if rng.gen_bool(0.15)
                && let Ok(sale) = engine.get(&sale_id).await
            {
                world.pays_unknown(&sale.order_no).await;
            }
        }
        Err(error) if error.code() == "api_rejected" => world.stats.lock().unwrap().refused += 1,
        Err(error) => world.stats.lock().unwrap().errors.push(error.to_string()),
    }
}

fn cli_sale(world: &World, rng: &mut StdRng) {
    let (amount, currency, pg_code) = pick_sale(rng);
    let output = world.cli.output(&[
        "--json",
        "request",
        "--amount",
        &amount,
        "--currency",
        currency,
        "--pg-code",
        pg_code,
    ]);
    let body: Value = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    let mut stats = world.stats.lock().unwrap();
    stats.cli_sales += 1;
    match output.status.code() {
        Some(0) => {
            stats.created += 1;
            drop(stats);
            if let (Some(id), Some(session)) = (body["id"].as_str(), body["session_id"].as_str()) {
                world.runtime.block_on(world.customer(rng, id, session));
            }
        }
        Some(5) if body["code"] == "ambiguous" => stats.ambiguous += 1,
        Some(3) => stats.refused += 1,
        code => stats.errors.push(format!(
            "request exited {code:?}: {} {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )),
    }
}

/// A `request` whose create the server stored but whose answer is held back, killed with
/// SIGKILL while its row is `sending`; then a new process on the same history.
fn kill_mid_request(world: &World, order_no: &str) {
    let mut child = world.cli.spawn(&[
        "--json",
        "request",
        "--amount",
        "3.250",
        "--currency",
        "KWD",
        "--order-no",
        order_no,
    ]);
    let until = Instant::now() + Duration::from_secs(10);
    let state = |world: &World| -> Option<String> {
        let conn = rusqlite::Connection::open(&world.history).ok()?;
        conn.busy_timeout(Duration::from_secs(5)).ok()?;
        conn.query_row(
            "SELECT state FROM sales WHERE order_no = ?1",
            [order_no],
            |r| r.get(0),
        )
        .ok()
    };
    loop {
        let stored = state(world).as_deref() == Some("sending")
            && !world
                .runtime
                .block_on(world.sandbox.sessions_by_order_no(order_no))
                .is_empty();
        if stored || Instant::now() > until {
            break;
        }
        if child.try_wait().ok().flatten().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let running = child.try_wait().ok().flatten().is_none();
    let _ = child.kill(); // SIGKILL
    let _ = child.wait();
    if running && state(world).as_deref() == Some("sending") {
        world.stats.lock().unwrap().request_kills += 1;
    }
    // The till comes back on the same history: one pass of its checks (the dead process's
    // claim still holds the sale for a moment; the engines take it over once it lapses).
    let output = world.cli.output(&["--json", "settle"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    world.stats.lock().unwrap().restarts += 1;
}

/// `settle --watch`, killed with SIGKILL after a random while and restarted, until told to stop.
fn headless_engine(world: &World, killing: &AtomicBool, seed: u64) {
    let mut rng = StdRng::seed_from_u64(seed ^ 0x5e77);
    while killing.load(Ordering::SeqCst) {
        let mut child = world
            .cli
            .spawn(&["--json", "settle", "--watch", "--deadline", "900s"]);
        let lives = Duration::from_millis(rng.gen_range(200..1_500));
        let until = Instant::now() + lives;
        while Instant::now() < until && killing.load(Ordering::SeqCst) {
            if child.try_wait().ok().flatten().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        if child.try_wait().ok().flatten().is_none() {
            let _ = child.kill(); // SIGKILL
            world.stats.lock().unwrap().headless_kills += 1;
        }
        let _ = child.wait();
        world.stats.lock().unwrap().restarts += 1;
    }
}

/// Milliseconds from a sale being seen `unknown` (or `sending` for two looks in a row) until
/// it left those states, sorted.
fn settle_times(history: &Path, watching: &AtomicBool) -> Vec<u64> {
    let mut since: HashMap<String, Instant> = HashMap::new();
    let mut sending_seen: HashMap<String, Instant> = HashMap::new();
    let mut done = Vec::new();
    let read = || -> Option<Vec<(String, String)>> {
        let conn = rusqlite::Connection::open(history).ok()?;
        conn.busy_timeout(Duration::from_secs(5)).ok()?;
        let mut stmt = conn
            .prepare("SELECT id, state FROM sales WHERE state IN ('sending', 'unknown')")
            .ok()?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .ok()?
            .collect::<Result<Vec<_>, _>>()
            .ok()?;
        Some(rows)
    };
    loop {
        let stop = !watching.load(Ordering::SeqCst);
        if let Some(rows) = read() {
            let now = Instant::now();
            let current: HashSet<&str> = rows.iter().map(|(id, _)| id.as_str()).collect();
            for (id, state) in &rows {
                if since.contains_key(id) {
                    continue;
                }
                if state == "unknown" {
                    let start = sending_seen.get(id).copied().unwrap_or(now);
                    since.insert(id.clone(), start);
                } else if let Some(first) = sending_seen.get(id) {
                    since.insert(id.clone(), *first);
                } else {
                    sending_seen.insert(id.clone(), now);
                }
            }
            sending_seen.retain(|id, _| current.contains(id.as_str()));
            since.retain(|id, start| {
                let open = current.contains(id.as_str());
                if !open {
                    done.push(now.duration_since(*start).as_millis() as u64);
                }
                open
            });
        }
        if stop {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    done.sort_unstable();
    done
}

fn percentile(sorted: &[u64], p: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let index = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}
