//! Router-level tests (no socket): every endpoint, permission cell and error shape.

use axum::body::Body;
use axum::http::{Request, header};
use serde_json::{Value, json};
use tower::ServiceExt as _;

use crate::helpers::{TestSandbox, spawn_sandbox, spawn_sandbox_with};

struct Reply {
    status: u16,
    headers: axum::http::HeaderMap,
    bytes: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&self.bytes).into_owned()))
    }
}

async fn send(
    sandbox: &TestSandbox,
    method: &str,
    path: &str,
    auth: Option<&str>,
    content_type: Option<&str>,
    body: impl Into<Body>,
) -> Reply {
    let router = ottu_sandbox::routes::router(sandbox.handle().state().clone());
    let mut request = Request::builder().method(method).uri(path);
    if let Some(auth) = auth {
        request = request.header(header::AUTHORIZATION, auth);
    }
    if let Some(ct) = content_type {
        request = request.header(header::CONTENT_TYPE, ct);
    }
    let response = router
        .oneshot(request.body(body.into()).unwrap())
        .await
        .unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec();
    Reply {
        status,
        headers,
        bytes,
    }
}

async fn json_as(
    sandbox: &TestSandbox,
    method: &str,
    path: &str,
    auth: &str,
    body: Value,
) -> Reply {
    send(
        sandbox,
        method,
        path,
        Some(auth),
        Some("application/json"),
        body.to_string(),
    )
    .await
}

fn kwd(pg: &[&str]) -> Value {
    json!({"type": "payment_request", "amount": "10", "currency_code": "KWD", "pg_codes": pg})
}

const CREATE: &str = "/b/checkout/v1/pymt-txn/";

// ---- authentication ----

#[tokio::test]
async fn a_request_without_credentials_is_401_with_drf_text() {
    let sandbox = spawn_sandbox().await;
    let reply = send(
        &sandbox,
        "POST",
        CREATE,
        None,
        Some("application/json"),
        kwd(&["knet"]).to_string(),
    )
    .await;
    assert_eq!(reply.status, 401);
    assert_eq!(
        reply.json(),
        json!({"detail": "Authentication credentials were not provided."})
    );
    assert!(reply.headers.contains_key(header::WWW_AUTHENTICATE));
}

#[tokio::test]
async fn a_wrong_api_key_is_401() {
    let sandbox = spawn_sandbox().await;
    let reply = json_as(
        &sandbox,
        "POST",
        CREATE,
        "Api-Key wrong.key",
        kwd(&["knet"]),
    )
    .await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.json(), json!({"detail": "Invalid API key."}));
}

#[tokio::test]
async fn a_wrong_basic_password_is_401_invalid_username_password() {
    let sandbox = spawn_sandbox().await;
    use base64::Engine as _;
    let bad = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode("cashier:nope")
    );
    let reply = json_as(&sandbox, "POST", CREATE, &bad, kwd(&["knet"])).await;
    assert_eq!(
        (reply.status, reply.json()),
        (401, json!({"detail": "Invalid username/password."}))
    );
    let garbled = json_as(&sandbox, "POST", CREATE, "Basic %%%", kwd(&["knet"])).await;
    assert_eq!(
        garbled.json(),
        json!({"detail": "Invalid basic header. Credentials not correctly base64 encoded."})
    );
}

#[tokio::test]
async fn a_bearer_token_is_refused_with_401() {
    let sandbox = spawn_sandbox().await;
    let reply = json_as(
        &sandbox,
        "GET",
        "/b/checkout/v1/pymt-txn/abc/",
        "Bearer x.y.z",
        json!({}),
    )
    .await;
    assert_eq!(reply.status, 401);
}

// ---- permission matrix ----

#[tokio::test]
async fn a_cashier_may_create_with_knet_but_not_with_credit_card() {
    let sandbox = spawn_sandbox().await;
    let cashier = sandbox.basic_header("cashier");
    assert_eq!(
        json_as(&sandbox, "POST", CREATE, &cashier, kwd(&["knet"]))
            .await
            .status,
        201
    );
    let reply = json_as(
        &sandbox,
        "POST",
        CREATE,
        &cashier,
        kwd(&["knet", "credit-card"]),
    )
    .await;
    assert_eq!(reply.status, 403);
    assert_eq!(
        reply.json(),
        json!({"detail": "You do not have permission to perform this action."})
    );
}

#[tokio::test]
async fn a_viewer_may_retrieve_but_not_create_or_update() {
    let sandbox = spawn_sandbox().await;
    let sid = sandbox.create_payment_request("1", json!({})).await["session_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let viewer = sandbox.basic_header("viewer");
    assert_eq!(
        json_as(&sandbox, "POST", CREATE, &viewer, kwd(&["knet"]))
            .await
            .status,
        403
    );
    assert_eq!(
        send(
            &sandbox,
            "GET",
            &format!("{CREATE}{sid}/"),
            Some(&viewer),
            None,
            Body::empty()
        )
        .await
        .status,
        200
    );
    assert_eq!(
        json_as(
            &sandbox,
            "PATCH",
            &format!("{CREATE}{sid}/"),
            &viewer,
            json!({"amount": "2"})
        )
        .await
        .status,
        403
    );
}

#[tokio::test]
async fn add_permission_alone_grants_view_of_the_same_plugin() {
    let sandbox = spawn_sandbox().await;
    let sid = sandbox.create_payment_request("1", json!({})).await["session_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let cashier = sandbox.basic_header("cashier");
    assert_eq!(
        send(
            &sandbox,
            "GET",
            &format!("{CREATE}{sid}"),
            Some(&cashier),
            None,
            Body::empty()
        )
        .await
        .status,
        200
    );
}

#[tokio::test]
async fn an_e_commerce_user_gets_403_on_a_payment_request_transaction() {
    let sandbox = spawn_sandbox().await;
    let sid = sandbox.create_payment_request("1", json!({})).await["session_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let ecom = sandbox.basic_header("ecom");
    assert_eq!(
        send(
            &sandbox,
            "GET",
            &format!("{CREATE}{sid}/"),
            Some(&ecom),
            None,
            Body::empty()
        )
        .await
        .status,
        403
    );
    assert_eq!(
        json_as(&sandbox, "POST", CREATE, &ecom, kwd(&["knet"]))
            .await
            .status,
        403,
        "payment_request create"
    );
    let ecom_body =
        json!({"type": "e_commerce", "amount": "10", "currency_code": "KWD", "pg_codes": ["knet"]});
    assert_eq!(
        json_as(&sandbox, "POST", CREATE, &ecom, ecom_body)
            .await
            .status,
        201
    );
}

#[tokio::test]
async fn put_is_refused_without_permission_on_the_stored_pg_codes_but_patch_is_allowed() {
    let sandbox = spawn_sandbox().await;
    let created = sandbox.create_payment_request("1", json!({})).await; // knet + credit-card
    let sid = created["session_id"].as_str().unwrap();
    let user = sandbox.basic_header("nogateway");
    let put = json_as(
        &sandbox,
        "PUT",
        &format!("{CREATE}{sid}/"),
        &user,
        kwd(&["knet", "credit-card"]),
    )
    .await;
    assert_eq!(put.status, 403, "{}", put.json());
    let patch = json_as(
        &sandbox,
        "PATCH",
        &format!("{CREATE}{sid}/"),
        &user,
        json!({"amount": "3"}),
    )
    .await;
    assert_eq!(patch.status, 200, "{}", patch.json());
    assert_eq!(patch.json()["amount"], "3.000");
    let change_codes = json_as(
        &sandbox,
        "PATCH",
        &format!("{CREATE}{sid}/"),
        &user,
        json!({"pg_codes": ["knet"]}),
    )
    .await;
    assert_eq!(
        change_codes.status, 403,
        "changing pg_codes needs Can use for them"
    );
}

#[tokio::test]
async fn a_user_with_the_gateway_permission_may_put() {
    let sandbox = spawn_sandbox().await;
    let cashier = sandbox.basic_header("cashier");
    let created = json_as(&sandbox, "POST", CREATE, &cashier, kwd(&["knet"]))
        .await
        .json();
    let sid = created["session_id"].as_str().unwrap();
    let put = json_as(&sandbox, "PUT", &format!("{CREATE}{sid}/"), &cashier, json!({"type": "payment_request", "amount": "4", "currency_code": "KWD", "pg_codes": ["knet"]})).await;
    assert_eq!(put.status, 200, "{}", put.json());
    assert_eq!(put.json()["amount"], "4.000");
}

#[tokio::test]
async fn put_without_the_required_fields_lists_them_all() {
    let sandbox = spawn_sandbox().await;
    let sid = sandbox.create_payment_request("1", json!({})).await["session_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let reply = json_as(
        &sandbox,
        "PUT",
        &format!("{CREATE}{sid}/"),
        &sandbox.api_key_header(),
        json!({"amount": "2"}),
    )
    .await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.json(),
        json!({"type": ["This field is required."], "currency_code": ["This field is required."], "pg_codes": ["This field is required."]})
    );
}

#[tokio::test]
async fn an_update_of_a_paid_transaction_is_400_with_a_detail() {
    let sandbox = spawn_sandbox().await;
    let sid = sandbox.create_payment_request("1", json!({})).await["session_id"]
        .as_str()
        .unwrap()
        .to_owned();
    sandbox.pay(&sid, None).await;
    let reply = json_as(
        &sandbox,
        "PATCH",
        &format!("{CREATE}{sid}/"),
        &sandbox.api_key_header(),
        json!({"amount": "2"}),
    )
    .await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.json()["detail"],
        "This payment transaction can no longer be updated: it is paid."
    );
}

// ---- error shapes ----

#[tokio::test]
async fn malformed_json_is_400_json_parse_error() {
    let sandbox = spawn_sandbox().await;
    let reply = send(
        &sandbox,
        "POST",
        CREATE,
        Some(&sandbox.api_key_header()),
        Some("application/json"),
        "{\"amount\": 1,",
    )
    .await;
    assert_eq!(reply.status, 400);
    assert!(
        reply.json()["detail"]
            .as_str()
            .unwrap()
            .starts_with("JSON parse error - ")
    );
}

#[tokio::test]
async fn a_text_plain_body_is_415() {
    let sandbox = spawn_sandbox().await;
    let reply = send(
        &sandbox,
        "POST",
        CREATE,
        Some(&sandbox.api_key_header()),
        Some("text/plain"),
        "amount=1",
    )
    .await;
    assert_eq!(reply.status, 415);
    assert_eq!(
        reply.json(),
        json!({"detail": "Unsupported media type \"text/plain\" in request."})
    );
}

#[tokio::test]
async fn an_oversized_body_is_413_with_a_detail() {
    let sandbox = spawn_sandbox_with(|c| c.body_limit_bytes = 1024).await;
    let big = json!({"type": "payment_request", "extra": {"x": "a".repeat(4096)}}).to_string();
    let reply = send(
        &sandbox,
        "POST",
        CREATE,
        Some(&sandbox.api_key_header()),
        Some("application/json"),
        big,
    )
    .await;
    assert_eq!(reply.status, 413);
    assert!(reply.json()["detail"].as_str().unwrap().contains("1024"));
}

#[tokio::test]
async fn a_json_array_body_is_a_non_field_error() {
    let sandbox = spawn_sandbox().await;
    let reply = send(
        &sandbox,
        "POST",
        CREATE,
        Some(&sandbox.api_key_header()),
        Some("application/json"),
        "[]",
    )
    .await;
    assert_eq!(
        reply.json(),
        json!({"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]})
    );
}

#[tokio::test]
async fn unknown_paths_are_404_and_wrong_methods_are_405_in_json() {
    let sandbox = spawn_sandbox().await;
    let reply = send(
        &sandbox,
        "GET",
        "/b/nothing/here/",
        None,
        None,
        Body::empty(),
    )
    .await;
    assert_eq!(
        (reply.status, reply.json()),
        (404, json!({"detail": "Not found."}))
    );
    let reply = send(
        &sandbox,
        "GET",
        "/b/pbl/v2/operation/",
        Some(&sandbox.api_key_header()),
        None,
        Body::empty(),
    )
    .await;
    assert_eq!(
        (reply.status, reply.json()),
        (405, json!({"detail": "Method \"GET\" not allowed."}))
    );
}

#[tokio::test]
async fn every_field_error_of_a_create_comes_back_in_one_body() {
    let sandbox = spawn_sandbox().await;
    let reply = json_as(
        &sandbox,
        "POST",
        CREATE,
        &sandbox.api_key_header(),
        json!({
            "type": "shop", "amount": "abc", "currency_code": "KWD", "pg_codes": "knet",
            "customer_email": "not-an-email", "language": "fr", "expiration_time": "soon",
            "redirect_url": "ftp://x", "generate_qr_code": "maybe",
            "shipping_address": {"line1": "a"},
        }),
    )
    .await;
    assert_eq!(reply.status, 400);
    let body = reply.json();
    for key in [
        "type",
        "amount",
        "pg_codes",
        "customer_email",
        "language",
        "expiration_time",
        "redirect_url",
        "generate_qr_code",
        "shipping_address",
    ] {
        assert!(body.get(key).is_some(), "{key} missing from {body}");
    }
    assert_eq!(
        body["shipping_address"]["city"],
        json!(["This field is required."])
    );
}

#[tokio::test]
async fn duplicate_order_numbers_are_allowed_by_default_and_rejected_when_configured() {
    let sandbox = spawn_sandbox().await;
    let body = json!({"type": "payment_request", "amount": "1", "currency_code": "KWD", "pg_codes": ["knet"], "order_no": "DUP"});
    assert_eq!(
        json_as(
            &sandbox,
            "POST",
            CREATE,
            &sandbox.api_key_header(),
            body.clone()
        )
        .await
        .status,
        201
    );
    assert_eq!(
        json_as(
            &sandbox,
            "POST",
            CREATE,
            &sandbox.api_key_header(),
            body.clone()
        )
        .await
        .status,
        201
    );

    let strict =
        spawn_sandbox_with(|c| c.duplicate_order_no = ottu_sandbox::DuplicateOrderNo::Reject).await;
    assert_eq!(
        json_as(
            &strict,
            "POST",
            CREATE,
            &strict.api_key_header(),
            body.clone()
        )
        .await
        .status,
        201
    );
    let second = json_as(&strict, "POST", CREATE, &strict.api_key_header(), body).await;
    assert_eq!(second.status, 400);
    assert_eq!(
        second.json(),
        json!({"order_no": ["payment transaction with this order no already exists."]})
    );
}

// ---- other content types ----

#[tokio::test]
async fn a_form_urlencoded_create_works_with_repeated_pg_codes() {
    let sandbox = spawn_sandbox().await;
    let reply = send(&sandbox, "POST", CREATE, Some(&sandbox.api_key_header()), Some("application/x-www-form-urlencoded"),
        "type=payment_request&amount=2.5&currency_code=KWD&pg_codes=knet&pg_codes=credit-card&generate_qr_code=true").await;
    assert_eq!(reply.status, 201, "{}", reply.json());
    let body = reply.json();
    assert_eq!(body["pg_codes"], json!(["knet", "credit-card"]));
    assert!(body["qr_code_url"].is_string());
}

fn multipart(parts: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "sandboxboundary42";
    let mut body = Vec::new();
    for (name, filename, data) in parts {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"").as_bytes(),
        );
        if let Some(f) = filename {
            body.extend_from_slice(
                format!("; filename=\"{f}\"\r\nContent-Type: application/pdf").as_bytes(),
            );
        }
        body.extend_from_slice(b"\r\n\r\n");
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn a_multipart_create_stores_the_attachment_and_serves_it() {
    let sandbox = spawn_sandbox().await;
    let (ct, body) = multipart(&[
        ("type", None, b"payment_request"),
        ("amount", None, b"9"),
        ("currency_code", None, b"KWD"),
        ("pg_codes", None, b"knet"),
        ("attachment", Some("invoice.pdf"), b"%PDF-1.4 test"),
    ]);
    let reply = send(
        &sandbox,
        "POST",
        CREATE,
        Some(&sandbox.api_key_header()),
        Some(&ct),
        body,
    )
    .await;
    assert_eq!(reply.status, 201, "{}", reply.json());
    let url = reply.json()["attachment"].as_str().unwrap().to_owned();
    let path = url.strip_prefix(sandbox.base_url()).unwrap();
    let file = send(&sandbox, "GET", path, None, None, Body::empty()).await;
    assert_eq!(file.bytes, b"%PDF-1.4 test");
}

#[tokio::test]
async fn upload_attachment_returns_a_file_url_that_a_create_can_reference() {
    let sandbox = spawn_sandbox().await;
    let (ct, body) = multipart(&[("file", Some("menu.pdf"), b"%PDF menu")]);
    let reply = send(
        &sandbox,
        "POST",
        "/b/checkout/v1/upload-attachment/",
        Some(&sandbox.api_key_header()),
        Some(&ct),
        body,
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.json());
    let file_url = reply.json()["file_url"].as_str().unwrap().to_owned();
    assert!(file_url.starts_with("payment_transactions/attachments/menu_"));
    assert_eq!(reply.json()["original_filename"], "menu.pdf");
    let mut create = kwd(&["knet"]);
    create["attachment_upload_url"] = json!(file_url);
    let created = json_as(&sandbox, "POST", CREATE, &sandbox.api_key_header(), create).await;
    assert_eq!(created.status, 201, "{}", created.json());
    assert!(
        created.json()["attachment"]
            .as_str()
            .unwrap()
            .ends_with(&file_url)
    );
}

#[tokio::test]
async fn upload_attachment_errors_use_the_documented_string_shapes() {
    let sandbox = spawn_sandbox().await;
    let upload = "/b/checkout/v1/upload-attachment/";
    let auth = sandbox.api_key_header();
    let (ct, body) = multipart(&[("session_id", None, b"x")]);
    assert_eq!(
        send(&sandbox, "POST", upload, Some(&auth), Some(&ct), body)
            .await
            .json(),
        json!({"file": "No file was submitted."})
    );
    let (ct, body) = multipart(&[("file", Some("a.zip"), b"PK")]);
    assert_eq!(
        send(&sandbox, "POST", upload, Some(&auth), Some(&ct), body)
            .await
            .json(),
        json!({"file": "File extension 'zip' is not allowed. Allowed extensions are: pdf, jpeg, png, doc, docx, jpg, xls, xlsx, txt."})
    );
    let (ct, body) = multipart(&[
        ("file", Some("a.pdf"), b"x"),
        ("session_id", None, b"s"),
        ("order_no", None, b"o"),
    ]);
    let both = "Please provide only `order_no` or `session_id`, not both.";
    assert_eq!(
        send(&sandbox, "POST", upload, Some(&auth), Some(&ct), body)
            .await
            .json(),
        json!({"session_id": both, "order_no": both})
    );
    let (ct, body) = multipart(&[("file", Some("a.pdf"), b"x"), ("order_no", None, b"foo")]);
    assert_eq!(
        send(&sandbox, "POST", upload, Some(&auth), Some(&ct), body)
            .await
            .json(),
        json!({"order_no": "No PaymentTransaction found with `order_no` of foo."})
    );
    let (ct, body) = multipart(&[
        ("file", Some("a.pdf"), b"x"),
        ("shortify_attachment_url", None, b"true"),
    ]);
    assert_eq!(
        send(&sandbox, "POST", upload, Some(&auth), Some(&ct), body)
            .await
            .json(),
        json!({"attachment_short_url": "You must provide either `session_id` or `order_no` to identify the PaymentTransaction."})
    );
    let json_upload = json_as(&sandbox, "POST", upload, &auth, json!({})).await;
    assert_eq!(json_upload.status, 415);
}

// ---- operations, payment methods, inquiry ----

#[tokio::test]
async fn cancel_expire_and_delete_follow_the_state_table() {
    let sandbox = spawn_sandbox().await;
    let auth = sandbox.api_key_header();
    let op = "/b/pbl/v2/operation/";
    let a = sandbox
        .create_payment_request("1", json!({"order_no": "OP-A"}))
        .await["session_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let reply = json_as(
        &sandbox,
        "POST",
        op,
        &auth,
        json!({"operation": "cancel", "session_id": a}),
    )
    .await;
    assert_eq!(
        (reply.status, reply.json()["result"].clone()),
        (200, json!("success"))
    );
    let again = json_as(
        &sandbox,
        "POST",
        op,
        &auth,
        json!({"operation": "cancel", "session_id": a}),
    )
    .await;
    assert_eq!(again.status, 400);
    assert_eq!(again.json()["result"], "failed");
    assert_eq!(again.json()["operation"], "cancel");

    let b = sandbox
        .create_payment_request("1", json!({"order_no": "OP-B"}))
        .await["session_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        json_as(
            &sandbox,
            "POST",
            op,
            &auth,
            json!({"operation": "expire", "order_no": "OP-B"})
        )
        .await
        .status,
        200
    );
    let (_, state) = crate::helpers::call(&sandbox, "GET", &format!("{CREATE}{b}/"), None).await;
    assert_eq!(state["state"], "expired");

    assert_eq!(
        json_as(
            &sandbox,
            "POST",
            op,
            &auth,
            json!({"operation": "delete", "session_id": b})
        )
        .await
        .status,
        200
    );
    assert_eq!(
        send(
            &sandbox,
            "GET",
            &format!("{CREATE}{b}/"),
            Some(&auth),
            None,
            Body::empty()
        )
        .await
        .status,
        404
    );

    let missing = json_as(&sandbox, "POST", op, &auth, json!({})).await;
    assert_eq!(
        missing.json()["operation"],
        json!(["This field is required."])
    );
    let refund = json_as(
        &sandbox,
        "POST",
        op,
        &auth,
        json!({"operation": "refund", "session_id": a}),
    )
    .await;
    assert_eq!(
        (refund.status, refund.json()["result"].clone()),
        (400, json!("failed"))
    );
}

#[tokio::test]
async fn operations_need_the_payment_operation_permission() {
    let sandbox = spawn_sandbox().await;
    let sid = sandbox.create_payment_request("1", json!({})).await["session_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let body = json!({"operation": "cancel", "session_id": sid});
    assert_eq!(
        json_as(
            &sandbox,
            "POST",
            "/b/pbl/v2/operation/",
            &sandbox.basic_header("cashier"),
            body.clone()
        )
        .await
        .status,
        403
    );
    assert_eq!(
        json_as(
            &sandbox,
            "POST",
            "/b/pbl/v2/operation/",
            &sandbox.basic_header("operator"),
            body
        )
        .await
        .status,
        200
    );
}

#[tokio::test]
async fn payment_methods_are_filtered_by_plugin_currency_and_the_users_gateways() {
    let sandbox = spawn_sandbox().await;
    let pm = "/b/pbl/v2/payment-methods/";
    let all = json_as(
        &sandbox,
        "POST",
        pm,
        &sandbox.api_key_header(),
        json!({"plugin": "payment_request", "currencies": ["KWD"]}),
    )
    .await
    .json();
    let codes: Vec<&str> = all["payment_methods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, vec!["knet", "credit-card", "card-auth", "cash"]);
    let cashier = json_as(
        &sandbox,
        "POST",
        pm,
        &sandbox.basic_header("cashier"),
        json!({"plugin": "payment_request"}),
    )
    .await
    .json();
    assert_eq!(cashier["payment_methods"].as_array().unwrap().len(), 1);
    let missing = json_as(&sandbox, "POST", pm, &sandbox.api_key_header(), json!({})).await;
    assert_eq!(
        (missing.status, missing.json()),
        (400, json!({"plugin": ["This field is required."]}))
    );
}

#[tokio::test]
async fn inquiry_by_order_no_returns_a_signed_webhook_shaped_body() {
    let sandbox = spawn_sandbox().await;
    let sid = sandbox
        .create_payment_request("2", json!({"order_no": "INQ-1"}))
        .await["session_id"]
        .as_str()
        .unwrap()
        .to_owned();
    sandbox.pay(&sid, None).await;
    // Ottu answers no inquiry in the first 10 minutes after creation.
    sandbox.advance_clock(600).await;
    let reply = json_as(
        &sandbox,
        "POST",
        "/b/pbl/v2/inquiry/",
        &sandbox.api_key_header(),
        json!({"order_no": "INQ-1"}),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.json());
    let body = reply.json();
    assert_eq!(body["session_id"], sid);
    assert_eq!(body["state"], "paid");
    assert_eq!(
        body["signature"],
        crate::helpers::expected_signature(&body, crate::helpers::TEST_WEBHOOK_KEY)
    );
    let unknown = json_as(
        &sandbox,
        "POST",
        "/b/pbl/v2/inquiry/",
        &sandbox.api_key_header(),
        json!({"order_no": "nope"}),
    )
    .await;
    assert_eq!(unknown.status, 404);
    let cashier = json_as(
        &sandbox,
        "POST",
        "/b/pbl/v2/inquiry/",
        &sandbox.basic_header("cashier"),
        json!({"order_no": "INQ-1"}),
    )
    .await;
    assert_eq!(cashier.status, 403);
}

// ---- hosted pages ----

#[tokio::test]
async fn the_hosted_page_opens_the_link_and_the_test_card_pays_and_redirects() {
    let sandbox = spawn_sandbox().await;
    let created = sandbox.create_payment_request("12.5", json!({"order_no": "WEB-1", "redirect_url": "https://shop.example/done?x=1", "customer_first_name": "Sara"})).await;
    let sid = created["session_id"].as_str().unwrap();
    let page = send(
        &sandbox,
        "GET",
        &format!("/b/checkout/redirect/start/?session_id={sid}"),
        None,
        None,
        Body::empty(),
    )
    .await;
    assert_eq!(page.status, 200);
    let html = String::from_utf8(page.bytes).unwrap();
    assert!(
        html.contains("12.500 KWD") && html.contains("Sara") && html.contains("Ottu POS Demo Shop")
    );
    let (_, state) = crate::helpers::call(&sandbox, "GET", &format!("{CREATE}{sid}/"), None).await;
    assert_eq!(state["state"], "pending");

    let form = format!("session_id={sid}&pg_code=knet&card_number=4111+1111+1111+1111&action=pay");
    let paid = send(
        &sandbox,
        "POST",
        "/b/checkout/redirect/pay/",
        None,
        Some("application/x-www-form-urlencoded"),
        form,
    )
    .await;
    assert_eq!(paid.status, 303);
    let location = paid.headers[header::LOCATION].to_str().unwrap();
    assert!(
        location
            .starts_with("https://shop.example/done?x=1&order_no=WEB-1&reference_number=sandbox"),
        "{location}"
    );
    assert!(location.ends_with(&format!("session_id={sid}")));
}

#[tokio::test]
async fn the_declined_test_card_keeps_the_page_payable() {
    let sandbox = spawn_sandbox().await;
    let sid = sandbox.create_payment_request("1", json!({})).await["session_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let form = format!("session_id={sid}&pg_code=knet&card_number=4000000000000002&action=pay");
    let declined = send(
        &sandbox,
        "POST",
        "/b/checkout/redirect/pay/",
        None,
        Some("application/x-www-form-urlencoded"),
        form,
    )
    .await;
    assert_eq!(declined.status, 200);
    assert!(
        String::from_utf8(declined.bytes)
            .unwrap()
            .contains("declined")
    );
    let (_, state) = crate::helpers::call(&sandbox, "GET", &format!("{CREATE}{sid}/"), None).await;
    assert_eq!(state["state"], "attempted");
}

#[tokio::test]
async fn the_short_link_redirects_to_the_checkout_url_and_the_qr_is_a_png() {
    let sandbox = spawn_sandbox().await;
    let created = sandbox
        .create_payment_request(
            "1",
            json!({"shortify_checkout_url": true, "generate_qr_code": true}),
        )
        .await;
    let short_path = created["checkout_short_url"]
        .as_str()
        .unwrap()
        .strip_prefix(sandbox.base_url())
        .unwrap()
        .to_owned();
    let reply = send(&sandbox, "GET", &short_path, None, None, Body::empty()).await;
    assert_eq!(reply.status, 302);
    assert_eq!(
        reply.headers[header::LOCATION].to_str().unwrap(),
        created["checkout_url"].as_str().unwrap()
    );
    let qr_path = created["qr_code_url"]
        .as_str()
        .unwrap()
        .strip_prefix(sandbox.base_url())
        .unwrap()
        .to_owned();
    let png = send(&sandbox, "GET", &qr_path, None, None, Body::empty()).await;
    assert_eq!(png.headers[header::CONTENT_TYPE], "image/png");
    assert_eq!(&png.bytes[..8], b"\x89PNG\r\n\x1a\n");
}

// ---- docs ----

#[tokio::test]
async fn the_openapi_document_lists_the_checkout_paths_and_the_index_links_to_it() {
    let sandbox = spawn_sandbox().await;
    let doc = send(&sandbox, "GET", "/openapi.json", None, None, Body::empty())
        .await
        .json();
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["paths"]["/b/checkout/v1/pymt-txn/"]["post"].is_object());
    assert!(doc["paths"]["/_sandbox/faults"]["delete"].is_object());
    assert!(doc["paths"]["/_sandbox/sessions/{session_id}/late_success"]["post"].is_object());
    assert!(doc["paths"]["/b/pbl/v2/inquiry/"]["post"]["responses"]["429"].is_object());
    let pm = &doc["components"]["schemas"]["PaymentMethodsRequest"]["properties"];
    assert_eq!(pm["operation"]["enum"], json!(["purchase", "authorize"]));
    assert!(pm["tags"]["items"]["enum"].as_array().unwrap().len() == 21);
    let index = send(&sandbox, "GET", "/", None, None, Body::empty()).await;
    assert!(
        String::from_utf8(index.bytes)
            .unwrap()
            .contains("/openapi.json")
    );
}

#[tokio::test]
async fn the_sdk_cancel_url_cancels_an_open_transaction_once() {
    let sandbox = spawn_sandbox().await;
    let created = json_as(&sandbox, "POST", CREATE, &sandbox.api_key_header(), json!({
        "type": "payment_request", "amount": "1", "currency_code": "KWD", "pg_codes": ["knet"], "include_sdk_setup_preload": true})).await.json();
    let cancel_url = created["sdk_setup_preload_payload"]["cancel_url"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = cancel_url.strip_prefix(sandbox.base_url()).unwrap();
    let first = send(&sandbox, "POST", path, None, None, Body::empty()).await;
    assert_eq!(
        (first.status, first.json()["state"].clone()),
        (200, json!("canceled"))
    );
    let second = send(&sandbox, "POST", path, None, None, Body::empty()).await;
    assert_eq!(second.status, 400);
}

/// The pg_codes the payment-methods endpoint lists for `filters` (an e-commerce query, so the
/// test merchant's four gateways are candidates).
async fn methods_for(sandbox: &TestSandbox, filters: Value) -> Vec<String> {
    let mut body = json!({"plugin": "e_commerce"});
    body.as_object_mut()
        .unwrap()
        .extend(filters.as_object().unwrap().clone());
    let reply = json_as(
        sandbox,
        "POST",
        "/b/pbl/v2/payment-methods/",
        &sandbox.api_key_header(),
        body,
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.json());
    reply.json()["payment_methods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["code"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn payment_methods_apply_operation_tokenizable_and_tags_filters() {
    let sandbox = spawn_sandbox().await;
    let s = &sandbox;
    let all = [
        "knet",
        "credit-card",
        "card-auth",
        "benefit",
        "cash",
        "mpgs-test",
    ];
    assert_eq!(methods_for(s, json!({})).await, all);
    assert_eq!(
        methods_for(s, json!({"operation": "authorize"})).await,
        ["card-auth", "mpgs-test"]
    );
    assert_eq!(
        methods_for(s, json!({"operation": "purchase"})).await,
        ["knet", "credit-card", "benefit", "cash"]
    );
    assert_eq!(
        methods_for(s, json!({"tokenizable": true})).await,
        ["credit-card", "mpgs-test"]
    );
    assert_eq!(
        methods_for(s, json!({"tokenizable": "no"})).await,
        ["knet", "card-auth", "benefit", "cash"]
    );
    assert_eq!(
        methods_for(s, json!({"auto_debit": true})).await,
        ["credit-card", "mpgs-test"]
    );
    assert_eq!(
        methods_for(s, json!({"tags": ["pos"]})).await,
        ["knet", "cash"]
    );
    assert_eq!(
        methods_for(s, json!({"tags": ["pos", "e_commerce"]})).await,
        ["knet", "cash", "mpgs-test"],
        "any of the tags"
    );
    assert!(methods_for(s, json!({"tags": ["retail"]})).await.is_empty());
    assert_eq!(methods_for(s, json!({"tags": []})).await, all);
    assert_eq!(
        methods_for(
            s,
            json!({"tags": ["test"], "operation": "purchase", "tokenizable": true})
        )
        .await,
        ["credit-card"]
    );
    assert!(
        methods_for(s, json!({"payment_services": ["apple_pay"]}))
            .await
            .is_empty()
    );
    // The answer reports each gateway's own operation and tags.
    let reply = json_as(
        s,
        "POST",
        "/b/pbl/v2/payment-methods/",
        &s.api_key_header(),
        json!({"plugin": "e_commerce", "pg_names": ["mpgs-test"]}),
    )
    .await
    .json();
    let method = &reply["payment_methods"][0];
    assert_eq!(method["operation"], "authorize");
    assert_eq!(method["tags"], json!(["e_commerce", "test"]));
}

#[tokio::test]
async fn payment_methods_filters_are_validated_together() {
    let sandbox = spawn_sandbox().await;
    let reply = json_as(
        &sandbox,
        "POST",
        "/b/pbl/v2/payment-methods/",
        &sandbox.api_key_header(),
        json!({
            "plugin": "payment_request",
            "operation": "refund",
            "tokenizable": "maybe",
            "auto_debit": [],
            "tags": ["pos", "bogus"],
            "payment_services": "wallet",
        }),
    )
    .await;
    assert_eq!(
        (reply.status, reply.json()),
        (
            400,
            json!({
                "operation": ["\"refund\" is not a valid choice."],
                "tokenizable": ["Must be a valid boolean."],
                "auto_debit": ["Must be a valid boolean."],
                "tags": ["\"bogus\" is not a valid choice."],
                "payment_services": ["Expected a list of items but got type \"str\"."],
            })
        )
    );
}
