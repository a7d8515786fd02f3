//! Carts priced by `pos_core::cart` and sent as invoices to the real sandbox: Ottu's checks
//! (the sandbox's copy, over HTTP) accept every one, and charge exactly the cart's total.

use std::str::FromStr;

use ottu_checkout::checkout::CheckoutType;
use ottu_checkout::invoice::CreateInvoice;
use ottu_checkout::{CurrencyCode, PgCode};
use ottu_sandbox::test_support::spawn_sandbox;
use pos_core::cart::{Cart, CartLine, CartTotals, DiscountValue};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;

fn random_cart(rng: &mut StdRng) -> Cart {
    let currency = ["KWD", "SAR", "OMR", "AED", "BHD"][rng.gen_range(0..5)];
    let currency = CurrencyCode::parse(currency).unwrap();
    let dec = currency.minor_units();
    let discount = |rng: &mut StdRng, most: i64| -> Option<DiscountValue> {
        match rng.gen_range(0..4) {
            0 => Some(DiscountValue::Percent(Decimal::new(
                rng.gen_range(0..=5_000),
                2,
            ))),
            1 => Some(DiscountValue::Amount(Decimal::new(
                rng.gen_range(0..=most),
                dec,
            ))),
            _ => None,
        }
    };
    let lines = (0..rng.gen_range(1..=6))
        .map(|i| {
            let price = rng.gen_range(1..=50_000i64);
            let quantity = if rng.gen_bool(0.8) {
                Decimal::from(rng.gen_range(1..=9))
            } else {
                Decimal::new(rng.gen_range(1..=4_000), 3)
            };
            CartLine {
                item_id: None,
                sku: format!("SKU-{i}"),
                description: format!("Item {i}"),
                quantity,
                unit_price: Decimal::new(price, dec),
                vat_rate: [0, 5, 10, 15][rng.gen_range(0..4)],
                discount: discount(rng, price / 2),
            }
        })
        .collect();
    Cart {
        currency,
        prices_include_tax: rng.gen_bool(0.5),
        lines,
        discount: discount(rng, 1_000),
    }
}

#[tokio::test]
async fn the_sandbox_accepts_every_priced_cart_and_charges_its_total() {
    let sandbox = spawn_sandbox().await;
    let client = sandbox.client();
    let mut rng = StdRng::seed_from_u64(20261203);
    let mut sent = 0;
    for n in 0..40 {
        let cart = random_cart(&mut rng);
        let Ok(priced) = cart.price() else { continue };
        if !cart.field_errors().is_empty() {
            continue;
        }
        let totals = CartTotals::new(&cart, &priced);
        let request = CreateInvoice::new(
            CheckoutType::ECommerce,
            cart.currency,
            vec![PgCode::parse("credit-card").unwrap()],
            format!("CART-{n}"),
            "2030-01-01",
            cart.invoice_items(&priced).unwrap(),
        );
        let invoice = client
            .invoices()
            .create(&request)
            .await
            .unwrap_or_else(|e| panic!("cart {n} refused: {e:?}\n{cart:?}"));
        let charged = invoice.checkout.amount.expect("an amount");
        assert_eq!(
            charged.to_decimal(),
            Decimal::from_str(&totals.total).unwrap(),
            "cart {n}"
        );
        // The invoice's own `tax_amount` is its invoice-level tax (none here); VAT is the lines'.
        let vat: Decimal = invoice
            .invoice_items
            .iter()
            .filter_map(|l| l.tax_amount)
            .sum();
        assert_eq!(
            vat,
            Decimal::from_str(&totals.tax_amount).unwrap(),
            "cart {n}"
        );
        sent += 1;
    }
    assert!(sent >= 30, "only {sent} carts were sendable");
}
