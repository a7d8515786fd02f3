//! The top-level fields with rules of their own: `pg_codes`, `email_recipients`,
//! `expiration_time`, `due_datetime`, `attachment_upload_url`, `initiator_id`.

use serde_json::Value;

use super::dates::{format_due_datetime, parse_due_datetime};
use super::fields::{Obj, as_integer, is_email};
use crate::config::GatewayConfig;
use crate::duration::{format_duration, parse_duration};
use crate::error::FieldErrors;
use crate::model::Txn;
use crate::payload::python_type_name;
use crate::payments::ALLOWED_EXTENSIONS;

pub(super) fn pg_codes(obj: &mut Obj<'_>, gateways: &[GatewayConfig]) -> Option<Vec<String>> {
    let value = obj.take("pg_codes", true)?;
    let Value::Array(items) = value else {
        obj.errors.add(
            "pg_codes",
            format!(
                "Expected a list of items but got type \"{}\".",
                python_type_name(value)
            ),
        );
        return None;
    };
    if items.is_empty() {
        obj.errors.add("pg_codes", "This list may not be empty.");
        return None;
    }
    let mut codes = Vec::new();
    for item in items {
        match item.as_str() {
            Some(code) if gateways.iter().any(|g| g.pg_code == code) => {
                if !codes.iter().any(|c| c == code) {
                    codes.push(code.to_owned());
                }
            }
            Some(code) => obj.errors.add(
                "pg_codes",
                format!("Object with code={code} does not exist."),
            ),
            None => obj.errors.add("pg_codes", "Invalid value."),
        }
    }
    if obj.errors.has("pg_codes") {
        return None;
    }
    let list = codes.iter().cloned().map(Value::String).collect();
    obj.out.insert("pg_codes".to_owned(), Value::Array(list));
    Some(codes)
}

pub(super) fn email_recipients(obj: &mut Obj<'_>) {
    let Some(value) = obj.take("email_recipients", false) else {
        return;
    };
    let Value::Array(items) = value else {
        obj.errors.add(
            "email_recipients",
            format!(
                "Expected a list of items but got type \"{}\".",
                python_type_name(value)
            ),
        );
        return;
    };
    let mut errors = FieldErrors::default();
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match item.as_str().map(str::trim) {
            Some(e) if is_email(e) && e.len() <= 128 => out.push(Value::String(e.to_owned())),
            _ => errors.add(&i.to_string(), "Enter a valid email address."),
        }
    }
    if errors.is_empty() {
        obj.out
            .insert("email_recipients".to_owned(), Value::Array(out));
    } else {
        obj.errors.nested("email_recipients", errors);
    }
}

pub(super) fn expiration_time(
    obj: &mut Obj<'_>,
    stored: Option<&Txn>,
    default_seconds: i64,
) -> i64 {
    let previous = stored
        .map(|t| t.expires_at - t.created_at)
        .unwrap_or(default_seconds);
    let fallback = |obj: &mut Obj<'_>| {
        if stored.is_none() {
            obj.out.insert(
                "expiration_time".to_owned(),
                Value::String(format_duration(default_seconds)),
            );
        }
        previous
    };
    let Some(value) = obj.take("expiration_time", false) else {
        return fallback(obj);
    };
    let Some(text) = obj.text("expiration_time", value) else {
        return previous;
    };
    match parse_duration(&text) {
        Some(seconds) if seconds > 0 && seconds <= 3650 * 86_400 => {
            obj.out.insert(
                "expiration_time".to_owned(),
                Value::String(format_duration(seconds)),
            );
            seconds
        }
        Some(seconds) if seconds <= 0 => {
            obj.errors.add(
                "expiration_time",
                "Ensure this value is greater than 0 seconds.",
            );
            previous
        }
        Some(_) => {
            obj.errors
                .add("expiration_time", "Ensure this value is at most 3650 days.");
            previous
        }
        None => {
            obj.errors.add(
                "expiration_time",
                "Duration has wrong format. Use one of these formats instead: [DD] [HH:[MM:]]ss[.uuuuuu].",
            );
            previous
        }
    }
}

pub(super) fn due_datetime(obj: &mut Obj<'_>) {
    let Some(value) = obj.take("due_datetime", false) else {
        return;
    };
    let Some(text) = obj.text("due_datetime", value) else {
        return;
    };
    match parse_due_datetime(&text) {
        Some(unix) => {
            obj.out.insert("due_datetime".to_owned(), Value::String(format_due_datetime(unix)));
        }
        None => obj.errors.add(
            "due_datetime",
            "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z], DD/MM/YYYY hh:mm[:ss].",
        ),
    }
}

pub(super) fn attachment_upload_url(obj: &mut Obj<'_>) -> Option<String> {
    let text = obj.string("attachment_upload_url", 255, false)?;
    let lower = text.to_ascii_lowercase();
    let allowed = ALLOWED_EXTENSIONS.iter().any(|ext| lower.ends_with(ext));
    if !allowed {
        obj.out.remove("attachment_upload_url");
        obj.errors
            .add("attachment_upload_url", "Enter a valid value.");
        return None;
    }
    (!text.is_empty()).then_some(text)
}

pub(super) fn initiator_id(obj: &mut Obj<'_>, user_count: usize) {
    let Some(value) = obj.take("initiator_id", false) else {
        return;
    };
    let id = match value {
        Value::Number(_) | Value::String(_) => as_integer(value),
        _ => None,
    };
    match id {
        Some(id) if id >= 1 && (id as usize) <= user_count => {
            obj.out.insert("initiator_id".to_owned(), Value::from(id));
        }
        Some(id) => obj.errors.add(
            "initiator_id",
            format!("Invalid pk \"{id}\" - object does not exist."),
        ),
        None => obj.errors.add(
            "initiator_id",
            format!(
                "Incorrect type. Expected pk value, received {}.",
                python_type_name(value)
            ),
        ),
    }
}
