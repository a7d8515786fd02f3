#!/usr/bin/env python3
"""Derive `spec/ottu-api/schema.json` from Ottu's OpenAPI document.

The result holds only what a checker needs for the endpoints this project calls (the client,
`crates/ottu-checkout/src`, and the sandbox routes, `crates/ottu-sandbox/src/routes`): paths,
methods, parameters, request and response bodies per status, and the component schemas they
reach, with field names, types, `required`, enums and limits. Descriptions, titles, examples,
defaults and vendor extensions are dropped, so the file carries no prose. `$ref`s stay local
(`#/components/schemas/<name>`) and the components are restricted to those used.

The output is deterministic (sorted keys, two-space indent, trailing newline): running the
script again on the same document gives a byte-identical file. It records the SHA-256, title,
version and OpenAPI version of the source document.

Usage (from the repository root):

    python3 scripts/derive-ottu-schema.py <path-to-ottu-openapi.yaml> [-o spec/ottu-api/schema.json]

Needs Python 3.11 and PyYAML (Debian/Ubuntu: `apt-get install python3-yaml`).
"""

import argparse
import hashlib
import json
import sys
from pathlib import Path

try:
    import yaml
except ImportError:
    sys.exit(
        "derive-ottu-schema.py needs PyYAML to read the OpenAPI document.\n"
        "Install it with: apt-get install python3-yaml   (or: pip install pyyaml)"
    )

FORMAT = "ottu-pos/derived-openapi-schema/1"
DEFAULT_OUTPUT = Path("spec/ottu-api/schema.json")

# Every Ottu endpoint the project uses, with where it is used.
ENDPOINTS = [
    # ottu-checkout src/checkout/{create,retrieve,update}.rs; sandbox routes/checkout.rs
    ("/b/checkout/v1/pymt-txn/", "post"),
    ("/b/checkout/v1/pymt-txn/{session_id}/", "get"),
    ("/b/checkout/v1/pymt-txn/{session_id}/", "put"),
    ("/b/checkout/v1/pymt-txn/{session_id}/", "patch"),
    # ottu-checkout src/attachment.rs; sandbox routes/checkout.rs
    ("/b/checkout/v1/upload-attachment/", "post"),
    # ottu-checkout src/operations.rs; sandbox routes/pbl.rs
    ("/b/pbl/v2/operation/", "post"),
    # ottu-checkout src/payment_methods.rs; sandbox routes/pbl.rs
    ("/b/pbl/v2/payment-methods/", "post"),
    # ottu-checkout src/inquiry.rs; sandbox routes/pbl.rs
    ("/b/pbl/v2/inquiry/", "post"),
    # ottu-checkout src/invoice/; sandbox routes/invoice.rs
    ("/b/invoice/v1/invoice/", "post"),
    # ottu-checkout src/cash.rs; sandbox cash.rs (routes/pbl.rs), both paths
    ("/b/pbl/v2/payment/cash/", "post"),
    ("/b/pbl/v2/cash-payment/", "post"),
    # ottu-checkout src/reports.rs; sandbox routes/reports.rs
    ("/b/api/v1/reports/files/", "get"),
    ("/b/api/v1/reports/files/{token}/download/", "get"),
]

# Schema keywords kept (structure and limits) and dropped (prose, samples, tooling hints).
# Anything else stops the script, so a new keyword is never lost silently.
KEPT = {
    "$ref",
    "type",
    "properties",
    "required",
    "items",
    "additionalProperties",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "enum",
    "const",
    "format",
    "pattern",
    "maxLength",
    "minLength",
    "maximum",
    "minimum",
    "exclusiveMaximum",
    "exclusiveMinimum",
    "maxItems",
    "minItems",
    "uniqueItems",
    "nullable",
    "readOnly",
    "writeOnly",
}
DROPPED = {"description", "title", "example", "examples", "default", "x-spec-enum-id"}
SCHEMA_PREFIX = "#/components/schemas/"


class Deriver:
    def __init__(self, doc):
        self.components = doc.get("components", {}).get("schemas", {})
        self.used = {}  # component name -> stripped schema

    def ref(self, ref):
        if not ref.startswith(SCHEMA_PREFIX):
            raise SystemExit(f"unsupported $ref {ref!r} (only local component schemas)")
        name = ref[len(SCHEMA_PREFIX) :]
        if name not in self.components:
            raise SystemExit(f"$ref {ref!r} names no component schema")
        if name not in self.used:
            self.used[name] = None  # placeholder: breaks cycles
            self.used[name] = self.schema(self.components[name], f"components/{name}")
        return ref

    def schema(self, node, where):
        if not isinstance(node, dict):
            raise SystemExit(f"{where}: a schema must be an object, found {node!r}")
        out = {}
        for key, value in node.items():
            if key in DROPPED:
                continue
            if key not in KEPT:
                raise SystemExit(f"{where}: unknown schema keyword {key!r}; add it to KEPT or DROPPED")
            if key == "$ref":
                out[key] = self.ref(value)
            elif key == "properties":
                out[key] = {n: self.schema(s, f"{where}.{n}") for n, s in value.items()}
            elif key in ("items", "not") or (key == "additionalProperties" and isinstance(value, dict)):
                out[key] = self.schema(value, f"{where}/{key}")
            elif key in ("allOf", "oneOf", "anyOf"):
                out[key] = [self.schema(s, f"{where}/{key}[{i}]") for i, s in enumerate(value)]
            else:
                out[key] = value
        return out

    def parameters(self, params, where):
        out = []
        for p in params:
            if "$ref" in p:
                raise SystemExit(f"{where}: parameter $refs are not supported")
            entry = {"in": p["in"], "name": p["name"], "required": bool(p.get("required", False))}
            if "schema" in p:
                entry["schema"] = self.schema(p["schema"], f"{where} parameter {p['name']}")
            out.append(entry)
        return sorted(out, key=lambda e: (e["in"], e["name"]))

    def content(self, content, where):
        """One schema for all media types (they share it in Ottu's document), and the types."""
        schemas = {}
        for media, body in content.items():
            schemas[media] = self.schema(body.get("schema", {}), f"{where} {media}")
        distinct = {json.dumps(s, sort_keys=True) for s in schemas.values()}
        if len(distinct) != 1:
            raise SystemExit(f"{where}: media types carry different schemas; extend the script")
        return {"media_types": sorted(schemas), "schema": next(iter(schemas.values()))}

    def operation(self, path, method, op):
        where = f"{method.upper()} {path}"
        out = {"parameters": self.parameters(op.get("parameters", []), where), "responses": {}}
        body = op.get("requestBody")
        if body is not None:
            out["request"] = self.content(body.get("content", {}), f"{where} request")
            out["request"]["required"] = bool(body.get("required", False))
        for status, response in op.get("responses", {}).items():
            if "$ref" in response:
                raise SystemExit(f"{where} {status}: response $refs are not supported")
            entry = {}
            if "content" in response:
                entry = self.content(response["content"], f"{where} {status}")
            out["responses"][str(status)] = entry
        return out


def derive(source: Path):
    raw = source.read_bytes()
    doc = yaml.safe_load(raw)
    deriver = Deriver(doc)
    paths = {}
    for path, method in ENDPOINTS:
        op = doc.get("paths", {}).get(path, {}).get(method)
        if op is None:
            raise SystemExit(f"{method.upper()} {path} is not in the document")
        paths.setdefault(path, {})[method] = deriver.operation(path, method, op)
    info = doc.get("info", {})
    return {
        "format": FORMAT,
        "generated_by": "scripts/derive-ottu-schema.py",
        "source": {
            "file": source.name,
            "sha256": hashlib.sha256(raw).hexdigest(),
            "openapi": doc.get("openapi"),
            "title": info.get("title"),
            "version": info.get("version"),
        },
        "paths": paths,
        "components": {"schemas": deriver.used},
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="Ottu's OpenAPI document (YAML or JSON)")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()
    text = json.dumps(derive(args.source), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output} ({len(text)} bytes)")


if __name__ == "__main__":
    main()
