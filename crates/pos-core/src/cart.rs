//! Cart arithmetic: lines (a catalog item or a custom amount), quantities, line and whole-sale
//! discounts, VAT per line, and the totals exactly as Ottu's Invoice API computes them
//! (`ottu_checkout::invoice::totals`: ROUND_HALF_UP to the currency's decimals at every step).
//! Pure: no I/O, no clock.
//!
//! # How a cart becomes Ottu invoice items
//!
//! Ottu's items carry prices *before* tax and take discounts before tax; its invoice-level
//! discount comes off the tax-inclusive subtotal without touching the tax. So the cart never
//! sends an invoice-level discount:
//!
//! 1. Every discount becomes an amount in the shelf's basis: a percentage is
//!    `round(value × p / 100)` of the line (or, whole-sale, of the lines after their own
//!    discounts).
//! 2. A whole-sale discount is spread over the lines in proportion to their value after line
//!    discounts, in minor units, by the largest-remainder method, so the shares add up to
//!    exactly the discount and no share exceeds its line. Each line's VAT is then computed on
//!    its own discounted value, so VAT per rate stays right.
//! 3. **Tax-exclusive shelf prices** go to Ottu as they are (`unit_price` = shelf price,
//!    `discount_amount` = the line's discount). The sale's total is Ottu's total.
//! 4. **Tax-inclusive shelf prices**: the line's shelf total is `round(quantity × price) −
//!    discount`. The cart picks the pre-tax `unit_price` (the price divided by `1 + rate`,
//!    rounded, then the nearest minor units around it) whose Ottu total-including-tax equals
//!    `round(quantity × price)`, and the pre-tax `discount_amount` whose Ottu line total equals
//!    the discounted shelf total. Where no pre-tax price reaches the shelf total exactly (a
//!    quantity above one, or a price a rounded VAT step skips over), the nearest is taken and
//!    [`CartTotals::matches_shelf`] is `false`: the cashier sees Ottu's total, which is what the
//!    customer will be asked to pay, next to the shelf total before creating the sale.

pub mod dto;

use ottu_checkout::invoice::totals::{self, InvoiceTotals, LineTotals};
use ottu_checkout::invoice::{Discount, NewInvoiceItem};
use ottu_checkout::{Amount, CurrencyCode};
use rust_decimal::Decimal;

pub use self::dto::{CartDiscount, CartInput, CartLineInput, CartLineTotals, CartTotals, VatTotal};
use crate::catalog::VAT_RATES;
use crate::error::{FieldErrors, Result};
use crate::problem;
use crate::problem::Problem;

/// Most lines a cart holds (Ottu's invoice item limit as the client knows it).
pub const MAX_LINES: usize = ottu_checkout::invoice::MAX_ITEMS;

/// A discount, resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiscountValue {
    /// An amount in the shelf's basis.
    Amount(Decimal),
    /// 0–100, at most 2 decimals.
    Percent(Decimal),
}

/// A line with everything known (a catalog item's fields filled in by the till).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CartLine {
    /// The catalog item, `None` for a custom amount.
    pub item_id: Option<String>,
    /// Ottu's `sku`.
    pub sku: String,
    /// Ottu's `description` (the name shown on the invoice and receipt).
    pub description: String,
    /// Above 0, at most 3 decimals.
    pub quantity: Decimal,
    /// Shelf price per unit in the cart's basis, with the currency's decimals.
    pub unit_price: Decimal,
    /// 0, 5, 10 or 15.
    pub vat_rate: u8,
    /// The line's own discount.
    pub discount: Option<DiscountValue>,
}

/// A cart ready to price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cart {
    /// The sale's currency.
    pub currency: CurrencyCode,
    /// Whether shelf prices include VAT.
    pub prices_include_tax: bool,
    /// The lines, in order.
    pub lines: Vec<CartLine>,
    /// The whole-sale discount.
    pub discount: Option<DiscountValue>,
}

/// One line as Ottu gets it, with Ottu's values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricedLine {
    /// Pre-tax unit price sent as `unit_price`.
    pub unit_price_excl_tax: Decimal,
    /// Pre-tax discount sent as `discount_amount` (zero: none sent).
    pub discount_excl_tax: Decimal,
    /// The line's shelf total after all its discounts (in the shelf basis).
    pub shelf_total: Decimal,
    /// The line's share of the whole-sale discount (shelf basis).
    pub sale_discount_share: Decimal,
    /// The line's own discount (shelf basis).
    pub line_discount: Decimal,
    /// Ottu's values.
    pub ottu: LineTotals,
}

/// A priced cart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Priced {
    /// Per line, in order.
    pub lines: Vec<PricedLine>,
    /// Ottu's invoice values (no invoice discount, tax or shipping).
    pub ottu: InvoiceTotals,
    /// The whole-sale discount (shelf basis).
    pub sale_discount: Decimal,
    /// Σ shelf totals (what the shelf prices say the customer pays; tax-exclusive: before VAT).
    pub shelf_total: Decimal,
}

fn rate(vat: u8) -> Decimal {
    Decimal::from(vat)
}

fn ulp(decimals: u32) -> Decimal {
    Decimal::new(1, decimals)
}

fn percent_of(base: Decimal, p: Decimal, d: u32) -> Option<Decimal> {
    Some(totals::round(
        base.checked_mul(p)?.checked_div(Decimal::ONE_HUNDRED)?,
        d,
    ))
}

fn rate_ok(value: Decimal) -> bool {
    value >= Decimal::ZERO && value <= Decimal::ONE_HUNDRED && value.normalize().scale() <= 2
}

/// Splits `total` minor units over `weights` (minor units) in proportion, by largest
/// remainder (ties to the earlier line): the shares add up to `total` exactly and none exceeds
/// its weight. `total` above `Σ weights` is capped at it (the cart refuses that earlier).
pub fn spread(total: i128, weights: &[i128]) -> Vec<i128> {
    let sum: i128 = weights.iter().sum();
    let total = total.min(sum);
    if sum <= 0 || total <= 0 {
        return vec![0; weights.len()];
    }
    let mut shares: Vec<i128> = weights.iter().map(|w| total * w / sum).collect();
    // Below the number of lines: each floor loses less than one unit.
    let left = total - shares.iter().sum::<i128>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    // Largest remainder first; the index breaks ties so the result is deterministic.
    order.sort_by_key(|&i| (std::cmp::Reverse(total * weights[i] % sum), i));
    // A line with a remainder is below its weight, and there are at least `left` of them.
    for &i in order.iter().take(usize::try_from(left).unwrap_or(0)) {
        shares[i] += 1;
    }
    shares
}

fn minor(value: Decimal, d: u32) -> i128 {
    let mut v = value;
    v.rescale(d);
    v.mantissa()
}

fn from_minor(units: i128, d: u32) -> Decimal {
    Decimal::from_i128_with_scale(units, d)
}

/// The pre-tax unit price whose Ottu line total (no discount) is nearest `target`, exactly
/// equal where one exists; ties go to the smaller price.
fn pre_tax_unit_price(
    quantity: Decimal,
    shelf: Decimal,
    vat: u8,
    target: Decimal,
    d: u32,
) -> Option<Decimal> {
    let start = totals::round(
        shelf
            .checked_mul(Decimal::ONE_HUNDRED)?
            .checked_div(Decimal::ONE_HUNDRED + rate(vat))?,
        d,
    );
    let step = ulp(d);
    let mut best: Option<(Decimal, Decimal)> = None;
    for k in -4i64..=4 {
        let u = start + step * Decimal::from(k);
        if u < Decimal::ZERO {
            continue;
        }
        let got = totals::line(quantity, u, None, Some(rate(vat)), d)?.total_incl_tax;
        let gap = (got - target).abs();
        if best.is_none_or(|(g, b)| gap < g || (gap == g && u < b)) {
            best = Some((gap, u));
        }
    }
    best.map(|(_, u)| u)
}

/// The pre-tax discount (0 ≤ · ≤ `quantity_price`) whose Ottu line total is nearest `target`.
fn pre_tax_discount(quantity_price: Decimal, vat: u8, target: Decimal, d: u32) -> Option<Decimal> {
    let excl = totals::round(
        target
            .checked_mul(Decimal::ONE_HUNDRED)?
            .checked_div(Decimal::ONE_HUNDRED + rate(vat))?,
        d,
    );
    let step = ulp(d);
    let mut best: Option<(Decimal, Decimal)> = None;
    for k in -4i64..=4 {
        let e = excl + step * Decimal::from(k);
        if e < Decimal::ZERO || e > quantity_price {
            continue;
        }
        let tax = totals::round(e * rate(vat) / Decimal::ONE_HUNDRED, d);
        let gap = (e + tax - target).abs();
        // Ties: the larger pre-tax value (the smaller discount).
        if best.is_none_or(|(g, b)| gap < g || (gap == g && e > b)) {
            best = Some((gap, e));
        }
    }
    best.map(|(_, e)| quantity_price - e)
}

impl Cart {
    /// Checks the cart; field errors are keyed `lines.<i>.<field>` and `discount`.
    pub fn field_errors(&self) -> FieldErrors {
        let mut e = FieldErrors::new();
        let d = self.currency.minor_units();
        let mut add = |k: String, p: Problem| e.entry(k).or_default().push(p);
        if self.lines.is_empty() {
            add("lines".into(), problem!(CartEmpty));
        } else if self.lines.len() > MAX_LINES {
            add("lines".into(), problem!(CartTooManyLines, max = MAX_LINES));
        }
        let money_ok = |v: Decimal| v >= Decimal::ZERO && v.normalize().scale() <= d;
        let discount_ok = |v: &DiscountValue| match v {
            DiscountValue::Amount(a) => money_ok(*a),
            DiscountValue::Percent(p) => rate_ok(*p),
        };
        for (i, l) in self.lines.iter().enumerate() {
            if l.quantity <= Decimal::ZERO
                || l.quantity.normalize().scale() > 3
                || l.quantity >= Decimal::from(1_000_000)
            {
                add(format!("lines.{i}.quantity"), problem!(CartQuantityInvalid));
            }
            if !money_ok(l.unit_price) {
                add(
                    format!("lines.{i}.unit_price"),
                    problem!(CartPriceInvalid, decimals = d),
                );
            }
            if !VAT_RATES.contains(&l.vat_rate) {
                add(format!("lines.{i}.vat_rate"), problem!(VatRateInvalid));
            }
            if l.sku.trim().is_empty() || l.description.trim().is_empty() {
                add(format!("lines.{i}.description"), problem!(CartLineUnnamed));
            }
            if l.discount.as_ref().is_some_and(|v| !discount_ok(v)) {
                add(
                    format!("lines.{i}.discount"),
                    problem!(CartDiscountInvalid, decimals = d),
                );
            }
        }
        if self.discount.as_ref().is_some_and(|v| !discount_ok(v)) {
            add(
                "discount".into(),
                problem!(CartDiscountInvalid, decimals = d),
            );
        }
        if !e.is_empty() {
            return e;
        }
        match self.price() {
            Err(more) => more,
            Ok(p) if p.ottu.total_incl_tax <= Decimal::ZERO => {
                let mut e = FieldErrors::new();
                e.insert("lines".into(), vec![problem!(CartTotalNotPositive)]);
                e
            }
            Ok(_) => FieldErrors::new(),
        }
    }

    /// Prices the cart (see the module). Field errors for a discount larger than what it
    /// applies to, or an overflow.
    pub fn price(&self) -> std::result::Result<Priced, FieldErrors> {
        let d = self.currency.minor_units();
        let too_large = || {
            let mut e = FieldErrors::new();
            e.insert("lines".into(), vec![problem!(CartTotalTooLarge)]);
            e
        };
        let mut errors = FieldErrors::new();
        // Shelf values after the line's own discount.
        let mut gross = Vec::with_capacity(self.lines.len());
        let mut line_discounts = Vec::with_capacity(self.lines.len());
        for (i, l) in self.lines.iter().enumerate() {
            let value = totals::round(
                l.quantity.checked_mul(l.unit_price).ok_or_else(too_large)?,
                d,
            );
            let disc = match l.discount {
                None => totals::round(Decimal::ZERO, d),
                Some(DiscountValue::Amount(a)) => totals::round(a, d),
                Some(DiscountValue::Percent(p)) => percent_of(value, p, d).ok_or_else(too_large)?,
            };
            if disc > value {
                errors.insert(
                    format!("lines.{i}.discount"),
                    vec![problem!(CartLineDiscountTooLarge)],
                );
            }
            gross.push(value);
            line_discounts.push(disc);
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let after: Vec<Decimal> = gross
            .iter()
            .zip(&line_discounts)
            .map(|(g, x)| g - x)
            .collect();
        let after_sum: Decimal = after.iter().copied().sum();
        let sale_discount = match self.discount {
            None => totals::round(Decimal::ZERO, d),
            Some(DiscountValue::Amount(a)) => totals::round(a, d),
            Some(DiscountValue::Percent(p)) => percent_of(after_sum, p, d).ok_or_else(too_large)?,
        };
        if sale_discount > after_sum {
            errors.insert("discount".into(), vec![problem!(CartDiscountTooLarge)]);
            return Err(errors);
        }
        let shares = spread(
            minor(sale_discount, d),
            &after.iter().map(|a| minor(*a, d)).collect::<Vec<_>>(),
        );
        let mut lines = Vec::with_capacity(self.lines.len());
        for (i, l) in self.lines.iter().enumerate() {
            let share = from_minor(shares[i], d);
            let discount = line_discounts[i] + share;
            let shelf_total = after[i] - share;
            let (unit, disc_excl) = if self.prices_include_tax {
                let unit = pre_tax_unit_price(l.quantity, l.unit_price, l.vat_rate, gross[i], d)
                    .ok_or_else(too_large)?;
                let qp = totals::round(l.quantity * unit, d);
                let disc = if discount.is_zero() {
                    totals::round(Decimal::ZERO, d)
                } else {
                    pre_tax_discount(qp, l.vat_rate, shelf_total, d).ok_or_else(too_large)?
                };
                (unit, disc)
            } else {
                (l.unit_price, discount)
            };
            let rule = (!disc_excl.is_zero()).then_some(totals::DiscountRule::Amount(disc_excl));
            let ottu = totals::line(l.quantity, unit, rule, Some(rate(l.vat_rate)), d)
                .ok_or_else(too_large)?;
            lines.push(PricedLine {
                unit_price_excl_tax: totals::round(unit, d),
                discount_excl_tax: totals::round(disc_excl, d),
                shelf_total,
                sale_discount_share: share,
                line_discount: line_discounts[i],
                ottu,
            });
        }
        let ottu_lines: Vec<LineTotals> = lines.iter().map(|l| l.ottu).collect();
        let ottu = totals::invoice(&ottu_lines, None, None, None, None, d).ok_or_else(too_large)?;
        let shelf_total = totals::round(lines.iter().map(|l| l.shelf_total).sum(), d);
        Ok(Priced {
            lines,
            ottu,
            sale_discount,
            shelf_total,
        })
    }

    /// The invoice items for Ottu (discounts as `discount_amount`, VAT per line).
    pub fn invoice_items(&self, priced: &Priced) -> Result<Vec<NewInvoiceItem>> {
        self.lines
            .iter()
            .zip(&priced.lines)
            .map(|(l, p)| {
                let amount = |v: Decimal| {
                    Amount::parse(&v.to_string(), &self.currency)
                        .map_err(|e| crate::error::Error::Internal(format!("cart amount: {e}")))
                };
                Ok(NewInvoiceItem {
                    sku: l.sku.clone(),
                    description: l.description.clone(),
                    quantity: l.quantity.normalize(),
                    unit_price: amount(p.unit_price_excl_tax)?,
                    tax_rate: Some(rate(l.vat_rate)),
                    discount: if p.discount_excl_tax.is_zero() {
                        None
                    } else {
                        Some(Discount::Amount(amount(p.discount_excl_tax)?))
                    },
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
