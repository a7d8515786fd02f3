//! The Reports API (list, download) against canned answers, and the tolerant CSV reader on a
//! messy file.

use ottu_checkout::Error;
use ottu_checkout::reports::{
    ReportColumn, ReportInterval, ReportQuery, ReportSource, parse::ReportParseError, parse_report,
};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, ResponseTemplate};

use crate::helpers::{api_key_header, fixture, fixture_json, manifest_dir, spawn};

const LIST_PATH: &str = "/b/api/v1/reports/files/";
const TOKEN: &str = "6f1c2a64-1d8e-4f55-9a4b-3c2d1e0f9a8b";

/// The list fixture with its URLs on `base`.
fn list_on(base: &str) -> serde_json::Value {
    let text = fixture("reports_list_response.json").replace("http://127.0.0.1:9", base);
    serde_json::from_str(&text).unwrap()
}

#[tokio::test]
async fn list_sends_the_filters_and_reads_the_page() {
    let api = spawn().await;
    Mock::given(method("GET"))
        .and(path(LIST_PATH))
        .and(header("authorization", api_key_header().as_str()))
        .and(query_param("created_after", "2026-12-01"))
        .and(query_param("interval", "daily"))
        .and(query_param("source", "auto"))
        .and(query_param("limit", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(list_on(&api.server.uri())))
        .expect(1)
        .mount(&api.server)
        .await;
    let query = ReportQuery {
        created_after: Some("2026-12-01".into()),
        interval: Some(ReportInterval::Daily),
        source: Some(ReportSource::Auto),
        limit: Some(2),
        ..ReportQuery::default()
    };
    let page = api.client.reports().list(&query).await.unwrap();
    assert_eq!(page.count, 3);
    assert!(page.next.is_some());
    assert_eq!(page.results.len(), 2);
    let first = &page.results[0];
    assert_eq!(first.interval, Some(ReportInterval::Daily));
    assert_eq!(first.records_amount, Some(2));
    assert_eq!(first.download_action.method.as_deref(), Some("GET"));
    assert_eq!(page.results[1].source, Some(ReportSource::Manual));
    assert_eq!(page.results[1].file_format, None);
}

#[tokio::test]
async fn a_bad_date_is_refused_before_sending() {
    let api = spawn().await;
    let query = ReportQuery {
        created_before: Some("03/12/2026".into()),
        ..ReportQuery::default()
    };
    let error = api.client.reports().list(&query).await.unwrap_err();
    assert_eq!(
        error.field_errors().unwrap().messages("created_before"),
        vec!["Enter a valid date (YYYY-MM-DD)."]
    );
    assert!(api.requests().await.is_empty());
}

#[tokio::test]
async fn the_servers_400_names_the_parameter() {
    let api = spawn().await;
    Mock::given(method("GET"))
        .and(path(LIST_PATH))
        .respond_with(
            ResponseTemplate::new(400).set_body_json(fixture_json("reports_list_error_400.json")),
        )
        .expect(1)
        .mount(&api.server)
        .await;
    let error = api
        .client
        .reports()
        .list(&ReportQuery::default())
        .await
        .unwrap_err();
    assert_eq!(
        error.field_errors().unwrap().messages("created_after"),
        vec!["Enter a valid date."]
    );
}

#[tokio::test]
async fn download_follows_the_listed_url_once_and_reports_the_limit() {
    let api = spawn().await;
    let download_path = format!("{LIST_PATH}{TOKEN}/download/");
    Mock::given(method("GET"))
        .and(path(download_path.as_str()))
        .and(header("authorization", api_key_header().as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_string("order_no,amount\nA,1.000\n"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&api.server)
        .await;
    Mock::given(method("GET"))
        .and(path(download_path.as_str()))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "1800")
                .set_body_json(fixture_json("error_429.json")),
        )
        .with_priority(2)
        .mount(&api.server)
        .await;
    let listed: ottu_checkout::reports::ReportPage =
        serde_json::from_value(list_on(&api.server.uri())).unwrap();
    let file = &listed.results[0];
    let bytes = api.client.reports().download(file).await.unwrap();
    assert_eq!(bytes, b"order_no,amount\nA,1.000\n");
    let error = api.client.reports().download(file).await.unwrap_err();
    assert!(matches!(error, Error::RateLimited { .. }), "{error:?}");
    assert_eq!(
        error.retry_after(),
        Some(std::time::Duration::from_secs(1800))
    );
    // A 429 is not waited out or repeated: every download counts against the limit.
    assert_eq!(api.requests().await.len(), 2);
}

#[tokio::test]
async fn a_download_url_on_another_host_is_never_followed() {
    let api = spawn().await;
    // The fixture's URLs point at 127.0.0.1:9, not at this client's server.
    let listed: ottu_checkout::reports::ReportPage =
        serde_json::from_value(fixture_json("reports_list_response.json")).unwrap();
    let error = api
        .client
        .reports()
        .download(&listed.results[0])
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Config { .. }), "{error:?}");
    assert!(api.requests().await.is_empty());
}

#[test]
fn the_messy_file_gives_every_readable_row_and_a_problem_for_each_bad_one() {
    let bytes =
        std::fs::read(manifest_dir().join("../../fixtures/checkout/reports_file_messy.csv"))
            .unwrap();
    let parsed = parse_report(&bytes).unwrap();
    assert_eq!(parsed.unknown_columns, vec!["Customer e-mail"]);
    assert_eq!(parsed.missing_columns, vec![ReportColumn::PaidAt]);
    let lines: Vec<u64> = parsed.records.iter().map(|r| r.line).collect();
    assert_eq!(lines, vec![2, 3, 5, 6, 10]);
    let first = &parsed.records[0];
    assert_eq!(first.order_no.as_deref(), Some("POS-T1-20261202-000001"));
    assert_eq!(first.amount.as_ref().unwrap().as_str(), "1250.500");
    assert_eq!(first.currency.as_ref().unwrap().as_str(), "KWD");
    assert_eq!(first.state.as_deref(), Some("paid"));
    assert_eq!(first.pg_code.as_deref(), Some("knet"));
    assert_eq!(first.created_on(), Some("2026-12-02"));
    let quoted = &parsed.records[1];
    assert_eq!(
        quoted.state.as_deref(),
        Some("cod"),
        "states read in lower case"
    );
    assert_eq!(quoted.amount.as_ref().unwrap().as_str(), "4.500");
    assert_eq!(
        quoted.session_id.as_deref(),
        Some("5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b")
    );
    assert_eq!(parsed.records[2].amount, None, "\"twelve\" is no amount");
    assert_eq!(parsed.records[3].currency, None);
    assert_eq!(parsed.records[3].created_at, None, "a short row");
    assert_eq!(parsed.records[4].amount.as_ref().unwrap().as_str(), "2.100");
    let problems: Vec<(u64, Option<ReportColumn>)> =
        parsed.problems.iter().map(|p| (p.line, p.column)).collect();
    assert_eq!(
        problems,
        vec![
            (5, Some(ReportColumn::Amount)),
            (6, Some(ReportColumn::Currency)),
            (7, None),
            (9, None),
        ]
    );
}

#[test]
fn only_a_file_without_a_usable_header_fails() {
    assert_eq!(parse_report(b"").unwrap_err(), ReportParseError::Empty);
    assert_eq!(
        parse_report(b"\xEF\xBB\xBF \n").unwrap_err(),
        ReportParseError::Empty
    );
    assert_eq!(
        parse_report(b"amount,state\n1.000,paid\n").unwrap_err(),
        ReportParseError::NoIdentifyingColumn
    );
    let only_header = parse_report(b"session_id\n").unwrap();
    assert!(only_header.records.is_empty() && only_header.problems.is_empty());
    // Invalid UTF-8 in one field spoils that field only.
    let parsed = parse_report(b"order_no,state\nA,\xFF\xFE\nB,paid\n").unwrap();
    assert_eq!(parsed.records.len(), 2);
    assert_eq!(parsed.records[0].state, None);
    assert_eq!(parsed.problems[0].column, Some(ReportColumn::State));
}
