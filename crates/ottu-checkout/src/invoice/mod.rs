//! The Invoice API: `POST /b/invoice/v1/invoice/` ([`Invoices::create`]) and Ottu's totals
//! ([`totals`]). An invoice is a checkout transaction with items: once created it is paid,
//! retrieved (by `session_id`, through [`crate::checkout`]), refunded and reported like any
//! other; it cannot be changed (Ottu: "Invoices are immutable").
//!
//! [`CreateInvoice`] sends the VAL CALC fields (item and invoice totals, `amount`) computed by
//! [`totals`] unless `send_totals` is off, so a request is never refused for a total Ottu
//! computes differently; [`CreateInvoice::totals`] gives them to show before sending.

pub mod totals;

use reqwest::Method;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::checkout::create::ambiguous_unless_final;
use crate::checkout::validate::{email, is_date, url};
use crate::checkout::{CheckoutSession, CheckoutType};
use crate::client::{Client, Payload};
use crate::error::{Error, FieldErrors, Result};
use crate::ids::{OrderNo, PgCode};
use crate::money::{Amount, CurrencyCode};
use totals::{DiscountRule, InvoiceTotals, LineTotals};

pub(crate) const INVOICE_PATH: &str = "b/invoice/v1/invoice/";

/// Most items the client sends in one invoice (the sandbox's limit; Ottu documents none).
pub const MAX_ITEMS: usize = 500;

/// A discount on an item or the invoice (Ottu refuses both kinds at once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Discount {
    /// `discount_percentage`: 0–100, at most 2 decimals.
    Percentage(Decimal),
    /// `discount_amount`, in the invoice's currency.
    Amount(Amount),
}

impl Discount {
    fn rule(&self) -> DiscountRule {
        match self {
            Discount::Percentage(p) => DiscountRule::Percentage(*p),
            Discount::Amount(a) => DiscountRule::Amount(a.to_decimal()),
        }
    }
}

/// One line of a new invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInvoiceItem {
    /// Up to 255 characters, not blank.
    pub sku: String,
    /// Up to 255 characters, not blank.
    pub description: String,
    /// Above 0, at most 3 decimals.
    pub quantity: Decimal,
    /// Per unit, excluding tax.
    pub unit_price: Amount,
    /// Percent, 0–100, at most 2 decimals.
    pub tax_rate: Option<Decimal>,
    /// `discount`.
    pub discount: Option<Discount>,
}

impl NewInvoiceItem {
    /// A line without tax or discount.
    pub fn new(
        sku: impl Into<String>,
        description: impl Into<String>,
        quantity: Decimal,
        unit_price: Amount,
    ) -> Self {
        Self {
            sku: sku.into(),
            description: description.into(),
            quantity,
            unit_price,
            tax_rate: None,
            discount: None,
        }
    }
}

/// The body of `POST /b/invoice/v1/invoice/`. Optional fields left `None` are not sent (Ottu:
/// "Exclude optional fields entirely if not relevant").
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CreateInvoice {
    /// `invoice_type`.
    pub invoice_type: CheckoutType,
    /// `currency_code`.
    pub currency_code: CurrencyCode,
    /// Purchase gateways only.
    pub pg_codes: Vec<PgCode>,
    /// Unique per merchant, up to 255 characters.
    pub invoice_number: String,
    /// `YYYY-MM-DD`.
    pub due_date: String,
    /// `items`.
    pub items: Vec<NewInvoiceItem>,
    /// `tax_rate`.
    pub tax_rate: Option<Decimal>,
    /// `discount`.
    pub discount: Option<Discount>,
    /// `shipping_excl_tax`.
    pub shipping_excl_tax: Option<Amount>,
    /// `shipping_tax_rate`.
    pub shipping_tax_rate: Option<Decimal>,
    /// `shipping_method`.
    pub shipping_method: Option<String>,
    /// `company_name`.
    pub company_name: Option<String>,
    /// `order_no`.
    pub order_no: Option<OrderNo>,
    /// `customer_email`.
    pub customer_email: Option<String>,
    /// `customer_first_name`.
    pub customer_first_name: Option<String>,
    /// `customer_last_name`.
    pub customer_last_name: Option<String>,
    /// `customer_phone`.
    pub customer_phone: Option<String>,
    /// `redirect_url`.
    pub redirect_url: Option<String>,
    /// `webhook_url`.
    pub webhook_url: Option<String>,
    /// `generate_qr_code`.
    pub generate_qr_code: bool,
    /// `shortify_checkout_url`.
    pub shortify_checkout_url: bool,
    /// Send the VAL CALC fields computed by [`totals`] (default `true`).
    pub send_totals: bool,
}

fn rate_ok(value: Decimal) -> bool {
    value >= Decimal::ZERO && value <= Decimal::ONE_HUNDRED && value.normalize().scale() <= 2
}

fn text(value: Decimal) -> String {
    value.normalize().to_string()
}

impl CreateInvoice {
    /// A minimal invoice (the four required fields besides the items).
    pub fn new(
        invoice_type: CheckoutType,
        currency_code: CurrencyCode,
        pg_codes: Vec<PgCode>,
        invoice_number: impl Into<String>,
        due_date: impl Into<String>,
        items: Vec<NewInvoiceItem>,
    ) -> Self {
        Self {
            invoice_type,
            currency_code,
            pg_codes,
            invoice_number: invoice_number.into(),
            due_date: due_date.into(),
            items,
            tax_rate: None,
            discount: None,
            shipping_excl_tax: None,
            shipping_tax_rate: None,
            shipping_method: None,
            company_name: None,
            order_no: None,
            customer_email: None,
            customer_first_name: None,
            customer_last_name: None,
            customer_phone: None,
            redirect_url: None,
            webhook_url: None,
            generate_qr_code: false,
            shortify_checkout_url: false,
            send_totals: true,
        }
    }

    fn decimals(&self) -> u32 {
        self.currency_code.minor_units()
    }

    /// Each line's values and the invoice's, as Ottu computes them; `None` on overflow.
    pub fn totals(&self) -> Option<(Vec<LineTotals>, InvoiceTotals)> {
        let d = self.decimals();
        let lines = self
            .items
            .iter()
            .map(|i| {
                totals::line(
                    i.quantity,
                    i.unit_price.to_decimal(),
                    i.discount.as_ref().map(Discount::rule),
                    i.tax_rate,
                    d,
                )
            })
            .collect::<Option<Vec<_>>>()?;
        let t = totals::invoice(
            &lines,
            self.discount.as_ref().map(Discount::rule),
            self.tax_rate,
            self.shipping_excl_tax.as_ref().map(Amount::to_decimal),
            self.shipping_tax_rate,
            d,
        )?;
        Some((lines, t))
    }

    /// The local checks' findings, named as the server names them (`invoice_items.0.quantity`).
    pub fn field_errors(&self) -> FieldErrors {
        let mut e = FieldErrors::new();
        let d = self.decimals();
        if self.pg_codes.is_empty() {
            e.add("pg_codes", "This list may not be empty.");
        }
        let number = self.invoice_number.trim();
        if number.is_empty() {
            e.add("invoice_number", "This field may not be blank.");
        } else if number.chars().count() > 255 {
            e.add(
                "invoice_number",
                "Ensure this field has no more than 255 characters.",
            );
        }
        if !is_date(&self.due_date) {
            e.add(
                "due_date",
                "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.",
            );
        }
        if self.items.is_empty() {
            e.add("invoice_items", "This list may not be empty.");
        } else if self.items.len() > MAX_ITEMS {
            e.add(
                "invoice_items",
                format!("Ensure this field has no more than {MAX_ITEMS} elements."),
            );
        }
        let fits = |a: &Amount| a.decimals() <= d && !a.to_decimal().is_sign_negative();
        for (i, item) in self.items.iter().enumerate() {
            let p = |f: &str| format!("invoice_items.{i}.{f}");
            for (field, value) in [("sku", &item.sku), ("description", &item.description)] {
                let v = value.trim();
                if v.is_empty() {
                    e.add(&p(field), "This field may not be blank.");
                } else if v.chars().count() > 255 {
                    e.add(
                        &p(field),
                        "Ensure this field has no more than 255 characters.",
                    );
                }
            }
            if item.quantity <= Decimal::ZERO
                || item.quantity.normalize().scale() > 3
                || item.quantity >= Decimal::from(1_000_000)
            {
                e.add(
                    &p("quantity"),
                    "Must be above 0, below 1000000, with at most 3 decimals.",
                );
            }
            if !fits(&item.unit_price) {
                e.add(
                    &p("unit_price"),
                    format!("Must be 0 or more with at most {d} decimals."),
                );
            }
            if item.tax_rate.is_some_and(|r| !rate_ok(r)) {
                e.add(&p("tax_rate"), "Must be 0 to 100 with at most 2 decimals.");
            }
            match &item.discount {
                Some(Discount::Percentage(r)) if !rate_ok(*r) => e.add(
                    &p("discount_percentage"),
                    "Must be 0 to 100 with at most 2 decimals.",
                ),
                Some(Discount::Amount(a)) if !fits(a) => e.add(
                    &p("discount_amount"),
                    format!("Must be 0 or more with at most {d} decimals."),
                ),
                _ => {}
            }
        }
        if self.tax_rate.is_some_and(|r| !rate_ok(r)) {
            e.add("tax_rate", "Must be 0 to 100 with at most 2 decimals.");
        }
        if self.shipping_tax_rate.is_some_and(|r| !rate_ok(r)) {
            e.add(
                "shipping_tax_rate",
                "Must be 0 to 100 with at most 2 decimals.",
            );
        }
        if self.shipping_tax_rate.is_some() && self.shipping_excl_tax.is_none() {
            e.add(
                "shipping_tax_rate",
                "shipping_tax_rate needs shipping_excl_tax.",
            );
        }
        if self.shipping_excl_tax.as_ref().is_some_and(|a| !fits(a)) {
            e.add(
                "shipping_excl_tax",
                format!("Must be 0 or more with at most {d} decimals."),
            );
        }
        match &self.discount {
            Some(Discount::Percentage(r)) if !rate_ok(*r) => e.add(
                "discount_percentage",
                "Must be 0 to 100 with at most 2 decimals.",
            ),
            Some(Discount::Amount(a)) if !fits(a) => e.add(
                "discount_amount",
                format!("Must be 0 or more with at most {d} decimals."),
            ),
            _ => {}
        }
        email(&mut e, "customer_email", &self.customer_email);
        url(&mut e, "redirect_url", &self.redirect_url);
        url(&mut e, "webhook_url", &self.webhook_url);
        if !e.is_empty() {
            return e;
        }
        match self.totals() {
            None => e.add("invoice_items", "The invoice total is too large."),
            Some((lines, t)) => {
                for (i, (l, item)) in lines.iter().zip(&self.items).enumerate() {
                    if l.discount > l.quantity_price {
                        let f = match item.discount {
                            Some(Discount::Percentage(_)) => "discount_percentage",
                            _ => "discount_amount",
                        };
                        e.add(
                            &format!("invoice_items.{i}.{f}"),
                            "The discount cannot exceed the item's value.",
                        );
                    }
                }
                if t.discount > t.subtotal {
                    e.add(
                        "discount_amount",
                        "The discount cannot exceed the subtotal.",
                    );
                }
                if t.total_incl_tax <= Decimal::ZERO {
                    e.add("amount", "The invoice total must be above 0.");
                }
            }
        }
        e
    }

    /// Runs the local checks; [`Error::Validation`] with `status: None` on failure.
    pub fn validate(&self) -> Result<()> {
        let errors = self.field_errors();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::local(errors))
        }
    }

    /// The JSON body (with the VAL CALC fields when `send_totals`).
    pub fn to_json(&self) -> Value {
        let computed = if self.send_totals {
            self.totals()
        } else {
            None
        };
        let d = self.decimals();
        let money = |v: Decimal| totals::round(v, d).to_string();
        let mut body = Map::new();
        body.insert("type".into(), json!(self.invoice_type));
        body.insert("currency_code".into(), json!(self.currency_code.as_str()));
        body.insert(
            "pg_codes".into(),
            json!(self.pg_codes.iter().map(|p| p.as_str()).collect::<Vec<_>>()),
        );
        body.insert("invoice_number".into(), json!(self.invoice_number.trim()));
        body.insert("due_date".into(), json!(self.due_date));
        let items: Vec<Value> = self
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let mut m = Map::new();
                m.insert("sku".into(), json!(item.sku.trim()));
                m.insert("description".into(), json!(item.description.trim()));
                m.insert("quantity".into(), json!(text(item.quantity)));
                m.insert("unit_price".into(), json!(item.unit_price.as_str()));
                if let Some(r) = item.tax_rate {
                    m.insert("tax_rate".into(), json!(text(r)));
                }
                match &item.discount {
                    Some(Discount::Percentage(p)) => {
                        m.insert("discount_percentage".into(), json!(text(*p)));
                    }
                    Some(Discount::Amount(a)) => {
                        m.insert("discount_amount".into(), json!(a.as_str()));
                    }
                    None => {}
                }
                if let Some((lines, _)) = &computed {
                    let l = &lines[i];
                    m.insert("total_excl_tax".into(), json!(money(l.total_excl_tax)));
                    m.insert("tax_amount".into(), json!(money(l.tax_amount)));
                    m.insert("total_incl_tax".into(), json!(money(l.total_incl_tax)));
                }
                Value::Object(m)
            })
            .collect();
        body.insert("invoice_items".into(), Value::Array(items));
        if let Some(r) = self.tax_rate {
            body.insert("tax_rate".into(), json!(text(r)));
        }
        match &self.discount {
            Some(Discount::Percentage(p)) => {
                body.insert("discount_percentage".into(), json!(text(*p)));
            }
            Some(Discount::Amount(a)) => {
                body.insert("discount_amount".into(), json!(a.as_str()));
            }
            None => {}
        }
        if let Some(s) = &self.shipping_excl_tax {
            body.insert("shipping_excl_tax".into(), json!(s.as_str()));
        }
        if let Some(r) = self.shipping_tax_rate {
            body.insert("shipping_tax_rate".into(), json!(text(r)));
        }
        let strings = [
            ("shipping_method", self.shipping_method.as_deref()),
            ("company_name", self.company_name.as_deref()),
            ("order_no", self.order_no.as_ref().map(|o| o.as_str())),
            ("customer_email", self.customer_email.as_deref()),
            ("customer_first_name", self.customer_first_name.as_deref()),
            ("customer_last_name", self.customer_last_name.as_deref()),
            ("customer_phone", self.customer_phone.as_deref()),
            ("redirect_url", self.redirect_url.as_deref()),
            ("webhook_url", self.webhook_url.as_deref()),
        ];
        for (key, value) in strings {
            if let Some(v) = value {
                body.insert(key.into(), json!(v));
            }
        }
        if self.generate_qr_code {
            body.insert("generate_qr_code".into(), json!(true));
        }
        if self.shortify_checkout_url {
            body.insert("shortify_checkout_url".into(), json!(true));
        }
        if let Some((_, t)) = computed {
            body.insert("subtotal".into(), json!(money(t.subtotal)));
            body.insert("total_excl_tax".into(), json!(money(t.total_excl_tax)));
            body.insert("tax_amount".into(), json!(money(t.tax_amount)));
            if self.shipping_excl_tax.is_some() {
                body.insert(
                    "shipping_incl_tax".into(),
                    json!(money(t.shipping_incl_tax)),
                );
            }
            body.insert("total_incl_tax".into(), json!(money(t.total_incl_tax)));
            body.insert("amount".into(), json!(money(t.total_incl_tax)));
        }
        Value::Object(body)
    }
}

/// A line of a created invoice. Decimals are read from strings or numbers (Ottu's schema says
/// strings, its guide's example shows numbers); unknown keys are ignored.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct InvoiceLine {
    /// `id`.
    #[serde(default, deserialize_with = "crate::de::opt")]
    pub id: Option<i64>,
    /// `sku`.
    #[serde(default, deserialize_with = "crate::de::string")]
    pub sku: String,
    /// `description`.
    #[serde(default, deserialize_with = "crate::de::string")]
    pub description: String,
    /// `quantity`.
    #[serde(default, deserialize_with = "crate::de::opt")]
    pub quantity: Option<Decimal>,
    /// `unit_price`.
    #[serde(default, deserialize_with = "crate::de::opt")]
    pub unit_price: Option<Decimal>,
    /// `tax_rate`.
    #[serde(default, deserialize_with = "crate::de::opt")]
    pub tax_rate: Option<Decimal>,
    /// `discount_percentage`.
    #[serde(default, deserialize_with = "crate::de::opt")]
    pub discount_percentage: Option<Decimal>,
    /// `discount_amount`.
    #[serde(default, deserialize_with = "crate::de::opt")]
    pub discount_amount: Option<Decimal>,
    /// `total_excl_tax`.
    #[serde(default, deserialize_with = "crate::de::opt")]
    pub total_excl_tax: Option<Decimal>,
    /// `tax_amount`.
    #[serde(default, deserialize_with = "crate::de::opt")]
    pub tax_amount: Option<Decimal>,
    /// `total_incl_tax`.
    #[serde(default, deserialize_with = "crate::de::opt")]
    pub total_incl_tax: Option<Decimal>,
}

/// A created invoice (`InvoicePOSTResponse`): the checkout transaction and the invoice's
/// fields. Unknown keys are ignored.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Invoice {
    /// The payment transaction (state, links, amount); retrieve it later by its `session_id`.
    #[serde(flatten)]
    pub checkout: CheckoutSession,
    /// `invoice_id`.
    #[serde(default, deserialize_with = "crate::de::opt")]
    pub invoice_id: Option<i64>,
    /// `invoice_number`.
    #[serde(default, deserialize_with = "crate::de::opt")]
    pub invoice_number: Option<String>,
    /// `due_date`.
    #[serde(default, deserialize_with = "crate::de::opt")]
    pub due_date: Option<String>,
    /// `sent`, `paid`, `overdue` or `canceled`.
    #[serde(default, deserialize_with = "crate::de::opt")]
    pub status: Option<String>,
    /// The downloadable PDF.
    #[serde(default, deserialize_with = "crate::de::opt")]
    pub invoice_pdf_url: Option<String>,
    /// `invoice_items`.
    #[serde(default, deserialize_with = "crate::de::list")]
    pub invoice_items: Vec<InvoiceLine>,
    /// `subtotal`.
    #[serde(default, deserialize_with = "crate::de::opt")]
    pub subtotal: Option<Decimal>,
    /// `discount_amount`.
    #[serde(default, deserialize_with = "crate::de::opt")]
    pub discount_amount: Option<Decimal>,
    /// `total_excl_tax`.
    #[serde(default, deserialize_with = "crate::de::opt")]
    pub total_excl_tax: Option<Decimal>,
    /// `tax_amount`.
    #[serde(default, deserialize_with = "crate::de::opt")]
    pub tax_amount: Option<Decimal>,
    /// `shipping_incl_tax`.
    #[serde(default, deserialize_with = "crate::de::opt")]
    pub shipping_incl_tax: Option<Decimal>,
    /// `total_incl_tax`.
    #[serde(default, deserialize_with = "crate::de::opt")]
    pub total_incl_tax: Option<Decimal>,
}

/// The invoice resource of a [`Client`].
#[derive(Debug, Clone, Copy)]
pub struct Invoices<'c> {
    pub(crate) client: &'c Client,
}

impl Invoices<'_> {
    /// Creates an invoice (`POST /b/invoice/v1/invoice/`, JSON, expects 201). Runs
    /// [`CreateInvoice::validate`] first. Like a checkout create it is repeated only after a
    /// `429`; a lost answer is [`Error::Ambiguous`] (the invoice may exist: its
    /// `invoice_number` is then taken, so look it up rather than create it again).
    pub async fn create(&self, request: &CreateInvoice) -> Result<Invoice> {
        request.validate()?;
        let body = serde_json::to_vec(&request.to_json())
            .map_err(|e| Error::config(format!("cannot serialise the request: {e}")))?;
        self.client
            .send_retrying_refusals(Method::POST, INVOICE_PATH, &Payload::Json(body), false)
            .await
            .map_err(|e| ambiguous_unless_final(e, request.order_no.as_ref()))
    }

    /// Whether the credentials may create invoices (Ottu's "Can add Invoice"), without creating
    /// one: an empty body is sent, which Ottu refuses with `400` (fields missing) to a user who
    /// holds the permission and with `403` to one who does not, because permissions are checked
    /// before the body is read. Other failures (401, network) are returned as they are.
    pub async fn may_create(&self) -> Result<bool> {
        let answer: Result<Value> = self
            .client
            .send_once(
                Method::POST,
                INVOICE_PATH,
                &Payload::Json(b"{}".to_vec()),
                &[],
            )
            .await;
        match answer {
            Err(Error::Validation { .. }) => Ok(true),
            Err(Error::Forbidden { .. }) => Ok(false),
            Err(e) => Err(e),
            // Nothing can be created from an empty body; an answer that is not a refusal is
            // not proof of the permission either.
            Ok(_) => Ok(false),
        }
    }
}
