//! `/` (a short index page) and `/openapi.json` (OpenAPI 3.1 of what the sandbox serves),
//! both generated from the [`ENDPOINTS`] table and the validation limits below.

use axum::Router;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde_json::{Map, Value, json};

use crate::state::AppState;

/// One documented endpoint.
#[derive(Debug, Clone, Copy)]
pub struct Endpoint {
    pub method: &'static str,
    pub path: &'static str,
    pub summary: &'static str,
    /// Component schema name of the JSON request body, if any.
    pub request: Option<&'static str>,
    /// Success status and component schema of its body.
    pub success: (u16, &'static str),
    /// Whether Ottu's authentication applies (false for `/_sandbox/` and payer pages).
    pub auth: bool,
}

const fn ep(
    method: &'static str,
    path: &'static str,
    summary: &'static str,
    request: Option<&'static str>,
    success: (u16, &'static str),
    auth: bool,
) -> Endpoint {
    Endpoint {
        method,
        path,
        summary,
        request,
        success,
        auth,
    }
}

/// Every endpoint the sandbox serves (trailing-slash-less twins of Ottu's paths omitted).
pub const ENDPOINTS: &[Endpoint] = &[
    ep(
        "post",
        "/b/checkout/v1/pymt-txn/",
        "Create a payment transaction",
        Some("CheckoutRequest"),
        (201, "Checkout"),
        true,
    ),
    ep(
        "get",
        "/b/checkout/v1/pymt-txn/{session_id}/",
        "Retrieve a payment transaction",
        None,
        (200, "Checkout"),
        true,
    ),
    ep(
        "put",
        "/b/checkout/v1/pymt-txn/{session_id}/",
        "Replace a payment transaction",
        Some("CheckoutRequest"),
        (200, "Checkout"),
        true,
    ),
    ep(
        "patch",
        "/b/checkout/v1/pymt-txn/{session_id}/",
        "Update part of a payment transaction",
        Some("CheckoutPatchRequest"),
        (200, "Checkout"),
        true,
    ),
    ep(
        "post",
        "/b/checkout/v1/upload-attachment/",
        "Upload an attachment (multipart)",
        None,
        (200, "UploadResponse"),
        true,
    ),
    ep(
        "post",
        "/b/pbl/v2/operation/",
        "Cancel, expire or delete a transaction; refund, capture or void it (header Tracking-Key)",
        Some("OperationRequest"),
        (200, "OperationResponse"),
        true,
    ),
    ep(
        "post",
        "/b/pbl/v2/payment-methods/",
        "List payment methods",
        Some("PaymentMethodsRequest"),
        (200, "Object"),
        true,
    ),
    ep(
        "post",
        "/b/pbl/v2/inquiry/",
        "Payment status query",
        Some("InquiryRequest"),
        (200, "Object"),
        true,
    ),
    ep(
        "post",
        "/b/invoice/v1/invoice/",
        "Create an invoice (items, discounts, taxes, shipping; totals checked with Ottu's ROUND_HALF_UP rule); a payment transaction like a checkout's, never updatable",
        Some("InvoiceRequest"),
        (201, "Invoice"),
        true,
    ),
    ep(
        "get",
        "/invoice/pdf/{session_id}",
        "The invoice's PDF (invoice_pdf_url)",
        None,
        (200, "Object"),
        false,
    ),
    ep(
        "get",
        "/_sandbox/sessions",
        "List stored transactions (by order_no, the newest, or all of them a page at a time)",
        None,
        (200, "Object"),
        false,
    ),
    ep(
        "get",
        "/_sandbox/sessions/{session_id}",
        "One stored transaction, deleted ones included",
        None,
        (200, "Object"),
        false,
    ),
    ep(
        "post",
        "/_sandbox/sessions/{session_id}/open",
        "Payer opens the link (created to pending)",
        Some("PayerAction"),
        (200, "Object"),
        false,
    ),
    ep(
        "post",
        "/_sandbox/sessions/{session_id}/pay",
        "Payer pays (paid)",
        Some("PayerAction"),
        (200, "Object"),
        false,
    ),
    ep(
        "post",
        "/_sandbox/sessions/{session_id}/decline",
        "Gateway declines (attempted)",
        Some("PayerAction"),
        (200, "Object"),
        false,
    ),
    ep(
        "post",
        "/_sandbox/sessions/{session_id}/fail",
        "Gateway fails (failed)",
        Some("PayerAction"),
        (200, "Object"),
        false,
    ),
    ep(
        "post",
        "/_sandbox/sessions/{session_id}/cancel",
        "Payer cancels on the gateway page (attempted)",
        Some("PayerAction"),
        (200, "Object"),
        false,
    ),
    ep(
        "post",
        "/_sandbox/sessions/{session_id}/late_success",
        "Late gateway success: failed or expired becomes paid (webhook sent)",
        Some("PayerAction"),
        (200, "Object"),
        false,
    ),
    ep(
        "get",
        "/_sandbox/clock",
        "Current sandbox time",
        None,
        (200, "Object"),
        false,
    ),
    ep(
        "post",
        "/_sandbox/clock/advance",
        "Move the clock forward",
        Some("ClockAdvance"),
        (200, "Object"),
        false,
    ),
    ep(
        "get",
        "/_sandbox/sessions/{session_id}/children",
        "A transaction's child transactions (refunds, captures, voids)",
        None,
        (200, "Object"),
        false,
    ),
    ep(
        "post",
        "/_sandbox/children/{child_id}/settle",
        "Settle a queued refund (refunded; operation webhook)",
        None,
        (200, "Object"),
        false,
    ),
    ep(
        "post",
        "/_sandbox/children/{child_id}/reject",
        "Reject a queued refund (refund_rejected; operation webhook)",
        None,
        (200, "Object"),
        false,
    ),
    ep(
        "get",
        "/_sandbox/webhooks",
        "Webhook delivery log",
        None,
        (200, "Object"),
        false,
    ),
    ep(
        "post",
        "/_sandbox/reset",
        "Delete every transaction, delivery and file",
        None,
        (200, "Object"),
        false,
    ),
    ep(
        "get",
        "/_sandbox/faults",
        "The create fault modes, faults injected per kind, pending late commits",
        None,
        (200, "Object"),
        false,
    ),
    ep(
        "post",
        "/_sandbox/faults",
        "Arm one fault for the next creates, or the seeded random mode",
        Some("FaultRequest"),
        (200, "Object"),
        false,
    ),
    ep(
        "delete",
        "/_sandbox/faults",
        "Disarm both fault modes",
        None,
        (200, "Object"),
        false,
    ),
];

/// The docs routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(index))
        .route("/openapi.json", get(openapi))
}

async fn index(State(state): State<AppState>) -> Response {
    let mut rows = String::new();
    for e in ENDPOINTS {
        rows.push_str(&format!(
            "<tr><td><code>{}</code></td><td><code>{}</code></td><td>{}</td></tr>",
            e.method.to_uppercase(),
            e.path,
            e.summary
        ));
    }
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Ottu sandbox</title>\
         <style>body{{font-family:system-ui,sans-serif;max-width:56rem;margin:2rem auto;padding:0 1rem}}td{{padding:.2rem .6rem}}</style></head>\
         <body><h1>Ottu sandbox</h1><p>A local, stateful Ottu Checkout API for <b>{}</b>. Authenticate with \
         <code>Authorization: Api-Key &lt;key&gt;</code> or Basic. OpenAPI document: <a href=\"/openapi.json\">/openapi.json</a>. \
         Test-only controls live under <code>/_sandbox/</code>.</p><table>{rows}</table></body></html>",
        state.config.merchant.name.replace('<', "&lt;")
    ))
    .into_response()
}

async fn openapi(State(state): State<AppState>) -> Response {
    axum::Json(openapi_document(&state.public_base)).into_response()
}

/// The OpenAPI document for a server at `base`.
pub fn openapi_document(base: &str) -> Value {
    let mut paths = Map::new();
    for e in ENDPOINTS {
        let mut operation = json!({
            "summary": e.summary,
            "operationId": operation_id(e),
            "responses": {
                e.success.0.to_string(): {"description": "Success", "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{}", e.success.1)}}}},
            },
        });
        let responses = operation["responses"].as_object_mut().expect("object");
        if e.auth {
            for (code, text) in [
                ("400", "Validation error"),
                ("401", "Not authenticated"),
                ("403", "Permission denied"),
                ("404", "Not found"),
                ("415", "Unsupported media type"),
                (
                    "429",
                    "Throttled (per-user limit; inquiry throttle); Retry-After when a wait is known",
                ),
            ] {
                responses.insert(code.into(), json!({"description": text, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}));
            }
            operation["security"] = json!([{"ApiKeyAuth": []}, {"BasicAuth": []}]);
        } else {
            responses.insert("404".into(), json!({"description": "Not found", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}));
        }
        if e.path.contains("{session_id}") {
            operation["parameters"] = json!([{"name": "session_id", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^[-\\w]+$", "maxLength": 128}}]);
        }
        if e.path == "/b/pbl/v2/operation/" {
            operation["parameters"] = json!([{"name": "Tracking-Key", "in": "header", "required": false, "description": "Refund, capture, void: the same key on the same transaction, operation and amount answers the original operation's latest status; the key used for anything else is 409.", "schema": {"type": "string", "maxLength": crate::routes::pbl::TRACKING_KEY_MAX}}]);
            operation["responses"]["409"] = json!({"description": "Tracking-Key already used for another operation", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/OperationResponse"}}}});
        }
        if e.path.contains("{child_id}") {
            operation["parameters"] = json!([{"name": "child_id", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^[-\\w]+$", "maxLength": 128}}]);
        }
        if let Some(schema) = e.request {
            let mut content = Map::new();
            content.insert(
                "application/json".into(),
                json!({"schema": {"$ref": format!("#/components/schemas/{schema}")}}),
            );
            if e.auth {
                content.insert(
                    "application/x-www-form-urlencoded".into(),
                    json!({"schema": {"$ref": format!("#/components/schemas/{schema}")}}),
                );
            }
            operation["requestBody"] =
                json!({"required": e.method != "patch" && e.auth, "content": content});
        }
        if e.path == "/b/checkout/v1/upload-attachment/" {
            operation["requestBody"] = json!({"required": true, "content": {"multipart/form-data": {"schema": {
                "type": "object", "required": ["file"],
                "properties": {"file": {"type": "string", "format": "binary"}, "session_id": {"type": "string", "maxLength": 128},
                               "order_no": {"type": "string", "maxLength": 128}, "shortify_attachment_url": {"type": "boolean"}}}}}});
        }
        let item = paths.entry(e.path.to_owned()).or_insert_with(|| json!({}));
        item[e.method] = operation;
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Ottu sandbox", "version": env!("CARGO_PKG_VERSION"),
                 "description": "A stateful local implementation of Ottu's Checkout API, plus test controls under /_sandbox/."},
        "servers": [{"url": base}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "ApiKeyAuth": {"type": "apiKey", "in": "header", "name": "Authorization", "description": "`Api-Key <key>`"},
                "BasicAuth": {"type": "http", "scheme": "basic"},
            },
            "schemas": schemas(),
        },
    })
}

fn operation_id(e: &Endpoint) -> String {
    let cleaned: String = e
        .path
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("{}{}", e.method, cleaned.trim_end_matches('_'))
}

fn string(max: usize) -> Value {
    json!({"type": "string", "maxLength": max})
}

fn checkout_properties() -> Value {
    json!({
        "type": {"type": "string", "enum": ["e_commerce", "payment_request"]},
        "amount": {"type": "string", "pattern": "^\\d{1,13}(\\.\\d{0,3})?$"},
        "currency_code": {"type": "string", "minLength": 3, "maxLength": 3},
        "pg_codes": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "payment_type": {"type": "string", "enum": ["one_off", "auto_debit", "save_card"]},
        "order_no": string(128), "customer_id": string(64),
        "customer_email": {"type": "string", "format": "email", "maxLength": 128},
        "customer_phone": string(16), "customer_phone_2": string(16),
        "customer_first_name": string(64), "customer_last_name": string(64),
        "customer_birthdate": {"type": "string", "format": "date"},
        "billing_address": {"$ref": "#/components/schemas/Address"},
        "notifications": {"type": "object", "properties": {
            "email": {"type": "array", "items": {"type": "string"}},
            "sms": {"type": "array", "items": {"type": "string"}},
            "whatsapp": {"type": "array", "items": {"type": "string"}}}},
        "email_recipients": {"type": "array", "items": {"type": "string", "format": "email"}},
        "language": {"type": "string", "enum": ["en", "ar"]},
        "expiration_time": {"type": "string"},
        "due_datetime": {"type": "string"},
        "redirect_url": {"type": "string", "format": "uri", "maxLength": 2000},
        "webhook_url": {"type": "string", "format": "uri", "maxLength": 2000},
        "generate_qr_code": {"type": "boolean"}, "shortify_checkout_url": {"type": "boolean"},
        "shortify_attachment_url": {"type": "boolean"}, "include_sdk_setup_preload": {"type": "boolean"},
        "preload_checkout_page": {"type": "boolean"},
        "attachment_upload_url": {"type": "string"},
        "extra": {"type": "object"}, "product_type": string(128), "vendor_name": string(64),
    })
}

fn invoice_item_properties() -> Value {
    let decimal = json!({"type": "string", "pattern": "^\\d+(\\.\\d+)?$"});
    json!({
        "sku": string(255), "description": string(255),
        "quantity": {"type": "string", "description": "Above 0, at most 3 decimals and 6 integer digits."},
        "unit_price": decimal, "tax_rate": {"type": "string", "description": "0 to 100, at most 2 decimals."},
        "discount_percentage": {"type": "string", "description": "0 to 100, at most 2 decimals; not with discount_amount."},
        "discount_amount": decimal,
        "total_excl_tax": decimal, "tax_amount": decimal, "total_incl_tax": decimal,
    })
}

fn invoice_properties() -> Value {
    let mut props = checkout_properties();
    let decimal = json!({"type": "string", "pattern": "^\\d+(\\.\\d+)?$"});
    let extra = json!({
        "invoice_number": string(255),
        "due_date": {"type": "string", "format": "date"},
        "company_name": string(64),
        "invoice_items": {"type": "array", "minItems": 1, "maxItems": crate::validation::MAX_INVOICE_ITEMS,
            "items": {"type": "object", "required": ["sku", "description", "quantity", "unit_price"], "properties": invoice_item_properties()}},
        "tax_rate": {"type": "string"}, "discount_percentage": {"type": "string"}, "discount_amount": decimal,
        "shipping_excl_tax": decimal, "shipping_tax_rate": {"type": "string"}, "shipping_method": string(255),
        "subtotal": decimal, "total_excl_tax": decimal, "tax_amount": decimal,
        "shipping_incl_tax": decimal, "total_incl_tax": decimal,
    });
    if let (Value::Object(p), Value::Object(e)) = (&mut props, extra) {
        p.extend(e);
        p.insert("amount".into(), json!({"type": "string", "description": "Optional: checked against the computed total_incl_tax."}));
    }
    props
}

fn schemas() -> Value {
    json!({
        "InvoiceRequest": {"type": "object", "required": ["type", "currency_code", "pg_codes", "invoice_number", "due_date", "invoice_items"],
            "description": "VAL CALC fields (item total_excl_tax, tax_amount, total_incl_tax; subtotal, total_excl_tax, tax_amount, shipping_incl_tax, total_incl_tax, amount) are optional; when sent they must equal the computed values.",
            "properties": invoice_properties()},
        "Invoice": {"type": "object", "description": "The Checkout body plus the invoice's fields: invoice_id, invoice_number, due_date, status (sent|paid|overdue|canceled), invoice_items (with id, invoice, currency_code and the computed totals), subtotal, discount_amount, total_excl_tax, tax_amount, shipping_incl_tax, total_incl_tax, invoice_pdf_url.",
            "required": ["session_id", "state", "amount", "checkout_url", "invoice_id", "invoice_number", "invoice_items", "status", "invoice_pdf_url"],
            "properties": {"invoice_id": {"type": "integer"}, "invoice_number": {"type": "string"}, "status": {"type": "string", "enum": ["sent", "paid", "overdue", "canceled"]},
                "invoice_items": {"type": "array", "items": {"type": "object"}}, "invoice_pdf_url": {"type": "string", "format": "uri"},
                "session_id": {"type": "string"}, "state": {"type": "string"}, "amount": {"type": "string"}, "checkout_url": {"type": "string", "format": "uri"}}},
        "CheckoutRequest": {"type": "object", "required": ["type", "amount", "currency_code", "pg_codes"], "properties": checkout_properties()},
        "CheckoutPatchRequest": {"type": "object", "properties": checkout_properties()},
        "Address": {"type": "object", "required": ["line1", "city", "country"], "properties": {
            "line1": string(128), "line2": string(128), "city": string(40), "state": string(40),
            "country": {"type": "string", "minLength": 2, "maxLength": 2}, "postal_code": string(12)}},
        "Checkout": {"type": "object", "required": ["session_id", "state", "type", "amount", "currency_code", "pg_codes", "checkout_url", "operation", "payment_methods"],
            "properties": {
                "session_id": {"type": "string"}, "state": {"type": "string"}, "type": {"type": "string"},
                "amount": {"type": "string"}, "currency_code": {"type": "string"},
                "pg_codes": {"type": "array", "items": {"type": "string"}},
                "checkout_url": {"type": "string", "format": "uri"}, "checkout_short_url": {"type": "string", "format": "uri"},
                "qr_code_url": {"type": "string", "format": "uri"}, "operation": {"type": "string"},
                "payment_methods": {"type": "array", "items": {"type": "object"}}}},
        "UploadResponse": {"type": "object", "required": ["file_url", "original_filename"], "properties": {
            "file_url": {"type": "string"}, "original_filename": {"type": "string"}, "attachment_short_url": {"type": "string"}}},
        "OperationRequest": {"type": "object", "required": ["operation"], "properties": {
            "operation": {"type": "string", "enum": ["delete", "cancel", "expire", "refund", "capture", "void"]},
            "session_id": string(128), "order_no": string(128), "amount": {"type": "string"}}},
        "OperationResponse": {"type": "object", "description": "Internal operations: {detail, operation, result}. Refund, capture, void: Ottu's ExternalOperation {amount, session_id, order_no, initiator?, is_sandbox, operation, pg_code, pg_response, pg_params, reference_number, source, success, result (success|queued|rejected), signature, timestamp_utc, txn: {amount, currency_code, order_no, session_id, state}}.",
            "properties": {"detail": {"type": "string"}, "operation": {"type": "string"}, "result": {"type": "string"},
                "amount": {"type": "string"}, "session_id": {"type": "string"}, "reference_number": {"type": "string"}, "success": {"type": "boolean"},
                "txn": {"type": "object", "properties": {"amount": {"type": "string"}, "currency_code": {"type": "string"}, "session_id": {"type": "string"},
                    "state": {"type": "string", "enum": ["paid", "refunded", "refund_queued", "refund_rejected", "voided"]}}}}},
        "PaymentMethodsRequest": {"type": "object", "required": ["plugin"], "properties": {
            "plugin": {"type": "string", "enum": ["payment_request", "e_commerce"]},
            "currencies": {"type": "array", "items": {"type": "string"}}, "pg_names": {"type": "array", "items": {"type": "string"}},
            "type": {"type": "string", "enum": ["sandbox", "production"]},
            "customer_id": string(64),
            "operation": {"type": "string", "enum": crate::config::GATEWAY_OPERATIONS},
            "tokenizable": {"type": "boolean"}, "auto_debit": {"type": "boolean"},
            "tags": {"type": "array", "items": {"type": "string", "enum": crate::config::GATEWAY_TAGS}},
            "payment_services": {"type": "array", "items": {"type": "string", "enum": ["apple_pay", "google_pay", "samsung_pay", "wallet"]}}}},
        "InquiryRequest": {"type": "object", "properties": {"session_id": string(128), "order_no": string(128),
            "notify_webhook_url": {"type": "boolean"}, "webhook_url": {"type": "string", "format": "uri", "maxLength": 200}}},
        "PayerAction": {"type": "object", "properties": {"pg_code": {"type": "string"}, "card_number": {"type": "string"}}},
        "ClockAdvance": {"type": "object", "required": ["seconds"], "properties": {"seconds": {"type": "integer", "minimum": 0, "maximum": crate::routes::control::CLOCK_ADVANCE_MAX_SECONDS}}},
        "FaultRequest": {"type": "object", "description": "Either `kind` (one fault for the next `times` creates) or `random` (a seeded draw per create).", "properties": {
            "kind": {"type": "string", "enum": ["drop_after_commit", "delay", "status_500", "status_503_after_commit", "malformed_after_commit", "late_commit"]},
            "times": {"type": "integer", "minimum": 0}, "delay_ms": {"type": "integer", "minimum": 0},
            "random": {"type": "object", "required": ["seed", "rates"], "properties": {
                "seed": {"type": "integer", "minimum": 0},
                "rates": {"type": "object", "additionalProperties": {"type": "number", "minimum": 0, "maximum": 1}},
                "delay_ms": {"type": "integer", "minimum": 0},
                "late_commit_ms": {"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": crate::faults::LATE_COMMIT_MAX_MS}, "minItems": 2, "maxItems": 2}}}}},
        "Object": {"type": "object"},
        "Error": {"type": "object", "description": "DRF error: {\"detail\": \"...\"} or {\"<field>\": [\"...\"]} (nested for objects)."},
    })
}
