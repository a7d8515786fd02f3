//! Ottu's invoice arithmetic, pure and exact, so that the VAL CALC fields a caller sends are
//! always the values Ottu computes (a mismatch is a 400).
//!
//! The rule is Ottu's "Invoice Generation Logic" (ottuco/docs, `docs/developers/invoices.mdx`):
//! `round` is `ROUND_HALF_UP` as in Python's `decimal` (halves away from zero) to the
//! currency's ISO 4217 decimals, applied at every step:
//!
//! Item level:
//! 1. `quantity_price = round(quantity × unit_price)`
//! 2. `total_discount = round(quantity_price × discount_percentage / 100)` or `discount_amount`
//! 3. `total_excl_tax = round(quantity_price − total_discount)`
//! 4. `tax_amount = round(total_excl_tax × tax_rate / 100)`
//! 5. `total_incl_tax = round(total_excl_tax + tax_amount)`
//!
//! Invoice level:
//! 1. `subtotal = round(Σ item.total_incl_tax)`
//! 2. the invoice discount, as at item level, on `subtotal`
//! 3. `total_excl_tax = round(subtotal − total_discount)`
//! 4. `tax_amount = round(total_excl_tax × tax_rate / 100)`
//! 5. `shipping_incl_tax = round(shipping_excl_tax + round(shipping_excl_tax × shipping_tax_rate / 100))`
//! 6. `total_incl_tax = round(total_excl_tax + tax_amount + shipping_incl_tax)`
//! 7. `amount = total_incl_tax`
//!
//! Every function works on [`Decimal`] (never floats) and returns `None` on overflow.

use rust_decimal::{Decimal, RoundingStrategy};

/// A discount: a percentage (0–100) of the value, or a fixed amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiscountRule {
    /// `discount_percentage`.
    Percentage(Decimal),
    /// `discount_amount`, in the currency.
    Amount(Decimal),
}

/// Ottu's `round`: `decimals` places, `ROUND_HALF_UP` (halves away from zero).
pub fn round(value: Decimal, decimals: u32) -> Decimal {
    let mut v = value.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero);
    v.rescale(decimals);
    v
}

/// One line's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineTotals {
    /// `round(quantity × unit_price)`.
    pub quantity_price: Decimal,
    /// The discount's value (zero without one).
    pub discount: Decimal,
    /// `total_excl_tax`.
    pub total_excl_tax: Decimal,
    /// `tax_amount`.
    pub tax_amount: Decimal,
    /// `total_incl_tax`.
    pub total_incl_tax: Decimal,
}

/// The invoice's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvoiceTotals {
    /// `subtotal`.
    pub subtotal: Decimal,
    /// The invoice discount's value (zero without one).
    pub discount: Decimal,
    /// `total_excl_tax`.
    pub total_excl_tax: Decimal,
    /// `tax_amount`.
    pub tax_amount: Decimal,
    /// `shipping_incl_tax` (zero without shipping).
    pub shipping_incl_tax: Decimal,
    /// `total_incl_tax`, which is also `amount`.
    pub total_incl_tax: Decimal,
}

fn discount_value(base: Decimal, rule: Option<DiscountRule>, decimals: u32) -> Option<Decimal> {
    match rule {
        None => Some(round(Decimal::ZERO, decimals)),
        Some(DiscountRule::Percentage(p)) => Some(round(
            base.checked_mul(p)?.checked_div(Decimal::ONE_HUNDRED)?,
            decimals,
        )),
        Some(DiscountRule::Amount(a)) => Some(round(a, decimals)),
    }
}

fn share(base: Decimal, rate: Option<Decimal>, decimals: u32) -> Option<Decimal> {
    let rate = rate.unwrap_or(Decimal::ZERO);
    Some(round(
        base.checked_mul(rate)?.checked_div(Decimal::ONE_HUNDRED)?,
        decimals,
    ))
}

/// A line's values (item level, steps 1–5).
pub fn line(
    quantity: Decimal,
    unit_price: Decimal,
    discount: Option<DiscountRule>,
    tax_rate: Option<Decimal>,
    decimals: u32,
) -> Option<LineTotals> {
    let quantity_price = round(quantity.checked_mul(unit_price)?, decimals);
    let discount = discount_value(quantity_price, discount, decimals)?;
    let total_excl_tax = round(quantity_price.checked_sub(discount)?, decimals);
    let tax_amount = share(total_excl_tax, tax_rate, decimals)?;
    let total_incl_tax = round(total_excl_tax.checked_add(tax_amount)?, decimals);
    Some(LineTotals {
        quantity_price,
        discount,
        total_excl_tax,
        tax_amount,
        total_incl_tax,
    })
}

/// The invoice's values from its lines (invoice level, steps 1–7).
pub fn invoice(
    lines: &[LineTotals],
    discount: Option<DiscountRule>,
    tax_rate: Option<Decimal>,
    shipping_excl_tax: Option<Decimal>,
    shipping_tax_rate: Option<Decimal>,
    decimals: u32,
) -> Option<InvoiceTotals> {
    let sum = lines
        .iter()
        .try_fold(Decimal::ZERO, |acc, l| acc.checked_add(l.total_incl_tax))?;
    let subtotal = round(sum, decimals);
    let discount = discount_value(subtotal, discount, decimals)?;
    let total_excl_tax = round(subtotal.checked_sub(discount)?, decimals);
    let tax_amount = share(total_excl_tax, tax_rate, decimals)?;
    let shipping = shipping_excl_tax.unwrap_or(Decimal::ZERO);
    let shipping_incl_tax = round(
        shipping.checked_add(share(shipping, shipping_tax_rate, decimals)?)?,
        decimals,
    );
    let total_incl_tax = round(
        total_excl_tax
            .checked_add(tax_amount)?
            .checked_add(shipping_incl_tax)?,
        decimals,
    );
    Some(InvoiceTotals {
        subtotal,
        discount,
        total_excl_tax,
        tax_amount,
        shipping_incl_tax,
        total_incl_tax,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn the_guides_example_is_5_815() {
        let l = line(d("1.111"), d("5.234"), None, None, 3).unwrap();
        assert_eq!(l.total_incl_tax.to_string(), "5.815");
        let t = invoice(&[l], None, None, None, None, 3).unwrap();
        assert_eq!(t.total_incl_tax.to_string(), "5.815");
        assert_eq!(t.tax_amount.to_string(), "0.000");
    }

    #[test]
    fn halves_go_up_in_every_currency() {
        assert_eq!(round(d("0.125"), 2).to_string(), "0.13");
        assert_eq!(round(d("0.0005"), 3).to_string(), "0.001");
        assert_eq!(round(d("12.5"), 0).to_string(), "13");
        assert_eq!(round(d("1"), 3).to_string(), "1.000");
    }

    #[test]
    fn discount_then_tax_then_shipping() {
        let a = line(
            d("1.111"),
            d("5.234"),
            Some(DiscountRule::Percentage(d("12"))),
            Some(d("5")),
            3,
        )
        .unwrap();
        assert_eq!(
            (a.discount, a.total_excl_tax, a.tax_amount, a.total_incl_tax),
            (d("0.698"), d("5.117"), d("0.256"), d("5.373"))
        );
        let b = line(
            d("3"),
            d("0.333"),
            Some(DiscountRule::Amount(d("0.1"))),
            None,
            3,
        )
        .unwrap();
        let t = invoice(
            &[a, b],
            Some(DiscountRule::Percentage(d("10"))),
            Some(d("15")),
            Some(d("1.005")),
            Some(d("5")),
            3,
        )
        .unwrap();
        assert_eq!(t.subtotal, d("6.272"));
        assert_eq!(t.discount, d("0.627"));
        assert_eq!(t.total_excl_tax, d("5.645"));
        assert_eq!(t.tax_amount, d("0.847"));
        assert_eq!(t.shipping_incl_tax, d("1.055"));
        assert_eq!(t.total_incl_tax, d("7.547"));
    }
}
