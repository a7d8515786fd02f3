//! The Invoice API over HTTP: create, totals and VAL CALC checks, permissions, gateways, the
//! PDF, the hosted page, updates refused, and the checkout state machine behind an invoice.

use serde_json::{Value, json};

use crate::helpers::{call, call_as, spawn_sandbox};

const INVOICE: &str = "/b/invoice/v1/invoice/";

fn minimal() -> Value {
    // invoices.mdx's first example.
    json!({
        "type": "e_commerce",
        "due_date": "2025-12-29",
        "currency_code": "KWD",
        "pg_codes": ["credit-card"],
        "invoice_number": "A00001",
        "invoice_items": [
            {"sku": "ABC111", "description": "Test", "quantity": 1.111, "unit_price": 5.234}
        ]
    })
}

#[tokio::test]
async fn the_documented_example_is_created_with_ottus_totals() {
    let sandbox = spawn_sandbox().await;
    let (status, body) = call(&sandbox, "POST", INVOICE, Some(minimal())).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["amount"], "5.815");
    assert_eq!(body["state"], "created");
    assert_eq!(
        body["status"], "overdue",
        "the sandbox clock is past 2025-12-29"
    );
    assert_eq!(body["invoice_number"], "A00001");
    assert_eq!(body["invoice_id"], 1);
    assert_eq!(body["subtotal"], "5.815");
    assert_eq!(body["total_incl_tax"], "5.815");
    assert_eq!(body["tax_amount"], "0.000");
    let item = &body["invoice_items"][0];
    assert_eq!(item["total_excl_tax"], "5.815");
    assert_eq!(item["tax_amount"], "0.000");
    assert_eq!(item["total_incl_tax"], "5.815");
    assert_eq!(item["quantity"], "1.111");
    assert_eq!(item["unit_price"], "5.234");
    assert_eq!(item["currency_code"], "KWD");
    assert_eq!(item["invoice"], 1);
    assert_eq!(item["id"], 1);
    let sid = body["session_id"].as_str().unwrap();
    assert!(
        body["checkout_url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("session_id={sid}"))
    );
    // The PDF is a real PDF naming the item.
    let pdf_url = body["invoice_pdf_url"].as_str().unwrap();
    let response = sandbox.http.get(pdf_url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"].to_str().unwrap(),
        "application/pdf"
    );
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("ABC111") && text.contains("5.815"), "{text}");
    assert!(text.trim_end().ends_with("%%EOF"));
}

#[tokio::test]
async fn discounts_taxes_and_shipping_follow_the_documented_rounding() {
    let sandbox = spawn_sandbox().await;
    let mut body = minimal();
    body["invoice_number"] = json!("A00002");
    body["due_date"] = json!("2999-01-01");
    body["invoice_items"] = json!([
        {"sku": "ABC111", "description": "Test", "quantity": "1.111", "unit_price": "5.234",
         "discount_percentage": "12", "tax_rate": "5",
         "total_excl_tax": "5.117", "tax_amount": "0.256", "total_incl_tax": "5.373"},
        {"sku": "B", "description": "Two", "quantity": "3", "unit_price": "0.333",
         "discount_amount": "0.1"}
    ]);
    body["discount_percentage"] = json!("10");
    body["tax_rate"] = json!("15");
    body["shipping_excl_tax"] = json!("1.005");
    body["shipping_tax_rate"] = json!("5");
    // subtotal 5.373 + 0.899 = 6.272; discount 0.6272 → 0.627; excl 5.645;
    // tax 0.84675 → 0.847; shipping 1.005 + 0.05025 → 0.050 → 1.055; total 7.547.
    body["subtotal"] = json!("6.272");
    body["total_excl_tax"] = json!("5.645");
    body["tax_amount"] = json!("0.847");
    body["shipping_incl_tax"] = json!("1.055");
    body["total_incl_tax"] = json!("7.547");
    body["amount"] = json!("7.547");
    let (status, answer) = call(&sandbox, "POST", INVOICE, Some(body)).await;
    assert_eq!(status, 201, "{answer}");
    assert_eq!(answer["amount"], "7.547");
    assert_eq!(answer["discount_amount"], "0.627");
    assert_eq!(answer["discount_percentage"], "10.00");
    assert_eq!(answer["status"], "sent");
    assert_eq!(answer["invoice_items"][0]["discount_amount"], "0.698");
    assert_eq!(answer["invoice_items"][1]["total_incl_tax"], "0.899");
    assert_eq!(answer["invoice_items"][1]["id"], 2);
}

#[tokio::test]
async fn a_total_that_disagrees_is_refused_on_its_field() {
    let sandbox = spawn_sandbox().await;
    let mut body = minimal();
    body["invoice_items"][0]["total_incl_tax"] = json!("5.814");
    body["amount"] = json!("5.814");
    let (status, answer) = call(&sandbox, "POST", INVOICE, Some(body)).await;
    assert_eq!(status, 400);
    assert_eq!(
        answer,
        json!({
            "invoice_items": [{"total_incl_tax": ["The calculated value is 5.815, not 5.814."]}],
        })
    );
    let mut body = minimal();
    body["amount"] = json!("5.81");
    let (status, answer) = call(&sandbox, "POST", INVOICE, Some(body)).await;
    assert_eq!(status, 400);
    assert_eq!(
        answer,
        json!({"amount": ["The calculated value is 5.815, not 5.810."]})
    );
}

#[tokio::test]
async fn item_errors_are_nested_per_index_and_reported_with_the_checkout_fields() {
    let sandbox = spawn_sandbox().await;
    let body = json!({
        "type": "e_commerce", "currency_code": "KWD", "pg_codes": ["credit-card"],
        "invoice_number": "X", "due_date": "29/12/2025",
        "customer_email": "not-an-email",
        "invoice_items": [
            {"sku": "ok", "description": "fine", "quantity": "1", "unit_price": "1"},
            {"sku": "", "quantity": "0", "unit_price": "1.2345",
             "discount_amount": "1", "discount_percentage": "5"},
            "nope"
        ]
    });
    let (status, answer) = call(&sandbox, "POST", INVOICE, Some(body)).await;
    assert_eq!(status, 400);
    assert_eq!(
        answer,
        json!({
            "due_date": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."],
            "customer_email": ["Enter a valid email address."],
            "invoice_items": [
                {},
                {
                    "sku": ["This field may not be blank."],
                    "description": ["This field is required."],
                    "quantity": ["Ensure this value is greater than 0."],
                    "unit_price": ["Ensure that there are no more than 3 decimal places."],
                    "non_field_errors": ["Only one of discount_percentage and discount_amount can be set."]
                },
                {"non_field_errors": ["Invalid data. Expected a dictionary, but got str."]}
            ]
        })
    );
    let (status, answer) = call(&sandbox, "POST", INVOICE, Some(json!({}))).await;
    assert_eq!(status, 400);
    for key in [
        "type",
        "currency_code",
        "pg_codes",
        "invoice_number",
        "due_date",
        "invoice_items",
    ] {
        assert_eq!(answer[key], json!(["This field is required."]), "{key}");
    }
    assert!(
        answer.get("amount").is_none(),
        "amount is computed: {answer}"
    );
}

#[tokio::test]
async fn discounts_cannot_exceed_the_value_and_rates_are_limited() {
    let sandbox = spawn_sandbox().await;
    let mut body = minimal();
    body["invoice_items"][0]["discount_amount"] = json!("6");
    body["invoice_items"][0]["tax_rate"] = json!("5.125");
    let (status, answer) = call(&sandbox, "POST", INVOICE, Some(body)).await;
    assert_eq!(status, 400);
    assert_eq!(
        answer["invoice_items"][0]["tax_rate"],
        json!(["Ensure that there are no more than 2 decimal places."])
    );
    let mut body = minimal();
    body["invoice_items"][0]["discount_amount"] = json!("6");
    let (_, answer) = call(&sandbox, "POST", INVOICE, Some(body)).await;
    assert_eq!(
        answer["invoice_items"][0]["discount_amount"],
        json!(["The discount cannot exceed the item's value of 5.815."])
    );
    let mut body = minimal();
    body["discount_percentage"] = json!("100");
    let (status, answer) = call(&sandbox, "POST", INVOICE, Some(body)).await;
    assert_eq!(status, 400, "a zero total is no payment: {answer}");
    assert!(answer.get("amount").is_some(), "{answer}");
}

#[tokio::test]
async fn invoice_numbers_are_unique() {
    let sandbox = spawn_sandbox().await;
    let (status, _) = call(&sandbox, "POST", INVOICE, Some(minimal())).await;
    assert_eq!(status, 201);
    let (status, answer) = call(&sandbox, "POST", INVOICE, Some(minimal())).await;
    assert_eq!(status, 400);
    assert_eq!(
        answer,
        json!({"invoice_number": ["invoice with this invoice number already exists."]})
    );
}

#[tokio::test]
async fn basic_users_need_can_add_invoice_and_the_gateway() {
    let sandbox = spawn_sandbox().await;
    let mut body = minimal();
    body["type"] = json!("payment_request");
    body["pg_codes"] = json!(["knet"]);
    let cashier = sandbox.basic_header("cashier");
    let (status, _) = call_as(&sandbox, &cashier, "POST", INVOICE, Some(body.clone())).await;
    assert_eq!(status, 403, "no Can add Invoice");
    let invoicer = sandbox.basic_header("invoicer");
    let (status, answer) = call_as(&sandbox, &invoicer, "POST", INVOICE, Some(body.clone())).await;
    assert_eq!(status, 201, "{answer}");
    body["pg_codes"] = json!(["credit-card"]);
    body["invoice_number"] = json!("A00009");
    let (status, _) = call_as(&sandbox, &invoicer, "POST", INVOICE, Some(body.clone())).await;
    assert_eq!(status, 403, "no Can use Credit Card");
    body["type"] = json!("e_commerce");
    let (status, _) = call_as(&sandbox, &invoicer, "POST", INVOICE, Some(body)).await;
    assert_eq!(status, 403, "no e-commerce add permission");
}

#[tokio::test]
async fn authorize_gateways_are_refused() {
    let sandbox = spawn_sandbox().await;
    let mut body = minimal();
    body["pg_codes"] = json!(["mpgs-test"]);
    let (status, answer) = call(&sandbox, "POST", INVOICE, Some(body)).await;
    assert_eq!(status, 400);
    assert_eq!(
        answer,
        json!({"pg_codes": ["The Invoice API supports purchase gateways only; mpgs-test is set up for authorize."]})
    );
}

#[tokio::test]
async fn an_invoice_is_paid_like_a_checkout_and_cannot_be_updated() {
    let sandbox = spawn_sandbox().await;
    let mut body = minimal();
    body["customer_first_name"] = json!("Huda");
    let (_, created) = call(&sandbox, "POST", INVOICE, Some(body)).await;
    let sid = created["session_id"].as_str().unwrap().to_owned();
    let path = format!("/b/checkout/v1/pymt-txn/{sid}/");
    for method in ["PATCH", "PUT"] {
        let (status, answer) = call(
            &sandbox,
            method,
            &path,
            Some(
                json!({"type": "e_commerce", "amount": "1", "currency_code": "KWD",
                        "pg_codes": ["credit-card"]}),
            ),
        )
        .await;
        assert_eq!(status, 400, "{method}");
        assert_eq!(
            answer,
            json!({"detail": "Invoices cannot be changed. Create a new invoice instead."})
        );
    }
    let (status, _) = call(&sandbox, "PATCH", INVOICE, Some(json!({}))).await;
    assert_eq!(status, 405);
    // The hosted page shows the items and the PDF link.
    let page = sandbox
        .http
        .get(created["checkout_url"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("data-testid=\"invoice-item\""), "{page}");
    assert!(page.contains("ABC111") && page.contains("/invoice/pdf/"));
    // Same payment state machine: pay, retrieve, refund.
    sandbox.pay(&sid, Some("credit-card")).await;
    let (status, got) = call(&sandbox, "GET", &path, None).await;
    assert_eq!(status, 200);
    assert_eq!(got["state"], "paid");
    assert_eq!(got["amount"], "5.815");
    let (status, refund) = call(
        &sandbox,
        "POST",
        "/b/pbl/v2/operation/",
        Some(json!({"operation": "refund", "session_id": sid, "amount": "1.000"})),
    )
    .await;
    assert_eq!(status, 200, "{refund}");
    assert_eq!(refund["result"], "success");
}

#[tokio::test]
async fn a_checkout_has_no_invoice_pdf() {
    let sandbox = spawn_sandbox().await;
    let created = sandbox.create_payment_request("5", json!({})).await;
    let sid = created["session_id"].as_str().unwrap();
    let response = sandbox
        .http
        .get(format!("{}/invoice/pdf/{sid}", sandbox.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
}
