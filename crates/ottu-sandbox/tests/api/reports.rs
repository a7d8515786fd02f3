//! The Reports API over HTTP: daily report files made from the transactions on the sandbox
//! clock's schedule, their chosen CSV columns, planted differences, download tokens bound to
//! the user who listed, the permission and the 25-an-hour download limit.

use serde_json::{Value, json};

use crate::helpers::{TestSandbox, call, call_as, spawn_sandbox};

const LIST: &str = "/b/api/v1/reports/files/";

/// Downloads `url` (absolute) as `auth`: status, `Retry-After` and the body text.
async fn download(sandbox: &TestSandbox, auth: &str, url: &str) -> (u16, Option<String>, String) {
    let response = sandbox
        .http
        .get(url)
        .header("Authorization", auth)
        .send()
        .await
        .expect("sent");
    let status = response.status().as_u16();
    let retry = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    (status, retry, response.text().await.unwrap())
}

/// The CSV's rows as header → value maps.
fn rows(text: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .map(str::to_owned)
                .zip(r.iter().map(str::to_owned))
                .collect()
        })
        .collect()
}

fn url_of(report: &Value) -> String {
    assert_eq!(report["download_action"]["method"], "GET");
    report["download_action"]["url"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_days_report_is_made_after_the_day_ends_with_the_chosen_columns_and_plants() {
    let sandbox = spawn_sandbox().await;
    let mut sids = Vec::new();
    for (order_no, amount) in [
        ("R-1", "1.250"),
        ("R-2", "2.000"),
        ("R-3", "3.000"),
        ("R-4", "4.000"),
    ] {
        let created = sandbox
            .create_payment_request(
                amount,
                json!({"order_no": order_no, "pg_codes": ["knet", "cash"]}),
            )
            .await;
        sids.push(created["session_id"].as_str().unwrap().to_owned());
    }
    sandbox.pay(&sids[0], Some("knet")).await;
    let (status, _) = call(
        &sandbox,
        "POST",
        "/b/pbl/v2/payment/cash/",
        Some(json!({"session_id": sids[1]})),
    )
    .await;
    assert_eq!(status, 200);
    // The day is not over: nothing is listed yet.
    let (status, listed) = call(&sandbox, "GET", LIST, None).await;
    assert_eq!(status, 200, "{listed}");
    assert_eq!(listed["count"], 0);
    // Plants change the files made after them.
    for plant in [
        json!({"change": "drop", "order_no": "R-3"}),
        json!({"change": "amount", "order_no": "R-4", "amount": "40.000"}),
        json!({"change": "state", "order_no": "R-1", "state": "failed"}),
    ] {
        assert_eq!(sandbox.control("faults/reports", plant).await.0, 200);
    }
    let (status, bad) = sandbox
        .control(
            "faults/reports",
            json!({"change": "amount", "order_no": "R-4"}),
        )
        .await;
    assert_eq!(
        (status, &bad["amount"][0]),
        (400, &json!("This field is required."))
    );
    sandbox.advance_clock(86_400).await;
    let (_, listed) = call(&sandbox, "GET", LIST, None).await;
    assert_eq!(listed["count"], 1, "{listed}");
    let report = &listed["results"][0];
    assert_eq!(report["interval"], "daily");
    assert_eq!(report["source"], "auto");
    assert_eq!(report["status"], "finished");
    assert_eq!(report["file_format"], "csv");
    assert_eq!(report["records_amount"], 3);
    assert!(
        report["created_at"]
            .as_str()
            .unwrap()
            .ends_with("T00:00:00Z"),
        "{report}"
    );
    let (status, _, text) = download(&sandbox, &sandbox.api_key_header(), &url_of(report)).await;
    assert_eq!(status, 200);
    assert_eq!(
        text.lines().next().unwrap(),
        "order_no,session_id,reference_number,type,amount,currency_code,state,pg_code,created_at,paid_at"
    );
    let rows = rows(&text);
    let by_order = |o: &str| rows.iter().find(|r| r["order_no"] == o).cloned();
    assert!(by_order("R-3").is_none(), "dropped by the plant");
    let r1 = by_order("R-1").unwrap();
    assert_eq!(
        (r1["state"].as_str(), r1["pg_code"].as_str()),
        ("failed", "knet")
    );
    assert_eq!(r1["amount"], "1.250");
    assert_eq!(r1["session_id"], sids[0]);
    assert!(!r1["paid_at"].is_empty());
    let r2 = by_order("R-2").unwrap();
    assert_eq!(
        (
            r2["state"].as_str(),
            r2["pg_code"].as_str(),
            r2["paid_at"].as_str()
        ),
        ("cod", "cash", "")
    );
    assert_eq!(by_order("R-4").unwrap()["amount"], "40.000");
    assert_eq!(r2["currency_code"], "KWD");
    assert_eq!(r2["type"], "payment_request");
    // Listing again makes no second file for the same day; a manual one can be asked for.
    let (_, again) = call(&sandbox, "GET", LIST, None).await;
    assert_eq!(again["count"], 1);
    let day = &report["created_at"].as_str().unwrap()[..10];
    let (status, manual) = sandbox
        .control("reports/generate", json!({"date": day}))
        .await;
    assert_eq!(status, 200, "{manual}");
    assert_eq!(
        (manual["source"].as_str(), manual["records_amount"].as_i64()),
        (Some("manual"), Some(0))
    );
    let (_, manual_only) = call(&sandbox, "GET", &format!("{LIST}?source=manual"), None).await;
    assert_eq!(manual_only["count"], 1);
    let (_, filtered) = call(
        &sandbox,
        "GET",
        &format!("{LIST}?created_after=2999-01-01"),
        None,
    )
    .await;
    assert_eq!(filtered["count"], 0);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_list_validates_its_query_and_pages() {
    let sandbox = spawn_sandbox().await;
    let (status, body) = call(
        &sandbox,
        "GET",
        &format!("{LIST}?created_after=03-12-2026&interval=hourly"),
        None,
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["created_after"], json!(["Enter a valid date."]));
    assert_eq!(
        body["interval"],
        json!(["Select a valid choice. hourly is not one of the available choices."])
    );
    sandbox.create_payment_request("1.000", json!({})).await;
    sandbox.advance_clock(3 * 86_400).await;
    let (_, page) = call(&sandbox, "GET", &format!("{LIST}?limit=2"), None).await;
    assert_eq!(
        page["count"], 3,
        "one file a day since the first transaction"
    );
    assert_eq!(page["results"].as_array().unwrap().len(), 2);
    assert!(page["previous"].is_null());
    let next = page["next"].as_str().unwrap();
    assert!(next.contains("offset=2"), "{next}");
    // Newest first.
    let first = page["results"][0]["created_at"].as_str().unwrap();
    let second = page["results"][1]["created_at"].as_str().unwrap();
    assert!(first > second);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn tokens_belong_to_the_lister_and_need_the_report_permission() {
    let sandbox = spawn_sandbox().await;
    sandbox.create_payment_request("1.000", json!({})).await;
    sandbox.advance_clock(86_400).await;
    let reporter = sandbox.basic_header("reporter");
    let (status, _) = call_as(
        &sandbox,
        &sandbox.basic_header("cashier"),
        "GET",
        LIST,
        None,
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = call_as(&sandbox, "", "GET", LIST, None).await;
    assert_eq!(status, 401);
    let (status, listed) = call_as(&sandbox, &reporter, "GET", LIST, None).await;
    assert_eq!(status, 200);
    let url = url_of(&listed["results"][0]);
    // Another user's token.
    let (status, _, _) = download(&sandbox, &sandbox.api_key_header(), &url).await;
    assert_eq!(status, 403);
    let (status, _, text) = download(&sandbox, &reporter, &url).await;
    assert_eq!(status, 200);
    assert_eq!(rows(&text).len(), 1);
    let base = sandbox.base_url();
    let (status, _, body) = download(
        &sandbox,
        &reporter,
        &format!("{base}{LIST}not-a-uuid/download/"),
    )
    .await;
    assert_eq!(
        (status, body.as_str()),
        (400, r#"{"detail":"Invalid token."}"#)
    );
    let unknown = format!("{base}{LIST}00000000-0000-4000-8000-000000000000/download/");
    let (status, _, _) = download(&sandbox, &reporter, &unknown).await;
    assert_eq!(status, 410);
    // Tokens expire after an hour.
    sandbox.advance_clock(3600).await;
    let (status, _, _) = download(&sandbox, &reporter, &url).await;
    assert_eq!(status, 410);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn downloads_are_limited_to_25_an_hour_per_user() {
    let sandbox = spawn_sandbox().await;
    sandbox.create_payment_request("1.000", json!({})).await;
    sandbox.advance_clock(86_400).await;
    let key = sandbox.api_key_header();
    let (_, listed) = call(&sandbox, "GET", LIST, None).await;
    let url = url_of(&listed["results"][0]);
    for n in 0..25 {
        let (status, _, _) = download(&sandbox, &key, &url).await;
        assert_eq!(status, 200, "download {n}");
    }
    let (status, retry, body) = download(&sandbox, &key, &url).await;
    assert_eq!(status, 429);
    assert_eq!(retry.as_deref(), Some("3600"));
    assert_eq!(
        body,
        r#"{"detail":"Request was throttled. Expected available in 3600 seconds."}"#
    );
    // Another user has their own count.
    let reporter = sandbox.basic_header("reporter");
    let (_, theirs) = call_as(&sandbox, &reporter, "GET", LIST, None).await;
    let (status, _, _) = download(&sandbox, &reporter, &url_of(&theirs["results"][0])).await;
    assert_eq!(status, 200);
    sandbox.advance_clock(1800).await;
    let (status, retry, _) = download(&sandbox, &key, &url).await;
    assert_eq!((status, retry.as_deref()), (429, Some("1800")));
    sandbox.advance_clock(1800).await;
    let (_, fresh) = call(&sandbox, "GET", LIST, None).await;
    let (status, _, _) = download(&sandbox, &key, &url_of(&fresh["results"][0])).await;
    assert_eq!(status, 200);
    sandbox.shutdown().await;
}
