//! The JSON Schema subset checker (see the crate docs for what it covers).

use std::collections::BTreeSet;

use regex::Regex;
use serde_json::{Map, Value};

use crate::Direction;

pub(crate) struct Checker<'a> {
    pub(crate) root: &'a Value,
    pub(crate) direction: Direction,
    pub(crate) errors: Vec<String>,
}

fn flag(schema: &Value, key: &str) -> bool {
    schema.get(key).and_then(Value::as_bool).unwrap_or(false)
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn format_ok(format: &str, s: &str) -> bool {
    let re = |pattern: &str| {
        Regex::new(pattern)
            .expect("a valid format pattern")
            .is_match(s)
    };
    match format {
        "uri" => re(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$"),
        "email" => re(r"^[^@\s]+@[^@\s]+$"),
        "date" => re(r"^\d{4}-\d{2}-\d{2}$"),
        "date-time" => {
            re(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?$")
        }
        "decimal" => re(r"^-?\d+(\.\d+)?$"),
        _ => true,
    }
}

impl<'a> Checker<'a> {
    fn resolve(&self, reference: &str) -> &'a Value {
        let target = reference
            .strip_prefix('#')
            .and_then(|pointer| self.root.pointer(pointer))
            .unwrap_or_else(|| panic!("unresolved $ref {reference}"));
        assert!(target.is_object(), "$ref {reference} is not a schema");
        target
    }

    /// `schema` with a `$ref` (and single-branch `allOf` wrappers) followed, for reading flags.
    fn deref(&self, mut schema: &'a Value) -> &'a Value {
        loop {
            if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
                schema = self.resolve(r);
            } else {
                return schema;
            }
        }
    }

    fn property_flag(&self, prop: &'a Value, key: &str) -> bool {
        flag(prop, key) || flag(self.deref(prop), key)
    }

    /// Property schemas of an object schema, its `$ref` and its `allOf` parts; `None` when any
    /// part admits additional properties or none describes properties.
    fn known_properties(&self, schema: &'a Value, known: &mut BTreeSet<String>) -> bool {
        let schema = self.deref(schema);
        if schema
            .get("additionalProperties")
            .is_some_and(|a| a != &Value::Bool(false))
        {
            return false;
        }
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            known.extend(props.keys().cloned());
        }
        schema
            .get("allOf")
            .and_then(Value::as_array)
            .is_none_or(|parts| parts.iter().all(|p| self.known_properties(p, known)))
    }

    fn matches(&mut self, schema: &'a Value, value: &Value, path: &str) -> Result<(), String> {
        let before = self.errors.len();
        self.check(schema, value, path, true);
        // The smallest, not the first: which error comes first depends on the order objects
        // iterate in (serde_json's `preserve_order`, switched on by another crate in the build).
        let first = self.errors[before..].iter().min().cloned();
        self.errors.truncate(before);
        first.map_or(Ok(()), Err)
    }

    /// `whole`: `schema` describes the whole value (not one `allOf` part of it), so keys no part
    /// describes can be judged here.
    pub(crate) fn check(&mut self, schema: &'a Value, value: &Value, path: &str, whole: bool) {
        let mut whole = whole;
        if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
            let target = self.resolve(r);
            self.check(target, value, path, whole);
            // The target judged unknown keys; the siblings of `$ref` are one more part.
            whole = false;
        }
        if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
            for part in parts {
                self.check(part, value, path, false);
            }
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(branches) = schema.get(key).and_then(Value::as_array) {
                let mut why = Vec::new();
                for (i, branch) in branches.iter().enumerate() {
                    match self.matches(branch, value, path) {
                        Ok(()) => {
                            why.clear();
                            break;
                        }
                        Err(e) => why.push(format!(
                            "{} {}",
                            branch.get("$ref").and_then(Value::as_str).map_or_else(
                                || format!("branch {i}:"),
                                |r| format!("{}:", r.trim_start_matches("#/components/schemas/"))
                            ),
                            e
                        )),
                    }
                }
                if !why.is_empty() {
                    self.errors.push(format!(
                        "{path}: matches no branch of {key} ({})",
                        why.join("; ")
                    ));
                }
            }
        }
        if let Some(not) = schema.get("not")
            && self.matches(not, value, path).is_ok()
        {
            self.errors.push(format!("{path}: matches a `not` schema"));
        }
        let actual = json_type(value);
        if let Some(types) = schema.get("type") {
            let mut allowed: Vec<&str> = match types {
                Value::String(t) => vec![t.as_str()],
                Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
                _ => vec![],
            };
            if flag(schema, "nullable") {
                allowed.push("null");
            }
            let ok =
                allowed.contains(&actual) || (actual == "integer" && allowed.contains(&"number"));
            if !ok {
                self.errors.push(format!(
                    "{path}: {actual} where the schema wants {}",
                    allowed.join(" or ")
                ));
                return;
            }
        }
        if value.is_null() && flag(schema, "nullable") {
            return;
        }
        if let Some(options) = schema.get("enum").and_then(Value::as_array)
            && !options.contains(value)
        {
            self.errors
                .push(format!("{path}: {value} is not one of the enum's values"));
        }
        if let Some(expected) = schema.get("const")
            && expected != value
        {
            self.errors
                .push(format!("{path}: {value} is not {expected}"));
        }
        match value {
            Value::String(s) => self.check_string(schema, s, path),
            Value::Number(n) => {
                let n = n.as_f64().unwrap_or(f64::NAN);
                if let Some(max) = schema.get("maximum").and_then(Value::as_f64)
                    && n > max
                {
                    self.errors
                        .push(format!("{path}: {n} is above the maximum {max}"));
                }
                if let Some(min) = schema.get("minimum").and_then(Value::as_f64)
                    && n < min
                {
                    self.errors
                        .push(format!("{path}: {n} is below the minimum {min}"));
                }
            }
            Value::Array(items) => self.check_array(schema, items, path),
            Value::Object(map) => self.check_object(schema, map, path, whole),
            Value::Bool(_) | Value::Null => {}
        }
    }

    fn check_string(&mut self, schema: &Value, s: &str, path: &str) {
        let len = s.chars().count() as u64;
        if let Some(max) = schema.get("maxLength").and_then(Value::as_u64)
            && len > max
        {
            self.errors.push(format!(
                "{path}: {len} characters, more than maxLength {max}"
            ));
        }
        if let Some(min) = schema.get("minLength").and_then(Value::as_u64)
            && len < min
        {
            self.errors.push(format!(
                "{path}: {len} characters, fewer than minLength {min}"
            ));
        }
        if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
            let re = Regex::new(pattern).unwrap_or_else(|e| panic!("pattern {pattern}: {e}"));
            if !re.is_match(s) {
                self.errors.push(format!(
                    "{path}: {s:?} does not match the pattern {pattern}"
                ));
            }
        }
        if let Some(format) = schema.get("format").and_then(Value::as_str)
            && !format_ok(format, s)
        {
            self.errors
                .push(format!("{path}: {s:?} is not a valid {format}"));
        }
    }

    fn check_array(&mut self, schema: &'a Value, items: &[Value], path: &str) {
        if let Some(max) = schema.get("maxItems").and_then(Value::as_u64)
            && items.len() as u64 > max
        {
            self.errors
                .push(format!("{path}: more than maxItems {max}"));
        }
        if let Some(min) = schema.get("minItems").and_then(Value::as_u64)
            && (items.len() as u64) < min
        {
            self.errors
                .push(format!("{path}: fewer than minItems {min}"));
        }
        if flag(schema, "uniqueItems") {
            let distinct: BTreeSet<String> = items.iter().map(Value::to_string).collect();
            if distinct.len() != items.len() {
                self.errors.push(format!("{path}: items are not unique"));
            }
        }
        if let Some(item) = schema.get("items") {
            for (i, v) in items.iter().enumerate() {
                self.check(item, v, &format!("{path}[{i}]"), true);
            }
        }
    }

    fn check_object(
        &mut self,
        schema: &'a Value,
        map: &Map<String, Value>,
        path: &str,
        whole: bool,
    ) {
        let (not_sent, side) = match self.direction {
            Direction::Request => ("readOnly", "request"),
            Direction::Response => ("writeOnly", "response"),
        };
        let props = schema.get("properties").and_then(Value::as_object);
        if let Some(required) = schema.get("required").and_then(Value::as_array) {
            for key in required.iter().filter_map(Value::as_str) {
                let exempt = props
                    .and_then(|p| p.get(key))
                    .is_some_and(|p| self.property_flag(p, not_sent));
                if !map.contains_key(key) && !exempt {
                    self.errors
                        .push(format!("{path}.{key}: required but absent"));
                }
            }
        }
        for (key, v) in map {
            let here = format!("{path}.{key}");
            match props.and_then(|p| p.get(key)) {
                Some(prop) => {
                    if self.property_flag(prop, not_sent) {
                        self.errors
                            .push(format!("{here}: {not_sent}, so not part of a {side}"));
                    }
                    self.check(prop, v, &here, true);
                }
                None => match schema.get("additionalProperties") {
                    Some(Value::Bool(false)) => {
                        self.errors
                            .push(format!("{here}: not allowed (additionalProperties)"));
                    }
                    Some(extra @ Value::Object(_)) => self.check(extra, v, &here, true),
                    _ => {}
                },
            }
        }
        if whole && self.direction == Direction::Request {
            let mut known = BTreeSet::new();
            if self.known_properties(schema, &mut known) && !known.is_empty() {
                for key in map.keys().filter(|k| !known.contains(*k)) {
                    self.errors.push(format!(
                        "{path}.{key}: not in Ottu's schema (it would be ignored)"
                    ));
                }
            }
        }
    }
}
