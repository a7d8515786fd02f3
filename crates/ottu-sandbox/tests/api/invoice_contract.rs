//! The `ottu-checkout` invoice client against the sandbox: create, a total Ottu would refuse
//! surfacing as a field error, and property tests on random carts (the client's totals are
//! always accepted, and equal an independent computation in integer minor units).

use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};

use ottu_checkout::checkout::{CheckoutType, PaymentState};
use ottu_checkout::invoice::{CreateInvoice, Discount, NewInvoiceItem};
use ottu_checkout::{Amount, CurrencyCode, Error, PgCode};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use rust_decimal::Decimal;

use crate::helpers::spawn_sandbox;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn documented_example(number: &str) -> CreateInvoice {
    let kwd = CurrencyCode::KWD;
    CreateInvoice::new(
        CheckoutType::ECommerce,
        kwd,
        vec![PgCode::parse("credit-card").unwrap()],
        number,
        "2030-12-29",
        vec![NewInvoiceItem::new(
            "ABC111",
            "Test",
            d("1.111"),
            Amount::parse("5.234", &kwd).unwrap(),
        )],
    )
}

#[tokio::test]
async fn the_client_creates_an_invoice_and_reads_it_back() {
    let sandbox = spawn_sandbox().await;
    let client = sandbox.client();
    let mut request = documented_example("CL-1");
    request.items[0].discount = Some(Discount::Percentage(d("12")));
    request.items[0].tax_rate = Some(d("5"));
    request.company_name = Some("Ottu Cafe".into());
    let invoice = client.invoices().create(&request).await.expect("create");
    assert_eq!(invoice.checkout.state, Some(PaymentState::Created));
    assert_eq!(invoice.checkout.amount.as_ref().unwrap().as_str(), "5.373");
    assert_eq!(invoice.total_incl_tax, Some(d("5.373")));
    assert_eq!(invoice.invoice_number.as_deref(), Some("CL-1"));
    assert_eq!(invoice.status.as_deref(), Some("sent"));
    assert_eq!(invoice.invoice_items.len(), 1);
    assert_eq!(invoice.invoice_items[0].discount_amount, Some(d("0.698")));
    assert!(
        invoice
            .invoice_pdf_url
            .as_deref()
            .unwrap()
            .contains("/invoice/pdf/")
    );
    // Retrieve through the checkout resource.
    let session = client
        .checkout()
        .retrieve(&invoice.checkout.session_id)
        .await
        .expect("retrieve");
    assert_eq!(session.amount, invoice.checkout.amount);
}

#[tokio::test]
async fn a_total_ottu_would_refuse_comes_back_as_a_field_error() {
    let sandbox = spawn_sandbox().await;
    let client = sandbox.client();
    // The client never sends a wrong total, so send one by hand (the client's body with one
    // VAL CALC field changed): the sandbox refuses it, and the client's error parser reads the
    // nested item error under the server's path (checked at the end).
    let mut body = documented_example("CL-2").to_json();
    body["invoice_items"][0]["total_incl_tax"] = serde_json::json!("5.814");
    let response = sandbox
        .http
        .post(format!("{}/b/invoice/v1/invoice/", sandbox.base_url()))
        .header("Authorization", sandbox.api_key_header())
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    // The client itself never sends a total that disagrees; what it cannot compute it refuses
    // locally, with the server's field names (a discount above the subtotal).
    let mut request = documented_example("CL-3");
    request.send_totals = false;
    request.discount = Some(Discount::Amount(
        Amount::parse("6", &CurrencyCode::KWD).unwrap(),
    ));
    let err = client.invoices().create(&request).await.unwrap_err();
    assert!(err.is_local_validation(), "{err:?}");
    assert!(err.field_errors().unwrap().contains("discount_amount"));
    // A server-side refusal surfaces with the server's field path.
    client
        .invoices()
        .create(&documented_example("CL-4"))
        .await
        .unwrap();
    let err = client
        .invoices()
        .create(&documented_example("CL-4"))
        .await
        .unwrap_err();
    match &err {
        Error::Validation {
            status: Some(400), ..
        } => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(
        err.field_errors().unwrap().messages("invoice_number"),
        vec!["invoice with this invoice number already exists."]
    );
    // The mismatching raw body's error, read by the client's error parser, names the item.
    let text = response.text().await.unwrap();
    let parsed = ottu_checkout::ErrorBody::parse(&text);
    assert_eq!(
        parsed.fields.messages("invoice_items.0.total_incl_tax"),
        vec!["The calculated value is 5.815, not 5.814."]
    );
}

/// Half-up division of a non-negative integer by a power of ten.
fn div_half_up(value: i128, divisor: i128) -> i128 {
    (value + divisor / 2) / divisor
}

/// The straightforward computation, in integer minor units: amounts are integers of
/// `10^-dec`, quantities of `10^-3`, rates of `10^-2` percent.
struct Plain {
    lines: Vec<i128>,
    total: i128,
}

#[allow(clippy::type_complexity)]
fn plain(
    dec: u32,
    items: &[(i128, i128, Option<i128>, Option<(bool, i128)>)],
    discount: Option<(bool, i128)>,
    tax: Option<i128>,
    shipping: Option<(i128, i128)>,
) -> Plain {
    let _ = dec;
    let mut lines = Vec::new();
    for (qty_milli, price, tax_c, disc) in items {
        let qp = div_half_up(qty_milli * price, 1000);
        let disc = match disc {
            None => 0,
            Some((true, pct_c)) => div_half_up(qp * pct_c, 10_000),
            Some((false, amount)) => *amount,
        };
        let excl = qp - disc;
        let tax_v = div_half_up(excl * tax_c.unwrap_or(0), 10_000);
        lines.push(excl + tax_v);
    }
    let subtotal: i128 = lines.iter().sum();
    let disc = match discount {
        None => 0,
        Some((true, pct_c)) => div_half_up(subtotal * pct_c, 10_000),
        Some((false, amount)) => amount,
    };
    let excl = subtotal - disc;
    let tax_v = div_half_up(excl * tax.unwrap_or(0), 10_000);
    let ship = shipping.map_or(0, |(s, rate_c)| s + div_half_up(s * rate_c, 10_000));
    Plain {
        lines,
        total: excl + tax_v + ship,
    }
}

fn units(value: i128, decimals: u32) -> Decimal {
    Decimal::from_i128_with_scale(value, decimals)
}

#[test]
fn random_carts_priced_by_the_client_are_always_accepted_by_the_sandbox() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let sandbox = runtime.block_on(spawn_sandbox());
    let client = sandbox.client();
    let counter = AtomicU64::new(0);
    let rate = prop_oneof![
        Just(0i128),
        Just(500),
        Just(1000),
        Just(1500),
        0i128..=10_000
    ];
    let item = (
        1i128..=20_000,  // quantity in thousandths (0.001 to 20)
        0i128..=500_000, // unit price in minor units
        proptest::option::of(rate.clone()),
        proptest::option::of(prop_oneof![
            (0i128..=10_000).prop_map(|p| (true, p)),
            (0i128..=1_000).prop_map(|a| (false, a)),
        ]),
    );
    let cart = (
        prop_oneof![Just("KWD"), Just("USD"), Just("OMR"), Just("EUR")],
        proptest::collection::vec(item, 1..6),
        proptest::option::of((0i128..=5_000).prop_map(|p| (true, p))),
        proptest::option::of(rate),
        proptest::option::of((0i128..=5_000, 0i128..=10_000)),
    );
    let mut runner = TestRunner::new(Config {
        cases: 64,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&cart, |(code, items, discount, tax, shipping)| {
            let currency = CurrencyCode::parse(code).unwrap();
            let dec = currency.minor_units();
            // Item discounts never above the line's value (the sandbox and Ottu refuse that).
            let items: Vec<_> = items
                .into_iter()
                .map(|(q, p, t, disc)| {
                    let qp = div_half_up(q * p, 1000);
                    let disc = disc.map(|(pct, v)| if pct { (pct, v) } else { (pct, v.min(qp)) });
                    (q, p, t, disc)
                })
                .collect();
            let expected = plain(dec, &items, discount, tax, shipping);
            let n = counter.fetch_add(1, Ordering::Relaxed);
            let mut request = CreateInvoice::new(
                CheckoutType::ECommerce,
                currency,
                vec![PgCode::parse("credit-card").unwrap()],
                format!("PROP-{n}"),
                "2030-01-01",
                items
                    .iter()
                    .enumerate()
                    .map(|(i, (q, p, t, disc))| NewInvoiceItem {
                        tax_rate: t.map(|t| units(t, 2)),
                        discount: disc.map(|(pct, v)| {
                            if pct {
                                Discount::Percentage(units(v, 2))
                            } else {
                                Discount::Amount(
                                    Amount::parse(&units(v, dec).to_string(), &currency).unwrap(),
                                )
                            }
                        }),
                        ..NewInvoiceItem::new(
                            format!("SKU{i}"),
                            "Item",
                            units(*q, 3),
                            Amount::parse(&units(*p, dec).to_string(), &currency).unwrap(),
                        )
                    })
                    .collect(),
            );
            request.discount = discount.map(|(_, v)| Discount::Percentage(units(v, 2)));
            request.tax_rate = tax.map(|t| units(t, 2));
            if let Some((s, r)) = shipping {
                request.shipping_excl_tax =
                    Some(Amount::parse(&units(s, dec).to_string(), &currency).unwrap());
                request.shipping_tax_rate = Some(units(r, 2));
            }
            // The client's totals equal the independent computation.
            let (lines, totals) = request.totals().expect("no overflow");
            for (line, plain_line) in lines.iter().zip(&expected.lines) {
                prop_assert_eq!(line.total_incl_tax, units(*plain_line, dec));
            }
            prop_assert_eq!(totals.total_incl_tax, units(expected.total, dec));
            if expected.total <= 0 {
                // A zero invoice is refused locally; nothing to send.
                prop_assert!(request.validate().is_err());
                return Ok(());
            }
            let created = runtime
                .block_on(client.invoices().create(&request))
                .map_err(|e| TestCaseError::fail(format!("{e:?}\n{}", request.to_json())))?;
            prop_assert_eq!(created.total_incl_tax, Some(units(expected.total, dec)));
            Ok(())
        })
        .unwrap();
    runtime.block_on(sandbox.shutdown());
}
