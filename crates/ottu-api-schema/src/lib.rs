//! Checks JSON bodies against `spec/ottu-api/schema.json`, the prose-free schema derived from
//! Ottu's OpenAPI document by `scripts/derive-ottu-schema.py`, after applying
//! `spec/ottu-api/overrides.json` (where Ottu's document is wrong or silent, each with a source).
//!
//! Test support only: `ottu-checkout` and `ottu-sandbox` take it as a dev-dependency, so the
//! checker exists once and nothing shipped depends on it. Tests pass the spec folder
//! ([`spec_dir`]) and fail when [`Spec::load`] does: a missing or malformed file, or an override
//! that no longer matches the schema (so none can go stale).
//!
//! The checker covers the JSON Schema subset the derived schema uses: local `$ref`, `allOf`,
//! `oneOf`/`anyOf` (at least one branch: Ottu's branches overlap, e.g. its schematic
//! `FieldErrors` has no required key), `type` (single, list, `nullable`), `enum`, `const`,
//! `properties`, `required`, `additionalProperties`, `items`, `maxLength`/`minLength`,
//! `maximum`/`minimum`, `maxItems`/`minItems`, `pattern` and the formats `uri`, `email`, `date`,
//! `date-time` and `decimal`. OpenAPI's `readOnly` fields are not required in (and not accepted
//! from) requests; `writeOnly` fields are not required in (and not accepted from) responses.
//! Requests are checked strictly (a key the schema does not describe is an error: Ottu would
//! ignore it silently, digest §19.11); responses accept unknown keys (digest §5.1).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use regex::Regex;
use serde_json::{Map, Value};

/// `format` of `schema.json` this checker reads.
pub const SCHEMA_FORMAT: &str = "ottu-pos/derived-openapi-schema/1";
/// `format` of `overrides.json` this checker reads.
pub const OVERRIDES_FORMAT: &str = "ottu-pos/schema-overrides/1";

const REGENERATE: &str = "regenerate it with `python3 scripts/derive-ottu-schema.py \
                          <path-to-ottu-openapi.yaml>` (see spec/ottu-api/README.md)";

/// `spec/ottu-api/` of the repository, given a crate's directory (`crates/<name>`).
pub fn spec_dir(manifest_dir: &Path) -> PathBuf {
    manifest_dir.join("../../spec/ottu-api")
}

/// The directory of the crate whose tests are running: Cargo's `CARGO_MANIFEST_DIR` at run time,
/// else `compile_time` (pass `env!("CARGO_MANIFEST_DIR")`). The run-time value comes first because
/// a test binary built by another checkout sharing the target directory would point there.
pub fn manifest_dir(compile_time: &str) -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(compile_time))
}

/// Which side of an exchange a body is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Sent to Ottu: strict about unknown keys; `readOnly` fields neither required nor accepted.
    Request,
    /// Sent by Ottu: unknown keys accepted; `writeOnly` fields neither required nor accepted.
    Response,
}

/// A fixture whose known deviations are listed in the overrides file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixtureException {
    pub fixture: String,
    /// What the fixture is checked as, e.g. `GET /b/checkout/v1/pymt-txn/{session_id}/ 200`.
    pub used_as: String,
    /// The checker's errors, exactly.
    pub errors: Vec<String>,
}

/// The derived schema with the overrides applied.
#[derive(Debug)]
pub struct Spec {
    doc: Value,
    fixture_exceptions: Vec<FixtureException>,
    overrides_applied: usize,
}

fn read_json(path: &Path, what: &str, remedy: &str) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "{} is missing or unreadable ({e}): it is {what}, committed in the repository; {remedy}",
            path.display()
        )
    })?;
    serde_json::from_str(&text).map_err(|e| format!("{} is not valid JSON: {e}", path.display()))
}

impl Spec {
    /// Reads `schema.json` and `overrides.json` from `dir` and applies the overrides. Fails when
    /// either file is missing or malformed, when the schema lacks its source's SHA-256, or when
    /// an override matches nothing.
    pub fn load(dir: &Path) -> Result<Spec, String> {
        let mut doc = read_json(
            &dir.join("schema.json"),
            "the schema derived from Ottu's OpenAPI document",
            REGENERATE,
        )?;
        if doc["format"] != SCHEMA_FORMAT {
            return Err(format!(
                "schema.json: format is {}, this checker reads {SCHEMA_FORMAT}",
                doc["format"]
            ));
        }
        let sha = doc["source"]["sha256"].as_str().unwrap_or_default();
        if sha.len() != 64
            || !sha
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return Err(format!(
                "schema.json: source.sha256 must be the source document's SHA-256 (64 lower-case \
                 hex digits), found {}; {REGENERATE}",
                doc["source"]["sha256"]
            ));
        }
        for key in ["title", "version", "openapi"] {
            if !doc["source"][key].is_string() {
                return Err(format!(
                    "schema.json: source.{key} is missing; {REGENERATE}"
                ));
            }
        }
        let overrides = read_json(
            &dir.join("overrides.json"),
            "the hand-written list of corrections to Ottu's schema",
            "restore it from git (spec/ottu-api/README.md describes it)",
        )?;
        if overrides["format"] != OVERRIDES_FORMAT {
            return Err(format!(
                "overrides.json: format is {}, this checker reads {OVERRIDES_FORMAT}",
                overrides["format"]
            ));
        }
        let mut problems = Vec::new();
        let list = overrides["schema_overrides"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for (i, o) in list.iter().enumerate() {
            if let Err(e) = cited(o).and_then(|()| apply(&mut doc, o)) {
                problems.push(format!("schema_overrides[{i}] ({}): {e}", o["target"]));
            }
        }
        let mut fixture_exceptions = Vec::new();
        let fixtures = overrides["fixture_exceptions"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for (i, f) in fixtures.iter().enumerate() {
            let parsed = cited(f).and_then(|()| {
                let text = |k: &str| {
                    f[k].as_str()
                        .map(str::to_owned)
                        .ok_or_else(|| format!("`{k}` must be a string"))
                };
                let errors = f["errors"]
                    .as_array()
                    .filter(|e| !e.is_empty())
                    .ok_or("`errors` must list the checker's errors")?;
                Ok(FixtureException {
                    fixture: text("fixture")?,
                    used_as: text("used_as")?,
                    errors: errors
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect(),
                })
            });
            match parsed {
                Ok(e) => fixture_exceptions.push(e),
                Err(e) => problems.push(format!("fixture_exceptions[{i}]: {e}")),
            }
        }
        if !problems.is_empty() {
            return Err(format!(
                "spec/ottu-api/overrides.json does not fit schema.json (fix or delete these \
                 entries):\n  {}",
                problems.join("\n  ")
            ));
        }
        Ok(Spec {
            doc,
            fixture_exceptions,
            overrides_applied: list.len(),
        })
    }

    /// `source` of the schema: `sha256`, `title`, `version`, `openapi`, `file`.
    pub fn source(&self) -> &Value {
        &self.doc["source"]
    }

    /// How many schema overrides were applied.
    pub fn overrides_applied(&self) -> usize {
        self.overrides_applied
    }

    /// The fixtures whose deviations are listed in the overrides file.
    pub fn fixture_exceptions(&self) -> &[FixtureException] {
        &self.fixture_exceptions
    }

    fn operation(&self, method: &str, path: &str) -> Result<&Value, String> {
        let op = &self.doc["paths"][path][method.to_ascii_lowercase()];
        if op.is_object() {
            Ok(op)
        } else {
            Err(format!("{method} {path} is not in the derived schema"))
        }
    }

    /// The request body schema of `method path`.
    pub fn request_schema(&self, method: &str, path: &str) -> Result<&Value, String> {
        let schema = &self.operation(method, path)?["request"]["schema"];
        if schema.is_object() {
            Ok(schema)
        } else {
            Err(format!(
                "{method} {path} has no request body in Ottu's document"
            ))
        }
    }

    /// The response body schema of `method path` for `status`.
    pub fn response_schema(&self, method: &str, path: &str, status: u16) -> Result<&Value, String> {
        let schema = &self.operation(method, path)?["responses"][status.to_string()]["schema"];
        if schema.is_object() {
            Ok(schema)
        } else {
            Err(format!(
                "{method} {path}: Ottu's document has no body for status {status}"
            ))
        }
    }

    /// The statuses Ottu's document lists for `method path` (after overrides).
    pub fn statuses(&self, method: &str, path: &str) -> Vec<u16> {
        self.operation(method, path)
            .ok()
            .and_then(|op| op["responses"].as_object())
            .map(|r| r.keys().filter_map(|k| k.parse().ok()).collect())
            .unwrap_or_default()
    }

    /// Errors of a request body of `method path` (empty when it conforms).
    ///
    /// # Panics
    /// When the endpoint has no request body in the schema.
    pub fn check_request(&self, method: &str, path: &str, body: &Value) -> Vec<String> {
        let schema = self
            .request_schema(method, path)
            .unwrap_or_else(|e| panic!("{e}"));
        self.check(schema, Direction::Request, body)
    }

    /// Errors of a response body of `method path` with `status` (empty when it conforms).
    ///
    /// # Panics
    /// When the schema has no body for that status.
    pub fn check_response(
        &self,
        method: &str,
        path: &str,
        status: u16,
        body: &Value,
    ) -> Vec<String> {
        let schema = self
            .response_schema(method, path, status)
            .unwrap_or_else(|e| panic!("{e}"));
        self.check(schema, Direction::Response, body)
    }

    /// Errors of `body` against the component schema `name`.
    ///
    /// # Panics
    /// When there is no such component.
    pub fn check_component(&self, name: &str, direction: Direction, body: &Value) -> Vec<String> {
        let schema = &self.doc["components"]["schemas"][name];
        assert!(
            schema.is_object(),
            "component schema {name} is not in the derived schema"
        );
        self.check(schema, direction, body)
    }

    /// Errors of `body` against any schema of this document.
    pub fn check(&self, schema: &Value, direction: Direction, body: &Value) -> Vec<String> {
        let mut checker = Checker {
            root: &self.doc,
            direction,
            errors: Vec::new(),
        };
        checker.check(schema, body, "$", true);
        // Sorted: the order JSON objects iterate in depends on serde_json's `preserve_order`
        // feature, which another crate in the same build may switch on.
        checker.errors.sort();
        checker.errors
    }
}

fn cited(o: &Value) -> Result<(), String> {
    for key in ["why", "source"] {
        if o[key].as_str().is_none_or(|s| s.trim().is_empty()) {
            return Err(format!(
                "`{key}` is required (what it does and where that is stated)"
            ));
        }
    }
    Ok(())
}

fn component<'a>(doc: &'a mut Value, name: &str) -> Result<&'a mut Map<String, Value>, String> {
    doc["components"]["schemas"]
        .get_mut(name)
        .and_then(Value::as_object_mut)
        .ok_or_else(|| format!("no component schema {name}"))
}

fn fields(o: &Value) -> Result<Vec<&str>, String> {
    let list: Vec<&str> = match (&o["field"], &o["fields"]) {
        (Value::String(f), Value::Null) => vec![f.as_str()],
        (Value::Null, Value::Array(fs)) => fs.iter().filter_map(Value::as_str).collect(),
        _ => return Err("needs `field` (a string) or `fields` (a list)".into()),
    };
    if list.is_empty() {
        return Err("`fields` is empty".into());
    }
    Ok(list)
}

/// Applies one override to the derived schema; an error means it no longer matches.
fn apply(doc: &mut Value, o: &Value) -> Result<(), String> {
    let target = o["target"].as_str().ok_or("`target` must be a string")?;
    let action = o["action"].as_str().ok_or("`action` must be a string")?;
    match action {
        // Drop fields from `required` (conditional or read-only outputs Ottu marks required).
        "not_required" => {
            let schema = component(doc, target)?;
            let required = schema
                .get_mut("required")
                .and_then(Value::as_array_mut)
                .ok_or_else(|| format!("{target} has no `required` list"))?;
            for field in fields(o)? {
                let before = required.len();
                required.retain(|v| v != field);
                if required.len() == before {
                    return Err(format!("{target}.required does not list {field}"));
                }
            }
            Ok(())
        }
        // Make described fields required where the docs show them always present.
        "required" => {
            let schema = component(doc, target)?;
            let described: Vec<String> = schema
                .get("properties")
                .and_then(Value::as_object)
                .map(|p| p.keys().cloned().collect())
                .unwrap_or_default();
            let required = schema
                .entry("required")
                .or_insert_with(|| Value::Array(Vec::new()))
                .as_array_mut()
                .ok_or_else(|| format!("{target}.required is not a list"))?;
            for field in fields(o)? {
                if !described.iter().any(|d| d == field) {
                    return Err(format!("{target} has no property {field}"));
                }
                if required.iter().any(|v| v == field) {
                    return Err(format!("{target}.required already lists {field}"));
                }
                required.push(Value::String(field.to_owned()));
            }
            Ok(())
        }
        // A property Ottu types as one value that is really a list of them.
        "array_of" => {
            let schema = component(doc, target)?;
            for field in fields(o)? {
                let prop = schema
                    .get_mut("properties")
                    .and_then(|p| p.get_mut(field))
                    .ok_or_else(|| format!("{target} has no property {field}"))?;
                if prop["type"] == "array" {
                    return Err(format!("{target}.{field} is already an array"));
                }
                let mut item = prop.take();
                let mut array = serde_json::json!({"type": "array"});
                // Read/write-only flags describe the property, not each item.
                for flag in ["readOnly", "writeOnly"] {
                    if let Some(v) = item.as_object_mut().and_then(|i| i.remove(flag)) {
                        array[flag] = v;
                    }
                }
                array["items"] = item;
                *prop = array;
            }
            Ok(())
        }
        // A property only the docs describe.
        "add_property" => {
            let with = o
                .get("with")
                .ok_or("`with` (the property's schema) is required")?;
            let schema = component(doc, target)?;
            let props = schema
                .entry("properties")
                .or_insert_with(|| Value::Object(Map::new()))
                .as_object_mut()
                .ok_or_else(|| format!("{target}.properties is not an object"))?;
            for field in fields(o)? {
                if props.contains_key(field) {
                    return Err(format!("{target} already has property {field}"));
                }
                props.insert(field.to_owned(), with.clone());
            }
            Ok(())
        }
        // A schema that describes its shape schematically: replaced when it is still `was`.
        "replace" => {
            let was = o
                .get("was")
                .ok_or("`was` (the schema replaced) is required")?;
            let with = o
                .get("with")
                .ok_or("`with` (the replacement) is required")?;
            let schema = component(doc, target)?;
            if &Value::Object(schema.clone()) != was {
                return Err(format!("{target} is no longer the `was` schema"));
            }
            *schema = with
                .as_object()
                .cloned()
                .ok_or("`with` must be an object")?;
            Ok(())
        }
        // A status the docs describe for this endpoint that the OpenAPI document does not list.
        "add_response" => {
            let (method, path) = target
                .split_once(' ')
                .ok_or("target must be `METHOD /path/`")?;
            let with = o
                .get("with")
                .ok_or("`with` (the body schema) is required")?;
            let statuses = o["statuses"]
                .as_array()
                .filter(|s| !s.is_empty())
                .ok_or("`statuses` must list status codes")?;
            let responses = doc["paths"]
                .get_mut(path)
                .and_then(|p| p.get_mut(method.to_ascii_lowercase()))
                .and_then(|op| op.get_mut("responses"))
                .and_then(Value::as_object_mut)
                .ok_or_else(|| format!("{target} is not in the derived schema"))?;
            for status in statuses {
                let status = status.as_str().ok_or("statuses are strings")?;
                if responses.contains_key(status) {
                    return Err(format!("{target} already documents {status}"));
                }
                responses.insert(
                    status.to_owned(),
                    serde_json::json!({"media_types": ["application/json"], "schema": with}),
                );
            }
            Ok(())
        }
        other => Err(format!("unknown action {other:?}")),
    }
}

struct Checker<'a> {
    root: &'a Value,
    direction: Direction,
    errors: Vec<String>,
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
    fn check(&mut self, schema: &'a Value, value: &Value, path: &str, whole: bool) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec(doc: Value) -> Spec {
        Spec {
            doc,
            fixture_exceptions: Vec::new(),
            overrides_applied: 0,
        }
    }

    fn doc() -> Value {
        json!({
            "format": SCHEMA_FORMAT,
            "components": {"schemas": {
                "Thing": {"type": "object", "required": ["id", "state", "secret"], "properties": {
                    "id": {"type": "string", "readOnly": true, "maxLength": 4},
                    "state": {"type": "string", "enum": ["a", "b"]},
                    "secret": {"type": "boolean", "writeOnly": true},
                    "link": {"type": "string", "format": "uri"},
                    "amount": {"type": "string", "pattern": "^\\d+$"},
                    "one": {"allOf": [{"$ref": "#/components/schemas/Part"}], "readOnly": true}
                }},
                "Part": {"type": "object", "properties": {"x": {"type": "integer", "minimum": 1}}},
                "Either": {"oneOf": [{"$ref": "#/components/schemas/Part"}, {"type": "string"}]}
            }}
        })
    }

    #[test]
    fn responses_need_read_only_fields_and_refuse_write_only_ones() {
        let s = spec(doc());
        let ok = json!({"id": "ab", "state": "a", "one": {"x": 2}, "unknown": 1});
        assert_eq!(
            s.check_component("Thing", Direction::Response, &ok),
            Vec::<String>::new()
        );
        let bad = json!({"state": "c", "secret": true, "link": "nope", "amount": "1.5",
            "one": {"x": 0}, "id": "abcde"});
        assert_eq!(
            s.check_component("Thing", Direction::Response, &bad),
            vec![
                "$.amount: \"1.5\" does not match the pattern ^\\d+$",
                "$.id: 5 characters, more than maxLength 4",
                "$.link: \"nope\" is not a valid uri",
                "$.one.x: 0 is below the minimum 1",
                "$.secret: writeOnly, so not part of a response",
                "$.state: \"c\" is not one of the enum's values",
            ]
        );
    }

    #[test]
    fn requests_skip_read_only_fields_and_refuse_unknown_keys() {
        let s = spec(doc());
        let ok = json!({"state": "b", "secret": false});
        assert_eq!(
            s.check_component("Thing", Direction::Request, &ok),
            Vec::<String>::new()
        );
        let bad = json!({"state": "b", "secret": false, "id": "x", "extra": 1});
        assert_eq!(
            s.check_component("Thing", Direction::Request, &bad),
            vec![
                "$.extra: not in Ottu's schema (it would be ignored)",
                "$.id: readOnly, so not part of a request",
            ]
        );
    }

    #[test]
    fn one_of_needs_a_matching_branch_and_says_why_none_did() {
        let s = spec(doc());
        assert!(
            s.check_component("Either", Direction::Response, &json!("s"))
                .is_empty()
        );
        assert!(
            s.check_component("Either", Direction::Response, &json!({"x": 3}))
                .is_empty()
        );
        assert_eq!(
            s.check_component("Either", Direction::Response, &json!({"x": 0})),
            vec![
                "$: matches no branch of oneOf (Part: $.x: 0 is below the minimum 1; branch 1: \
                 $: object where the schema wants string)"
            ]
        );
    }

    #[test]
    fn overrides_apply_and_fail_when_stale() {
        let mut d = doc();
        let cite = |o: Value| {
            let mut o = o;
            o["why"] = json!("w");
            o["source"] = json!("digest §0");
            o
        };
        apply(
            &mut d,
            &cite(json!({"target": "Thing", "action": "not_required", "fields": ["state"]})),
        )
        .unwrap();
        assert!(
            apply(
                &mut d,
                &json!({"target": "Thing", "action": "not_required", "field": "state"})
            )
            .unwrap_err()
            .contains("does not list state")
        );
        apply(
            &mut d,
            &json!({"target": "Thing", "action": "array_of", "field": "one"}),
        )
        .unwrap();
        let one = &d["components"]["schemas"]["Thing"]["properties"]["one"];
        assert_eq!(
            one["readOnly"], true,
            "the flag stays on the property: {one}"
        );
        assert!(one["items"].get("readOnly").is_none(), "{one}");
        assert!(
            apply(
                &mut d,
                &json!({"target": "Thing", "action": "array_of", "field": "one"})
            )
            .unwrap_err()
            .contains("already an array")
        );
        let add = json!({"target": "Thing", "action": "add_property", "field": "more",
            "with": {"type": "object"}});
        apply(&mut d, &add).unwrap();
        assert!(apply(&mut d, &add).unwrap_err().contains("already has"));
        let replace = json!({"target": "Part", "action": "replace", "was": d["components"]["schemas"]["Part"].clone(),
            "with": {"type": "object", "additionalProperties": {"type": "integer"}}});
        apply(&mut d, &replace).unwrap();
        assert!(apply(&mut d, &replace).unwrap_err().contains("no longer"));
        assert!(
            apply(
                &mut d,
                &json!({"target": "Nope", "action": "not_required", "field": "a"})
            )
            .is_err()
        );
        let require = json!({"target": "Part", "action": "required", "field": "x"});
        assert!(
            apply(&mut d, &require).is_err(),
            "Part was replaced: no x property"
        );
        let require = json!({"target": "Thing", "action": "required", "field": "link"});
        apply(&mut d, &require).unwrap();
        assert!(
            apply(&mut d, &require)
                .unwrap_err()
                .contains("already lists")
        );
        assert!(cited(&json!({"why": "x"})).is_err());
        let s = spec(d);
        let ok =
            json!({"id": "a", "secret": true, "one": [{"x": 1}], "more": {}, "link": "https://x"});
        assert_eq!(
            s.check_component("Thing", Direction::Response, &ok).len(),
            1,
            "secret"
        );
        assert_eq!(
            s.check_component("Part", Direction::Response, &json!({"a": 1, "b": "2"})),
            vec!["$.b: string where the schema wants integer"]
        );
    }

    #[test]
    fn a_missing_spec_folder_fails_to_load_with_the_regeneration_command() {
        let err = Spec::load(Path::new("/nonexistent/spec")).unwrap_err();
        assert!(err.contains("schema.json is missing"), "{err}");
        assert!(err.contains("scripts/derive-ottu-schema.py"), "{err}");
    }
}
