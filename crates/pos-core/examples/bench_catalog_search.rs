//! Benchmark: catalog search over a generated catalog of N items (default 10,000) in a real
//! SQLite history file, as the sale screen and the catalog screen ask it.
//!
//! The catalog is written with one all-or-nothing import (`Catalog::import_csv`), the way a
//! shop would load it. Every query kind is then run `RUNS` times (default 200), in rotation so
//! no kind benefits from the one before: a name fragment as typed (one, three and six letters),
//! an Arabic fragment, an exact SKU, an exact barcode, a category tab, the favourites grid and
//! the catalog screen's first page (archived items included). Times are wall-clock around
//! `Catalog::search`, SQLite's page cache warm as it is on a till that has searched once.
//! Writes `bench/results/catalog-search.md`.
//!
//! ```text
//! cargo run --release -p pos-core --example bench_catalog_search -- [ITEMS] [RUNS] [results-file]
//! ```

use std::fmt::Write as _;
use std::time::Instant;

use pos_core::catalog::{Catalog, CatalogQuery};
use pos_core::store::Store;

/// Words the generated names are made of (English, and Arabic for `name_ar`).
const WORDS_EN: [&str; 16] = [
    "apple",
    "basil",
    "cardamom",
    "dates",
    "espresso",
    "falafel",
    "ginger",
    "honey",
    "saffron",
    "labneh",
    "mint",
    "olive",
    "pistachio",
    "rice",
    "tahini",
    "zaatar",
];
const WORDS_AR: [&str; 16] = [
    "تفاح",
    "ريحان",
    "هيل",
    "تمر",
    "إسبريسو",
    "فلافل",
    "زنجبيل",
    "عسل",
    "زعفران",
    "لبنة",
    "نعناع",
    "زيتون",
    "فستق",
    "أرز",
    "طحينة",
    "زعتر",
];
const CATEGORIES: [&str; 8] = [
    "Bakery", "Coffee", "Dairy", "Drinks", "Fruit", "Grocery", "Snacks", "Spices",
];

fn csv_catalog(items: usize) -> String {
    let mut csv = String::from(
        "sku,barcode,name_en,name_ar,price,currency_code,vat_rate,category,favourite\n",
    );
    for i in 0..items {
        let (a, b) = (i % 16, (i / 16) % 16);
        let _ = writeln!(
            csv,
            "SKU-{i:05},628{i:010},{} {} {i},{} {} {i},{}.{:03},KWD,{},{},{}",
            WORDS_EN[a],
            WORDS_EN[b],
            WORDS_AR[a],
            WORDS_AR[b],
            1 + i % 40,
            (i * 125) % 1000,
            [0, 5, 10, 15][i % 4],
            CATEGORIES[i % CATEGORIES.len()],
            i % 250 == 0,
        );
    }
    csv
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let items: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10_000);
    let runs: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(200);
    let out = args
        .next()
        .unwrap_or_else(|| "bench/results/catalog-search.md".to_owned());

    let dir = tempfile::tempdir().expect("a temp dir");
    let store = Store::open(&dir.path().join("history.sqlite3")).expect("the store opens");
    let catalog = Catalog::new(&store);
    let started = Instant::now();
    let report = catalog
        .import_csv(csv_catalog(items).as_bytes())
        .expect("the import runs");
    assert!(report.applied, "the generated catalog imports: {report:?}");
    let import_ms = started.elapsed().as_secs_f64() * 1e3;

    let text = |t: &str| CatalogQuery {
        text: Some(t.to_owned()),
        limit: Some(50),
        ..CatalogQuery::default()
    };
    let kinds: Vec<(&str, CatalogQuery)> = vec![
        ("name, 1 letter (\"s\")", text("s")),
        ("name, 3 letters (\"saf\")", text("saf")),
        ("name, 6 letters (\"pistac\")", text("pistac")),
        ("Arabic name (\"زعفر\")", text("زعفر")),
        ("exact SKU", text(&format!("SKU-{:05}", items / 2))),
        ("exact barcode", text(&format!("628{:010}", items / 3))),
        (
            "category tab",
            CatalogQuery {
                category: Some("Spices".into()),
                limit: Some(50),
                ..CatalogQuery::default()
            },
        ),
        (
            "favourites grid",
            CatalogQuery {
                favourites: Some(true),
                limit: Some(24),
                ..CatalogQuery::default()
            },
        ),
        (
            "catalog screen, first page",
            CatalogQuery {
                include_archived: Some(true),
                limit: Some(200),
                ..CatalogQuery::default()
            },
        ),
    ];
    // One warm-up pass: the first query of a process reads the file into SQLite's cache.
    for (_, query) in &kinds {
        catalog.search(query).expect("search");
    }
    let mut times: Vec<Vec<f64>> = vec![Vec::with_capacity(runs); kinds.len()];
    let mut hits = vec![0usize; kinds.len()];
    for _ in 0..runs {
        for (k, (_, query)) in kinds.iter().enumerate() {
            let start = Instant::now();
            let found = catalog.search(query).expect("search");
            times[k].push(start.elapsed().as_secs_f64() * 1e3);
            hits[k] = found.len();
        }
    }
    let mut all: Vec<f64> = times.iter().flatten().copied().collect();
    all.sort_by(f64::total_cmp);
    let overall_p95 = percentile(&all, 95.0);

    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    let command = if cfg!(debug_assertions) {
        format!(
            "CATALOG_BENCH_PROFILE=dev CATALOG_BENCH_ITEMS={items} CATALOG_BENCH_RUNS={runs} bench/catalog-search.sh"
        )
    } else {
        format!(
            "bench/catalog-search.sh`, i.e. `cargo run --release -p pos-core --example bench_catalog_search -- {items} {runs}"
        )
    };
    // The machine's load while measuring (other work shares it), from the kernel.
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".into());
    let mut md = String::new();
    let _ = writeln!(
        md,
        "## Catalog search (pos-core, {items} items in SQLite)\n"
    );
    let _ = writeln!(
        md,
        "`{command}` (this run: the {profile} build). A generated catalog of {items} \
         items (English and Arabic names, SKU, barcode, 8 categories, 1 in 250 a favourite) \
         imported into a real SQLite history file in {import_ms:.0} ms, then each query kind run \
         {runs} times in rotation through `Catalog::search` (what `catalog_search` runs), \
         wall-clock, after one warm-up pass. Load average at the end of the run: {load} \
         (2 cores).\n"
    );
    let _ = writeln!(md, "| query | rows answered | p50 ms | p95 ms | max ms |");
    let _ = writeln!(md, "|---|---:|---:|---:|---:|");
    for (k, (name, _)) in kinds.iter().enumerate() {
        let mut t = times[k].clone();
        t.sort_by(f64::total_cmp);
        let _ = writeln!(
            md,
            "| {name} | {} | {:.2} | {:.2} | {:.2} |",
            hits[k],
            percentile(&t, 50.0),
            percentile(&t, 95.0),
            t[t.len() - 1]
        );
    }
    let verdict = if overall_p95 <= 20.0 {
        "met"
    } else {
        "**missed**"
    };
    let _ = writeln!(
        md,
        "\nAll queries together: p95 {overall_p95:.2} ms (target ≤ 20 ms: {verdict})."
    );
    std::fs::write(&out, &md).expect("the results file is written");
    print!("{md}");
}
