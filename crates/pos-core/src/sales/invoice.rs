//! Itemised sales: a cart sold through Ottu's Invoice API instead of a payment request.
//!
//! The create flow is the same one (`create.rs`: the record written before sending, claims and
//! compare-and-set, a generated `order_no`, a lost answer settled by cancelling that order
//! number, never sent again blindly); only the request differs. [`CreateRequest`] is either body;
//! an invoice is rebuilt from what the sale stores (its priced lines in `Sale::cart`, its order
//! number, customer, and the gateways and due date of the stored body), so a deliberate retry of
//! a refused sale sends the very same invoice and "Make a new link" the same lines under a new
//! order number. The invoice number is the order number: both are unique, and a new order number
//! is a new invoice.

use std::str::FromStr;

use ottu_checkout::checkout::{CheckoutSession, CheckoutType, CreateCheckoutSession};
use ottu_checkout::invoice::{CreateInvoice, Discount, NewInvoiceItem};
use ottu_checkout::{Amount, CurrencyCode, OrderNo, PgCode};
use rust_decimal::Decimal;

use super::Sales;
use crate::cart::{CartInput, CartTotals};
use crate::catalog::Catalog;
use crate::dto::{Sale, SaleDraft};
use crate::error::{Error, Result};
use crate::problem;
use crate::store::SaleRecord;

/// The body of a create: a payment request or an invoice.
#[derive(Debug, Clone)]
pub(crate) enum CreateRequest {
    /// `POST /b/checkout/v1/pymt-txn/`.
    Session(Box<CreateCheckoutSession>),
    /// `POST /b/invoice/v1/invoice/`.
    Invoice(Box<CreateInvoice>),
}

impl CreateRequest {
    /// The body as stored with the sale (and as sent).
    pub(crate) fn to_json(&self) -> Result<serde_json::Value> {
        match self {
            CreateRequest::Session(session) => serde_json::to_value(session)
                .map_err(|e| Error::Internal(format!("could not store the request: {e}"))),
            CreateRequest::Invoice(invoice) => Ok(invoice.to_json()),
        }
    }

    /// Sends it; an invoice answers its checkout transaction.
    pub(crate) async fn send(
        &self,
        client: &ottu_checkout::Client,
    ) -> ottu_checkout::Result<CheckoutSession> {
        match self {
            CreateRequest::Session(session) => client.checkout().create(session).await,
            CreateRequest::Invoice(invoice) => {
                client.invoices().create(invoice).await.map(|i| i.checkout)
            }
        }
    }

    /// The link's lifetime in minutes as sent (`None`: the server's default, 24 h).
    pub(crate) fn expiration_minutes(&self) -> Option<u32> {
        match self {
            CreateRequest::Session(session) => session
                .expiration_time
                .as_deref()
                .and_then(super::create::parse_duration_minutes),
            CreateRequest::Invoice(_) => None,
        }
    }

    /// The request a stored sale was (or is to be) created with.
    pub(crate) fn of_record(record: &SaleRecord) -> Result<CreateRequest> {
        match &record.sale.cart {
            None => serde_json::from_value(record.request.clone())
                .map(|session| CreateRequest::Session(Box::new(session)))
                .map_err(|e| Error::Internal(format!("the stored request cannot be read: {e}"))),
            Some(cart) => {
                let stored = &record.request;
                let pg_codes = stored["pg_codes"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|code| code.as_str().and_then(|c| PgCode::parse(c).ok()))
                    .collect();
                let due_date = stored["due_date"].as_str().unwrap_or_default();
                let order_no = OrderNo::parse(record.sale.order_no.clone())
                    .map_err(|e| Error::Internal(format!("stored order number: {e}")))?;
                Ok(CreateRequest::Invoice(Box::new(invoice(
                    &record.sale,
                    cart,
                    pg_codes,
                    order_no,
                    due_date,
                )?)))
            }
        }
    }
}

/// The invoice of an itemised sale: its lines, the order number as invoice number too, a QR
/// code and a short link like a payment request.
pub(crate) fn invoice(
    sale: &Sale,
    cart: &CartTotals,
    pg_codes: Vec<PgCode>,
    order_no: OrderNo,
    due_date: &str,
) -> Result<CreateInvoice> {
    let currency = CurrencyCode::parse(&cart.currency_code)
        .map_err(|e| Error::Internal(format!("stored cart currency: {e}")))?;
    let bad = |what: &str| Error::Internal(format!("stored cart line {what} cannot be read"));
    let items = cart
        .lines
        .iter()
        .map(|line| {
            let amount = |text: &str| Amount::parse(text, &currency).map_err(|_| bad("amount"));
            let discount = amount(&line.discount_excl_tax)?;
            Ok(NewInvoiceItem {
                sku: line.sku.clone(),
                description: line.description.clone(),
                quantity: Decimal::from_str(&line.quantity).map_err(|_| bad("quantity"))?,
                unit_price: amount(&line.unit_price_excl_tax)?,
                tax_rate: Some(Decimal::from(line.vat_rate)),
                discount: (!discount.is_zero()).then_some(Discount::Amount(discount)),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let mut invoice = CreateInvoice::new(
        CheckoutType::PaymentRequest,
        currency,
        pg_codes,
        order_no.as_str(),
        due_date,
        items,
    );
    invoice.order_no = Some(order_no);
    invoice.customer_first_name = sale.customer_name.clone();
    invoice.customer_phone = sale.customer_phone.clone();
    invoice.customer_email = sale.customer_email.clone();
    invoice.generate_qr_code = true;
    invoice.shortify_checkout_url = true;
    Ok(invoice)
}

impl Sales {
    /// Prices a draft's cart against the catalog (archived items and other currencies refused
    /// on their line) and makes the draft's amount and currency the cart's: a typed amount must
    /// equal the total. `None` for a draft without a cart.
    pub(crate) fn price_draft_cart(&self, draft: &mut SaleDraft) -> Result<Option<CartTotals>> {
        let Some(cart) = draft.cart.clone() else {
            return Ok(None);
        };
        let totals = self.price_cart(&cart)?;
        let typed = draft.amount.trim();
        if !typed.is_empty()
            && Decimal::from_str(typed).ok() != Decimal::from_str(&totals.total).ok()
        {
            return Err(Error::invalid_field(
                "amount",
                problem!(
                    CartAmountMismatch,
                    total = totals.total,
                    currency = totals.currency_code
                ),
            ));
        }
        draft.amount = totals.total.clone();
        draft.currency_code = totals.currency_code.clone();
        Ok(Some(totals))
    }

    /// The cart's lines, VAT and total with this engine's shelf-price rule.
    pub(crate) fn price_cart(&self, cart: &CartInput) -> Result<CartTotals> {
        let catalog = Catalog::new(&self.inner.store);
        let include = self
            .inner
            .prices_include_tax
            .load(std::sync::atomic::Ordering::Relaxed);
        let resolved = cart.resolve(include, |id| catalog.get(id))?;
        let priced = resolved.price().map_err(Error::invalid_fields)?;
        Ok(CartTotals::new(&resolved, &priced))
    }
}
