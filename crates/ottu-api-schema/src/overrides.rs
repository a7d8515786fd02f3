//! Applying `overrides.json` to the derived schema: each override must still match what it
//! changes, so none can go stale.

use serde_json::{Map, Value};

pub(crate) fn cited(o: &Value) -> Result<(), String> {
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
pub(crate) fn apply(doc: &mut Value, o: &Value) -> Result<(), String> {
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
