//! Measures the client's own overhead per create call and writes `bench/results/client.md`.
//!
//! A minimal HTTP/1.1 responder on 127.0.0.1 answers every request with a canned 201 create
//! body. Three loops run against it:
//!
//! 1. `client.checkout().create()`: validate + serialise + send + receive + parse;
//! 2. the same bytes written and read over a raw keep-alive TCP connection (the loopback and
//!    responder cost, which the client cannot avoid);
//! 3. in-process only: validate + serialise the request, and parse the response body.
//!
//! (1) and (2) alternate call by call; overhead = (1) − (2) for each pair, then p50/p95/mean.
//!
//! Run: `cargo run --release -p ottu-checkout --example bench_create [-- --iterations N]`

use std::path::PathBuf;
use std::time::{Duration, Instant};

use ottu_checkout::checkout::{CheckoutSession, CheckoutType, CreateCheckoutSession};
use ottu_checkout::{Amount, Client, CurrencyCode, OrderNo, PgCode};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const RESPONSE_BODY: &str = include_str!("../../../fixtures/checkout/create_response_201.json");

/// Reads one HTTP/1.1 request (headers + `Content-Length` body) from `buf`/`stream`.
/// Returns false when the peer closed the connection.
async fn read_request(stream: &mut TcpStream, buf: &mut Vec<u8>) -> std::io::Result<bool> {
    loop {
        if let Some(end) = find(buf, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            let total = end + 4 + length;
            while buf.len() < total {
                if !fill(stream, buf).await? {
                    return Ok(false);
                }
            }
            buf.drain(..total);
            return Ok(true);
        }
        if !fill(stream, buf).await? {
            return Ok(false);
        }
    }
}

async fn fill(stream: &mut TcpStream, buf: &mut Vec<u8>) -> std::io::Result<bool> {
    let mut chunk = [0u8; 16 * 1024];
    let n = stream.read(&mut chunk).await?;
    buf.extend_from_slice(&chunk[..n]);
    Ok(n > 0)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Serves canned 201s on 127.0.0.1; returns the port.
async fn start_responder() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let port = listener.local_addr().expect("local addr").port();
    let response = format!(
        "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: keep-alive\r\n\r\n{}",
        RESPONSE_BODY.len(),
        RESPONSE_BODY
    )
    .into_bytes();
    tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            stream.set_nodelay(true).ok();
            let response = response.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                while let Ok(true) = read_request(&mut stream, &mut buf).await {
                    if stream.write_all(&response).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    port
}

fn request(i: usize) -> CreateCheckoutSession {
    let kwd = CurrencyCode::KWD;
    let mut r = CreateCheckoutSession::new(
        CheckoutType::PaymentRequest,
        Amount::parse("12.5", &kwd).expect("amount"),
        kwd,
        vec![
            PgCode::parse("knet").expect("pg"),
            PgCode::parse("credit-card").expect("pg"),
        ],
    );
    r.order_no = Some(OrderNo::parse(format!("BENCH-{i:06}")).expect("order_no"));
    r.customer_phone = Some("+96599999999".into());
    r.customer_first_name = Some("Sara".into());
    r.expiration_time = Some("01:00:00".into());
    r.webhook_url = Some("https://merchant.example/ottu/webhook".into());
    r.generate_qr_code = true;
    r.shortify_checkout_url = true;
    r
}

struct Stats {
    p50: f64,
    p95: f64,
    mean: f64,
}

fn stats(mut samples: Vec<Duration>) -> Stats {
    samples.sort();
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    let at = |q: f64| us(samples[((samples.len() - 1) as f64 * q).round() as usize]);
    Stats {
        p50: at(0.50),
        p95: at(0.95),
        mean: samples.iter().map(|d| us(*d)).sum::<f64>() / samples.len() as f64,
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut iterations = 2000usize;
    let mut out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../bench/results/client.md");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--iterations" => {
                iterations = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--iterations N")
            }
            "--out" => out = PathBuf::from(args.next().expect("--out PATH")),
            other => panic!("unknown argument {other}"),
        }
    }
    let warmup = (iterations / 10).max(50);
    let port = start_responder().await;
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .api_key("bench0001.0123456789abcdef0123456789abcdef")
        .build()
        .expect("client");

    // 1 and 2, interleaved so both see the same machine load: one client create, then the
    // same request bytes over a raw keep-alive TCP connection (the loopback + responder floor).
    let body = serde_json::to_vec(&request(0)).expect("json");
    let mut raw_request = format!(
        "POST /b/checkout/v1/pymt-txn/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Api-Key bench0001.0123456789abcdef0123456789abcdef\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    raw_request.extend_from_slice(&body);
    let mut stream = TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("connect");
    stream.set_nodelay(true).expect("nodelay");
    let mut buf = Vec::with_capacity(8192);
    let mut chunk = [0u8; 16 * 1024];

    let mut client_samples = Vec::with_capacity(iterations);
    let mut raw_samples = Vec::with_capacity(iterations);
    let mut overhead_samples = Vec::with_capacity(iterations);
    for i in 0..warmup + iterations {
        let req = request(i);
        let started = Instant::now();
        let session = client.checkout().create(&req).await.expect("create");
        let client_elapsed = started.elapsed();
        assert_eq!(session.amount.as_ref().map(|a| a.as_str()), Some("12.500"));

        let started = Instant::now();
        stream.write_all(&raw_request).await.expect("write");
        buf.clear();
        // Headers, then exactly Content-Length bytes.
        let total = loop {
            let n = stream.read(&mut chunk).await.expect("read");
            assert!(n > 0, "responder closed");
            buf.extend_from_slice(&chunk[..n]);
            if let Some(end) = find(&buf, b"\r\n\r\n") {
                break end + 4 + RESPONSE_BODY.len();
            }
        };
        while buf.len() < total {
            let n = stream.read(&mut chunk).await.expect("read");
            buf.extend_from_slice(&chunk[..n]);
        }
        let raw_elapsed = started.elapsed();
        if i >= warmup {
            client_samples.push(client_elapsed);
            raw_samples.push(raw_elapsed);
            overhead_samples.push(client_elapsed.saturating_sub(raw_elapsed));
        }
    }

    // 3. In-process work only.
    let mut serialize_samples = Vec::with_capacity(iterations);
    let mut parse_samples = Vec::with_capacity(iterations);
    for i in 0..warmup + iterations {
        let req = request(i);
        let started = Instant::now();
        req.validate().expect("valid");
        let bytes = serde_json::to_vec(&req).expect("json");
        let serialize = started.elapsed();
        std::hint::black_box(bytes);
        let started = Instant::now();
        let session: CheckoutSession = serde_json::from_str(RESPONSE_BODY).expect("parse");
        let parse = started.elapsed();
        std::hint::black_box(session);
        if i >= warmup {
            serialize_samples.push(serialize);
            parse_samples.push(parse);
        }
    }

    let client_stats = stats(client_samples);
    let overhead = stats(overhead_samples);
    let raw_stats = stats(raw_samples);
    let ser = stats(serialize_samples);
    let parse = stats(parse_samples);
    let row =
        |name: &str, s: &Stats| format!("| {name} | {:.1} | {:.1} | {:.1} |", s.p50, s.p95, s.mean);
    let report = format!(
        "## Checkout client: overhead per create call\n\n\
Command: `cargo run --release -p ottu-checkout --example bench_create -- --iterations {iterations}`\n\n\
{iterations} create calls (after {warmup} warm-up calls) against an in-process HTTP/1.1 responder on\n\
127.0.0.1 that answers every request with the canned 201 body of\n\
`fixtures/checkout/create_response_201.json` ({} bytes); request body {} bytes. One keep-alive\n\
connection, current-thread tokio runtime. Times in microseconds.\n\n\
| measurement | p50 µs | p95 µs | mean µs |\n|---|---|---|---|\n{}\n{}\n{}\n{}\n{}\n\n\
**Client overhead per create call: p50 {:.1} µs** (per-call difference between the client and\n\
the raw baseline run right after it; mean {:.1} µs).\n\n\
The raw baseline writes the same request bytes and reads the full answer over a plain socket, so\n\
it is the loopback + responder floor that any HTTP client pays; the difference is what\n\
reqwest/hyper, validation, serde and error mapping add. Means include scheduler outliers on a\n\
busy machine; the medians are the figures to compare between runs.\n",
        RESPONSE_BODY.len(),
        body.len(),
        row("client `create()` end to end", &client_stats),
        row("raw TCP baseline (same bytes)", &raw_stats),
        row("validate + serialise request (in process)", &ser),
        row("parse 201 body into `CheckoutSession` (in process)", &parse),
        row("**client overhead** (client − raw, per call)", &overhead),
        overhead.p50,
        overhead.mean,
    );
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir).expect("create bench/results");
    }
    std::fs::write(&out, &report).expect("write report");
    println!("{report}");
    let shown = out.canonicalize().unwrap_or(out);
    println!("written to {}", shown.display());
}
