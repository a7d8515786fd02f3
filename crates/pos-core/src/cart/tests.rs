use std::str::FromStr;

use proptest::prelude::*;

use super::*;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn line(price: &str, qty: &str, vat: u8, discount: Option<DiscountValue>) -> CartLine {
    CartLine {
        item_id: None,
        sku: "SKU".into(),
        description: "Item".into(),
        quantity: d(qty),
        unit_price: d(price),
        vat_rate: vat,
        discount,
    }
}

fn cart(
    currency: &str,
    inclusive: bool,
    lines: Vec<CartLine>,
    discount: Option<DiscountValue>,
) -> Cart {
    Cart {
        currency: CurrencyCode::parse(currency).unwrap(),
        prices_include_tax: inclusive,
        lines,
        discount,
    }
}

#[test]
fn spread_is_exact_proportional_and_capped() {
    assert_eq!(spread(100, &[100, 100, 100]), [34, 33, 33]);
    assert_eq!(spread(5, &[1, 1]), [1, 1], "capped at the lines' value");
    assert_eq!(spread(10, &[5, 5]), [5, 5]);
    assert_eq!(spread(7, &[1, 100]), [0, 7]);
    assert_eq!(spread(3, &[1, 1, 1, 0]), [1, 1, 1, 0]);
    assert_eq!(spread(0, &[4, 4]), [0, 0]);
}

#[test]
fn tax_inclusive_5_percent_in_kwd() {
    // Tea 0.250 incl. 5 % VAT ×2, and a 1.050 box at 15 %; 10 % off the sale.
    let c = cart(
        "KWD",
        true,
        vec![line("0.250", "2", 5, None), line("1.050", "1", 15, None)],
        Some(DiscountValue::Percent(d("10"))),
    );
    let p = c.price().unwrap();
    // Shelf: 0.500 + 1.050 = 1.550; 10 % = 0.155, spread 0.050 / 0.105 (exact shares).
    assert_eq!(p.sale_discount, d("0.155"));
    assert_eq!(p.lines[0].sale_discount_share, d("0.050"));
    assert_eq!(p.lines[1].sale_discount_share, d("0.105"));
    assert_eq!(p.shelf_total, d("1.395"));
    // Tea: pre-tax 0.238 each → 0.476 + 0.024 VAT = 0.500; after the share, 0.450 incl.
    assert_eq!(p.lines[0].unit_price_excl_tax, d("0.238"));
    assert_eq!(p.lines[0].ottu.total_incl_tax, d("0.450"));
    assert_eq!(p.lines[1].ottu.total_incl_tax, d("0.945"));
    assert_eq!(p.ottu.total_incl_tax, d("1.395"));
    let t = CartTotals::new(&c, &p);
    assert!(t.matches_shelf);
    assert_eq!(
        t.vat
            .iter()
            .map(|v| (v.rate, v.tax.as_str()))
            .collect::<Vec<_>>(),
        [(5, "0.021"), (15, "0.123")]
    );
    assert_eq!(t.total, "1.395");
}

#[test]
fn tax_exclusive_prices_go_to_ottu_as_they_are() {
    let c = cart(
        "SAR",
        false,
        vec![
            line("10.00", "3", 15, Some(DiscountValue::Amount(d("1.00")))),
            line("2.50", "1", 0, None),
        ],
        Some(DiscountValue::Amount(d("3.15"))),
    );
    let p = c.price().unwrap();
    // After line discounts: 29.00 and 2.50 (31.50); 3.15 spread 2.90 / 0.25.
    assert_eq!(p.lines[0].discount_excl_tax, d("3.90"));
    assert_eq!(p.lines[1].discount_excl_tax, d("0.25"));
    assert_eq!(p.lines[0].ottu.tax_amount, d("3.92"));
    assert_eq!(p.ottu.total_incl_tax, d("32.27"));
    let items = c.invoice_items(&p).unwrap();
    assert_eq!(items[0].unit_price.as_str(), "10.00");
    assert_eq!(
        items[0].discount,
        Some(Discount::Amount(
            Amount::parse("3.90", &c.currency).unwrap()
        ))
    );
}

#[test]
fn an_unreachable_inclusive_total_is_shown_not_hidden() {
    // 3 × 0.100 at 15 %: pre-tax 0.087 → 0.261 + 0.039 = 0.300 works; 3 × 0.101 does not.
    let c = cart("KWD", true, vec![line("0.101", "3", 15, None)], None);
    let p = c.price().unwrap();
    let t = CartTotals::new(&c, &p);
    assert_eq!(t.shelf_total, "0.303");
    assert!(!t.matches_shelf, "{t:?}");
    assert_ne!(t.total, t.shelf_total);
}

#[test]
fn bad_carts_name_their_fields() {
    let c = cart(
        "KWD",
        true,
        vec![line(
            "1.0001",
            "0",
            7,
            Some(DiscountValue::Percent(d("101"))),
        )],
        Some(DiscountValue::Amount(d("-1"))),
    );
    let e = c.field_errors();
    let keys: Vec<&str> = e.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "discount",
            "lines.0.discount",
            "lines.0.quantity",
            "lines.0.unit_price",
            "lines.0.vat_rate"
        ]
    );
    let too_much = cart(
        "KWD",
        false,
        vec![line("1", "1", 0, Some(DiscountValue::Amount(d("2"))))],
        None,
    );
    assert!(too_much.field_errors().contains_key("lines.0.discount"));
    let sale_too_much = cart(
        "KWD",
        false,
        vec![line("1", "1", 0, None)],
        Some(DiscountValue::Amount(d("1.001"))),
    );
    assert!(sale_too_much.field_errors().contains_key("discount"));
    let free = cart(
        "KWD",
        false,
        vec![line("1", "1", 0, Some(DiscountValue::Percent(d("100"))))],
        None,
    );
    assert!(
        free.field_errors().contains_key("lines"),
        "a zero total is refused"
    );
    assert!(
        cart("KWD", false, vec![], None)
            .field_errors()
            .contains_key("lines")
    );
}

// ----- the independent computation: integers in minor units, exact fractions -----

/// `num / den` rounded half up (both ≥ 0, den > 0).
fn half_up(num: i128, den: i128) -> i128 {
    (2 * num + den) / (2 * den)
}

fn units(v: Decimal, scale: u32) -> i128 {
    let mut v = v;
    v.rescale(scale);
    v.mantissa()
}

/// Ottu's line total from what is sent, in minor units: (excl, tax, incl).
fn ottu_line(qty_milli: i128, unit: i128, disc: i128, vat: i128) -> (i128, i128, i128) {
    let qp = half_up(qty_milli * unit, 1000);
    let excl = qp - disc;
    let tax = half_up(excl * vat, 100);
    (excl, tax, excl + tax)
}

/// A random line: price in minor units, quantity in thousandths, VAT, and a discount
/// (`true`: basis points of a percentage; `false`: minor units).
type LineSpec = (i128, i128, u8, Option<(bool, i128)>);

#[derive(Debug, Clone)]
struct Case {
    currency: &'static str,
    inclusive: bool,
    lines: Vec<LineSpec>,
    sale: Option<(bool, i128)>,
}

fn case() -> impl Strategy<Value = Case> {
    let currency = prop::sample::select(vec!["KWD", "SAR", "OMR", "JPY", "AED"]);
    let qty = prop_oneof![4 => (1i128..=12).prop_map(|q| q * 1000), 1 => 1i128..=5_000];
    let discount = prop::option::weighted(0.4, (any::<bool>(), 0i128..=10_000));
    let line = (
        1i128..=200_000,
        qty,
        prop::sample::select(VAT_RATES.to_vec()),
        discount,
    );
    (
        currency,
        any::<bool>(),
        prop::collection::vec(line, 1..=8),
        prop::option::weighted(0.4, (any::<bool>(), 0i128..=10_000)),
    )
        .prop_map(|(currency, inclusive, lines, sale)| Case {
            currency,
            inclusive,
            lines,
            sale,
        })
}

fn discount_value(spec: Option<(bool, i128)>, dec: u32) -> Option<DiscountValue> {
    spec.map(|(percent, v)| {
        if percent {
            // 0.00–100.00 %.
            DiscountValue::Percent(Decimal::from_i128_with_scale(v, 2))
        } else {
            DiscountValue::Amount(Decimal::from_i128_with_scale(v, dec))
        }
    })
}

fn build(c: &Case) -> Cart {
    let currency = CurrencyCode::parse(c.currency).unwrap();
    let dec = currency.minor_units();
    Cart {
        lines: c
            .lines
            .iter()
            .map(|(price, qty, vat, disc)| CartLine {
                item_id: None,
                sku: "S".into(),
                description: "D".into(),
                quantity: Decimal::from_i128_with_scale(*qty, 3).normalize(),
                unit_price: Decimal::from_i128_with_scale(*price, dec),
                vat_rate: *vat,
                discount: discount_value(*disc, dec),
            })
            .collect(),
        discount: discount_value(c.sale, dec),
        currency,
        prices_include_tax: c.inclusive,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_carts_price_as_ottu_computes(c in case()) {
        let cart = build(&c);
        let dec = cart.currency.minor_units();
        // The shelf side, independently: line values, line discounts, the sale discount.
        let gross: Vec<i128> = c.lines.iter().map(|(p, q, _, _)| half_up(p * q, 1000)).collect();
        let line_disc: Vec<i128> = c.lines.iter().zip(&gross).map(|((_, _, _, disc), g)| match disc {
            None => 0,
            Some((true, bp)) => half_up(g * bp, 10_000),
            Some((false, a)) => *a,
        }).collect();
        let priced = cart.price();
        if line_disc.iter().zip(&gross).any(|(x, g)| x > g) {
            prop_assert!(priced.is_err());
            return Ok(());
        }
        let after: Vec<i128> = gross.iter().zip(&line_disc).map(|(g, x)| g - x).collect();
        let after_sum: i128 = after.iter().sum();
        let sale = match c.sale { None => 0, Some((true, bp)) => half_up(after_sum * bp, 10_000), Some((false, a)) => a };
        if sale > after_sum {
            prop_assert!(priced.is_err());
            return Ok(());
        }
        let p = priced.unwrap();
        prop_assert_eq!(units(p.sale_discount, dec), sale);
        let shares: Vec<i128> = p.lines.iter().map(|l| units(l.sale_discount_share, dec)).collect();
        prop_assert_eq!(shares.iter().sum::<i128>(), sale);
        for (share, a) in shares.iter().zip(&after) {
            prop_assert!(*share >= 0 && share <= a);
            // Within one minor unit of the exact proportional share.
            if after_sum > 0 {
                prop_assert!((share * after_sum - sale * a).abs() < after_sum);
            }
        }
        prop_assert_eq!(units(p.shelf_total, dec), after_sum - sale);

        // Ottu's side, independently, from exactly what is sent.
        let items = cart.invoice_items(&p).unwrap();
        let mut total = 0;
        for ((item, pl), (i, (_, q, vat, _))) in items.iter().zip(&p.lines).zip(c.lines.iter().enumerate()) {
            let unit = units(item.unit_price.to_decimal(), dec);
            let disc = match &item.discount { None => 0, Some(Discount::Amount(a)) => units(a.to_decimal(), dec), Some(_) => unreachable!() };
            let (excl, tax, incl) = ottu_line(*q, unit, disc, i128::from(*vat));
            prop_assert!(excl >= 0);
            prop_assert_eq!((units(pl.ottu.total_excl_tax, dec), units(pl.ottu.tax_amount, dec), units(pl.ottu.total_incl_tax, dec)), (excl, tax, incl));
            if c.inclusive {
                let shelf = after[i] - shares[i];
                let gap = (incl - shelf).abs();
                if item.discount.is_some() {
                    // A discount absorbs the rounding: at most one minor unit off.
                    prop_assert!(gap <= 1, "line {} off by {}", i, gap);
                } else {
                    // Without one, the nearest pre-tax price: within the VAT-inclusive step of the quantity.
                    let step = half_up(*q * (100 + i128::from(*vat)), 100_000) + 1;
                    prop_assert!(gap <= step, "line {} off by {} (step {})", i, gap, step);
                }
            } else {
                prop_assert_eq!(unit, c.lines[i].0);
                prop_assert_eq!(disc, line_disc[i] + shares[i]);
            }
            total += incl;
        }
        prop_assert_eq!(units(p.ottu.total_incl_tax, dec), total);
        let t = CartTotals::new(&cart, &p);
        prop_assert_eq!(t.matches_shelf, !c.inclusive || total == after_sum - sale);
        let vat_sum: i128 = t.vat.iter().map(|v| units(d(&v.tax), dec)).sum();
        prop_assert_eq!(vat_sum, units(d(&t.tax_amount), dec));

        // Ottu's own checks (the client's copy of them) accept the invoice whenever the cart does.
        if total > 0 {
            prop_assert!(cart.field_errors().is_empty(), "{:?}", cart.field_errors());
            let request = ottu_checkout::invoice::CreateInvoice::new(
                ottu_checkout::checkout::CheckoutType::ECommerce,
                cart.currency,
                vec![ottu_checkout::PgCode::parse("knet").unwrap()],
                "INV-1",
                "2026-12-31",
                items,
            );
            prop_assert!(request.field_errors().is_empty(), "{:?}", request.field_errors());
            let (_, totals) = request.totals().unwrap();
            prop_assert_eq!(units(totals.total_incl_tax, dec), total);
        }
    }
}
