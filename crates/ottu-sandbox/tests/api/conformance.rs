//! The sandbox's real answers (over HTTP) checked against Ottu's schema: the committed
//! `spec/ottu-api/schema.json` (derived from Ottu's OpenAPI document by
//! `scripts/derive-ottu-schema.py`) with the corrections in `spec/ottu-api/overrides.json`.
//! Both are read from the repository at run time; the tests fail when either is missing, and
//! when an override no longer matches the schema. The checker is `ottu-api-schema` (shared with
//! the client's fixture checks in `crates/ottu-checkout/tests/api/schema.rs`).
//!
//! The request bodies sent here are checked against Ottu's request schemas too, so the test
//! never exercises the sandbox with something Ottu would not accept.

use std::time::Duration;

use ottu_api_schema::{Direction, Spec};
use serde_json::{Value, json};

use crate::helpers::{
    TestSandbox, call, call_as, spawn_sandbox, spawn_sandbox_with, webhook_receiver,
};

const CREATE: &str = "/b/checkout/v1/pymt-txn/";
const SESSION: &str = "/b/checkout/v1/pymt-txn/{session_id}/";
const UPLOAD: &str = "/b/checkout/v1/upload-attachment/";
const OPERATION: &str = "/b/pbl/v2/operation/";
const PAYMENT_METHODS: &str = "/b/pbl/v2/payment-methods/";
const INQUIRY: &str = "/b/pbl/v2/inquiry/";
const INVOICE: &str = "/b/invoice/v1/invoice/";

fn spec() -> Spec {
    let dir = ottu_api_schema::spec_dir(&ottu_api_schema::manifest_dir(env!("CARGO_MANIFEST_DIR")));
    Spec::load(&dir).unwrap_or_else(|e| panic!("the committed Ottu API schema: {e}"))
}

/// Where the sandbox's answers differ from Ottu's schema and the document is not known to be
/// wrong: reported, not changed here. Each list is the checker's exact errors, so a fix in the
/// sandbox makes the test fail until the entry goes.
///
/// The payment webhook and the inquiry answer carry `refunded_amount`, `remaining_amount`,
/// `settled_amount` and `voided_amount` as decimal strings ("0.000"); Ottu's `SchemaWebhook`
/// types them as numbers (`format: double`). The digest (§13.1) names the fields without types.
const SANDBOX_AMOUNTS_AS_STRINGS: &[&str] = &[
    "$.refunded_amount: string where the schema wants number",
    "$.remaining_amount: string where the schema wants number",
    "$.settled_amount: string where the schema wants number",
    "$.voided_amount: string where the schema wants number",
];

/// Sends `body` (checked against Ottu's request schema first) and checks the answer against the
/// schema of `expected` status: no errors but the `known` ones. Returns the answer.
#[allow(clippy::too_many_arguments)]
async fn exchange(
    spec: &Spec,
    sandbox: &TestSandbox,
    method: &str,
    path: &str,
    session_id: Option<&str>,
    body: Option<Value>,
    expected: u16,
    known: &[&str],
) -> Value {
    if let Some(body) = &body {
        let errors = spec.check_request(method, path, body);
        assert!(errors.is_empty(), "{method} {path} request: {errors:#?}");
    }
    let (status, answer) = send(sandbox, method, path, session_id, body).await;
    assert_eq!(status, expected, "{method} {path}: {answer}");
    let errors = spec.check_response(method, path, status, &answer);
    assert_eq!(
        errors, known,
        "{method} {path} {status}: the checker's errors against Ottu's schema (left) are not the \
         known ones (right)\n{answer:#}"
    );
    answer
}

/// Sends a request as is (also deliberately invalid ones); returns status and body.
async fn send(
    sandbox: &TestSandbox,
    method: &str,
    path: &str,
    session_id: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let url = match session_id {
        Some(sid) => path.replace("{session_id}", sid),
        None => path.to_owned(),
    };
    call(sandbox, method, &url, body).await
}

/// Checks the answer to a request sent with [`send`] or [`call_as`].
fn check_answer(spec: &Spec, method: &str, path: &str, answer: (u16, Value), expected: u16) {
    let (status, body) = answer;
    assert_eq!(status, expected, "{method} {path}: {body}");
    let errors = spec.check_response(method, path, status, &body);
    assert!(
        errors.is_empty(),
        "{method} {path} {status}: {errors:#?}\n{body:#}"
    );
}

#[tokio::test]
async fn checkout_create_retrieve_put_and_patch_answers_match_ottus_schemas() {
    let spec = spec();
    let sandbox = spawn_sandbox().await;
    let create = json!({
        "type": "payment_request", "amount": "12.5", "currency_code": "KWD", "pg_codes": ["knet", "credit-card"],
        "order_no": "CONF-1", "customer_first_name": "Sara", "customer_email": "sara@example.com",
        "customer_phone": "+96599999999", "language": "ar", "expiration_time": "01:00:00",
        "generate_qr_code": true, "shortify_checkout_url": true, "include_sdk_setup_preload": true,
        "billing_address": {"line1": "Street 1", "city": "Kuwait City", "country": "KW"},
        "notifications": {"sms": ["created", "paid"]}, "webhook_url": "https://shop.example/hook",
        "redirect_url": "https://shop.example/done", "extra": {"till": "1"},
    });
    let created = exchange(
        &spec,
        &sandbox,
        "POST",
        CREATE,
        None,
        Some(create),
        201,
        &[],
    )
    .await;
    let sid = created["session_id"].as_str().unwrap();

    exchange(&spec, &sandbox, "GET", SESSION, Some(sid), None, 200, &[]).await;
    let patch = json!({"amount": "13"});
    exchange(
        &spec,
        &sandbox,
        "PATCH",
        SESSION,
        Some(sid),
        Some(patch),
        200,
        &[],
    )
    .await;
    let put = json!({"type": "payment_request", "amount": "14", "currency_code": "KWD", "pg_codes": ["knet"]});
    exchange(
        &spec,
        &sandbox,
        "PUT",
        SESSION,
        Some(sid),
        Some(put),
        200,
        &[],
    )
    .await;

    sandbox.pay(sid, Some("knet")).await;
    let paid = exchange(&spec, &sandbox, "GET", SESSION, Some(sid), None, 200, &[]).await;
    assert_eq!(paid["settled_pg_code"], "knet");
}

#[tokio::test]
async fn invoice_create_and_its_errors_match_ottus_schemas() {
    let spec = spec();
    let sandbox = spawn_sandbox().await;
    let create = json!({
        "type": "e_commerce", "due_date": "2030-12-31", "currency_code": "KWD",
        "pg_codes": ["credit-card"], "invoice_number": "CONF-INV-1", "company_name": "Ottu Cafe",
        "customer_first_name": "Sara", "customer_email": "sara@example.com",
        "generate_qr_code": true, "shortify_checkout_url": true,
        "tax_rate": "5", "shipping_excl_tax": "1", "shipping_tax_rate": "5",
        "shipping_method": "courier",
        "invoice_items": [
            {"sku": "ABC111", "description": "Test", "quantity": "1.111", "unit_price": "5.234",
             "discount_percentage": "12", "tax_rate": "5", "total_incl_tax": "5.373"},
        ],
        "subtotal": "5.373", "amount": "6.692",
    });
    let created = exchange(
        &spec,
        &sandbox,
        "POST",
        INVOICE,
        None,
        Some(create),
        201,
        &[],
    )
    .await;
    assert_eq!(created["amount"], "6.692");
    let sid = created["session_id"].as_str().unwrap();
    // The checkout resource serves the invoice's transaction too.
    exchange(&spec, &sandbox, "GET", SESSION, Some(sid), None, 200, &[]).await;

    let wrong = json!({
        "type": "e_commerce", "due_date": "2030-12-31", "currency_code": "KWD",
        "pg_codes": ["credit-card"], "invoice_number": "CONF-INV-2",
        "invoice_items": [{"sku": "A", "description": "B", "quantity": "1", "unit_price": "1",
                           "total_excl_tax": "2"}],
    });
    exchange(
        &spec,
        &sandbox,
        "POST",
        INVOICE,
        None,
        Some(wrong),
        400,
        &[],
    )
    .await;
}

#[tokio::test]
async fn operation_payment_methods_inquiry_and_webhook_bodies_match_ottus_schemas() {
    let spec = spec();
    let sandbox = spawn_sandbox().await;
    let receiver = webhook_receiver(200, Duration::ZERO).await;

    let open = sandbox.create_payment_request("5", json!({})).await;
    let cancel = json!({"operation": "cancel", "session_id": open["session_id"]});
    exchange(
        &spec,
        &sandbox,
        "POST",
        OPERATION,
        None,
        Some(cancel),
        200,
        &[],
    )
    .await;

    let methods = json!({"plugin": "payment_request", "currencies": ["KWD"], "operation": "purchase", "tokenizable": false, "tags": ["pos"]});
    exchange(
        &spec,
        &sandbox,
        "POST",
        PAYMENT_METHODS,
        None,
        Some(methods),
        200,
        &[],
    )
    .await;

    let hook = json!({"order_no": "CONF-2", "webhook_url": receiver.url});
    let paid = sandbox.create_payment_request("7", hook).await;
    let sid = paid["session_id"].as_str().unwrap();
    sandbox.pay(sid, Some("knet")).await;
    let inquiry = json!({"order_no": "CONF-2"});
    // Throttled in the first 10 minutes (429 is in overrides.json: Ottu's document lists none).
    exchange(
        &spec,
        &sandbox,
        "POST",
        INQUIRY,
        None,
        Some(inquiry.clone()),
        429,
        &[],
    )
    .await;
    sandbox.advance_clock(600).await;
    let known = SANDBOX_AMOUNTS_AS_STRINGS;
    exchange(
        &spec,
        &sandbox,
        "POST",
        INQUIRY,
        None,
        Some(inquiry),
        200,
        known,
    )
    .await;

    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let webhook = loop {
        if let Some(body) = receiver.bodies.lock().unwrap().first().cloned() {
            break body;
        }
        assert!(tokio::time::Instant::now() < deadline, "no webhook arrived");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let errors = spec.check_component("SchemaWebhook", Direction::Response, &webhook);
    assert_eq!(
        errors, known,
        "payment webhook against SchemaWebhook\n{webhook:#}"
    );
}

#[tokio::test]
async fn upload_answers_match_ottus_schema() {
    use reqwest::multipart::{Form, Part};
    let spec = spec();
    let sandbox = spawn_sandbox().await;
    let file = || {
        Part::bytes(b"%PDF-1.4 menu".to_vec())
            .file_name("menu.pdf")
            .mime_str("application/pdf")
            .unwrap()
    };
    let created = sandbox.create_payment_request("3", json!({})).await;
    let sid = created["session_id"].as_str().unwrap().to_owned();
    let cases = [
        ("a file", Form::new().part("file", file()), 200),
        (
            "a file for a transaction, shortened",
            Form::new()
                .part("file", file())
                .text("session_id", sid)
                .text("shortify_attachment_url", "true"),
            200,
        ),
        ("no file", Form::new().text("order_no", "x"), 400),
        (
            "an unknown order_no",
            Form::new().part("file", file()).text("order_no", "nope"),
            400,
        ),
    ];
    for (case, form, expected) in cases {
        let response = sandbox
            .http
            .post(format!("{}{UPLOAD}", sandbox.base_url()))
            .header("Authorization", sandbox.api_key_header())
            .multipart(form)
            .send()
            .await
            .expect("upload sent");
        let status = response.status().as_u16();
        let body: Value = response.json().await.expect("a JSON body");
        assert_eq!(status, expected, "{case}: {body}");
        let errors = spec.check_response("POST", UPLOAD, status, &body);
        assert!(
            errors.is_empty(),
            "upload, {case} ({status}): {errors:#?}\n{body:#}"
        );
    }
}

#[tokio::test]
async fn error_answers_match_ottus_error_schemas() {
    let spec = spec();
    let sandbox = spawn_sandbox().await;
    let missing = json!({"type": "payment_request"});
    let answer = send(&sandbox, "POST", CREATE, None, Some(missing)).await;
    check_answer(&spec, "POST", CREATE, answer, 400);
    let answer = call_as(&sandbox, "", "POST", CREATE, Some(json!({}))).await;
    check_answer(&spec, "POST", CREATE, answer, 401);
    let answer = call_as(
        &sandbox,
        "Api-Key wrong",
        "GET",
        &SESSION.replace("{session_id}", "x"),
        None,
    )
    .await;
    check_answer(&spec, "GET", SESSION, answer, 401);
    let unknown = "0".repeat(40);
    exchange(
        &spec,
        &sandbox,
        "GET",
        SESSION,
        Some(&unknown),
        None,
        404,
        &[],
    )
    .await;

    let paid = sandbox.create_payment_request("4", json!({})).await;
    let sid = paid["session_id"].as_str().unwrap();
    sandbox.pay(sid, None).await;
    let cancel = json!({"operation": "cancel", "session_id": sid});
    exchange(
        &spec,
        &sandbox,
        "POST",
        OPERATION,
        None,
        Some(cancel),
        400,
        &[],
    )
    .await;
    let no_operation = json!({"session_id": sid});
    let answer = send(&sandbox, "POST", OPERATION, None, Some(no_operation)).await;
    check_answer(&spec, "POST", OPERATION, answer, 400);
    let answer = send(&sandbox, "POST", PAYMENT_METHODS, None, Some(json!({}))).await;
    check_answer(&spec, "POST", PAYMENT_METHODS, answer, 400);
    let answer = send(
        &sandbox,
        "POST",
        INQUIRY,
        None,
        Some(json!({"order_no": "none"})),
    )
    .await;
    check_answer(&spec, "POST", INQUIRY, answer, 404);
}

#[test]
fn the_checker_rejects_answers_and_requests_that_break_ottus_schema() {
    let spec = spec();
    let broken = json!({"session_id": "x", "state": "lost", "type": "payment_request", "amount": 12.5,
        "currency_code": "KWD", "pg_codes": ["knet"], "checkout_url": "x", "operation": "purchase", "payment_methods": []});
    let errors = spec.check_response("GET", SESSION, 200, &broken);
    for field in ["$.state", "$.amount", "$.checkout_url"] {
        assert!(
            errors.iter().any(|e| e.starts_with(field)),
            "{field}: {errors:?}"
        );
    }
    let unknown = spec.check_request(
        "POST",
        CREATE,
        &json!({"type": "payment_request",
        "amount": "1", "currency_code": "KWD", "pg_codes": ["knet"], "shiping_address": {}}),
    );
    assert_eq!(
        unknown,
        vec!["$.shiping_address: not in Ottu's schema (it would be ignored)"]
    );
    // Error bodies: a message that is not in a list is neither FieldErrors nor any other shape.
    let flat = json!({"plugin": "This field is required."});
    assert_ne!(
        spec.check_response("POST", PAYMENT_METHODS, 400, &flat),
        Vec::<String>::new()
    );
    assert_ne!(
        spec.check_response("POST", CREATE, 400, &json!({"amount": 5})),
        Vec::<String>::new()
    );
}

#[test]
fn the_schema_names_its_source_document_and_format() {
    let spec = spec();
    let source = spec.source();
    assert_eq!(source["title"], "Ottu API", "{source}");
    let sha = source["sha256"].as_str().unwrap_or_default();
    assert!(
        sha.len() == 64 && sha.bytes().all(|b| b.is_ascii_hexdigit()),
        "source.sha256: {source}"
    );
    assert!(spec.overrides_applied() > 0);
}

/// Ottu's `ExternalOperation.result` enum says `success`/`failed`; its operation-webhook guide
/// (operation-events.md, digest §13.3) says `success`, `queued` or `rejected`. The sandbox
/// follows the guide for queued refunds.
const QUEUED_RESULT: &[&str] = &[
    "$: matches no branch of oneOf (InternalOperation: $.detail: required but absent; \
     ExternalOperation: $.result: \"queued\" is not one of the enum's values)",
];

#[tokio::test]
async fn refund_capture_void_answers_and_operation_webhooks_match_ottus_schemas() {
    let spec = spec();
    let sandbox = spawn_sandbox().await;
    let receiver = webhook_receiver(200, Duration::ZERO).await;
    let paid = sandbox
        .create_payment_request("10", json!({"webhook_url": receiver.url}))
        .await;
    let sid = paid["session_id"].as_str().unwrap();
    sandbox.pay(sid, Some("knet")).await;
    let refund = json!({"operation": "refund", "session_id": sid, "amount": "4.000"});
    exchange(
        &spec,
        &sandbox,
        "POST",
        OPERATION,
        None,
        Some(refund),
        200,
        &[],
    )
    .await;
    let over = json!({"operation": "refund", "session_id": sid, "amount": "7"});
    exchange(
        &spec,
        &sandbox,
        "POST",
        OPERATION,
        None,
        Some(over),
        400,
        &[],
    )
    .await;

    let authorized = sandbox
        .create_payment_request("10", json!({"pg_codes": ["card-auth"]}))
        .await;
    let auth_sid = authorized["session_id"].as_str().unwrap();
    sandbox.pay(auth_sid, Some("card-auth")).await;
    let capture = json!({"operation": "capture", "session_id": auth_sid, "amount": "2"});
    exchange(
        &spec,
        &sandbox,
        "POST",
        OPERATION,
        None,
        Some(capture),
        200,
        &[],
    )
    .await;
    let void = json!({"operation": "void", "session_id": auth_sid});
    exchange(
        &spec,
        &sandbox,
        "POST",
        OPERATION,
        None,
        Some(void),
        400,
        &[],
    )
    .await;

    // A Tracking-Key reused for another amount: 409 (overrides.json), the failure shape.
    let keyed = |amount: &str| {
        sandbox
            .http
            .post(format!("{}{OPERATION}", sandbox.base_url()))
            .header("Authorization", sandbox.api_key_header())
            .header("Tracking-Key", "conf-1")
            .json(&json!({"operation": "refund", "session_id": sid, "amount": amount}))
            .send()
    };
    assert_eq!(keyed("1").await.unwrap().status().as_u16(), 200);
    let conflict = keyed("2").await.unwrap();
    let status = conflict.status().as_u16();
    check_answer(
        &spec,
        "POST",
        OPERATION,
        (status, conflict.json().await.unwrap()),
        409,
    );

    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let hook = loop {
        let bodies = receiver.bodies.lock().unwrap().clone();
        if let Some(body) = bodies.iter().find(|b| b["operation"] == "refund") {
            break body.clone();
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no operation webhook"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let errors = spec.check_component("ExternalOperation", Direction::Response, &hook);
    assert!(
        errors.is_empty(),
        "operation webhook: {errors:#?}\n{hook:#}"
    );

    let queued = spawn_sandbox_with(|config| {
        for g in config.merchant.gateways.iter_mut() {
            g.queue_refunds = true;
        }
    })
    .await;
    let paid = queued.create_payment_request("3", json!({})).await;
    let sid = paid["session_id"].as_str().unwrap();
    queued.pay(sid, Some("knet")).await;
    let refund = json!({"operation": "refund", "session_id": sid});
    exchange(
        &spec,
        &queued,
        "POST",
        OPERATION,
        None,
        Some(refund),
        200,
        QUEUED_RESULT,
    )
    .await;
}

#[tokio::test]
async fn cash_acknowledgement_and_report_list_answers_match_ottus_schemas() {
    let spec = spec();
    let sandbox = spawn_sandbox().await;
    let created = sandbox
        .create_payment_request(
            "3.250",
            json!({"order_no": "CONF-CASH", "pg_codes": ["knet", "cash"]}),
        )
        .await;
    let sid = created["session_id"].as_str().unwrap();
    for path in ["/b/pbl/v2/payment/cash/", "/b/pbl/v2/cash-payment/"] {
        // Deliberately without the required `session_id`.
        let answer = send(&sandbox, "POST", path, None, Some(json!({}))).await;
        check_answer(&spec, "POST", path, answer, 400);
    }
    exchange(
        &spec,
        &sandbox,
        "POST",
        "/b/pbl/v2/payment/cash/",
        None,
        Some(json!({"session_id": sid})),
        200,
        SANDBOX_AMOUNTS_AS_STRINGS,
    )
    .await;
    exchange(
        &spec,
        &sandbox,
        "POST",
        "/b/pbl/v2/cash-payment/",
        None,
        Some(json!({"session_id": sid})),
        400,
        &[],
    )
    .await;
    sandbox.advance_clock(86_400).await;
    let listed = exchange(
        &spec,
        &sandbox,
        "GET",
        "/b/api/v1/reports/files/",
        None,
        None,
        200,
        &[],
    )
    .await;
    assert_eq!(listed["count"], 1);
    let bad = "/b/api/v1/reports/files/?created_after=yesterday";
    let answer = call(&sandbox, "GET", bad, None).await;
    check_answer(&spec, "GET", "/b/api/v1/reports/files/", answer, 400);
    let answer = call_as(
        &sandbox,
        &sandbox.basic_header("cashier"),
        "GET",
        "/b/api/v1/reports/files/",
        None,
    )
    .await;
    check_answer(&spec, "GET", "/b/api/v1/reports/files/", answer, 403);
}
