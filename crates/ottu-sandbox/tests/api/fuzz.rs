//! Property-based fuzzing over real HTTP: generated methods, paths, credentials, content
//! types and bodies (schema field names with arbitrary values, or raw bytes). The property:
//! the sandbox never answers 5xx and never drops a connection.
//!
//! `SANDBOX_FUZZ_CASES` sets the number of requests (default 1200).

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{Map, Value};

use crate::helpers::spawn_sandbox;

const FIELDS: &[&str] = &[
    "type",
    "amount",
    "currency_code",
    "pg_codes",
    "payment_type",
    "order_no",
    "customer_id",
    "customer_email",
    "customer_phone",
    "customer_phone_2",
    "customer_first_name",
    "customer_last_name",
    "customer_birthdate",
    "billing_address",
    "shipping_address",
    "agreement",
    "card_acceptance_criteria",
    "notifications",
    "email_recipients",
    "language",
    "expiration_time",
    "due_datetime",
    "redirect_url",
    "webhook_url",
    "generate_qr_code",
    "shortify_checkout_url",
    "shortify_attachment_url",
    "include_sdk_setup_preload",
    "preload_checkout_page",
    "attachment_upload_url",
    "extra",
    "product_type",
    "vendor_name",
    "initiator_id",
    "unit_code",
    "loyalty",
    "branding_options",
    "payment_instrument",
    "operation",
    "session_id",
    "plugin",
    "currencies",
    "pg_names",
    "notify_webhook_url",
    "seconds",
    "kind",
    "times",
    "line1",
    "city",
    "country",
    "email",
    "sms",
    "whatsapp",
    "id",
    "frequency",
    "min_expiry_time",
    "card_number",
];

const PATHS: &[&str] = &[
    "/b/checkout/v1/pymt-txn/",
    "/b/checkout/v1/pymt-txn",
    "/b/checkout/v1/pymt-txn/{sid}/",
    "/b/checkout/v1/pymt-txn/{sid}",
    "/b/checkout/v1/upload-attachment/",
    "/b/pbl/v2/operation/",
    "/b/pbl/v2/payment-methods/",
    "/b/pbl/v2/inquiry/",
    "/b/checkout/redirect/start/?session_id={sid}",
    "/b/checkout/redirect/pay/",
    "/b/checkout/qr/{sid}.png",
    "/b/{sid}",
    "/media/{sid}",
    "/_sandbox/sessions/{sid}/pay",
    "/_sandbox/sessions/{sid}/open",
    "/_sandbox/sessions/{sid}/decline",
    "/_sandbox/sessions?order_no={sid}",
    "/_sandbox/sessions/{sid}",
    "/_sandbox/clock",
    "/_sandbox/webhooks?session_id={sid}",
    "/openapi.json",
    "/",
    "/static/gateways/{sid}.svg",
];

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        prop_oneof![
            Just("12.345".to_owned()),
            Just("KWD".to_owned()),
            Just("knet".to_owned()),
            Just("payment_request".to_owned()),
            Just("1 00:00:00".to_owned()),
            Just("2026-02-30".to_owned()),
            Just("https://x.example/".to_owned()),
            Just("a@b.co".to_owned()),
            Just("-0.000".to_owned()),
            Just("99999999999999999999.1".to_owned()),
            Just("٣٫٥".to_owned()),
            Just("cancel".to_owned()),
            ".{0,40}",
        ]
        .prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(FIELDS), inner), 0..6).prop_map(|pairs| {
                Value::Object(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
            }),
        ]
    })
}

fn body_object() -> impl Strategy<Value = Value> {
    prop::collection::vec((prop::sample::select(FIELDS), json_value()), 0..14).prop_map(|pairs| {
        let mut map = Map::new();
        for (k, v) in pairs {
            map.insert(k.to_owned(), v);
        }
        Value::Object(map)
    })
}

#[derive(Debug, Clone)]
struct Case {
    method: &'static str,
    path: &'static str,
    sid: u8,
    random_sid: String,
    auth: u8,
    content_type: u8,
    body: Value,
    raw: Vec<u8>,
    raw_body: bool,
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::sample::select(&["GET", "POST", "PUT", "PATCH", "DELETE"][..]),
        prop::sample::select(PATHS),
        0u8..4,
        "[-a-zA-Z0-9_%.]{0,60}",
        0u8..6,
        0u8..7,
        body_object(),
        prop::collection::vec(any::<u8>(), 0..200),
        prop::bool::weighted(0.15),
    )
        .prop_map(
            |(method, path, sid, random_sid, auth, content_type, body, raw, raw_body)| Case {
                method,
                path,
                sid,
                random_sid,
                auth,
                content_type,
                body,
                raw,
                raw_body,
            },
        )
}

#[test]
fn a_thousand_generated_requests_never_get_a_5xx_or_a_dropped_connection() {
    let cases: u32 = std::env::var("SANDBOX_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1200);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    // `SANDBOX_FUZZ_BASE_URL` points the run at an already running `ottu-sandbox serve` (the
    // demo merchant); otherwise a sandbox is started in-process on a random port.
    let external = std::env::var("SANDBOX_FUZZ_BASE_URL").ok();
    let sandbox = match external {
        Some(_) => None,
        None => Some(runtime.block_on(spawn_sandbox())),
    };
    let base = match (&external, &sandbox) {
        (Some(url), _) => url.trim_end_matches('/').to_owned(),
        (None, Some(s)) => s.base_url().to_owned(),
        (None, None) => unreachable!("one of them is set"),
    };
    let api_key = format!("Api-Key {}", ottu_sandbox::config::DEMO_API_KEY);
    let cashier = sandbox
        .as_ref()
        .map(|s| s.basic_header("cashier"))
        .unwrap_or_else(|| "Basic Y2FzaGllcjp4".to_owned());
    let known: Value = runtime.block_on(async {
        http.post(format!("{base}/b/checkout/v1/pymt-txn/"))
            .header("Authorization", &api_key)
            .json(&serde_json::json!({"type": "payment_request", "amount": "1", "currency_code": "KWD", "pg_codes": ["knet"], "order_no": "FUZZ"}))
            .send().await.expect("the sandbox answers").json().await.expect("a JSON create body")
    });
    let known_sid = known["session_id"]
        .as_str()
        .expect("a session id")
        .to_owned();
    let sent = std::sync::atomic::AtomicU32::new(0);

    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&case(), |c| {
        let sid = match c.sid {
            0 => known_sid.clone(),
            1 => c.random_sid.clone(),
            2 => String::new(),
            _ => "0123456789abcdef0123456789abcdef01234567".to_owned(),
        };
        let path = c.path.replace("{sid}", &sid);
        let mut request = http.request(
            reqwest::Method::from_bytes(c.method.as_bytes()).unwrap(),
            format!("{base}{path}"),
        );
        request = match c.auth {
            0 => request,
            1 | 2 => request.header("Authorization", &api_key),
            3 => request.header("Authorization", &cashier),
            4 => request.header("Authorization", format!("Basic {}", c.random_sid)),
            _ => request.header("Authorization", format!("Api-Key {}", c.random_sid)),
        };
        let content_type = match c.content_type {
            0 | 1 => Some("application/json"),
            2 => Some("application/x-www-form-urlencoded"),
            3 => Some("multipart/form-data; boundary=zz"),
            4 => Some("text/plain"),
            5 => Some("application/json; charset=utf-8"),
            _ => None,
        };
        if let Some(ct) = content_type {
            request = request.header("Content-Type", ct);
        }
        let body: Vec<u8> = if c.raw_body {
            c.raw.clone()
        } else if c.content_type == 2 {
            let pairs: Vec<(String, String)> = c
                .body
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        v.as_str()
                            .map(str::to_owned)
                            .unwrap_or_else(|| v.to_string()),
                    )
                })
                .collect();
            serde_urlencoded::to_string(pairs).unwrap().into_bytes()
        } else {
            c.body.to_string().into_bytes()
        };
        let response = runtime.block_on(request.body(body).send());
        sent.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let response = response
            .map_err(|e| TestCaseError::fail(format!("no answer to {} {path}: {e}", c.method)))?;
        let status = response.status().as_u16();
        let text = runtime.block_on(response.text()).unwrap_or_default();
        if status >= 500 {
            return Err(TestCaseError::fail(format!(
                "{status} for {} {path}: {text}",
                c.method
            )));
        }
        Ok(())
    });
    let total = sent.load(std::sync::atomic::Ordering::Relaxed);
    eprintln!("fuzz: {total} generated requests sent");
    if let Err(e) = result {
        panic!("{e}");
    }
    assert!(total >= cases, "only {total} requests were sent");
    if let Some(sandbox) = sandbox {
        runtime.block_on(sandbox.shutdown());
    }
}
