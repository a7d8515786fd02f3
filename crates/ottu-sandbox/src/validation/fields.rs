//! The field primitives of DRF-style validation: one object's input, its normalised output and
//! its errors ([`Obj`]), and the value coercions DRF applies (strings, choices, e-mail, URL,
//! integers, booleans, decimals, nested objects and lists).

use serde_json::{Map, Value};

use super::dates::parse_date;
use crate::error::FieldErrors;
use crate::money::parse_number;
use crate::payload::python_type_name;

pub(super) const REQUIRED: &str = "This field is required.";
const MAX_AMOUNT_INTEGER_DIGITS: u32 = 13;

/// One object being validated: its input, normalised output and errors.
pub(super) struct Obj<'a> {
    pub(super) input: &'a Map<String, Value>,
    pub(super) out: Map<String, Value>,
    pub(super) errors: FieldErrors,
    partial: bool,
}

/// The input value of a key, with `null` on an optional field meaning "unset".
pub(super) enum Input<'a> {
    Absent,
    Null,
    Present(&'a Value),
}

impl<'a> Obj<'a> {
    pub(super) fn new(
        input: &'a Map<String, Value>,
        out: Map<String, Value>,
        partial: bool,
    ) -> Self {
        Self {
            input,
            out,
            errors: FieldErrors::default(),
            partial,
        }
    }

    pub(super) fn take(&mut self, key: &str, required: bool) -> Option<&'a Value> {
        match self.input_of(key) {
            Input::Absent => {
                if required && !self.partial && !self.out.contains_key(key) {
                    self.errors.add(key, REQUIRED);
                }
                None
            }
            Input::Null => {
                if required {
                    self.errors.add(key, "This field may not be null.");
                } else {
                    self.out.remove(key);
                }
                None
            }
            Input::Present(v) => Some(v),
        }
    }

    pub(super) fn input_of(&self, key: &str) -> Input<'a> {
        match self.input.get(key) {
            None => Input::Absent,
            Some(Value::Null) => Input::Null,
            Some(v) => Input::Present(v),
        }
    }

    pub(super) fn text(&mut self, key: &str, value: &Value) -> Option<String> {
        match value {
            Value::String(s) => Some(s.trim().to_owned()),
            Value::Number(n) => Some(n.to_string()),
            _ => {
                self.errors.add(key, "Not a valid string.");
                None
            }
        }
    }

    /// A string with a length limit. Blank is allowed only on optional fields.
    pub(super) fn string(&mut self, key: &str, max: usize, required: bool) -> Option<String> {
        let value = self.take(key, required)?;
        let text = self.text(key, value)?;
        if text.is_empty() && required {
            self.errors.add(key, "This field may not be blank.");
            return None;
        }
        if text.chars().count() > max {
            self.errors.add(
                key,
                format!("Ensure this field has no more than {max} characters."),
            );
            return None;
        }
        self.out.insert(key.to_owned(), Value::String(text.clone()));
        Some(text)
    }

    pub(super) fn choice(&mut self, key: &str, choices: &[&str], required: bool) -> Option<String> {
        let value = self.take(key, required)?;
        let text = self.text(key, value)?;
        if !choices.contains(&text.as_str()) {
            self.errors
                .add(key, format!("\"{text}\" is not a valid choice."));
            return None;
        }
        self.out.insert(key.to_owned(), Value::String(text.clone()));
        Some(text)
    }

    pub(super) fn email(&mut self, key: &str, max: usize, required: bool) {
        let Some(text) = self.string(key, max, required) else {
            return;
        };
        if !text.is_empty() && !is_email(&text) {
            self.out.remove(key);
            self.errors.add(key, "Enter a valid email address.");
        }
    }

    pub(super) fn url(&mut self, key: &str, max: usize) {
        let Some(text) = self.string(key, max, false) else {
            return;
        };
        if !text.is_empty() && !is_url(&text) {
            self.out.remove(key);
            self.errors.add(key, "Enter a valid URL.");
        }
    }

    pub(super) fn date(&mut self, key: &str, required: bool) {
        let Some(value) = self.take(key, required) else {
            return;
        };
        let Some(text) = self.text(key, value) else {
            return;
        };
        if parse_date(&text).is_some() {
            self.out.insert(key.to_owned(), Value::String(text));
        } else {
            self.errors.add(
                key,
                "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.",
            );
        }
    }

    pub(super) fn integer(&mut self, key: &str, min: i64, max: i64, required: bool) -> Option<i64> {
        let value = self.take(key, required)?;
        let Some(n) = as_integer(value) else {
            self.errors.add(key, "A valid integer is required.");
            return None;
        };
        if n < min {
            self.errors.add(
                key,
                format!("Ensure this value is greater than or equal to {min}."),
            );
            return None;
        }
        if n > max {
            self.errors.add(
                key,
                format!("Ensure this value is less than or equal to {max}."),
            );
            return None;
        }
        self.out.insert(key.to_owned(), Value::from(n));
        Some(n)
    }

    /// A boolean flag; returns it without echoing it.
    pub(super) fn flag(&mut self, key: &str) -> bool {
        let Some(value) = self.take(key, false) else {
            return false;
        };
        match as_bool(value) {
            Some(b) => b,
            None => {
                self.errors.add(key, "Must be a valid boolean.");
                false
            }
        }
    }

    pub(super) fn boolean(&mut self, key: &str, required: bool) {
        let Some(value) = self.take(key, required) else {
            return;
        };
        match as_bool(value) {
            Some(b) => {
                self.out.insert(key.to_owned(), Value::Bool(b));
            }
            None => self.errors.add(key, "Must be a valid boolean."),
        }
    }

    pub(super) fn decimal(&mut self, key: &str, required: bool) {
        let Some(value) = self.take(key, required) else {
            return;
        };
        let text = match value {
            Value::String(s) => s.trim().to_owned(),
            Value::Number(n) => n.to_string(),
            _ => {
                self.errors.add(key, "A valid number is required.");
                return;
            }
        };
        match parse_number(&text) {
            Some(d) if d.integer_digits() > MAX_AMOUNT_INTEGER_DIGITS => self.errors.add(
                key,
                format!("Ensure that there are no more than {MAX_AMOUNT_INTEGER_DIGITS} digits before the decimal point."),
            ),
            Some(_) => {
                self.out.insert(key.to_owned(), Value::String(text));
            }
            None => self.errors.add(key, "A valid number is required."),
        }
    }

    /// A free-form JSON object.
    pub(super) fn any_object(&mut self, key: &str) {
        let Some(value) = self.take(key, false) else {
            return;
        };
        if value.is_object() {
            self.out.insert(key.to_owned(), value.clone());
        } else {
            self.errors.add(key, not_a_dict(value));
        }
    }

    /// A nested object validated by `inner`; `merge` keeps stored sub-fields (PATCH).
    pub(super) fn object(&mut self, key: &str, required: bool, inner: impl FnOnce(&mut Obj<'_>)) {
        let Some(value) = self.take(key, required) else {
            return;
        };
        let Value::Object(map) = value else {
            let mut e = FieldErrors::default();
            e.add("non_field_errors", not_a_dict(value));
            self.errors.nested(key, e);
            return;
        };
        let mut nested = Obj::new(map, Map::new(), false);
        inner(&mut nested);
        if nested.errors.is_empty() {
            self.out.insert(key.to_owned(), Value::Object(nested.out));
        } else {
            self.errors.nested(key, nested.errors);
        }
    }

    pub(super) fn choice_list(&mut self, key: &str, choices: &[&str]) {
        let Some(value) = self.take(key, false) else {
            return;
        };
        let Value::Array(items) = value else {
            self.errors.add(
                key,
                format!(
                    "Expected a list of items but got type \"{}\".",
                    python_type_name(value)
                ),
            );
            return;
        };
        let mut ok = Vec::new();
        let mut bad = false;
        for item in items {
            match item.as_str() {
                Some(s) if choices.contains(&s) => ok.push(Value::String(s.to_owned())),
                _ => {
                    let shown = item
                        .as_str()
                        .map(str::to_owned)
                        .unwrap_or_else(|| item.to_string());
                    self.errors
                        .add(key, format!("\"{shown}\" is not a valid choice."));
                    bad = true;
                }
            }
        }
        if !bad {
            self.out.insert(key.to_owned(), Value::Array(ok));
        }
    }
}

pub(super) fn not_a_dict(value: &Value) -> String {
    format!(
        "Invalid data. Expected a dictionary, but got {}.",
        python_type_name(value)
    )
}

pub(super) fn as_integer(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9e15)
                .map(|f| f as i64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// DRF's `BooleanField` coercion (`true`, `"yes"`, `1`, ...).
pub fn as_bool(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => match n.as_i64() {
            Some(1) => Some(true),
            Some(0) => Some(false),
            _ => None,
        },
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "t" | "yes" | "y" | "on" | "1" => Some(true),
            "false" | "f" | "no" | "n" | "off" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// A pragmatic email check: one `@`, a non-empty local part, a dotted domain, no spaces.
pub fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && !local.contains('@')
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
}

/// An absolute http(s) URL with a host and no whitespace.
pub fn is_url(text: &str) -> bool {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    let Some(rest) = rest else { return false };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host_name = host.split(':').next().unwrap_or("");
    !host_name.is_empty()
        && host_name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-' || c == '[' || c == ']')
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
}
