//! External operations (refund, capture, void) with child transactions, `Tracking-Key`
//! replays, permissions and operation webhooks; the payment-methods `operations`; and the
//! sandbox lock-down (control routes' Host/Origin, the clock bound, `/media/` headers).

use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::{
    TEST_WEBHOOK_KEY, TestSandbox, call_as, expected_signature, spawn_sandbox, spawn_sandbox_with,
    webhook_receiver,
};

const OPERATION: &str = "/b/pbl/v2/operation/";

/// `POST /b/pbl/v2/operation/` as `auth` (the API key when `None`) with an optional
/// `Tracking-Key`.
async fn operate_as(
    sandbox: &TestSandbox,
    auth: Option<&str>,
    body: Value,
    key: Option<&str>,
) -> (u16, Value) {
    let auth = auth.map_or_else(|| sandbox.api_key_header(), str::to_owned);
    let mut request = sandbox
        .http
        .post(format!("{}{OPERATION}", sandbox.base_url()))
        .header("Authorization", auth)
        .json(&body);
    if let Some(key) = key {
        request = request.header("Tracking-Key", key);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn operate(sandbox: &TestSandbox, body: Value, key: Option<&str>) -> (u16, Value) {
    operate_as(sandbox, None, body, key).await
}

/// A KWD payment request on `pg_codes`, paid (on the first one); its session_id.
async fn paid(sandbox: &TestSandbox, amount: &str, pg_codes: &[&str], extra: Value) -> String {
    let mut extra = extra;
    extra["pg_codes"] = json!(pg_codes);
    let created = sandbox.create_payment_request(amount, extra).await;
    let sid = created["session_id"].as_str().unwrap().to_owned();
    let answer = sandbox.pay(&sid, Some(pg_codes[0])).await;
    assert!(
        answer["state"] == "paid" || answer["state"] == "authorized",
        "{answer}"
    );
    sid
}

fn refund(sid: &str, amount: Option<&str>) -> Value {
    let mut body = json!({"operation": "refund", "session_id": sid});
    if let Some(a) = amount {
        body["amount"] = json!(a);
    }
    body
}

fn op(operation: &str, sid: &str, amount: Option<&str>) -> Value {
    let mut body = refund(sid, amount);
    body["operation"] = json!(operation);
    body
}

#[tokio::test]
async fn a_full_refund_makes_a_refunded_child_and_leaves_nothing_to_refund() {
    let sandbox = spawn_sandbox().await;
    let sid = paid(&sandbox, "12.5", &["knet"], json!({"order_no": "R-1"})).await;
    let (status, body) = operate(&sandbox, refund(&sid, None), None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["operation"], "refund");
    assert_eq!(body["result"], "success");
    assert_eq!(body["success"], true);
    assert_eq!(body["source"], "input");
    assert_eq!(body["amount"], "12.500");
    assert_eq!(body["session_id"], sid);
    assert_eq!(body["order_no"], "R-1");
    assert_eq!(body["pg_code"], "knet");
    assert_eq!(body["txn"]["state"], "refunded");
    assert_eq!(body["txn"]["amount"], "12.500");
    assert_eq!(body["txn"]["currency_code"], "KWD");
    let child = body["txn"]["session_id"].as_str().unwrap();
    assert_ne!(child, sid, "the child has its own session_id");
    assert_ne!(body["reference_number"], Value::Null);
    assert_eq!(
        body["signature"],
        json!(expected_signature(&body, TEST_WEBHOOK_KEY)),
        "the answer is signed like a webhook"
    );

    // The parent stays paid (operation-events.md: children do not alter the parent).
    let session = sandbox.session(&sid).await;
    assert_eq!(session["state"], "paid");
    assert_eq!(session["refunded_amount"], "12.500");
    assert_eq!(session["refundable_amount"], "0.000");
    assert_eq!(session["children"].as_array().unwrap().len(), 1);
    assert_eq!(session["children"][0]["session_id"], child);

    let (status, again) = operate(&sandbox, refund(&sid, Some("1")), None).await;
    assert_eq!(status, 400, "{again}");
    assert_eq!(again["result"], "failed");
    assert_eq!(again["operation"], "refund");
    assert!(
        again["detail"].as_str().unwrap().contains("0.000 KWD"),
        "{again}"
    );
}

#[tokio::test]
async fn partial_refunds_add_up_to_the_amount_and_an_over_refund_names_what_is_left() {
    let sandbox = spawn_sandbox().await;
    let sid = paid(&sandbox, "10", &["knet"], json!({})).await;
    let (status, first) = operate(&sandbox, refund(&sid, Some("3")), None).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["amount"], "3.000");
    let (status, over) = operate(&sandbox, refund(&sid, Some("7.001")), None).await;
    assert_eq!(status, 400, "{over}");
    assert_eq!(
        over,
        json!({"detail": "The amount exceeds the remaining refundable amount of 7.000 KWD.",
               "operation": "refund", "result": "failed"})
    );
    let session = sandbox.session(&sid).await;
    assert_eq!(session["refundable_amount"], "7.000");
    let (status, rest) = operate(&sandbox, refund(&sid, None), None).await;
    assert_eq!(status, 200, "{rest}");
    assert_eq!(rest["amount"], "7.000", "no amount: the remaining amount");

    let children: Value = sandbox
        .http
        .get(format!(
            "{}/_sandbox/sessions/{sid}/children",
            sandbox.base_url()
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let amounts: Vec<&str> = children["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["amount"].as_str().unwrap())
        .collect();
    assert_eq!(amounts, ["3.000", "7.000"]);

    // The inquiry answer (Ottu's SchemaWebhook) carries the totals and the child list.
    sandbox.advance_clock(600).await;
    let (status, inquiry) = call_as(
        &sandbox,
        &sandbox.api_key_header(),
        "POST",
        "/b/pbl/v2/inquiry/",
        Some(json!({"session_id": sid})),
    )
    .await;
    assert_eq!(status, 200, "{inquiry}");
    assert_eq!(inquiry["refunded_amount"], "10.000");
    assert_eq!(inquiry["transactions"].as_array().unwrap().len(), 2);
    assert_eq!(inquiry["transactions"][1]["state"], "refunded");
}

#[tokio::test]
async fn amounts_are_checked_against_the_currency() {
    let sandbox = spawn_sandbox().await;
    let sid = paid(&sandbox, "10", &["knet"], json!({})).await;
    for (amount, field) in [
        ("0", "Ensure this value is greater than 0."),
        ("-1", "Ensure this value is greater than 0."),
        ("abc", "A valid number is required."),
    ] {
        let (status, body) = operate(&sandbox, refund(&sid, Some(amount)), None).await;
        assert_eq!(status, 400, "{amount}: {body}");
        assert_eq!(body, json!({"amount": [field]}), "{amount}");
    }
    let usd = sandbox
        .create_payment_request(
            "10",
            json!({"currency_code": "USD", "pg_codes": ["credit-card"]}),
        )
        .await;
    let usd = usd["session_id"].as_str().unwrap();
    sandbox.pay(usd, Some("credit-card")).await;
    let (status, body) = operate(&sandbox, refund(usd, Some("1.005")), None).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body,
        json!({"amount": ["Ensure that there are no more than 2 decimal places."]})
    );
    assert_eq!(sandbox.session(usd).await["children"], json!([]));
}

#[tokio::test]
async fn an_authorize_gateway_gives_authorized_and_captures_then_refunds_the_captured() {
    let sandbox = spawn_sandbox().await;
    let sid = paid(&sandbox, "10", &["card-auth"], json!({})).await;
    assert_eq!(sandbox.session(&sid).await["state"], "authorized");

    let (status, body) = operate(&sandbox, refund(&sid, None), None).await;
    assert_eq!(status, 400, "nothing captured yet: {body}");
    assert_eq!(
        body["detail"],
        "A payment transaction in the authorized state cannot be refunded."
    );

    let (status, capture) = operate(&sandbox, op("capture", &sid, Some("4")), None).await;
    assert_eq!(status, 200, "{capture}");
    assert_eq!(capture["txn"]["state"], "paid");
    assert_eq!(capture["amount"], "4.000");
    assert_eq!(capture["pg_code"], "card-auth");

    let (status, void) = operate(&sandbox, op("void", &sid, None), None).await;
    assert_eq!(status, 400, "{void}");
    assert_eq!(
        void["detail"],
        "An authorization cannot be voided after a capture."
    );
    let (status, over) = operate(&sandbox, op("capture", &sid, Some("6.5")), None).await;
    assert_eq!(status, 400, "{over}");
    assert_eq!(
        over["detail"],
        "The amount exceeds the remaining capturable amount of 6.000 KWD."
    );
    let (status, refund_more) = operate(&sandbox, refund(&sid, Some("4.5")), None).await;
    assert_eq!(
        status, 400,
        "only the captured 4 is refundable: {refund_more}"
    );
    let (status, refunded) = operate(&sandbox, refund(&sid, Some("1.5")), None).await;
    assert_eq!(status, 200, "{refunded}");
    let (status, rest) = operate(&sandbox, op("capture", &sid, None), None).await;
    assert_eq!(status, 200, "{rest}");
    assert_eq!(rest["amount"], "6.000");

    let session = sandbox.session(&sid).await;
    assert_eq!(session["state"], "authorized");
    assert_eq!(session["captured_amount"], "10.000");
    assert_eq!(session["capturable_amount"], "0.000");
    assert_eq!(session["refundable_amount"], "8.500");
}

#[tokio::test]
async fn a_void_takes_the_full_amount_once_and_stops_captures() {
    let sandbox = spawn_sandbox().await;
    let sid = paid(&sandbox, "10", &["card-auth"], json!({})).await;
    let (status, void) = operate(&sandbox, op("void", &sid, Some("2")), None).await;
    assert_eq!(status, 200, "{void}");
    assert_eq!(void["txn"]["state"], "voided");
    assert_eq!(void["amount"], "10.000", "a void is always the full amount");
    for again in ["void", "capture"] {
        let (status, body) = operate(&sandbox, op(again, &sid, None), None).await;
        assert_eq!(status, 400, "{again}: {body}");
        assert_eq!(
            body["detail"],
            "The authorization has been voided; it cannot be captured or voided."
        );
    }
    // A paid (purchase) transaction cannot be captured or voided.
    let knet = paid(&sandbox, "10", &["knet"], json!({})).await;
    let (status, body) = operate(&sandbox, op("capture", &knet, None), None).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["detail"],
        "A payment transaction in the paid state cannot be captured."
    );
    // Nor can an unpaid one be refunded.
    let open = sandbox.create_payment_request("1", json!({})).await;
    let open = open["session_id"].as_str().unwrap();
    let (status, body) = operate(&sandbox, refund(open, None), None).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["detail"],
        "A payment transaction in the created state cannot be refunded."
    );
}

#[tokio::test]
async fn operations_a_gateway_does_not_support_are_refused_and_payment_methods_list_them() {
    let sandbox = spawn_sandbox_with(|config| {
        let knet = config
            .merchant
            .gateways
            .iter_mut()
            .find(|g| g.pg_code == "knet")
            .unwrap();
        knet.operations = Some(vec![]);
    })
    .await;
    let sid = paid(&sandbox, "10", &["knet"], json!({})).await;
    let (status, body) = operate(&sandbox, refund(&sid, None), None).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body,
        json!({"detail": "The refund operation is not supported by the payment gateway knet.",
               "operation": "refund", "result": "failed"})
    );

    let (status, methods) = call_as(
        &sandbox,
        &sandbox.api_key_header(),
        "POST",
        "/b/pbl/v2/payment-methods/",
        Some(json!({"plugin": "payment_request"})),
    )
    .await;
    assert_eq!(status, 200, "{methods}");
    let operations = |code: &str| {
        methods["payment_methods"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["code"] == code)
            .map(|m| (m["operation"].clone(), m["operations"].clone()))
            .unwrap()
    };
    assert_eq!(operations("knet"), (json!("purchase"), json!([])));
    assert_eq!(
        operations("credit-card"),
        (json!("purchase"), json!(["refund"]))
    );
    assert_eq!(
        operations("card-auth"),
        (json!("authorize"), json!(["refund", "capture", "void"]))
    );
}

#[tokio::test]
async fn a_tracking_key_replays_the_original_operation_instead_of_refunding_twice() {
    let sandbox = spawn_sandbox().await;
    let sid = paid(&sandbox, "10", &["knet"], json!({})).await;
    let (status, first) = operate(&sandbox, refund(&sid, Some("2")), Some("rf-1")).await;
    assert_eq!(status, 200, "{first}");
    let (status, replay) = operate(&sandbox, refund(&sid, Some("2")), Some("rf-1")).await;
    assert_eq!(status, 200, "{replay}");
    assert_eq!(replay["txn"]["session_id"], first["txn"]["session_id"]);
    assert_eq!(replay["reference_number"], first["reference_number"]);
    assert_eq!(replay, first, "the same answer");
    assert_eq!(sandbox.session(&sid).await["refunded_amount"], "2.000");

    // The same key for another amount, operation or transaction is a conflict.
    let (status, other_amount) = operate(&sandbox, refund(&sid, Some("3")), Some("rf-1")).await;
    assert_eq!(status, 409, "{other_amount}");
    assert_eq!(other_amount["result"], "failed");
    assert_eq!(other_amount["operation"], "refund");
    let (status, _) = operate(&sandbox, refund(&sid, None), Some("rf-1")).await;
    assert_eq!(status, 409);
    let other = paid(&sandbox, "10", &["knet"], json!({})).await;
    let (status, body) = operate(&sandbox, refund(&other, Some("2")), Some("rf-1")).await;
    assert_eq!(status, 409, "{body}");
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("another payment transaction"),
        "{body}"
    );
    assert_eq!(sandbox.session(&other).await["children"], json!([]));
    // A new key is a new refund.
    let (status, second) = operate(&sandbox, refund(&sid, Some("2")), Some("rf-2")).await;
    assert_eq!(status, 200);
    assert_ne!(second["txn"]["session_id"], first["txn"]["session_id"]);
    assert_eq!(sandbox.session(&sid).await["refunded_amount"], "4.000");
}

#[tokio::test]
async fn tracking_keys_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let config = || {
        ottu_sandbox::SandboxConfig::new(
            dir.path().join("sandbox.sqlite3"),
            ottu_sandbox::test_support::test_merchant(),
        )
    };
    let http = reqwest::Client::new();
    let auth = format!("Api-Key {}", ottu_sandbox::test_support::TEST_API_KEY);
    let refund_with_key = |base: String, sid: String| {
        let http = http.clone();
        let auth = auth.clone();
        async move {
            let response = http
                .post(format!("{base}{OPERATION}"))
                .header("Authorization", auth)
                .header("Tracking-Key", "restart-1")
                .json(&refund(&sid, Some("1")))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status().as_u16(), 200);
            response.json::<Value>().await.unwrap()
        }
    };
    let first = ottu_sandbox::Sandbox::start(config()).await.unwrap();
    let created: Value = http
        .post(format!("{}/b/checkout/v1/pymt-txn/", first.base_url()))
        .header("Authorization", &auth)
        .json(&json!({"type": "payment_request", "amount": "5", "currency_code": "KWD", "pg_codes": ["knet"]}))
        .send().await.unwrap().json().await.unwrap();
    let sid = created["session_id"].as_str().unwrap().to_owned();
    http.post(format!("{}/_sandbox/sessions/{sid}/pay", first.base_url()))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    let before = refund_with_key(first.base_url().to_owned(), sid.clone()).await;
    first.shutdown().await;

    let second = ottu_sandbox::Sandbox::start(config()).await.unwrap();
    let after = refund_with_key(second.base_url().to_owned(), sid.clone()).await;
    assert_eq!(after["txn"]["session_id"], before["txn"]["session_id"]);
    let session: Value = http
        .get(format!("{}/_sandbox/sessions/{sid}", second.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(session["children"].as_array().unwrap().len(), 1);
    second.shutdown().await;
}

#[tokio::test]
async fn basic_users_need_the_operation_permission() {
    let sandbox = spawn_sandbox().await;
    let sid = paid(&sandbox, "10", &["knet"], json!({})).await;
    let auth_sid = paid(&sandbox, "10", &["card-auth"], json!({})).await;
    let cashier = sandbox.basic_header("cashier");
    let (status, body) = operate_as(&sandbox, Some(&cashier), refund(&sid, None), None).await;
    assert_eq!(status, 403, "{body}");
    assert!(body["detail"].is_string(), "{body}");
    let refunder = sandbox.basic_header("refunder");
    for (name, id) in [("capture", &auth_sid), ("void", &auth_sid)] {
        let (status, body) = operate_as(&sandbox, Some(&refunder), op(name, id, None), None).await;
        assert_eq!(status, 403, "{name}: {body}");
    }
    assert_eq!(sandbox.session(&auth_sid).await["children"], json!([]));
    let (status, body) = operate_as(&sandbox, Some(&refunder), refund(&sid, None), None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["initiator"]["username"], "refunder");
    let operator = sandbox.basic_header("operator");
    let (status, body) = operate_as(
        &sandbox,
        Some(&operator),
        op("capture", &auth_sid, None),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

async fn wait_for(receiver: &crate::helpers::Receiver, count: usize) -> Vec<Value> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let bodies = receiver.bodies.lock().unwrap().clone();
        if bodies.len() >= count {
            return bodies;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "only {} webhooks arrived",
            bodies.len()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn refunds_captures_and_voids_send_signed_operation_webhooks() {
    let sandbox = spawn_sandbox().await;
    let receiver = webhook_receiver(200, Duration::ZERO).await;
    let hook = json!({"webhook_url": receiver.url, "order_no": "WH-1"});
    let sid = paid(&sandbox, "10", &["knet"], hook.clone()).await;
    wait_for(&receiver, 1).await; // the payment webhook
    let (status, answer) = operate(&sandbox, refund(&sid, Some("4")), None).await;
    assert_eq!(status, 200);
    let bodies = wait_for(&receiver, 2).await;
    let hook_body = &bodies[1];
    assert_eq!(hook_body["operation"], "refund");
    assert_eq!(hook_body["txn"], answer["txn"]);
    assert_eq!(hook_body["session_id"], sid);
    assert_eq!(hook_body["order_no"], "WH-1");
    assert_eq!(
        hook_body["signature"],
        json!(expected_signature(hook_body, TEST_WEBHOOK_KEY))
    );
    let mut forged = hook_body.clone();
    forged["amount"] = json!("9.000");
    assert_ne!(
        hook_body["signature"],
        json!(expected_signature(&forged, TEST_WEBHOOK_KEY)),
        "the amount is signed"
    );

    let auth = paid(&sandbox, "10", &["card-auth"], hook).await;
    wait_for(&receiver, 3).await;
    operate(&sandbox, op("void", &auth, None), None).await;
    let bodies = wait_for(&receiver, 4).await;
    assert_eq!(bodies[3]["operation"], "void");
    assert_eq!(bodies[3]["txn"]["state"], "voided");

    // The log entry is written once the receiver has answered.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let log = loop {
        let log = sandbox.webhooks().await;
        if log.len() >= 4 || tokio::time::Instant::now() > deadline {
            break log;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let events: Vec<(&str, &str)> = log
        .iter()
        .map(|d| (d["event"].as_str().unwrap(), d["state"].as_str().unwrap()))
        .collect();
    assert_eq!(
        events,
        [
            ("payment", "paid"),
            ("operation", "refunded"),
            ("payment", "authorized"),
            ("operation", "voided")
        ]
    );
}

#[tokio::test]
async fn queued_refunds_are_settled_or_rejected_later_and_replays_see_the_latest_state() {
    let sandbox = spawn_sandbox_with(|config| {
        for g in config.merchant.gateways.iter_mut() {
            g.queue_refunds = g.pg_code == "knet";
        }
    })
    .await;
    let receiver = webhook_receiver(200, Duration::ZERO).await;
    let sid = paid(
        &sandbox,
        "10",
        &["knet"],
        json!({"webhook_url": receiver.url}),
    )
    .await;
    let (status, queued) = operate(&sandbox, refund(&sid, Some("6")), Some("q-1")).await;
    assert_eq!(status, 200, "{queued}");
    assert_eq!(queued["result"], "queued");
    assert_eq!(queued["success"], false);
    assert_eq!(queued["txn"]["state"], "refund_queued");
    // Queued refunds are reserved: only 4 is left.
    let (status, over) = operate(&sandbox, refund(&sid, Some("5")), None).await;
    assert_eq!(status, 400, "{over}");
    let child = queued["txn"]["session_id"].as_str().unwrap();

    let (status, settled) = sandbox
        .control(&format!("children/{child}/settle"), json!({}))
        .await;
    assert_eq!(status, 200, "{settled}");
    assert_eq!(settled["child"]["state"], "refunded");
    let (status, replay) = operate(&sandbox, refund(&sid, Some("6")), Some("q-1")).await;
    assert_eq!(status, 200);
    assert_eq!(replay["result"], "success", "the latest status");
    assert_eq!(replay["txn"]["state"], "refunded");
    let (status, _) = sandbox
        .control(&format!("children/{child}/reject"), json!({}))
        .await;
    assert_eq!(status, 409, "no longer queued");

    let (_, second) = operate(&sandbox, refund(&sid, None), None).await;
    assert_eq!(second["amount"], "4.000");
    let second_child = second["txn"]["session_id"].as_str().unwrap();
    let (status, rejected) = sandbox
        .control(&format!("children/{second_child}/reject"), json!({}))
        .await;
    assert_eq!(status, 200, "{rejected}");
    assert_eq!(rejected["child"]["state"], "refund_rejected");
    let session = sandbox.session(&sid).await;
    assert_eq!(session["refunded_amount"], "6.000");
    assert_eq!(
        session["refundable_amount"], "4.000",
        "a rejected refund frees its amount"
    );

    let bodies = wait_for(&receiver, 5).await;
    let results: Vec<&str> = bodies[1..]
        .iter()
        .map(|b| b["result"].as_str().unwrap())
        .collect();
    assert_eq!(results, ["queued", "success", "queued", "rejected"]);
}

#[tokio::test]
async fn control_routes_refuse_other_hosts_and_origins() {
    let sandbox = spawn_sandbox().await;
    let port = sandbox.base_url().rsplit(':').next().unwrap().to_owned();
    let clock = format!("{}/_sandbox/clock", sandbox.base_url());
    let get = |host: Option<String>, origin: Option<String>| {
        let mut request = sandbox.http.get(&clock);
        if let Some(host) = host {
            request = request.header("Host", host);
        }
        if let Some(origin) = origin {
            request = request.header("Origin", origin);
        }
        async move { request.send().await.unwrap().status().as_u16() }
    };
    assert_eq!(get(None, None).await, 200);
    assert_eq!(get(Some(format!("localhost:{port}")), None).await, 200);
    assert_eq!(get(Some(format!("[::1]:{port}")), None).await, 200);
    assert_eq!(
        get(None, Some(format!("http://127.0.0.1:{port}"))).await,
        200
    );
    assert_eq!(get(Some(format!("evil.example:{port}")), None).await, 403);
    assert_eq!(get(Some("127.0.0.1:1".to_owned()), None).await, 403);
    assert_eq!(get(Some("127.0.0.1".to_owned()), None).await, 403);
    assert_eq!(get(None, Some("http://evil.example".to_owned())).await, 403);
    assert_eq!(get(None, Some("null".to_owned())).await, 403);
    let response = sandbox
        .http
        .post(format!("{}/_sandbox/reset", sandbox.base_url()))
        .header("Origin", "https://attacker.example")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 403);
    let body: Value = response.json().await.unwrap();
    assert!(body["detail"].is_string(), "{body}");
    // Ottu's API paths are not locked down (any client may call them).
    let (status, _) = call_as(
        &sandbox,
        &sandbox.api_key_header(),
        "POST",
        "/b/pbl/v2/payment-methods/",
        Some(json!({"plugin": "payment_request"})),
    )
    .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_clock_advance_is_bounded_per_call() {
    let sandbox = spawn_sandbox().await;
    let month = 31 * 86_400;
    let (status, body) = sandbox
        .control("clock/advance", json!({"seconds": month + 1}))
        .await;
    assert_eq!(status, 400, "{body}");
    assert!(body["seconds"].is_array(), "{body}");
    let (status, body) = sandbox
        .control("clock/advance", json!({"seconds": month}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["offset_seconds"], month);
    let (status, _) = sandbox
        .control("clock/advance", json!({"seconds": i64::MAX}))
        .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn media_files_are_downloads_that_are_never_sniffed() {
    let sandbox = spawn_sandbox().await;
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(b"<html><script>alert(1)</script>".to_vec())
            .file_name("menu.txt")
            .mime_str("text/html")
            .unwrap(),
    );
    let uploaded: Value = sandbox
        .http
        .post(format!(
            "{}/b/checkout/v1/upload-attachment/",
            sandbox.base_url()
        ))
        .header("Authorization", sandbox.api_key_header())
        .multipart(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let file_url = uploaded["file_url"].as_str().unwrap();
    let response = sandbox
        .http
        .get(format!("{}/media/{file_url}", sandbox.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    assert_eq!(header("x-content-type-options").as_deref(), Some("nosniff"));
    let disposition = header("content-disposition").unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"menu_"),
        "{disposition}"
    );
    assert!(disposition.ends_with(".txt\""), "{disposition}");
    assert!(
        header("content-security-policy")
            .unwrap()
            .contains("sandbox")
    );
}
