//! The history benchmark (`make bench-history`, a slice of it in `make bench`):
//!
//! - `history_bench generate --db FILE --sales N [--open M] [--years Y] [--profile ID]` writes a
//!   history of N sales over the last Y years (3) through pos-core's own store: `Store::open`
//!   makes the schema, `Store::insert_batch` writes the sales (so the search index, the shift
//!   and every column are filled as the app fills them), one shift per day opened and closed
//!   through the store. A realistic mix, from a fixed seed: payment links and cash, every final
//!   state, KWD (3 decimals) and some SAR and USD (2), eight staff, refunds, carts, notes. The M
//!   open sales are old sales left `created`, spread over the history (as a till closed while
//!   links were out leaves them). Cash and refund rows are written by the SQL of this file, in
//!   the day's transaction: the store writes them one by one, one disk flush each.
//! - `history_bench measure --db FILE [--runs R] [--check]` times the history's queries on it
//!   through the store (search, filters, a day's and a month's totals, a shift's Z report) and
//!   prints a Markdown table with p50/p95/max and each query's plan; `--check` fails when a
//!   p95 misses its target.
//!
//! The generator's randomness is `rand`'s `StdRng` from a fixed seed, so two runs write the same
//! history.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use pos_core::cart::{CartLineTotals, CartTotals};
use pos_core::dto::{Language, PaymentMethod, Sale, SaleState, StaffRef};
use pos_core::reports::{self, ReportInput, ReportKind};
use pos_core::store::{ListFilter, SaleRecord, ShiftRecord, Store, format_utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use time::{Duration as TimeSpan, OffsetDateTime};

const FIRST_NAMES: [&str; 16] = [
    "Sara",
    "Omar",
    "Fatima",
    "Yousef",
    "Noor",
    "Ahmad",
    "Mariam",
    "Khalid",
    "Layla",
    "Hamad",
    "سارة",
    "عمر",
    "فاطمة",
    "يوسف",
    "نور",
    "أحمد",
];
const LAST_NAMES: [&str; 12] = [
    "Al-Sabah",
    "Al-Mutairi",
    "Al-Ajmi",
    "Al-Enezi",
    "Haddad",
    "Khoury",
    "Rahman",
    "Saleh",
    "العتيبي",
    "الرشيدي",
    "الكندري",
    "الشمري",
];
const ITEMS: [&str; 20] = [
    "Cardamom Latte",
    "Spanish Latte",
    "Flat White",
    "Saffron Cake",
    "Date Cookie",
    "Pistachio Kunafa",
    "Iced Karak",
    "Mint Lemonade",
    "Croissant",
    "Zaatar Manakish",
    "Halloumi Sandwich",
    "Chicken Shawarma",
    "Falafel Wrap",
    "Hummus Bowl",
    "Orange Juice",
    "قهوة عربية",
    "كعك بالتمر",
    "لقيمات",
    "شاي كرك",
    "بسبوسة",
];
const NOTES: [&str; 8] = [
    "Deliver to Salmiya branch",
    "Gift wrap please",
    "Pick up at 6pm",
    "Corporate order",
    "Birthday cake, no nuts",
    "توصيل إلى حولي",
    "Paid deposit earlier",
    "Call before delivery",
];
const STAFF: [(&str, &str); 8] = [
    ("staff-owner", "Hessa"),
    ("staff-manager", "Bader"),
    ("staff-c1", "Dana"),
    ("staff-c2", "Fahad"),
    ("staff-c3", "Reem"),
    ("staff-c4", "Talal"),
    ("staff-c5", "Abrar"),
    ("staff-c6", "Mishari"),
];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| -> Option<String> {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let db = PathBuf::from(flag("--db").unwrap_or_else(|| usage()));
    match args.first().map(String::as_str) {
        Some("generate") => {
            let sales: u64 = number(flag("--sales"), 1_000_000);
            let open: u64 = number(flag("--open"), 0);
            let years: u64 = number(flag("--years"), 3);
            generate(&db, sales, open, years, flag("--profile"));
        }
        Some("measure") => {
            let runs: usize = number(flag("--runs"), 100);
            let ok = measure(&db, runs);
            if args.iter().any(|a| a == "--check") && !ok {
                eprintln!("history_bench: a query missed its target");
                std::process::exit(1);
            }
        }
        _ => usage(),
    }
}

fn usage() -> ! {
    eprintln!(
        "usage: history_bench generate --db FILE --sales N [--open M] [--years Y] [--profile ID]\n\
         \x20      history_bench measure --db FILE [--runs R] [--check]"
    );
    std::process::exit(2)
}

fn number<T: std::str::FromStr>(text: Option<String>, default: T) -> T {
    text.map(|t| t.parse().unwrap_or_else(|_| usage()))
        .unwrap_or(default)
}

fn pick<'a, T>(rng: &mut StdRng, from: &'a [T]) -> &'a T {
    &from[rng.gen_range(0..from.len())]
}

/// A random amount with the currency's decimals, as the app stores it.
fn amount(rng: &mut StdRng, currency: &str) -> String {
    let (decimals, max_minor) = match currency {
        "KWD" => (3, 80_000),
        _ => (2, 90_000),
    };
    let minor: u64 = rng.gen_range(100..max_minor);
    let scale = 10u64.pow(decimals);
    format!(
        "{}.{:0width$}",
        minor / scale,
        minor % scale,
        width = decimals as usize
    )
}

fn cart(rng: &mut StdRng, currency: &str, total: &str) -> CartTotals {
    let zero = if currency == "KWD" { "0.000" } else { "0.00" };
    let lines = (0..rng.gen_range(1..=4))
        .map(|_| {
            let name = *pick(rng, &ITEMS);
            CartLineTotals {
                item_id: None,
                sku: format!("SKU-{}", name.len()),
                description: name.to_owned(),
                quantity: rng.gen_range(1..4).to_string(),
                vat_rate: 0,
                shelf_unit_price: total.to_owned(),
                line_discount: zero.to_owned(),
                sale_discount_share: zero.to_owned(),
                shelf_total: total.to_owned(),
                unit_price_excl_tax: total.to_owned(),
                discount_excl_tax: zero.to_owned(),
                total_excl_tax: total.to_owned(),
                tax_amount: zero.to_owned(),
                total_incl_tax: total.to_owned(),
            }
        })
        .collect();
    CartTotals {
        currency_code: currency.to_owned(),
        prices_include_tax: true,
        lines,
        sale_discount: zero.to_owned(),
        shelf_total: total.to_owned(),
        total_excl_tax: total.to_owned(),
        tax_amount: zero.to_owned(),
        vat: Vec::new(),
        total: total.to_owned(),
        matches_shelf: true,
    }
}

/// One generated sale: the record, and whether it was taken in cash.
fn sale(
    rng: &mut StdRng,
    profile: &str,
    serial: u64,
    created: OffsetDateTime,
    leave_open: bool,
) -> (SaleRecord, bool) {
    let currency = match rng.gen_range(0..100) {
        0..=89 => "KWD",
        90..=94 => "SAR",
        _ => "USD",
    };
    let state = if leave_open {
        SaleState::Created
    } else {
        match rng.gen_range(0..1000) {
            0..=719 => SaleState::Paid,
            720..=749 => SaleState::Refunded,
            750..=849 => SaleState::Expired,
            850..=899 => SaleState::Canceled,
            900..=939 => SaleState::Failed,
            940..=989 => SaleState::Rejected,
            990..=994 => SaleState::Unknown,
            _ => SaleState::Created,
        }
    };
    let taken = matches!(state, SaleState::Paid | SaleState::Refunded);
    let cash = taken && !leave_open && rng.gen_range(0..100) < 30;
    let amount = amount(rng, currency);
    let first = *pick(rng, &FIRST_NAMES);
    let last = *pick(rng, &LAST_NAMES);
    let with_customer = cash && rng.gen_bool(0.7);
    let (staff_id, staff_name) = *pick(rng, &STAFF);
    let order_no = format!(
        "POS-{:04}{:02}{:02}-{:06X}",
        created.year(),
        created.month() as u8,
        created.day(),
        serial
    );
    let session_id = (!cash && state != SaleState::Rejected).then(|| {
        format!(
            "{:016x}{:016x}{:08x}",
            rng.r#gen::<u64>(),
            rng.r#gen::<u64>(),
            serial
        )
    });
    let created_at = format_utc(created);
    let paid_at = taken.then(|| format_utc(created + TimeSpan::seconds(rng.gen_range(5..600))));
    let sale = Sale {
        id: format!("sale-{serial:08x}"),
        profile_id: profile.to_owned(),
        order_no: order_no.clone(),
        session_id: session_id.clone(),
        state,
        method: if cash {
            PaymentMethod::Cash
        } else {
            PaymentMethod::Link
        },
        bill_id: None,
        amount: amount.clone(),
        currency_code: currency.to_owned(),
        customer_name: (!with_customer).then(|| format!("{first} {last}")),
        customer_phone: (!with_customer)
            .then(|| format!("+965{}", rng.gen_range(50_000_000..99_999_999))),
        customer_email: (!with_customer && rng.gen_bool(0.4))
            .then(|| format!("{}.{}@example.com", first.to_lowercase(), serial % 9973)),
        note: rng.gen_bool(0.1).then(|| (*pick(rng, &NOTES)).to_owned()),
        language: if rng.gen_bool(0.5) {
            Language::Ar
        } else {
            Language::En
        },
        checkout_url: session_id
            .as_ref()
            .map(|s| format!("https://sandbox.ottu.net/b/checkout/redirect/start/?session_id={s}")),
        short_url: None,
        link: None,
        qr_svg: None,
        expires_at: None,
        created_at: created_at.clone(),
        updated_at: paid_at.clone().unwrap_or(created_at),
        paid_at,
        problem: None,
        settlement: Default::default(),
        created_by: Some(StaffRef {
            id: staff_id.to_owned(),
            name: staff_name.to_owned(),
        }),
        operations: Vec::new(),
        refundable_amount: None,
        offered_operations: Vec::new(),
        cart: rng.gen_bool(0.4).then(|| cart(rng, currency, &amount)),
    };
    let request = serde_json::json!({
        "type": "e_commerce",
        "amount": amount,
        "currency_code": currency,
        "order_no": order_no,
        "pg_codes": if rng.gen_bool(0.8) { vec!["knet"] } else { vec!["knet", "credit-card"] },
    });
    let mut record = SaleRecord::new(sale, request);
    record.send_attempts = 1;
    (record, cash)
}

fn generate(db: &PathBuf, sales: u64, open: u64, years: u64, profile: Option<String>) {
    let started = Instant::now();
    let store = Store::open(db).expect("open the history");
    let raw = rusqlite::Connection::open(db).expect("open the history for cash and refunds");
    raw.busy_timeout(Duration::from_secs(5)).unwrap();
    // A history that already has sales (made by the app) keeps its profile.
    let profile = profile
        .or_else(|| {
            raw.query_row("SELECT profile_id FROM sales LIMIT 1", [], |r| r.get(0))
                .ok()
        })
        .unwrap_or_else(|| "bench-profile".to_owned());
    let mut rng = StdRng::seed_from_u64(0x0770_0905);
    let days = (years * 365).max(1);
    let per_day = sales.div_ceil(days).max(1);
    // Every `open_every`-th sale of days older than yesterday is left open.
    let old_sales = sales.saturating_sub(per_day * 2);
    let open_every = old_sales
        .checked_div(open)
        .map_or(u64::MAX, |every| every.max(1));
    let mut left_open = 0;
    let today = OffsetDateTime::now_utc().replace_time(time::Time::MIDNIGHT);
    let mut serial = 0u64;
    for day in (0..days).rev() {
        if serial >= sales {
            break;
        }
        let date = today - TimeSpan::days(day as i64);
        // The shop opens at 06:00 UTC (09:00 in Kuwait) and takes sales for 14 hours.
        let opens = date + TimeSpan::hours(6);
        let (opener_id, opener_name) = STAFF[(day % 2) as usize];
        let shift = ShiftRecord {
            id: format!("shift-{day:05}"),
            profile_id: profile.clone(),
            currency_code: "KWD".into(),
            opening_float: "50.000".into(),
            opened_at: format_utc(opens),
            opened_by: Some(StaffRef {
                id: opener_id.into(),
                name: opener_name.into(),
            }),
            closed_at: None,
            closed_by: None,
            counted_cash: None,
            expected_cash: None,
            variance: None,
            z_report_json: None,
            version: 1,
        };
        store.open_shift(&shift).expect("open the day's shift");
        let count = per_day.min(sales - serial);
        let mut batch = Vec::with_capacity(count as usize);
        let mut cash_ids = Vec::new();
        let mut offsets: Vec<i64> = (0..count)
            .map(|_| rng.gen_range(0..14 * 3600 * 1000))
            .collect();
        offsets.sort_unstable();
        for offset in offsets {
            let created = opens + TimeSpan::milliseconds(offset);
            let leave_open = day > 1 && left_open < open && serial.is_multiple_of(open_every);
            left_open += u64::from(leave_open);
            let (record, cash) = sale(&mut rng, &profile, serial, created, leave_open);
            if cash {
                cash_ids.push(record.sale.id.clone());
            }
            batch.push(record);
            serial += 1;
        }
        store
            .insert_batch(&mut batch)
            .expect("write the day's sales");
        write_cash_and_refunds(&raw, &batch, &cash_ids);
        let mut shift = store
            .get_shift(&shift.id)
            .expect("read the shift")
            .expect("the shift exists");
        // Today's shift stays open, as on a working day.
        if day > 0 {
            shift.closed_at = Some(format_utc(opens + TimeSpan::hours(14)));
            shift.closed_by = shift.opened_by.clone();
            shift.counted_cash = Some("50.000".into());
            assert!(store.close_shift(&mut shift).expect("close the shift"));
        }
    }
    let bytes = std::fs::metadata(db).map(|m| m.len()).unwrap_or(0);
    println!(
        "wrote {serial} sales ({left_open} left open) for profile {profile} over {days} days \
         into {} ({} MB) in {:.1} s",
        db.display(),
        bytes / 1_000_000,
        started.elapsed().as_secs_f64()
    );
}

/// Marks the day's cash sales as the store's cash path does, and writes a done refund for
/// every refunded sale (half of them partial), in one transaction.
fn write_cash_and_refunds(raw: &rusqlite::Connection, batch: &[SaleRecord], cash_ids: &[String]) {
    raw.execute_batch("BEGIN").unwrap();
    {
        let mut cash = raw
            .prepare_cached(
                "UPDATE sales SET method = 'cash', tendered = amount, change_given = ?2
                 WHERE id = ?1",
            )
            .unwrap();
        for id in cash_ids {
            let sale = batch.iter().find(|r| &r.sale.id == id).unwrap();
            let zero = if sale.sale.currency_code == "KWD" {
                "0.000"
            } else {
                "0.00"
            };
            cash.execute(rusqlite::params![id, zero]).unwrap();
        }
        let mut refund = raw
            .prepare_cached(
                "INSERT INTO operations (id, sale_id, profile_id, kind, amount, currency_code,
                    tracking_key, state, result_amount, created_at, updated_at,
                    created_by_id, created_by_name)
                 VALUES (?1, ?2, ?3, 'refund', ?4, ?5, ?1, 'done', ?4, ?6, ?6, ?7, ?8)",
            )
            .unwrap();
        for record in batch.iter().filter(|r| r.sale.state == SaleState::Refunded) {
            let sale = &record.sale;
            let at = sale
                .paid_at
                .clone()
                .unwrap_or_else(|| sale.created_at.clone());
            let by = sale.created_by.clone().unwrap();
            refund
                .execute(rusqlite::params![
                    format!("op-{}", sale.id),
                    sale.id,
                    sale.profile_id,
                    sale.amount,
                    sale.currency_code,
                    at,
                    by.id,
                    by.name,
                ])
                .unwrap();
        }
    }
    raw.execute_batch("COMMIT").unwrap();
}

/// A sale's order number, phone, email and session id: search terms to take parts of.
type Sample = (String, Option<String>, Option<String>, Option<String>);

/// One query's timings.
struct Timed {
    name: String,
    target: Duration,
    samples: Vec<Duration>,
    rows: usize,
    plan: String,
}

impl Timed {
    fn percentile(&self, p: f64) -> Duration {
        let mut sorted = self.samples.clone();
        sorted.sort();
        let index = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
        sorted[index]
    }
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

fn measure(db: &PathBuf, runs: usize) -> bool {
    let opened = Instant::now();
    let store = Store::open(db).expect("open the history");
    let open_time = opened.elapsed();
    let raw = rusqlite::Connection::open(db).expect("open the history");
    let profile: String = raw
        .query_row("SELECT profile_id FROM sales LIMIT 1", [], |r| r.get(0))
        .expect("the history has sales");
    let total: i64 = raw
        .query_row("SELECT COUNT(*) FROM sales", [], |r| r.get(0))
        .unwrap();
    let mut rng = StdRng::seed_from_u64(7);
    // Search terms taken from the history itself: what staff would type.
    let mut samples = Vec::new();
    for _ in 0..runs {
        let offset = rng.gen_range(0..total);
        let sample: Sample = raw
            .query_row(
                "SELECT order_no, customer_phone, customer_email, session_id
                 FROM sales LIMIT 1 OFFSET ?1",
                [offset],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        samples.push(sample);
    }
    let (newest, oldest): (String, String) = raw
        .query_row(
            "SELECT MAX(created_at), MIN(created_at) FROM sales",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let newest = pos_core::clock::parse_instant(&newest).unwrap();
    let oldest = pos_core::clock::parse_instant(&oldest).unwrap();
    let span_days = (newest - oldest).whole_days().max(1);
    let random_day = |rng: &mut StdRng| {
        oldest.replace_time(time::Time::MIDNIGHT) + TimeSpan::days(rng.gen_range(0..span_days))
    };
    let plan_of = |sql: &str| -> String {
        let mut stmt = raw.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let count = stmt.parameter_count();
        let params: Vec<String> = vec!["x".to_owned(); count];
        let rows = stmt
            .query_map(rusqlite::params_from_iter(params.iter()), |r| {
                r.get::<_, String>(3)
            })
            .unwrap();
        rows.map(Result::unwrap).collect::<Vec<_>>().join("; ")
    };
    // The two plans of a search (`Store::list`): few matches, read by rowid; many, read newest
    // first. The benchmark's searches take either, by how many sales match.
    let search_plan = format!(
        "{} / many matches: {}",
        plan_of(
            "SELECT s.id FROM json_each(?) AS m CROSS JOIN sales AS s ON s.rowid = m.value \
             WHERE s.profile_id = ? ORDER BY s.created_at DESC, s.id DESC LIMIT 200",
        ),
        plan_of(
            "SELECT s.id FROM sales AS s INDEXED BY sales_profile_created_text \
             WHERE s.profile_id = ? AND s.search_text LIKE ? AND s.search_text <> '' \
             ORDER BY s.created_at DESC, s.id DESC LIMIT 200",
        )
    );
    let mut results: Vec<Timed> = Vec::new();
    let mut run_list = |name: &str, plan: String, filters: &mut dyn FnMut(usize) -> ListFilter| {
        let mut timed = Timed {
            name: name.to_owned(),
            target: Duration::from_millis(50),
            samples: Vec::new(),
            rows: 0,
            plan,
        };
        for run in 0..runs {
            let filter = filters(run);
            let at = Instant::now();
            let page = store.list(&profile, &filter).expect("list");
            timed.samples.push(at.elapsed());
            timed.rows += page.len();
        }
        timed.rows /= runs.max(1);
        results.push(timed);
    };
    let page = |text: Option<String>| ListFilter {
        text,
        limit: pos_core::history::DEFAULT_LIMIT,
        ..Default::default()
    };
    run_list(
        "newest page, no filter",
        plan_of(
            "SELECT id FROM sales WHERE profile_id = ? ORDER BY created_at DESC, id DESC LIMIT 200",
        ),
        &mut |_| page(None),
    );
    run_list(
        "search: order number (tail)",
        search_plan.clone(),
        &mut |i| page(Some(samples[i].0[samples[i].0.len() - 6..].to_lowercase())),
    );
    run_list(
        "search: phone (last 6 digits)",
        search_plan.clone(),
        &mut |i| page(samples[i].1.as_ref().map(|p| p[p.len() - 6..].to_owned())),
    );
    run_list("search: email", search_plan.clone(), &mut |i| {
        page(samples[i].2.clone().or_else(|| Some("sara.".into())))
    });
    run_list(
        "search: session id (12 chars)",
        search_plan.clone(),
        &mut |i| page(samples[i].3.as_ref().map(|s| s[4..16].to_owned())),
    );
    run_list("search: customer name", search_plan.clone(), &mut |i| {
        let name = format!("{} {}", FIRST_NAMES[i % 16], LAST_NAMES[i % 12]);
        page(Some(name.to_lowercase()))
    });
    run_list("search: note word", search_plan.clone(), &mut |i| {
        page(Some(
            NOTES[i % NOTES.len()]
                .split(' ')
                .nth(1)
                .unwrap()
                .to_lowercase(),
        ))
    });
    run_list("search: item name", search_plan.clone(), &mut |i| {
        page(Some(ITEMS[i % ITEMS.len()].to_lowercase()))
    });
    run_list("search: no match", search_plan.clone(), &mut |i| {
        page(Some(format!("zzq{i}xw")))
    });
    run_list(
        "search: 2 characters (scan)",
        plan_of(
            "SELECT id FROM sales INDEXED BY sales_profile_created_text WHERE profile_id = ? AND search_text LIKE ? ESCAPE '\\' AND search_text <> '' ORDER BY created_at DESC, id DESC LIMIT 200",
        ),
        &mut |i| page(Some(["sa", "om", "99", "ka", "50"][i % 5].to_owned())),
    );
    let states = [
        SaleState::Paid,
        SaleState::Expired,
        SaleState::Failed,
        SaleState::Unknown,
        SaleState::Refunded,
    ];
    run_list(
        "filter: state",
        plan_of(
            "SELECT id FROM sales WHERE profile_id = ? AND state = ? ORDER BY created_at DESC, id DESC LIMIT 200",
        ),
        &mut |i| ListFilter {
            state: Some(states[i % states.len()]),
            ..page(None)
        },
    );
    run_list(
        "filter: method",
        plan_of(
            "SELECT id FROM sales WHERE profile_id = ? AND method = ? ORDER BY created_at DESC, id DESC LIMIT 200",
        ),
        &mut |i| ListFilter {
            method: Some(if i % 2 == 0 {
                PaymentMethod::Cash
            } else {
                PaymentMethod::Link
            }),
            ..page(None)
        },
    );
    run_list(
        "filter: staff",
        plan_of(
            "SELECT id FROM sales WHERE profile_id = ? AND created_by_id = ? ORDER BY created_at DESC, id DESC LIMIT 200",
        ),
        &mut |i| ListFilter {
            staff_id: Some(STAFF[i % STAFF.len()].0.into()),
            ..page(None)
        },
    );
    let mut day_rng = StdRng::seed_from_u64(11);
    let mut ranges: Vec<(String, String)> = (0..runs)
        .map(|_| {
            let from = random_day(&mut day_rng);
            (format_utc(from), format_utc(from + TimeSpan::days(7)))
        })
        .collect();
    run_list(
        "filter: a week's dates",
        plan_of(
            "SELECT id FROM sales WHERE profile_id = ? AND created_at >= ? AND created_at < ? ORDER BY created_at DESC, id DESC LIMIT 200",
        ),
        &mut |i| ListFilter {
            created_from: Some(ranges[i].0.clone()),
            created_until: Some(ranges[i].1.clone()),
            ..page(None)
        },
    );
    run_list(
        "filter: week + state + staff + method",
        plan_of(
            "SELECT id FROM sales WHERE profile_id = ? AND state = ? AND created_by_id = ? AND method = ? AND created_at >= ? AND created_at < ? ORDER BY created_at DESC, id DESC LIMIT 200",
        ),
        &mut |i| ListFilter {
            created_from: Some(ranges[i].0.clone()),
            created_until: Some(ranges[i].1.clone()),
            state: Some(SaleState::Paid),
            staff_id: Some(STAFF[i % STAFF.len()].0.into()),
            method: Some(PaymentMethod::Cash),
            ..page(None)
        },
    );
    run_list("search + a month's dates + state", search_plan, &mut |i| {
        ListFilter {
            text: Some(ITEMS[i % ITEMS.len()].to_lowercase()),
            created_from: Some(ranges[i].0.clone()),
            created_until: Some(format_utc(
                pos_core::clock::parse_instant(&ranges[i].0).unwrap() + TimeSpan::days(30),
            )),
            state: Some(SaleState::Paid),
            ..page(None)
        }
    });
    // Totals: what the history screen's "today" line and a month's summary read.
    for (name, span) in [("totals: a day", 1), ("totals: a month", 30)] {
        let mut timed = Timed {
            name: name.to_owned(),
            target: Duration::from_millis(20),
            samples: Vec::new(),
            rows: 0,
            plan: "whole days: ".to_owned()
                + &plan_of(
                    "SELECT currency_code, decimals, SUM(minor), SUM(count) FROM sales_paid_days \
                     WHERE profile_id = ?1 AND day > ?2 AND day < ?3 \
                     GROUP BY currency_code, decimals",
                )
                + " / edge days: "
                + &plan_of(
                    "SELECT currency_code, SUM(CAST(REPLACE(amount, '.', '') AS INTEGER)) \
                     FROM sales WHERE profile_id = ?1 AND state = 'paid' AND paid_at >= ?2 \
                     AND paid_at < ?3 GROUP BY currency_code",
                )
                + " / refunds: "
                + &plan_of(
                    "SELECT currency_code, COALESCE(result_amount, amount) FROM operations \
                     WHERE profile_id = ?1 AND kind = 'refund' AND state = 'done' \
                     AND created_at >= ?2 AND created_at < ?3",
                ),
        };
        for _ in 0..runs {
            let from = random_day(&mut day_rng);
            let (from, until) = (format_utc(from), format_utc(from + TimeSpan::days(span)));
            let at = Instant::now();
            let paid = store.paid_totals(&profile, &from, &until).unwrap();
            let refunded = store.refunded_amounts(&profile, &from, &until).unwrap();
            let totals = pos_core::history::net_of(paid, &refunded).unwrap();
            timed.samples.push(at.elapsed());
            timed.rows += totals.iter().map(|t| t.count as usize).sum::<usize>();
        }
        timed.rows /= runs.max(1);
        results.push(timed);
    }
    // A shift's Z report, read and computed as the till does at close.
    let mut timed = Timed {
        name: "Z report of a shift".into(),
        target: Duration::from_millis(200),
        samples: Vec::new(),
        rows: 0,
        plan: plan_of(
            "SELECT id, state, amount FROM sales WHERE shift_id = ?1 ORDER BY created_at, id",
        ),
    };
    let shifts = store.shifts(&profile, 10_000).unwrap();
    for run in 0..runs.min(shifts.len()) {
        let shift = &shifts[(run * 7919) % shifts.len()];
        let at = Instant::now();
        let sales = store.shift_sales(&shift.id).unwrap();
        let entries = store.cash_entries(&shift.id).unwrap();
        let until = shift
            .closed_at
            .clone()
            .unwrap_or_else(pos_core::store::now_utc);
        let refunds = store
            .refunds_between(&profile, &shift.opened_at, &until)
            .unwrap();
        let report = reports::compute(ReportInput {
            kind: ReportKind::Z,
            shift,
            sales: &sales,
            refunds: &refunds,
            entries: &entries,
            counted_cash: Some("50.000"),
            generated_at: &until,
        });
        timed.samples.push(at.elapsed());
        timed.rows += sales.len();
        assert!(report.not_taken_count as usize <= sales.len());
    }
    timed.rows /= timed.samples.len().max(1);
    results.push(timed);
    ranges.clear();

    println!(
        "History of {total} sales ({} MB); `Store::open` on it: {} ms; {runs} runs per query.\n",
        std::fs::metadata(db)
            .map(|m| m.len() / 1_000_000)
            .unwrap_or(0),
        ms(open_time)
    );
    println!("| Query | p50 ms | p95 ms | max ms | target p95 | rows | ok |");
    println!("|---|---:|---:|---:|---:|---:|---|");
    let mut ok = true;
    for timed in &results {
        let p95 = timed.percentile(0.95);
        let pass = p95 <= timed.target;
        ok &= pass;
        println!(
            "| {} | {} | {} | {} | {} | {} | {} |",
            timed.name,
            ms(timed.percentile(0.5)),
            ms(p95),
            ms(*timed.samples.iter().max().unwrap_or(&Duration::ZERO)),
            timed.target.as_millis(),
            timed.rows,
            if pass { "yes" } else { "**no**" }
        );
    }
    println!("\nQuery plans (EXPLAIN QUERY PLAN):\n");
    for timed in &results {
        println!("- {}: `{}`", timed.name, timed.plan);
    }
    ok
}
