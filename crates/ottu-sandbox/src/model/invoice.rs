//! [`Invoice`]: what the Invoice API (`POST /b/invoice/v1/invoice/`) adds to a checkout
//! transaction: its number, due date, items and the totals Ottu computes from them.
//!
//! The arithmetic is Ottu's "Invoice Generation Logic" (ottuco/docs
//! `docs/developers/invoices.mdx`, section "Invoice Generation Logic"): every step is rounded to
//! the currency's decimals (ISO 4217) with `ROUND_HALF_UP` (Python's decimal: halves away from
//! zero). Item level: `quantity_price = round(quantity × unit_price)`; `total_discount =
//! round(quantity_price × discount_percentage / 100)` or `discount_amount`; `total_excl_tax =
//! round(quantity_price − total_discount)`; `tax_amount = round(total_excl_tax × tax_rate /
//! 100)`; `total_incl_tax = round(total_excl_tax + tax_amount)`. Invoice level: `subtotal =
//! round(Σ item.total_incl_tax)`; the discount as above on `subtotal`; `total_excl_tax =
//! round(subtotal − total_discount)`; `tax_amount = round(total_excl_tax × tax_rate / 100)`;
//! `shipping_incl_tax = round(shipping_excl_tax + round(shipping_excl_tax × shipping_tax_rate
//! / 100))`; `total_incl_tax = round(total_excl_tax + tax_amount + shipping_incl_tax)`;
//! `amount = total_incl_tax`.
//!
//! This is the sandbox's own copy of the rule; the `ottu-checkout` client has another, written
//! separately from the same document, so the contract tests catch either drifting.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::money::Amount;

/// A discount as sent: at most one of the two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Discount {
    None,
    /// `discount_percentage`, 0 to 100.
    Percentage(Decimal),
    /// `discount_amount`, in the currency.
    Amount(Decimal),
}

/// Ottu's `round`: to `decimals` places, halves away from zero (`ROUND_HALF_UP`).
pub fn round(value: Decimal, decimals: u32) -> Decimal {
    value.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero)
}

/// `round(base × discount)`: the discount's value on `base`.
fn discount_on(base: Decimal, discount: Discount, decimals: u32) -> Option<Decimal> {
    Some(match discount {
        Discount::None => Decimal::ZERO,
        Discount::Percentage(p) => round(base.checked_mul(p)? / Decimal::ONE_HUNDRED, decimals),
        Discount::Amount(a) => a,
    })
}

fn percent_of(base: Decimal, rate: Decimal, decimals: u32) -> Option<Decimal> {
    Some(round(
        base.checked_mul(rate)? / Decimal::ONE_HUNDRED,
        decimals,
    ))
}

/// One item's computed values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemTotals {
    pub quantity_price: Decimal,
    pub discount: Decimal,
    pub total_excl_tax: Decimal,
    pub tax_amount: Decimal,
    pub total_incl_tax: Decimal,
}

/// An item's values; `None` on arithmetic overflow.
pub fn item_totals(
    quantity: Decimal,
    unit_price: Decimal,
    discount: Discount,
    tax_rate: Decimal,
    decimals: u32,
) -> Option<ItemTotals> {
    let quantity_price = round(quantity.checked_mul(unit_price)?, decimals);
    let discount = discount_on(quantity_price, discount, decimals)?;
    let total_excl_tax = round(quantity_price - discount, decimals);
    let tax_amount = percent_of(total_excl_tax, tax_rate, decimals)?;
    let total_incl_tax = round(total_excl_tax.checked_add(tax_amount)?, decimals);
    Some(ItemTotals {
        quantity_price,
        discount,
        total_excl_tax,
        tax_amount,
        total_incl_tax,
    })
}

/// The invoice's computed values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvoiceTotals {
    pub subtotal: Decimal,
    pub discount: Decimal,
    pub total_excl_tax: Decimal,
    pub tax_amount: Decimal,
    pub shipping_incl_tax: Decimal,
    pub total_incl_tax: Decimal,
}

/// The invoice's values from its items' `total_incl_tax`; `None` on overflow.
pub fn invoice_totals(
    item_totals_incl_tax: &[Decimal],
    discount: Discount,
    tax_rate: Decimal,
    shipping_excl_tax: Decimal,
    shipping_tax_rate: Decimal,
    decimals: u32,
) -> Option<InvoiceTotals> {
    let mut sum = Decimal::ZERO;
    for t in item_totals_incl_tax {
        sum = sum.checked_add(*t)?;
    }
    let subtotal = round(sum, decimals);
    let discount = discount_on(subtotal, discount, decimals)?;
    let total_excl_tax = round(subtotal - discount, decimals);
    let tax_amount = percent_of(total_excl_tax, tax_rate, decimals)?;
    let shipping_tax = percent_of(shipping_excl_tax, shipping_tax_rate, decimals)?;
    let shipping_incl_tax = round(shipping_excl_tax.checked_add(shipping_tax)?, decimals);
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

/// A stored invoice item: what was sent (normalised) and what was computed. Rates are kept
/// with 2 decimals, quantities with 3, money in the currency's decimals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvoiceItem {
    pub sku: String,
    pub description: String,
    pub quantity: Amount,
    pub unit_price: Amount,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_rate: Option<Amount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount_percentage: Option<Amount>,
    /// Sent, or computed from `discount_percentage`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount_amount: Option<Amount>,
    pub total_excl_tax: Amount,
    pub tax_amount: Amount,
    pub total_incl_tax: Amount,
}

/// The invoice part of a transaction created by the Invoice API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Invoice {
    /// Assigned when stored (a sandbox-wide sequence from 1).
    #[serde(default)]
    pub invoice_id: i64,
    /// Id of the first item; the others follow (a sandbox-wide sequence, like Django's ids).
    #[serde(default)]
    pub first_item_id: i64,
    pub invoice_number: String,
    /// `YYYY-MM-DD`.
    pub due_date: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    pub items: Vec<InvoiceItem>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_rate: Option<Amount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount_percentage: Option<Amount>,
    /// Sent, or computed from `discount_percentage`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount_amount: Option<Amount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping_excl_tax: Option<Amount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping_tax_rate: Option<Amount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping_method: Option<String>,
    pub subtotal: Amount,
    pub total_excl_tax: Amount,
    pub tax_amount: Amount,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping_incl_tax: Option<Amount>,
    pub total_incl_tax: Amount,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn the_documented_example_gives_5_815() {
        // invoices.mdx: quantity 1.111 × unit_price 5.234 KWD = 5.814974 → 5.815.
        let t = item_totals(d("1.111"), d("5.234"), Discount::None, Decimal::ZERO, 3).unwrap();
        assert_eq!(t.total_excl_tax, d("5.815"));
        assert_eq!(t.total_incl_tax, d("5.815"));
        let inv = invoice_totals(
            &[t.total_incl_tax],
            Discount::None,
            Decimal::ZERO,
            Decimal::ZERO,
            Decimal::ZERO,
            3,
        )
        .unwrap();
        assert_eq!(inv.total_incl_tax, d("5.815"));
    }

    #[test]
    fn halves_round_away_from_zero() {
        assert_eq!(round(d("0.0005"), 3), d("0.001"));
        assert_eq!(round(d("0.0015"), 3), d("0.002"));
        assert_eq!(round(d("2.5"), 0), d("3"));
        assert_eq!(round(d("0.125"), 2), d("0.13"));
    }

    #[test]
    fn a_percentage_discount_is_rounded_before_tax() {
        // 5.815 × 12 % = 0.6978 → 0.698; 5.815 − 0.698 = 5.117; tax 5 % = 0.25585 → 0.256.
        let t = item_totals(
            d("1.111"),
            d("5.234"),
            Discount::Percentage(d("12")),
            d("5"),
            3,
        )
        .unwrap();
        assert_eq!(t.discount, d("0.698"));
        assert_eq!(t.total_excl_tax, d("5.117"));
        assert_eq!(t.tax_amount, d("0.256"));
        assert_eq!(t.total_incl_tax, d("5.373"));
    }
}
