//! `/b/api/v1/reports/`: the Reports API, listing report files and downloading one
//! (`crate::reports` makes the files and holds the choices Ottu leaves open).
//!
//! Order of checks on both: 401, 403 without `report.view_report`; then the list validates its
//! query (400 naming the parameter) and the download counts against the per-user download
//! limit (429) before its token is looked at (400 malformed, 410 unknown or expired, 403
//! another user's).

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;

use crate::auth::Principal;
use crate::error::{ApiError, FieldErrors};
use crate::reports::{self, TokenCheck};
use crate::state::AppState;
use crate::throttle::user_key;

/// Page size when `limit` is not given, and the largest one taken.
pub const DEFAULT_LIMIT: usize = 100;
pub const MAX_LIMIT: usize = 1000;

/// The Reports API routes (with and without trailing slash).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/b/api/v1/reports/files/", get(list))
        .route("/b/api/v1/reports/files", get(list))
        .route("/b/api/v1/reports/files/{token}/download/", get(download))
        .route("/b/api/v1/reports/files/{token}/download", get(download))
}

fn authorization(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

fn choice(
    query: &HashMap<String, String>,
    key: &str,
    choices: &[&str],
    errors: &mut FieldErrors,
) -> Option<String> {
    let value = query.get(key).filter(|v| !v.is_empty())?;
    if choices.contains(&value.as_str()) {
        Some(value.clone())
    } else {
        errors.add(
            key,
            format!("Select a valid choice. {value} is not one of the available choices."),
        );
        None
    }
}

fn whole(query: &HashMap<String, String>, key: &str, errors: &mut FieldErrors) -> Option<usize> {
    let value = query.get(key).filter(|v| !v.is_empty())?;
    match value.parse::<usize>() {
        Ok(n) => Some(n),
        Err(_) => {
            errors.add(key, "A valid integer is required.");
            None
        }
    }
}

async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    principal: Result<Principal, ApiError>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let principal = principal?;
    if !principal.may_view_reports() {
        return Err(ApiError::permission_denied());
    }
    let mut errors = FieldErrors::default();
    let mut date = |key: &str| {
        let value = query.get(key).filter(|v| !v.is_empty())?;
        let day = reports::parse_day(value);
        if day.is_none() {
            errors.add(key, "Enter a valid date.");
        }
        day
    };
    let created_after = date("created_after");
    let created_before = date("created_before");
    let interval = choice(
        &query,
        "interval",
        &["daily", "monthly", "weekly", "yearly"],
        &mut errors,
    );
    let source = choice(&query, "source", &["auto", "manual"], &mut errors);
    let limit =
        whole(&query, "limit", &mut errors).map_or(DEFAULT_LIMIT, |l| l.clamp(1, MAX_LIMIT));
    let offset = whole(&query, "offset", &mut errors).unwrap_or(0);
    errors.into_result()?;
    reports::generate_due(&state).await?;
    let all = state.store.reports().await?;
    let matching: Vec<_> = all
        .into_iter()
        .filter(|r| {
            let created = reports::format_day(
                time::OffsetDateTime::from_unix_timestamp(r.created_at)
                    .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
                    .date(),
            );
            created_after.is_none_or(|d| created >= reports::format_day(d))
                && created_before.is_none_or(|d| created <= reports::format_day(d))
                && interval.as_deref().is_none_or(|i| r.interval == i)
                && source.as_deref().is_none_or(|s| r.source == s)
        })
        .collect();
    let count = matching.len();
    let user = user_key(&principal, authorization(&headers).as_deref());
    let now = state.clock.now_unix();
    let page: Vec<_> = matching.into_iter().skip(offset).take(limit).collect();
    let results: Vec<_> = {
        let mut tokens = state
            .download_tokens
            .lock()
            .map_err(|_| ApiError::internal("download tokens poisoned"))?;
        page.iter()
            .map(|r| {
                let token = tokens.issue(r.id, &user, now);
                json!({
                    "encrypted_id": r.encrypted_id,
                    "report_name": r.report_name,
                    "interval": r.interval,
                    "source": r.source,
                    "file_format": "csv",
                    "records_amount": r.records,
                    "status": "finished",
                    "generated_at": crate::clock::format_rfc3339(r.generated_at),
                    "created_at": crate::clock::format_rfc3339(r.created_at),
                    "download_action": {
                        "method": "GET",
                        "url": state.url(&format!("/b/api/v1/reports/files/{token}/download/")),
                    },
                })
            })
            .collect()
    };
    let page_url = |offset: usize| {
        let mut pairs: Vec<(String, String)> = query
            .iter()
            .filter(|(k, _)| k.as_str() != "offset" && k.as_str() != "limit")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        pairs.sort();
        pairs.push(("limit".into(), limit.to_string()));
        pairs.push(("offset".into(), offset.to_string()));
        let q = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        state.url(&format!("/b/api/v1/reports/files/?{q}"))
    };
    let next = (offset + limit < count).then(|| page_url(offset + limit));
    let previous = (offset > 0).then(|| page_url(offset.saturating_sub(limit)));
    Ok(
        axum::Json(json!({"count": count, "next": next, "previous": previous, "results": results}))
            .into_response(),
    )
}

async fn download(
    State(state): State<AppState>,
    headers: HeaderMap,
    principal: Result<Principal, ApiError>,
    Path(token): Path<String>,
) -> Result<Response, ApiError> {
    let principal = principal?;
    if !principal.may_view_reports() {
        return Err(ApiError::permission_denied());
    }
    let user = user_key(&principal, authorization(&headers).as_deref());
    let now = state.clock.now_unix();
    if let Some(limit) = state.config.limits.report_downloads {
        let verdict = state
            .throttles
            .lock()
            .map_err(|_| ApiError::internal("throttles poisoned"))?
            .report_download(limit, &user, now);
        verdict.check()?;
    }
    if uuid::Uuid::parse_str(&token).is_err() {
        return Err(ApiError::bad_request("Invalid token."));
    }
    let check = state
        .download_tokens
        .lock()
        .map_err(|_| ApiError::internal("download tokens poisoned"))?
        .check(&token, &user, now);
    let report_id = match check {
        TokenCheck::Valid(id) => id,
        TokenCheck::Gone => {
            return Err(ApiError::detail(
                StatusCode::GONE,
                "Download link has expired or is invalid.",
            ));
        }
        TokenCheck::OtherUser => return Err(ApiError::permission_denied()),
    };
    let content = state
        .store
        .report_content(report_id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"report-{report_id}.csv\""),
            ),
        ],
        content,
    )
        .into_response())
}
