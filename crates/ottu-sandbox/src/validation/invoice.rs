//! Validation of `POST /b/invoice/v1/invoice/` (Ottu's `InvoicePOSTRequest`): the invoice's own
//! fields and items, Ottu's totals ([`crate::model::invoice`]) checked against the VAL CALC
//! fields sent, then the checkout fields through [`validate_checkout`] with `amount` set to
//! the computed total. Every problem of both halves is reported in one DRF-shaped 400; item
//! errors are a list with one object per item (`{}` for a valid one), as DRF's `many=True`.

use rust_decimal::Decimal;
use serde_json::{Map, Value};

use super::fields::{Input, Obj};
use super::{Context, Mode, Validated, validate_checkout};
use crate::error::{ApiError, FieldErrors};
use crate::model::invoice::{self, Discount};
use crate::model::{Invoice, InvoiceItem};
use crate::money::{Amount, Currency, parse_number};
use crate::payload::python_type_name;

/// Keys of the invoice schema that are not checkout fields (not passed to the checkout half).
const INVOICE_KEYS: &[&str] = &[
    "invoice_number",
    "due_date",
    "invoice_items",
    "company_name",
    "tax_rate",
    "tax_amount",
    "discount_amount",
    "discount_percentage",
    "shipping_excl_tax",
    "shipping_incl_tax",
    "shipping_method",
    "shipping_tax_rate",
    "subtotal",
    "total_excl_tax",
    "total_incl_tax",
];

/// Rates and percentages: 2 decimals (invoices.mdx: "Rate/percentage fields are limited to 2
/// decimal places").
const RATE_DECIMALS: u32 = 2;
/// Quantities: 3 decimals (the documented example sends 1.111), at most 6 integer digits.
const QUANTITY_DECIMALS: u32 = 3;
const QUANTITY_INTEGER_DIGITS: u32 = 6;
/// Money: at most 13 integer digits, as `amount`.
const MONEY_INTEGER_DIGITS: u32 = 13;
/// Items per invoice (sandbox limit).
pub const MAX_ITEMS: usize = 500;

/// A valid invoice request: the checkout part and the invoice (ids not yet assigned).
#[derive(Debug, Clone)]
pub struct ValidatedInvoice {
    pub checkout: Validated,
    pub invoice: Invoice,
}

/// How a decimal field is limited.
#[derive(Clone, Copy)]
enum Kind {
    /// In the currency's decimals (`None`: currency unknown, only the syntax is checked).
    Money(Option<u32>),
    /// 0 to 100, 2 decimals.
    Rate,
    /// Above 0, 3 decimals.
    Quantity,
}

/// Reads a decimal field; errors are added to `obj.errors`.
fn number(obj: &mut Obj<'_>, key: &str, kind: Kind, required: bool) -> Option<Decimal> {
    let value = obj.take(key, required)?;
    let text = match value {
        Value::String(s) => s.trim().to_owned(),
        Value::Number(n) => n.to_string(),
        _ => {
            obj.errors.add(key, "A valid number is required.");
            return None;
        }
    };
    let Some(n) = parse_number(&text) else {
        obj.errors.add(key, "A valid number is required.");
        return None;
    };
    let (decimals, max_integer) = match kind {
        Kind::Money(d) => (d, MONEY_INTEGER_DIGITS),
        Kind::Rate => (Some(RATE_DECIMALS), 3),
        Kind::Quantity => (Some(QUANTITY_DECIMALS), QUANTITY_INTEGER_DIGITS),
    };
    if n.integer_digits() > max_integer {
        obj.errors.add(
            key,
            format!(
                "Ensure that there are no more than {max_integer} digits before the decimal point."
            ),
        );
        return None;
    }
    let value = match decimals {
        Some(d) => match n.to_decimals(d) {
            Some(v) => v,
            None => {
                obj.errors.add(
                    key,
                    format!("Ensure that there are no more than {d} decimal places."),
                );
                return None;
            }
        },
        // Unknown currency: reported on `currency_code`; keep the value for the other checks.
        None => n.to_decimals(n.scale())?,
    };
    match kind {
        Kind::Quantity if value <= Decimal::ZERO => {
            obj.errors.add(key, "Ensure this value is greater than 0.");
            None
        }
        _ if value < Decimal::ZERO => {
            obj.errors
                .add(key, "Ensure this value is greater than or equal to 0.");
            None
        }
        Kind::Rate if value > Decimal::ONE_HUNDRED => {
            obj.errors
                .add(key, "Ensure this value is less than or equal to 100.");
            None
        }
        _ => Some(value),
    }
}

/// `discount_percentage` / `discount_amount` of an item or the invoice.
fn discount(obj: &mut Obj<'_>, decimals: Option<u32>) -> (Discount, bool) {
    let percentage = number(obj, "discount_percentage", Kind::Rate, false);
    let amount = number(obj, "discount_amount", Kind::Money(decimals), false);
    let both = matches!(obj.input_of("discount_percentage"), Input::Present(_))
        && matches!(obj.input_of("discount_amount"), Input::Present(_));
    if both {
        obj.errors.add(
            "non_field_errors",
            "Only one of discount_percentage and discount_amount can be set.",
        );
        return (Discount::None, false);
    }
    let ok = !obj.errors.has("discount_percentage") && !obj.errors.has("discount_amount");
    let discount = match (percentage, amount) {
        (Some(p), _) => Discount::Percentage(p),
        (_, Some(a)) => Discount::Amount(a),
        _ => Discount::None,
    };
    (discount, ok)
}

/// A sent VAL CALC value against the computed one.
fn check_calc(obj: &mut Obj<'_>, key: &str, computed: Decimal, decimals: u32) {
    if let Some(sent) = number(obj, key, Kind::Money(Some(decimals)), false)
        && sent != computed
    {
        obj.errors.add(
            key,
            format!(
                "The calculated value is {}, not {}.",
                Amount::new(computed, decimals),
                Amount::new(sent, decimals)
            ),
        );
    }
}

fn rate_amount(value: Option<Decimal>) -> Option<Amount> {
    value.map(|v| Amount::new(v, RATE_DECIMALS))
}

/// One item; `None` when it has errors (in `errors`) or its currency is unknown.
fn item(
    map: &Map<String, Value>,
    decimals: Option<u32>,
    errors: &mut FieldErrors,
) -> Option<InvoiceItem> {
    let mut obj = Obj::new(map, Map::new(), false);
    let sku = obj.string("sku", 255, true);
    let description = obj.string("description", 255, true);
    let quantity = number(&mut obj, "quantity", Kind::Quantity, true);
    let unit_price = number(&mut obj, "unit_price", Kind::Money(decimals), true);
    let tax_rate = number(&mut obj, "tax_rate", Kind::Rate, false);
    let (disc, disc_ok) = discount(&mut obj, decimals);
    let result = (|| {
        let d = decimals?;
        let (quantity, unit_price) = (quantity?, unit_price?);
        if !disc_ok || obj.errors.has("tax_rate") {
            return None;
        }
        let Some(t) =
            invoice::item_totals(quantity, unit_price, disc, tax_rate.unwrap_or_default(), d)
        else {
            obj.errors
                .add("non_field_errors", "The item's total is too large.");
            return None;
        };
        if t.discount > t.quantity_price {
            let key = match disc {
                Discount::Percentage(_) => "discount_percentage",
                _ => "discount_amount",
            };
            obj.errors.add(
                key,
                format!(
                    "The discount cannot exceed the item's value of {}.",
                    Amount::new(t.quantity_price, d)
                ),
            );
            return None;
        }
        check_calc(&mut obj, "total_excl_tax", t.total_excl_tax, d);
        check_calc(&mut obj, "tax_amount", t.tax_amount, d);
        check_calc(&mut obj, "total_incl_tax", t.total_incl_tax, d);
        Some(InvoiceItem {
            sku: sku.clone()?,
            description: description.clone()?,
            quantity: Amount::new(quantity, QUANTITY_DECIMALS),
            unit_price: Amount::new(unit_price, d),
            tax_rate: rate_amount(tax_rate),
            discount_percentage: match disc {
                Discount::Percentage(p) => rate_amount(Some(p)),
                _ => None,
            },
            discount_amount: match disc {
                Discount::None => None,
                _ => Some(Amount::new(t.discount, d)),
            },
            total_excl_tax: Amount::new(t.total_excl_tax, d),
            tax_amount: Amount::new(t.tax_amount, d),
            total_incl_tax: Amount::new(t.total_incl_tax, d),
        })
    })();
    *errors = obj.errors;
    if errors.is_empty() { result } else { None }
}

/// `invoice_items`: a non-empty list of item objects.
fn items(obj: &mut Obj<'_>, decimals: Option<u32>) -> Option<Vec<InvoiceItem>> {
    let value = obj.take("invoice_items", true)?;
    let Value::Array(list) = value else {
        obj.errors.add(
            "invoice_items",
            format!(
                "Expected a list of items but got type \"{}\".",
                python_type_name(value)
            ),
        );
        return None;
    };
    if list.is_empty() {
        obj.errors
            .add("invoice_items", "This list may not be empty.");
        return None;
    }
    if list.len() > MAX_ITEMS {
        obj.errors.add(
            "invoice_items",
            format!("Ensure this field has no more than {MAX_ITEMS} elements."),
        );
        return None;
    }
    let mut out = Vec::with_capacity(list.len());
    let mut per_item = Vec::with_capacity(list.len());
    let mut bad = false;
    for entry in list {
        let mut errors = FieldErrors::default();
        match entry {
            Value::Object(map) => {
                if let Some(item) = item(map, decimals, &mut errors) {
                    out.push(item);
                }
            }
            other => errors.add("non_field_errors", super::fields::not_a_dict(other)),
        }
        bad |= !errors.is_empty();
        per_item.push(Value::Object(errors.0));
    }
    if bad {
        obj.errors
            .0
            .insert("invoice_items".to_owned(), Value::Array(per_item));
        return None;
    }
    // Every item is valid; without a known currency none was built.
    (out.len() == list.len()).then_some(out)
}

/// Validates an invoice create.
pub fn validate_invoice(
    input: &Map<String, Value>,
    ctx: Context<'_>,
) -> Result<ValidatedInvoice, ApiError> {
    let decimals = input
        .get("currency_code")
        .and_then(Value::as_str)
        .and_then(|c| Currency::parse(c.trim()))
        .map(Currency::decimals);
    let mut obj = Obj::new(input, Map::new(), false);
    let invoice_number = obj.string("invoice_number", 255, true);
    obj.date("due_date", true);
    let due_date = obj
        .out
        .get("due_date")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let company_name = obj.string("company_name", 64, false);
    let shipping_method = obj.string("shipping_method", 255, false);
    let items = items(&mut obj, decimals);
    let tax_rate = number(&mut obj, "tax_rate", Kind::Rate, false);
    let (disc, disc_ok) = discount(&mut obj, decimals);
    let shipping_excl_tax = number(&mut obj, "shipping_excl_tax", Kind::Money(decimals), false);
    let shipping_tax_rate = number(&mut obj, "shipping_tax_rate", Kind::Rate, false);
    if shipping_tax_rate.is_some() && matches!(obj.input_of("shipping_excl_tax"), Input::Absent) {
        obj.errors.add(
            "shipping_tax_rate",
            "shipping_tax_rate needs shipping_excl_tax.",
        );
    }

    let mut invoice = None;
    let level_ok = disc_ok
        && !obj.errors.has("tax_rate")
        && !obj.errors.has("shipping_excl_tax")
        && !obj.errors.has("shipping_tax_rate");
    if let (Some(d), Some(items), true) = (decimals, items, level_ok) {
        let incl: Vec<Decimal> = items.iter().map(|i| i.total_incl_tax.value()).collect();
        match invoice::invoice_totals(
            &incl,
            disc,
            tax_rate.unwrap_or_default(),
            shipping_excl_tax.unwrap_or_default(),
            shipping_tax_rate.unwrap_or_default(),
            d,
        ) {
            None => obj
                .errors
                .add("non_field_errors", "The invoice total is too large."),
            Some(t) if t.discount > t.subtotal => {
                let key = match disc {
                    Discount::Percentage(_) => "discount_percentage",
                    _ => "discount_amount",
                };
                obj.errors.add(
                    key,
                    format!(
                        "The discount cannot exceed the subtotal of {}.",
                        Amount::new(t.subtotal, d)
                    ),
                );
            }
            Some(t) => {
                check_calc(&mut obj, "subtotal", t.subtotal, d);
                check_calc(&mut obj, "total_excl_tax", t.total_excl_tax, d);
                check_calc(&mut obj, "tax_amount", t.tax_amount, d);
                if shipping_excl_tax.is_some() {
                    check_calc(&mut obj, "shipping_incl_tax", t.shipping_incl_tax, d);
                }
                check_calc(&mut obj, "total_incl_tax", t.total_incl_tax, d);
                check_calc(&mut obj, "amount", t.total_incl_tax, d);
                let money = |v: Decimal| Amount::new(v, d);
                invoice = Some(Invoice {
                    invoice_id: 0,
                    first_item_id: 0,
                    invoice_number: invoice_number.unwrap_or_default(),
                    due_date: due_date.unwrap_or_default(),
                    company_name,
                    items,
                    tax_rate: rate_amount(tax_rate),
                    discount_percentage: match disc {
                        Discount::Percentage(p) => rate_amount(Some(p)),
                        _ => None,
                    },
                    discount_amount: match disc {
                        Discount::None => None,
                        _ => Some(money(t.discount)),
                    },
                    shipping_excl_tax: shipping_excl_tax.map(money),
                    shipping_tax_rate: rate_amount(shipping_tax_rate),
                    shipping_method,
                    subtotal: money(t.subtotal),
                    total_excl_tax: money(t.total_excl_tax),
                    tax_amount: money(t.tax_amount),
                    shipping_incl_tax: shipping_excl_tax.map(|_| money(t.shipping_incl_tax)),
                    total_incl_tax: money(t.total_incl_tax),
                });
            }
        }
    }

    // The checkout half, with `amount` set to the computed total (a placeholder when the
    // total could not be computed, so that the other fields are still checked).
    let mut rest = input.clone();
    for key in INVOICE_KEYS {
        rest.remove(*key);
    }
    let amount = invoice
        .as_ref()
        .map(|i| i.total_incl_tax.to_string())
        .unwrap_or_else(|| "1".to_owned());
    let amount_sent = rest.contains_key("amount");
    rest.insert("amount".to_owned(), Value::String(amount));
    let mut errors = obj.errors;
    let checkout = match validate_checkout(&rest, Mode::Create, ctx) {
        Ok(v) => Some(v),
        Err(e) => match e.body {
            Value::Object(map) if e.status == axum::http::StatusCode::BAD_REQUEST => {
                for (key, value) in map {
                    // An `amount` error is about the computed total (e.g. zero); a format
                    // error on a sent `amount` is reported by the VAL CALC check already.
                    if key == "amount" && amount_sent && errors.has("amount") {
                        continue;
                    }
                    errors.0.entry(key).or_insert(value);
                }
                None
            }
            _ => return Err(e),
        },
    };

    // Purchase gateways only (invoices.mdx, Setup: "The Invoice API does not support the
    // Authorize type").
    if let Some(codes) = input.get("pg_codes").and_then(Value::as_array)
        && !errors.has("pg_codes")
    {
        for code in codes.iter().filter_map(Value::as_str) {
            if let Some(g) = ctx.gateways.iter().find(|g| g.pg_code == code)
                && g.authorizes()
            {
                errors.add(
                    "pg_codes",
                    format!(
                        "The Invoice API supports purchase gateways only; {code} is set up for authorize."
                    ),
                );
            }
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::fields(errors.0));
    }
    match (checkout, invoice) {
        (Some(checkout), Some(invoice)) => Ok(ValidatedInvoice { checkout, invoice }),
        _ => Err(ApiError::internal(
            "invoice validation: no error and no result",
        )),
    }
}
