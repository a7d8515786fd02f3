//! The checker and the overrides on small hand-written documents.

use super::*;
use crate::overrides::apply;
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
    let ok = json!({"id": "a", "secret": true, "one": [{"x": 1}], "more": {}, "link": "https://x"});
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
