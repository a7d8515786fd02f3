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
//!
//! # Layout
//! - `lib.rs`: [`Spec`] (loading both files, the fixture exceptions, checking a body), the paths.
//! - `overrides`: applying `overrides.json` entry by entry, each required to still match.
//! - `checker`: the JSON Schema subset above.
//! - `tests`: the checker and the overrides on small hand-written documents.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::checker::Checker;
use crate::overrides::{apply, cited};

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

mod checker;
mod overrides;
#[cfg(test)]
mod tests;
