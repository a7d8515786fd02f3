//! Benchmark: time from a payment on the sandbox to the tracker reporting the sale `paid`.
//!
//! For each of N sales: create it through `Sales`, put it on screen (`watch`), subscribe, then
//! pay it through the sandbox's payer route and measure until the `paid` update arrives. Uses the
//! engine's default poll intervals (500 ms for the sale on screen), so the numbers are what a
//! cashier sees. Writes `bench/results/core-paid.md`.
//!
//! ```text
//! cargo run --release -p pos-core --example bench_paid_latency -- [N] [results-file]
//! ```

use std::time::{Duration, Instant};

use pos_core::dto::{SaleDraft, SaleState};
use pos_core::{Sales, SalesOptions};

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let runs: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(30);
    let out = args
        .next()
        .unwrap_or_else(|| "bench/results/core-paid.md".to_owned());

    let sandbox = ottu_sandbox::test_support::spawn_sandbox().await;
    let dir = tempfile::tempdir().expect("a temp dir");
    let options = SalesOptions {
        shop_name: "Bench".into(),
        default_pg_codes: vec!["knet".into()],
        ..SalesOptions::default()
    };
    let focus = options.focus_poll_interval;
    let sales = Sales::open(
        dir.path().join("history.sqlite3"),
        sandbox.client(),
        "bench",
        options,
    )
    .await
    .expect("the engine opens");

    let mut paid_ms = Vec::with_capacity(runs);
    let mut create_ms = Vec::with_capacity(runs);
    for i in 0..runs {
        let mut events = sales.subscribe();
        let started = Instant::now();
        let sale = sales
            .create(SaleDraft {
                amount: format!("{}.250", i + 1),
                currency_code: "KWD".into(),
                ..Default::default()
            })
            .await
            .expect("the sale is created");
        create_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        sales.watch(Some(&sale.id));
        // Let the first poll of the new sale pass, as when a customer scans after a moment.
        tokio::time::sleep(Duration::from_millis(150 + (i as u64 * 37) % 400)).await;
        let session_id = sale.session_id.clone().expect("a session id");
        let paid_at = Instant::now();
        sandbox.pay(&session_id, Some("knet")).await;
        loop {
            let update = tokio::time::timeout(Duration::from_secs(10), events.recv())
                .await
                .expect("paid within 10 s")
                .expect("event stream open");
            if update.id == sale.id && update.state == SaleState::Paid {
                break;
            }
        }
        paid_ms.push(paid_at.elapsed().as_secs_f64() * 1000.0);
    }
    sales.watch(None);

    let section = format!(
        "## pos-core: sandbox payment → tracker `paid`\n\n\
         {runs} sales on the embedded sandbox (loopback), the sale on screen polled every {} ms \
         (the engine's default). Time from the payer route call to the `paid` update on \
         `Sales::subscribe()`.\n\n\
         | measure | p50 | p95 | max |\n|---|---|---|---|\n\
         | payment → `paid` reported | {:.0} ms | {:.0} ms | {:.0} ms |\n\
         | `Sales::create` (ledger write + create call) | {:.1} ms | {:.1} ms | {:.1} ms |\n\n\
         Target: paid shown within 2 s. Command:\n\n\
         ```\ncargo run --release -p pos-core --example bench_paid_latency -- {runs}\n```\n",
        focus.as_millis(),
        percentile(&paid_ms, 50.0),
        percentile(&paid_ms, 95.0),
        percentile(&paid_ms, 100.0),
        percentile(&create_ms, 50.0),
        percentile(&create_ms, 95.0),
        percentile(&create_ms, 100.0),
    );
    print!("{section}");
    if let Some(parent) = std::path::Path::new(&out).parent() {
        std::fs::create_dir_all(parent).expect("results folder");
    }
    std::fs::write(&out, section).expect("results written");
    sandbox.shutdown().await;
}

fn percentile(samples: &[f64], p: f64) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(|a, b| a.total_cmp(b));
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * (sorted.len() as f64 - 1.0)).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}
