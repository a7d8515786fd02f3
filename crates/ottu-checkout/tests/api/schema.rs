//! Every fixture in `fixtures/checkout/` checked against the schema derived from Ottu's OpenAPI
//! document (`spec/ottu-api/schema.json` plus `overrides.json`): requests against the request
//! schema, answers against the schema of their status, errors against the error schemas. A
//! fixture that deviates on purpose (a shape only the docs or real servers show) is listed with
//! its exact errors and a source under `fixture_exceptions` in the overrides file.

use std::collections::BTreeSet;

use ottu_api_schema::{Direction, Spec};

use crate::helpers::{fixture_json, manifest_dir};

const CREATE: &str = "/b/checkout/v1/pymt-txn/";
const SESSION: &str = "/b/checkout/v1/pymt-txn/{session_id}/";
const UPLOAD: &str = "/b/checkout/v1/upload-attachment/";
const OPERATION: &str = "/b/pbl/v2/operation/";
const PAYMENT_METHODS: &str = "/b/pbl/v2/payment-methods/";
const INQUIRY: &str = "/b/pbl/v2/inquiry/";
const CASH: &str = "/b/pbl/v2/payment/cash/";
const CASH_DEPRECATED: &str = "/b/pbl/v2/cash-payment/";
const REPORTS: &str = "/b/api/v1/reports/files/";

/// What a fixture is checked as.
#[derive(Debug, Clone, Copy)]
enum Use {
    Request(&'static str, &'static str),
    Response(&'static str, &'static str, u16),
    /// A body no endpoint returns, e.g. the payment webhook (`SchemaWebhook`, the inquiry answer).
    Component(&'static str),
}

impl Use {
    fn label(self) -> String {
        match self {
            Use::Request(method, path) => format!("{method} {path} request"),
            Use::Response(method, path, status) => format!("{method} {path} {status}"),
            Use::Component(name) => format!("component {name}"),
        }
    }

    /// The checker's errors, or why there is no schema to check against.
    fn check(self, spec: &Spec, body: &serde_json::Value) -> Result<Vec<String>, String> {
        Ok(match self {
            Use::Request(method, path) => {
                spec.check(spec.request_schema(method, path)?, Direction::Request, body)
            }
            Use::Response(method, path, status) => spec.check(
                spec.response_schema(method, path, status)?,
                Direction::Response,
                body,
            ),
            Use::Component(name) => spec.check_component(name, Direction::Response, body),
        })
    }
}

/// Each fixture and what the client's tests use it as (fixtures/checkout/README.md).
fn uses() -> Vec<(&'static str, Vec<Use>)> {
    use Use::{Component, Request, Response};
    vec![
        (
            "cash_request.json",
            vec![Request("POST", CASH), Request("POST", CASH_DEPRECATED)],
        ),
        (
            "cash_response_cod.json",
            vec![
                Response("POST", CASH, 200),
                Response("POST", CASH_DEPRECATED, 200),
            ],
        ),
        ("cash_error_already.json", vec![Response("POST", CASH, 400)]),
        (
            "cash_error_unknown_session.json",
            vec![Response("POST", CASH, 400)],
        ),
        (
            "reports_list_response.json",
            vec![Response("GET", REPORTS, 200)],
        ),
        (
            "reports_list_error_400.json",
            vec![Response("GET", REPORTS, 400)],
        ),
        (
            "create_request_all_fields.json",
            vec![Request("POST", CREATE)],
        ),
        ("create_request_pos.json", vec![Request("POST", CREATE)]),
        (
            "create_response_201.json",
            vec![Response("POST", CREATE, 201)],
        ),
        (
            "create_response_all_fields.json",
            vec![Response("POST", CREATE, 201)],
        ),
        (
            "error_400_field_errors.json",
            vec![Response("POST", CREATE, 400)],
        ),
        (
            "error_400_list_wrapped_detail.json",
            vec![Response("PATCH", SESSION, 400)],
        ),
        (
            "error_400_nested_field_errors.json",
            vec![Response("POST", CREATE, 400)],
        ),
        (
            "error_400_operation_failure.json",
            vec![Response("POST", OPERATION, 400)],
        ),
        ("error_401.json", vec![Response("POST", CREATE, 401)]),
        (
            "error_401_invalid.json",
            vec![Response("POST", CREATE, 401)],
        ),
        (
            "error_403.json",
            vec![
                Response("POST", CREATE, 403),
                Response("POST", OPERATION, 403),
                Response("POST", PAYMENT_METHODS, 403),
            ],
        ),
        ("error_404.json", vec![Response("GET", SESSION, 404)]),
        ("error_405.json", vec![Response("POST", OPERATION, 405)]),
        ("error_415.json", vec![Response("POST", CREATE, 415)]),
        ("error_423.json", vec![Response("POST", CREATE, 423)]),
        ("error_429.json", vec![Response("POST", CREATE, 429)]),
        ("error_envelope.json", vec![Response("POST", CREATE, 400)]),
        (
            "inquiry_error_400.json",
            vec![Response("POST", INQUIRY, 400)],
        ),
        (
            "inquiry_request_by_order_no.json",
            vec![Request("POST", INQUIRY)],
        ),
        (
            "inquiry_response_paid.json",
            vec![Response("POST", INQUIRY, 200)],
        ),
        (
            "operation_cancel_request.json",
            vec![Request("POST", OPERATION)],
        ),
        (
            "operation_cancel_response.json",
            vec![Response("POST", OPERATION, 200)],
        ),
        (
            "operation_error_field.json",
            vec![Response("POST", OPERATION, 400)],
        ),
        (
            "operation_expire_request_by_order_no.json",
            vec![Request("POST", OPERATION)],
        ),
        (
            "operation_expire_response.json",
            vec![Response("POST", OPERATION, 200)],
        ),
        (
            "payment_methods_error_400.json",
            vec![Response("POST", PAYMENT_METHODS, 400)],
        ),
        (
            "payment_methods_request.json",
            vec![Request("POST", PAYMENT_METHODS)],
        ),
        (
            "payment_methods_response.json",
            vec![Response("POST", PAYMENT_METHODS, 200)],
        ),
        (
            "retrieve_response_paid_sparse.json",
            vec![Response("GET", SESSION, 200)],
        ),
        (
            "retrieve_response_unknown_state.json",
            vec![Response("GET", SESSION, 200)],
        ),
        (
            "upload_error_both_ids.json",
            vec![Response("POST", UPLOAD, 400)],
        ),
        (
            "upload_error_extension.json",
            vec![Response("POST", UPLOAD, 400)],
        ),
        (
            "upload_error_list_wrapped.json",
            vec![Response("POST", UPLOAD, 400)],
        ),
        (
            "upload_error_no_file.json",
            vec![Response("POST", UPLOAD, 400)],
        ),
        (
            "upload_error_shortify_without_id.json",
            vec![Response("POST", UPLOAD, 400)],
        ),
        (
            "upload_error_unknown_order_no.json",
            vec![Response("POST", UPLOAD, 400)],
        ),
        (
            "upload_error_unknown_session_id.json",
            vec![Response("POST", UPLOAD, 400)],
        ),
        ("upload_response.json", vec![Response("POST", UPLOAD, 200)]),
        (
            "upload_response_short.json",
            vec![Response("POST", UPLOAD, 200)],
        ),
        (
            "webhook_payment_paid.json",
            vec![Component("SchemaWebhook")],
        ),
    ]
}

/// Not an API body: key, payload, message and hex of the signature examples (digest §13.2).
const NOT_BODIES: &[&str] = &["webhook_signature_vectors.json", "reports_file_messy.csv"];

fn spec() -> Spec {
    let dir = ottu_api_schema::spec_dir(&manifest_dir());
    Spec::load(&dir).unwrap_or_else(|e| panic!("the committed Ottu API schema: {e}"))
}

#[test]
fn every_fixture_conforms_to_ottus_schema_or_is_a_listed_exception() {
    let spec = spec();
    let mut failures = Vec::new();
    let mut excepted = BTreeSet::new();
    for (name, uses) in uses() {
        let body = fixture_json(name);
        for usage in uses {
            let label = usage.label();
            let errors = match usage.check(&spec, &body) {
                Ok(errors) => errors,
                Err(e) => {
                    failures.push(format!("{name} as {label}: {e}"));
                    continue;
                }
            };
            let exception = spec
                .fixture_exceptions()
                .iter()
                .find(|e| e.fixture == name && e.used_as == label);
            match exception {
                Some(e) => {
                    excepted.insert((name, label.clone()));
                    // Compared as sets: the checker's errors come sorted.
                    let mut listed = e.errors.clone();
                    listed.sort();
                    if listed != errors {
                        failures.push(format!(
                            "{name} as {label}: overrides.json lists {:#?}, the checker finds {errors:#?}",
                            e.errors
                        ));
                    }
                }
                None if !errors.is_empty() => {
                    failures.push(format!("{name} as {label}: {errors:#?}"));
                }
                None => {}
            }
        }
    }
    for e in spec.fixture_exceptions() {
        if !excepted.contains(&(e.fixture.as_str(), e.used_as.clone())) {
            failures.push(format!(
                "overrides.json lists {} as {}, which this test does not check (stale entry)",
                e.fixture, e.used_as
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "fixtures that do not conform to spec/ottu-api/schema.json (fix the fixture, or list it \
         under fixture_exceptions in spec/ottu-api/overrides.json with a source):\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_fixture_is_checked() {
    let dir = manifest_dir().join("../../fixtures/checkout");
    let checked: BTreeSet<&str> = uses().iter().map(|(name, _)| *name).collect();
    let mut unchecked = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("fixtures/checkout") {
        let name = entry.expect("a directory entry").file_name();
        let name = name.to_string_lossy().into_owned();
        if name.ends_with(".json")
            && !checked.contains(name.as_str())
            && !NOT_BODIES.contains(&name.as_str())
        {
            unchecked.push(name);
        }
    }
    assert!(
        unchecked.is_empty(),
        "fixtures with no schema check: {unchecked:?} (add them to uses() in tests/api/schema.rs)"
    );
}

#[test]
fn the_schema_records_its_source() {
    let spec = spec();
    let source = spec.source();
    assert_eq!(source["title"], "Ottu API");
    assert_eq!(
        source["sha256"].as_str().map(str::len),
        Some(64),
        "{source}"
    );
}
