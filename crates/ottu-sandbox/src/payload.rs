//! Request bodies: JSON, form-urlencoded and multipart, each turned into one JSON object so
//! validation has a single input shape. Malformed bodies become DRF-shaped errors
//! (`{"detail": "JSON parse error - ..."}`, 415, 413), never a rejection from axum.

use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{StatusCode, header};
use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::state::AppState;

/// Which parser handled the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    Empty,
    Json,
    Form,
    Multipart,
}

/// An uploaded file from a multipart body.
#[derive(Debug, Clone)]
pub struct UploadedFile {
    pub field: String,
    pub filename: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

impl UploadedFile {
    /// The file name without the directories some clients send with it.
    pub fn basename(&self) -> &str {
        self.filename.rsplit(['/', '\\']).next().unwrap_or_default()
    }
}

/// A parsed request body.
#[derive(Debug, Clone)]
pub struct Payload {
    pub kind: BodyKind,
    pub fields: Map<String, Value>,
    pub files: Vec<UploadedFile>,
}

/// Fields that are lists: in form and multipart bodies they are always arrays, even with one
/// value (DRF reads them with `getlist`).
const LIST_FIELDS: &[&str] = &[
    "pg_codes",
    "email_recipients",
    "currencies",
    "pg_names",
    "tags",
    "payment_services",
    "channels",
];

impl FromRequest<AppState> for Payload {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let limit = state.config.body_limit_bytes;
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .unwrap_or_default();
        let media_type = content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();

        if media_type == "multipart/form-data" {
            return read_multipart(req, state, limit).await;
        }
        let bytes = read_limited(req, limit).await?;
        match media_type.as_str() {
            "application/json" => parse_json(&bytes),
            "application/x-www-form-urlencoded" => parse_form(&bytes),
            _ if bytes.iter().all(u8::is_ascii_whitespace) => Ok(Payload {
                kind: BodyKind::Empty,
                fields: Map::new(),
                files: Vec::new(),
            }),
            _ => Err(ApiError::unsupported_media_type(&content_type)),
        }
    }
}

async fn read_limited(req: Request, limit: usize) -> Result<Bytes, ApiError> {
    axum::body::to_bytes(req.into_body(), limit)
        .await
        .map_err(|e| {
            if is_length_limit(&e) {
                ApiError::payload_too_large(limit)
            } else {
                ApiError::bad_request(format!("Could not read the request body: {e}"))
            }
        })
}

fn is_length_limit(e: &axum::Error) -> bool {
    // http-body-util's `LengthLimitError` is boxed inside axum's error; its text is stable.
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if err.to_string().contains("length limit exceeded") {
            return true;
        }
        source = err.source();
    }
    false
}

/// Parses a JSON body that must be an object.
pub fn parse_json(bytes: &[u8]) -> Result<Payload, ApiError> {
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|e| ApiError::bad_request(format!("JSON parse error - {e}")))?;
    match value {
        Value::Object(fields) => Ok(Payload {
            kind: BodyKind::Json,
            fields,
            files: Vec::new(),
        }),
        other => Err(not_a_dictionary(&other)),
    }
}

/// DRF's error for a body that is valid JSON but not an object.
pub fn not_a_dictionary(value: &Value) -> ApiError {
    let mut errors = crate::error::FieldErrors::default();
    errors.add(
        "non_field_errors",
        format!(
            "Invalid data. Expected a dictionary, but got {}.",
            python_type_name(value)
        ),
    );
    ApiError::fields(errors.0)
}

/// The Python type name DRF puts in its messages.
pub fn python_type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "NoneType",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "int",
        Value::String(_) => "str",
        Value::Array(_) => "list",
        Value::Object(_) => "dict",
    }
}

fn parse_form(bytes: &[u8]) -> Result<Payload, ApiError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(bytes)
        .map_err(|e| ApiError::bad_request(format!("Form parse error - {e}")))?;
    let mut fields = Map::new();
    for (key, value) in pairs {
        push_value(&mut fields, key, Value::String(value));
    }
    Ok(Payload {
        kind: BodyKind::Form,
        fields,
        files: Vec::new(),
    })
}

fn push_value(fields: &mut Map<String, Value>, key: String, value: Value) {
    let is_list = LIST_FIELDS.contains(&key.as_str());
    match fields.get_mut(&key) {
        Some(Value::Array(list)) => list.push(value),
        Some(existing) => {
            // A repeated scalar field: DRF keeps the last value.
            *existing = value;
        }
        None => {
            let value = if is_list {
                Value::Array(vec![value])
            } else {
                value
            };
            fields.insert(key, value);
        }
    }
}

async fn read_multipart(req: Request, state: &AppState, limit: usize) -> Result<Payload, ApiError> {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_default();
    let mut multipart = Multipart::from_request(req, state).await.map_err(|_| {
        ApiError::bad_request(format!(
            "Multipart form parse error - Invalid boundary in multipart: {content_type}"
        ))
    })?;
    let mut fields = Map::new();
    let mut files = Vec::new();
    let mut total = 0usize;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => return Err(multipart_error(e, limit)),
        };
        let name = field.name().unwrap_or_default().to_owned();
        let filename = field.file_name().map(str::to_owned);
        let part_type = field
            .content_type()
            .unwrap_or("application/octet-stream")
            .to_owned();
        let data = field.bytes().await.map_err(|e| multipart_error(e, limit))?;
        total += data.len();
        if total > limit {
            return Err(ApiError::payload_too_large(limit));
        }
        match filename {
            Some(filename) => files.push(UploadedFile {
                field: name,
                filename,
                content_type: part_type,
                data: data.to_vec(),
            }),
            None => {
                let text = String::from_utf8_lossy(&data).into_owned();
                push_value(&mut fields, name, Value::String(text));
            }
        }
    }
    Ok(Payload {
        kind: BodyKind::Multipart,
        fields,
        files,
    })
}

fn multipart_error(e: axum::extract::multipart::MultipartError, limit: usize) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::payload_too_large(limit)
    } else {
        ApiError::bad_request(format!("Multipart form parse error - {}", e.body_text()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_json_names_the_parse_error() {
        let err = parse_json(b"{\"amount\": ").unwrap_err();
        assert_eq!(err.status, StatusCode::BAD_REQUEST);
        let detail = err.body["detail"].as_str().unwrap();
        assert!(detail.starts_with("JSON parse error - "), "{detail}");
    }

    #[test]
    fn a_json_list_is_not_a_dictionary() {
        let err = parse_json(b"[1]").unwrap_err();
        assert_eq!(
            err.body,
            serde_json::json!({"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]})
        );
    }

    #[test]
    fn form_list_fields_are_always_arrays() {
        let payload = parse_form(b"pg_codes=knet&amount=1.5&pg_codes=credit-card&type=x").unwrap();
        assert_eq!(
            payload.fields["pg_codes"],
            serde_json::json!(["knet", "credit-card"])
        );
        let single = parse_form(b"pg_codes=knet").unwrap();
        assert_eq!(single.fields["pg_codes"], serde_json::json!(["knet"]));
        assert_eq!(payload.fields["amount"], "1.5");
    }
}
