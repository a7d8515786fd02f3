//! The demo sandbox's control routes (`/_sandbox/…`, docs/architecture.md), as the end-to-end
//! tests use them: arm a fault for the next create, act on a session as the payer or the gateway
//! would, and list the transactions the sandbox holds.

use anyhow::{Result, bail};
use serde_json::{Value, json};

async fn post(url: &str, body: Value) -> Result<Value> {
    let response = reqwest::Client::new().post(url).json(&body).send().await?;
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    if !status.is_success() {
        bail!("POST {url} answered {status}: {text}");
    }
    Ok(serde_json::from_str(&text)?)
}

async fn get(url: &str) -> Result<Value> {
    let response = reqwest::get(url).await?;
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    if !status.is_success() {
        bail!("GET {url} answered {status}: {text}");
    }
    Ok(serde_json::from_str(&text)?)
}

/// Arms `kind` (e.g. `drop_after_commit`, `late_commit`) for the next create on the sandbox at
/// `base`; `delay_ms` is the fault's delay where it has one.
pub async fn arm_fault(base: &str, kind: &str, delay_ms: Option<u64>) -> Result<()> {
    let mut body = json!({ "kind": kind, "times": 1 });
    if let Some(delay) = delay_ms {
        body["delay_ms"] = json!(delay);
    }
    post(&format!("{base}/_sandbox/faults"), body).await?;
    Ok(())
}

/// Acts on session `session_id` as the payer or gateway would: `open`, `pay`, `decline`,
/// `fail`, `cancel`, or `late_success` (a gateway success that arrives after a failure).
pub async fn act(base: &str, session_id: &str, action: &str) -> Result<Value> {
    post(
        &format!("{base}/_sandbox/sessions/{session_id}/{action}"),
        json!({}),
    )
    .await
}

/// One transaction as the sandbox stores it (`deleted` and the Checkout API fields).
pub async fn session(base: &str, session_id: &str) -> Result<Value> {
    get(&format!("{base}/_sandbox/sessions/{session_id}")).await
}

/// The transactions a customer could still pay: not deleted, and `created`, `pending` or
/// `attempted` (the newest 100 the sandbox holds).
pub async fn live_sessions(base: &str) -> Result<Vec<Value>> {
    let all = get(&format!("{base}/_sandbox/sessions")).await?;
    let sessions = all["sessions"].as_array().cloned().unwrap_or_default();
    Ok(sessions
        .into_iter()
        .filter(|s| {
            s["deleted"] != json!(true)
                && matches!(
                    s["state"].as_str(),
                    Some("created" | "pending" | "attempted")
                )
        })
        .collect())
}

/// Plants a difference in the report files the sandbox at `base` makes from now on
/// (`{"change": "drop" | "amount" | "state", "order_no", "amount"?, "state"?}`).
pub async fn plant_in_reports(base: &str, plant: Value) -> Result<()> {
    post(&format!("{base}/_sandbox/faults/reports"), plant).await?;
    Ok(())
}

/// Makes the sandbox at `base` generate `day`'s report file now (`YYYY-MM-DD`, UTC).
pub async fn generate_report(base: &str, day: &str) -> Result<Value> {
    post(
        &format!("{base}/_sandbox/reports/generate"),
        json!({ "date": day }),
    )
    .await
}
