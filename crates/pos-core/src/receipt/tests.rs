use std::str::FromStr;

use base64::Engine;
use ottu_checkout::CurrencyCode;
use rust_decimal::Decimal;

use super::*;
use crate::cart::{Cart, CartLine, CartTotals, DiscountValue};
use crate::dto::{Language, OperationKind, OperationState, SaleOperation, Settlement, StaffRef};
use crate::problem::ProblemCode;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn line(item_id: Option<&str>, name: &str, price: &str, qty: &str, vat: u8) -> CartLine {
    CartLine {
        item_id: item_id.map(str::to_owned),
        sku: name.to_uppercase(),
        description: name.to_owned(),
        quantity: d(qty),
        unit_price: d(price),
        vat_rate: vat,
        discount: None,
    }
}

/// The cart priced by the same code that priced the real sale.
fn priced(cart: &Cart) -> CartTotals {
    CartTotals::new(cart, &cart.price().unwrap())
}

/// Two boxes of dates at 10.00 SAR (15 % VAT, prices before VAT) and a 5.00 custom line
/// without VAT, 10 % off the whole sale.
fn saudi_cart() -> CartTotals {
    priced(&Cart {
        currency: CurrencyCode::parse("SAR").unwrap(),
        prices_include_tax: false,
        lines: vec![
            line(Some("item-dates"), "Dates box", "10.00", "2", 15),
            line(None, CUSTOM_LINE_NAME, "5.00", "1", 0),
        ],
        discount: Some(DiscountValue::Percent(d("10"))),
    })
}

fn sale(currency: &str, amount: &str, cart: Option<CartTotals>) -> Sale {
    Sale {
        id: "sale-1".into(),
        order_no: "POS-20261203-ABC123".into(),
        session_id: Some("ottu-session-1".into()),
        state: SaleState::Paid,
        method: crate::dto::PaymentMethod::Link,
        bill_id: None,
        amount: amount.into(),
        currency_code: currency.into(),
        customer_name: None,
        customer_phone: None,
        customer_email: None,
        note: None,
        language: Language::En,
        checkout_url: Some("https://pay.example/c/1".into()),
        short_url: Some("https://pay.example/s/1".into()),
        link: Some("https://pay.example/s/1".into()),
        qr_svg: None,
        expires_at: None,
        created_at: "2026-12-03T20:59:00.000Z".into(),
        updated_at: "2026-12-03T21:00:05.000Z".into(),
        paid_at: Some("2026-12-03T21:00:00.250Z".into()),
        profile_id: "demo".into(),
        problem: None,
        settlement: Settlement::default(),
        created_by: Some(StaffRef {
            id: "staff-2".into(),
            name: "Huda".into(),
        }),
        operations: Vec::new(),
        refundable_amount: None,
        offered_operations: Vec::new(),
        cart,
    }
}

fn context(language: Language, vat_number: Option<&str>) -> ReceiptContext<'_> {
    ReceiptContext {
        language,
        shop_name: "متجر التمور",
        vat_number,
    }
}

fn no_names(_: &str) -> Option<String> {
    None
}

/// The TLV fields of a tax-invoice QR payload, decoded independently of `zatca.rs`.
fn tlv_fields(payload: &str) -> Vec<(u8, String)> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(payload)
        .unwrap();
    let mut fields = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let (tag, len) = (bytes[at], usize::from(bytes[at + 1]));
        let value = String::from_utf8(bytes[at + 2..at + 2 + len].to_vec()).unwrap();
        fields.push((tag, value));
        at += 2 + len;
    }
    fields
}

#[test]
fn an_itemised_sale_lists_its_lines_discounts_and_vat_per_rate() {
    let cart = saudi_cart();
    let receipt = build(
        &sale("SAR", &cart.total, Some(cart.clone())),
        context(Language::En, Some("300000000000003")),
        no_names,
    )
    .unwrap();
    let lines: Vec<_> = receipt
        .lines
        .iter()
        .map(|l| {
            (
                l.name.as_str(),
                l.quantity.as_str(),
                l.unit_price.as_str(),
                l.amount.as_str(),
                l.vat_rate,
            )
        })
        .collect();
    // Hand-computed: 2 × 10.00 = 20.00 and 5.00, before the 10 % off the sale (2.50).
    assert_eq!(
        lines,
        [
            ("Dates box", "2", "10.00", "20.00", 15),
            ("Custom amount", "1", "5.00", "5.00", 0)
        ]
    );
    assert_eq!(receipt.sale_discount, "2.50");
    // 18.00 + 4.50 before VAT; 15 % of 18.00 is 2.70; 25.20 paid.
    assert_eq!(receipt.subtotal, "22.50");
    assert_eq!(receipt.vat_total, "2.70");
    assert_eq!(receipt.total, "25.20");
    assert_eq!(receipt.net_total, "25.20");
    let vat: Vec<_> = receipt
        .vat
        .iter()
        .map(|v| (v.rate, v.taxable.as_str(), v.tax.as_str()))
        .collect();
    assert_eq!(vat, [(0, "4.50", "0.00"), (15, "18.00", "2.70")]);
    assert_eq!(receipt.ottu_reference.as_deref(), Some("ottu-session-1"));
    assert_eq!(receipt.order_no, "POS-20261203-ABC123");
    assert_eq!(
        receipt.invoice_link.as_deref(),
        Some("https://pay.example/s/1")
    );
    assert_eq!(
        receipt.staff.as_ref().map(|s| s.name.as_str()),
        Some("Huda")
    );
    assert_eq!(receipt.paid_at, "2026-12-03T21:00:00.250Z");
    assert!(receipt.refunds.is_empty());
}

#[test]
fn the_saudi_qr_on_the_receipt_decodes_to_the_five_tlv_fields() {
    let cart = saudi_cart();
    let receipt = build(
        &sale("SAR", &cart.total.clone(), Some(cart)),
        context(Language::Ar, Some(" 300000000000003 ")),
        no_names,
    )
    .unwrap();
    assert_eq!(receipt.tax_qr_problem, None);
    let qr = receipt.tax_qr.expect("a SAR receipt carries the tax QR");
    assert_eq!(
        tlv_fields(&qr.payload),
        [
            (1, "متجر التمور".to_owned()),
            (2, "300000000000003".to_owned()),
            (3, "2026-12-03T21:00:00Z".to_owned()),
            (4, "25.20".to_owned()),
            (5, "2.70".to_owned()),
        ]
    );
    assert!(qr.svg.starts_with("<svg"), "{}", &qr.svg[..40]);
    // The QR is drawn from the same payload (decoded back by the QR library's own reader is
    // out of reach; the matrix is the one `qr::svg` renders for this text).
    assert_eq!(qr.svg, crate::qr::svg(&qr.payload).unwrap());
}

#[test]
fn a_saudi_receipt_without_a_vat_number_names_the_setting_and_has_no_qr() {
    for vat_number in [None, Some("  ")] {
        let receipt = build(
            &sale("SAR", "11.50", None),
            context(Language::En, vat_number),
            no_names,
        )
        .unwrap();
        assert_eq!(receipt.tax_qr, None);
        let problem = receipt.tax_qr_problem.expect("a problem instead of the QR");
        assert_eq!(problem.code, ProblemCode::ReceiptVatNumberMissing);
        assert!(
            problem.message.contains("VAT number"),
            "{}",
            problem.message
        );
    }
    // Other currencies have no tax QR and no problem.
    let kuwait = build(
        &sale("KWD", "1.250", None),
        context(Language::En, None),
        no_names,
    )
    .unwrap();
    assert_eq!((kuwait.tax_qr, kuwait.tax_qr_problem), (None, None));
}

#[test]
fn a_typed_amount_is_one_custom_line_named_in_the_receipts_language() {
    let english = build(
        &sale("KWD", "12.500", None),
        context(Language::En, None),
        no_names,
    )
    .unwrap();
    assert_eq!(english.lines.len(), 1);
    let l = &english.lines[0];
    assert_eq!(
        (
            l.name.as_str(),
            l.quantity.as_str(),
            l.unit_price.as_str(),
            l.amount.as_str()
        ),
        ("Custom amount", "1", "12.500", "12.500")
    );
    assert_eq!(
        (
            english.subtotal.as_str(),
            english.vat_total.as_str(),
            english.total.as_str()
        ),
        ("12.500", "0.000", "12.500")
    );
    assert_eq!(english.sale_discount, "0.000");
    assert!(english.vat.is_empty());
    let arabic = build(
        &sale("KWD", "12.500", None),
        context(Language::Ar, None),
        no_names,
    )
    .unwrap();
    assert_eq!(arabic.lines[0].name, CUSTOM_LINE_NAME_AR);
}

#[test]
fn an_arabic_receipt_names_catalog_items_in_arabic_and_keeps_english_without_one() {
    let cart = priced(&Cart {
        currency: CurrencyCode::parse("KWD").unwrap(),
        prices_include_tax: true,
        lines: vec![
            line(Some("item-tea"), "Karak tea", "0.750", "2", 0),
            line(Some("item-water"), "Water", "1.050", "1", 5),
            line(None, "Gift wrap", "1.000", "1", 0),
        ],
        discount: None,
    });
    let names = |id: &str| (id == "item-tea").then(|| "شاي كرك".to_owned());
    let receipt = build(
        &sale("KWD", &cart.total, Some(cart.clone())),
        context(Language::Ar, None),
        names,
    )
    .unwrap();
    let got: Vec<_> = receipt.lines.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(got, ["شاي كرك", "Water", "Gift wrap"]);
    let english = build(
        &sale("KWD", &cart.total.clone(), Some(cart)),
        context(Language::En, None),
        names,
    )
    .unwrap();
    assert_eq!(english.lines[0].name, "Karak tea");
    assert_eq!(english.lines[0].amount, "1.500");
    assert!(english.prices_include_tax);
}

fn refund(id: &str, amount: &str, state: OperationState) -> SaleOperation {
    SaleOperation {
        id: id.into(),
        sale_id: "sale-1".into(),
        kind: OperationKind::Refund,
        amount: Some(amount.into()),
        currency_code: "KWD".into(),
        state,
        result_amount: None,
        reference_number: Some(format!("ref-{id}")),
        problem: None,
        created_at: "2026-12-03T22:00:00.000Z".into(),
        updated_at: "2026-12-03T22:00:01.000Z".into(),
        created_by: None,
        approved_by: None,
    }
}

#[test]
fn refunds_done_are_listed_and_taken_off_the_net_total() {
    let mut partly = sale("KWD", "12.500", None);
    partly.operations = vec![
        refund("r1", "2.000", OperationState::Done),
        refund("r2", "1.000", OperationState::Refused),
        refund("r3", "0.5", OperationState::Done),
    ];
    let receipt = build(&partly, context(Language::En, None), no_names).unwrap();
    let refunds: Vec<_> = receipt
        .refunds
        .iter()
        .map(|r| (r.amount.as_str(), r.reference.as_deref()))
        .collect();
    assert_eq!(
        refunds,
        [("2.000", Some("ref-r1")), ("0.500", Some("ref-r3"))]
    );
    assert_eq!(receipt.total, "12.500");
    assert_eq!(receipt.net_total, "10.000");
    let text = receipt.plain_text();
    assert!(text.contains("Refunded      -2.000 KWD"), "{text}");
    assert!(text.contains("Kept           10.000 KWD"), "{text}");

    let mut whole = sale("KWD", "12.500", None);
    whole.state = SaleState::Refunded;
    whole.operations = vec![refund("r1", "12.500", OperationState::Done)];
    let receipt = build(&whole, context(Language::En, None), no_names).unwrap();
    assert_eq!(receipt.net_total, "0.000");
}

#[test]
fn only_a_paid_sale_has_a_receipt() {
    for state in SaleState::ALL {
        let mut s = sale("KWD", "1.000", None);
        s.state = state;
        let result = build(&s, context(Language::En, None), no_names);
        match state {
            SaleState::Paid | SaleState::Refunded => assert!(result.is_ok(), "{state:?}"),
            _ => {
                let error = result.unwrap_err();
                assert_eq!(
                    error.problem().code,
                    ProblemCode::ReceiptNotPaid,
                    "{state:?}"
                );
            }
        }
    }
}

#[test]
fn the_plain_text_has_the_shop_lines_totals_and_references() {
    let cart = saudi_cart();
    let receipt = build(
        &sale("SAR", &cart.total.clone(), Some(cart)),
        context(Language::En, Some("300000000000003")),
        no_names,
    )
    .unwrap();
    let text = receipt.plain_text();
    for wanted in [
        "متجر التمور",
        "VAT number: 300000000000003",
        "Order POS-20261203-ABC123",
        "Ottu reference ottu-session-1",
        "Served by Huda",
        "Dates box",
        "  2 x 10.00 = 20.00 SAR",
        "Discount      -2.50 SAR",
        "VAT 15%        2.70 SAR",
        "Total          25.20 SAR",
        "Simplified tax invoice QR: ",
    ] {
        assert!(text.contains(wanted), "{wanted:?} missing from\n{text}");
    }
}
