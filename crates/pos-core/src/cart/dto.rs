//! The cart as the UI sends it ([`CartInput`]) and sees it priced ([`CartTotals`]), and the
//! resolution of catalog lines.

use std::str::FromStr;

use ottu_checkout::CurrencyCode;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Cart, CartLine, DiscountValue, Priced};
use crate::catalog::CatalogItem;
use crate::error::{Error, FieldErrors, Result};
use crate::problem;

/// A discount as typed: `kind` `amount` (in the sale's currency, in the shelf's basis) or
/// `percent` (0–100).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum CartDiscount {
    /// A decimal string in the currency.
    Amount(String),
    /// A decimal string, 0–100.
    Percent(String),
}

/// One line: a catalog item (`item_id`; its SKU, name, price and VAT are the catalog's unless
/// given) or a custom amount (no `item_id`: `unit_price` required, VAT 0 unless given).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CartLineInput {
    /// The catalog item.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub item_id: Option<String>,
    /// Decimal string above 0, at most 3 decimals (default 1).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub quantity: Option<String>,
    /// A custom line's price (or a price override), in the shelf's basis.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub unit_price: Option<String>,
    /// A custom line's name (default "Custom amount").
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub name: Option<String>,
    /// A custom line's VAT rate.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub vat_rate: Option<u8>,
    /// The line's discount.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub discount: Option<CartDiscount>,
}

/// A cart as the UI sends it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CartInput {
    /// The sale's currency (catalog items must be priced in it).
    pub currency_code: String,
    /// The lines.
    pub lines: Vec<CartLineInput>,
    /// The whole-sale discount.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub discount: Option<CartDiscount>,
}

/// Ottu's values for one line, and the shelf's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CartLineTotals {
    /// The catalog item, `null` for a custom amount.
    pub item_id: Option<String>,
    /// Sent as the invoice line's `sku`.
    pub sku: String,
    /// The line's name.
    pub description: String,
    /// Decimal string.
    pub quantity: String,
    /// VAT in percent.
    pub vat_rate: u8,
    /// The shelf price per unit (in the shop's basis).
    pub shelf_unit_price: String,
    /// The line's own discount (shelf basis).
    pub line_discount: String,
    /// Its share of the whole-sale discount (shelf basis).
    pub sale_discount_share: String,
    /// What the shelf says the line costs after its discounts.
    pub shelf_total: String,
    /// Sent to Ottu: pre-tax `unit_price`.
    pub unit_price_excl_tax: String,
    /// Sent to Ottu: pre-tax `discount_amount` ("0.000": none sent).
    pub discount_excl_tax: String,
    /// Ottu's `total_excl_tax`.
    pub total_excl_tax: String,
    /// Ottu's `tax_amount`.
    pub tax_amount: String,
    /// Ottu's `total_incl_tax`.
    pub total_incl_tax: String,
}

/// VAT of one rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct VatTotal {
    /// Percent.
    pub rate: u8,
    /// Σ lines' `total_excl_tax` at this rate.
    pub taxable: String,
    /// Σ lines' `tax_amount` at this rate.
    pub tax: String,
}

/// A priced cart: what the cashier sees before creating the sale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CartTotals {
    /// The sale's currency.
    pub currency_code: String,
    /// Whether the shelf prices included VAT.
    pub prices_include_tax: bool,
    /// Per line.
    pub lines: Vec<CartLineTotals>,
    /// The whole-sale discount (shelf basis).
    pub sale_discount: String,
    /// Σ lines' shelf totals.
    pub shelf_total: String,
    /// Ottu's `total_excl_tax`.
    pub total_excl_tax: String,
    /// Ottu's `tax_amount` (Σ of the lines').
    pub tax_amount: String,
    /// Per VAT rate, rates in use only, ascending.
    pub vat: Vec<VatTotal>,
    /// Ottu's `amount`: what the customer pays.
    pub total: String,
    /// Tax-inclusive prices: whether `total` equals `shelf_total` (otherwise the UI shows both:
    /// Ottu's total is what gets charged). Tax-exclusive prices: always `true`.
    pub matches_shelf: bool,
}

fn decimal(field: &str, text: &str, errors: &mut FieldErrors) -> Option<Decimal> {
    let t = text.trim();
    let ok = !t.is_empty()
        && t.chars().all(|c| c.is_ascii_digit() || c == '.')
        && t.matches('.').count() <= 1;
    match ok.then(|| Decimal::from_str(t).ok()).flatten() {
        Some(v) => Some(v),
        None => {
            errors
                .entry(field.to_owned())
                .or_default()
                .push(problem!(NumberInvalid));
            None
        }
    }
}

fn discount(field: &str, value: &CartDiscount, errors: &mut FieldErrors) -> Option<DiscountValue> {
    match value {
        CartDiscount::Amount(a) => decimal(field, a, errors).map(DiscountValue::Amount),
        CartDiscount::Percent(p) => decimal(field, p, errors).map(DiscountValue::Percent),
    }
}

/// The name of a line without one.
pub const CUSTOM_LINE_NAME: &str = "Custom amount";
/// The SKU of a custom line.
pub const CUSTOM_LINE_SKU: &str = "CUSTOM";

impl CartInput {
    /// The cart with catalog lines filled from `item` (a lookup by id). An archived item, or
    /// one priced in another currency, is refused on its line.
    pub fn resolve(
        &self,
        prices_include_tax: bool,
        item: impl Fn(&str) -> Result<CatalogItem>,
    ) -> Result<Cart> {
        let mut errors = FieldErrors::new();
        let currency = match CurrencyCode::parse(self.currency_code.trim()) {
            Ok(c) => Some(c),
            Err(_) => {
                errors.insert("currency_code".into(), vec![problem!(CurrencyInvalid)]);
                None
            }
        };
        let mut lines = Vec::new();
        for (i, l) in self.lines.iter().enumerate() {
            let f = |name: &str| format!("lines.{i}.{name}");
            let quantity = match &l.quantity {
                None => Some(Decimal::ONE),
                Some(q) => decimal(&f("quantity"), q, &mut errors),
            };
            let price = l
                .unit_price
                .as_deref()
                .and_then(|p| decimal(&f("unit_price"), p, &mut errors));
            let disc = l
                .discount
                .as_ref()
                .and_then(|v| discount(&f("discount"), v, &mut errors));
            let (sku, description, catalog_price, vat, item_id) = match &l.item_id {
                Some(id) => match item(id) {
                    Ok(it) => {
                        if it.archived {
                            errors
                                .entry(f("item_id"))
                                .or_default()
                                .push(problem!(CatalogItemArchived, item = it.name_en));
                        }
                        if currency
                            .as_ref()
                            .is_some_and(|c| c.as_str() != it.currency_code)
                        {
                            errors.entry(f("item_id")).or_default().push(problem!(
                                CatalogItemOtherCurrency,
                                item = it.name_en,
                                item_currency = it.currency_code,
                                currency = self.currency_code
                            ));
                        }
                        let p = Decimal::from_str(&it.price).ok();
                        (
                            it.sku,
                            it.name_en,
                            p,
                            l.vat_rate.unwrap_or(it.vat_rate),
                            Some(it.id),
                        )
                    }
                    Err(e) => {
                        errors.entry(f("item_id")).or_default().push(e.problem());
                        continue;
                    }
                },
                None => {
                    if l.unit_price.is_none() {
                        errors
                            .entry(f("unit_price"))
                            .or_default()
                            .push(problem!(AmountEmpty));
                    }
                    let name = l
                        .name
                        .as_deref()
                        .map(str::trim)
                        .filter(|n| !n.is_empty())
                        .unwrap_or(CUSTOM_LINE_NAME);
                    (
                        CUSTOM_LINE_SKU.to_owned(),
                        name.to_owned(),
                        None,
                        l.vat_rate.unwrap_or(0),
                        None,
                    )
                }
            };
            if let (Some(quantity), Some(unit_price)) = (quantity, price.or(catalog_price)) {
                lines.push(CartLine {
                    item_id,
                    sku,
                    description,
                    quantity,
                    unit_price,
                    vat_rate: vat,
                    discount: disc,
                });
            }
        }
        let sale_discount = self
            .discount
            .as_ref()
            .and_then(|v| discount("discount", v, &mut errors));
        let Some(currency) = currency.filter(|_| errors.is_empty()) else {
            return Err(Error::invalid_fields(errors));
        };
        let cart = Cart {
            currency,
            prices_include_tax,
            lines,
            discount: sale_discount,
        };
        let more = cart.field_errors();
        if more.is_empty() {
            Ok(cart)
        } else {
            Err(Error::invalid_fields(more))
        }
    }
}

impl CartTotals {
    /// The UI's view of `priced`.
    pub fn new(cart: &Cart, priced: &Priced) -> CartTotals {
        let d = cart.currency.minor_units();
        let s = |v: Decimal| ottu_checkout::invoice::totals::round(v, d).to_string();
        let mut vat: Vec<VatTotal> = Vec::new();
        for rate in crate::catalog::VAT_RATES {
            let at: Vec<_> = cart
                .lines
                .iter()
                .zip(&priced.lines)
                .filter(|(l, _)| l.vat_rate == rate)
                .collect();
            if at.is_empty() {
                continue;
            }
            vat.push(VatTotal {
                rate,
                taxable: s(at.iter().map(|(_, p)| p.ottu.total_excl_tax).sum()),
                tax: s(at.iter().map(|(_, p)| p.ottu.tax_amount).sum()),
            });
        }
        let total_excl: Decimal = priced.lines.iter().map(|p| p.ottu.total_excl_tax).sum();
        let tax: Decimal = priced.lines.iter().map(|p| p.ottu.tax_amount).sum();
        CartTotals {
            currency_code: cart.currency.as_str().to_owned(),
            prices_include_tax: cart.prices_include_tax,
            lines: cart
                .lines
                .iter()
                .zip(&priced.lines)
                .map(|(l, p)| CartLineTotals {
                    item_id: l.item_id.clone(),
                    sku: l.sku.clone(),
                    description: l.description.clone(),
                    quantity: l.quantity.normalize().to_string(),
                    vat_rate: l.vat_rate,
                    shelf_unit_price: s(l.unit_price),
                    line_discount: s(p.line_discount),
                    sale_discount_share: s(p.sale_discount_share),
                    shelf_total: s(p.shelf_total),
                    unit_price_excl_tax: s(p.unit_price_excl_tax),
                    discount_excl_tax: s(p.discount_excl_tax),
                    total_excl_tax: s(p.ottu.total_excl_tax),
                    tax_amount: s(p.ottu.tax_amount),
                    total_incl_tax: s(p.ottu.total_incl_tax),
                })
                .collect(),
            sale_discount: s(priced.sale_discount),
            shelf_total: s(priced.shelf_total),
            total_excl_tax: s(total_excl),
            tax_amount: s(tax),
            vat,
            total: s(priced.ottu.total_incl_tax),
            matches_shelf: !cart.prices_include_tax
                || priced.ottu.total_incl_tax == priced.shelf_total,
        }
    }
}
